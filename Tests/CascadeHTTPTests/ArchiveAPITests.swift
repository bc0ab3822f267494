import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// Minutes, attachments, search and the archive's media through the HTTP API, with real recorded parts.
@Suite(.serialized) struct ArchiveAPITests {
    /// The demo configuration with a 1 MB attachment cap.
    static func configuration() throws -> String {
        let path = try TestPaths.makeTemporaryDirectory() + "/cascade.yaml"
        let demo = try String(contentsOfFile: TestPaths.demoConfiguration, encoding: .utf8)
        try (demo + "\narchive:\n  attachmentMaximumMegabytes: 1\n  confidentialMediaRoles: [admin, secretariat]\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func book(_ client: HTTPClient, _ token: String, title: String, day: Int, classification: String = "internal") async throws -> String {
        let date = LocalDate("2031-05-05")!.adding(days: day).description
        let booked = try await client.send("POST", "/api/v1/meetings", token: token, json: #"""
            {"title":"\#(title)","organiserUnitId":"dak-nong","start":"\#(date)T08:00","end":"\#(date)T10:00","halls":["hall-gia-nghia"],"classification":"\#(classification)"}
            """#)
        return try #require(booked.json["id"] as? String, "\(booked.text)")
    }

    static func header(_ result: HTTPResult, _ name: String) -> String? {
        result.headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    @Test("minutes are written, marked live, made final and versioned; bad minutes and files are refused and nothing is half-written")
    func minutesAndAttachments() async throws {
        try await withInProcessServer(config: try Self.configuration()) { client, database, configuration in
            let admin = try APITests.token(database, "admin1", .admin)
            let secretariat = try APITests.token(database, "vp", .secretariat)
            let viewer = try APITests.token(database, "cb", .viewer)
            let meeting = try await Self.book(client, admin, title: "Hội nghị Ban Chấp hành Đảng bộ tỉnh Đắk Nông", day: 0)
            let other = try await Self.book(client, admin, title: "Giao ban khối nội chính", day: 1)
            let minutes = #"""
                {"chair":"Nguyễn Văn An","secretary":"Lê Thị Hoa","agenda":[{"title":"Khai mạc","presenter":"Văn phòng"},
                 {"title":"Báo cáo chuyển đổi số","conclusion":"Hoàn thành kết nối họp trực tuyến đến cấp xã"}],
                 "documents":[{"number":"137-TB/TU","kind":"Thông báo kết luận","title":"Kết luận hội nghị","date":"2031-05-05"}]}
                """#
            // Refusals first: nothing is written by any of them.
            let badNumber = try await client.send("PUT", "/api/v1/meetings/\(meeting)/minutes", token: secretariat,
                                                  json: minutes.replacingOccurrences(of: "137-TB/TU", with: "137/TB"))
            #expect(badNumber.status == 422 && badNumber.json["field"] as? String == "documents[0].number", "\(badNumber.text)")
            let badOffsets = try await client.send("PUT", "/api/v1/meetings/\(meeting)/minutes", token: secretariat,
                                                   json: #"{"agenda":[{"title":"Khai mạc","startSeconds":50,"endSeconds":10}]}"#)
            #expect(badOffsets.status == 422 && badOffsets.json["field"] as? String == "agenda[0].endSeconds")
            #expect(try await client.send("PUT", "/api/v1/meetings/\(meeting)/minutes", token: viewer, json: minutes).status == 403)
            // A document written without its date was issued on the meeting's day.
            let third = try await Self.book(client, admin, title: "Hội nghị sơ kết", day: 7)
            let undated = try await client.send("PUT", "/api/v1/meetings/\(third)/minutes", token: secretariat,
                                                json: #"{"documents":[{"number":"12-TB/TU","kind":"Thông báo","title":"Kết luận"}]}"#)
            #expect(undated.status == 200, "\(undated.text)")
            #expect(((undated.json["content"] as? [String: Any])?["documents"] as? [[String: Any]])?.first?["date"] as? String == "2031-05-12", "\(undated.text)")
            #expect(try await client.send("GET", "/api/v1/meetings/\(meeting)/minutes", token: viewer).status == 404)

            let written = try await client.send("PUT", "/api/v1/meetings/\(meeting)/minutes", token: secretariat, json: minutes)
            #expect(written.status == 200 && written.json["version"] as? Int == 1 && written.json["state"] as? String == "draft", "\(written.text)")
            let taken = try await client.send("PUT", "/api/v1/meetings/\(other)/minutes", token: secretariat, json: minutes)
            #expect(taken.status == 409 && (taken.json["detail"] as? String ?? "").contains("137-TB/TU"), "\(taken.text)")
            #expect(try await client.send("GET", "/api/v1/meetings/\(other)/minutes", token: viewer).status == 404)

            // Live: nothing recorded yet, then "item 1 starts now" against the recording.
            #expect(try await client.send("POST", "/api/v1/meetings/\(meeting)/minutes/items/1/mark", token: secretariat).status == 409)
            let began = Date().addingTimeInterval(-125)
            _ = try await RecordedParts.record(database, recordingsDirectory: "\(configuration.dataDirectory)/recordings", meetingId: meeting, starts: [began], seconds: 2)
            let marked = try await client.send("POST", "/api/v1/meetings/\(meeting)/minutes/items/1/mark", token: secretariat)
            let items = (marked.json["content"] as? [String: Any])?["agenda"] as? [[String: Any]] ?? []
            let start = try #require(items.last?["startSeconds"] as? Double, "\(marked.text)")
            #expect(abs(start - 125) < 5)
            #expect(try await client.send("POST", "/api/v1/meetings/\(meeting)/minutes/items/7/mark", token: secretariat).status == 404)

            // Final: an edit is refused until a new version starts; the final one stays readable.
            #expect(try await client.send("POST", "/api/v1/meetings/\(meeting)/minutes/final", token: secretariat).status == 200)
            let edit = try await client.send("PUT", "/api/v1/meetings/\(meeting)/minutes", token: secretariat, json: #"{"notes":"sửa sau"}"#)
            #expect(edit.status == 409, "\(edit.text)")
            #expect(try await client.send("POST", "/api/v1/meetings/\(meeting)/minutes/versions", token: secretariat).status == 201)
            #expect(try await client.send("PUT", "/api/v1/meetings/\(meeting)/minutes", token: secretariat, json: minutes.replacingOccurrences(of: "Lê Thị Hoa", with: "Lê Thị Lan")).status == 200)
            let versions = try await client.send("GET", "/api/v1/meetings/\(meeting)/minutes/versions", token: viewer).jsonArray
            #expect(versions.map { $0["state"] as? String } == ["final", "draft"])
            let first = try await client.send("GET", "/api/v1/meetings/\(meeting)/minutes/versions/1", token: viewer)
            #expect((first.json["content"] as? [String: Any])?["secretary"] as? String == "Lê Thị Hoa")

            // Search finds it by a conclusion typed without diacritics, and by its document number.
            let found = try await client.send("GET", "/api/v1/search?q=ket%20noi%20hop%20truc%20tuyen", token: viewer)
            #expect((found.json["results"] as? [[String: Any]])?.first?["id"] as? String == meeting, "\(found.text)")
            let byNumber = try await client.send("GET", "/api/v1/search?q=137-TB%2FTU", token: viewer)
            #expect((byNumber.json["results"] as? [[String: Any]])?.first?["id"] as? String == meeting)
            #expect(try await client.send("GET", "/api/v1/search?classification=secret", token: viewer).status == 422)

            // Attachments: recognised by content, stored under a name the server chooses, served as downloads.
            let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
            let name = "Báo cáo kết luận.pdf".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let uploaded = try await client.send("POST", "/api/v1/meetings/\(meeting)/attachments?name=\(name)", token: secretariat, body: pdf)
            #expect(uploaded.status == 201 && uploaded.json["sha256"] as? String == SHA256.hexDigest(Array(pdf)), "\(uploaded.text)")
            let stored = try FileManager.default.contentsOfDirectory(atPath: "\(configuration.dataDirectory)/attachments")
            #expect(stored.count == 1 && stored[0].hasSuffix(".bin") && !stored[0].contains("Báo"))
            let fetched = try await client.send("GET", try #require(uploaded.json["url"] as? String), token: viewer)
            #expect(fetched.status == 200 && fetched.body == pdf)
            #expect(Self.header(fetched, "Content-Disposition")?.hasPrefix("attachment;") == true)
            #expect(Self.header(fetched, "X-Content-Type-Options") == "nosniff")
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64))
            #expect(try await client.send("POST", "/api/v1/meetings/\(meeting)/attachments?name=fake.pdf", token: secretariat, body: png).status == 415)
            #expect(try await client.send("POST", "/api/v1/meetings/\(meeting)/attachments?name=empty.pdf", token: secretariat, body: Data()).status == 422)
            let large = Data("%PDF-".utf8) + Data(count: (1 << 20) + 10)
            #expect(try await client.send("POST", "/api/v1/meetings/\(meeting)/attachments?name=large.pdf", token: secretariat, body: large).status == 413)
            let docx = Data([0x50, 0x4B, 0x03, 0x04] + Array("....[Content_Types].xml....word/document.xml....".utf8))
            let word = try await client.send("POST", "/api/v1/meetings/\(meeting)/attachments?name=bien-ban.docx", token: secretariat, body: docx)
            #expect(word.json["mediaType"] as? String == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            #expect(try await client.send("GET", "/api/v1/meetings/\(meeting)/attachments", token: viewer).jsonArray.count == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(configuration.dataDirectory)/attachments").count == 2, "refused files leave nothing behind")
        }
    }

    @Test("a meeting's media: the player's map with chapters, HLS, one MP4 that ffprobe reads whole; plays and downloads audited; confidential media for named roles")
    func media() async throws {
        try await withInProcessServer(config: try Self.configuration()) { client, database, configuration in
            let admin = try APITests.token(database, "admin1", .admin)
            let secretariat = try APITests.token(database, "vp", .secretariat)
            let viewer = try APITests.token(database, "cb", .viewer)
            let meeting = try await Self.book(client, admin, title: "Họp Ban Thường vụ: tổng kết năm", day: 2)
            let recordings = "\(configuration.dataDirectory)/recordings"
            let origin = Date().addingTimeInterval(-3600)
            _ = try await RecordedParts.record(database, recordingsDirectory: recordings, meetingId: meeting, starts: [origin, origin.addingTimeInterval(3)], seconds: 3)
            _ = try await RecordedParts.record(database, recordingsDirectory: recordings, meetingId: meeting, starts: [origin.addingTimeInterval(16)], seconds: 3)
            _ = try await client.send("PUT", "/api/v1/meetings/\(meeting)/minutes", token: secretariat,
                                      json: #"{"agenda":[{"title":"Khai mạc","startSeconds":0,"endSeconds":4},{"title":"Tổng kết","startSeconds":16.5}]}"#)

            let map = try await client.send("GET", "/api/v1/meetings/\(meeting)/media", token: viewer)
            #expect(map.status == 200, "\(map.text)")
            #expect((map.json["parts"] as? [[String: Any]])?.count == 3)
            #expect((map.json["gaps"] as? [[String: Any]])?.count == 1)
            #expect((map.json["chapters"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Khai mạc", "Tổng kết"])
            let duration = try #require(map.json["durationSeconds"] as? Double)
            #expect(abs(duration - 19) < 0.5)
            let playlist = try await client.send("GET", "/api/v1/meetings/\(meeting)/media.m3u8", token: viewer)
            #expect(playlist.status == 200 && playlist.text.hasPrefix("#EXTM3U") && playlist.text.contains("#EXT-X-ENDLIST"))

            let whole = try await client.send("GET", "/api/v1/meetings/\(meeting)/media.mp4", token: viewer)
            #expect(whole.status == 200)
            #expect(Self.header(whole, "Content-Disposition")?.contains("filename*=UTF-8''2031-05-07%20H%E1%BB%8Dp%20Ban") == true, "\(Self.header(whole, "Content-Disposition") ?? "")")
            #expect(Self.header(whole, "Cascade-Gaps")?.split(separator: ",").count == 1)
            let file = "\(configuration.dataDirectory)/whole.mp4"
            try whole.body.write(to: URL(fileURLWithPath: file))
            let probe = try Command.run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file])
            let probed = try #require(Double(probe.output.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(abs(probed - duration) < 0.3, "ffprobe \(probed) s, index \(duration) s")
            let range = try await client.send("GET", "/api/v1/meetings/\(meeting)/media.mp4?from=2.5&to=4", token: viewer)
            #expect(range.status == 200 && Double(Self.header(range, "Cascade-Start-Seconds") ?? "") ?? 9 <= 2.5)
            for (query, status) in [("from=5&to=3", 422), ("from=abc", 400), ("from=999", 422), ("to=-1", 400)] {
                #expect(try await client.send("GET", "/api/v1/meetings/\(meeting)/media.mp4?\(query)", token: viewer).status == status, "\(query)")
            }
            #expect(try await client.send("GET", "/api/v1/meetings/m999/media.mp4", token: viewer).status == 404)

            let audit = try database.auditEntries(limit: 200)
            #expect(audit.contains { $0.actor == "cb" && $0.action == "media.play" && $0.target == meeting })
            #expect(audit.contains { $0.actor == "cb" && $0.action == "media.download" && $0.target == meeting && ($0.details ?? "").contains("2.") })

            // Confidential: the map, the playlist, the download and the parts themselves are refused to a viewer.
            let secret = try await Self.book(client, admin, title: "Họp chuyên đề nhân sự", day: 3, classification: "confidential")
            let secretRecording = try await RecordedParts.record(database, recordingsDirectory: recordings, meetingId: secret, starts: [origin], seconds: 2)
            for path in ["/api/v1/meetings/\(secret)/media", "/api/v1/meetings/\(secret)/media.m3u8", "/api/v1/meetings/\(secret)/media.mp4",
                         "/api/v1/recordings/r\(secretRecording)/parts/0"] {
                #expect(try await client.send("GET", path, token: viewer).status == 403, "\(path)")
            }
            #expect(try await client.send("GET", "/api/v1/meetings/\(secret)/media", token: secretariat).status == 200)
            #expect(try await client.send("POST", "/api/v1/meetings/\(secret)/player-link", token: viewer).status == 403, "no link to media one may not play")
        }
    }

    @Test("a player link opens the meeting in ffprobe with its default options (segments named …/N.mp4), with the recorded duration; it reads that meeting only and dies with its user")
    func playerLinkOpensInPlayersThatSendNoHeader() async throws {
        try await withInProcessServer(config: try Self.configuration()) { client, database, configuration in
            let admin = try APITests.token(database, "admin1", .admin)
            let viewer = try APITests.token(database, "cb", .viewer)
            let meeting = try await Self.book(client, admin, title: "Hội nghị trực tuyến toàn tỉnh", day: 2)
            let other = try await Self.book(client, admin, title: "Họp khác", day: 4)
            let recordings = "\(configuration.dataDirectory)/recordings"
            let origin = Date().addingTimeInterval(-3600)
            _ = try await RecordedParts.record(database, recordingsDirectory: recordings, meetingId: meeting, starts: [origin, origin.addingTimeInterval(3)], seconds: 3)
            _ = try await RecordedParts.record(database, recordingsDirectory: recordings, meetingId: meeting, starts: [origin.addingTimeInterval(16)], seconds: 3)
            let map = try await client.send("GET", "/api/v1/meetings/\(meeting)/media", token: viewer).json
            let recorded = ((map["parts"] as? [[String: Any]]) ?? []).compactMap { $0["durationSeconds"] as? Double }.reduce(0, +)

            let issued = try await client.send("POST", "/api/v1/meetings/\(meeting)/player-link", token: viewer)
            #expect(issued.status == 201, "\(issued.text)")
            let url = try #require(issued.json["url"] as? String)
            #expect(url.hasPrefix(client.baseURL + "/play/\(meeting)/") && url.hasSuffix("/media.m3u8"))
            let playlist = try await client.send("GET", String(url.dropFirst(client.baseURL.count)))
            #expect(playlist.status == 200 && playlist.text.contains("r1/0.mp4") && playlist.text.contains("#EXT-X-MAP:URI=\"r1/0.mp4\""), "\(playlist.text)")
            // The player people have, as they run it: no options, no header.
            let probe = try Command.run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", url])
            #expect(probe.status == 0, "ffprobe: \(probe.errorOutput)")
            let probed = try #require(Double(probe.output.trimmingCharacters(in: .whitespacesAndNewlines)), "\(probe.output) \(probe.errorOutput)")
            #expect(abs(probed - recorded) < 0.5, "ffprobe \(probed) s, the index \(recorded) s recorded")

            // The link reads this meeting only, is no API token, and stops when its user is disabled.
            let token = url.split(separator: "/").dropLast().last.map(String.init) ?? ""
            #expect(try await client.send("GET", "/play/\(other)/\(token)/media.m3u8").status == 404)
            #expect(try await client.send("GET", "/play/\(meeting)/\(token)/r2/0.mp4").status == 200)
            #expect(try await client.send("GET", "/api/v1/meetings/\(meeting)/media", token: token).status == 401)
            let audit = try database.auditEntries(limit: 200)
            #expect(audit.contains { $0.actor == "cb" && $0.action == "media.play" && $0.details == "HLS playlist through a player link" })
            try database.setUserDisabled("cb", true, actor: "admin1")
            #expect(try await client.send("GET", "/play/\(meeting)/\(token)/media.m3u8").status == 404)
        }
    }
}

/// Attachments cannot fill the disk the recordings need.
@Suite(.serialized) struct AttachmentQuotaTests {
    static let pdf = Data("%PDF-1.7\n".utf8) + Data(count: 768 << 10)

    @Test("a meeting's attachments stop at their quota (507), and none is kept below the recordings' free-space floor")
    func attachmentsHaveAQuotaAndRespectTheDiskFloor() async throws {
        try await withInProcessServer(config: try ArchiveAPITests.configuration(), configure: { $0.archive.attachmentQuotaBytes = 2 << 20 }) { client, database, _ in
            let admin = try APITests.token(database, "admin1", .admin)
            let secretariat = try APITests.token(database, "vp", .secretariat)
            let meeting = try await ArchiveAPITests.book(client, admin, title: "Hội nghị", day: 1)
            for index in 0..<2 {
                let kept = try await client.send("POST", "/api/v1/meetings/\(meeting)/attachments?name=bao-cao-\(index).pdf", token: secretariat, body: Self.pdf)
                #expect(kept.status == 201, "\(kept.text)")
            }
            let over = try await client.send("POST", "/api/v1/meetings/\(meeting)/attachments?name=bao-cao-3.pdf", token: secretariat, body: Self.pdf)
            #expect(over.status == 507 && over.json["code"] as? String == "quota-exceeded", "\(over.text)")
            #expect(try database.attachments(ofMeeting: meeting).count == 2, "nothing of the refused file is kept")
        }
        // A floor as large as the disk: no attachment fits above it.
        try await withInProcessServer(config: try ArchiveAPITests.configuration(), configure: {
            $0.recording.freeSpaceFloorBytes = .max / 2
            $0.recording.freeSpaceFloorFraction = 1
        }) { client, database, _ in
            let admin = try APITests.token(database, "admin1", .admin)
            let meeting = try await ArchiveAPITests.book(client, admin, title: "Hội nghị", day: 1)
            let refused = try await client.send("POST", "/api/v1/meetings/\(meeting)/attachments?name=bao-cao.pdf", token: admin, body: Self.pdf)
            #expect(refused.status == 507 && refused.json["code"] as? String == "insufficient-storage", "\(refused.text)")
        }
    }
}
