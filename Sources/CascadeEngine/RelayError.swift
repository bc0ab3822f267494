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

    /// Bad source or hall 422, missing relay 404, a clash 409, a worker that cannot start 503.
    public var status: Int {
        switch self {
        case .invalidSource, .unknownHall: 422
        case .unknownRelay: 404
        case .hallConflict, .portUnavailable: 409
        case .startFailed: 503
        }
    }

    /// The source or the halls, when they are at fault.
    public var field: String? {
        switch self {
        case .invalidSource: "source"
        case .unknownHall: "halls"
        default: nil
        }
    }
}
