import CascadeApp
import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// Relays end to end over HTTP: a real server, relay workers, halls played by gst-launch.
@Suite(.serialized) struct RelayAPITests {
    static func waitFor(_ client: HTTPClient, _ id: String, token: String, until done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        try await RelayAPITestsSupport.waitFor(client, id, token: token, until: done)
    }

    static func isConnected(_ relay: [String: Any], _ hallId: String) -> Bool { RelayAPITestsSupport.isConnected(relay, hallId) }

    static func url(_ relay: [String: Any], _ hallId: String) -> String? { RelayAPITestsSupport.url(relay, hallId) }

    @Test("a hall that calls the moment the relay is created is admitted, never refused as unknown")
    func hallCallingAtOnceIsAdmitted() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try RecordingAPITests.admin(database)
            let created = try await client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-gia-nghia"],"title":"Giao ban"}"#)
            let answeredAt = ContinuousClock.now
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let hall = HallReceiver(srt: try #require(Self.url(created.json, "hall-gia-nghia")), path: "\(configuration.dataDirectory)/at-once.ts")
            try hall.start()
            #expect(ContinuousClock.now - answeredAt < .milliseconds(50), "the hall called within 50 ms of the 201")
            defer { hall.stop() }
            let connected = try await Self.waitFor(client, id, token: token) { Self.isConnected($0, "hall-gia-nghia") }
            #expect(Self.isConnected(connected, "hall-gia-nghia"))
            let recent = (connected["recentEvents"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(!recent.contains("hall-refused"), "\(recent)")
            let stored = try database.relayEvents(Int64(id.dropFirst(2))!).map(\.kind)
            #expect(!stored.contains("hall-refused"), "\(stored)")
            #expect(try await client.send("DELETE", "/api/v1/relays/\(id)", token: token).status == 200)
        }
    }

    @Test("each hall's URL carries a key of its own: it opens that hall's stream only, never the site's passphrase")
    func aHallsKeyOpensOnlyThatHall() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try RecordingAPITests.admin(database)
            let created = try await client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-gia-nghia","hall-cu-jut"]}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let giaNghia = try #require(Self.url(created.json, "hall-gia-nghia")), cuJut = try #require(Self.url(created.json, "hall-cu-jut"))
            func key(_ url: String) -> String? { URLComponents(string: url)?.queryItems?.first { $0.name == "passphrase" }?.value }
            let site = try String(contentsOfFile: "\(configuration.dataDirectory)/srt-passphrase", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(key(giaNghia) != nil && key(giaNghia) != key(cuJut))
            #expect(key(giaNghia) != site && key(cuJut) != site, "the site's passphrase is never handed out")
            // Gia Nghĩa's key with Cư Jút's stream id is refused; with its own it is let in.
            let impostor = HallReceiver(srt: giaNghia.replacingOccurrences(of: "streamid=hall-gia-nghia", with: "streamid=hall-cu-jut"), path: "\(configuration.dataDirectory)/impostor.ts")
            let honest = HallReceiver(srt: giaNghia, path: "\(configuration.dataDirectory)/honest.ts")
            try impostor.start()
            try honest.start()
            defer { impostor.stop(); honest.stop() }
            let seen = try await Self.waitFor(client, id, token: token) { relay in
                Self.isConnected(relay, "hall-gia-nghia") && (relay["recentEvents"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "hall-refused" }
            }
            #expect(!Self.isConnected(seen, "hall-cu-jut"), "another hall's key does not open Cư Jút's stream")
            // The relay's worker is its job's: stopping it makes the relay start another, and the hall calls back in.
            let worker = try #require(try await client.send("GET", "/api/v1/workers", token: token).jsonArray.first { $0["purpose"] as? String == "relay" })
            let workerId = try #require(worker["id"] as? String)
            let replaced = try await client.send("DELETE", "/api/v1/workers/\(workerId)", token: token)
            #expect(replaced.status == 202, "\(replaced.text)")
            let again = try await Self.waitFor(client, id, token: token) { relay in
                (relay["restarts"] as? Int ?? 0) >= 1 && Self.isConnected(relay, "hall-gia-nghia")
            }
            #expect(again["state"] as? String == "running", "\(again)")
            #expect(try await client.send("DELETE", "/api/v1/workers/\(workerId)", token: token).status == 404, "the replaced worker is gone")
            #expect(try await client.send("DELETE", "/api/v1/relays/\(id)", token: token).status == 200)
        }
    }

    @Test func technicianStartsWatchesChangesAndStopsARelay() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try RecordingAPITests.admin(database)
            let directory = configuration.dataDirectory
            let created = try await client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-gia-nghia","hall-cu-jut"],"title":"Hội nghị giao ban"}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers["location"] == "/api/v1/relays/\(id)")
            let giaNghiaURL = try #require(Self.url(created.json, "hall-gia-nghia"))
            #expect(giaNghiaURL.contains("streamid=hall-gia-nghia") && giaNghiaURL.contains("pbkeylen=32") && giaNghiaURL.contains("passphrase="))
            let giaNghia = HallReceiver(srt: giaNghiaURL, path: "\(directory)/gia-nghia.ts")
            let cuJut = HallReceiver(srt: try #require(Self.url(created.json, "hall-cu-jut")), path: "\(directory)/cu-jut.ts")
            try giaNghia.start()
            try cuJut.start()
            let running = try await Self.waitFor(client, id, token: token) { Self.isConnected($0, "hall-gia-nghia") && Self.isConnected($0, "hall-cu-jut") }
            #expect(Self.isConnected(running, "hall-gia-nghia") && Self.isConnected(running, "hall-cu-jut"), "\(running)")
            #expect((running["statistics"] as? [String: Any])?["source"] as? String == "live")

            // Add one hall and remove another while the relay runs.
            let added = try await client.send("POST", "/api/v1/relays/\(id)/halls", token: token, json: #"{"hallId":"hall-dak-glong"}"#)
            #expect(added.status == 201, "\(added.text)")
            let dakGlong = HallReceiver(srt: try #require(added.json["url"] as? String), path: "\(directory)/dak-glong.ts")
            try dakGlong.start()
            _ = try await Self.waitFor(client, id, token: token) { Self.isConnected($0, "hall-dak-glong") }
            let removed = try await client.send("DELETE", "/api/v1/relays/\(id)/halls/hall-cu-jut", token: token)
            #expect(removed.status == 200, "\(removed.text)")
            #expect(try await client.send("POST", "/api/v1/relays/\(id)/halls", token: token, json: #"{"hallId":"hall-dak-glong"}"#).status == 409)
            // The removed hall's connection is cut at once, and it cannot call back in.
            try await Task.sleep(for: .seconds(1))
            let cutAt = cuJut.bytes
            try await Task.sleep(for: .seconds(2))
            #expect(cuJut.bytes == cutAt, "the removed hall got \(cuJut.bytes - cutAt) more bytes")

            let listed = try await client.send("GET", "/api/v1/relays", token: token)
            #expect(listed.jsonArray.contains { $0["id"] as? String == id && $0["state"] as? String == "running" })
            let workerPid = try #require(running["pid"] as? Int)
            let stopped = try await client.send("DELETE", "/api/v1/relays/\(id)", token: token)
            #expect(stopped.status == 200, "\(stopped.text)")
            #expect(stopped.json["state"] as? String == "stopped")
            #expect(!ProcessFacts.isAlive(Int32(workerPid)), "no worker is left behind")
            giaNghia.stop(); cuJut.stop(); dakGlong.stop()

            // Gia Nghĩa saw the whole relay without a gap while the others came and went.
            let times = try MediaProbe.videoFrameTimes(giaNghia.path)
            let continuity = MediaProbe.continuity(times)
            let span = (times.last ?? 0) - (times.first ?? 0)
            #expect(span > 3 && Double(times.count) >= span * 25 * 0.95, "\(times.count) frames over \(span) s")
            #expect(continuity.isMonotonic && continuity.largestStep < 0.2, "\(continuity)")
            #expect((try MediaProbe.decodedFrames(dakGlong.path)["h264"] ?? 0) > 25)
            let summary = try #require(try database.relay(Int64(id.dropFirst(2))!))
            let halls = Dictionary(uniqueKeysWithValues: summary.halls.map { ($0.hallId, $0) })
            #expect(halls["hall-cu-jut"]?.removedAt != nil && (halls["hall-gia-nghia"]?.bytes ?? 0) > 100_000)
            #expect((halls["hall-gia-nghia"]?.connectedSeconds ?? 0) >= 3)
            let kinds = try database.relayEvents(summary.id).map(\.kind)
            #expect(kinds.contains("hall-connected") && kinds.contains("hall-added") && kinds.contains("hall-removed") && kinds.contains("source-live"))
        }
    }

    @Test func aStalledWorkerIsReplacedAndEventsAreStreamed() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try RecordingAPITests.admin(database)
            // Follow the server-sent events with curl, as a browser's EventSource would.
            let eventsFile = "\(configuration.dataDirectory)/events.txt"
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            curl.arguments = ["curl", "-sN", "--max-time", "25", "-H", "Authorization: Bearer \(token)", "-o", eventsFile, "\(client.baseURL)/api/v1/events"]
            try curl.run()
            defer { if curl.isRunning { kill(curl.processIdentifier, SIGKILL) } }
            try await Task.sleep(for: .milliseconds(500))
            let created = try await client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-gia-nghia"]}"#)
            let id = try #require(created.json["id"] as? String)
            let hall = HallReceiver(srt: try #require(Self.url(created.json, "hall-gia-nghia")), path: "\(configuration.dataDirectory)/hall.ts")
            try hall.start()
            defer { hall.stop() }
            let running = try await Self.waitFor(client, id, token: token) { Self.isConnected($0, "hall-gia-nghia") }
            let pid = try #require(running["pid"] as? Int)
            // A frozen worker reports nothing: the service kills it and starts another.
            kill(Int32(pid), SIGSTOP)
            let replaced = try await RelayAPITestsSupport.waitFor(client, id, token: token, timeout: .seconds(20)) { relay in
                (relay["pid"] as? Int).map { $0 != pid } == true && Self.isConnected(relay, "hall-gia-nghia")
            }
            #expect((replaced["pid"] as? Int).map { $0 != pid } == true && Self.isConnected(replaced, "hall-gia-nghia"), "\(replaced)")
            #expect(!ProcessFacts.isAlive(Int32(pid)))
            _ = try await client.send("DELETE", "/api/v1/relays/\(id)", token: token)
            kill(curl.processIdentifier, SIGKILL)
            curl.waitUntilExit()
            let stream = (try? String(contentsOfFile: eventsFile, encoding: .utf8)) ?? ""
            #expect(stream.contains("event: hall-connected\ndata: {"), "\(stream)")
            #expect(stream.contains("event: relay-restarting") && stream.contains("stopped reporting"), "\(stream)")
            #expect(stream.contains(#""relayId":\#(id.dropFirst(2))"#))
        }
    }

    @Test func aRelaysFeedIsRecorded() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try RecordingAPITests.admin(database)
            let relay = try #require(try await client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-cu-jut"]}"#).json["id"] as? String)
            let created = try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"relayId":"\#(relay)","partSeconds":5}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            _ = try await RecordingAPITests.waitFor(client, id, token: token) { RecordingAPITests.parts($0).count >= 2 }
            let stopped = try await client.send("DELETE", "/api/v1/recordings/\(id)", token: token).json
            _ = try await client.send("DELETE", "/api/v1/relays/\(relay)", token: token)
            let parts = RecordingAPITests.parts(stopped)
            #expect(parts.count >= 2 && parts.allSatisfy { $0["state"] as? String == "complete" && $0["width"] as? Int == 640 }, "\(stopped)")
            let path = "\(configuration.dataDirectory)/recordings/\(id)/part-00000.mp4"
            #expect((try MediaProbe.decodedFrames(path)["h264"] ?? 0) > 50)
            let halls = try #require(try database.relay(Int64(relay.dropFirst(2))!)).halls.map(\.hallId)
            #expect(halls == ["hall-cu-jut"], "the recorder is not counted as a hall")
            let unknown = try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"relayId":"\#(relay)"}"#)
            #expect(unknown.status == 422, "a stopped relay has no feed to record")
        }
    }

    @Test func badInputIsRefusedWithAReasonAndNoWorker() async throws {
        try await withInProcessServer { client, database, _ in
            let token = try RecordingAPITests.admin(database)
            try database.createUser(name: "kt-cu-jut", role: .technician, unitId: "cu-jut", password: "another long password", actor: "test")
            let district = try database.issueToken(forUser: "kt-cu-jut", label: "test", actor: "test")
            let cases: [(String, Int, String?)] = [
                (#"{"source":"srt://nowhere","halls":["hall-cu-jut"]}"#, 422, "source"),
                (#"{"source":"http://example.org/a.ts","halls":["hall-cu-jut"]}"#, 422, "source"),
                (#"{"source":"demo:","halls":["hall-nowhere"]}"#, 422, "halls"),
                (#"{"source":"demo:","halls":[]}"#, 400, "halls"),
                (#"{"source":"demo:"}"#, 400, "halls"),
                (#"{"source":"demo:","halls":["hall-cu-jut"],"extra":1}"#, 400, nil),
                (#"{"source":"demo:","halls":["hall-cu-jut"],"passThrough":true}"#, 422, "source"),
            ]
            for (body, status, field) in cases {
                let response = try await client.send("POST", "/api/v1/relays", token: token, json: body)
                #expect(response.status == status, "\(body): \(response.text)")
                #expect(response.headers["content-type"]?.hasPrefix("application/problem+json") == true)
                if let field { #expect(response.json["field"] as? String == field, "\(body): \(response.text)") }
            }
            let outside = try await client.send("POST", "/api/v1/relays", token: district, json: #"{"source":"demo:","halls":["hall-cu-jut","hall-gia-nghia"]}"#)
            #expect(outside.status == 403, "\(outside.text)")
            let busy = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(busy) }
            let port = TestPaths.freeUDPPort()
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(busy, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            let taken = try await client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-cu-jut"],"port":\#(port)}"#)
            #expect(taken.status == 409, "\(taken.text)")
            #expect(taken.json["detail"] as? String == "UDP port \(port) is already in use")
            #expect(try await client.send("GET", "/api/v1/relays/rl999", token: token).status == 404)
            #expect(try await client.send("GET", "/api/v1/relays", token: nil).status == 401)
            #expect(try await client.send("GET", "/api/v1/workers", token: token).jsonArray.filter { $0["state"] as? String == "running" }.isEmpty)
            #expect(try database.relays().isEmpty, "nothing was recorded for refused relays")
        }
    }
}

/// The relay's port is open to the WAN: a flood of handshakes must not cut the halls, fill the
/// database or slow the attendance report.
@Suite(.serialized) struct HandshakeFloodTests {
    @Test("20,000 handshakes with random stream ids in 25 seconds: the halls stay connected and the database grows by a bounded number of rows")
    func aHandshakeFloodIsCountedNotStored() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try RecordingAPITests.admin(database)
            let booked = try await client.send("POST", "/api/v1/meetings", token: token, json: #"""
                {"title":"Giao ban","organiserUnitId":"dak-nong","start":"2031-06-02T08:00","end":"2031-06-02T09:00","halls":["hall-gia-nghia","hall-cu-jut"]}
                """#)
            let meetingId = try #require(booked.json["id"] as? String, "\(booked.text)")
            let created = try await client.send("POST", "/api/v1/relays", token: token,
                                                json: #"{"source":"demo:","halls":["hall-gia-nghia","hall-cu-jut"],"meetingId":"\#(meetingId)"}"#)
            let id = try #require(created.json["id"] as? String, "\(created.text)")
            let relayId = Int64(id.dropFirst(2))!
            let giaNghiaURL = try #require(RelayAPITests.url(created.json, "hall-gia-nghia"))
            let halls = [HallReceiver(srt: giaNghiaURL, path: "\(configuration.dataDirectory)/gn.ts"),
                         HallReceiver(srt: try #require(RelayAPITests.url(created.json, "hall-cu-jut")), path: "\(configuration.dataDirectory)/cj.ts")]
            defer { halls.forEach { $0.stop() } }
            for hall in halls { try hall.start() }
            _ = try await RelayAPITests.waitFor(client, id, token: token) { RelayAPITests.isConnected($0, "hall-gia-nghia") && RelayAPITests.isConnected($0, "hall-cu-jut") }
            let rowsBefore = try database.relayEvents(relayId, limit: 1_000_000).count
            var started = ContinuousClock.now
            #expect(try await client.send("GET", "/api/v1/meetings/\(meetingId)/attendance", token: token).status == 200)
            let attendanceBefore = ContinuousClock.now - started

            let port = try #require(URLComponents(string: giaNghiaURL)?.port)
            let flood = try Command.run("python3", [TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/srt-handshake-flood.py").path,
                                                    "127.0.0.1", "\(port)", "20000", "25"], timeout: .seconds(150))
            #expect(flood.status == 0 && flood.output.hasPrefix("20000 handshakes"), "\(flood.output) \(flood.errorOutput)")

            let after = try await RelayAPITests.waitFor(client, id, token: token) { RelayAPITests.isConnected($0, "hall-gia-nghia") && RelayAPITests.isConnected($0, "hall-cu-jut") }
            let stored = try database.relayEvents(relayId, limit: 1_000_000)
            let added = stored.count - rowsBefore
            #expect(added <= 50, "\(added) rows for 20,000 refused handshakes")
            #expect(stored.contains { $0.kind == "hall-refused" }, "the flood is reported")
            #expect(!stored.contains { $0.kind == "hall-disconnected" }, "no hall was cut: \(stored.filter { $0.kind == "hall-disconnected" })")
            #expect(!stored.contains { ($0.detail ?? "").range(of: "[0-9a-f]{24}", options: .regularExpression) != nil }, "no caller's stream id is stored")
            #expect(RelayAPITests.isConnected(after, "hall-gia-nghia"))
            started = ContinuousClock.now
            #expect(try await client.send("GET", "/api/v1/meetings/\(meetingId)/attendance", token: token).status == 200)
            print("handshake flood: \(added) relay event rows added; attendance \(attendanceBefore) before, \(ContinuousClock.now - started) after")
            #expect(try await client.send("DELETE", "/api/v1/relays/\(id)", token: token).status == 200)
        }
    }
}

/// Naming a hall's multicast group as a source would record or relay another unit's picture.
@Suite(.serialized) struct RelaySourceAddressTests {
    @Test("a district technician names configured feeds only; nobody names a hall's group or a relay port as a source")
    func sourcesCannotBeAHallsOutput() async throws {
        try await withInProcessServer { client, database, _ in
            let district = try APITests.token(database, "kt-cu-jut", .technician, unit: "cu-jut")
            let wholeTree = try APITests.token(database, "kt", .technician)
            // Tuy Đức's group: refused to everyone (422); any other typed address: refused to a district (403).
            for (path, body, status) in [("/api/v1/relays", #"{"source":"udp://239.10.8.1:5004","halls":["hall-cu-jut"]}"#, 422),
                                         ("/api/v1/recordings", #"{"source":"udp://239.10.8.1:5004"}"#, 422),
                                         ("/api/v1/recordings", #"{"source":"udp://239.77.0.1:7000"}"#, 403),
                                         ("/api/v1/relays", #"{"source":"srt://10.9.9.9:9000","halls":["hall-cu-jut"]}"#, 403)] {
                let refused = try await client.send("POST", path, token: district, json: body)
                #expect(refused.status == status, "\(path) \(body): \(refused.text)")
            }
            for body in [#"{"source":"udp://239.10.8.1:5004"}"#, #"{"source":"udp://:5004"}"#, #"{"source":"udp://0.0.0.0:9005"}"#] {
                let refused = try await client.send("POST", "/api/v1/recordings", token: wholeTree, json: body)
                #expect(refused.status == 422 && refused.json["field"] as? String == "source", "\(body): \(refused.text)")
            }
            let demo = try await client.send("POST", "/api/v1/relays", token: district, json: #"{"source":"demo:","halls":["hall-cu-jut"]}"#)
            #expect(demo.status == 201, "the demo pattern is anyone's: \(demo.text)")
            if let id = demo.json["id"] as? String { _ = try await client.send("DELETE", "/api/v1/relays/\(id)", token: district) }
        }
    }
}

/// A relay's or a recording's source address is for those who operate media, in every answer.
@Suite(.serialized) struct SourceAddressVisibilityTests {
    @Test("viewers see no source address: not in a relay's recent events, not in a recording")
    func viewersSeeNoSourceAddress() async throws {
        try await withInProcessServer { client, database, configuration in
            let technician = try RecordingAPITests.admin(database)
            let viewer = try APITests.token(database, "cb", .viewer)
            let created = try await client.send("POST", "/api/v1/relays", token: technician, json: #"{"source":"demo:","halls":["hall-gia-nghia"],"title":"Giao ban"}"#)
            let id = try #require(created.json["id"] as? String, "\(created.text)")
            defer { Task { _ = try? await client.send("DELETE", "/api/v1/relays/\(id)", token: technician) } }
            func sourceLive(_ relay: [String: Any]) -> [String: Any]? {
                (relay["recentEvents"] as? [[String: Any]] ?? []).first { $0["kind"] as? String == "source-live" }
            }
            let seen = try await RelayAPITests.waitFor(client, id, token: technician) { sourceLive($0) != nil }
            #expect(sourceLive(seen)?["detail"] as? String == "demo:")
            let asViewer = try await client.send("GET", "/api/v1/relays/\(id)", token: viewer).json
            #expect(sourceLive(asViewer).map { ($0["detail"] as? String ?? "").isEmpty } == true, "\(asViewer)")
            #expect(asViewer["source"] == nil)
            let booked = try await client.send("POST", "/api/v1/meetings", token: technician, json: #"""
                {"title":"Giao ban","organiserUnitId":"dak-nong","start":"2031-06-09T08:00","end":"2031-06-09T09:00","halls":["hall-cu-jut"]}
                """#)
            let meetingId = try #require(booked.json["id"] as? String, "\(booked.text)")
            _ = try database.createRecording(meetingId: meetingId, source: "udp://239.1.1.1:5000", sourceURI: "udp://239.1.1.1:5000", partSeconds: 60, actor: "test")
            let listed = try await client.send("GET", "/api/v1/recordings", token: viewer)
            #expect(listed.text.contains(meetingId) && !listed.text.contains("239.1.1.1"), "the viewer sees the recording, not its source: \(listed.text)")
            #expect(try await client.send("GET", "/api/v1/recordings", token: technician).text.contains("239.1.1.1"))
            _ = configuration
        }
    }
}
