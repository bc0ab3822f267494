import CascadeCore
import CascadeMedia
import Foundation

/// A worker as the API shows it.
public struct WorkerSnapshot: Sendable, Codable, Equatable {
    /// The worker's id.
    public var id: String
    /// What it is for.
    public var purpose: String
    /// Process id.
    public var pid: Int32
    /// Where a worker's process is.
    public enum State: String, Sendable, Codable {
        /// Spawned; its control channel is not connected yet.
        case launching
        /// Connected and running its pipeline.
        case running
        /// Asked to stop, not exited yet.
        case stopping
        /// Its process has exited.
        case exited
    }

    /// Where the worker's process is.
    public var state: State
    /// The pipeline's GStreamer state while running ("PLAYING", …).
    public var pipelineState: String?
    /// When it was spawned.
    public var startedAt: Date
    /// How it ended, once it has.
    public var outcome: WorkerOutcome?
    /// The latest statistics report.
    public var statistics: [String: PropertyValue]?

    /// Creates a snapshot.
    public init(id: String, purpose: String, pid: Int32, state: State, pipelineState: String? = nil, startedAt: Date,
                outcome: WorkerOutcome? = nil, statistics: [String: PropertyValue]? = nil) {
        (self.id, self.purpose, self.pid, self.state, self.pipelineState) = (id, purpose, pid, state, pipelineState)
        (self.startedAt, self.outcome, self.statistics) = (startedAt, outcome, statistics)
    }
}

/// Something a supervised worker did, for logs, the audit trail and live views.
public struct SupervisorEvent: Sendable {
    /// The worker concerned.
    public var workerId: String
    /// What happened.
    public var kind: Kind
    /// When the supervisor saw it.
    public var at: Date

    /// Creates an event (a worker host other than the supervisor reports its workers' events this way).
    public init(workerId: String, kind: Kind, at: Date) {
        self.workerId = workerId
        self.kind = kind
        self.at = at
    }

    /// The kinds of event.
    public enum Kind: Sendable {
        /// The process was spawned.
        case spawned(pid: Int32)
        /// A report arrived from the worker.
        case report(WorkerReport)
        /// The process ended.
        case exited(WorkerOutcome)
    }
}
