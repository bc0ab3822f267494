import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeStore
import Foundation

/// The database as the relay service's ledger and the recording service's index, with every secret
/// kept out of it: source URIs and relay specs go to the database without their passphrases and, in
/// full, to ``JobSecrets`` while the job runs, so a resumed job still has its keys.
struct SecretKeepingLedger: RelayLedger, RecordingIndex {
    let database: AppDatabase
    let secrets: JobSecrets

    private static func relayFile(_ id: Int64) -> String { "relay-\(id).json" }
    private static func recordingFile(_ id: Int64) -> String { "recording-\(id).uri" }

    // MARK: - RelayLedger

    func createRelay(meetingId: String?, source: String, listenerPort: Int, hallIds: [String], actor: String) throws -> Int64 {
        try database.createRelay(meetingId: meetingId, source: JobSecrets.redacted(source), listenerPort: listenerPort, hallIds: hallIds, actor: actor)
    }

    func relayHallAdded(relay: Int64, hallId: String, actor: String) throws { try database.relayHallAdded(relay: relay, hallId: hallId, actor: actor) }

    func relayHallRemoved(relay: Int64, hallId: String, actor: String) throws { try database.relayHallRemoved(relay: relay, hallId: hallId, actor: actor) }

    func updateRelayHall(relay: Int64, hallId: String, connectedSecondsAdded: Int, bytes: Int64, lostPackets: Int64, retransmittedPackets: Int64, rttMs: Double?) throws {
        try database.updateRelayHall(relay: relay, hallId: hallId, connectedSecondsAdded: connectedSecondsAdded, bytes: bytes,
                                     lostPackets: lostPackets, retransmittedPackets: retransmittedPackets, rttMs: rttMs)
    }

    func appendRelayEvents(_ events: [RelayEventRecord]) throws { try database.appendRelayEvents(events) }

    func finishRelay(_ id: Int64, state: RelaySummary.State, reason: String?, actor: String) throws {
        try database.finishRelay(id, state: state, reason: reason, actor: actor)
        secrets.remove(Self.relayFile(id))
    }

    func saveRelayWorker(relay: Int64, spec: String, workerId: String?, pid: Int32?) throws {
        guard let full = try? JSONDecoder().decode(RelaySpec.self, from: Data(spec.utf8)) else {
            throw StoreError(.invalid, "relay rl\(relay): the worker spec does not decode")
        }
        try secrets.save(spec, as: Self.relayFile(relay))
        let stripped = String(decoding: try JSONEncoder().encode(JobSecrets.redacted(full)), as: UTF8.self)
        try database.saveRelayWorker(relay: relay, spec: stripped, workerId: workerId, pid: pid)
    }

    /// The specs come from the secrets file; a relay whose file is gone cannot resume with its keys and
    /// is given no spec (the service then marks it failed rather than run it unencrypted).
    func runningRelayWorkers() throws -> [(relay: Int64, meetingId: String?, spec: String?, workerId: String?, pid: Int32?)] {
        try database.runningRelayWorkers().map { saved in
            (saved.relay, saved.meetingId, secrets.load(Self.relayFile(saved.relay)), saved.workerId, saved.pid)
        }
    }

    // MARK: - RecordingIndex

    func createRecording(meetingId: String?, source: String, sourceURI: String, partSeconds: Int, actor: String) throws -> Int64 {
        let id = try database.createRecording(meetingId: meetingId, source: source, sourceURI: JobSecrets.redacted(sourceURI), partSeconds: partSeconds, actor: actor)
        try secrets.save(sourceURI, as: Self.recordingFile(id))
        return id
    }

    func partOpened(recording: Int64, index: Int, at time: Date) throws { try database.partOpened(recording: recording, index: index, at: time) }

    func partFinished(recording: Int64, part: RecordingPart) throws { try database.partFinished(recording: recording, part: part) }

    func openGap(recording: Int64, at time: Date, reason: String) throws { try database.openGap(recording: recording, at: time, reason: reason) }

    func finishRecording(_ id: Int64, state: Recording.State, reason: String?, actor: String) throws {
        try database.finishRecording(id, state: state, reason: reason, actor: actor)
        secrets.remove(Self.recordingFile(id))
    }

    func recording(_ id: Int64) throws -> Recording? { try database.recording(id) }

    /// Each active recording resumes from its full source URI, kept in the secrets file.
    func activeRecordings() throws -> [(recording: Recording, sourceURI: String)] {
        try database.activeRecordings().map { active in
            (active.recording, secrets.load(Self.recordingFile(active.recording.id)) ?? active.sourceURI)
        }
    }

    func appendAudit(actor: String, action: String, target: String?, details: String?) throws {
        try database.appendAudit(actor: actor, action: action, target: target, details: details)
    }
}
