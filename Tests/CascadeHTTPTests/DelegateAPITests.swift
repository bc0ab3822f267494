import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// The roll call: the secretariat imports the list, each hall's clerk marks their own hall's delegates.
@Suite(.serialized) struct DelegateAPITests {
    static func meeting(startingIn seconds: TimeInterval) -> String {
        let zone = Zone(TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
        func text(_ date: Date) -> String {
            let (day, time) = zone.local(date)
            return String(format: "%@T%02d:%02d", day.description, time.hour, time.minute)
        }
        return #"{"title":"Hội nghị Tỉnh ủy","organiserUnitId":"dak-nong","start":"\#(text(Date().addingTimeInterval(seconds)))","end":"\#(text(Date().addingTimeInterval(seconds + 3600)))","halls":["hall-cu-jut","hall-gia-nghia"],"rehearsalMinutes":30}"#
    }

    @Test func importMarkAndReport() async throws {
        try await withInProcessServer { client, database, _ in
            try database.createUser(name: "vp", role: .secretariat, unitId: "dak-nong", password: "a long test password", actor: "test")
            try database.createUser(name: "clerk-cj", role: .secretariat, unitId: "cu-jut", password: "a long test password", actor: "test")
            let secretary = try database.issueToken(forUser: "vp", label: "test", actor: "test")
            let clerk = try database.issueToken(forUser: "clerk-cj", label: "test", actor: "test")
            // The rehearsal has begun: the meeting starts in 10 minutes, halls are taken 30 minutes before.
            let booked = try await client.send("POST", "/api/v1/meetings", token: secretary, json: Self.meeting(startingIn: 600))
            let id = try #require(booked.json["id"] as? String, "\(booked.text)")

            // A bad line: 422 naming it, nothing imported.
            let bad = "name,position,unit,hall\nNguyễn Văn An,Bí thư,cu-jut,hall-cu-jut\nĐỗ Thị Bình,Phó Bí thư,nowhere,hall-gia-nghia\n"
            let refused = try await client.send("POST", "/api/v1/meetings/\(id)/delegates/import", token: secretary, body: Data(bad.utf8), headers: ["Content-Type": "text/csv"])
            #expect(refused.status == 422 && (refused.json["detail"] as? String ?? "").hasPrefix("line 3, unit"), "\(refused.text)")
            #expect(try database.delegates(ofMeeting: id).isEmpty)

            let good = "\u{FEFF}name,position,unit,hall\r\nNguyễn Văn An,Bí thư,cu-jut,hall-cu-jut\r\nĐỗ Thị Bình,\"Phó Bí thư, Thường trực\",gia-nghia,hall-gia-nghia\r\n"
            let imported = try await client.send("POST", "/api/v1/meetings/\(id)/delegates/import", token: secretary, body: Data(good.utf8), headers: ["Content-Type": "text/csv"])
            #expect(imported.status == 201, "\(imported.text)")
            let delegates = imported.jsonArray
            let an = try #require(delegates.first { $0["name"] as? String == "Nguyễn Văn An" }?["id"] as? Int)
            let binh = try #require(delegates.first { $0["name"] as? String == "Đỗ Thị Bình" }?["id"] as? Int)
            #expect(delegates.first { $0["id"] as? Int == binh }?["position"] as? String == "Phó Bí thư, Thường trực")

            // Cư Jút's clerk marks Cư Jút's delegate, not Gia Nghĩa's.
            let marked = try await client.send("PATCH", "/api/v1/meetings/\(id)/delegates/\(an)", token: clerk, json: #"{"state":"present-in-hall"}"#)
            #expect(marked.status == 200 && marked.json["markedBy"] as? String == "clerk-cj", "\(marked.text)")
            #expect(try await client.send("PATCH", "/api/v1/meetings/\(id)/delegates/\(binh)", token: clerk, json: #"{"state":"absent"}"#).status == 403)
            let noReason = try await client.send("PATCH", "/api/v1/meetings/\(id)/delegates/\(binh)", token: secretary, json: #"{"state":"absent-with-reason"}"#)
            #expect(noReason.status == 422 && noReason.json["field"] as? String == "reason")
            #expect(try await client.send("PATCH", "/api/v1/meetings/\(id)/delegates/\(binh)", token: secretary,
                                          json: #"{"state":"absent-with-reason","reason":"Đi công tác"}"#).status == 200)

            // Re-importing keeps the states already marked.
            _ = try await client.send("POST", "/api/v1/meetings/\(id)/delegates/import", token: secretary, body: Data(good.utf8), headers: ["Content-Type": "text/csv"])
            let attendance = try await client.send("GET", "/api/v1/meetings/\(id)/attendance", token: secretary)
            let counts = try #require((attendance.json["summary"] as? [String: Any])?["delegates"] as? [String: Int])
            #expect(counts == ["present-in-hall": 1, "absent-with-reason": 1], "\(attendance.text)")

            // Nobody is present before the rehearsal: a meeting three hours away.
            let later = try await client.send("POST", "/api/v1/meetings", token: secretary, json: Self.meeting(startingIn: 3 * 3600).replacingOccurrences(of: "Hội nghị Tỉnh ủy", with: "Hội nghị sau"))
            let laterId = try #require(later.json["id"] as? String, "\(later.text)")
            let list = try await client.send("PUT", "/api/v1/meetings/\(laterId)/delegates", token: secretary,
                                             json: #"{"delegates":[{"name":"Nguyễn Văn An","position":"Bí thư","unitId":"cu-jut","hallId":"hall-cu-jut"}]}"#)
            let early = try #require(list.jsonArray.first?["id"] as? Int, "\(list.text)")
            #expect(try await client.send("PATCH", "/api/v1/meetings/\(laterId)/delegates/\(early)", token: clerk, json: #"{"state":"present-in-hall"}"#).status == 409)

            // The unit reports: Cư Jút took part in the first meeting (its delegate was there), not yet in the second.
            let cuJut = try await client.send("GET", "/api/v1/attendance?unit=cu-jut", token: clerk)
            #expect(cuJut.status == 200, "\(cuJut.text)")
            #expect((cuJut.json["meetings"] as? [[String: Any]])?.map { $0["meetingId"] as? String } == [id, laterId])
            #expect(cuJut.json["attended"] as? Int == 1 && cuJut.json["attendanceRate"] as? Double == 0.5)
            let giaNghia = try await client.send("GET", "/api/v1/attendance?unit=gia-nghia", token: secretary)
            #expect(giaNghia.json["absencesWithReason"] as? Int == 1, "\(giaNghia.text)")
            #expect(try await client.send("GET", "/api/v1/attendance?unit=gia-nghia", token: clerk).status == 403, "another unit's report")
            let csv = try await client.send("GET", "/api/v1/attendance.csv?unit=gia-nghia", token: secretary).text
            #expect(csv.contains("Đỗ Thị Bình (Đi công tác)"), "\(csv)")
            let printed = try Command.run(TestPaths.cascadeExecutable, ["attendance", "report", "--unit", "cu-jut", "--server", client.baseURL, "--token-file", try TokenFile.path(for: clerk)])
            #expect(printed.output.hasPrefix("cu-jut: attended 1 of 2 meetings (50%)"), "\(printed.output)\(printed.errorOutput)")
        }
    }
}

/// A confidential meeting's minutes and delegates follow the roles of its media, and its organiser's
/// secretariat (who writes them) always reads them.
@Suite(.serialized) struct ConfidentialRecordsTests {
    @Test("a confidential meeting's minutes, versions and delegates are refused to viewers and technicians; attendance leaves its delegates out for them")
    func confidentialRecordsFollowTheMediaRoles() async throws {
        try await withInProcessServer(configure: { $0.archive.confidentialMediaRoles = [.admin] }) { client, database, _ in
            try database.createUser(name: "vp", role: .secretariat, unitId: "dak-nong", password: "a long test password", actor: "test")
            let secretary = try database.issueToken(forUser: "vp", label: "test", actor: "test")
            let viewer = try APITests.token(database, "cb", .viewer, unit: "dak-nong")
            let technician = try APITests.token(database, "kt", .technician, unit: "dak-nong")
            let otherSecretariat = try APITests.token(database, "vp-cj", .secretariat, unit: "cu-jut")
            let booked = try await client.send("POST", "/api/v1/meetings", token: secretary, json: #"""
                {"title":"Họp chuyên đề nhân sự","organiserUnitId":"dak-nong","start":"2031-07-01T08:00","end":"2031-07-01T09:00","halls":["hall-cu-jut"],"classification":"confidential"}
                """#)
            let id = try #require(booked.json["id"] as? String, "\(booked.text)")
            let csv = "name,position,unit,hall\nNguyễn Văn An,Bí thư,cu-jut,hall-cu-jut\n"
            #expect(try await client.send("POST", "/api/v1/meetings/\(id)/delegates/import", token: secretary, body: Data(csv.utf8), headers: ["Content-Type": "text/csv"]).status == 201)
            #expect(try await client.send("PUT", "/api/v1/meetings/\(id)/minutes", token: secretary, json: #"{"chair":"Nguyễn Văn An","notes":"Nhân sự"}"#).status == 200)
            let records = ["/api/v1/meetings/\(id)/minutes", "/api/v1/meetings/\(id)/minutes/versions", "/api/v1/meetings/\(id)/minutes/versions/1", "/api/v1/meetings/\(id)/delegates"]
            for path in records {
                #expect(try await client.send("GET", path, token: viewer).status == 403, "viewer: \(path)")
                #expect(try await client.send("GET", path, token: technician).status == 403, "technician: \(path)")
                #expect(try await client.send("GET", path, token: secretary).status == 200, "the organiser's secretariat: \(path)")
            }
            #expect(try await client.send("GET", "/api/v1/meetings/\(id)/delegates", token: otherSecretariat).status == 403, "another unit's secretariat is not the organiser's")
            let attendance = try await client.send("GET", "/api/v1/meetings/\(id)/attendance", token: viewer)
            #expect(attendance.status == 200 && (attendance.json["delegates"] as? [Any])?.isEmpty == true, "\(attendance.text)")
            #expect(!(try await client.send("GET", "/api/v1/meetings/\(id)/attendance.csv?table=delegates", token: viewer)).text.contains("Nguyễn Văn An"))
            #expect((try await client.send("GET", "/api/v1/meetings/\(id)/attendance", token: secretary)).text.contains("Nguyễn Văn An"))
        }
    }
}
