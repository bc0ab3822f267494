import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// The booking form's live check (nothing written; another unit's meetings never named) and the
/// administrators' reload of the configuration (a file with a mistake changes nothing).
@Suite(.serialized) struct BookingCheckAndReloadTests {
    static func body(_ unit: String, _ hall: String, title: String = "Họp", day: String = "2031-07-01") -> String {
        #"{"title":"\#(title)","organiserUnitId":"\#(unit)","start":"\#(day)T08:00","end":"\#(day)T09:00","halls":["\#(hall)"]}"#
    }

    @Test("the check answers free or the conflicts with suggestions, writes nothing, and names no meeting the caller may not see")
    func checkWritesNothingAndHidesOtherUnits() async throws {
        try await withInProcessServer { client, database, _ in
            let admin = try APITests.token(database, "admin1", .admin)
            let clerk = try APITests.token(database, "vp-cu-jut", .secretariat, unit: "cu-jut")
            let free = try await client.send("POST", "/api/v1/meetings/check", token: clerk, json: Self.body("cu-jut", "hall-cu-jut"))
            #expect(free.status == 200 && free.json["isFree"] as? Bool == true && free.json["hallIds"] as? [String] == ["hall-cu-jut"], "\(free.text)")
            #expect(try await client.send("GET", "/api/v1/meetings?from=2031-07-01&to=2031-07-02", token: admin).text == "[]", "the check booked nothing")
            // Bad input gets the same clear refusal as a booking.
            let bad = try await client.send("POST", "/api/v1/meetings/check", token: clerk, json: Self.body("cu-jut", "hall-atlantis"))
            #expect(bad.status == 422 && bad.json["field"] as? String == "halls", "\(bad.text)")
            // Three districts' meetings fill the province's relay node (a budget of 3 relays at once).
            for hall in ["hall-gia-nghia", "hall-dak-glong", "hall-dak-song"] {
                let unit = String(hall.dropFirst("hall-".count))
                let booked = try await client.send("POST", "/api/v1/meetings", token: admin, json: Self.body(unit, hall, title: "Họp riêng \(unit)"))
                #expect(booked.status == 201, "\(booked.text)")
            }
            let full = try await client.send("POST", "/api/v1/meetings/check", token: clerk, json: Self.body("cu-jut", "hall-cu-jut"))
            #expect(full.status == 200 && full.json["isFree"] as? Bool == false, "\(full.text)")
            let conflicts = try #require(full.json["conflicts"] as? [[String: Any]])
            #expect(!conflicts.isEmpty && conflicts.allSatisfy { ["link-over-capacity", "node-over-budget"].contains($0["kind"] as? String ?? "") }, "\(full.text)")
            let named = conflicts.flatMap { $0["otherMeetings"] as? [[String: Any]] ?? [] }
            #expect(!named.isEmpty && named.allSatisfy { $0["id"] as? String == "" && $0["title"] as? String == "a meeting of another unit" }, "\(named)")
            #expect(!full.text.contains("Họp riêng"), "no other unit's title reaches the district's clerk")
            #expect(!(full.json["suggestions"] as? [Any] ?? []).isEmpty)
            let refused = try await client.send("POST", "/api/v1/meetings", token: clerk, json: Self.body("cu-jut", "hall-cu-jut"))
            #expect(refused.status == 409 && !refused.text.contains("Họp riêng"), "the 409 hides them too: \(refused.text)")
            let seenByCentre = try await client.send("POST", "/api/v1/meetings/check", token: admin, json: Self.body("cu-jut", "hall-cu-jut"))
            #expect(seenByCentre.text.contains("Họp riêng"), "a whole-tree administrator sees which meetings")
        }
    }

    @Test("a reload applies a new hall; a file with a mistake is refused naming it and changes nothing")
    func reloadAppliesOrChangesNothing() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/cascade.yaml"
        let original = try String(contentsOfFile: TestPaths.demoConfiguration, encoding: .utf8)
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        try await withInProcessServer(config: path) { client, database, _ in
            let admin = try APITests.token(database, "admin1", .admin)
            let scoped = try APITests.token(database, "qt-dak-nong", .admin, unit: "dak-nong")
            #expect(try await client.send("POST", "/api/v1/topology/reload", token: scoped).status == 403, "only a whole-tree administrator")
            let added = original + "\n  - {id: hall-cu-jut-2, name: \"Phòng họp trực tuyến Cư Jút\", unit: cu-jut, capacityKbps: 6000, latencyMs: 500, endpoint: {mode: srt-caller, streamId: hall-cu-jut-2}}\n"
            try added.write(toFile: path, atomically: true, encoding: .utf8)
            let reloaded = try await client.send("POST", "/api/v1/topology/reload", token: admin)
            #expect(reloaded.status == 200 && reloaded.json["halls"] as? Int == 10 && reloaded.json["units"] as? Int == 10, "\(reloaded.text)")
            #expect(try await client.send("GET", "/api/v1/halls/hall-cu-jut-2", token: admin).status == 200)
            let booked = try await client.send("POST", "/api/v1/meetings", token: admin, json: Self.body("cu-jut", "hall-cu-jut-2"))
            #expect(booked.status == 201, "the new hall is bookable at once: \(booked.text)")
            // A hall in a unit that does not exist: refused, naming the file; the tree stays as it was.
            try (added + "  - {id: hall-x, name: \"X\", unit: atlantis, capacityKbps: 1000, latencyMs: 500, endpoint: {mode: srt-caller, streamId: hall-x}}\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
            let broken = try await client.send("POST", "/api/v1/topology/reload", token: admin)
            #expect(broken.status == 422 && (broken.json["detail"] as? String ?? "").contains("cascade.yaml"), "\(broken.text)")
            #expect(try await client.send("GET", "/api/v1/halls/hall-x", token: admin).status == 404)
            #expect(try await client.send("GET", "/api/v1/halls/hall-cu-jut-2", token: admin).status == 200, "nothing changed")
            let audit = try await client.send("GET", "/api/v1/audit?action=configuration", token: admin)
            #expect(audit.text.contains("configuration.reloaded"), "\(audit.text.prefix(300))")
        }
    }
}
