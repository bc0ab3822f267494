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
