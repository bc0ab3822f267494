import CascadeCore
import CascadeMedia
import Foundation
import Logging

/// Runs one ``MediaJobMachine`` per job of one kind: feeds it the workers' events, the clock's ticks
/// and the requests it gets, and performs the effects it returns — workers started and ended through
/// the ``WorkerHost`` (one call at a time per job, in order), leftovers settled by the kind, stop
/// waiters released when the job is over.
public actor MediaJobDriver {
    private enum Input: Sendable {
        case event(SupervisorEvent)
        case machine(Int64, MediaJobMachine.Input)
        case tick
        case workDone(Int64)
        case wake
        case shutdown(suspendingJobs: Bool)
    }

    private let job: @Sendable (Int64) -> JobWorkerID.Job
    private let host: any WorkerHost
    private let policy: MediaJobMachine.Policy
    private let clock: any WallClock
    private let tickInterval: Duration
    private let logger: Logger
    private let (inputs, feed) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .unbounded)
    private var machines: [Int64: MediaJobMachine] = [:]
    private var stopWaiters: [Int64: [CheckedContinuation<Void, Never>]] = [:]
    /// Changes for a worker that has not shown progress yet: sent once it does (it started from the spec before them).
    private var pendingCommands: [Int64: [WorkerCommand]] = [:]
    /// Calls to the host, one at a time per job, so a stop never overtakes the start it ends.
    private var work: [Int64: [@Sendable () async -> Void]] = [:]
    private var busy: Set<Int64> = []
    private var launches: [@Sendable () async -> Void] = []
    private var events: AsyncStream<SupervisorEvent>?
    /// Whether the server is shutting down (no job starts any more).
    public private(set) var isShuttingDown = false

    /// A driver for jobs named by `job` (e.g. `JobWorkerID.Job.relay`), kept by `policy` on `clock`.
    public init(job: @escaping @Sendable (Int64) -> JobWorkerID.Job, host: any WorkerHost, policy: MediaJobMachine.Policy,
                clock: any WallClock, tickInterval: Duration, logger: Logger) {
        self.job = job
        self.host = host
        self.policy = policy
        self.clock = clock
        self.tickInterval = tickInterval
        self.logger = logger
    }

    // MARK: - Requests

    /// Takes on job `id`: a worker starts at once (or resumes after `attempts` earlier ones). False
    /// when the server is shutting down: the job is not taken.
    @discardableResult
    public func add(_ id: Int64, attempts: Int = 0, hasProgressed: Bool = false) -> Bool {
        guard !isShuttingDown else { return false }
        machines[id] = MediaJobMachine(job: job(id), policy: policy, at: clock.now, attempts: attempts, hasProgressed: hasProgressed)
        feed.yield(.machine(id, .tick(at: clock.now)))
        return true
    }

    /// Follows the host's worker events from now on (before re-attaching to an earlier run's workers,
    /// so that none of their exits is missed); ``run(for:)`` does it if this was not called.
    public func subscribe() async {
        if events == nil { events = await host.subscribe() }
    }

    /// Takes on job `id` whose worker an earlier server run started and the host has adopted.
    public func adopt(_ id: Int64, worker: JobWorkerID) {
        machines[id] = MediaJobMachine(job: job(id), policy: policy, adopting: worker, at: clock.now)
    }

    /// Asks job `id` to stop and returns once it is over (at once when there is no such job).
    public func stop(_ id: Int64, reason: String?, actor: String) async {
        guard machines[id] != nil else { return }
        await withCheckedContinuation { continuation in
            stopWaiters[id, default: []].append(continuation)
            feed.yield(.machine(id, .stopRequested(reason: reason, actor: actor, at: clock.now)))
        }
    }

    /// Asks job `id` to stop without waiting.
    public func requestStop(_ id: Int64, reason: String?, actor: String) {
        feed.yield(.machine(id, .stopRequested(reason: reason, actor: actor, at: clock.now)))
    }

    /// Sends a change to the job's worker: now if it works, once it shows progress if it is starting;
    /// dropped when no worker runs (the next one starts from the job's current spec).
    public func send(_ command: WorkerCommand, to id: Int64) {
        guard let machine = machines[id], !machine.isEnding, let worker = machine.worker else { return }
        guard machine.workerHasProgressed else {
            pendingCommands[id, default: []].append(command)
            return
        }
        let host = self.host
        enqueue(id) { await host.send(command, to: worker.description) }
    }

    /// Ends `worker` through its job, which starts another (an operator's remedy for a stuck worker);
    /// false when no job of this driver runs that worker now.
    public func replace(_ worker: JobWorkerID) -> Bool {
        let id = worker.job.id
        guard job(id) == worker.job, let machine = machines[id], !machine.isEnding, case .running(worker, _) = machine.state else { return false }
        feed.yield(.machine(id, .replaceRequested(worker: worker, at: clock.now)))
        return true
    }

    /// Job `id` as it stands; `nil` when there is no such job.
    public func machine(_ id: Int64) -> MediaJobMachine? { machines[id] }

    // MARK: - Running

    /// Runs the jobs for `kind` until graceful shutdown (``shutDown(suspendingJobs:)``).
    public func run(for kind: some MediaJobKind) async {
        await subscribe()
        let events = self.events ?? AsyncStream { $0.finish() }
        let (clock, interval, feed) = (self.clock, tickInterval, self.feed)
        await withDiscardingTaskGroup { group in
            group.addTask { for await event in events { feed.yield(.event(event)) } }
            group.addTask {
                while !Task.isCancelled {
                    try? await clock.sleep(for: interval)
                    feed.yield(.tick)
                }
            }
            for await input in inputs {
                switch input {
                case .event(let event): await take(event, kind: kind)
                case .machine(let id, let input):
                    await apply(input, to: id, kind: kind)
                    // A stop for a job that is over (or was let go at shutdown) has nothing to wait for.
                    if machines[id] == nil { stopWaiters.removeValue(forKey: id)?.forEach { $0.resume() } }
                case .tick:
                    let now = clock.now
                    for id in machines.keys { await apply(.tick(at: now), to: id, kind: kind) }
                    await kind.tick(at: now)
                case .workDone(let id):
                    busy.remove(id)
                case .wake:
                    break
                case .shutdown(true):
                    isShuttingDown = true
                    for id in machines.keys { await apply(.suspendRequested(at: clock.now), to: id, kind: kind) }
                case .shutdown(false):
                    // Workers are left running for the next run to adopt; jobs being stopped finish first.
                    isShuttingDown = true
                    machines = machines.filter { $0.value.isEnding }
                    for id in stopWaiters.keys where machines[id] == nil { stopWaiters.removeValue(forKey: id)?.forEach { $0.resume() } }
                }
                for id in work.keys where !busy.contains(id) { startNextWork(of: id, in: &group) }
                for launch in launches { group.addTask { await launch() } }
                launches.removeAll()
                if isShuttingDown && machines.isEmpty { break }
            }
            group.cancelAll()
        }
    }

    /// Ends the run: with `suspendingJobs`, every job's worker is ended and the job kept for the next
    /// run (recordings); without, the workers are left running for the next run to adopt (relays).
    public nonisolated func shutDown(suspendingJobs: Bool) {
        feed.yield(.shutdown(suspendingJobs: suspendingJobs))
    }

    private func take(_ event: SupervisorEvent, kind: some MediaJobKind) async {
        guard let worker = JobWorkerID(event.workerId), job(worker.job.id) == worker.job, machines[worker.job.id]?.worker == worker else { return }
        let id = worker.job.id
        switch event.kind {
        case .spawned(let pid):
            await kind.workerSpawned(job: id, worker: worker, pid: pid)
        case .report(let report):
            switch await kind.interpret(report, job: id, at: event.at) {
            case .progress:
                await apply(.progressed(worker: worker, at: clock.now), to: id, kind: kind)
                let pending = pendingCommands.removeValue(forKey: id) ?? []
                for command in pending { send(command, to: id) }
            case .error(let message):
                await apply(.reportedError(worker: worker, message: message), to: id, kind: kind)
            case .other:
                break
            }
        case .exited(let outcome):
            await apply(.workerExited(worker: worker, outcome: outcome, at: clock.now), to: id, kind: kind)
        }
    }

    private func apply(_ input: MediaJobMachine.Input, to id: Int64, kind: some MediaJobKind) async {
        guard var machine = machines[id] else { return }
        let effects = machine.handle(input)
        machines[id] = machine
        for effect in effects { await perform(effect, for: id, kind: kind) }
    }

    private func perform(_ effect: MediaJobMachine.Effect, for id: Int64, kind: some MediaJobKind) async {
        let (host, feed, logger, clock) = (self.host, self.feed, self.logger, self.clock)
        switch effect {
        case .launch(let worker):
            pendingCommands[id] = nil
            guard let spec = await kind.workerSpec(job: id, worker: worker) else {
                await apply(.launchFailed(worker: worker, reason: "the job has no worker to start", at: clock.now), to: id, kind: kind)
                return
            }
            enqueue(id) {
                do {
                    try await host.start(spec)
                } catch {
                    let reason = (error as? EngineError)?.message ?? "\(error)"
                    logger.error("worker could not start", metadata: ["pipeline.id": "\(worker)", "error": "\(reason)"])
                    feed.yield(.machine(id, .launchFailed(worker: worker, reason: reason, at: clock.now)))
                }
            }
        case .endWorker(let worker, let timeout):
            pendingCommands[id] = nil
            enqueue(id) {
                // Its exit arrives as an event, after its last reports. A worker the host does not know
                // will send none: its job must not wait for it.
                do {
                    try await host.stop(worker.description, timeout: timeout)
                } catch {
                    let outcome = WorkerOutcome(kind: .failed, termination: .exited(code: -1), reachedEndOfStream: false, lastError: (error as? EngineError)?.message ?? "\(error)")
                    feed.yield(.machine(id, .workerExited(worker: worker, outcome: outcome, at: clock.now)))
                }
            }
        case .settle(let outcome):
            pendingCommands[id] = nil
            // Settling may take seconds (hashing a part): the driver takes other inputs meanwhile, so a
            // stop arriving now reaches the machine, which carries it out once the settling is done.
            launches.append { await kind.settle(job: id, outcome: outcome); feed.yield(.machine(id, .settled(at: clock.now))) }
        case .restart(let reason, _):
            logger.info("worker ended, starting another", metadata: ["pipeline.id": "\(id)", "reason": "\(reason)"])
            await kind.restarting(job: id, reason: reason)
        case .finish(let ending):
            machines[id] = nil
            pendingCommands[id] = nil
            await kind.finished(job: id, ending: ending)
            stopWaiters.removeValue(forKey: id)?.forEach { $0.resume() }
        }
    }

    private func enqueue(_ id: Int64, _ call: @escaping @Sendable () async -> Void) {
        work[id, default: []].append(call)
        feed.yield(.wake)
    }

    private func startNextWork(of id: Int64, in group: inout DiscardingTaskGroup) {
        guard var calls = work[id], !calls.isEmpty else {
            work[id] = nil
            return
        }
        let call = calls.removeFirst()
        work[id] = calls.isEmpty ? nil : calls
        busy.insert(id)
        let feed = self.feed
        group.addTask {
            await call()
            feed.yield(.workDone(id))
        }
    }
}
