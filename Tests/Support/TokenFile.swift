import Foundation

/// Bearer tokens handed to `cascade` commands the way people should: in a 0600 file
/// (`--token-file`), never as an argument that `ps` shows.
public enum TokenFile {
    /// A file holding `token`, made once per token in the temporary directory.
    public static func path(for token: String) throws -> String {
        let path = NSTemporaryDirectory() + "cascade-token-\(SHA256Name.of(token))"
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw TestFailure("cannot write \(path)")
            }
        }
        return path
    }
}

/// A short file-name-safe name for a token (not a secret: the test's own token).
enum SHA256Name {
    static func of(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return String(hash, radix: 16)
    }
}
