/// Conversions of JSONata numbers (doubles) to machine integers that never
/// trap. `Int(someDouble)` traps on NaN, infinities and magnitudes beyond
/// 2^63; every index, length, limit and count that an expression supplies
/// goes through these instead.
extension Double {
    /// This number rounded toward zero, clamped to `Int.min...Int.max`;
    /// NaN gives `nanValue`.
    ///
    /// For a position or a limit, clamping gives the natural result: a
    /// limit of 1e300 is no limit, an index of -1e300 is before the start.
    ///
    /// ```swift
    /// (1e300).saturatingInt     // Int.max
    /// (-2.7).saturatingInt      // -2
    /// ```
    func saturatingInt(nanValue: Int = 0) -> Int {
        guard !isNaN else { return nanValue }
        // 2^63 is the first double above Int.max; Int.min (-2^63) is exact.
        if self >= 9_223_372_036_854_775_808.0 { return Int.max }
        if self <= -9_223_372_036_854_775_808.0 { return Int.min }
        return Int(self.rounded(.towardZero))
    }

    /// This number rounded down (toward minus infinity) and clamped, as
    /// array indexes are.
    var saturatingFloor: Int { rounded(.down).saturatingInt() }

    /// This number as an `Int` when it is an integer that fits, else nil.
    var exactInt: Int? { Int(exactly: self) }
}
