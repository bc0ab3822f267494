import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// What the run API refuses, and that a refusal changes nothing.
@Suite(.serialized) struct MeetingRunAPITests {
    @Test func anUnknownOriginOrAHallWithoutFeedIsRefusedNamingIt() async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try MeetingAPITests.token(database, "vp", .secretariat, unit: "dak-nong")
            let day = MeetingAPITests.monday(inWeeks: 3)
            for (origin, expected) in [("camera-9", "origin camera-9 is neither a feed nor a hall"), ("hall-cu-jut", "hall hall-cu-jut has no feed")] {
                let body = MeetingAPITests.single("Họp", day: day, from: "08:00", to: "09:00", halls: ["hall-cu-jut"], extra: #","origin":"\#(origin)""#)
                let refused = try await client.send("POST", "/api/v1/meetings", token: secretary, json: body)
                #expect(refused.status == 422)
                #expect(refused.json["field"] as? String == "origin")
                #expect((refused.json["detail"] as? String)?.contains(expected) == true, "\(refused.text)")
            }
            #expect(try database.meetings(overlapping: Window(start: .distantPast, end: .distantFuture), maximumSpan: 86400).isEmpty)
            let body = MeetingAPITests.single("Họp", day: day, from: "08:00", to: "09:00", halls: ["hall-cu-jut"], extra: #","origin":"demo""#)
            let booked = try await client.send("POST", "/api/v1/meetings", token: secretary, json: body)
            #expect(booked.status == 201)
            #expect(booked.json["origin"] as? String == "demo")
        }
    }

