import CascadeCore
import Foundation
import GRDB

/// A row of `meeting`: a single booking.
struct MeetingRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "meeting"
    var id: Int64?
    var startAt: Date
    var endAt: Date
    var windowStart: Date
    var state: String
    var details: MeetingDetails
    var searchText: String
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    func meeting(hallIds: [String]) -> Meeting {
        Meeting(id: "m\(id ?? 0)", details: details, start: startAt, end: endAt, state: MeetingState(rawValue: state) ?? .booked, hallIds: hallIds)
    }
}

/// A row of `series`.
struct SeriesRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "series"
    var id: Int64?
    var firstDate: String
    var lastDate: String?
    var startTime: String
    var durationMinutes: Int
    var zone: String
    var rule: Recurrence
    var state: String
    var details: MeetingDetails
    var searchText: String
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `seriesException`.
struct SeriesExceptionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "seriesException"
    var seriesId: Int64
    var occurrenceDate: String
    var kind: String
    var startAt: Date?
    var endAt: Date?
}

extension MeetingDetails {
    /// Title, chair and notes folded for search.
    public var searchText: String { VietnameseFolding.fold([title, chair, notes].joined(separator: " ")) }
}

extension Series {
    /// The date of the last occurrence, or `nil` for a series without end.
    var lastDate: LocalDate? {
        if let until = rule.until { return until }
        guard rule.count != nil else { return nil }
        var last: LocalDate?
        for date in rule.dates(startingOn: firstDate) { last = date }
        return last
    }
}
