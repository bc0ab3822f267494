import CascadeCore
import CascadeMedia
import Foundation
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Keeps every active recording going: one supervised worker at a time per recording, each part indexed
/// as it opens and closes, crashes and source losses repaired and bridged by a gap and a new part, and
/// the disk never filled.
public actor RecordingService: Service {
    /// Limits and places.
    public struct Settings: Sendable {
        /// Directory holding one folder per recording.
        public var directory: String
        /// Refuse to start, and stop, below this much free space …
        public var freeSpaceFloorBytes: Int64 = 2 << 30
        /// … or below this fraction of the disk, whichever is smaller.
        public var freeSpaceFloorFraction = 0.05
        /// A recording whose source gives no media for this long after it starts fails.
        public var noMediaDeadline: Duration = .seconds(15)
        /// A recorder that has had no media this long is started afresh (until the deadline above): a
        /// call refused before its source was ready — a relay's tap not yet registered — can otherwise
        /// wait silently.
        public var noMediaRetry: Duration = .seconds(5)
        /// Waits before restarting a recorder that ended, by attempt.
        public var restartBackoff: [Duration] = [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)]
        /// How often the disk and deadlines are checked.
        public var checkInterval: Duration = .milliseconds(500)

        /// Measures a finished part file (duration, codecs, SHA-256); a test may slow it down to hold
        /// the moment between a recorder's exit and the part's entry in the index.
        public var measurePart: @Sendable (_ path: String, _ index: Int, _ startedAt: Date, _ endedNormally: Bool) async -> RecordingPart = {
            await PartFinisher.measure(path: $0, index: $1, startedAt: $2, endedNormally: $3)
        }

        /// Creates settings.
        public init(directory: String) { self.directory = directory }
    }

    private struct Active {
        var sourceURI: String
        var partSeconds: Int
        var startedAt = ContinuousClock.now
        var attempt = 0
        var workerId: String?
        /// When the current recorder was launched, and whether it is being replaced for want of media.
        var attemptStartedAt = ContinuousClock.now
        var isRetrying = false
        var nextPart = 0
        var openPart: (index: Int, startedAt: Date)?
        /// Parts the recorder has moved on from but is still finalising (splitmuxsink's async-finalize):
        /// measured when their fragment-closed message says the file is complete, not before.
        var closingParts: [Int: Date] = [:]
        var hasMedia = false
        var isStopping = false
        var stopReason: String?
        var stopActor = "system"
        var restartAt: ContinuousClock.Instant?
        var lastError: String?
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
        /// The recorder has exited and its last part is being measured: a stop arriving now is kept
        /// for ``recorderEnded(_:outcome:)`` to carry out once the measurement is in.
        var isMeasuringLastPart = false
    }

    private enum Input: Sendable {
        case event(SupervisorEvent)
        case tick
        case wake
        case shutdown
    }

    private let supervisor: Supervisor
    private let index: any RecordingIndex
    private var settings: Settings
    private let logger: Logger
    /// Open once what the previous server run left has been taken up.
    public nonisolated let resumed = ResumeGate()
    private let root: String
    private var active: [Int64: Active] = [:]
    private var isShuttingDown = false
    /// Worker starts and stops waiting to run as child tasks of `run()`.
    private var jobs: [@Sendable () async -> Void] = []
    private var wake: AsyncStream<Input>.Continuation?

    /// Creates the service.
    public init(supervisor: Supervisor, index: any RecordingIndex, settings: Settings, logger: Logger) {
        self.supervisor = supervisor
        self.index = index
        self.settings = settings
        self.logger = logger
        root = settings.directory
    }

    /// Starts recording `source` (srt://, rtsp://, udp:// or rtp://) into parts of `partSeconds`.
    public func start(source: String, meetingId: String?, partSeconds: Int, actor: String) throws(RecordingError) -> Int64 {
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
            if let shortage = diskShortage() { throw RecordingError(.insufficientStorage, shortage) }
            id = try index.createRecording(meetingId: meetingId, source: parsed.redacted, sourceURI: source, partSeconds: partSeconds, actor: actor)
            try FileManager.default.createDirectory(atPath: directory(of: id), withIntermediateDirectories: true)
        } catch let error as RecordingError {
            throw error
        } catch {
            throw RecordingError(.unavailable, "the recording could not be registered: \(error)")
        }
        active[id] = Active(sourceURI: source, partSeconds: partSeconds, restartAt: .now)
        launchDue()
        return id
    }

    /// Stops a recording: the recorder ends its stream, the last part is finalised, then the state is "stopped".
    public func stop(_ id: Int64, actor: String) async throws {
        guard active[id] != nil else {
            guard try index.recording(id) != nil else { throw RecordingError(.unknownRecording, "no recording r\(id)") }
            return
        }
        requestStop(id, reason: nil, actor: actor)
        await withCheckedContinuation { continuation in
            if active[id] == nil { continuation.resume() } else { active[id]?.stopWaiters.append(continuation) }
        }
    }

    /// Whether recording `id` is being recorded (or restarted after a loss) by this service.
    public func isActive(_ id: Int64) -> Bool { active[id] != nil }

    /// The folder of recording `id`.
    public nonisolated func directory(of id: Int64) -> String {
        (root as NSString).appendingPathComponent("r\(id)")
    }

    /// Repairs what a previous run left open, resumes active recordings, then follows the recorders
    /// until graceful shutdown (which ends their parts cleanly; they resume on the next start).
    public func run() async throws {
        defer { resumed.open() }
        try await resumeAfterRestart()
        resumed.open()
        let events = await supervisor.subscribe()
        let (inputs, feed) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .unbounded)
        wake = feed
        let interval = settings.checkInterval
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await event in events { feed.yield(.event(event)) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        feed.yield(.tick)
                    }
                }
                for await input in inputs {
                    switch input {
                    case .event(let event): await handle(event)
                    case .tick: tick()
                    case .wake: break
                    case .shutdown:
                        isShuttingDown = true
                        for id in active.keys { requestStop(id, reason: nil, actor: "system", keepRecording: true) }
                    }
                    for job in jobs { group.addTask { await job() } }
                    jobs.removeAll()
                    if isShuttingDown && active.values.allSatisfy({ $0.workerId == nil }) { break }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            feed.yield(.shutdown)
        }
    }

    // MARK: - Events

    private func handle(_ event: SupervisorEvent) async {
        guard let (id, _) = recordingOf(worker: event.workerId), active[id] != nil else { return }
        switch event.kind {
        case .report(.element(_, "splitmuxsink-fragment-opened", let fields)):
            guard let partIndex = Self.partIndex(in: fields) else { return }
            let now = Date()
            if let open = active[id]?.openPart { active[id]?.closingParts[open.index] = open.startedAt }
            active[id]?.openPart = (partIndex, now)
            active[id]?.hasMedia = true
            active[id]?.nextPart = partIndex + 1
            record { try index.partOpened(recording: id, index: partIndex, at: now) }
        case .report(.element(_, "splitmuxsink-fragment-closed", let fields)):
            guard let partIndex = Self.partIndex(in: fields) else { return }
            if let startedAt = active[id]?.closingParts.removeValue(forKey: partIndex) {
                await finish(id, partIndex: partIndex, startedAt: startedAt, endedNormally: true)
            } else if let open = active[id]?.openPart, open.index == partIndex {
                active[id]?.openPart = nil
                await finish(id, partIndex: partIndex, startedAt: open.startedAt, endedNormally: true)
            }
        case .report(.error(let element, let message, _)):
            active[id]?.lastError = "\(element): \(message)"
        case .exited(let outcome):
            await recorderEnded(id, outcome: outcome)
        default:
            break
        }
    }

    private func recorderEnded(_ id: Int64, outcome: WorkerOutcome) async {
        guard var recording = active[id] else { return }
        recording.workerId = nil
        // The recorder is gone: every part it was still finalising is as complete as it will be.
        var pending = recording.closingParts.map { (index: $0.key, startedAt: $0.value, endedNormally: true) }
        if let open = recording.openPart { pending.append((open.index, open.startedAt, outcome.reachedEndOfStream)) }
        if !pending.isEmpty {
            recording.openPart = nil
            recording.closingParts = [:]
            recording.isMeasuringLastPart = true
            active[id] = recording
            for part in pending.sorted(by: { $0.index < $1.index }) {
                await finish(id, partIndex: part.index, startedAt: part.startedAt, endedNormally: part.endedNormally)
            }
            // Stops (and failures) may have arrived during the measurement: carry on from the state as
            // it is now, never from the copy taken before the suspension.
            guard let current = active[id] else { return }
            recording = current
            recording.isMeasuringLastPart = false
            active[id] = recording
        }
        removeEmptyParts(of: id)
        if recording.isStopping {
            active[id] = nil
            if !isShuttingDown || recording.stopReason != nil {
                record { try index.finishRecording(id, state: .stopped, reason: recording.stopReason, actor: recording.stopActor) }
            } else {
                record { try index.openGap(recording: id, at: Date(), reason: "server stopped") }
            }
            recording.stopWaiters.forEach { $0.resume() }
            return
        }
        // Not asked to stop: a crash, or the source went away. Bridge with a gap and start a new part.
        let reason = outcome.kind == .crashed ? "recorder crashed (\(outcome.termination))" : "source lost (\(outcome.lastError ?? recording.lastError ?? "\(outcome.termination)"))"
        if recording.hasMedia { record { try index.openGap(recording: id, at: Date(), reason: reason) } }
        recording.lastError = outcome.lastError ?? recording.lastError
        let backoff = settings.restartBackoff[min(recording.attempt, settings.restartBackoff.count - 1)]
        recording.restartAt = .now.advanced(by: backoff)
        active[id] = recording
        logger.info("recorder ended, restarting", metadata: ["recording.id": "\(id)", "reason": "\(reason)"])
    }

    private func tick() {
        if let shortage = diskShortage() {
            for (id, recording) in active where !recording.isStopping {
                logger.error("disk space alarm: stopping recording", metadata: ["recording.id": "\(id)"])
                record { try index.appendAudit(actor: "system", action: "recording.disk-alarm", target: "r\(id)", details: shortage) }
                requestStop(id, reason: "stopped before the disk filled: \(shortage)", actor: "system")
            }
        }
        for (id, recording) in active where !recording.hasMedia && !recording.isStopping && ContinuousClock.now - recording.startedAt > settings.noMediaDeadline {
            let reason = "no media from the source within \(settings.noMediaDeadline)" + (recording.lastError.map { ": \($0)" } ?? "")
            fail(id, reason: reason)
        }
        for (id, recording) in active where !recording.hasMedia && !recording.isStopping && !recording.isRetrying
            && ContinuousClock.now - recording.attemptStartedAt > settings.noMediaRetry {
            guard let workerId = recording.workerId else { continue }
            active[id]?.isRetrying = true
            logger.info("no media yet: starting the recorder afresh", metadata: ["recording.id": "\(id)"])
            let supervisor = self.supervisor
            enqueue { _ = try? await supervisor.stop(workerId, timeout: .seconds(2)) }
        }
        launchDue()
    }

    private func launchDue() {
        guard !isShuttingDown else { return }
        for (id, recording) in active where recording.workerId == nil && !recording.isStopping {
            guard let due = recording.restartAt, due <= .now, let address = try? RelaySource(parsing: recording.sourceURI) else { continue }
            let workerId = JobWorkerID(.recording(id), attempt: recording.attempt).description
            active[id]?.attempt += 1
            active[id]?.restartAt = nil
            active[id]?.workerId = workerId
            active[id]?.attemptStartedAt = .now
            active[id]?.isRetrying = false
            let pipeline = PipelineRecipes.recording(from: address, into: directory(of: id), partDuration: .seconds(recording.partSeconds), firstPart: recording.nextPart)
            let (supervisor, logger) = (self.supervisor, self.logger)
            // Spawning waits for the worker's socket; the outcome arrives as supervisor events.
            enqueue {
                do {
                    try await supervisor.start(WorkerSpec(id: workerId, purpose: "recording", pipeline: pipeline))
                } catch {
                    logger.error("recorder could not start", metadata: ["recording.id": "\(id)", "error": "\(error)"])
                }
            }
        }
    }

    // MARK: - Helpers

    private func enqueue(_ job: @escaping @Sendable () async -> Void) {
        jobs.append(job)
        wake?.yield(.wake)
    }

    private func requestStop(_ id: Int64, reason: String?, actor: String, keepRecording: Bool = false) {
        guard var recording = active[id], !recording.isStopping else { return }
        recording.isStopping = true
        recording.stopReason = keepRecording ? nil : reason
        recording.stopActor = actor
        active[id] = recording
        guard let workerId = recording.workerId else {
            // The recorder is gone and its last part is being measured: recorderEnded finishes the stop.
            if recording.isMeasuringLastPart { return }
            active[id] = nil
            if !keepRecording { record { try index.finishRecording(id, state: .stopped, reason: reason, actor: actor) } }
            recording.stopWaiters.forEach { $0.resume() }
            return
        }
        let supervisor = self.supervisor
        enqueue { _ = try? await supervisor.stop(workerId) }
    }

    private func fail(_ id: Int64, reason: String) {
        guard var recording = active[id] else { return }
        logger.warning("recording failed", metadata: ["recording.id": "\(id)", "reason": "\(reason)"])
        recording.isStopping = true
        active[id] = recording
        if let workerId = recording.workerId {
            let supervisor = self.supervisor
            enqueue { _ = try? await supervisor.stop(workerId, timeout: .seconds(3)) }
        }
        active[id] = nil
        removeEmptyParts(of: id)
        record { try index.finishRecording(id, state: .failed, reason: reason, actor: "system") }
        recording.stopWaiters.forEach { $0.resume() }
    }

    private func finish(_ id: Int64, partIndex: Int, startedAt: Date, endedNormally: Bool) async {
        let path = (directory(of: id) as NSString).appendingPathComponent(RecordingPart.fileName(partIndex))
        let part = await settings.measurePart(path, partIndex, startedAt, endedNormally)
        record { try index.partFinished(recording: id, part: part) }
    }

    private func resumeAfterRestart() async throws {
        for (recording, sourceURI) in try index.activeRecordings() {
            for part in recording.parts where part.state == .recording {
                let path = (directory(of: recording.id) as NSString).appendingPathComponent(part.fileName)
                let repaired = await PartFinisher.measure(path: path, index: part.index, startedAt: part.startedAt, endedNormally: false)
                record { try index.partFinished(recording: recording.id, part: repaired) }
            }
            if !recording.parts.isEmpty { record { try index.openGap(recording: recording.id, at: Date(), reason: "server restarted") } }
            var resumed = Active(sourceURI: sourceURI, partSeconds: recording.partSeconds, restartAt: .now)
            resumed.nextPart = (recording.parts.map(\.index).max() ?? -1) + 1
            resumed.hasMedia = !recording.parts.isEmpty
            active[recording.id] = resumed
        }
        launchDue()
    }

    /// Removes part files that hold nothing (a recorder that never got media leaves an empty one).
    private func removeEmptyParts(of id: Int64) {
        let folder = directory(of: id)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where RecordingPart.index(ofFileName: name) != nil {
            let path = (folder as NSString).appendingPathComponent(name)
            if ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 1) == 0 {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    private func recordingOf(worker workerId: String) -> (Int64, Int)? {
        guard let parsed = JobWorkerID(workerId), let id = parsed.recordingId else { return nil }
        return (id, parsed.attempt)
    }

    /// Free space below the floor, described; `nil` when there is enough.
    private func diskShortage() -> String? {
        var stats = statvfs()
        guard statvfs(settings.directory, &stats) == 0 else { return nil }
        let free = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        let total = Int64(stats.f_blocks) * Int64(stats.f_frsize)
        let floor = min(settings.freeSpaceFloorBytes, Int64(Double(total) * settings.freeSpaceFloorFraction))
        guard free < floor else { return nil }
        return "\(free >> 20) MiB free, below the floor of \(floor >> 20) MiB"
    }

    private func record(_ write: () throws -> Void) {
        do {
            try write()
        } catch {
            logger.error("recording index write failed", metadata: ["error": "\(error)"])
        }
    }

    /// The part index in a splitmuxsink message's `location=(string)…/part-00003.mp4`.
    static func partIndex(in fields: String) -> Int? {
        guard let range = fields.range(of: "location=(string)") else { return nil }
        var value = fields[range.upperBound...]
        if value.hasPrefix("\"") {
            value = value.dropFirst()
            value = value.prefix { $0 != "\"" }
        } else {
            value = value.prefix { $0 != "," && $0 != ";" }
        }
        return RecordingPart.index(ofFileName: (String(value) as NSString).lastPathComponent)
    }
}
