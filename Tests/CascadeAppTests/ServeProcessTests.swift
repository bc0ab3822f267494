import CascadeTestSupport
import Foundation
import Testing

/// `cascade serve`, `cascade user add`, `cascade token issue` and `cascade demo-feed` as real processes.
@Suite(.serialized) struct ServeProcessTests {
    @Test("the first start writes an administrator password to a 0600 file of the data directory (never to a log) and it works")
    func firstStartKeepsAnAdminPasswordInAFileAndItWorks() async throws {
        let data = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let first = try ServerProcess(dataDirectory: data)
        let password = try #require(first.initialPassword)
        #expect(password.count >= 16)
        #expect(!first.output.contains(password), "standard output (the journal under systemd) never holds the password")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: "\(data)/initial-admin-password")[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let token = try await first.client.login("admin", password)
        let units = try await first.client.send("GET", "/api/v1/units", token: token)
        #expect(units.status == 200)
        #expect(units.jsonArray.count == 10)
        let wrong = try await first.client.send("POST", "/auth/token", json: #"{"name":"admin","password":"admin"}"#)
        #expect(wrong.status == 401, "there is no default password")
        #expect(first.terminate() == 0)

        let second = try ServerProcess(dataDirectory: data)
        #expect(second.initialPassword == nil, "the password is printed only on the first start")
        #expect(!second.output.contains(password))
        _ = try await second.client.login("admin", password)
        #expect(second.terminate() == 0)
    }

    @Test func cliUsersAndTokensGovernTheAPI() async throws {
        let data = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let config = ["--config", TestPaths.demoConfiguration, "--data-dir", data]
        let added = try Command.run(TestPaths.cascadeExecutable, ["user", "add", "kt-cu-jut", "--role", "technician", "--unit", "cu-jut"] + config)
        #expect(added.status == 0, "\(added.errorOutput)")
        #expect(added.output.contains("Password (shown only now):"))
        let issued = try Command.run(TestPaths.cascadeExecutable, ["token", "issue", "kt-cu-jut"] + config)
        #expect(issued.status == 0)
        let token = issued.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("cas_"))

        let badRole = try Command.run(TestPaths.cascadeExecutable, ["user", "add", "x", "--role", "boss"] + config)
        #expect(badRole.status != 0)
        let badUnit = try Command.run(TestPaths.cascadeExecutable, ["user", "add", "y", "--role", "viewer", "--unit", "nowhere"] + config)
        #expect(badUnit.status != 0)
        #expect(badUnit.errorOutput.split(separator: "\n").count == 1)
        let unknownUser = try Command.run(TestPaths.cascadeExecutable, ["token", "issue", "nobody"] + config)
        #expect(unknownUser.status != 0)
        #expect(unknownUser.errorOutput == "cascade: no user named nobody\n")

        let server = try ServerProcess(dataDirectory: data)
        defer { _ = server.terminate() }
        let units = try await server.client.send("GET", "/api/v1/units", token: token)
        #expect(units.status == 200)
        #expect(units.jsonArray.map { $0["id"] as? String } == ["cu-jut"], "a scoped technician sees only their subtree")
        #expect(try await server.client.send("GET", "/api/v1/units/dak-nong", token: token).status == 403)
        #expect(try await server.client.send("GET", "/api/v1/users", token: token).status == 403)
        #expect(try await server.client.send("GET", "/api/v1/workers", token: token).status == 403, "worker processes are server-wide")
        #expect(try await server.client.send("GET", "/api/v1/units", token: "cas_wrong").status == 401)

        // Tokens are listed (never shown) and revoked from the command line; a disabled user is locked out.
        let listed = try Command.run(TestPaths.cascadeExecutable, ["token", "list", "kt-cu-jut"] + config)
        #expect(listed.status == 0 && !listed.output.contains(token), "\(listed.errorOutput)")
        let line = try #require(listed.output.split(separator: "\n").first)
        #expect(line.contains("live") && line.contains("cli"), "\(line)")
        let tokenId = String(line.split(separator: " ").first ?? "")
        #expect(try Command.run(TestPaths.cascadeExecutable, ["token", "revoke", "kt-cu-jut", tokenId] + config).status == 0)
        #expect(try await server.client.send("GET", "/api/v1/units", token: token).status == 401)
        let second = try Command.run(TestPaths.cascadeExecutable, ["token", "issue", "kt-cu-jut"] + config).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await server.client.send("GET", "/api/v1/units", token: second).status == 200)
        #expect(try Command.run(TestPaths.cascadeExecutable, ["user", "disable", "kt-cu-jut"] + config).status == 0)
        #expect(try await server.client.send("GET", "/api/v1/units", token: second).status == 401)
        let reset = try Command.run(TestPaths.cascadeExecutable, ["user", "reset-password", "kt-cu-jut"] + config)
        #expect(reset.output.hasPrefix("New password for kt-cu-jut (shown only now): "))
        let missing = try Command.run(TestPaths.cascadeExecutable, ["user", "disable", "nobody"] + config)
        #expect(missing.status == 1 && missing.errorOutput == "cascade: no user named nobody\n")
    }

    @Test func sigtermStopsWorkersAndExitsZero() async throws {
        let data = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServerProcess(dataDirectory: data)
        let token = try await server.client.login("admin", try #require(server.initialPassword))
        let port = TestPaths.freeUDPPort()
        let created = try await server.client.send("POST", "/api/v1/demo-feeds", token: token, json: #"{"output":"srt://127.0.0.1:\#(port)?mode=listener"}"#)
        #expect(created.status == 201, "\(created.text)")
        let workerPid = try #require(created.json["pid"] as? Int)
        try await Task.sleep(for: .seconds(1))
        #expect(ProcessFacts.isAlive(Int32(workerPid)))
        #expect(server.terminate() == 0)
        #expect(!ProcessFacts.isAlive(Int32(workerPid)), "no worker outlives a graceful stop")
    }

    @Test func demoFeedIsAStreamFFprobeReads() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = TestPaths.freeUDPPort()
        let feed = Process()
        feed.executableURL = URL(fileURLWithPath: TestPaths.cascadeExecutable)
        feed.arguments = ["demo-feed", "--output", "srt://127.0.0.1:\(port)?mode=listener", "--seconds", "20"]
        feed.standardError = FileHandle.nullDevice
        try feed.run()
        defer { if feed.isRunning { feed.terminate() } }
        try await Task.sleep(for: .seconds(1))
        let file = "\(directory)/feed.ts"
        // An independent receiver: ffmpeg calls the feed and copies 4 s of it.
        let copy = try Command.run("ffmpeg", ["-v", "error", "-y", "-i", "srt://127.0.0.1:\(port)?mode=caller", "-t", "4", "-c", "copy", file])
        #expect(copy.status == 0, "\(copy.errorOutput)")
        let streams = try MediaProbe.streams(file)
        #expect(streams.contains { $0.codec == "h264" && $0.width == 640 && $0.height == 360 })
        #expect(streams.contains { $0.codec == "aac" })
        let frames = try MediaProbe.decodedFrames(file)
        #expect((frames["h264"] ?? 0) >= 50, "about 25 frames a second")
        feed.terminate()
        feed.waitUntilExit()
        #expect(feed.terminationStatus == 0, "SIGTERM ends the feed cleanly")
    }

    @Test func demoFeedRefusesABadURLOnOneLine() throws {
        let result = try Command.run(TestPaths.cascadeExecutable, ["demo-feed", "--output", "http://example:80"])
        #expect(result.status != 0)
        #expect(result.errorOutput == "cascade: http://example:80 is not an srt:// URL\n")
    }
}

