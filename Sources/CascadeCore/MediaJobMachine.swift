import Foundation

/// The life of one supervised media job — a relay or a recording — as a value that takes inputs and
/// returns effects: a worker is launched, shows progress (a relay's statistics, a recorder's part),
/// is replaced with backoff when it ends or falls silent, and the job ends stopped, failed or
/// suspended (the server shutting down; the next run takes it up again).
///
/// Every worker that ends passes through ``State/settling(_:)``: whatever it left (a part to hash,
/// halls' connections to close) is finished there, and a stop that arrives meanwhile is an input like
/// any other, carried out once ``Input/settled(at:)`` says the settling is done. The machine holds no
/// clock: each input brings the time, so restart, backoff and silence are tested on a manual clock.
public struct MediaJobMachine: Sendable {
    /// How a kind of job is kept going.
    public struct Policy: Sendable, Equatable {
        /// Waits before starting another worker: the first after a worker that worked, then one per
        /// worker in a row that ended without progress (the last value repeats).
        public var restartBackoff: [Duration]
        /// A worker that shows no progress for this long is asked to end and is replaced; `nil`: never.
        public var silenceLimit: Duration?
        /// Whether the silence limit still applies once the worker has shown progress (relay workers
        /// report every second; a recorder shows progress only when a part opens).
        public var watchesSilenceAfterProgress: Bool
        /// The job fails when it has shown no progress at all this long after it started; `nil`: never.
        public var firstProgressDeadline: Duration?
        /// What the job lacks when it misses that deadline, e.g. "no media from the source".
        public var lackOfProgress: String
        /// The job fails after this many workers in a row ended without progress; `nil`: never.
        public var maxFailedStarts: Int?
        /// How long a worker asked to end gets before it is killed (a recorder finishing its part).
        public var stopTimeout: Duration
        /// How long a silent worker asked to end gets before it is killed (it is likely stuck).
        public var silenceStopTimeout: Duration

        /// Creates a policy.
        public init(
            restartBackoff: [Duration], silenceLimit: Duration? = nil, watchesSilenceAfterProgress: Bool = true,
            firstProgressDeadline: Duration? = nil, lackOfProgress: String = "no progress", maxFailedStarts: Int? = nil,
            stopTimeout: Duration = .seconds(3), silenceStopTimeout: Duration = .seconds(1)
        ) {
            self.restartBackoff = restartBackoff.isEmpty ? [.zero] : restartBackoff
            self.silenceLimit = silenceLimit
            self.watchesSilenceAfterProgress = watchesSilenceAfterProgress
            self.firstProgressDeadline = firstProgressDeadline
            self.lackOfProgress = lackOfProgress
            self.maxFailedStarts = maxFailedStarts
            self.stopTimeout = stopTimeout
            self.silenceStopTimeout = silenceStopTimeout
        }
    }

    /// Where the job is.
    public enum State: Sendable, Equatable {
        /// No worker; one is started once `until` has passed (restarting with backoff, or new).
        case waiting(until: Date)
        /// A worker runs; `lastProgress` is when it last showed progress (or was launched).
        case running(worker: JobWorkerID, lastProgress: Date)
        /// The worker was asked to end (a stop, a failure, silence, a shutdown) and has not exited yet.
        case ending(worker: JobWorkerID)
        /// The worker exited; what it left is being finished.
        case settling(WorkerOutcome)
        /// The job is over.
        case finished(Ending)
    }

    /// Where the job is, as operators see it.
    public enum Phase: String, Sendable, Codable {
        /// Its first worker is starting and has not shown progress yet.
        case starting
        /// Its worker works.
        case running
        /// A worker ended; another one starts (or is starting).
        case restarting
        /// It is being stopped (or has ended).
        case stopping
    }

    /// How a job ended.
    public enum Ending: Sendable, Equatable {
        /// Someone stopped it (`reason` is `nil` for an ordinary stop).
        case stopped(reason: String?, actor: String)
        /// It could not be kept going.
        case failed(reason: String)
        /// The server shut down; the next run takes the job up again.
        case suspended
    }

