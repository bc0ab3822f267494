import CascadeCore
import Foundation

/// A meeting's attendance as CSV — the hall table, or the delegate table — UTF-8 with a byte-order mark (so spreadsheet
/// programs show Vietnamese names correctly), times in the configured zone.
enum AttendanceCSV {
    static let columns = [
        "hall_id", "hall_name", "unit_id", "measured", "first_join", "last_leave", "connected_seconds", "share_percent",
        "rehearsal_seconds", "drops", "longest_outage_seconds", "lost_packets", "max_rtt_ms", "intervals",
    ]

    static func render(_ halls: [HallAttendanceView], zone: TimeZone) -> String {
        func time(_ date: Date?) -> String { date.map { TimeInput.format($0, zone: zone) } ?? "" }
        var lines = [columns.joined(separator: ",")]
        for hall in halls {
            let intervals = hall.intervals.map { "\(time($0.joinedAt))–\(time($0.leftAt))\($0.leaveReason.map { " (\($0.rawValue))" } ?? "")" }
            let fields: [String] = [
                hall.hallId, hall.hallName, hall.unitId, hall.measurable ? "yes" : "not measurable (multicast)",
                time(hall.firstJoin), time(hall.lastLeave), String(Int(hall.connectedSeconds.rounded())),
                String(format: "%.1f", hall.liveShare * 100), String(Int(hall.rehearsalSeconds.rounded())), String(hall.drops),
                String(Int(hall.longestOutageSeconds.rounded())), String(hall.lostPackets), hall.maxRttMs.map { String(format: "%.0f", $0) } ?? "",
                intervals.joined(separator: "; "),
            ]
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The delegate table: who was invited, their roll-call state, and who marked it when.
    static func render(_ delegates: [Delegate], halls: [HallAttendanceView], zone: TimeZone) -> String {
        var lines = ["name,position,unit_id,hall_id,hall_name,state,state_label,reason,represented_by,marked_by,marked_at"]
        for delegate in delegates {
            let fields: [String] = [
                delegate.name, delegate.position, delegate.unitId, delegate.hallId,
                halls.first { $0.hallId == delegate.hallId }?.hallName ?? "", delegate.state.rawValue, AttendanceSheet.label(delegate.state),
                delegate.reason ?? "", delegate.representedBy ?? "", delegate.markedBy ?? "",
                delegate.markedAt.map { TimeInput.format($0, zone: zone) } ?? "",
            ]
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a leading `=`, `+`, `-`, `@`, tab or carriage return is neutralised so a
    /// spreadsheet never runs it (some read a formula after a leading tab or CR as well).
    static func quoted(_ field: String) -> String {
        var text = field
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        // By scalars: in a String "\r\n" is one Character, so a lone CR would go unquoted.
        guard text.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
