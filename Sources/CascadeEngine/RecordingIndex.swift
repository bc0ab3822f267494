import CascadeCore
import Foundation

/// Where the recording service keeps its index: the embedded database, wired by the composition root.
public protocol RecordingIndex: Sendable {
    /// Registers a recording; returns its id.
    func createRecording(meetingId: String?, source: String, sourceURI: String, partSeconds: Int, actor: String) throws -> Int64
    /// A part opened (and any open gap before it closes).
    func partOpened(recording: Int64, index: Int, at time: Date) throws
    /// A part's measured facts and final state.
    func partFinished(recording: Int64, part: RecordingPart) throws
    /// Media stopped at `time`.
    func openGap(recording: Int64, at time: Date, reason: String) throws
    /// The recording ended.
    func finishRecording(_ id: Int64, state: Recording.State, reason: String?, actor: String) throws
    /// One recording.
    func recording(_ id: Int64) throws -> Recording?
    /// Recordings still marked recording, with the source to resume from.
    func activeRecordings() throws -> [(recording: Recording, sourceURI: String)]
    /// An audit entry (alarms).
    func appendAudit(actor: String, action: String, target: String?, details: String?) throws
}

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
