/// Errors of the recording service that callers must tell apart.
public struct RecordingError: Error, Sendable, CustomStringConvertible {
    /// Stable code.
    public enum Code: String, Sendable {
        /// Not enough free disk space to start.
        case insufficientStorage = "insufficient-storage"
        /// No such recording.
        case unknownRecording = "unknown-recording"
        /// The source is not one Cascade can record.
        case invalidSource = "invalid-source"
        /// The index or the recordings folder could not be written.
        case unavailable = "unavailable"
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
