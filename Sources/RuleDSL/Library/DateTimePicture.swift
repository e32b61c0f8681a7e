/// XPath F&O picture strings for `$fromMillis`, `$toMillis` and `$now`.
/// Not yet implemented beyond ISO 8601: a picture is an error that says so.
enum DateTimePicture {
    static func format(_ millis: Double, picture: String, timezone: String?, position: Int) throws(JSONataError) -> String {
        throw JSONataError(.pictureComponentNotSupported, position: position, token: picture,
                           detail: "date/time picture strings are not supported yet: \(picture)")
    }

    static func parse(_ text: String, picture: String, position: Int) throws(JSONataError) -> Double? {
        throw JSONataError(.pictureComponentNotSupported, position: position, token: picture,
                           detail: "date/time picture strings are not supported yet: \(picture)")
    }
}
