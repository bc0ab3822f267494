import CascadeCore
import CascadeMedia
import Foundation

/// What a kind of media job — relays, recordings — tells the ``MediaJobDriver``: the worker to start,
/// what a report means, what to finish when a worker ends, and what to record when the job ends.
/// The driver keeps each job's life (``MediaJobMachine``); the kind keeps what is its own (a relay's
/// halls and figures, a recording's parts).
public protocol MediaJobKind: Actor {
    /// The worker to start as `worker` for job `job`; `nil` when the job cannot start one.
    func workerSpec(job: Int64, worker: JobWorkerID) -> WorkerSpec?
    /// Takes a report from the job's current worker and says whether it proves the worker works.
    func interpret(_ report: WorkerReport, job: Int64, at now: Date) async -> MediaJobReport
    /// The worker's process exists (relays keep its pid for the next server run).
    func workerSpawned(job: Int64, worker: JobWorkerID, pid: Int32)
    /// Finishes what an exited worker left (a part to measure, halls' connections to close).
    func settle(job: Int64, outcome: WorkerOutcome) async
    /// Another worker will start for `reason`.
    func restarting(job: Int64, reason: String)
    /// The job is over.
    func finished(job: Int64, ending: MediaJobMachine.Ending)
    /// Time passed (figures to write, the disk to check).
    func tick(at now: Date) async
}

/// What a worker's report means to its job.
public enum MediaJobReport: Sendable, Equatable {
    /// The worker works (a relay's statistics, a recorder's new part).
    case progress
    /// Something failed in the worker; the reason if it ends.
    case error(String)
    /// Nothing the job's life depends on.
    case other
}
