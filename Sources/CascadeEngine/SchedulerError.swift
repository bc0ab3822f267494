import CascadeCore

/// Errors of the meeting scheduler that callers must tell apart.
public typealias SchedulerError = CodedError<SchedulerErrorCode>

/// The kinds of errors of the scheduler.
public enum SchedulerErrorCode: String, ErrorCode {
    /// The meeting has no run in this scheduler (not started, already over, or held elsewhere).
    case notRunning = "not-running"
    /// The meeting's feed has no backup to switch to.
    case noBackup = "no-backup"
    /// The relay did not take the change.
    case mediaRefused = "media-refused"

    /// Not running or no backup 409, a relay that refused the change 503.
    public var status: Int {
        switch self {
        case .notRunning, .noBackup: 409
        case .mediaRefused: 503
        }
    }
}
