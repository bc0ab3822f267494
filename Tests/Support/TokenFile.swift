import CascadeCore
import Foundation

/// Bearer tokens handed to `cascade` commands the way people should: in a 0600 file
/// (`--token-file`), never as an argument that `ps` shows.
public enum TokenFile {
    /// A file holding `token`, made once per token in the temporary directory.
    public static func path(for token: String) throws -> String {
        let path = NSTemporaryDirectory() + "cascade-token-\(SHA256.hexDigest(Array(token.utf8)).prefix(16))"
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw TestFailure("cannot write \(path)")
            }
        }
        return path
    }
}
