import CascadeCore

/// Errors of the engine, each with a stable code and a message for people.
public typealias EngineError = CodedError<EngineErrorCode>

/// The kinds of errors of the engine.
public enum EngineErrorCode: String, ErrorCode {
    /// The worker executable could not be started.
    case spawnFailed = "spawn-failed"
    /// The worker did not open its control channel in time.
    case connectionFailed = "connection-failed"
    /// No worker has this id.
    case unknownWorker = "unknown-worker"
    /// A worker with this id already runs.
    case duplicateWorker = "duplicate-worker"
    /// The supervisor is shutting down and takes no new workers.
    case shuttingDown = "shutting-down"
}
