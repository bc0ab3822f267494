/// Errors of the media layer, each with a stable code and a message for people.
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    public enum Code: String, Sendable {
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