/// `cascade meetings …` against a real server process.
@Suite(.serialized) struct MeetingsCommandTests {
    @Test func secretariatBooksAWeeklyBriefingAndReadsTheConflictReport() async throws {
        let data = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let config = ["--config", TestPaths.demoConfiguration, "--data-dir", data]
        _ = try Command.run(TestPaths.cascadeExecutable, ["user", "add", "vp", "--role", "secretariat", "--unit", "dak-nong"] + config)
        let token = try Command.run(TestPaths.cascadeExecutable, ["token", "issue", "vp"] + config).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServerProcess(dataDirectory: data)
        defer { _ = server.terminate() }
        let connection = ["--server", "http://127.0.0.1:\(server.port)", "--token-file", try TokenFile.path(for: token)]
        let monday = LocalDateText.monday(inWeeks: 1)
        let booked = try Command.run(TestPaths.cascadeExecutable, ["meetings", "book", "--title", "Giao ban", "--unit", "dak-nong",
            "--start", "\(monday)T07:30", "--end", "\(monday)T09:00", "--halls-of-unit", "dak-nong", "--repeat", "weekly", "--weekday", "1"] + connection)
        #expect(booked.status == 0, "\(booked.errorOutput)")
        #expect(booked.output.hasPrefix("Booked series s1: Giao ban"))
        let clash = try Command.run(TestPaths.cascadeExecutable, ["meetings", "book", "--title", "Họp", "--unit", "dak-nong",
            "--start", "\(monday)T08:00", "--end", "\(monday)T10:00", "--hall", "hall-cu-jut"] + connection)
        #expect(clash.status == 1)
        #expect(clash.errorOutput.contains("hall-busy: hall hall-cu-jut is already booked for \"Giao ban\""))
        #expect(clash.errorOutput.contains("Free slots for the same halls:"))
        let listed = try Command.run(TestPaths.cascadeExecutable, ["meetings", "list", "--from", monday, "--search", "GIAO BAN"] + connection)
        #expect(listed.output.split(separator: "\n").count == 5, "30 days of Mondays: \(listed.output)")
        let cancelled = try Command.run(TestPaths.cascadeExecutable, ["meetings", "cancel", "s1-\(monday)", "--scope", "occurrence"] + connection)
        #expect(cancelled.status == 0)
        let missing = try Command.run(TestPaths.cascadeExecutable, ["meetings", "show", "m404"] + connection)
        #expect(missing.status == 1)
        #expect(missing.errorOutput == "cascade: no meeting m404\n")
        let noToken = try Command.run(TestPaths.cascadeExecutable, ["meetings", "list", "--server", "http://127.0.0.1:\(server.port)", "--token-file", try TokenFile.path(for: "cas_wrong")])
        #expect(noToken.errorOutput == "cascade: the bearer token is unknown, expired or revoked\n")
    }
}

