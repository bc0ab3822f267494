import CascadeCore

/// Errors of the recording service that callers must tell apart.
public typealias RecordingError = CodedError<RecordingErrorCode>

/// The kinds of errors of the recording service.
public enum RecordingErrorCode: String, ErrorCode {
    /// Not enough free disk space to start.
    case insufficientStorage = "insufficient-storage"
    /// No such recording.
    case unknownRecording = "unknown-recording"
    /// The source is not one Cascade can record.
    case invalidSource = "invalid-source"
    /// The index or the recordings folder could not be written.
    case unavailable = "unavailable"

    /// No room 507, missing 404, bad source 422, unavailable 503.
    public var status: Int {
        switch self {
        case .insufficientStorage: 507
        case .unknownRecording: 404
        case .invalidSource: 422
        case .unavailable: 503
        }
    }

    /// The source, for a source Cascade cannot record.
    public var field: String? { self == .invalidSource ? "source" : nil }
}
