import Foundation

/// Reading relays over the API in tests.
public enum RelayAPITestsSupport {
    /// Polls the relay until `done` holds or `timeout` passes; returns the last state.
    public static func waitFor(_ client: HTTPClient, _ id: String, token: String, timeout: Duration = .seconds(20),
                               until done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            last = try await client.send("GET", "/api/v1/relays/\(id)", token: token).json
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
        return last
    }

    /// One hall's latest statistics.
    public static func hallStatistics(_ relay: [String: Any], _ hallId: String) -> [String: Any]? {
        ((relay["statistics"] as? [String: Any])?["halls"] as? [[String: Any]])?.first { $0["hallId"] as? String == hallId }
    }

    /// Whether the hall's decoder is connected.
    public static func isConnected(_ relay: [String: Any], _ hallId: String) -> Bool {
        hallStatistics(relay, hallId)?["connected"] as? Bool == true
    }

    /// The URL the hall's decoder uses.
    public static func url(_ relay: [String: Any], _ hallId: String) -> String? {
        (relay["access"] as? [[String: Any]])?.first { $0["hallId"] as? String == hallId }?["url"] as? String
    }
}
