import Foundation

/// `cascade today` and `cascade meetings run|extend|end|confirm|switch-source`: the technician's
/// side of meetings that run themselves, through a running server.
public enum RunCommands {
    /// Today's (or a day's) meetings with their run state, next transition and alarms.
    public static func today(date: String?, client: APIClient) async throws -> [String] {
        let entries = try await client.send("GET", "/api/v1/run-sheet" + (date.map { "?date=\($0)" } ?? "")) as? [[String: Any]] ?? []
        guard !entries.isEmpty else { return ["No meetings on this day."] }
        return entries.flatMap { entry -> [String] in
            let next = (entry["nextTransition"] as? [String: Any]).map { "  next: \($0["state"] ?? "") at \($0["at"] ?? "")" } ?? ""
            let halls = (entry["halls"] as? [String])?.count ?? 0
            var lines = ["\(entry["meetingId"] ?? "?")  \(entry["start"] ?? "") – \(entry["end"] ?? "")  [\(entry["state"] ?? "")]  \(entry["title"] ?? "")  (\(halls) halls)\(next)"]
            for alarm in (entry["alarms"] as? [[String: Any]] ?? []).suffix(3) {
                lines.append("    ! \(alarm["kind"] ?? ""): \(alarm["detail"] ?? "")")
            }
            return lines
        }
    }

    /// A meeting's readiness board as lines.
    public static func board(_ id: String, client: APIClient) async throws -> [String] {
        let run = try await client.send("GET", "/api/v1/meetings/\(id)/run") as? [String: Any] ?? [:]
        var lines = ["\(id)  [\(run["state"] ?? "")]  \(run["title"] ?? "")"]
        if let origin = run["origin"] as? [String: Any] {
            lines.append("  origin: \(origin["name"] ?? "") (\(origin["id"] ?? ""))\((origin["usesBackup"] as? Bool) == true ? " — on the backup" : "")")
        }
        if let source = run["source"] as? [String: Any] {
            let sound = (source["audioPeakDecibels"] as? Double).map { "  sound \(Int($0)) dB" } ?? ""
            lines.append("  source: \(source["state"] ?? "")\((source["problem"] as? String).map { " (\($0))" } ?? "")\(sound)")
        }
        if let next = run["nextTransition"] as? [String: Any] { lines.append("  next: \(next["state"] ?? "") at \(next["at"] ?? "")") }
        for hall in run["halls"] as? [[String: Any]] ?? [] {
            var figures = ""
            if let kbps = hall["bitrateKbps"] as? Int { figures += "  \(kbps) kbit/s" }
            if let rtt = hall["rttMs"] as? Double { figures += "  RTT \(Int(rtt)) ms" }
            if let lost = hall["lostPackets"] as? Int { figures += "  lost \(lost)" }
            let confirmed = (hall["confirmation"] as? [String: Any]).map { "  ✓ \($0["confirmedBy"] ?? "")" } ?? ""
            lines.append("  \(hall["hallId"] ?? "")  \(hall["state"] ?? "")\(figures)\(confirmed)")
        }
        for alarm in (run["alarms"] as? [[String: Any]] ?? []).suffix(5) { lines.append("  ! \(alarm["kind"] ?? ""): \(alarm["detail"] ?? "")") }
        return lines
    }

    /// Extends a live meeting.
    public static func extend(_ id: String, minutes: Int, client: APIClient) async throws -> [String] {
        do {
            let meeting = try await client.send("POST", "/api/v1/meetings/\(id)/run/extend", body: ["minutes": minutes]) as? [String: Any] ?? [:]
            return ["Extended \(id): it now ends at \(meeting["end"] ?? "?")."]
        } catch let failure as APIClient.Failure where failure.status == 409 && failure.problem["conflicts"] != nil {
            throw MeetingCommands.Report(lines: MeetingCommands.conflictReport(failure.problem))
        }
    }

    /// Ends a meeting in rehearsal or live now.
    public static func end(_ id: String, client: APIClient) async throws -> [String] {
        let run = try await client.send("POST", "/api/v1/meetings/\(id)/run/end") as? [String: Any] ?? [:]
        return ["Ended \(id): \(run["state"] ?? "")."]
    }

    /// Confirms a hall's picture and sound.
    public static func confirm(_ id: String, hall: String, note: String?, client: APIClient) async throws -> [String] {
        var body: [String: Any] = ["hall": hall]
        body["note"] = note
        _ = try await client.send("POST", "/api/v1/meetings/\(id)/run/confirmations", body: body)
        return ["Confirmed \(hall) for \(id)."]
    }

    /// Switches a running meeting to its feed's backup (or back).
    public static func switchSource(_ id: String, backup: Bool, client: APIClient) async throws -> [String] {
        _ = try await client.send("POST", "/api/v1/meetings/\(id)/run/source", body: ["backup": backup])
        return ["\(id) now takes the \(backup ? "backup" : "main") source."]
    }
}
