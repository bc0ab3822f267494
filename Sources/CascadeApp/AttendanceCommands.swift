import Foundation

/// `cascade attendance show`: a meeting's measured attendance, through a running server.
public enum AttendanceCommands {
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
            lines.append("  \(delegate["name"] ?? "")  \(delegate["position"] ?? "")  \(delegate["hallId"] ?? "")  \(delegate["state"] ?? "")\(detail.isEmpty ? "" : "  (\(detail))")")
        }
        return lines
    }
}
