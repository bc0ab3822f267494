import CascadeHTTP
import Foundation

/// `cascade meetings …`: the secretariat's calendar from the command line, through a running server.
public enum MeetingCommands {
    /// What `cascade meetings book` sends.
    public struct Booking: Sendable {
        public var title: String
        public var organiserUnitId: String
        public var start: String
        public var end: String
        public var halls: [String] = []
        public var hallsOfUnit: String?
        public var chair: String?
        public var notes: String?
        public var rehearsalMinutes: Int?
        public var bitrateKbps: Int?
        public var classification: String?
        public var isRecorded = true
        public var origin: String?
        public var repeatFrequency: String?
        public var weekdays: [Int] = []
        public var interval: Int?
        public var until: String?
        public var count: Int?

        /// Creates a booking.
        public init(title: String, organiserUnitId: String, start: String, end: String) {
            self.title = title
            self.organiserUnitId = organiserUnitId
            self.start = start
            self.end = end
        }

        var body: [String: Any] {
            var body: [String: Any] = ["title": title, "organiserUnitId": organiserUnitId, "start": start, "end": end, "halls": halls, "record": isRecorded]
            body["hallsOfUnit"] = hallsOfUnit
            body["chair"] = chair
            body["notes"] = notes
            body["rehearsalMinutes"] = rehearsalMinutes
            body["bitrateKbps"] = bitrateKbps
            body["classification"] = classification
            body["origin"] = origin
            if let repeatFrequency {
                var rule: [String: Any] = ["frequency": repeatFrequency]
                if !weekdays.isEmpty { rule["weekdays"] = weekdays }
                rule["interval"] = interval
                rule["until"] = until
                rule["count"] = count
                body["recurrence"] = rule
            }
            return body
        }
    }

    /// Books and returns the lines to print; a refusal becomes a ``Report`` error listing every conflict.
    public static func book(_ booking: Booking, client: APIClient) async throws -> [String] {
        do {
            switch try await client.send("POST", "/api/v1/meetings", body: booking.body, as: Booked.self) {
            case .series(let series): return ["Booked series \(series.id): \(series.title)"] + series.nextOccurrences.map { "  " + line(for: $0) }
            case .meeting(let meeting): return ["Booked " + line(for: meeting)]
            }
        } catch let failure as APIClient.Failure where failure.status == 409 {
            throw Report(lines: conflictReport(failure.problem))
        }
    }

    /// The meetings in a range, one line each.
    public static func list(from: String?, to: String?, unit: String?, hall: String?, text: String?, client: APIClient) async throws -> [String] {
        var query: [URLQueryItem] = []
        for (name, value) in [("from", from), ("to", to), ("unit", unit), ("hall", hall), ("q", text)] {
            if let value { query.append(URLQueryItem(name: name, value: value)) }
        }
        var components = URLComponents()
        components.queryItems = query.isEmpty ? nil : query
        let meetings = try await client.send("GET", "/api/v1/meetings" + (components.string ?? ""), as: [MeetingView].self)
        return meetings.isEmpty ? ["No meetings in this range."] : meetings.map(line(for:))
    }

    /// One meeting in detail.
    public static func show(_ id: String, client: APIClient) async throws -> [String] {
        let meeting = try await client.send("GET", "/api/v1/meetings/\(id)", as: MeetingView.self)
        return [
            line(for: meeting),
            "  organiser: \(meeting.organiserUnitId)   chair: \(meeting.chair)",
            "  rehearsal from: \(meeting.rehearsalStart)   classification: \(meeting.classification.rawValue)   recorded: \(meeting.record ? "yes" : "no")",
            "  halls: " + meeting.halls.joined(separator: ", "),
        ] + (meeting.notes.isEmpty ? [] : ["  notes: \(meeting.notes)"])
    }

    /// Cancels a meeting (with a scope for a series occurrence).
    public static func cancel(_ id: String, scope: String?, client: APIClient) async throws -> [String] {
        _ = try await client.send("DELETE", "/api/v1/meetings/\(id)" + (scope.map { "?scope=\($0)" } ?? ""))
        return ["Cancelled \(id)\(scope.map { " (\($0))" } ?? "")."]
    }

    /// A refusal to print: several lines, then a non-zero exit.
    public struct Report: Error, CustomStringConvertible {
        /// The lines.
        public var lines: [String]
        /// The first line.
        public var description: String { lines.first ?? "" }
    }

    static func line(for meeting: MeetingView) -> String {
        let halls = meeting.halls.count
        return "\(meeting.id)  \(meeting.start) – \(meeting.end)  \(meeting.title)  (\(halls) hall\(halls == 1 ? "" : "s")\(meeting.state == .booked ? "" : ", \(meeting.state.rawValue)"))"
    }

    /// What a booking made: one meeting, or a series and its next occurrences.
    enum Booked: Decodable {
        case meeting(MeetingView)
        case series(SeriesView)

        init(from decoder: any Decoder) throws {
            self = if let series = try? SeriesView(from: decoder) { .series(series) } else { .meeting(try MeetingView(from: decoder)) }
        }
    }

    static func conflictReport(_ problem: [String: Any]) -> [String] {
        var lines = ["Refused: \(problem["detail"] ?? "the booking conflicts")"]
        for conflict in problem["conflicts"] as? [[String: Any]] ?? [] {
            let others = (conflict["otherMeetings"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "") \"\($0["title"] ?? "")\"" }
            lines.append("  \(conflict["kind"] ?? ""): \(conflict["reason"] ?? "") [\(conflict["overlapStart"] ?? "") – \(conflict["overlapEnd"] ?? "")]"
                + (others.isEmpty ? "" : " with " + others.joined(separator: ", ")))
        }
        let suggestions = problem["suggestions"] as? [[String: Any]] ?? []
        if !suggestions.isEmpty {
            lines.append("Free slots for the same halls:")
            lines += suggestions.map { "  \($0["start"] ?? "") – \($0["end"] ?? "")" }
        }
        return lines
    }
}
