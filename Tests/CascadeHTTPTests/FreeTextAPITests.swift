import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// Free text reaches slates, calendars and the audit log: control characters are refused with a 422
/// naming the field, hostile but printable text is stored and relayed as it is.
@Suite(.serialized) struct FreeTextAPITests {
    static func meeting(title: String, notes: String = "Ghi chú", day: Int) -> String {
        // Within the calendar feed's year ahead.
        let date = Zone(TimeZone(identifier: "Asia/Ho_Chi_Minh")!).local(Date()).date.adding(days: 30 + day).description
        let body: [String: Any] = ["title": title, "organiserUnitId": "cu-jut", "start": "\(date)T08:00", "end": "\(date)T09:00",
                                   "halls": ["hall-cu-jut"], "notes": notes]
        return String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    static let refused: [(field: String, text: String)] = [
        ("title", "Giao ban\u{0}"), ("title", "Giao ban\rEND:VEVENT\rBEGIN:VEVENT"), ("title", "Giao ban\n2"),
        ("title", "\u{7F}"), ("title", String(repeating: "a", count: 501)), ("notes", "dòng\u{0}"), ("notes", "a\rb"),
    ]

    @Test func controlCharactersAndOverlongTextAreRefusedNamingTheField() async throws {
        try await withInProcessServer { client, database, _ in
            let token = try RecordingAPITests.admin(database)
            for (index, bad) in Self.refused.enumerated() {
                let body = bad.field == "title" ? Self.meeting(title: bad.text, day: index) : Self.meeting(title: "Họp", notes: bad.text, day: index)
                let result = try await client.send("POST", "/api/v1/meetings", token: token, json: body)
                #expect(result.status == 422 && result.json["field"] as? String == bad.field, "\(bad): \(result.status) \(result.text)")
            }
            #expect(try database.meetings(overlapping: Window(start: .distantPast, end: .distantFuture), maximumSpan: 86400).isEmpty, "nothing was stored")
            let relay = try await client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-cu-jut"],"title":"A\u0000"}"#)
            #expect(relay.status == 422 && relay.json["field"] as? String == "title")
            let feed = try await client.send("POST", "/api/v1/demo-feeds", token: token, json: #"{"output":"srt://:9300?mode=listener","caption":"x\u001b[2J"}"#)
            #expect(feed.status == 422 && feed.json["field"] as? String == "caption")
            let login = try await client.send("POST", "/auth/token", json: #"{"name":"admin\u0000x","password":"whatever it is"}"#)
            #expect(login.status == 422)
        }
    }

    @Test func hostileTitleIsStoredAndRelayedAsItIs() async throws {
        try await withInProcessServer { client, database, configuration in
            let token = try RecordingAPITests.admin(database)
            let title = #"Giao ban" ! filesink location=injected.bin name=x \"#
            let notes = "Dòng một\nDòng hai\r\nDòng ba\t;,"
            let booked = try await client.send("POST", "/api/v1/meetings", token: token, json: Self.meeting(title: title, notes: notes, day: 0))
            #expect(booked.status == 201, "\(booked.text)")
            let id = try #require(booked.json["id"] as? String)
            let read = try await client.send("GET", "/api/v1/meetings/\(id)", token: token)
            #expect(read.json["title"] as? String == title && read.json["notes"] as? String == notes, "the text round-trips")
            let relay = try await client.send("POST", "/api/v1/relays", token: token, json: #"{"source":"demo:","halls":["hall-cu-jut"],"meetingId":"\#(id)"}"#)
            #expect(relay.status == 201, "\(relay.text)")
            let relayId = try #require(relay.json["id"] as? String)
            let live = try await RelayAPITestsSupport.waitFor(client, relayId, token: token) { ($0["statistics"] as? [String: Any])?["source"] as? String == "live" }
            #expect(live["state"] as? String == "running", "the relay with the meeting's title on its slate runs")
            #expect(try await client.send("DELETE", "/api/v1/relays/\(relayId)", token: token).status == 200)
            for folder in [FileManager.default.currentDirectoryPath, configuration.dataDirectory] {
                #expect(!FileManager.default.fileExists(atPath: "\(folder)/injected.bin"))
            }
            let feed = try await client.send("GET", "/api/v1/units/cu-jut/calendar.ics", token: token).text
            let calendar = feed.replacingOccurrences(of: "\r\n ", with: "")  // unfolded
            #expect(calendar.contains(#"Dòng một\nDòng hai\nDòng ba \;\,"#), "\(calendar)")
            #expect(calendar.contains(#"SUMMARY:Giao ban" ! filesink location=injected.bin name=x \\"#), "\(calendar)")
            #expect(!feed.contains("\r\nDòng hai"), "no line of the notes starts a line of the feed")
        }
    }
}