/// Dates relative to today in the demo zone.
enum LocalDateText {
    /// A Monday at least `weeks` weeks ahead, as yyyy-MM-dd.
    static func monday(inWeeks weeks: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let today = calendar.startOfDay(for: Date())
        let weekday = calendar.component(.weekday, from: today)  // 1 Sunday … 7 Saturday
        let daysToMonday = (9 - weekday) % 7 == 0 ? 7 : (9 - weekday) % 7
        let date = calendar.date(byAdding: .day, value: daysToMonday + 7 * weeks, to: today)!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// `days` after the date `text` (yyyy-MM-dd).
    static func add(days: Int, to text: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: calendar.date(byAdding: .day, value: days, to: formatter.date(from: text)!)!)
    }
}

/// `cascade recordings …` against a real server process and its data directory.
@Suite(.serialized) struct RecordingsCommandTests {
    @Test func startStopShowAndVerifyFromTheCommandLine() async throws {
        let data = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let config = ["--config", TestPaths.demoConfiguration, "--data-dir", data]
        _ = try Command.run(TestPaths.cascadeExecutable, ["user", "add", "kt", "--role", "technician"] + config)
        let token = try Command.run(TestPaths.cascadeExecutable, ["token", "issue", "kt"] + config).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let feed = DemoFeedProcess()
        try feed.start()
        defer { feed.stop() }
        let server = try ServerProcess(dataDirectory: data)
        defer { _ = server.terminate() }
        let connection = ["--server", "http://127.0.0.1:\(server.port)", "--token-file", try TokenFile.path(for: token)]
        let started = try Command.run(TestPaths.cascadeExecutable, ["recordings", "start", "--source", feed.callerURL] + connection)
        #expect(started.status == 0, "\(started.errorOutput)")
        #expect(started.output.hasPrefix("Recording r1 started"))
        try await Task.sleep(for: .seconds(6))
        let stopped = try Command.run(TestPaths.cascadeExecutable, ["recordings", "stop", "r1"] + connection)
        #expect(stopped.output.hasPrefix("Stopped r1  stopped"), "\(stopped.output)\(stopped.errorOutput)")
        let shown = try Command.run(TestPaths.cascadeExecutable, ["recordings", "show", "r1"] + connection)
        #expect(shown.output.contains("part 0") && shown.output.contains("complete"))
        #expect(try Command.run(TestPaths.cascadeExecutable, ["recordings", "list"] + connection).output.hasPrefix("r1  stopped"))

        // The database, its WAL, the recordings and their parts are the server's user's alone.
        for (path, mode) in [(data, 0o700), ("\(data)/cascade.sqlite", 0o600), ("\(data)/cascade.sqlite-wal", 0o600),
                             ("\(data)/recordings", 0o700), ("\(data)/recordings/r1", 0o700), ("\(data)/recordings/r1/part-00000.mp4", 0o600)] {
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(permissions == mode, "\(path) is \(String(permissions ?? 0, radix: 8))")
        }
        let verified = try Command.run(TestPaths.cascadeExecutable, ["recordings", "verify"] + config)
        #expect(verified.status == 0)
        #expect(verified.output.contains("files and index agree"), "\(verified.output)")

        let folder = "\(data)/recordings/r1"
        try FileManager.default.removeItem(atPath: "\(folder)/part-00000.mp4")
        try Data("stray".utf8).write(to: URL(fileURLWithPath: "\(folder)/part-00099.mp4"))
        let broken = try Command.run(TestPaths.cascadeExecutable, ["recordings", "verify"] + config)
        #expect(broken.status == 1)
        #expect(broken.output.contains("the index lists part-00000.mp4 but the file is gone"))
        #expect(broken.output.contains("part-00099.mp4 is on disk but not in the index"))
        let missing = try Command.run(TestPaths.cascadeExecutable, ["recordings", "show", "r404"] + connection)
        #expect(missing.errorOutput == "cascade: no recording r404\n")
    }

