/// Errors of the meeting scheduler that callers must tell apart.
public struct SchedulerError: Error, Sendable, CustomStringConvertible {
    /// Stable code.
    public enum Code: String, Sendable {
        /// The meeting has no run in this scheduler (not started, already over, or held elsewhere).
        case notRunning = "not-running"
        /// The meeting's feed has no backup to switch to.
        case noBackup = "no-backup"
        /// The relay did not take the change.
        case mediaRefused = "media-refused"
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
