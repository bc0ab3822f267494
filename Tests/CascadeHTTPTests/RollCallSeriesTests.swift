import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// A weekly briefing's roll call: the list copied from last week, the series' report, and the page
/// the office prints and signs, rendered by a real browser.
@Suite(.serialized) struct RollCallSeriesTests {
    @Test func copiedFromLastWeekReportedPerSeriesAndPrinted() async throws {
        try await withInProcessServer { client, database, _ in
            let secretary = try MeetingAPITests.token(database, "vp", .secretariat, unit: "dak-nong")
            let monday = MeetingAPITests.monday(inWeeks: 1)
            let booked = try await client.send("POST", "/api/v1/meetings", token: secretary, json: MeetingAPITests.single(
                "Giao ban <tuần> & đầu tháng", day: monday, from: "07:30", to: "09:00", halls: ["hall-cu-jut", "hall-tuy-duc"],
                extra: #","chair":"Đồng chí Bí thư","recurrence":{"frequency":"weekly","weekdays":[1],"count":3}"#))
            let seriesId = try #require(booked.json["id"] as? String, "\(booked.text)")
            let first = "\(seriesId)-\(monday)", second = "\(seriesId)-\(LocalDate(monday)!.adding(days: 7))"
            let csv = "name,position,unit,hall\nNguyễn Văn An,Bí thư Huyện ủy,cu-jut,hall-cu-jut\nTrần Thị Bích,Chủ tịch UBND,tuy-duc,hall-tuy-duc\n"
            let imported = try await client.send("POST", "/api/v1/meetings/\(first)/delegates/import", token: secretary, body: Data(csv.utf8),
                                                 headers: ["Content-Type": "text/csv"])
            #expect(imported.status == 201, "\(imported.text)")
            let absentId = try #require(imported.jsonArray.first { $0["name"] as? String == "Trần Thị Bích" }?["id"] as? Int)
            let marked = try await client.send("PATCH", "/api/v1/meetings/\(first)/delegates/\(absentId)", token: secretary,
                                               json: #"{"state":"absent-with-reason","reason":"Đi công tác"}"#)
            #expect(marked.status == 200, "\(marked.text)")

            // One more, added on its own; the states already marked stay.
            let added = try await client.send("POST", "/api/v1/meetings/\(first)/delegates", token: secretary,
                                              json: #"{"name":"Lê Văn Cường","position":"Phó Bí thư","unitId":"cu-jut","hallId":"hall-cu-jut"}"#)
            #expect(added.status == 201 && added.json["name"] as? String == "Lê Văn Cường", "\(added.text)")
            let twice = try await client.send("POST", "/api/v1/meetings/\(first)/delegates", token: secretary,
                                              json: #"{"name":"Lê Văn Cường","position":"Phó Bí thư","unitId":"cu-jut","hallId":"hall-cu-jut"}"#)
            #expect(twice.status == 422, "a duplicate is refused: \(twice.text)")
            let list = try await client.send("GET", "/api/v1/meetings/\(first)/delegates", token: secretary).jsonArray
            #expect(list.count == 3 && list.first { $0["name"] as? String == "Trần Thị Bích" }?["state"] as? String == "absent-with-reason")
            // The delegate table as CSV opens in Python's csv module with the Vietnamese intact.
            let table = try await client.send("GET", "/api/v1/meetings/\(first)/attendance.csv?table=delegates", token: secretary)
            let csvFile = "\(NSTemporaryDirectory())/delegates-\(UUID().uuidString).csv"
            try table.body.write(to: URL(fileURLWithPath: csvFile))
            defer { try? FileManager.default.removeItem(atPath: csvFile) }
            let script = "import csv,sys\nrows=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig')))\nprint('|'.join(r['name']+'='+r['state_label']+'='+r['reason'] for r in rows))"
            let parsed = try Command.run("/usr/bin/python3", ["-c", script, csvFile])
            #expect(parsed.output == "Nguyễn Văn An=Chưa điểm danh=|Trần Thị Bích=Vắng có lý do=Đi công tác|Lê Văn Cường=Chưa điểm danh=\n", "\(parsed.output)\(parsed.errorOutput)")

            // Next week: the same people, not called yet.
            let copied = try await client.send("POST", "/api/v1/meetings/\(second)/delegates/copy-previous", token: secretary)
            #expect(copied.status == 201, "\(copied.text)")
            #expect(copied.jsonArray.compactMap { $0["name"] as? String } == ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường"])
            #expect(copied.jsonArray.allSatisfy { $0["state"] as? String == "not-called" })
            let nothingBefore = try await client.send("POST", "/api/v1/meetings/\(first)/delegates/copy-previous", token: secretary)
            #expect(nothingBefore.status == 409, "the first occurrence has no previous list: \(nothingBefore.text)")

            // The series' report names its occurrences only, with the absence and its reason.
            let report = try await client.send("GET", "/api/v1/attendance?series=\(seriesId)&from=\(monday)&to=\(LocalDate(monday)!.adding(days: 21))", token: secretary).json
            #expect(report["seriesId"] as? String == seriesId)
            #expect(report["unitId"] as? String == "dak-nong")
            let lines = report["meetings"] as? [[String: Any]] ?? []
            #expect(lines.compactMap { $0["meetingId"] as? String } == [first, second, "\(seriesId)-\(LocalDate(monday)!.adding(days: 14))"])
            #expect(((lines.first?["absences"] as? [[String: Any]])?.first?["reason"] as? String) == "Đi công tác")
            let unknown = try await client.send("GET", "/api/v1/attendance?series=s999", token: secretary)
            #expect(unknown.status == 422)

            // The printable page: escaped title, the office, the states in the office's words, signatures; no script.
            let page = try await client.send("GET", "/api/v1/meetings/\(first)/attendance.html", token: secretary)
            #expect(page.status == 200)
            #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            let html = page.text
            #expect(html.contains("Giao ban &lt;tuần&gt; &amp; đầu tháng"))
            #expect(!html.contains("<tuần>") && !html.contains("<script"))
            #expect(html.contains("Tỉnh ủy Đắk Nông") && html.contains("Vắng có lý do") && html.contains("Đi công tác") && html.contains("NGƯỜI LẬP BIỂU"))
            #expect(html.contains("không đo được"), "the multicast hall is not measurable")

            // A real browser renders it as an A4 page and prints it to PDF; the screenshot is kept.
            let directory = try TestPaths.makeTemporaryDirectory()
            let file = "\(directory)/attendance.html"
            try html.write(toFile: file, atomically: true, encoding: .utf8)
            let kept = TestPaths.packageRoot.appendingPathComponent(".build/test-output").path
            try FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
            let screenshot = "\(kept)/attendance-sheet.png", pdf = "\(directory)/attendance.pdf"
            let browser = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(directory)/profile"]
            let shot = try Command.run("chromium", browser + ["--window-size=794,1123", "--screenshot=\(screenshot)", "file://\(file)"])
            #expect(shot.status == 0, "\(shot.errorOutput)")
            let printed = try Command.run("chromium", browser + ["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://\(file)"])
            #expect(printed.status == 0, "\(printed.errorOutput)")
            let image = try #require(FileManager.default.contents(atPath: screenshot))
            #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]) && image.count > 20_000, "a rendered page, not a blank one (\(image.count) bytes), kept at \(screenshot)")
            let document = try #require(FileManager.default.contents(atPath: pdf))
            #expect(document.starts(with: Array("%PDF".utf8)))
            #expect(String(decoding: document, as: UTF8.self).contains("/MediaBox [0 0 59"), "an A4 page (595 × 842 pt)")
        }
    }
}
