extension Unmanaged {
    /// Calls `body` with the object without retaining it: its owner keeps it
    /// alive for the call. Shared compiled objects (expression nodes,
    /// built-in functions, pipeline steps) are reached this way on the hot
    /// path, so that threads using them do not contend for their counts.
    ///
    /// The standard library's guaranteed-reference access takes an untyped
    /// throwing closure; this one carries `body`'s typed error out beside it.
    /// - Throws: what `body` throws.
    ///
    /// Inlinable so that other modules get it specialized: a generic call
    /// would look up type metadata at run time on every use.
    @inlinable @inline(__always)
    package func withGuaranteedReference<Result, Failure: Error>(
        _ body: (Instance) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var result: Result? = nil
        var failure: Failure? = nil
        _withUnsafeGuaranteedRef { instance in
            do throws(Failure) {
                result = try body(instance)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        // Set whenever no error was thrown.
        return result.unsafelyUnwrapped
    }
}
