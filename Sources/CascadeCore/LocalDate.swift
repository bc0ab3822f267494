import Foundation

/// A calendar date without a time or zone, as the secretariat enters it ("2026-12-07").
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Year.
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of the month, 1–31.
    public var day: Int

    /// Creates a date; `nil` when it does not exist (e.g. 2027-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...LocalDate.daysIn(year: year, month: month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `yyyy-MM-dd`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `yyyy-MM-dd`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for arithmetic.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var weekday: Int {
        let monday = ((dayNumber + 3) % 7 + 7) % 7  // 1970-01-01 was a Thursday
        return monday + 1
    }

    /// Whether `year` has a 29 February.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Days in a month.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Orders by day.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    /// Decodes from `yyyy-MM-dd`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a date (yyyy-MM-dd)"))
        }
        self = date
    }

    /// Encodes as `yyyy-MM-dd`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A wall-clock time of day ("07:30").
public struct LocalTime: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Hour, 0–23.
    public var hour: Int
    /// Minute, 0–59.
    public var minute: Int

    /// Creates a time; `nil` when out of range.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// `HH:mm`.
    public var description: String { String(format: "%02d:%02d", hour, minute) }

    /// Minutes since midnight.
    public var minutesOfDay: Int { hour * 60 + minute }
}

/// Conversions between UTC instants and wall-clock dates in a zone.
///
/// Uses the zone's offset directly rather than `Calendar`, which is slow on Linux: series
/// expansion and slot search convert thousands of times per request.
public struct Zone: Sendable {
    /// The time zone.
    public let timeZone: TimeZone

    /// Wraps a time zone.
    public init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The instant of a local date and time in this zone (in a DST gap, the time after the gap).
    public func instant(_ date: LocalDate, _ time: LocalTime) -> Date {
        let wallSeconds = Double(date.dayNumber) * 86400 + Double(time.minutesOfDay) * 60
        let guess = Date(timeIntervalSince1970: wallSeconds - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wallSeconds))))
        return Date(timeIntervalSince1970: wallSeconds - Double(timeZone.secondsFromGMT(for: guess)))
    }

    /// The local date and time of an instant (seconds dropped).
    public func local(_ instant: Date) -> (date: LocalDate, time: LocalTime) {
        let wallSeconds = Int((instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))).rounded(.down))
        let day = Int((Double(wallSeconds) / 86400).rounded(.down))
        let minutes = (wallSeconds - day * 86400) / 60
        return (LocalDate(dayNumber: day), LocalTime(hour: minutes / 60, minute: minutes % 60)!)
    }
}
