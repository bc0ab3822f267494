import CascadeEngine
import CascadeHTTP
import Foundation

/// `cascade relay …`: start, watch, change and stop relays on a running server.
public enum RelayCommands {
    /// Starts a relay; prints its id and the URL each hall's decoder uses.
    public static func start(source: String, halls: [String], meetingId: String?, title: String?, port: Int?, passThrough: Bool = false, client: APIClient) async throws -> [String] {
        var body: [String: Any] = ["source": source, "halls": halls]
        if passThrough { body["passThrough"] = true }
        body["meetingId"] = meetingId
        body["title"] = title
        body["port"] = port
        let relay = try await client.send("POST", "/api/v1/relays", body: body, as: RelayView.self)
        return ["Relay \(relay.id) started from \(relay.source ?? source) on port \(relay.listenerPort)."] + accessLines(relay)
    }

    /// One relay, or every relay when `id` is nil: state, source, and each hall's link.
    public static func status(_ id: String?, client: APIClient) async throws -> [String] {
        guard let id else {
            let relays = try await client.send("GET", "/api/v1/relays", as: [RelayView].self)
            return relays.isEmpty ? ["No relays."] : relays.map(line(for:))
        }
        let relay = try await client.send("GET", "/api/v1/relays/\(id)", as: RelayView.self)
        var lines = [line(for: relay)]
        if let reason = relay.reason { lines.append("  reason: \(reason)") }
        if let statistics = relay.statistics {
            lines.append("  source: \(statistics.source)" + (statistics.sourceProblem.map { " (\($0))" } ?? ""))
            for hall in statistics.halls {
                let rtt = hall.rttMs.map { String(format: "%.0f ms", $0) } ?? "–"
                lines.append("  \(hall.hallId)  \(hall.connected ? "connected" : "not connected")  \(hall.bitrateKbps) kbit/s  rtt \(rtt)  lost \(hall.lostPackets.map(String.init) ?? "–")  retransmitted \(hall.retransmittedPackets.map(String.init) ?? "–")")
            }
        }
        lines += accessLines(relay)
        for event in (relay.recentEvents ?? []).suffix(10) {
            lines.append("  \(event.at.formatted(.iso8601))  \(event.kind.rawValue)  \(event.hallId ?? "")  \(event.detail)")
        }
        return lines
    }

    /// Adds a hall to a running relay.
    public static func addHall(_ hallId: String, to id: String, client: APIClient) async throws -> [String] {
        let access = try await client.send("POST", "/api/v1/relays/\(id)/halls", body: ["hallId": hallId], as: HallAccess.self)
        return ["Hall \(hallId) added to \(id): \(access.mode.rawValue) \(access.url)"]
    }

    /// Removes a hall from a running relay.
    public static func removeHall(_ hallId: String, from id: String, client: APIClient) async throws -> [String] {
        _ = try await client.send("DELETE", "/api/v1/relays/\(id)/halls/\(hallId)")
        return ["Hall \(hallId) removed from \(id)."]
    }

    /// Stops a relay.
    public static func stop(_ id: String, client: APIClient) async throws -> [String] {
        let relay = try await client.send("DELETE", "/api/v1/relays/\(id)", as: RelayView.self)
        return ["Stopped " + line(for: relay)]
    }

    static func line(for relay: RelayView) -> String {
        let halls = relay.halls.filter { $0.removedAt == nil }.count
        return "\(relay.id)  \(relay.state)  \(relay.startedAt.formatted(.iso8601))  \(halls) hall\(halls == 1 ? "" : "s")  \(relay.source ?? "")"
    }

    static func accessLines(_ relay: RelayView) -> [String] {
        (relay.access ?? []).map { "  \($0.hallId)  \($0.mode.rawValue)  \($0.url)" }
    }
}
