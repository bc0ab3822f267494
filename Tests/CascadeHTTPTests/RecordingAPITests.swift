import CascadeApp
import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// Recordings end to end: the demo feed over SRT, the recording service and its workers, the index, HTTP.
@Suite(.serialized) struct RecordingAPITests {
    static func admin(_ database: AppDatabase) throws -> String {
        try database.createUser(name: "kt", role: .admin, unitId: nil, password: "a long test password", actor: "test")
        return try database.issueToken(forUser: "kt", label: "test", actor: "test")
    }

    /// Polls the recording until `done` holds or `timeout` passes; returns the last state.
    static func waitFor(_ client: HTTPClient, _ id: String, token: String, timeout: Duration = .seconds(40),
                        until done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            last = try await client.send("GET", "/api/v1/recordings/\(id)", token: token).json
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(300))
        }
        return last
    }

    static func parts(_ recording: [String: Any]) -> [[String: Any]] { recording["parts"] as? [[String: Any]] ?? [] }

    @Test func recordsTenSecondPartsThatDecodeAndMatchTheirIndex() async throws {
        let feed = DemoFeedProcess()
        try feed.start()
        defer { feed.stop() }
        try await withInProcessServer { client, database, configuration in
            let token = try Self.admin(database)
            let created = try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"source":"\#(feed.callerURL)","partSeconds":10}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let opened = try await Self.waitFor(client, id, token: token) { !Self.parts($0).isEmpty }
            let began = ContinuousClock.now
            #expect(!Self.parts(opened).isEmpty, "a part opens once media flows")
            _ = try await Self.waitFor(client, id, token: token, timeout: .seconds(60)) { Self.parts($0).count >= 3 }
            try await Task.sleep(for: .seconds(2))
            let stopped = try await client.send("DELETE", "/api/v1/recordings/\(id)", token: token)
            let recorded = Double((ContinuousClock.now - began).components.seconds)
            #expect(stopped.status == 200)
            #expect(stopped.json["state"] as? String == "stopped")
            let parts = Self.parts(stopped.json)
            #expect(parts.count >= 3, "\(parts.count) parts")
            var total = 0.0
            for part in parts {
                #expect(part["state"] as? String == "complete")
                let index = try #require(part["index"] as? Int)
                let path = "\(configuration.dataDirectory)/recordings/\(id)/\(RecordingPart.fileName(index))"
                #expect((try MediaProbe.decodedFrames(path)["h264"] ?? 0) > 0, "part \(index) decodes")
                #expect(part["sha256"] as? String == (try Command.run("sha256sum", [path]).output.split(separator: " ").first.map(String.init)))
                #expect((part["durationSeconds"] as? Double ?? 99) <= 11.5)
                total += part["durationSeconds"] as? Double ?? 0
            }
            #expect(abs(total - (stopped.json["totalSeconds"] as? Double ?? 0)) < 0.01)
            #expect(total > recorded - 2.5 && total < recorded + 1.5, "\(total) s of media in about \(recorded) s")
            #expect((stopped.json["gaps"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aKilledRecorderLeavesAPartialPartAndRecordingGoesOn() async throws {
        let feed = DemoFeedProcess()
        try feed.start()
        defer { feed.stop() }
        try await withInProcessServer { client, database, configuration in
            let token = try Self.admin(database)
            let id = try #require(try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"source":"\#(feed.callerURL)","partSeconds":60}"#).json["id"] as? String)
            _ = try await Self.waitFor(client, id, token: token) { !Self.parts($0).isEmpty }
            try await Task.sleep(for: .seconds(5))
            let workers = try await client.send("GET", "/api/v1/workers", token: token).jsonArray
            let recorder = try #require(workers.first { $0["purpose"] as? String == "recording" && $0["state"] as? String == "running" })
            let killedAt = Date()
            kill(Int32(recorder["pid"] as! Int), SIGKILL)
            let resumed = try await Self.waitFor(client, id, token: token) { Self.parts($0).count >= 2 }
            let first = try #require(Self.parts(resumed).first)
            #expect(first["state"] as? String == "partial")
            let opened = ISO8601DateFormatter().date(from: first["startedAt"] as? String ?? "") ?? killedAt
            let kept = first["durationSeconds"] as? Double ?? 0
            #expect(kept >= killedAt.timeIntervalSince(opened) - 2.5, "kept \(kept) s of \(killedAt.timeIntervalSince(opened)) s")
            let path = "\(configuration.dataDirectory)/recordings/\(id)/\(RecordingPart.fileName(0))"
            #expect((try MediaProbe.decodedFrames(path)["h264"] ?? 0) >= Int(kept * 25) - 1, "the cut part plays")
            let gaps = resumed["gaps"] as? [[String: Any]] ?? []
            #expect(gaps.count == 1)
            #expect((gaps.first?["reason"] as? String)?.contains("crashed") == true)
            #expect(Self.parts(resumed).last?["state"] as? String == "recording", "recording goes on in a new part")
            #expect(try await client.send("DELETE", "/api/v1/recordings/\(id)", token: token).json["state"] as? String == "stopped")
        }
    }

    @Test func sourceLossIsAGapWithItsInterval() async throws {
        let feed = DemoFeedProcess()
        try feed.start()
        defer { feed.stop() }
        try await withInProcessServer { client, database, _ in
            let token = try Self.admin(database)
            let id = try #require(try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"source":"\#(feed.callerURL)","partSeconds":60}"#).json["id"] as? String)
            _ = try await Self.waitFor(client, id, token: token) { !Self.parts($0).isEmpty }
            try await Task.sleep(for: .seconds(3))
            feed.stop()
            try await Task.sleep(for: .seconds(5))
            try feed.start()
            let resumed = try await Self.waitFor(client, id, token: token) { Self.parts($0).count >= 2 }
            let gaps = resumed["gaps"] as? [[String: Any]] ?? []
            #expect(gaps.count == 1, "\(resumed)")
            let formatter = ISO8601DateFormatter()
            if let start = formatter.date(from: gaps.first?["start"] as? String ?? ""), let end = formatter.date(from: gaps.first?["end"] as? String ?? "") {
                #expect(end.timeIntervalSince(start) >= 4 && end.timeIntervalSince(start) <= 15, "gap of \(end.timeIntervalSince(start)) s for a 5 s outage")
            } else {
                Issue.record("the gap has no interval: \(gaps)")
            }
            #expect((gaps.first?["reason"] as? String)?.hasPrefix("source lost") == true)
            _ = try await client.send("DELETE", "/api/v1/recordings/\(id)", token: token)
        }
    }

    @Test func aSourceThatNeverProducesFailsWithTheReason() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try Self.admin(database)
            let silent = "srt://127.0.0.1:\(TestPaths.freeUDPPort())?mode=caller&latency=200"
            let id = try #require(try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"source":"\#(silent)"}"#).json["id"] as? String)
            let ended = try await Self.waitFor(client, id, token: token, timeout: .seconds(45)) { $0["state"] as? String != "recording" }
            #expect(ended["state"] as? String == "failed")
            #expect((ended["reason"] as? String)?.hasPrefix("no media from the source within") == true, "\(ended)")
            #expect(Self.parts(ended).isEmpty)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: "\(configuration.dataDirectory)/recordings/\(id)")) ?? []
            #expect(files.isEmpty, "no empty part is left behind: \(files)")
        }
    }

    @Test func partsAreServedWithRanges() async throws {
        let feed = DemoFeedProcess()
        try feed.start()
        defer { feed.stop() }
        try await withInProcessServer { client, database, configuration in
            let token = try Self.admin(database)
            let id = try #require(try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"source":"\#(feed.callerURL)"}"#).json["id"] as? String)
            _ = try await Self.waitFor(client, id, token: token) { !Self.parts($0).isEmpty }
            try await Task.sleep(for: .seconds(3))
            let stopped = try await client.send("DELETE", "/api/v1/recordings/\(id)", token: token).json
            let sha = try #require(Self.parts(stopped).first?["sha256"] as? String)
            let file = try Data(contentsOf: URL(fileURLWithPath: "\(configuration.dataDirectory)/recordings/\(id)/part-00000.mp4"))
            let url = "/api/v1/recordings/\(id)/parts/0"

            let whole = try await client.send("GET", url, token: token)
            #expect(whole.status == 200)
            #expect(whole.body == file)
            #expect(whole.headers["content-type"] == "video/mp4")
            #expect(whole.headers["accept-ranges"] == "bytes")
            #expect(whole.headers["etag"] == "\"\(sha)\"")
            let head = try await client.send("GET", url, token: token, headers: ["Range": "bytes=0-99"])
            #expect(head.status == 206)
            #expect(head.body == file.prefix(100))
            #expect(head.headers["content-range"] == "bytes 0-99/\(file.count)")
            let middle = try await client.send("GET", url, token: token, headers: ["Range": "bytes=1000-1999"])
            #expect(middle.body == file.subdata(in: 1000..<2000))
            let suffix = try await client.send("GET", url, token: token, headers: ["Range": "bytes=-500"])
            #expect(suffix.body == file.suffix(500))
            let open = try await client.send("GET", url, token: token, headers: ["Range": "bytes=\(file.count - 10)-"])
            #expect(open.body == file.suffix(10))
            let beyond = try await client.send("GET", url, token: token, headers: ["Range": "bytes=\(file.count)-"])
            #expect(beyond.status == 416)
            #expect(beyond.headers["content-range"] == "bytes */\(file.count)")
            #expect(beyond.json["headers"] == nil && beyond.json["status"] as? Int == 416, "headers travel as headers, not in the problem body")
            #expect(try await client.send("GET", url, token: token, headers: ["Range": "bytes=0-1,5-9"]).status == 416)
            #expect(try await client.send("GET", url, token: token, headers: ["Range": "pages=1-2"]).status == 400)
            #expect(try await client.send("GET", url, token: token, headers: ["Range": "bytes=9-1"]).status == 400)
            #expect(try await client.send("GET", url, token: token, headers: ["If-None-Match": "\"\(sha)\""]).status == 304)
            #expect(try await client.send("GET", "/api/v1/recordings/\(id)/parts/7", token: token).status == 404)
            #expect(try await client.send("GET", "/api/v1/recordings/r999", token: token).status == 404)
            // ffprobe over HTTP: a Range-reading client plays the part from the server.
            let probe = try Command.run("ffprobe", ["-v", "error", "-headers", "Authorization: Bearer \(token)\r\n", "-count_frames",
                                                    "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", client.baseURL + url])
            #expect(probe.output.contains("h264,"), "\(probe.errorOutput)")
        }
    }

    @Test func badRecordingRequestsAreRefused() async throws {
        try await withInProcessServer { client, database, _ in
            let token = try Self.admin(database)
            let viewer: String = try {
                try database.createUser(name: "staff", role: .viewer, unitId: nil, password: "a long test password", actor: "test")
                return try database.issueToken(forUser: "staff", label: "test", actor: "test")
            }()
            for (body, status, field) in [
                (#"{"source":"http://example/feed"}"#, 422, "source"),
                (#"{"relayId":"relay-1"}"#, 422, "relayId"),
                (#"{}"#, 400, "source"),
                (#"{"source":"srt://127.0.0.1:9?mode=caller","partSeconds":1}"#, 422, "partSeconds"),
                (#"{"source":"srt://127.0.0.1:9?mode=caller","meetingId":"m404"}"#, 422, "meetingId"),
                (#"{"source":"srt://127.0.0.1:9?mode=caller","path":"/etc/passwd"}"#, 400, "path"),
            ] {
                let result = try await client.send("POST", "/api/v1/recordings", token: token, json: body)
                #expect(result.status == status, "\(body): \(result.text)")
                #expect(result.json["field"] as? String == field)
            }
            #expect(try await client.send("POST", "/api/v1/recordings", token: viewer, json: #"{"source":"srt://127.0.0.1:9?mode=caller"}"#).status == 403)
            #expect(try await client.send("GET", "/api/v1/recordings", token: viewer).status == 200)
            #expect(try await client.send("DELETE", "/api/v1/recordings/r77", token: token).status == 404)
        }
    }

    @Test func aStartBelowTheFreeSpaceFloorIsRefused() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        let config = "\(directory)/cascade.yaml"
        let demo = try String(contentsOfFile: TestPaths.demoConfiguration, encoding: .utf8)
        try (demo + "\nrecording: {freeSpaceFloorMB: 10000000, freeSpaceFloorPercent: 100}\n").write(toFile: config, atomically: true, encoding: .utf8)
        try await withInProcessServer(config: config) { client, database, _ in
            let token = try Self.admin(database)
            let refused = try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"source":"srt://127.0.0.1:9?mode=caller"}"#)
            #expect(refused.status == 507)
            #expect((refused.json["detail"] as? String)?.contains("below the floor") == true)
            #expect(try await client.send("GET", "/api/v1/recordings", token: token).jsonArray.isEmpty, "nothing is written")
        }
    }

    @Test func recordingStopsCleanlyBeforeTheDiskFills() async throws {
        let mount = try TestPaths.makeTemporaryDirectory()
        let mounted = try Command.run("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mount])
        try #require(mounted.status == 0, "a small tmpfs stands in for a nearly full disk: \(mounted.errorOutput)")
        defer { _ = try? Command.run("umount", [mount]) }
        let config = "\(mount)/cascade.yaml"
        let demo = try String(contentsOfFile: TestPaths.demoConfiguration, encoding: .utf8)
        try (demo + "\nrecording: {freeSpaceFloorMB: 6, freeSpaceFloorPercent: 100}\n").write(toFile: config, atomically: true, encoding: .utf8)
        var configuration = try ConfigurationLoader.load(path: config)
        configuration.dataDirectory = "\(mount)/data"
        let database = try AppDatabase.open(dataDirectory: configuration.dataDirectory, passwordCost: 4)
        try database.syncTopology(configuration.tree)
        let token = try Self.admin(database)
        let feed = DemoFeedProcess()
        try feed.start()
        defer { feed.stop() }
        let dataDirectory = configuration.dataDirectory
        try await withInProcessServer(configuration, database: database) { client in
            let created = try await client.send("POST", "/api/v1/recordings", token: token, json: #"{"source":"\#(feed.callerURL)"}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let ended = try await Self.waitFor(client, id, token: token, timeout: .seconds(90)) { $0["state"] as? String != "recording" }
            #expect(ended["state"] as? String == "stopped")
            #expect((ended["reason"] as? String)?.contains("below the floor") == true, "\(ended)")
            let parts = Self.parts(ended)
            #expect(!parts.isEmpty)
            #expect(parts.allSatisfy { $0["state"] as? String == "complete" }, "the last part is finalised: \(parts)")
            let path = "\(dataDirectory)/recordings/\(id)/\(RecordingPart.fileName(0))"
            #expect((try MediaProbe.decodedFrames(path)["h264"] ?? 0) > 25)
            #expect(try database.auditEntries(limit: 50).contains { $0.action == "recording.disk-alarm" })
        }
    }
}

/// Years of recordings are listed a page at a time.
@Suite(.serialized) struct RecordingListPagingTests {
    @Test("the recordings list comes in pages, newest first, with a Link to the next; bad paging is refused naming the field")
    func recordingsAreListedInPages() async throws {
        try await withInProcessServer { client, database, _ in
            let token = try RecordingAPITests.admin(database)
            for port in 5000..<5005 {
                _ = try database.createRecording(meetingId: nil, source: "udp://239.1.1.1:\(port)", sourceURI: "udp://239.1.1.1:\(port)", partSeconds: 60, actor: "test")
            }
            let first = try await client.send("GET", "/api/v1/recordings?limit=2", token: token)
            #expect(first.jsonArray.compactMap { $0["id"] as? String } == ["r5", "r4"])
            let next = try #require(first.headers["link"], "a Link to the next page")
            #expect(next == #"</api/v1/recordings?before=r4&limit=2>; rel="next""#)
            let path = String(next.dropFirst().prefix { $0 != ">" })
            let second = try await client.send("GET", path, token: token)
            #expect(second.jsonArray.compactMap { $0["id"] as? String } == ["r3", "r2"])
            let last = try await client.send("GET", "/api/v1/recordings?before=r2&limit=2", token: token)
            #expect(last.jsonArray.compactMap { $0["id"] as? String } == ["r1"] && last.headers["link"] == nil)
            #expect(try await client.send("GET", "/api/v1/recordings", token: token).jsonArray.count == 5, "100 to a page by default")
            for (query, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("limit=abc", "limit"), ("before=12", "before")] {
                let refused = try await client.send("GET", "/api/v1/recordings?\(query)", token: token)
                #expect(refused.status == 422 && refused.json["field"] as? String == field, "\(query): \(refused.text)")
            }
        }
    }
}
