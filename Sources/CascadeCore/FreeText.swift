/// Rules for text people type (titles, captions, names, notes): no control characters, a bounded
/// length. Such text ends up on a slate, in a calendar feed, in the audit log and in exports, where a
/// NUL cuts it short and a CR starts a line of its own.
public enum FreeText {
    /// The longest one-line text (a title, a name, a caption), in characters.
    public static let maximumLineLength = 500
    /// The longest multi-line text (notes), in characters.
    public static let maximumNotesLength = 20_000

    /// Whether `scalar` is a C0 control character (U+0000–U+001F) or DEL (U+007F), or a C1 control (U+0080–U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Why `text` is not acceptable, or `nil`. One-line text allows a tab; multi-line text also allows
    /// line feeds (and CR LF pairs).
    public static func problem(in text: String, multiline: Bool = false) -> String? {
        let limit = multiline ? maximumNotesLength : maximumLineLength
        if text.count > limit { return "is longer than \(limit) characters" }
        for scalar in text.unicodeScalars where isControl(scalar) {
            if scalar == "\t" || (multiline && (scalar == "\n" || scalar == "\r")) { continue }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "contains the control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex)"
        }
        if multiline, text.unicodeScalars.contains("\r") {
            let scalars = Array(text.unicodeScalars)
            for (index, scalar) in scalars.enumerated() where scalar == "\r" && (index + 1 == scalars.count || scalars[index + 1] != "\n") {
                return "contains a carriage return that is not part of a line break"
            }
        }
        return nil
    }

    /// `text` made safe for a log line: control characters dropped, at most `limit` characters.
    public static func sanitisedForLog(_ text: String, limit: Int = 200) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isControl(scalar) { scalars.append(scalar) }
        let clean = String(scalars)
        return clean.count > limit ? String(clean.prefix(limit)) + "…" : clean
    }
}
