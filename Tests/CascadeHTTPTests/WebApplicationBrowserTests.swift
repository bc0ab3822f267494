import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// The web application in Debian's chromium (Playwright), against a real server with real media:
/// the secretariat books around a taken hall from the suggested slots, adds a delegate and calls the
/// roll, writes minutes and switches to English; a technician starts a relay by hand to three halls
/// and sees them connect when real receivers (gst-launch-1.0) call in, then stops it; staff find a
/// meeting typed without diacritics and play it past a part boundary; an administrator reads the
/// users, the audit log, the server's health and reloads the units and halls. Every screen visited
/// is saved as a full-page screenshot (into `CASCADE_SCREENSHOTS` when set: `deploy/screenshots.sh`
/// regenerates docs/screenshots this way), and every visible form control must have a label.
@Suite(.serialized) struct WebApplicationBrowserTests {
    static let password = "a long test password"

    @Test("secretariat, technician, staff and administrator each do their job in the browser")
    func everyUserDoesTheirJob() async throws {
        let python = TestPaths.packageRoot.appendingPathComponent(".test-tools/venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestFailure("Playwright is not installed: run ./deploy/install-dependencies.sh --test-tools")
        }
        try await withInProcessServer { client, database, configuration in
            for (name, role, unit) in [("vp", Role.secretariat, "dak-nong"), ("kt", .technician, "dak-nong"), ("cb", .viewer, "dak-nong")] {
                try database.createUser(name: name, role: role, unitId: unit, password: Self.password, actor: "test")
            }
            try database.createUser(name: "qt", role: .admin, unitId: nil, password: Self.password, actor: "test")
            let admin = try APITests.token(database, "admin1", .admin)
            // A hall already taken on the day the secretariat will try to book it.
            let takenDate = "2031-03-04"
            let taken = try await client.send("POST", "/api/v1/meetings", token: admin, json: #"""
                {"title":"Họp Huyện ủy Cư Jút","organiserUnitId":"cu-jut","start":"\#(takenDate)T08:00","end":"\#(takenDate)T09:00","halls":["hall-cu-jut"]}
                """#)
            #expect(taken.status == 201, "\(taken.text)")
            // A meeting about to start (its rehearsal under way): the roll call is called there.
            let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(15 * 60))
            let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(75 * 60))
            let current = try await client.send("POST", "/api/v1/meetings", token: admin, json: #"""
                {"title":"Giao ban trực tuyến Tỉnh ủy","organiserUnitId":"dak-nong","start":"\#(soon)","end":"\#(later)","halls":["hall-krong-no"]}
                """#)
            let rollCallMeeting = try #require(current.json["id"] as? String, "\(current.text)")
            // A recorded meeting of the province: two parts end to end, minutes with two chapters.
            let recorded = try await ArchiveAPITests.book(client, admin, title: "Hội nghị Tỉnh ủy Đắk Nông sơ kết quý IV", day: 9)
            let origin = Date().addingTimeInterval(-7200)
            _ = try await RecordedParts.record(database, recordingsDirectory: "\(configuration.dataDirectory)/recordings", meetingId: recorded,
                                               starts: [origin, origin.addingTimeInterval(6)], seconds: 6)
            _ = try await client.send("PUT", "/api/v1/meetings/\(recorded)/minutes", token: admin,
                                      json: #"{"chair":"Bí thư Tỉnh ủy","agenda":[{"title":"Khai mạc","startSeconds":0},{"title":"Báo cáo sơ kết","startSeconds":5}]}"#)
            let map = try await client.send("GET", "/api/v1/meetings/\(recorded)/media", token: admin)
            let parts = try #require(map.json["parts"] as? [[String: Any]])
            let boundary = try #require(parts.last?["offsetSeconds"] as? Double)

            let output = ProcessInfo.processInfo.environment["CASCADE_SCREENSHOTS"]
                ?? TestPaths.packageRoot.appendingPathComponent(".build/test-output/web").path
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let settings: [String: Any] = ["takenDate": takenDate, "recordedMeeting": recorded, "rollCallMeeting": rollCallMeeting, "boundarySeconds": boundary,
                                           "relayHalls": ["hall-gia-nghia", "hall-cu-jut", "hall-dak-glong"]]
            let settingsText = String(decoding: try JSONSerialization.data(withJSONObject: settings), as: UTF8.self)
            let script = TestPaths.packageRoot.appendingPathComponent("Tests/Browser/webapp.py").path
            let run = try Command.run(python, [script, client.baseURL, Self.password, output, settingsText], timeout: .seconds(600))
            #expect(run.status == 0, "\(run.errorOutput)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output) \(run.errorOutput)")

            // Sign-in: labelled fields in a sensible keyboard order, a clear refusal, each role's home.
            let order = report["signInFocusOrder"] as? [String] ?? []
            #expect(order.starts(with: ["skip", "brand", "language", "name", "password", "login-submit"]), "focus order \(order)")
            let tree = report["signInTree"] as? String ?? ""
            #expect(tree.contains("textbox \"Tên đăng nhập\"") && tree.contains("textbox \"Mật khẩu\"") && tree.contains("button \"Đăng nhập\""), "\(tree)")
            #expect(report["refusedSignIn"] as? String == "Sai tên đăng nhập hoặc mật khẩu.")
            #expect(report["secretariatHome"] as? String == "/calendar" && report["technicianHome"] as? String == "/console" && report["staffHome"] as? String == "/archive")
            // After signing in, focus lands on the screen's title (or, in the archive, in its search box).
            let focused = report["focusMovedToTitle"] as? [String: String] ?? [:]
            #expect(focused["vp"] == "screen-title" && focused["kt"] == "screen-title" && focused["qt"] == "screen-title" && focused["cb"] == "search-words", "\(focused)")
            #expect((report["unlabelled"] as? [String: Any])?.isEmpty == true, "form controls without a label: \(report["unlabelled"] ?? "")")
            #expect((report["lowContrast"] as? [String: Any])?.isEmpty == true, "text below WCAG AA contrast: \(report["lowContrast"] ?? "")")
            #expect((report["calendarTree"] as? String ?? "").contains("heading \"Lịch họp\""))

            // Secretariat: the conflict named as they typed, a suggested slot booked, nothing else moved.
            #expect((report["conflictShown"] as? String ?? "").contains("Hội trường Huyện ủy Cư Jút"), "\(report["conflictShown"] ?? "")")
            let booked = try #require(report["booked"] as? String, "\(report)")
            let meeting = try await client.send("GET", "/api/v1/meetings/\(booked)", token: admin)
            #expect(meeting.json["title"] as? String == "Họp Ban Thường vụ về chuyển đổi số")
            #expect(meeting.json["halls"] as? [String] == ["hall-cu-jut"])
            let suggestion = report["suggestion"] as? [String: String] ?? [:]
            // The form shows "dd/mm/yyyy HH:mm"; the meeting starts when the chosen suggestion said.
            let shown = (suggestion["start"] ?? "").split(whereSeparator: { $0 == "/" || $0 == " " }).map(String.init)
            let expectedStart = shown.count == 4 ? "\(shown[2])-\(shown[1])-\(shown[0])T\(shown[3])" : "-"
            #expect((meeting.json["start"] as? String)?.hasPrefix(expectedStart) == true, "booked at the suggested slot \(suggestion), got \(meeting.json["start"] ?? "")")
            #expect(suggestion["chosen"]?.hasPrefix(shown.count == 4 ? "\(shown[3]) \(shown[0])/\(shown[1])/\(shown[2])" : "-") == true, "\(suggestion)")
            let rollCall = try await client.send("GET", "/api/v1/meetings/\(rollCallMeeting)/delegates", token: admin)
            let delegates = try #require((try? JSONSerialization.jsonObject(with: Data(rollCall.text.utf8))) as? [[String: Any]], "\(rollCall.text)")
            #expect(delegates.map { $0["name"] as? String } == ["Nguyễn Văn A"] && delegates.first?["state"] as? String == "present-in-hall", "\(rollCall.text)")
            #expect(report["reasonDialogLabelled"] as? Bool == true && (report["reasonShown"] as? String ?? "").contains("Đi công tác tại Hà Nội"), "\(report["reasonShown"] ?? "")")
            let minutes = try await client.send("GET", "/api/v1/meetings/\(booked)/minutes", token: admin)
            #expect(((minutes.json["content"] as? [String: Any])?["agenda"] as? [[String: Any]])?.first?["title"] as? String == "Báo cáo tiến độ chuyển đổi số", "\(minutes.text)")
            #expect((report["englishNav"] as? String ?? "").contains("Calendar") && (report["englishTitle"] as? String ?? "").hasPrefix("Minutes"), "\(report["englishNav"] ?? "")")

            // Technician: three real receivers made three halls connected, the tree lit them, the relay stopped.
            #expect(report["hallsConnected"] as? Bool == true, "connected: \(report["connectedRows"] ?? "")")
            #expect(report["treeLit"] as? Bool == true)
            #expect(report["relayStopped"] as? Bool == true)
            let relay = try #require(report["relay"] as? String)
            let relayState = try await client.send("GET", "/api/v1/relays/\(relay)", token: admin)
            #expect(relayState.json["state"] as? String == "stopped", "\(relayState.text.prefix(300))")

            // Staff: found without diacritics, played past the boundary between the two parts.
            #expect(report["playedPastBoundary"] as? Bool == true, "playhead \(report["playhead"] ?? ""), boundary \(boundary)")
            #expect((report["chapters"] as? [String])?.count == 2)
            #expect((report["downloads"] as? [String])?.contains("/api/v1/meetings/\(recorded)/media.mp4") == true)

            // Administrator: the audit log filtered to meetings, the reload applied.
            #expect((report["auditActions"] as? [String])?.allSatisfy { $0.hasPrefix("meeting") } == true, "\(report["auditActions"] ?? "")")
            #expect((report["reloadNotice"] as? String ?? "").contains("9 hội trường"), "\(report["reloadNotice"] ?? "")")

            // Every sign-out ended the session on the server.
            for key in ["secretariatSignOut", "technicianSignOut", "staffSignOut"] {
                let signOut = report[key] as? [String: Any] ?? [:]
                #expect(signOut["before"] as? Int == 200 && signOut["after"] as? Int == 401 && signOut["cookieLeft"] as? Bool == false, "\(key): \(signOut)")
            }
            #expect((report["errors"] as? [String])?.isEmpty == true, "browser errors: \(report["errors"] ?? "")")
            #expect((report["screens"] as? [String])?.count ?? 0 >= 18, "\(report["screens"] ?? "")")
        }
    }
}
