import CascadeHTTP
import Foundation

/// `cascade today` and `cascade meetings run|extend|end|confirm|switch-source`: the technician's
/// side of meetings that run themselves, through a running server.
public enum RunCommands {
    /// Today's (or a day's) meetings with their run state, next transition and alarms.
    public static func today(date: String?, client: APIClient) async throws -> [String] {
        let entries = try await client.send("GET", "/api/v1/run-sheet" + (date.map { "?date=\($0)" } ?? ""), as: [RunSheetEntry].self)
        guard !entries.isEmpty else { return ["No meetings on this day."] }
        return entries.flatMap { entry -> [String] in
            let next = entry.nextTransition.map { "  next: \($0.state.rawValue) at \($0.at)" } ?? ""
            var lines = ["\(entry.meetingId)  \(entry.start) – \(entry.end)  [\(entry.state.rawValue)]  \(entry.title)  (\(entry.halls.count) halls)\(next)"]
            for alarm in entry.alarms.suffix(3) { lines.append("    ! \(alarm.kind.rawValue): \(alarm.detail)") }
            return lines
        }
    }

    /// A meeting's readiness board as lines.
    public static func board(_ id: String, client: APIClient) async throws -> [String] {
        let run = try await client.send("GET", "/api/v1/meetings/\(id)/run", as: MeetingRunView.self)
        var lines = ["\(id)  [\(run.state.rawValue)]  \(run.title)"]
        if let origin = run.origin {
            lines.append("  origin: \(origin.name) (\(origin.id))\(origin.usesBackup ? " — on the backup" : "")")
        }
        if let source = run.source {
            let sound = source.audioPeakDecibels.map { "  sound \(Int($0)) dB" } ?? ""
            lines.append("  source: \(source.state)\(source.problem.map { " (\($0))" } ?? "")\(sound)")
        }
        if let next = run.nextTransition { lines.append("  next: \(next.state.rawValue) at \(next.at)") }
        for hall in run.halls {
            var figures = ""
            if let kbps = hall.bitrateKbps { figures += "  \(kbps) kbit/s" }
            if let rtt = hall.rttMs { figures += "  RTT \(Int(rtt)) ms" }
            if let lost = hall.lostPackets { figures += "  lost \(lost)" }
            let confirmed = hall.confirmation.map { "  ✓ \($0.confirmedBy)" } ?? ""
            lines.append("  \(hall.hallId)  \(hall.state)\(figures)\(confirmed)")
        }
        for alarm in run.alarms.suffix(5) { lines.append("  ! \(alarm.kind.rawValue): \(alarm.detail)") }
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
        let run = try await client.send("POST", "/api/v1/meetings/\(id)/run/end", as: MeetingRunView.self)
        return ["Ended \(id): \(run.state.rawValue)."]
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
