import CascadeCore
import CascadeMedia
import Foundation
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Spawns one `cascade worker` process per pipeline, talks to it over its control socket,
/// stops it gracefully (end-of-stream, then SIGKILL past a deadline) and notices at once when it dies.
///
/// Runs as a `Service`: its `run()` consumes what the reaper and control threads observe, and on
/// graceful shutdown stops every worker before returning.
public actor Supervisor: Service {
    /// Where workers come from and how long they get.
    public struct Settings: Sendable {
        /// The `cascade` executable to run as `cascade worker`.
        public var workerExecutable: String
        /// Directory for the workers' control sockets.
        public var runDirectory: String
        /// How long a new worker gets to open its control socket.
        public var connectTimeout: Duration = .seconds(10)
        /// How long a worker gets to finish after a stop, before SIGKILL.
        public var stopTimeout: Duration = .seconds(10)
        /// How many exited workers stay visible.
        public var exitedHistory = 100

        /// Creates settings.
        public init(workerExecutable: String, runDirectory: String) {
            self.workerExecutable = workerExecutable
            self.runDirectory = runDirectory
        }
    }

    private struct Worker {
        var spec: WorkerSpec
        var pid: pid_t
        var startedAt: Date
        var lifecycle = WorkerLifecycle()
        var channel: LineChannel?
        var statistics: [String: PropertyValue]?
        var exitWaiters: [CheckedContinuation<WorkerOutcome, Never>] = []
        var pendingQueries: [Int: CheckedContinuation<PropertyValue?, Never>] = [:]
        /// Whether the control channel may still hold reports.
        var channelIsOpen = false
        /// An exit seen before the channel was read to its end.
        var exitAwaitingReports: ProcessTermination?
    }

    private enum Observation: Sendable {
        case report(String, WorkerReport)
        case exited(String, ProcessTermination)
        /// The worker's control channel reached its end: every report it sent has been read.
        case channelClosed(String)
        case shutdown
    }

    private let settings: Settings
    private let logger: Logger
    private let onEvent: @Sendable (SupervisorEvent) -> Void
    private let observations: AsyncStream<Observation>
    private let observe: AsyncStream<Observation>.Continuation
    private var workers: [String: Worker] = [:]
    private var exited: [WorkerSnapshot] = []
    private var nextQueryId = 1
    private var isShuttingDown = false
    private var subscribers: [UUID: AsyncStream<SupervisorEvent>.Continuation] = [:]

    /// Creates a supervisor; `onEvent` sees every spawn, report and exit (keep it quick).
    public init(settings: Settings, logger: Logger, onEvent: @escaping @Sendable (SupervisorEvent) -> Void = { _ in }) {
        self.settings = settings
        self.logger = logger
        self.onEvent = onEvent
        (observations, observe) = AsyncStream.makeStream(of: Observation.self, bufferingPolicy: .unbounded)
    }

    /// Processes observations until graceful shutdown, then stops every worker and returns.
    public func run() async throws {
        let observe = self.observe
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await observation in observations {
                    switch observation {
                    case .report(let id, let report): handle(report, from: id)
                    case .exited(let id, let termination): handleExit(of: id, termination)
                    case .channelClosed(let id):
                        workers[id]?.channelIsOpen = false
                        if let termination = workers[id]?.exitAwaitingReports { handleExit(of: id, termination) }
                    case .shutdown:
                        guard !isShuttingDown else { continue }
                        isShuttingDown = true
                        group.addTask {
                            await self.stopAll()
                            observe.finish()
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            observe.yield(.shutdown)
        }
    }

    /// Spawns a worker for `spec`, connects to it and sends it the pipeline.
    @discardableResult
    public func start(_ spec: WorkerSpec) async throws(EngineError) -> WorkerSnapshot {
        guard !isShuttingDown else { throw EngineError(.shuttingDown, "the server is shutting down") }
        guard Identifier.isValid(spec.id) else { throw EngineError(.spawnFailed, "worker \(spec.id): \(Identifier.rule)") }
        guard workers[spec.id] == nil else { throw EngineError(.duplicateWorker, "worker \(spec.id) is already running") }
        try? FileManager.default.createDirectory(atPath: settings.runDirectory, withIntermediateDirectories: true)
        let socketPath = socketPath(for: spec.id)
        if let orphan = orphanAnswering(like: spec.id) {
            // A worker of an earlier server run for the same job still answers (a recorder finishing its
            // part): a second one would take its socket or write into its files.
            throw EngineError(.duplicateWorker, "worker \(orphan) of an earlier server run is still running")
        }
        let pid = try ChildProcess.spawn(
            executable: settings.workerExecutable,
            arguments: ["worker", "--socket", socketPath, "--id", spec.id] + (spec.outlivesServer ? ["--outlives-server"] : [])
        )
        workers[spec.id] = Worker(spec: spec, pid: pid, startedAt: Date())
        let observe = self.observe
        let id = spec.id
        ChildProcess.watch(pid) { observe.yield(.exited(id, $0)) }
        logger.debug("worker spawned", metadata: ["pipeline.id": "\(id)", "pid": "\(pid)"])
        emit(id, .spawned(pid: pid))

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: settings.connectTimeout)
        while true {
            guard workers[id] != nil else {
                let outcome = exited.first { $0.id == id }?.outcome
                throw EngineError(.connectionFailed, "worker \(id) exited (\(outcome.map { "\($0.termination)" } ?? "unknown")) before opening its control socket")
            }
            if let fd = try? UnixSocket.connect(to: socketPath) {
                let channel = makeChannel(fd, for: id)
                workers[id]?.channel = channel
                perform(workers[id]?.lifecycle.handle(.connected) ?? [], on: id)
                return snapshot(of: workers[id]!)
            }
            if clock.now > deadline {
                perform(workers[id]?.lifecycle.handle(.connectionFailed("no control socket within \(settings.connectTimeout)")) ?? [], on: id)
                _ = await waitForExit(id)
                throw EngineError(.connectionFailed, "worker \(id) did not open its control socket within \(settings.connectTimeout)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends a command to a running worker; false when it is not running or not yet connected.
    @discardableResult
    public func send(_ command: WorkerCommand, to id: String) -> Bool {
        guard let channel = workers[id]?.channel else { return false }
        return channel.send(command)
    }

    /// Takes over a worker an earlier server run started (it outlived that run): connects to its
    /// control socket and follows it as if spawned here. Throws when it is gone or not that worker.
    @discardableResult
    public func adopt(_ spec: WorkerSpec, pid: Int32) async throws(EngineError) -> WorkerSnapshot {
        guard workers[spec.id] == nil else { throw EngineError(.duplicateWorker, "worker \(spec.id) is already running") }
        guard ChildProcess.isWorker(pid, id: spec.id) else { throw EngineError(.connectionFailed, "worker \(spec.id) (pid \(pid)) is no longer running") }
        let fd: Int32
        do {
            fd = try UnixSocket.connect(to: socketPath(for: spec.id))
        } catch {
            throw EngineError(.connectionFailed, "worker \(spec.id): \(error.message)")
        }
        let observe = self.observe
        let id = spec.id
        workers[id] = Worker(spec: spec, pid: pid, startedAt: Date())
        let channel = makeChannel(fd, for: id)
        workers[id]?.channel = channel
        _ = workers[id]?.lifecycle.handle(.adopted)
        ChildProcess.watchAdopted(pid) { observe.yield(.exited(id, $0)) }
        logger.info("worker adopted", metadata: ["pipeline.id": "\(id)", "pid": "\(pid)"])
        emit(id, .spawned(pid: pid))
        return snapshot(of: workers[id]!)
    }

    /// Stops a worker: end-of-stream first, SIGKILL if it has not exited within `timeout`.
    public func stop(_ id: String, timeout: Duration? = nil) async throws(EngineError) -> WorkerOutcome {
        if let outcome = exited.first(where: { $0.id == id })?.outcome, workers[id] == nil { return outcome }
        guard workers[id] != nil else { throw EngineError(.unknownWorker, "no worker \(id)") }
        let timeout = timeout ?? settings.stopTimeout
        perform(workers[id]?.lifecycle.handle(.stopRequested) ?? [], on: id, stopTimeout: timeout)
        return await withTaskGroup(of: WorkerOutcome?.self) { group in
            group.addTask { await self.waitForExit(id) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            if let first = await group.next(), let outcome = first {
                group.cancelAll()
                return outcome
            }
            // The deadline passed first: the lifecycle decides (it kills a worker still stopping).
            perform(workers[id]?.lifecycle.handle(.stopDeadlinePassed) ?? [], on: id)
            while let next = await group.next() {
                if let outcome = next { return outcome }
            }
            return await waitForExit(id)
        }
    }

    /// Waits until the worker has exited and returns how it ended.
    public func waitForExit(_ id: String) async -> WorkerOutcome {
        if workers[id] == nil, let outcome = exited.first(where: { $0.id == id })?.outcome { return outcome }
        guard workers[id] != nil else {
            return WorkerOutcome(kind: .failed, termination: .exited(code: -1), reachedEndOfStream: false, lastError: "no worker \(id)")
        }
        return await withCheckedContinuation { workers[id]?.exitWaiters.append($0) }
    }

    /// Reads an element property in a running worker; `nil` if the worker, element or property is missing.
    public func query(_ id: String, element: String, property: String) async -> PropertyValue? {
        guard let channel = workers[id]?.channel else { return nil }
        let requestId = nextQueryId
        nextQueryId += 1
        return await withCheckedContinuation { continuation in
            workers[id]?.pendingQueries[requestId] = continuation
            if !channel.send(WorkerCommand.query(requestId: requestId, element: element, property: property)) {
                workers[id]?.pendingQueries.removeValue(forKey: requestId)?.resume(returning: nil)
            }
        }
    }

    /// Every running worker, then the recently exited ones.
    public func snapshots() -> [WorkerSnapshot] {
        workers.values.sorted { $0.startedAt < $1.startedAt }.map(snapshot(of:)) + exited
    }

    /// The ids of workers whose processes are alive.
    public var runningWorkerIds: [String] { Array(workers.keys) }

    /// Stops every running worker concurrently and waits for all of them; workers that outlive the
    /// server are only let go (their connection closed) unless `includingOutliving`.
    public func stopAll(includingOutliving: Bool = false) async {
        for (id, worker) in workers where worker.spec.outlivesServer && !includingOutliving {
            worker.channel?.close()
            workers[id] = nil
            logger.info("worker left running for the next server run", metadata: ["pipeline.id": "\(id)", "pid": "\(worker.pid)"])
        }
        let ids = Array(workers.keys)
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask { _ = try? await self.stop(id) }
            }
        }
    }

    private func handle(_ report: WorkerReport, from id: String) {
        guard workers[id] != nil else { return }
        switch report {
        case .state(_, let to): _ = workers[id]?.lifecycle.handle(.pipelineStateChanged(to))
        case .error(let element, let message, _):
            logger.debug("worker pipeline error", metadata: ["pipeline.id": "\(id)", "element": "\(element)", "error": "\(message)"])
            _ = workers[id]?.lifecycle.handle(.pipelineError("\(element): \(message)"))
        case .endOfStream: _ = workers[id]?.lifecycle.handle(.endOfStream)
        case .statistics(_, let values): workers[id]?.statistics = values
        case .reply(let requestId, let value): workers[id]?.pendingQueries.removeValue(forKey: requestId)?.resume(returning: value)
        case .hello(_, _, let version, _) where version != WorkerProtocol.version:
            // A worker from another build of Cascade: its reports cannot be trusted to mean what this one expects.
            perform(workers[id]?.lifecycle.handle(.connectionFailed("the worker speaks protocol \(version), this server \(WorkerProtocol.version)")) ?? [], on: id)
        case .hello, .warning, .element, .partOpened, .partClosed, .relayEvent, .relayStatistics: break
        }
        emit(id, .report(report))
    }

    /// A worker this supervisor does not follow whose socket still answers, with the id `id` or, for a
    /// relay's or recording's worker, another attempt of the same job.
    private func orphanAnswering(like id: String) -> String? {
        let job = JobWorkerID(id)?.job
        let names = (try? FileManager.default.contentsOfDirectory(atPath: settings.runDirectory)) ?? []
        let candidates = names.filter { $0.hasSuffix(".sock") }.map { String($0.dropLast(5)) }.filter { other in
            workers[other] == nil && (other == id || (job != nil && JobWorkerID(other)?.job == job))
        }
        for other in candidates {
            guard let fd = try? UnixSocket.connect(to: socketPath(for: other)) else { continue }
            close(fd)
            return other
        }
        return nil
    }

    /// The control channel to worker `id`: its reports, then word that it has closed.
    private func makeChannel(_ fd: Int32, for id: String) -> LineChannel {
        let observe = self.observe
        workers[id]?.channelIsOpen = true
        return LineChannel.decoding(WorkerReport.self, socket: fd, onMessage: { observe.yield(.report(id, $0)) }, onClose: { observe.yield(.channelClosed(id)) })
    }

    private func handleExit(of id: String, _ termination: ProcessTermination) {
        // The process is gone but its last reports (the error that made it exit) may still be in the
        // channel: the exit is handled once the channel has been read to its end.
        if workers[id]?.channelIsOpen == true {
            workers[id]?.exitAwaitingReports = termination
            return
        }
        guard var worker = workers.removeValue(forKey: id) else { return }
        let actions = worker.lifecycle.handle(.processExited(termination))
        worker.channel?.close()
        unlink(socketPath(for: id))
        for case .report(let outcome) in actions {
            logger.debug("worker exited", metadata: ["pipeline.id": "\(id)", "outcome": "\(outcome.kind.rawValue)", "termination": "\(termination)"])
            var final = snapshot(of: worker)
            final.outcome = outcome
            exited.insert(final, at: 0)
            if exited.count > settings.exitedHistory { exited.removeLast() }
            worker.exitWaiters.forEach { $0.resume(returning: outcome) }
            worker.pendingQueries.values.forEach { $0.resume(returning: nil) }
            emit(id, .exited(outcome))
        }
    }

    private func perform(_ actions: [WorkerLifecycle.Action], on id: String, stopTimeout: Duration? = nil) {
        guard let worker = workers[id] else { return }
        for action in actions {
            switch action {
            case .sendStart:
                let interval = worker.spec.statisticsInterval.map { Int($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) } ?? 0
                if let relay = worker.spec.relay {
                    worker.channel?.send(WorkerCommand.startRelay(relay))
                } else {
                    worker.channel?.send(WorkerCommand.start(recipe: worker.spec.pipeline, probes: worker.spec.probes, statisticsIntervalMs: interval))
                }
            case .sendStop:
                let timeout = stopTimeout ?? settings.stopTimeout
                worker.channel?.send(WorkerCommand.stop(timeoutMs: Int(timeout.components.seconds * 1000)))
            case .kill:
                kill(worker.pid, SIGKILL)
            case .armStopDeadline, .report:
                break  // the deadline is raced in stop(); reports are published in handleExit
            }
        }
    }

    private func snapshot(of worker: Worker) -> WorkerSnapshot {
        let (state, pipelineState): (WorkerSnapshot.State, String?) = switch worker.lifecycle.state {
        case .launching: (.launching, nil)
        case .running(let pipelineState): (.running, pipelineState)
        case .stopping: (.stopping, nil)
        case .exited: (.exited, nil)
        }
        var outcome: WorkerOutcome?
        if case .exited(let final) = worker.lifecycle.state { outcome = final }
        return WorkerSnapshot(
            id: worker.spec.id, purpose: worker.spec.purpose, pid: worker.pid, state: state,
            pipelineState: pipelineState, startedAt: worker.startedAt, outcome: outcome, statistics: worker.statistics
        )
    }

    private func socketPath(for id: String) -> String {
        (settings.runDirectory as NSString).appendingPathComponent("\(id).sock")
    }

    private func emit(_ id: String, _ kind: SupervisorEvent.Kind) {
        let event = SupervisorEvent(workerId: id, kind: kind, at: Date())
        onEvent(event)
        for (key, subscriber) in subscribers {
            if case .terminated = subscriber.yield(event) { subscribers[key] = nil }
        }
    }

    /// Every event from now on, until the returned stream is dropped.
    public func subscribe() -> AsyncStream<SupervisorEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: SupervisorEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        subscribers[UUID()] = continuation  // dropped at the first event after the stream ends
        return stream
    }
}
