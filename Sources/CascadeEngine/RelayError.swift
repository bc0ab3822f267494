import CascadeCore

/// Errors of the relay service that callers must tell apart.
public typealias RelayError = CodedError<RelayErrorCode>

/// The kinds of errors of the relay service.
public enum RelayErrorCode: String, ErrorCode {
    /// The source URI is malformed or of an unsupported kind.
    case invalidSource = "invalid-source"
    /// No such relay (or it is not running).
    case unknownRelay = "unknown-relay"
    /// The hall is not in the configuration.
    case unknownHall = "unknown-hall"
    /// The hall is already in, or not in, the relay.
    case hallConflict = "hall-conflict"
    /// No free listener port, or the requested one is taken.
    case portUnavailable = "port-unavailable"
    /// The relay's worker could not be started.
    case startFailed = "start-failed"
}
