import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation

/// The database as the archive keeper's catalogue.
struct ArchiveLedger: ArchiveCatalogue {
    let database: AppDatabase

    func retainedRecordings() throws -> [RetainedRecording] { try database.retainedRecordings() }

    func markRecordingDeleted(_ id: Int64, reason: String, actor: String, at time: Date) throws {
        try database.markRecordingDeleted(id, reason: reason, actor: actor, at: time)
    }

    func partsToVerify() throws -> [(recordingId: Int64, part: RecordingPart)] { try database.partsToVerify() }

    func recordPartCheck(recording: Int64, part: Int, problem: String?, at time: Date) throws {
        try database.recordPartCheck(recording: recording, part: part, problem: problem, at: time)
    }
}