    /// Something that happened to the job.
    public enum Input: Sendable, Equatable {
        /// Time passed (deadlines and due restarts are checked).
        case tick(at: Date)
        /// The worker showed progress (a report that proves it works).
        case progressed(worker: JobWorkerID, at: Date)
        /// The worker reported an error; kept as the reason if it ends.
        case reportedError(worker: JobWorkerID, message: String)
        /// The worker could not be launched at all.
        case launchFailed(worker: JobWorkerID, reason: String, at: Date)
        /// The worker's process exited.
        case workerExited(worker: JobWorkerID, outcome: WorkerOutcome, at: Date)
        /// What the exited worker left is finished.
        case settled(at: Date)
        /// Someone asked the job to stop.
        case stopRequested(reason: String?, actor: String, at: Date)
        /// The server is shutting down: end the worker, keep the job for the next run.
        case suspendRequested(at: Date)
        /// An operator asked for the worker to be replaced (it looks stuck): end it, start another.
        case replaceRequested(worker: JobWorkerID, at: Date)
    }

    /// Something the driver must do.
    public enum Effect: Sendable, Equatable {
        /// Start a worker with this id for the job's current recipe.
        case launch(JobWorkerID)
        /// Ask the worker to end, killing it after `timeout`.
        case endWorker(JobWorkerID, timeout: Duration)
        /// Finish what the exited worker left, then send ``Input/settled(at:)``.
        case settle(WorkerOutcome)
        /// A worker will be started again at `at`, for `reason`.
        case restart(reason: String, at: Date)
        /// The job is over.
        case finish(Ending)
    }

    /// The job these workers run.
    public let job: JobWorkerID.Job
    /// The policy.
    public let policy: Policy
    /// The current state.
    public private(set) var state: State
    /// Workers started so far (the next worker's attempt number).
    public private(set) var attempts: Int
    /// Workers that ended so far and were replaced.
    public private(set) var restarts = 0
    /// Whether any worker of this job has shown progress.
    public private(set) var hasProgressed: Bool
    private let startedAt: Date
    private var failedStarts = 0
    private var workerProgressed = false
    /// The current worker is being replaced at an operator's request: its end is no failed start.
    private var isReplacingWorker = false
    private var lastError: String?
    /// What the job should become once no worker runs; `nil` while it should keep running.
    private var intent: Ending?

    /// A new job (or one taken up again whose worker is gone), started at the first tick from `now`.
    public init(job: JobWorkerID.Job, policy: Policy, at now: Date, attempts: Int = 0, hasProgressed: Bool = false) {
        self.job = job
        self.policy = policy
        self.attempts = attempts
        self.hasProgressed = hasProgressed
        startedAt = now
        state = .waiting(until: now)
    }

    /// A job whose worker an earlier server run started and this run re-attached to.
    public init(job: JobWorkerID.Job, policy: Policy, adopting worker: JobWorkerID, at now: Date) {
        self.init(job: job, policy: policy, at: now, attempts: worker.attempt + 1, hasProgressed: true)
        workerProgressed = true
        state = .running(worker: worker, lastProgress: now)
    }

    /// The worker that runs now (or is ending), if any.
    public var worker: JobWorkerID? {
        switch state {
        case .running(let worker, _), .ending(let worker): worker
        case .waiting, .settling, .finished: nil
        }
    }

    /// Whether the current worker has shown progress (changes sent to it now reach a working pipeline).
    public var workerHasProgressed: Bool {
        if case .running = state { return workerProgressed }
        return false
    }

    /// Where the job is, as operators see it.
    public var phase: Phase {
        if isEnding { return .stopping }
        switch state {
        case .waiting: return attempts == 0 ? .starting : .restarting
        case .running: return workerProgressed ? .running : .starting
        case .ending, .settling: return .restarting
        case .finished: return .stopping
        }
    }

    /// Whether the job is being ended (stopped, failed or suspended) or is over.
    public var isEnding: Bool { intent != nil }

