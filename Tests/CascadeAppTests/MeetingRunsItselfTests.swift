import CascadeTestSupport
import Foundation
import Testing

/// A meeting booked 40 s ahead runs with nobody touching it: a real `cascade serve`, real relay and
/// recording workers, the central feed and the halls on separate hosts (network namespaces); the
/// server is stopped and started again while the meeting is live, which the halls must not notice.
@Suite(.serialized) struct MeetingRunsItselfTests {
    @Test func rehearsalLiveAndEndOnTimeAcrossAServerRestart() async throws {
        // Separate hosts: the central site sends its feed over encrypted SRT; the province runs the
        // server; three districts receive.
        let lab = try NetworkLab(sites: ["central", "province", "h1", "h2", "h3"])
        defer { lab.tearDown() }
        let data = try TestPaths.makeTemporaryDirectory()
        defer {
            _ = try? Command.run("pkill", ["-KILL", "-f", "--", "--socket \(data)/"])
            _ = try? Command.run("pkill", ["-f", "--", "\(data)/events"])
            try? FileManager.default.removeItem(atPath: data)
        }
        let province = lab.addresses["province"]!, central = lab.addresses["central"]!
        let key = "central-feed-passphrase"
        let feed = try lab.spawn(in: "central", [TestPaths.cascadeExecutable, "demo-feed", "--output",
                                                 "srt://:7000?mode=listener&latency=200&passphrase=\(key)", "--seconds", "600"])
        defer { kill(feed.processIdentifier, SIGKILL) }
        // The feed's secret comes from the environment; no grace period, so the run ends at the booked end.
        let config = "\(data)/province.yaml"
        try """
            relay: {ports: 9000-9010, advertisedHost: \(province), width: 640, height: 360, framerate: 25, videoKbps: 800}
            feeds:
              - {id: trung-uong, name: "Tín hiệu Trung ương", uri: "srt://\(central):7000?mode=caller&latency=200&passphrase=${CENTRAL_KEY}"}
            scheduler: {graceMinutes: 0, defaultOrigin: trung-uong}
            \(RelayCascadeTests.units(districts: ["h1", "h2", "h3"]))
            halls:
              - {id: hall-gia-nghia, name: "Hội trường 1", unit: h1, capacityKbps: 4000, latencyMs: 300, endpoint: {mode: srt-caller, streamId: hall-gia-nghia}}
              - {id: hall-cu-jut, name: "Hội trường 2", unit: h2, capacityKbps: 4000, latencyMs: 300, endpoint: {mode: srt-caller, streamId: hall-cu-jut}}
              - {id: hall-dak-glong, name: "Hội trường 3", unit: h3, capacityKbps: 4000, latencyMs: 300, endpoint: {mode: srt-caller, streamId: hall-dak-glong}}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        func serve() throws -> ServerProcess {
            try ServerProcess(config: config, dataDirectory: "\(data)/data", extraEnvironment: ["CENTRAL_KEY": key],
                              namespace: lab.namespaces["province"], host: province)
        }
        var server = try serve()
        let token = try await server.client.login("admin", try #require(server.initialPassword))
        let firstEvents = try EventCapture(server.client.baseURL, token: token, path: "\(data)/events-1.txt", namespace: lab.namespaces["province"])

        let start = Date().addingTimeInterval(40), end = start.addingTimeInterval(35)
        let body = """
            {"title":"Giao ban trực tuyến","organiserUnitId":"tinh","start":"\(start.formatted(.iso8601))","end":"\(end.formatted(.iso8601))",
             "halls":["hall-gia-nghia","hall-cu-jut","hall-dak-glong"],"rehearsalMinutes":1}
            """
        let booked = try await server.client.send("POST", "/api/v1/meetings", token: token, json: body)
        let meetingId = try #require(booked.json["id"] as? String, "\(booked.text)")

        // Rehearsal at once (the lead reaches back past now): the relay is up for the halls.
        let rehearsal = try await waitForRun(server.client, meetingId, token: token, timeout: .seconds(20)) { $0["relayId"] != nil }
        #expect(rehearsal["state"] as? String == "rehearsal", "\(rehearsal)")
        let relayId = try #require(rehearsal["relayId"] as? String)
        let relay = try await server.client.send("GET", "/api/v1/relays/\(relayId)", token: token).json
        #expect(relay["meetingId"] as? String == meetingId)
        func receiver(_ hall: String, _ file: String) throws -> HallReceiver {
            let site = ["hall-gia-nghia": "h1", "hall-cu-jut": "h2", "hall-dak-glong": "h3"][hall]!
            return HallReceiver(srt: try #require(RelayAPITestsSupport.url(relay, hall), "\(relay)"), path: "\(data)/\(file).ts", namespace: lab.namespaces[site])
        }
        let giaNghia = try receiver("hall-gia-nghia", "gia-nghia")
        let cuJut = try receiver("hall-cu-jut", "cu-jut-1")
        try giaNghia.start()
        try cuJut.start()
        defer { giaNghia.stop() }
        _ = try await RelayAPITestsSupport.waitFor(server.client, relayId, token: token) {
            RelayAPITestsSupport.isConnected($0, "hall-gia-nghia") && RelayAPITestsSupport.isConnected($0, "hall-cu-jut")
        }
        // Cư Jút drops for five seconds (once the relay has seen it go) and calls back in.
        cuJut.stop()
        _ = try await RelayAPITestsSupport.waitFor(server.client, relayId, token: token) { !RelayAPITestsSupport.isConnected($0, "hall-cu-jut") }
        try await Task.sleep(for: .seconds(5))
        let cuJutAgain = try receiver("hall-cu-jut", "cu-jut-2")
        try cuJutAgain.start()
        defer { cuJutAgain.stop() }

        // Live at the start; Đắk Glong joins late; the recording covers the live part only.
        let live = try await waitForRun(server.client, meetingId, token: token, timeout: .seconds(60)) {
            $0["state"] as? String == "live" && !(($0["recordingIds"] as? [String]) ?? []).isEmpty
        }
        #expect(live["state"] as? String == "live", "\(live)")
        let sound = try await waitForRun(server.client, meetingId, token: token, timeout: .seconds(10)) {
            (($0["source"] as? [String: Any])?["audioPeakDecibels"] as? Double) != nil
        }
        let peak = (sound["source"] as? [String: Any])?["audioPeakDecibels"] as? Double
        #expect(peak.map { $0 > -40 && $0 <= 0 } == true, "the central feed's tone is metered: \(sound["source"] ?? "")")
        let dakGlong = try receiver("hall-dak-glong", "dak-glong")
        try dakGlong.start()
        defer { dakGlong.stop() }
        _ = try await RelayAPITestsSupport.waitFor(server.client, relayId, token: token) { RelayAPITestsSupport.isConnected($0, "hall-dak-glong") }

        // The server is killed during live and started again: the halls keep their pictures.
        server.kill()
        let bytesWhileDown = giaNghia.bytes
        server = try serve()
        let secondEvents = try EventCapture(server.client.baseURL, token: token, path: "\(data)/events-2.txt", namespace: lab.namespaces["province"])
        let held = try await waitForRun(server.client, meetingId, token: token, timeout: .seconds(90)) { $0["state"] as? String == "held" }
        #expect(held["state"] as? String == "held", "\(held)")
        #expect(giaNghia.bytes > bytesWhileDown)
        #expect((held["transitions"] as? [[String: Any]])?.compactMap { $0["to"] as? String } == ["rehearsal", "live", "held"])
        let liveAt = try #require((held["liveAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        let endedAt = try #require((held["endedAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        #expect(abs(liveAt.timeIntervalSince(start)) < 3, "live at \(liveAt), booked \(start)")
        #expect(endedAt >= end.addingTimeInterval(-1) && endedAt.timeIntervalSince(end) < 5, "ended at \(endedAt), booked \(end): \(held)")
        let stopped = try await RelayAPITestsSupport.waitFor(server.client, relayId, token: token) { $0["state"] as? String == "stopped" }
        #expect(stopped["state"] as? String == "stopped", "\(stopped)")

        // The recording belongs to the meeting and starts with the live part.
        let recordingId = try #require((held["recordingIds"] as? [String])?.first)
        let recording = try await waitForRecording(server.client, recordingId, token: token)
        #expect(recording["meetingId"] as? String == meetingId)
        #expect(recording["state"] as? String == "stopped", "\(recording)")
        let firstPart = try #require((recording["parts"] as? [[String: Any]])?.first)
        let partStart = try #require((firstPart["startedAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        #expect(partStart >= liveAt.addingTimeInterval(-1), "the recording starts with the live part, not the rehearsal")

        // Every hall got pictures from the rehearsal on; the one that stayed saw no cut across the restart.
        giaNghia.stop()
        let times = try MediaProbe.videoFrameTimes(giaNghia.path)
        let continuity = MediaProbe.continuity(times)
        #expect(times.count > 25 * 50 && continuity.largestStep < 0.5, "\(times.count) frames, \(continuity)")
        dakGlong.stop()
        #expect(try MediaProbe.videoFrameTimes(dakGlong.path).count > 25 * 5)
        let attendance = try await server.client.send("GET", "/api/v1/meetings/\(meetingId)/attendance", token: token).json
        let cuJutRow = (attendance["halls"] as? [[String: Any]])?.first { $0["hallId"] as? String == "hall-cu-jut" }
        #expect((cuJutRow?["drops"] as? Int ?? 0) >= 1, "\(attendance)")

        // The transitions reached the event stream: the first server's and the second's.
        #expect(server.terminate() == 0)
        let before = firstEvents.finish(), after = secondEvents.finish()
        #expect(before.contains("\"state\":\"rehearsal\"") && before.contains("\"state\":\"live\""), "\(before)")
        #expect(after.contains("event: meeting-state") && after.contains("\"state\":\"held\""), "\(after)")
    }

    private func waitForRun(_ client: HTTPClient, _ id: String, token: String, timeout: Duration,
                            until done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            last = try await client.send("GET", "/api/v1/meetings/\(id)/run", token: token).json
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
        return last
    }

    private func waitForRecording(_ client: HTTPClient, _ id: String, token: String) async throws -> [String: Any] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            last = try await client.send("GET", "/api/v1/recordings/\(id)", token: token).json
            if last["state"] as? String == "stopped" { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
        return last
    }
}

/// Server-sent events written to a file by curl until `finish()`.
private final class EventCapture: Sendable {
    private let process: Process
    private let path: String

    init(_ baseURL: String, token: String, path: String, namespace: String?) throws {
        self.path = path
        FileManager.default.createFile(atPath: path, contents: nil)
        let process = Process()
        let curl = ["/usr/bin/curl", "-sN", "-H", "Authorization: Bearer \(token)", "-o", path, "\(baseURL)/api/v1/events"]
        process.executableURL = URL(fileURLWithPath: namespace == nil ? curl[0] : "/usr/sbin/ip")
        process.arguments = namespace.map { ["netns", "exec", $0] + curl } ?? Array(curl.dropFirst())
        try process.run()
        self.process = process
    }

    func finish() -> String {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
