import Foundation

/// `cascade attendance show|import|copy-previous|mark|report`: the roll call and measured attendance,
/// through a running server.
public enum AttendanceCommands {
    /// Imports a meeting's invitation list from a CSV file (`name,position,unit,hall`, UTF-8).
    public static func importList(_ meetingId: String, file: String, client: APIClient) async throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else { throw APIClient.Failure(status: 0, problemJSON: Data(), description: "cannot read \(file)") }
        let stored = try await client.send("POST", "/api/v1/meetings/\(meetingId)/delegates/import", raw: data, contentType: "text/csv; charset=utf-8") as? [[String: Any]] ?? []
        return ["Imported \(stored.count) delegates into \(meetingId)."] + stored.map(delegateLine)
    }

    /// Copies the invitation list of the series' latest earlier occurrence.
    public static func copyPrevious(_ meetingId: String, client: APIClient) async throws -> [String] {
        let stored = try await client.send("POST", "/api/v1/meetings/\(meetingId)/delegates/copy-previous") as? [[String: Any]] ?? []
        return ["Copied \(stored.count) delegates into \(meetingId)."] + stored.map(delegateLine)
    }

    /// Marks a delegate's roll-call state.
    public static func mark(_ meetingId: String, delegate: Int, state: String, reason: String?, representedBy: String?, client: APIClient) async throws -> [String] {
        var body: [String: Any] = ["state": state]
        body["reason"] = reason
        body["representedBy"] = representedBy
        let marked = try await client.send("PATCH", "/api/v1/meetings/\(meetingId)/delegates/\(delegate)", body: body) as? [String: Any] ?? [:]
        return [delegateLine(marked)]
    }

    static func delegateLine(_ delegate: [String: Any]) -> String {
        let note = (delegate["reason"] as? String) ?? (delegate["representedBy"] as? String)
        return "  \(delegate["id"] ?? "")  \(delegate["name"] ?? "")  \(delegate["position"] ?? "")  \(delegate["hallId"] ?? "")  \(delegate["state"] ?? "")"
            + (note.map { " (\($0))" } ?? "")
    }

    /// How a unit (or a series' meetings) took part over a period: totals, then one line per meeting.
    public static func report(unit: String?, series: String? = nil, from: String?, to: String?, client: APIClient) async throws -> [String] {
        var parts: [String] = []
        if let unit { parts.append("unit=\(unit.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? unit)") }
        if let series { parts.append("series=\(series.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? series)") }
        var query = parts.joined(separator: "&")
        if let from { query += "&from=\(from)" }
        if let to { query += "&to=\(to)" }
        let report = try await client.send("GET", "/api/v1/attendance?\(query)") as? [String: Any] ?? [:]
        let meetings = report["meetings"] as? [[String: Any]] ?? []
        let rate = Int(((report["attendanceRate"] as? Double ?? 0) * 100).rounded())
        var lines = ["\(series.map { "\($0) for " } ?? "")\(report["unitId"] ?? unit ?? ""): attended \(report["attended"] ?? 0) of \(meetings.count) meetings (\(rate)%), \(report["lateJoins"] ?? 0) late joins, "
            + "\(report["absencesWithReason"] ?? 0) absences with a reason, \(report["absencesWithoutReason"] ?? 0) without"]
        for meeting in meetings {
            let absences = (meeting["absences"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")\(($0["reason"] as? String).map { " (\($0))" } ?? "")" }
            lines.append("  \(meeting["meetingId"] ?? "")  \(meeting["start"] ?? "")  \(meeting["title"] ?? "")  "
                + "halls \(meeting["hallsConnected"] ?? 0)/\(meeting["hallsInvited"] ?? 0)  \(meeting["attended"] as? Bool == true ? "attended" : "absent")"
                + (absences.isEmpty ? "" : "  absent: \(absences.joined(separator: "; "))"))
        }
        return lines
    }

    /// The summary line, then one line per hall and one per connection.
    public static func show(_ meetingId: String, client: APIClient) async throws -> [String] {
        let attendance = try await client.send("GET", "/api/v1/meetings/\(meetingId)/attendance") as? [String: Any] ?? [:]
        let summary = attendance["summary"] as? [String: Any] ?? [:]
        var lines = ["\(attendance["meetingId"] ?? meetingId)  \(attendance["title"] ?? "")  halls invited \(summary["invited"] ?? 0): "
            + "\(summary["connected"] ?? 0) connected, \(summary["absent"] ?? 0) absent, \(summary["notMeasurable"] ?? 0) not measurable"]
        for hall in attendance["halls"] as? [[String: Any]] ?? [] {
            let name = "\(hall["hallId"] ?? "")  \(hall["hallName"] ?? "")"
            guard hall["measurable"] as? Bool == true else {
                lines.append("\(name)  not measurable (multicast)")
                continue
            }
            let live = Int((hall["connectedSeconds"] as? Double ?? 0).rounded())
            let share = Int(((hall["liveShare"] as? Double ?? 0) * 100).rounded())
            let rehearsal = Int((hall["rehearsalSeconds"] as? Double ?? 0).rounded())
            let outage = Int((hall["longestOutageSeconds"] as? Double ?? 0).rounded())
            lines.append("\(name)  \(hall["connected"] as? Bool == true ? "connected" : "absent")  meeting \(live) s (\(share)%)  rehearsal \(rehearsal) s  "
                + "drops \(hall["drops"] ?? 0)  longest outage \(outage) s")
            for interval in hall["intervals"] as? [[String: Any]] ?? [] {
                lines.append("  \(interval["joinedAt"] ?? "") – \(interval["leftAt"] ?? "(connected)")  \(interval["leaveReason"] ?? "")")
            }
        }
        let delegates = attendance["delegates"] as? [[String: Any]] ?? []
        if !delegates.isEmpty { lines.append("delegates:") }
        for delegate in delegates {
            let detail = [delegate["reason"], delegate["representedBy"]].compactMap { $0 as? String }.joined(separator: "; ")
            lines.append("  \(delegate["id"] ?? "")  \(delegate["name"] ?? "")  \(delegate["position"] ?? "")  \(delegate["hallId"] ?? "")  \(delegate["state"] ?? "")\(detail.isEmpty ? "" : "  (\(detail))")")
        }
        return lines
    }
}
