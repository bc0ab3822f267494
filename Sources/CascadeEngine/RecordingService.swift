import CascadeCore
import CascadeMedia
import Foundation
import Logging
import ServiceLifecycle

/// Keeps every active recording going as a job of the ``MediaJobDriver``: one recorder at a time per
/// recording, each part indexed as it opens and closes, crashes and source losses bridged by a gap and
/// a new part, and the disk never filled.
public actor RecordingService: Service, MediaJobKind {
    struct Active {
        var source: RelaySource
        var partSeconds: Int
        var nextPart = 0
        var openPart: (index: Int, startedAt: Date)?
        /// Parts the recorder has moved on from but is still finalising (splitmuxsink's async-finalize):
        /// measured when their closing message says the file is complete, not before.
        var closingParts: [Int: Date] = [:]
        var hasMedia = false
        var lastOutcome: WorkerOutcome?
        var diskAlarmRaised = false
    }

    let driver: MediaJobDriver
    let index: any RecordingIndex
    let settings: Settings
    let clock: any WallClock
    let logger: Logger
    var recordings: [Int64: Active] = [:]
    /// Open once what the previous server run left has been taken up.
    public nonisolated let resumed = ResumeGate()
    /// The folders' parent.
    public nonisolated let folders: RecordingFolders

    /// Creates the service.
    public init(supervisor: any WorkerHost, index: any RecordingIndex, settings: Settings, clock: any WallClock = SystemWallClock(), logger: Logger) {
        driver = MediaJobDriver(job: JobWorkerID.Job.recording, host: supervisor, policy: settings.jobPolicy, clock: clock, tickInterval: settings.checkInterval, logger: logger)
        (self.index, self.settings, self.clock, self.logger) = (index, settings, clock, logger)
        folders = RecordingFolders(directory: settings.directory, floorBytes: settings.freeSpaceFloorBytes, floorFraction: settings.freeSpaceFloorFraction)
    }

    /// Starts recording `source` (srt://, rtsp://, udp:// or rtp://) into parts of `partSeconds`.
    public func start(source: String, meetingId: String?, partSeconds: Int, actor: String) async throws(RecordingError) -> Int64 {
        guard await !driver.isShuttingDown else { throw RecordingError(.unavailable, "the server is shutting down") }
        let parsed: RelaySource
        do {
            parsed = try RelaySource(parsing: source)
        } catch {
            throw RecordingError(.invalidSource, error.message)
        }
        if case .demo = parsed { throw RecordingError(.invalidSource, "demo: is made inside a relay; record the relay instead (relayId)") }
        let id: Int64
        do {
            try FileManager.default.createDirectory(atPath: settings.directory, withIntermediateDirectories: true)
            if let shortage = folders.diskShortage() { throw RecordingError(.insufficientStorage, shortage) }
            id = try index.createRecording(meetingId: meetingId, source: parsed.redacted, sourceURI: source, partSeconds: partSeconds, actor: actor)
            try FileManager.default.createDirectory(atPath: directory(of: id), withIntermediateDirectories: true)
        } catch let error as RecordingError {
            throw error
        } catch {
            throw RecordingError(.unavailable, "the recording could not be registered: \(error)")
        }
        recordings[id] = Active(source: parsed, partSeconds: partSeconds)
        guard await driver.add(id) else {
            recordings[id] = nil
            record { try index.finishRecording(id, state: .failed, reason: "the server was shutting down", actor: "system") }
            throw RecordingError(.unavailable, "the server is shutting down")
        }
        return id
    }

    /// Stops a recording: the recorder ends its stream, the last part is finalised, then the state is "stopped".
    public func stop(_ id: Int64, actor: String) async throws(RecordingError) {
        guard recordings[id] != nil else {
            let known: Recording?
            do { known = try index.recording(id) } catch { throw RecordingError(.unavailable, "the recording could not be read: \(error)") }
            guard known != nil else { throw RecordingError(.unknownRecording, "no recording r\(id)") }
            return
        }
        await driver.stop(id, reason: nil, actor: actor)
    }

    /// Whether recording `id` is being recorded (or restarted after a loss) by this service.
    public func isActive(_ id: Int64) -> Bool { recordings[id] != nil }

    /// Where recording `id` is (starting, running, restarting, stopping); `nil` when it is not active.
    public func phase(_ id: Int64) async -> MediaJobMachine.Phase? { await driver.machine(id)?.phase }

    /// Ends a recorder (its part is finished, a gap opens) and starts another; false when `worker` is
    /// not the recorder of an active recording.
    public func replaceWorker(_ worker: JobWorkerID) async -> Bool { await driver.replace(worker) }

    /// The folder of recording `id`.
    public nonisolated func directory(of id: Int64) -> String { folders.directory(of: id) }

    /// Repairs what a previous run left open, resumes active recordings, then follows the recorders
    /// until graceful shutdown (which ends their parts cleanly; they resume on the next start).
    public func run() async throws {
        defer { resumed.open() }
        await driver.subscribe()
        try await resumeAfterRestart()
        resumed.open()
        let driver = self.driver
        await withGracefulShutdownHandler {
            await driver.run(for: self)
        } onGracefulShutdown: {
            driver.shutDown(suspendingJobs: true)
        }
    }

    private func resumeAfterRestart() async throws {
        for (recording, sourceURI) in try index.activeRecordings() {
            for part in recording.parts where part.state == .recording {
                let repaired = await settings.measurePart(folders.path(of: recording.id, part: part.index), part.index, part.startedAt, false)
                record { try index.partFinished(recording: recording.id, part: repaired) }
            }
            if !recording.parts.isEmpty { record { try index.openGap(recording: recording.id, at: clock.now, reason: "server restarted") } }
            guard let source = try? RelaySource(parsing: sourceURI) else {
                record { try index.finishRecording(recording.id, state: .failed, reason: "its source can no longer be read", actor: "system") }
                continue
            }
            var resumed = Active(source: source, partSeconds: recording.partSeconds)
            resumed.nextPart = (recording.parts.map(\.index).max() ?? -1) + 1
            resumed.hasMedia = !recording.parts.isEmpty
            recordings[recording.id] = resumed
            await driver.add(recording.id, hasProgressed: resumed.hasMedia)
        }
    }

    /// Measures part `partIndex` of recording `id` and enters it in the index.
    func finishPart(_ id: Int64, partIndex: Int, startedAt: Date, endedNormally: Bool) async {
        let part = await settings.measurePart(folders.path(of: id, part: partIndex), partIndex, startedAt, endedNormally)
        record { try index.partFinished(recording: id, part: part) }
    }

    func record(_ write: () throws -> Void) {
        do { try write() } catch { logger.error("recording index write failed", metadata: ["error": "\(error)"]) }
    }
}
