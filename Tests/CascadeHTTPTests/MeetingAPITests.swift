import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// The secretariat's calendar over real HTTP with a real database file.
@Suite(.serialized) struct MeetingAPITests {
    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// A Monday at least `weeks` weeks from today (local), as yyyy-MM-dd.
    static func monday(inWeeks weeks: Int) -> String {
        let today = Zone(zone).local(Date()).date
        return today.adding(days: 7 * weeks + (8 - today.weekday) % 7 + (today.weekday == 1 ? 7 : 0)).description
    }

    static func token(_ database: AppDatabase, _ name: String, _ role: Role, unit: String? = nil) throws -> String {
        try database.createUser(name: name, role: role, unitId: unit, password: "a long test password", actor: "test")
        return try database.issueToken(forUser: name, label: "test", actor: "test")
    }

    static func single(_ title: String, day: String, from: String, to: String, halls: [String] = [], hallsOfUnit: String? = nil, extra: String = "") -> String {
        let hallsJSON = halls.map { "\"\($0)\"" }.joined(separator: ",")
        let unit = hallsOfUnit.map { ",\"hallsOfUnit\":\"\($0)\"" } ?? ""
        return #"{"title":"\#(title)","organiserUnitId":"dak-nong","start":"\#(day)T\#(from)","end":"\#(day)T\#(to)","halls":[\#(hallsJSON)]\#(unit)\#(extra)}"#
    }