    @Test func onlyALiveMeetingIsExtendedAndTheBoardShowsABookedOne() async throws {
        try await withInProcessServer(runsMeetings: true) { client, database, _ in
            let technician = try MeetingAPITests.token(database, "kt", .technician, unit: "dak-nong")
            let secretary = try MeetingAPITests.token(database, "vp", .secretariat, unit: "dak-nong")
            let day = MeetingAPITests.monday(inWeeks: 3)
            let booked = try await client.send("POST", "/api/v1/meetings", token: secretary,
                                               json: MeetingAPITests.single("Giao ban", day: day, from: "08:00", to: "09:00", halls: ["hall-cu-jut", "hall-tuy-duc"]))
            let id = try #require(booked.json["id"] as? String)
            let extended = try await client.send("POST", "/api/v1/meetings/\(id)/run/extend", token: technician, json: #"{"minutes":30}"#)
            #expect(extended.status == 409)
            #expect((extended.json["detail"] as? String)?.contains("not live") == true)
            #expect(try database.meeting(MeetingReference(id)!)?.end == (try database.meeting(MeetingReference(id)!)?.start)?.addingTimeInterval(3600))
            let ended = try await client.send("POST", "/api/v1/meetings/\(id)/run/end", token: technician)
            #expect(ended.status == 409)
            let board = try await client.send("GET", "/api/v1/meetings/\(id)/run", token: technician).json
            #expect(board["state"] as? String == "booked")
            #expect((board["nextTransition"] as? [String: Any])?["state"] as? String == "rehearsal")
            #expect((board["origin"] as? [String: Any])?["id"] as? String == "demo")
            let halls = board["halls"] as? [[String: Any]] ?? []
            #expect(halls.compactMap { $0["state"] as? String } == ["waiting", "not-measurable"], "multicast halls cannot be measured")
            let confirmed = try await client.send("POST", "/api/v1/meetings/\(id)/run/confirmations", token: technician,
                                                  json: #"{"hall":"hall-gia-nghia"}"#)
            #expect(confirmed.status == 422, "a hall not in the meeting")
            let sheet = try await client.send("GET", "/api/v1/run-sheet?date=\(day)", token: technician).jsonArray
            #expect(sheet.map { $0["meetingId"] as? String } == [id])
        }
    }

    @Test func anExtensionIntoTheNextBookingOfAHallIsRefusedListingIt() async throws {
        try await withInProcessServer(runsMeetings: true) { client, database, _ in
            let technician = try MeetingAPITests.token(database, "kt", .technician, unit: "dak-nong")
            let secretary = try MeetingAPITests.token(database, "vp", .secretariat, unit: "dak-nong")
            let start = Date().addingTimeInterval(3), end = start.addingTimeInterval(600)
            func body(_ title: String, _ from: Date, _ to: Date) -> String {
                #"{"title":"\#(title)","organiserUnitId":"dak-nong","start":"\#(from.formatted(.iso8601))","end":"\#(to.formatted(.iso8601))","halls":["hall-dak-mil"],"rehearsalMinutes":0,"record":false}"#
            }
            let running = try await client.send("POST", "/api/v1/meetings", token: secretary, json: body("Họp đang diễn ra", start, end))
            let id = try #require(running.json["id"] as? String, "\(running.text)")
            let next = try await client.send("POST", "/api/v1/meetings", token: secretary, json: body("Họp tiếp theo", end, end.addingTimeInterval(3600)))
            #expect(next.status == 201, "\(next.text)")
            // The scheduler takes it live by itself.
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            var state = ""
            while ContinuousClock.now < deadline, state != "live" {
                state = try await client.send("GET", "/api/v1/meetings/\(id)/run", token: technician).json["state"] as? String ?? ""
                if state != "live" { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(state == "live")
            let refused = try await client.send("POST", "/api/v1/meetings/\(id)/run/extend", token: technician, json: #"{"minutes":30}"#)
            #expect(refused.status == 409)
            #expect((refused.json["conflicts"] as? [[String: Any]])?.isEmpty == false, "\(refused.text)")
            let storedEnd = try #require(try database.meeting(MeetingReference(id)!)?.end)
            #expect(abs(storedEnd.timeIntervalSince(end)) < 1, "the refused extension changed nothing")
            let tooLong = try await client.send("POST", "/api/v1/meetings/\(id)/run/extend", token: technician, json: #"{"minutes":241}"#)
            #expect(tooLong.status == 422)
            let ended = try await client.send("POST", "/api/v1/meetings/\(id)/run/end", token: technician)
            #expect(ended.json["state"] as? String == "held", "\(ended.text)")
            #expect((ended.json["endReason"] as? String) == "ended by kt")
        }
    }

    @Test func aHallsCameraIsTheOriginOnlyOfAMeetingHeldInIt() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        let demo = try String(contentsOfFile: TestPaths.demoConfiguration, encoding: .utf8)
        let config = "\(directory)/cascade.yaml"
        try demo.replacingOccurrences(of: "endpoint: {mode: srt-caller, streamId: hall-cu-jut}}",
                                      with: "endpoint: {mode: srt-caller, streamId: hall-cu-jut}, feed: {uri: \"rtsp://10.0.0.5/main\"}}")
            .write(toFile: config, atomically: true, encoding: .utf8)
        try await withInProcessServer(config: config) { client, database, _ in
            let secretary = try MeetingAPITests.token(database, "vp", .secretariat, unit: "dak-nong")
            let district = try MeetingAPITests.token(database, "vp-dak-mil", .secretariat, unit: "dak-mil")
            let day = MeetingAPITests.monday(inWeeks: 4)
            let elsewhere = try await client.send("POST", "/api/v1/meetings", token: secretary, json: MeetingAPITests.single(
                "Họp", day: day, from: "08:00", to: "09:00", halls: ["hall-dak-mil"], extra: #","origin":"hall-cu-jut""#))
            #expect(elsewhere.status == 422, "not held in the origin hall: \(elsewhere.text)")
            let otherUnit = try await client.send("POST", "/api/v1/meetings", token: district, json: #"{"title":"Họp","organiserUnitId":"dak-mil","start":"\#(day)T10:00","end":"\#(day)T11:00","halls":["hall-dak-mil","hall-cu-jut"],"origin":"hall-cu-jut"}"#)
            #expect(otherUnit.status == 403, "another district's camera: \(otherUnit.text)")
            let booked = try await client.send("POST", "/api/v1/meetings", token: secretary, json: MeetingAPITests.single(
                "Họp tại Cư Jút", day: day, from: "13:00", to: "14:00", halls: ["hall-cu-jut", "hall-dak-mil"], extra: #","origin":"hall-cu-jut""#))
            let id = try #require(booked.json["id"] as? String, "\(booked.text)")
            let board = try await client.send("GET", "/api/v1/meetings/\(id)/run", token: secretary).json
            #expect((board["origin"] as? [String: Any])?["hallId"] as? String == "hall-cu-jut")
            #expect((board["halls"] as? [[String: Any]])?.first { $0["hallId"] as? String == "hall-cu-jut" }?["state"] as? String == "origin")
            #expect(!(String(data: try JSONSerialization.data(withJSONObject: board), encoding: .utf8) ?? "").contains("rtsp://"), "the camera's URI never leaves")
        }
    }
}
