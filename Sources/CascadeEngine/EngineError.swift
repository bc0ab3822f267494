/// Errors of the engine, each with a stable code and a message for people.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    public enum Code: String, Sendable {
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

    /// The code.
    public var code: Code
    /// The message.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
