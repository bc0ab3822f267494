/// The rule for ids of units and halls: they appear in URLs, file names and SRT stream ids.
public enum Identifier {
    /// The rule in words, for error messages.
    public static let rule = "id must be 1–64 characters of a–z, 0–9 and '-', starting with a letter or digit"

    /// Whether `id` follows the rule.
    public static func isValid(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, id.unicodeScalars.count <= 64 else { return false }
        func allowed(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return allowed(first) && id.unicodeScalars.allSatisfy { allowed($0) || $0 == "-" }
    }
}
