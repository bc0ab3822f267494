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
    /// "launching", "running", "stopping" or "exited".
    public var state: String
    /// The pipeline's GStreamer state while running ("PLAYING", …).
    public var pipelineState: String?
    /// When it was spawned.
    public var startedAt: Date
    /// How it ended, once it has.
    public var outcome: WorkerOutcome?
    /// The latest statistics report.
    public var statistics: [String: PropertyValue]?
}

/// Something a supervised worker did, for logs, the audit trail and live views.
public struct SupervisorEvent: Sendable {
    /// The worker concerned.
    public var workerId: String
    /// What happened.
    public var kind: Kind
    /// When the supervisor saw it.
    public var at: Date

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
