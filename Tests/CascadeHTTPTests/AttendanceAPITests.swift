import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// Attendance measured end to end: a meeting relayed to halls played by real receivers.
@Suite(.serialized) struct AttendanceAPITests {
    static func isoDate(_ value: Any?) -> Date? {
        (value as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
    }

    @Test func hallsJoiningLateAndRemovedAreMeasuredFromTheRelay() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try RecordingAPITests.admin(database)
            // A meeting starting in ten minutes: the relay now is its rehearsal.
            let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
            let (day, time) = Zone(zone).local(Date().addingTimeInterval(600))
            let start = String(format: "%@T%02d:%02d", day.description, time.hour, time.minute)
            let (endDay, endTime) = Zone(zone).local(Date().addingTimeInterval(4200))
            let end = String(format: "%@T%02d:%02d", endDay.description, endTime.hour, endTime.minute)
            let booked = try await client.send("POST", "/api/v1/meetings", token: token, json: #"""
                {"title":"Giao ban trực tuyến","organiserUnitId":"dak-nong","start":"\#(start)","end":"\#(end)",
                 "halls":["hall-gia-nghia","hall-cu-jut","hall-tuy-duc"]}
                """#)
            #expect(booked.status == 201, "\(booked.text)")
            let meetingId = try #require(booked.json["id"] as? String)
            let created = try await client.send("POST", "/api/v1/relays", token: token,
                                                json: #"{"source":"demo:","halls":["hall-gia-nghia","hall-cu-jut","hall-tuy-duc"],"meetingId":"\#(meetingId)"}"#)
            #expect(created.status == 201, "\(created.text)")
            let relayId = try #require(created.json["id"] as? String)
            let giaNghia = HallReceiver(srt: try #require(RelayAPITestsSupport.url(created.json, "hall-gia-nghia")), path: "\(configuration.dataDirectory)/gn.ts")
            let cuJut = HallReceiver(srt: try #require(RelayAPITestsSupport.url(created.json, "hall-cu-jut")), path: "\(configuration.dataDirectory)/cj.ts")
            defer { giaNghia.stop(); cuJut.stop() }
            try giaNghia.start()
            _ = try await RelayAPITestsSupport.waitFor(client, relayId, token: token) { RelayAPITestsSupport.isConnected($0, "hall-gia-nghia") }
            // Cư Jút joins late, then a technician removes it.
            let cuJutCalledAt = Date()
            try cuJut.start()
            _ = try await RelayAPITestsSupport.waitFor(client, relayId, token: token) { RelayAPITestsSupport.isConnected($0, "hall-cu-jut") }
            let removedAt = Date()
            let removed = try await client.send("DELETE", "/api/v1/relays/\(relayId)/halls/hall-cu-jut", token: token)
            #expect(removed.status == 200, "\(removed.text)")
            let stoppedAt = Date()
            let stopped = try await client.send("DELETE", "/api/v1/relays/\(relayId)", token: token)
            #expect(stopped.status == 200, "\(stopped.text)")

            let attendance = try await client.send("GET", "/api/v1/meetings/\(meetingId)/attendance", token: token)
            #expect(attendance.status == 200, "\(attendance.text)")
            let halls = Dictionary(uniqueKeysWithValues: (attendance.json["halls"] as? [[String: Any]] ?? []).compactMap { hall in
                (hall["hallId"] as? String).map { ($0, hall) }
            })
            let gn = try #require(halls["hall-gia-nghia"]), cj = try #require(halls["hall-cu-jut"]), td = try #require(halls["hall-tuy-duc"])
            let gnIntervals = try #require(gn["intervals"] as? [[String: Any]])
            #expect(gnIntervals.count == 1 && gnIntervals.first?["leaveReason"] as? String == "relay-stopped", "\(gn)")
            let gnLeft = try #require(Self.isoDate(gnIntervals.first?["leftAt"]))
            #expect(abs(gnLeft.timeIntervalSince(stoppedAt)) < 3, "left when the relay stopped")
            let cjIntervals = try #require(cj["intervals"] as? [[String: Any]])
            #expect(cjIntervals.count == 1 && cjIntervals.first?["leaveReason"] as? String == "removed-by-technician", "\(cj)")
            let cjJoined = try #require(Self.isoDate(cjIntervals.first?["joinedAt"])), cjLeft = try #require(Self.isoDate(cjIntervals.first?["leftAt"]))
            #expect(cjJoined >= cuJutCalledAt.addingTimeInterval(-1) && cjJoined <= removedAt, "joined when it called in")
            #expect(abs(cjLeft.timeIntervalSince(removedAt)) < 3)
            #expect((gn["rehearsalSeconds"] as? Double ?? 0) > (cj["rehearsalSeconds"] as? Double ?? 0), "Gia Nghĩa was there longer")
            #expect(td["measurable"] as? Bool == false && (td["intervals"] as? [Any])?.isEmpty == true, "multicast is never reported present")
            let summary = try #require(attendance.json["summary"] as? [String: Any])
            #expect(summary["invited"] as? Int == 3 && summary["connected"] as? Int == 2 && summary["notMeasurable"] as? Int == 1)

            // The CSV opens in Python's csv module with the Vietnamese names intact.
            let csv = try await client.send("GET", "/api/v1/meetings/\(meetingId)/attendance.csv", token: token)
            #expect(csv.headers["content-type"]?.hasPrefix("text/csv") == true)
            let file = "\(configuration.dataDirectory)/attendance.csv"
            try csv.body.write(to: URL(fileURLWithPath: file))
            let script = "import csv,sys\nrows=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig')))\nprint('|'.join(r['hall_name']+'='+r['measured'] for r in rows))"
            let parsed = try Command.run("/usr/bin/python3", ["-c", script, file])
            #expect(parsed.output.contains("Hội trường Thành ủy Gia Nghĩa=yes"), "\(parsed.output)\(parsed.errorOutput)")
            #expect(parsed.output.contains("Hội trường Huyện ủy Tuy Đức=not measurable (multicast)"))

            // The same from the command line.
            let shown = try Command.run(TestPaths.cascadeExecutable, ["attendance", "show", meetingId, "--server", client.baseURL, "--token-file", try TokenFile.path(for: token)])
            #expect(shown.status == 0, "\(shown.errorOutput)")
            #expect(shown.output.contains("2 connected, 0 absent, 1 not measurable"), "\(shown.output)")
            #expect(shown.output.contains("removed-by-technician") && shown.output.contains("hall-tuy-duc  Hội trường Huyện ủy Tuy Đức  not measurable"))
        }
    }
}
