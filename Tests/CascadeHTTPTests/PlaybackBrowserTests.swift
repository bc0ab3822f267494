import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// Cascade in Debian's chromium: signed in by the home page's form (a session cookie), the player
/// reached from the search typed without diacritics, signed out at the end. A meeting recorded in two recordings (two parts, a gap, one
/// more part) plays across the part boundary and over the gap, and a chapter click lands on its item.
@Suite(.serialized) struct PlaybackBrowserTests {
    @Test("the player passes a part boundary and a gap without stalling; a chapter lands within a second")
    func playsAcrossPartsAndGaps() async throws {
        let python = TestPaths.packageRoot.appendingPathComponent(".test-tools/venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestFailure("Playwright is not installed: run ./deploy/install-dependencies.sh")
        }
        try await withInProcessServer { client, database, configuration in
            let admin = try APITests.token(database, "admin1", .admin)
            let viewer = try APITests.token(database, "cb", .viewer)
            let meeting = try await ArchiveAPITests.book(client, admin, title: "Hội nghị trực tuyến toàn tỉnh", day: 9)
            let origin = Date().addingTimeInterval(-7200)
            let recordings = "\(configuration.dataDirectory)/recordings"
            _ = try await RecordedParts.record(database, recordingsDirectory: recordings, meetingId: meeting, starts: [origin, origin.addingTimeInterval(6)], seconds: 6)
            _ = try await RecordedParts.record(database, recordingsDirectory: recordings, meetingId: meeting, starts: [origin.addingTimeInterval(18)], seconds: 6)
            _ = try await client.send("PUT", "/api/v1/meetings/\(meeting)/minutes", token: admin,
                                      json: #"{"agenda":[{"title":"Khai mạc","startSeconds":0},{"title":"Phát biểu chỉ đạo","startSeconds":19.5}]}"#)
            let map = try await client.send("GET", "/api/v1/meetings/\(meeting)/media", token: viewer)
            let parts = try #require(map.json["parts"] as? [[String: Any]])
            let boundary = try #require(parts[1]["offsetSeconds"] as? Double)
            let gap = try #require((map.json["gaps"] as? [[String: Any]])?.first)
            let gapStart = try #require(gap["startSeconds"] as? Double), gapEnd = try #require(gap["endSeconds"] as? Double)

            let output = TestPaths.packageRoot.appendingPathComponent(".build/test-output").path
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let script = TestPaths.packageRoot.appendingPathComponent("Tests/Browser/playback.py").path
            let run = try Command.run(python, [script, client.baseURL, "cb", "a long test password", meeting, "\(boundary)", "\(gapStart)", "\(gapEnd)", output, "hoi nghi truc tuyen toan tinh"],
                                  timeout: .seconds(240))
            #expect(run.status == 0, "\(run.errorOutput)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output) \(run.errorOutput)")
            #expect(report["title"] as? String == "Hội nghị trực tuyến toàn tỉnh")
            #expect((report["url"] as? String)?.hasSuffix("/watch?meeting=\(meeting)") == true, "reached from the home page's search")
            let passedBoundary = report["boundary"] as? [Any]
            #expect(passedBoundary?.first as? Bool == true, "currentTime passed the part boundary at \(boundary) s: \(report)")
            let passedGap = report["gap"] as? [Any]
            #expect(passedGap?.first as? Bool == true, "currentTime passed the gap \(gapStart)–\(gapEnd) s: \(report)")
            let chapter = try #require(report["chapter"] as? [String: Any])
            let landed = try #require(chapter["landed"] as? Double)
            #expect(abs(landed - 19.5) < 1, "the chapter click landed at \(landed) s")
            #expect(chapter["plays"] as? Bool == true)
            #expect((report["errors"] as? [Any])?.isEmpty == true, "\(report)")
            // The sign-in is an HttpOnly, SameSite=Strict, expiring cookie; signing out ends it on the server.
            let cookie = try #require(report["cookie"] as? [String: Any], "\(report)")
            #expect(cookie["httpOnly"] as? Bool == true && cookie["sameSite"] as? String == "Strict")
            #expect((cookie["expires"] as? Double ?? -1) > Date().timeIntervalSince1970, "the cookie expires")
            #expect(report["scriptSeesCookie"] as? Bool == false)
            #expect(report["beforeSignOut"] as? Int == 200 && report["afterSignOut"] as? Int == 401, "\(report)")
            #expect(report["cookieLeft"] as? Bool == false)
        }
    }
}