    @Test func weeklyBriefingForAllDistrictHallsAndTheConflictReport() async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try Self.token(database, "vp", .secretariat, unit: "dak-nong")
            let monday = Self.monday(inWeeks: 1)
            let briefing = Self.single("Giao ban Ban Thường vụ", day: monday, from: "07:30", to: "09:00", hallsOfUnit: "dak-nong",
                                       extra: #","recurrence":{"frequency":"weekly","weekdays":[1]}"#)
            let series = try await client.send("POST", "/api/v1/meetings", token: secretary, json: briefing)
            #expect(series.status == 201, "\(series.text)")
            #expect((series.json["halls"] as? [String])?.count == 9)
            let occurrences = try #require(series.json["nextOccurrences"] as? [[String: Any]])
            #expect(occurrences.count == 5)
            #expect((occurrences.first?["start"] as? String) == "\(monday)T07:30:00+07:00")

            let clash = Self.single("Họp Huyện ủy Cư Jút", day: LocalDate(monday)!.adding(days: 14).description, from: "08:00", to: "10:00", halls: ["hall-cu-jut"])
            let before = try database.auditEntries(limit: 1000).count
            let refused = try await client.send("POST", "/api/v1/meetings", token: secretary, json: clash)
            #expect(refused.status == 409)
            #expect(refused.headers["content-type"] == "application/problem+json")
            let conflicts = try #require(refused.json["conflicts"] as? [[String: Any]])
            #expect(conflicts.count == 1)
            #expect(conflicts.first?["kind"] as? String == "hall-busy")
            #expect(conflicts.first?["hallId"] as? String == "hall-cu-jut")
            #expect(((conflicts.first?["otherMeetings"] as? [[String: Any]])?.first?["title"] as? String) == "Giao ban Ban Thường vụ")
            #expect(conflicts.first?["overlapStart"] as? String == "\(LocalDate(monday)!.adding(days: 14))T07:30:00+07:00", "from the clash's rehearsal")
            let suggestions = try #require(refused.json["suggestions"] as? [[String: Any]])
            #expect(suggestions.count == 3)
            #expect(try database.auditEntries(limit: 1000).count == before, "nothing is written on a refusal")

            let free = try await client.send("POST", "/api/v1/meetings", token: secretary,
                                             json: Self.single("Họp Huyện ủy Cư Jút", day: LocalDate(monday)!.adding(days: 14).description, from: "09:30", to: "11:30", halls: ["hall-cu-jut"]))
            #expect(free.status == 201, "touching the briefing's end is fine: \(free.text)")
        }
    }

    @Test(arguments: [
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT09:00","end":"DAYT08:00","halls":["hall-cu-jut"]}"#, 422, "end"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT07:00","end":"DAYT20:00","halls":["hall-cu-jut"]}"#, 422, "end"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"2020-01-06T07:00","end":"2020-01-06T08:00","halls":["hall-cu-jut"]}"#, 422, "start"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT07:00","end":"DAYT08:00","halls":["hall-atlantis"]}"#, 422, "halls"),
        (#"{"title":"x","organiserUnitId":"atlantis","start":"DAYT07:00","end":"DAYT08:00","halls":["hall-cu-jut"]}"#, 422, "organiserUnitId"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT07:00","end":"DAYT08:00","halls":["hall-cu-jut"],"recurrence":{"frequency":"weekly","interval":0}}"#, 422, "recurrence.interval"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT07:00","end":"DAYT08:00","halls":["hall-cu-jut"],"zone":"Mars/Olympus"}"#, 422, "zone"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"next monday","end":"DAYT08:00","halls":["hall-cu-jut"]}"#, 400, "start"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT25:00","end":"DAYT08:00","halls":["hall-cu-jut"]}"#, 400, "start"),
        (#"{"organiserUnitId":"dak-nong","start":"DAYT07:00","end":"DAYT08:00","halls":["hall-cu-jut"]}"#, 400, "title"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT07:00","end":"DAYT08:00","halls":[]}"#, 422, "halls"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT07:00","end":"DAYT08:00","halls":["hall-cu-jut"],"classification":"secret"}"#, 422, "classification"),
        (#"{"title":"x","organiserUnitId":"dak-nong","start":"DAYT07:00","end":"DAYT08:00","halls":["hall-cu-jut"],"room":"A"}"#, 400, "room"),
    ])
    func badBookingsNameTheField(_ template: String, _ status: Int, _ field: String) async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try Self.token(database, "vp", .secretariat)
            let body = template.replacingOccurrences(of: "DAY", with: Self.monday(inWeeks: 2))
            let result = try await client.send("POST", "/api/v1/meetings", token: secretary, json: body)
            #expect(result.status == status, "\(result.text)")
            #expect(result.json["field"] as? String == field, "\(result.text)")
            #expect(try database.meetings(overlapping: Window(start: Date(timeIntervalSince1970: 0), end: Date().addingTimeInterval(400 * 86400)), maximumSpan: 86400).isEmpty)
        }
    }

    @Test func hallsOutsideTheSubtreeAndRolesAreRefused() async throws {
        try await withInProcessServer { client, database, _ in
            let districtSecretary = try Self.token(database, "vp-cj", .secretariat, unit: "cu-jut")
            let viewer = try Self.token(database, "viewer", .viewer)
            let day = Self.monday(inWeeks: 2)
            var body = Self.single("x", day: day, from: "07:00", to: "08:00", halls: ["hall-dak-mil"]).replacingOccurrences(of: "dak-nong", with: "cu-jut")
            let outside = try await client.send("POST", "/api/v1/meetings", token: districtSecretary, json: body)
            #expect(outside.status == 403)
            #expect(outside.json["field"] as? String == "halls")
            body = Self.single("x", day: day, from: "07:00", to: "08:00", halls: ["hall-cu-jut"]).replacingOccurrences(of: "dak-nong", with: "cu-jut")
            #expect(try await client.send("POST", "/api/v1/meetings", token: districtSecretary, json: body).status == 201)
            #expect(try await client.send("POST", "/api/v1/meetings", token: viewer, json: body).status == 403)
            #expect(try await client.send("GET", "/api/v1/meetings", token: viewer).status == 200)
        }
    }

    @Test func concurrentBookingsOfOneHallLetExactlyOneThrough() async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try Self.token(database, "vp", .secretariat)
            let body = Self.single("Họp", day: Self.monday(inWeeks: 3), from: "14:00", to: "15:00", halls: ["hall-krong-no"])
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await client.send("POST", "/api/v1/meetings", token: secretary, json: body).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 409 }.count == 7)
        }
    }

    @Test func changesCancellationsAndSeriesSplitsAreAudited() async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try Self.token(database, "vp", .secretariat)
            let monday = LocalDate(Self.monday(inWeeks: 1))!
            let created = try await client.send("POST", "/api/v1/meetings", token: secretary, json: Self.single(
                "Giao ban", day: monday.description, from: "07:30", to: "09:00", halls: ["hall-dak-nong", "hall-cu-jut"],
                extra: #","recurrence":{"frequency":"weekly","count":6}"#))
            #expect(created.status == 201)
            let seriesId = try #require(created.json["id"] as? String)
            let second = "\(seriesId)-\(monday.adding(days: 7))"

            let noScope = try await client.send("PATCH", "/api/v1/meetings/\(second)", token: secretary, json: #"{"start":"\#(monday.adding(days: 8))T07:30"}"#)
            #expect(noScope.status == 422)
            #expect(noScope.json["field"] as? String == "scope")
            let moved = try await client.send("PATCH", "/api/v1/meetings/\(second)", token: secretary,
                                              json: #"{"scope":"occurrence","start":"\#(monday.adding(days: 8))T14:00","end":"\#(monday.adding(days: 8))T15:00"}"#)
            #expect(moved.status == 200, "\(moved.text)")
            #expect(moved.json["start"] as? String == "\(monday.adding(days: 8))T14:00:00+07:00")

            let notAnOccurrence = try await client.send("PATCH", "/api/v1/meetings/\(seriesId)-\(monday.adding(days: 1))", token: secretary,
                                                        json: #"{"scope":"occurrence","start":"\#(monday.adding(days: 2))T14:00"}"#)
            #expect(notAnOccurrence.status == 422, "an exception for a date that is not an occurrence")
            #expect(notAnOccurrence.json["field"] as? String == "id")

            let third = "\(seriesId)-\(monday.adding(days: 14))"
            #expect(try await client.send("DELETE", "/api/v1/meetings/\(third)?scope=occurrence", token: secretary).status == 204)
            let split = try await client.send("PATCH", "/api/v1/meetings/\(seriesId)-\(monday.adding(days: 21))", token: secretary,
                                              json: #"{"scope":"following","start":"\#(monday.adding(days: 21))T08:00","end":"\#(monday.adding(days: 21))T09:30","title":"Giao ban (giờ mới)"}"#)
            #expect(split.status == 200, "\(split.text)")
            let newSeries = try #require(split.json["seriesId"] as? String)
            #expect(newSeries != seriesId)

            let list = try await client.send("GET", "/api/v1/meetings?from=\(monday)&to=\(monday.adding(days: 60))", token: secretary).jsonArray
            #expect(list.map { $0["start"] as? String ?? "" } == [
                "\(monday)T07:30:00+07:00", "\(monday.adding(days: 8))T14:00:00+07:00",
                "\(monday.adding(days: 21))T08:00:00+07:00", "\(monday.adding(days: 28))T08:00:00+07:00", "\(monday.adding(days: 35))T08:00:00+07:00",
            ], "6 occurrences: one moved, one cancelled, the last three at the new time")
            #expect(list.last?["title"] as? String == "Giao ban (giờ mới)")

            let actions = try database.auditEntries(limit: 100).map(\.action)
            #expect(actions.contains("series.booked") && actions.contains("occurrence.moved") && actions.contains("occurrence.cancelled") && actions.contains("series.split"))
            let splitEntry = try #require(try database.auditEntries(limit: 100).first { $0.action == "series.split" })
            #expect(splitEntry.actor == "vp")
            #expect(splitEntry.details?.contains("title \"Giao ban\" → \"Giao ban (giờ mới)\"") == true)
        }
    }

    @Test func wholeSeriesChangesHeldMeetingsAndCancellingTheRest() async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try Self.token(database, "vp", .secretariat)
            let monday = LocalDate(Self.monday(inWeeks: 1))!
            let created = try await client.send("POST", "/api/v1/meetings", token: secretary, json: Self.single(
                "Giao ban", day: monday.description, from: "07:30", to: "09:00", halls: ["hall-dak-nong"], extra: #","recurrence":{"frequency":"weekly","count":4}"#))
            let seriesId = try #require(created.json["id"] as? String)
            let whole = try await client.send("PATCH", "/api/v1/meetings/\(seriesId)-\(monday)", token: secretary,
                                              json: #"{"scope":"series","start":"\#(monday)T08:00","end":"\#(monday)T09:30","halls":["hall-dak-nong","hall-cu-jut"]}"#)
            #expect(whole.status == 200, "\(whole.text)")
            var list = try await client.send("GET", "/api/v1/meetings?from=\(monday)&to=\(monday.adding(days: 40))", token: secretary).jsonArray
            #expect(list.count == 4)
            #expect(list.allSatisfy { ($0["start"] as? String)?.hasSuffix("T08:00:00+07:00") == true && ($0["halls"] as? [String])?.count == 2 })
            #expect(try await client.send("DELETE", "/api/v1/meetings/\(seriesId)-\(monday.adding(days: 14))?scope=following", token: secretary).status == 204)
            list = try await client.send("GET", "/api/v1/meetings?from=\(monday)&to=\(monday.adding(days: 40))", token: secretary).jsonArray
            #expect(list.count == 2, "the third and fourth are cancelled")

            let single = try await client.send("POST", "/api/v1/meetings", token: secretary, json: Self.single("Hội nghị", day: monday.adding(days: 2).description, from: "14:00", to: "16:00", halls: ["hall-cu-jut"]))
            let id = try #require(single.json["id"] as? String)
            let held = try await client.send("PATCH", "/api/v1/meetings/\(id)", token: secretary, json: #"{"state":"held"}"#)
            #expect(held.json["state"] as? String == "held")
            #expect(try await client.send("PATCH", "/api/v1/meetings/\(id)", token: secretary, json: #"{"state":"cancelled"}"#).status == 422)
            #expect(try await client.send("DELETE", "/api/v1/meetings/\(id)", token: secretary).status == 204)
            #expect(try await client.send("GET", "/api/v1/meetings/\(id)", token: secretary).json["state"] as? String == "cancelled")
            let freed = try await client.send("POST", "/api/v1/meetings", token: secretary, json: Self.single("Thay thế", day: monday.adding(days: 2).description, from: "14:00", to: "16:00", halls: ["hall-cu-jut"]))
            #expect(freed.status == 201, "a cancelled meeting frees its hall")
        }
    }

    @Test func searchFreeBusyAndAgenda() async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try Self.token(database, "vp", .secretariat)
            let day = Self.monday(inWeeks: 2)
            let booked = try await client.send("POST", "/api/v1/meetings", token: secretary, json: Self.single(
                "Hội nghị Ban Chấp hành Đảng bộ tỉnh", day: day, from: "08:00", to: "11:00", halls: ["hall-dak-nong", "hall-dak-mil"],
                extra: #","chair":"Bí thư Tỉnh ủy","notes":"Thông báo 137-TB/TU""#))
            #expect(booked.status == 201)
            for query in ["ban chap hanh", "BÍ THƯ", "137-tb/tu", "dang bo"] {
                let found = try await client.send("GET", "/api/v1/meetings?from=\(day)&to=\(LocalDate(day)!.adding(days: 1))&q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: secretary)
                #expect(found.jsonArray.count == 1, "query \(query)")
            }
            #expect(try await client.send("GET", "/api/v1/meetings?from=\(day)&to=\(LocalDate(day)!.adding(days: 1))&hall=hall-cu-jut", token: secretary).jsonArray.isEmpty)
            #expect(try await client.send("GET", "/api/v1/meetings?from=\(day)&to=\(LocalDate(day)!.adding(days: 1))&unit=dak-mil", token: secretary).jsonArray.count == 1)
            #expect(try await client.send("GET", "/api/v1/meetings?from=\(day)&to=2020-01-01", token: secretary).status == 422)

            let hallBusy = try await client.send("GET", "/api/v1/halls/hall-dak-mil/busy?from=\(day)&to=\(LocalDate(day)!.adding(days: 1))", token: secretary).json
            let intervals = try #require(hallBusy["busy"] as? [[String: Any]])
            #expect(intervals.count == 1)
            #expect(intervals.first?["rehearsalStart"] as? String == "\(day)T07:30:00+07:00")
            let unitBusy = try await client.send("GET", "/api/v1/units/dak-nong/busy?from=\(day)&to=\(LocalDate(day)!.adding(days: 1))", token: secretary).jsonArray
            #expect(unitBusy.count == 9)
            #expect(unitBusy.filter { !(($0["busy"] as? [Any]) ?? []).isEmpty }.count == 2)

            let agenda = try await client.send("GET", "/api/v1/agenda?date=\(day)&days=7", token: secretary).jsonArray
            #expect(agenda.count == 7)
            #expect((agenda.first?["meetings"] as? [Any])?.count == 1)
        }
    }

    @Test func calendarFeedParsesWithLocalTimes() async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try Self.token(database, "vp", .secretariat)
            let viewer = try Self.token(database, "staff", .viewer, unit: "cu-jut")
            let day = Self.monday(inWeeks: 1)
            _ = try await client.send("POST", "/api/v1/meetings", token: secretary, json: Self.single(
                "Giao ban, tuần; đầu", day: day, from: "07:30", to: "09:00", hallsOfUnit: "dak-nong", extra: #","recurrence":{"frequency":"weekly","count":3}"#))
            // A calendar application gets a feed token that reads this one calendar and nothing else.
            #expect(try await client.send("GET", "/api/v1/units/cu-jut/calendar.ics?token=\(viewer)").status == 401, "no API token in a URL")
            let issued = try await client.send("POST", "/api/v1/calendar-feeds", token: viewer, json: #"{"unitId":"cu-jut"}"#)
            #expect(issued.status == 201, "\(issued.text)")
            let url = try #require(issued.json["url"] as? String)
            #expect(url.hasPrefix("/api/v1/units/cu-jut/calendar.ics?token="))
            let feedToken = String(url.split(separator: "=").last ?? "")
            let feed = try await client.send("GET", url)
            #expect(feed.status == 200)
            #expect(feed.headers["content-type"]?.hasPrefix("text/calendar") == true)
            #expect(try await client.send("GET", "/api/v1/halls/hall-cu-jut/calendar.ics?token=\(feedToken)").status == 401, "another calendar")
            #expect(try await client.send("GET", "/api/v1/me", token: feedToken).status == 401, "a feed token is not an API token")
            #expect(try await client.send("POST", "/api/v1/calendar-feeds", token: viewer, json: #"{"unitId":"dak-nong"}"#).status == 403)
            #expect(try await client.send("GET", "/api/v1/halls/hall-cu-jut/calendar.ics", token: viewer).status == 200)
            #expect(try await client.send("GET", "/api/v1/units/cu-jut/calendar.ics?token=cas_wrong").status == 401)
            let feedId = try #require(issued.json["id"] as? Int)
            #expect(try await client.send("GET", "/api/v1/calendar-feeds", token: viewer).jsonArray.count == 1)
            #expect(try await client.send("DELETE", "/api/v1/calendar-feeds/\(feedId)", token: viewer).status == 204)
            #expect(try await client.send("GET", url).status == 401, "a revoked feed stops at once")
            let directory = try TestPaths.makeTemporaryDirectory()
            let file = "\(directory)/feed.ics"
            try feed.body.write(to: URL(fileURLWithPath: file))
            let script = """
                import icalendar, sys
                cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
                for event in cal.walk('VEVENT'):
                    start = event.decoded('dtstart')
                    print(event['summary'], start.strftime('%Y-%m-%d %H:%M'), start.tzinfo.zone if hasattr(start.tzinfo, 'zone') else start.tzinfo, event['status'])
                """
            let parsed = try Command.run("/usr/bin/python3", ["-c", script, file])
            #expect(parsed.status == 0, "\(parsed.errorOutput)")
            let lines = parsed.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines.first == "Giao ban, tuần; đầu \(day) 07:30 Asia/Ho_Chi_Minh CONFIRMED")
        }
    }
}
