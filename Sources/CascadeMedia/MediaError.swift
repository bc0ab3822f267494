import CascadeCore

/// Errors of the media layer, each with a stable code and a message for people.
public typealias MediaError = CodedError<MediaErrorCode>

/// The kinds of errors of the media layer.
public enum MediaErrorCode: String, ErrorCode {
    /// The pipeline description could not be parsed or an element is missing.
    case invalidPipeline = "invalid-pipeline"
    /// A source or destination URI is malformed or of an unsupported kind.
    case invalidSource = "invalid-source"
    /// The pipeline refused to start.
    case startFailed = "start-failed"
    /// A socket operation failed.
    case socket = "socket"
    /// A control message could not be read or written.
    case protocolViolation = "protocol"

    /// Bad input 422; a failure inside the server 500 (its message, which may name paths, stays in the log).
    public var status: Int {
        switch self {
        case .invalidPipeline, .invalidSource: 422
        case .startFailed, .socket, .protocolViolation: 500
        }
    }
}
