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
    /// The address a worker was asked to send to is not one it can use.
    case invalidAddress = "invalid-address"

    /// An unknown worker 404, a duplicate 409, a bad address 422, a worker that cannot start or a
    /// server shutting down 503.
    public var status: Int {
        switch self {
        case .unknownWorker: 404
        case .duplicateWorker: 409
        case .invalidAddress: 422
        case .spawnFailed, .connectionFailed, .shuttingDown: 503
        }
    }

    /// The output, for an address a worker cannot use.
    public var field: String? { self == .invalidAddress ? "output" : nil }
}
