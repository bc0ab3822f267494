import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation

/// The database as the archive keeper's catalogue.
public struct ArchiveLedger: ArchiveCatalogue {
    let database: AppDatabase

    /// The catalogue of `database`.
    public init(database: AppDatabase) { self.database = database }

    public func retainedRecordings() throws -> [RetainedRecording] { try database.retainedRecordings() }

    public func markRecordingDeleted(_ id: Int64, reason: String, actor: String, at time: Date) throws {
        try database.markRecordingDeleted(id, reason: reason, actor: actor, at: time)
    }

    public func partsToVerify() throws -> [(recordingId: Int64, part: RecordingPart)] { try database.partsToVerify() }

    public func recordPartCheck(recording: Int64, part: Int, problem: String?, at time: Date) throws {
        try database.recordPartCheck(recording: recording, part: part, problem: problem, at: time)
    }
}
