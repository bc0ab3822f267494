import CascadeCore
import CascadeHTTP
import Foundation

/// `cascade attendance show|import|copy-previous|mark|report`: the roll call and measured attendance,
/// through a running server.
public enum AttendanceCommands {
    /// Imports a meeting's invitation list from a CSV file (`name,position,unit,hall`, UTF-8).
    public static func importList(_ meetingId: String, file: String, client: APIClient) async throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else { throw APIClient.Failure(status: 0, problemJSON: Data(), description: "cannot read \(file)") }
        let stored = try await client.send("POST", "/api/v1/meetings/\(meetingId)/delegates/import", raw: data, contentType: "text/csv; charset=utf-8", as: [Delegate].self)
        return ["Imported \(stored.count) delegates into \(meetingId)."] + stored.map(delegateLine)
    }

    /// Copies the invitation list of the series' latest earlier occurrence.
    public static func copyPrevious(_ meetingId: String, client: APIClient) async throws -> [String] {
        let stored = try await client.send("POST", "/api/v1/meetings/\(meetingId)/delegates/copy-previous", as: [Delegate].self)
        return ["Copied \(stored.count) delegates into \(meetingId)."] + stored.map(delegateLine)
    }

    /// Marks a delegate's roll-call state.
    public static func mark(_ meetingId: String, delegate: Int, state: String, reason: String?, representedBy: String?, client: APIClient) async throws -> [String] {
        var body: [String: Any] = ["state": state]
        body["reason"] = reason
        body["representedBy"] = representedBy
        let marked = try await client.send("PATCH", "/api/v1/meetings/\(meetingId)/delegates/\(delegate)", body: body, as: Delegate.self)
        return [delegateLine(marked)]
    }

    static func delegateLine(_ delegate: Delegate) -> String {
        let note = delegate.reason ?? delegate.representedBy
        return "  \(delegate.id)  \(delegate.name)  \(delegate.position)  \(delegate.hallId)  \(delegate.state.rawValue)" + (note.map { " (\($0))" } ?? "")
    }

    /// How a unit (or a series' meetings) took part over a period: totals, then one line per meeting.
    public static func report(unit: String?, series: String? = nil, from: String?, to: String?, client: APIClient) async throws -> [String] {
        var parts: [String] = []
        if let unit { parts.append("unit=\(unit.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? unit)") }
        if let series { parts.append("series=\(series.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? series)") }
        var query = parts.joined(separator: "&")
        if let from { query += "&from=\(from)" }
        if let to { query += "&to=\(to)" }
        let report = try await client.send("GET", "/api/v1/attendance?\(query)", as: AttendanceReportView.self)
        let rate = Int((report.attendanceRate * 100).rounded())
        var lines = ["\(series.map { "\($0) for " } ?? "")\(report.unitId): attended \(report.attended) of \(report.meetings.count) meetings (\(rate)%), \(report.lateJoins) late joins, "
            + "\(report.absencesWithReason) absences with a reason, \(report.absencesWithoutReason) without"]
        for meeting in report.meetings {
            let absences = meeting.absences.map { "\($0.name)\($0.reason.map { " (\($0))" } ?? "")" }
            lines.append("  \(meeting.meetingId)  \(meeting.start.formatted(.iso8601))  \(meeting.title)  "
                + "halls \(meeting.hallsConnected)/\(meeting.hallsInvited)  \(meeting.attended ? "attended" : "absent")"
                + (absences.isEmpty ? "" : "  absent: \(absences.joined(separator: "; "))"))
        }
        return lines
    }

    /// The summary line, then one line per hall and one per connection.
    public static func show(_ meetingId: String, client: APIClient) async throws -> [String] {
        let attendance = try await client.send("GET", "/api/v1/meetings/\(meetingId)/attendance", as: AttendanceView.self)
        let summary = attendance.summary
        var lines = ["\(attendance.meetingId)  \(attendance.title)  halls invited \(summary.invited): "
            + "\(summary.connected) connected, \(summary.absent) absent, \(summary.notMeasurable) not measurable"]
        for hall in attendance.halls {
            let name = "\(hall.hallId)  \(hall.hallName)"
            guard hall.measurable else {
                lines.append("\(name)  not measurable (multicast)")
                continue
            }
            let (live, share) = (Int(hall.connectedSeconds.rounded()), Int((hall.liveShare * 100).rounded()))
            let (rehearsal, outage) = (Int(hall.rehearsalSeconds.rounded()), Int(hall.longestOutageSeconds.rounded()))
            lines.append("\(name)  \(hall.connected ? "connected" : "absent")  meeting \(live) s (\(share)%)  rehearsal \(rehearsal) s  "
                + "drops \(hall.drops)  longest outage \(outage) s")
            for interval in hall.intervals {
                lines.append("  \(interval.joinedAt.formatted(.iso8601)) – \(interval.leftAt?.formatted(.iso8601) ?? "(connected)")  \(interval.leaveReason?.rawValue ?? "")")
            }
        }
        if !attendance.delegates.isEmpty { lines.append("delegates:") }
        for delegate in attendance.delegates {
            let detail = [delegate.reason, delegate.representedBy].compactMap { $0 }.joined(separator: "; ")
            lines.append("  \(delegate.id)  \(delegate.name)  \(delegate.position)  \(delegate.hallId)  \(delegate.state.rawValue)\(detail.isEmpty ? "" : "  (\(detail))")")
        }
        return lines
    }
}
