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

    /// Moves secrets an older Cascade left in the database into the secrets files (for running jobs)
    /// and redacts them in place; returns how many rows changed.
    @discardableResult
    func moveStoredSecrets() throws -> Int {
        var sources: [Int64: String] = [:], specs: [Int64: String] = [:]
        for stored in try database.storedRecordingSources() {
            let redacted = JobSecrets.redacted(stored.text)
            guard redacted != stored.text else { continue }
            if stored.isRunning, secrets.load(Self.recordingFile(stored.id)) == nil { try secrets.save(stored.text, as: Self.recordingFile(stored.id)) }
            sources[stored.id] = redacted
        }
        for stored in try database.storedRelaySpecs() {
            guard let spec = try? JSONDecoder().decode(RelaySpec.self, from: Data(stored.text.utf8)) else { continue }
            let stripped = JobSecrets.redacted(spec)
            guard stripped != spec else { continue }
            let redacted = String(decoding: try JSONEncoder().encode(stripped), as: UTF8.self)
            if stored.isRunning, secrets.load(Self.relayFile(stored.id)) == nil { try secrets.save(stored.text, as: Self.relayFile(stored.id)) }
            specs[stored.id] = redacted
        }
        try database.replaceStoredSecrets(recordingSources: sources, relaySpecs: specs)
        return sources.count + specs.count
    }

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

    /// Each active recording resumes from its full source URI, kept in the secrets file. One whose file
    /// is gone cannot resume with its keys (a listener would wait unencrypted): it ends as failed.
    func activeRecordings() throws -> [(recording: Recording, sourceURI: String)] {
        try database.activeRecordings().compactMap { active in
            if let sourceURI = secrets.load(Self.recordingFile(active.recording.id)) { return (active.recording, sourceURI) }
            try database.finishRecording(active.recording.id, state: .failed, reason: "its source's keys are gone (DATA/secrets); start it again", actor: "system")
            return nil
        }
    }

    func appendAudit(actor: String, action: String, target: String?, details: String?) throws {
        try database.appendAudit(actor: actor, action: action, target: target, details: details)
    }
}