    /// Applies an input and returns what to do.
    public mutating func handle(_ input: Input) -> [Effect] {
        if case .finished = state { return [] }
        switch input {
        case .tick(let now):
            return tick(now)
        case .progressed(let worker, let now):
            guard case .running(worker, _) = state else { return [] }
            state = .running(worker: worker, lastProgress: now)
            hasProgressed = true
            workerProgressed = true
            failedStarts = 0
            return []
        case .reportedError(let worker, let message):
            if self.worker == worker { lastError = message }
            return []
        case .launchFailed(let worker, let reason, let now):
            guard self.worker == worker else { return [] }
            lastError = reason
            failedStarts += 1
            return afterWorker(reason: reason, at: now)
        case .workerExited(let worker, let outcome, _):
            guard self.worker == worker else { return [] }
            if !workerProgressed && !isReplacingWorker { failedStarts += 1 }
            if let error = outcome.lastError { lastError = error }
            state = .settling(outcome)
            return [.settle(outcome)]
        case .settled(let now):
            guard case .settling(let outcome) = state else { return [] }
            return afterWorker(reason: lastError ?? "\(outcome.termination)", at: now)
        case .stopRequested(let reason, let actor, _):
            return end(as: .stopped(reason: reason, actor: actor))
        case .suspendRequested:
            return end(as: .suspended)
        case .replaceRequested(let worker, _):
            guard intent == nil, case .running(worker, _) = state else { return [] }
            lastError = "replaced at an operator's request"
            isReplacingWorker = true
            state = .ending(worker: worker)
            return [.endWorker(worker, timeout: policy.stopTimeout)]
        }
    }

    /// Marks the job to end as `ending` (an earlier stop or failure wins) and ends its worker.
    private mutating func end(as ending: Ending) -> [Effect] {
        if intent == nil { intent = ending }
        switch state {
        case .waiting:
            state = .finished(intent!)
            return [.finish(intent!)]
        case .running(let worker, _):
            state = .ending(worker: worker)
            // A job that failed has a worker that does nothing worth waiting for.
            let timeout = if case .failed = ending { policy.silenceStopTimeout } else { policy.stopTimeout }
            return [.endWorker(worker, timeout: timeout)]
        case .ending, .settling, .finished:
            return []
        }
    }

    /// The worker is gone (its leftovers finished): end the job as intended, give up, or start another.
    private mutating func afterWorker(reason: String, at now: Date) -> [Effect] {
        if let intent {
            state = .finished(intent)
            return [.finish(intent)]
        }
        if let limit = policy.maxFailedStarts, failedStarts >= limit {
            let ending = Ending.failed(reason: "giving up after \(failedStarts) failed starts: \(reason)")
            state = .finished(ending)
            return [.finish(ending)]
        }
        let backoff = policy.restartBackoff[min(failedStarts, policy.restartBackoff.count - 1)]
        let due = now.adding(backoff)
        restarts += 1
        state = .waiting(until: due)
        return [.restart(reason: reason, at: due)]
    }

    private mutating func tick(_ now: Date) -> [Effect] {
        if intent == nil, !hasProgressed, let deadline = policy.firstProgressDeadline, now >= startedAt.adding(deadline) {
            let reason = "\(policy.lackOfProgress) within \(deadline)" + (lastError.map { ": \($0)" } ?? "")
            return end(as: .failed(reason: reason))
        }
        switch state {
        case .waiting(let until) where intent == nil && now >= until:
            let worker = JobWorkerID(job, attempt: attempts)
            attempts += 1
            workerProgressed = false
            isReplacingWorker = false
            state = .running(worker: worker, lastProgress: now)
            return [.launch(worker)]
        case .running(let worker, let lastProgress):
            let progressed = workerProgressed
            guard let limit = policy.silenceLimit, !progressed || policy.watchesSilenceAfterProgress,
                  now >= lastProgress.adding(limit) else { return [] }
            lastError = progressed ? "the worker stopped reporting for \(limit)" : "\(policy.lackOfProgress) for \(limit)"
            state = .ending(worker: worker)
            return [.endWorker(worker, timeout: policy.silenceStopTimeout)]
        default:
            return []
        }
    }
}

extension Date {
    /// This date moved on by `duration`, to the millisecond (deadlines then compare exactly with times
    /// counted in milliseconds, as a manual clock's are).
    public func adding(_ duration: Duration) -> Date {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return Date(timeIntervalSince1970: ((timeIntervalSince1970 * 1000).rounded() + Double(milliseconds)) / 1000)
    }
}
