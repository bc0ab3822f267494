import Foundation

/// A change to one occurrence of a series.
public enum SeriesException: Sendable, Hashable, Codable {
    /// This occurrence does not take place.
    case cancelled
    /// This occurrence takes place at another time.
    case moved(start: Date, end: Date)
}

/// A recurring meeting ("giao ban" every Monday 07:30): occurrences are computed, never stored,
/// so a series without end costs nothing until someone looks at a range of it.
public struct Series: Sendable, Hashable {
    /// Database id.
    public var id: Int64
    /// What every occurrence carries.
    public var details: MeetingDetails
    /// The date of the first occurrence (local).
    public var firstDate: LocalDate
    /// The wall-clock start; occurrences keep it across time-zone offset changes.
    public var startTime: LocalTime
    /// Length of each occurrence.
    public var durationMinutes: Int
    /// The zone the wall-clock time is in.
    public var zone: TimeZone
    /// The repetition rule.
    public var rule: Recurrence
    /// Per-occurrence changes, by the occurrence's original date.
    public var exceptions: [LocalDate: SeriesException]
    /// Whether the whole series is cancelled.
    public var isCancelled: Bool
    /// The halls resolved from the selection.
    public var hallIds: [String]

    /// Creates a series.
    public init(id: Int64, details: MeetingDetails, firstDate: LocalDate, startTime: LocalTime, durationMinutes: Int, zone: TimeZone,
                rule: Recurrence, exceptions: [LocalDate: SeriesException] = [:], isCancelled: Bool = false, hallIds: [String]) {
        self.id = id
        self.details = details
        self.firstDate = firstDate
        self.startTime = startTime
        self.durationMinutes = durationMinutes
        self.zone = zone
        self.rule = rule
        self.exceptions = exceptions
        self.isCancelled = isCancelled
        self.hallIds = hallIds
    }

    /// The id of the occurrence originally on `date`.
    public func occurrenceId(_ date: LocalDate) -> String { "s\(id)-\(date)" }

    /// Whether the rule produces an occurrence on `date`.
    public func isOccurrence(_ date: LocalDate) -> Bool {
        for candidate in rule.dates(startingOn: firstDate) {
            if candidate == date { return true }
            if candidate > date { return false }
        }
        return false
    }

    /// The occurrence originally on `date` (moved or cancelled as its exception says), or `nil`.
    public func occurrence(on date: LocalDate) -> Meeting? {
        isOccurrence(date) ? makeOccurrence(date) : nil
    }

    /// Every occurrence whose window (rehearsal to end) overlaps `range`, cancelled ones included,
    /// in time order. Expansion stops at the range's end.
    public func occurrences(overlapping range: Window) -> [Meeting] {
        let wallClock = Zone(zone)
        let lead = Double(details.rehearsalMinutes) * 60
        var result: [Meeting] = []
        // Start a day before the range, less the rehearsal and the meeting's own length, in local dates.
        let earliest = wallClock.local(range.start.addingTimeInterval(-lead - Double(durationMinutes) * 60 - 86400)).date
        for date in rule.dates(startingOn: firstDate, notBefore: earliest) {
            if wallClock.instant(date, startTime).addingTimeInterval(-lead) >= range.end { break }
            if case .moved = exceptions[date] { continue }
            let meeting = makeOccurrence(date, wallClock: wallClock)
            if meeting.window.intersection(range) != nil { result.append(meeting) }
        }
        // A moved occurrence may now fall inside the range although its original date does not.
        for (date, exception) in exceptions {
            guard case .moved = exception, isOccurrence(date) else { continue }
            let meeting = makeOccurrence(date, wallClock: wallClock)
            if meeting.window.intersection(range) != nil { result.append(meeting) }
        }
        return result.sorted { $0.start < $1.start }
    }

    private func makeOccurrence(_ date: LocalDate, wallClock: Zone? = nil) -> Meeting {
        let start = (wallClock ?? Zone(zone)).instant(date, startTime)
        var meeting = Meeting(
            id: occurrenceId(date), seriesId: id, details: details, start: start,
            end: start.addingTimeInterval(Double(durationMinutes) * 60),
            state: isCancelled ? .cancelled : .booked, hallIds: hallIds
        )
        switch exceptions[date] {
        case .cancelled: meeting.state = .cancelled
        case .moved(let start, let end):
            meeting.start = start
            meeting.end = end
        case nil: break
        }
        return meeting
    }
}

/// A meeting id as the API takes it: a single meeting or one occurrence of a series.
public enum MeetingReference: Sendable, Hashable {
    /// `m<number>`.
    case single(Int64)
    /// `s<number>-<yyyy-MM-dd>`.
    case occurrence(seriesId: Int64, date: LocalDate)

    /// Parses an id; `nil` when it is neither form.
    /// Only the canonical spelling is accepted (`m7`, never `m07` or `m+7`): the id is stored and
    /// compared as text, so two spellings of one meeting would be two meetings to holds and searches.
    public init?(_ text: String) {
        if text.hasPrefix("m"), let id = Self.number(text.dropFirst()) {
            self = .single(id)
        } else if text.hasPrefix("s"), let dash = text.firstIndex(of: "-"),
                  let seriesId = Self.number(text[text.index(after: text.startIndex)..<dash]),
                  let date = LocalDate(String(text[text.index(after: dash)...])), "s\(seriesId)-\(date)" == text {
            self = .occurrence(seriesId: seriesId, date: date)
        } else {
            return nil
        }
    }

    /// A positive number written in digits without a leading zero.
    private static func number(_ digits: Substring) -> Int64? {
        guard let first = digits.first, first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }

    /// The canonical id.
    public var id: String {
        switch self {
        case .single(let id): "m\(id)"
        case .occurrence(let seriesId, let date): "s\(seriesId)-\(date)"
        }
    }
}
