import CascadeCore
import CascadeStore
import Foundation

/// The JSON body of `POST /api/v1/meetings` and `PATCH /api/v1/meetings/{id}`; every field optional
/// here, required ones are checked where they are needed so the error names them.
struct MeetingBody: Decodable {
    var title: String?
    var organiserUnitId: String?
    var chair: String?
    var start: String?
    var end: String?
    var zone: String?
    var halls: [String]?
    var hallsOfUnit: String?
    var rehearsalMinutes: Int?
    var record: Bool?
    var classification: String?
    var notes: String?
    var bitrateKbps: Int?
    var origin: String?
    var recurrence: RecurrenceBody?
    var state: String?
    var scope: String?

    static let creationFields: Set<String> = [
        "title", "organiserUnitId", "chair", "start", "end", "zone", "halls", "hallsOfUnit", "rehearsalMinutes",
        "record", "classification", "notes", "bitrateKbps", "origin", "recurrence",
    ]
    static let changeFields: Set<String> = creationFields.subtracting(["recurrence"]).union(["state", "scope"])

    /// The zone the times are in.
    func timeZone(default fallback: TimeZone) throws -> TimeZone {
        guard let name = zone else { return fallback }
        guard let zone = TimeZone(identifier: name) else { throw Problem.unprocessable("unknown time zone \"\(name)\"", field: "zone") }
        return zone
    }

    /// The details of a new meeting.
    func newDetails(rules: BookingRules) throws -> MeetingDetails {
        guard let title else { throw Problem.badRequest("field \"title\" is required", field: "title") }
        guard let organiserUnitId else { throw Problem.badRequest("field \"organiserUnitId\" is required", field: "organiserUnitId") }
        let base = MeetingDetails(
            title: title, organiserUnitId: organiserUnitId, halls: HallSelection(),
            rehearsalMinutes: rules.defaultRehearsalMinutes, bitrateKbps: rules.defaultBitrateKbps
        )
        return try applied(to: base)
    }

    /// `details` with the fields this body carries.
    func applied(to details: MeetingDetails) throws -> MeetingDetails {
        var result = details
        if let title { result.title = title.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let organiserUnitId { result.organiserUnitId = organiserUnitId }
        if let chair { result.chair = chair }
        if halls != nil || hallsOfUnit != nil {
            result.halls = HallSelection(hallIds: halls ?? [], subtreeUnitId: hallsOfUnit)
        }
        if let rehearsalMinutes { result.rehearsalMinutes = rehearsalMinutes }
        if let record { result.isRecorded = record }
        if let origin { result.origin = origin.isEmpty ? nil : origin }
        if let classification {
            guard let value = Classification(rawValue: classification) else {
                throw Problem.unprocessable("classification must be public, internal or confidential", field: "classification")
            }
            result.classification = value
        }
        if let notes { result.notes = notes }
        if let bitrateKbps { result.bitrateKbps = bitrateKbps }
        return result
    }

    /// Whether the body changes anything but the time.
    var changesMoreThanTime: Bool {
        title != nil || organiserUnitId != nil || chair != nil || halls != nil || hallsOfUnit != nil || rehearsalMinutes != nil
            || record != nil || classification != nil || notes != nil || bitrateKbps != nil || origin != nil || state != nil
    }
}

/// `recurrence` in a booking body.
struct RecurrenceBody: Decodable {
    var frequency: String
    var interval: Int?
    var weekdays: [Int]?
    var monthDay: Int?
    var ordinalWeekday: Recurrence.OrdinalWeekday?
    var until: String?
    var count: Int?

    /// The rule, validated against its first date.
    func rule(startingOn first: LocalDate) throws -> Recurrence {
        guard let frequency = Recurrence.Frequency(rawValue: frequency) else {
            throw Problem.unprocessable("frequency must be daily, weekly, monthly or yearly", field: "recurrence.frequency")
        }
        let untilDate = try until.map { text in
            guard let date = LocalDate(text) else { throw Problem.badRequest("until \"\(text)\" is not a date (yyyy-MM-dd)", field: "recurrence.until") }
            return date
        }
        let rule = Recurrence(frequency: frequency, interval: interval ?? 1, weekdays: weekdays ?? [], monthDay: monthDay,
                              ordinalWeekday: ordinalWeekday, until: untilDate, count: count)
        if let problem = rule.problem(startingOn: first) { throw Problem.unprocessable(problem.reason, field: problem.field) }
        return rule
    }
}
