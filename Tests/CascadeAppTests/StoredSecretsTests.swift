@testable import CascadeApp
import CascadeCore
import CascadeMedia
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// A database written by an older Cascade holds passphrases; the server moves them out at its start.
@Suite struct StoredSecretsTests {
    static let passphrase = "old-site-passphrase-1234"

    @Test func secretsLeftInTheDatabaseAreMovedOutAndRedacted() throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try AppDatabase.open(dataDirectory: directory, passwordCost: 4)
        let source = "srt://10.0.0.9:7000?mode=caller&passphrase=\(Self.passphrase)"
        // As an older Cascade wrote them: straight into the database.
        let running = try database.createRecording(meetingId: nil, source: "srt://10.0.0.9:7000", sourceURI: source, partSeconds: 60, actor: "test")
        let relay = try database.createRelay(meetingId: nil, source: "demo:", listenerPort: 9000, hallIds: [], actor: "test")
        let spec = RelaySpec(relayId: "rl\(relay)", source: source, title: "Giao ban", canvas: RelayCanvas(width: 640, height: 360, framerate: 25, videoKbps: 800),
                             listener: RelayListener(port: 9000, passphrase: Self.passphrase, latencyMs: 200),
                             outputs: [RelayOutput(hallId: "h", destination: .call(uri: "srt://10.0.0.8:5000?mode=caller&passphrase=\(Self.passphrase)"), passphrase: Self.passphrase)])
        try database.saveRelayWorker(relay: relay, spec: String(decoding: try JSONEncoder().encode(spec), as: UTF8.self), workerId: nil, pid: nil)

        let ledger = SecretKeepingLedger(database: database, secrets: JobSecrets(dataDirectory: directory))
        #expect(try ledger.moveStoredSecrets() == 2)
        #expect(try ledger.moveStoredSecrets() == 0, "once is enough")
        for file in ["cascade.sqlite", "cascade.sqlite-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)"))) ?? Data()
            #expect(bytes.range(of: Data(Self.passphrase.utf8)) == nil, "\(file) still holds the passphrase")
        }
        // The running jobs still resume with their keys.
        #expect(try ledger.activeRecordings().first { $0.recording.id == running }?.sourceURI == source)
        let resumed = try #require(try ledger.runningRelayWorkers().first { $0.relay == relay }?.spec)
        #expect(try JSONDecoder().decode(RelaySpec.self, from: Data(resumed.utf8)) == spec)
        #expect(try FileManager.default.attributesOfItem(atPath: "\(directory)/secrets")[.posixPermissions] as? Int == 0o700)
    }

    @Test func aRecordingWhoseKeysAreGoneEndsFailedInsteadOfResumingUnencrypted() throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try AppDatabase.open(dataDirectory: directory, passwordCost: 4)
        let ledger = SecretKeepingLedger(database: database, secrets: JobSecrets(dataDirectory: directory))
        let id = try ledger.createRecording(meetingId: nil, source: "srt://:7000", sourceURI: "srt://:7000?mode=listener&passphrase=\(Self.passphrase)", partSeconds: 60, actor: "test")
        try FileManager.default.removeItem(atPath: "\(directory)/secrets/recording-\(id).uri")
        #expect(try ledger.activeRecordings().isEmpty)
        #expect(try database.recording(id)?.state == .failed)
    }

    @Test(arguments: [
        ("rtsp://admin:secret@10.0.0.5:554/stream?token=abc", "rtsp://10.0.0.5:554/stream"),
        ("srt://10.0.0.9:7000?mode=caller&passphrase=\(passphrase)", "srt://10.0.0.9:7000?mode=caller&latency=500"),
    ])
    func redactionDropsEveryCredential(uri: String, expected: String) {
        #expect(JobSecrets.redacted(uri) == expected)
    }
}
