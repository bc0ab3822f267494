import CascadeCore
import Foundation

/// SHA-256 of files, read in 1 MiB chunks.
public enum FileDigest {
    /// The hex SHA-256 of the file at `path`, or `nil` when it cannot be read.
    public static func sha256(path: String) -> String? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        var hash = SHA256()
        while let chunk = try? file.read(upToCount: 1 << 20), !chunk.isEmpty {
            hash.update(Array(chunk))
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
