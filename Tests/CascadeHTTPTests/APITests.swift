import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing
import Yams

/// The HTTP API over a real socket, with a real database file.
@Suite(.serialized) struct APITests {
    static func token(_ database: AppDatabase, _ name: String, _ role: Role, unit: String? = nil) throws -> String {
        try database.createUser(name: name, role: role, unitId: unit, password: "a long test password", actor: "test")
        return try database.issueToken(forUser: name, label: "test", actor: "test")
    }

    @Test func everyAPIRouteNeedsAToken() async throws {
        try await withInProcessServer { client, _, _ in
            for path in ["/api/v1/units", "/api/v1/halls", "/api/v1/me", "/api/v1/users", "/api/v1/audit", "/api/v1/workers", "/api/v1/units/dak-nong"] {
                let missing = try await client.send("GET", path)
                #expect(missing.status == 401, "\(path)")
                #expect(missing.headers["content-type"] == "application/problem+json")
                #expect(missing.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
                #expect(try await client.send("GET", path, token: "cas_not-a-token").status == 401)
                #expect(try await client.send("GET", path, headers: ["Authorization": "Basic YWRtaW46YWRtaW4="]).status == 401)
            }
        }
    }

    @Test func rolesAreCheckedOnEveryRoute() async throws {
        try await withInProcessServer { client, database, _ in
            let admin = try Self.token(database, "admin1", .admin)
            let viewer = try Self.token(database, "viewer1", .viewer)
            let secretary = try Self.token(database, "vp1", .secretariat)
            let technician = try Self.token(database, "kt1", .technician)
            let table: [(String, String, String?, [(String, Int)])] = [
                ("GET", "/api/v1/units", nil, [(admin, 200), (viewer, 200), (secretary, 200), (technician, 200)]),
                ("GET", "/api/v1/users", nil, [(admin, 200), (viewer, 403), (secretary, 403), (technician, 403)]),
                ("GET", "/api/v1/audit", nil, [(admin, 200), (viewer, 403), (secretary, 403), (technician, 403)]),
                ("GET", "/api/v1/workers", nil, [(admin, 200), (viewer, 403), (secretary, 403), (technician, 200)]),
                ("POST", "/api/v1/users", #"{"name":"new-one","role":"viewer"}"#, [(viewer, 403), (secretary, 403), (technician, 403), (admin, 201)]),
                ("POST", "/api/v1/demo-feeds", #"{"output":"srt://:1?mode=listener"}"#, [(viewer, 403), (secretary, 403)]),
                ("DELETE", "/api/v1/workers/none", nil, [(viewer, 403), (secretary, 403), (technician, 404)]),
            ]
            for (method, path, body, expectations) in table {
                for (token, status) in expectations {
                    let result = try await client.send(method, path, token: token, json: body)
                    #expect(result.status == status, "\(method) \(path): \(result.text)")
                }
            }
        }
    }

    @Test func unitScopeLimitsWhatAUserSees() async throws {
        try await withInProcessServer { client, database, _ in
            let scoped = try Self.token(database, "kt-dn", .technician, unit: "dak-nong")
            let units = try await client.send("GET", "/api/v1/units", token: scoped)
            #expect(units.jsonArray.count == 9, "the province and its 8 districts, not the centre")
            #expect(try await client.send("GET", "/api/v1/units/cu-jut", token: scoped).status == 200)
            let outside = try await client.send("GET", "/api/v1/units/trung-uong", token: scoped)
            #expect(outside.status == 403)
            #expect((outside.json["detail"] as? String)?.contains("outside the subtree") == true)
            let halls = try await client.send("GET", "/api/v1/halls", token: scoped)
            #expect(halls.jsonArray.count == 9)
            let scopedAdmin = try Self.token(database, "admin-cj", .admin, unit: "cu-jut")
            let escalate = try await client.send("POST", "/api/v1/users", token: scopedAdmin, json: #"{"name":"root2","role":"admin"}"#)
            #expect(escalate.status == 403, "a scoped admin cannot create a whole-tree user")
        }
    }

    @Test func demoTreeIsServed() async throws {
        try await withInProcessServer { client, database, _ in
            let token = try Self.token(database, "v", .viewer)
            let units = try await client.send("GET", "/api/v1/units", token: token).jsonArray
            #expect(units.first?["name"] as? String == "Trung ương")
            #expect(units.first?["parentId"] == nil)
            #expect(units.filter { $0["level"] as? String == "district" }.count == 8)
            let hall = try await client.send("GET", "/api/v1/halls/hall-dak-mil", token: token).json
            #expect((hall["endpoint"] as? [String: Any])?["mode"] as? String == "srt-listener")
            #expect(hall["capacityKbps"] as? Int == 6000)
            #expect(try await client.send("GET", "/api/v1/halls/nowhere", token: token).status == 404)
        }
    }

    @Test(arguments: [
        ("{\"name\":", 400, "not valid JSON"),
        ("[1,2]", 400, "must be a JSON object"),
        (#"{"name":"a","role":"viewer","isRoot":true}"#, 400, "unknown field \"isRoot\""),
        (#"{"name":7,"role":"viewer"}"#, 400, "field \"name\" must be a string"),
        (#"{"role":"viewer"}"#, 400, "field \"name\" is required"),
        (#"{"name":"a","role":"emperor"}"#, 422, "role must be one of"),
        (#"{"name":"a","role":"viewer","unitId":"atlantis"}"#, 422, "unit atlantis"),
        (#"{"name":"Bad Name!","role":"viewer"}"#, 422, "id must be"),
    ])
    func badBodiesGetClearProblems(_ body: String, _ status: Int, _ detail: String) async throws {
        try await withInProcessServer { client, database, _ in
            let admin = try Self.token(database, "admin1", .admin)
            let before = try database.users().count
            let result = try await client.send("POST", "/api/v1/users", token: admin, json: body)
            #expect(result.status == status, "\(result.text)")
            #expect(result.headers["content-type"] == "application/problem+json")
            #expect((result.json["detail"] as? String)?.contains(detail) == true, "\(result.text)")
            #expect(try database.users().count == before, "nothing is written")
        }
    }

    @Test func oversizedAndNonJSONBodiesAreRefused() async throws {
        try await withInProcessServer { client, database, _ in
            let admin = try Self.token(database, "admin1", .admin)
            let huge = Data(("{\"name\":\"" + String(repeating: "a", count: 200_000) + "\",\"role\":\"viewer\"}").utf8)
            let tooLarge = try await client.send("POST", "/api/v1/users", token: admin, body: huge, headers: ["Content-Type": "application/json"])
            #expect(tooLarge.status == 413)
            let form = try await client.send("POST", "/api/v1/users", token: admin, body: Data("name=a".utf8), headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(form.status == 415)
            let route = try await client.send("GET", "/api/v1/nothing-here", token: admin)
            #expect(route.status == 404)
            #expect(route.headers["content-type"] == "application/problem+json")
        }
    }

    @Test func createdUserCanLogInWithThePasswordReturnedOnce() async throws {
        try await withInProcessServer { client, database, _ in
            let admin = try Self.token(database, "admin1", .admin)
            let created = try await client.send("POST", "/api/v1/users", token: admin, json: #"{"name":"vp-dn","role":"secretariat","unitId":"dak-nong"}"#)
            #expect(created.status == 201)
            let password = try #require(created.json["password"] as? String)
            let token = try await client.login("vp-dn", password)
            let me = try await client.send("GET", "/api/v1/me", token: token).json
            #expect(me["role"] as? String == "secretariat")
            #expect(me["scopeUnitId"] as? String == "dak-nong")
            let listed = try await client.send("GET", "/api/v1/users", token: admin).text
            #expect(!listed.contains(password) && !listed.contains("$2"), "no password or hash is ever listed")
            let audit = try await client.send("GET", "/api/v1/audit?limit=50", token: admin).jsonArray
            #expect(audit.contains { $0["action"] as? String == "user.created" && $0["target"] as? String == "vp-dn" && $0["actor"] as? String == "admin1" })
        }
    }

    @Test("repeated wrong passwords slow that name from that address (the delays grow; see SignInThrottleTests)")
    func repeatedWrongPasswordsSlowTheNameFromThatAddress() async throws {
        try await withInProcessServer { client, database, _ in
            try database.createUser(name: "vp", role: .secretariat, unitId: nil, password: "the right password", actor: "test")
            try database.createUser(name: "kt", role: .technician, unitId: nil, password: "another right password", actor: "test")
            for _ in 0..<3 {
                #expect(try await client.send("POST", "/auth/token", json: #"{"name":"vp","password":"guess"}"#).status == 401)
            }
            let locked = try await client.send("POST", "/auth/token", json: #"{"name":"vp","password":"the right password"}"#)
            #expect(locked.status == 429)
            #expect(Int(locked.headers["retry-after"] ?? "") ?? 0 > 0)
            #expect(locked.headers["content-type"] == "application/problem+json")
            #expect(Set(locked.json.keys) == ["type", "title", "status", "detail", "code"], "an RFC 9457 body: \(locked.text)")
            _ = try await client.login("kt", "another right password")
        }
    }

    @Test func healthReportsDatabaseAndGStreamer() async throws {
        try await withInProcessServer { client, _, _ in
            let health = try await client.send("GET", "/healthz")
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            let gstreamer = try #require(health.json["gstreamer"] as? [String: Any])
            #expect((gstreamer["version"] as? String)?.hasPrefix("GStreamer 1.") == true)
            #expect((gstreamer["requiredElements"] as? [String])?.contains("srtsink") == true)
            #expect((health.json["database"] as? [String: Any])?["journalMode"] as? String == "wal")
        }
    }

    @Test func healthNamesAMissingElement() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        let config = "\(directory)/cascade.yaml"
        let demo = try String(contentsOfFile: TestPaths.demoConfiguration, encoding: .utf8)
        try demo.replacingOccurrences(of: "requiredElements: []", with: "requiredElements: [cascadenosuchelement]").write(toFile: config, atomically: true, encoding: .utf8)
        try await withInProcessServer(config: config) { client, _, _ in
            let health = try await client.send("GET", "/healthz")
            #expect(health.status == 503)
            #expect((health.json["problems"] as? [String]) == ["GStreamer element cascadenosuchelement is not installed"])
            #expect(((health.json["gstreamer"] as? [String: Any])?["missingElements"] as? [String]) == ["cascadenosuchelement"])
        }
    }

    @Test func demoFeedWorkerCanBeStartedListedAndStopped() async throws {
        try await withInProcessServer { client, database, _ in
            let technician = try Self.token(database, "kt", .technician)
            let port = TestPaths.freeUDPPort()
            let bad = try await client.send("POST", "/api/v1/demo-feeds", token: technician, json: #"{"output":"file:///etc/passwd"}"#)
            #expect(bad.status == 422)
            #expect(bad.json["field"] as? String == "output")
            let created = try await client.send("POST", "/api/v1/demo-feeds", token: technician, json: #"{"output":"srt://127.0.0.1:\#(port)?mode=listener"}"#)
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            try await Task.sleep(for: .seconds(2))
            let listed = try await client.send("GET", "/api/v1/workers/\(id)", token: technician).json
            #expect(listed["state"] as? String == "running")
            #expect(listed["pipelineState"] as? String == "PLAYING")
            let stopped = try await client.send("DELETE", "/api/v1/workers/\(id)", token: technician)
            #expect(stopped.status == 200)
            #expect(stopped.json["kind"] as? String == "completed")
            #expect(stopped.json["reachedEndOfStream"] as? Bool == true)
        }
    }

    @Test func openAPIDocumentDescribesEveryRoute() async throws {
        try await withInProcessServer { client, database, _ in
            let document = try await client.send("GET", "/openapi.yaml")
            #expect(document.status == 200)
            let parsed = try #require(try Yams.load(yaml: document.text) as? [String: Any])
            #expect(parsed["openapi"] as? String == "3.1.0")
            let paths = try #require(parsed["paths"] as? [String: [String: Any]])
            let admin = try Self.token(database, "admin1", .admin)
            for (path, operations) in paths {
                let concrete = path.replacingOccurrences(of: "{id}", with: path.contains("units") ? "dak-nong" : path.contains("halls") ? "hall-cu-jut" : path.contains("meetings") ? "m999" : path.contains("recordings") ? "r999" : path.contains("relays") ? "rl999" : "none").replacingOccurrences(of: "{index}", with: "0").replacingOccurrences(of: "{name}", with: "admin1")
                for method in operations.keys where method == "get" && path != "/api/v1/events" {
                    let result = try await client.send("GET", concrete, token: admin)
                    #expect(result.status != 404 || concrete.hasSuffix("/none") || concrete.contains("/m999") || concrete.contains("/r999") || concrete.contains("/rl999") || path.hasPrefix("/play/"), "documented route \(path) is missing")
                    #expect(result.status != 404 || result.json["code"] as? String == "not-found" && !(result.json["detail"] as? String ?? "").hasPrefix("no route"))
                    #expect(result.status < 500)
                }
            }
            let modules = ["api", "ui", "strings", "strings-vi", "strings-en", "calendar", "booking", "meeting", "rollcall", "minutes", "console", "archive", "admin", "watch"]
            let served = modules.map { "/assets/\($0).js" } + ["/api/v1/site", "/api/v1/topology/reload", "/api/v1/meetings/check"] + ["/healthz", "/openapi.yaml", "/", "/assets/app.css", "/assets/app.js", "/auth/session", "/watch", "/assets/watch.css", "/assets/player.js", "/api/v1/search",
                          "/api/v1/meetings/{id}/minutes", "/api/v1/meetings/{id}/minutes/versions", "/api/v1/meetings/{id}/minutes/versions/{version}",
                          "/api/v1/meetings/{id}/minutes/final", "/api/v1/meetings/{id}/minutes/items/{item}/mark", "/api/v1/meetings/{id}/media",
                          "/api/v1/meetings/{id}/media.m3u8", "/api/v1/meetings/{id}/media.mp4", "/api/v1/meetings/{id}/attachments",
                          "/api/v1/meetings/{id}/attachments/{attachment}", "/api/v1/meetings/{id}/hold", "/api/v1/archive/holds",
                          "/api/v1/archive/retention", "/api/v1/archive/retention/run", "/api/v1/archive/integrity", "/api/v1/archive/integrity/run", "/auth/token", "/api/v1/me", "/api/v1/units", "/api/v1/units/{id}", "/api/v1/halls",
                          "/api/v1/halls/{id}", "/api/v1/users", "/api/v1/audit", "/api/v1/workers", "/api/v1/workers/{id}", "/api/v1/demo-feeds",
                          "/api/v1/meetings", "/api/v1/meetings/{id}", "/api/v1/agenda", "/api/v1/halls/{id}/busy", "/api/v1/units/{id}/busy",
                          "/api/v1/units/{id}/calendar.ics", "/api/v1/halls/{id}/calendar.ics",
                          "/api/v1/recordings", "/api/v1/recordings/{id}", "/api/v1/recordings/{id}/parts/{index}",
                          "/api/v1/relays", "/api/v1/relays/{id}", "/api/v1/relays/{id}/halls", "/api/v1/relays/{id}/halls/{hallId}", "/api/v1/events",
                          "/api/v1/me/password", "/api/v1/me/tokens", "/api/v1/me/tokens/{tokenId}", "/api/v1/users/{name}", "/api/v1/users/{name}/password",
                          "/api/v1/users/{name}/tokens", "/api/v1/users/{name}/tokens/{tokenId}", "/api/v1/calendar-feeds", "/api/v1/calendar-feeds/{id}",
                          "/api/v1/meetings/{id}/attendance", "/api/v1/meetings/{id}/attendance.csv", "/api/v1/meetings/{id}/delegates",
                          "/api/v1/meetings/{id}/delegates/import", "/api/v1/meetings/{id}/delegates/{delegateId}",
                          "/api/v1/attendance", "/api/v1/attendance.csv",
                          "/api/v1/meetings/{id}/run", "/api/v1/meetings/{id}/run/end", "/api/v1/meetings/{id}/run/extend",
                          "/api/v1/meetings/{id}/run/confirmations", "/api/v1/meetings/{id}/run/source", "/api/v1/run-sheet",
                          "/api/v1/webhook-deliveries",
                          "/api/v1/meetings/{id}/attendance.html", "/api/v1/meetings/{id}/delegates/copy-previous",
                          "/api/v1/meetings/{id}/player-link", "/play/{meeting}/{token}/media.m3u8", "/play/{meeting}/{token}/{recording}/{part}"]
            #expect(Set(paths.keys) == Set(served), "the document and the router list the same routes")
        }
    }
}
