import CascadeCore
import Foundation

/// Times as users type them: local wall-clock time in the configured zone ("2026-12-07T07:30"),
/// or ISO 8601 with an offset ("2026-12-07T07:30:00+07:00", "…Z").
enum TimeInput {
    /// Parses `text`; throws a 400 problem naming `field` when it is not a time.
    static func parse(_ text: String, field: String, zone: TimeZone) throws -> Date {
        guard let date = date(from: text, zone: zone) else {
            throw Problem.badRequest("\(field) \"\(text)\" is not a time: use 2026-12-07T07:30 (local) or 2026-12-07T07:30:00+07:00", field: field)
        }
        return date
    }

    /// Parses a range's bound: a time as above, or a date (midnight local).
    static func parseBound(_ text: String, field: String, zone: TimeZone) throws -> Date {
        if let date = LocalDate(text) { return Zone(zone).instant(date, LocalTime(hour: 0, minute: 0)!) }
        return try parse(text, field: field, zone: zone)
    }

    static func date(from text: String, zone: TimeZone) -> Date? {
        guard let separator = text.firstIndex(where: { $0 == "T" || $0 == " " }), let day = LocalDate(String(text[..<separator])) else { return nil }
        var clock = String(text[text.index(after: separator)...])
        var offset: Int?
        if clock.hasSuffix("Z") {
            offset = 0
            clock.removeLast()
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let parts = clock[clock.index(after: sign)...].split(separator: ":")
            guard parts.count == 2 || (parts.count == 1 && parts[0].count == 4) else { return nil }
            let hours = parts.count == 2 ? Int(parts[0]) : Int(parts[0].prefix(2))
            let minutes = parts.count == 2 ? Int(parts[1]) : Int(parts[0].suffix(2))
            guard let hours, let minutes, hours <= 14, minutes < 60 else { return nil }
            offset = (hours * 60 + minutes) * 60 * (clock[sign] == "-" ? -1 : 1)
            clock = String(clock[..<sign])
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), fields.allSatisfy({ !$0.isEmpty }),
              let hour = Int(fields[0]), let minute = Int(fields[1]), let time = LocalTime(hour: hour, minute: minute) else { return nil }
        var seconds = 0.0
        if fields.count == 3 {
            guard let value = Double(fields[2]), (0..<60).contains(value) else { return nil }
            seconds = value
        }
        guard let offset else { return Zone(zone).instant(day, time).addingTimeInterval(seconds) }
        let utc = Zone(TimeZone(secondsFromGMT: 0)!).instant(day, time)
        return utc.addingTimeInterval(seconds - Double(offset))
    }

    /// ISO 8601 with the zone's offset, e.g. "2026-12-07T07:30:00+07:00".
    static func format(_ date: Date, zone: TimeZone) -> String {
        let (day, time) = Zone(zone).local(date)
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) % 60
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        return String(format: "%@T%@:%02d%@%02d:%02d", day.description, time.description, (seconds + 60) % 60, sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }
}
