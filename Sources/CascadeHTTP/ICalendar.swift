import CascadeCore
import Foundation

/// Builds RFC 5545 calendars of meetings for staff's calendar applications.
struct ICalendar {
    let name: String
    let zone: TimeZone
    let hallNames: (String) -> String

    /// The whole calendar, CRLF-terminated lines folded at 75 octets.
    func render(_ meetings: [Meeting], now: Date = Date()) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Cascade//Meetings//VI", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:\(Self.escape(name))", "X-WR-TIMEZONE:\(zone.identifier)"]
        let usesZone = zone.nextDaylightSavingTimeTransition == nil
        if usesZone { lines += timeZoneComponent() }
        for meeting in meetings {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(meeting.id)@cascade",
                "DTSTAMP:\(utc(now))",
                usesZone ? "DTSTART;TZID=\(zone.identifier):\(local(meeting.start))" : "DTSTART:\(utc(meeting.start))",
                usesZone ? "DTEND;TZID=\(zone.identifier):\(local(meeting.end))" : "DTEND:\(utc(meeting.end))",
                "SUMMARY:\(Self.escape(meeting.details.title))",
                "LOCATION:\(Self.escape(meeting.hallIds.map(hallNames).joined(separator: ", ")))",
                "CLASS:\(meeting.details.classification == .public ? "PUBLIC" : meeting.details.classification == .internal ? "PRIVATE" : "CONFIDENTIAL")",
                "STATUS:\(meeting.state == .cancelled ? "CANCELLED" : "CONFIRMED")",
            ]
            if meeting.details.classification != .confidential {
                var description = meeting.details.chair.isEmpty ? "" : "Chủ trì: \(meeting.details.chair)\n"
                description += "Tổng duyệt từ \(local(meeting.window.start, pretty: true))"
                if !meeting.details.notes.isEmpty { description += "\n\(meeting.details.notes)" }
                lines.append("DESCRIPTION:\(Self.escape(description))")
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    private func timeZoneComponent() -> [String] {
        let seconds = zone.secondsFromGMT()
        let sign = seconds < 0 ? "-" : "+"
        let offset = String(format: "%@%02d%02d", sign, abs(seconds) / 3600, abs(seconds) % 3600 / 60)
        return ["BEGIN:VTIMEZONE", "TZID:\(zone.identifier)", "BEGIN:STANDARD", "DTSTART:19700101T000000",
                "TZOFFSETFROM:\(offset)", "TZOFFSETTO:\(offset)", "TZNAME:\(zone.abbreviation() ?? offset)", "END:STANDARD", "END:VTIMEZONE"]
    }

    private func utc(_ date: Date) -> String { format(date, zone: TimeZone(secondsFromGMT: 0)!) + "Z" }

    private func local(_ date: Date, pretty: Bool = false) -> String {
        guard pretty else { return format(date, zone: zone) }
        let (day, time) = Zone(zone).local(date)
        return "\(time) \(day)"
    }

    private func format(_ date: Date, zone: TimeZone) -> String {
        let (day, time) = Zone(zone).local(date)
        return String(format: "%04d%02d%02dT%02d%02d00", day.year, day.month, day.day, time.hour, time.minute)
    }

    /// Every line break (CR LF, LF or a bare CR) becomes `\n`; other control characters are dropped,
    /// so no text can end a property or start a component of its own.
    static func escape(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\\", ";", ",": result.append("\\"); result.append(scalar)
            case "\r": result.append("\\"); result.append("n")
            case "\n": if previous != "\r" { result.append("\\"); result.append("n") }
            case "\t": result.append(" ")
            default: if !FreeText.isControl(scalar) { result.append(scalar) }
            }
        }
        return String(result)
    }

    /// Folds a line at 75 octets without splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        var result = "", current = 0
        for character in line {
            let size = String(character).utf8.count
            if current + size > 75 {
                result += "\r\n "
                current = 1
            }
            result.append(character)
            current += size
        }
        return result
    }
}