    @Test func aRelayOutlivesAServerRestartAndIsReattached() async throws {
        let data = try TestPaths.makeTemporaryDirectory()
        defer {
            _ = try? Command.run("pkill", ["-KILL", "-f", "--", "--socket \(data)/"])
            try? FileManager.default.removeItem(atPath: data)
        }
        let first = try ServerProcess(dataDirectory: data)
        let token = try await first.client.login("admin", try #require(first.initialPassword))
        let created = try await first.client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-gia-nghia"]}"#)
        let id = try #require(created.json["id"] as? String)
        let hall = HallReceiver(srt: try #require(RelayAPITestsSupport.url(created.json, "hall-gia-nghia")), path: "\(data)/hall.ts")
        try hall.start()
        defer { hall.stop() }
        let running = try await RelayAPITestsSupport.waitFor(first.client, id, token: token) { RelayAPITestsSupport.isConnected($0, "hall-gia-nghia") }
        let pid = try #require(running["pid"] as? Int)
        try await Task.sleep(for: .seconds(2))

        #expect(first.terminate() == 0)
        #expect(ProcessFacts.isAlive(Int32(pid)), "the relay worker keeps running without its server")
        // The relay's keys are in the 0600 secrets file, never in the database.
        let passphrase = try String(contentsOfFile: "\(data)/srt-passphrase", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        for file in ["cascade.sqlite", "cascade.sqlite-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: "\(data)/\(file)"))) ?? Data()
            #expect(bytes.range(of: Data(passphrase.utf8)) == nil, "\(file) holds the SRT passphrase")
        }
        let secretsFile = "\(data)/secrets/relay-\(id.dropFirst(2)).json"
        #expect(try String(contentsOfFile: secretsFile, encoding: .utf8).contains(passphrase))
        #expect(try FileManager.default.attributesOfItem(atPath: secretsFile)[.posixPermissions] as? Int == 0o600)
        let bytesWithoutServer = hall.bytes
        try await Task.sleep(for: .seconds(2))
        #expect(hall.bytes > bytesWithoutServer, "the hall keeps receiving while the server is down")

        let second = try ServerProcess(dataDirectory: data)
        let reattached = try await RelayAPITestsSupport.waitFor(second.client, id, token: token) { relay in
            relay["state"] as? String == "running" && RelayAPITestsSupport.isConnected(relay, "hall-gia-nghia")
        }
        #expect(reattached["pid"] as? Int == pid, "the same worker, re-attached: \(reattached)")
        #expect(reattached["restarts"] as? Int == 0)
        try await Task.sleep(for: .seconds(2))
        let stopped = try await second.client.send("DELETE", "/api/v1/relays/\(id)", token: token)
        #expect(stopped.json["state"] as? String == "stopped")
        #expect(!ProcessFacts.isAlive(Int32(pid)))
        #expect(!FileManager.default.fileExists(atPath: secretsFile), "a stopped relay's keys are forgotten")
        #expect(second.terminate() == 0)
        hall.stop()
        let times = try MediaProbe.videoFrameTimes(hall.path)
        let continuity = MediaProbe.continuity(times)
        #expect(times.count > 150 && continuity.isMonotonic && continuity.largestStep < 0.2, "\(times.count) frames, \(continuity): no cut across the restart")
    }
}
