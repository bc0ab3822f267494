import CascadeCore

/// Random passwords and tokens from the system's cryptographic generator.
public enum Secrets {
    private static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")

    /// A password of `length` characters without look-alike letters (about 5.8 bits each).
    public static func password(length: Int = 20) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A bearer token: `cas_` and 43 characters (256 bits).
    public static func token() -> String {
        "cas_" + password(length: 44)
    }

    /// `bytes` random bytes as hex: names the server chooses for stored files.
    public static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// What the database keeps of a token: its SHA-256, so a stolen database yields no usable token.
    static func tokenHash(_ token: String) -> String { SHA256.hexDigest(token) }
}
