import CascadeMedia
import Foundation

/// The secrets a running job needs to resume after a restart — a source URI with its SRT passphrase,
/// a relay's spec with its listener's and halls' keys — kept in `DATA/secrets/` (0700, files 0600)
/// and never in the database, which holds the same values with the secrets taken out.
struct JobSecrets: Sendable {
    let directory: String

    init(dataDirectory: String) {
        directory = (dataDirectory as NSString).appendingPathComponent("secrets")
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Saves `text` under `name`, readable by the server's user only.
    func save(_ text: String, as name: String) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let target = path(name), staging = path(".\(name).new")
        guard files.createFile(atPath: staging, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: staging])
        }
        _ = try? files.removeItem(atPath: target)
        try files.moveItem(atPath: staging, toPath: target)
    }

    /// The text saved under `name`, if any.
    func load(_ name: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path(name)))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Forgets `name` (the job ended).
    func remove(_ name: String) {
        try? FileManager.default.removeItem(atPath: path(name))
    }

    /// `uri` without its passphrase (an SRT `passphrase=`, an RTSP password), as the database keeps it.
    static func redacted(_ uri: String) -> String {
        (try? RelaySource(parsing: uri).redacted) ?? uri
    }

    /// `spec` with every key taken out: the source's, the listener's, each hall's and each called hall's URL.
    static func redacted(_ spec: RelaySpec) -> RelaySpec {
        var stripped = spec
        stripped.source = redacted(spec.source)
        stripped.listener.passphrase = nil
        stripped.outputs = spec.outputs.map { output in
            var output = output
            output.passphrase = nil
            if case .call(let uri) = output.destination, var address = try? SRTAddress(parsing: uri) {
                address.passphrase = nil
                output.destination = .call(uri: address.uri)
            }
            return output
        }
        return stripped
    }
}
