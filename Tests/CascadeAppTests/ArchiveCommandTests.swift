import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// The secretariat's and staff's archive commands against a real server process: minutes from a
/// JSON file, search without diacritics, a one-file download, a hold, retention's dry run, integrity.
@Suite(.serialized) struct ArchiveCommandTests {
    @Test func minutesSearchDownloadAndRetentionFromTheCommandLine() async throws {
        let data = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let config = ["--config", TestPaths.demoConfiguration, "--data-dir", data]
        func token(_ name: String, _ role: String, unit: [String]) throws -> String {
            _ = try Command.run(TestPaths.cascadeExecutable, ["user", "add", name, "--role", role] + unit + config)
            return try Command.run(TestPaths.cascadeExecutable, ["token", "issue", name] + config).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let secretary = try token("vp", "secretariat", unit: ["--unit", "dak-nong"]), staff = try token("cb", "viewer", unit: ["--unit", "dak-nong"])
        let admin = try token("qt", "admin", unit: [])
        let server = try ServerProcess(dataDirectory: data)
        defer { _ = server.terminate() }
        func cascade(_ arguments: [String], as token: String) throws -> CommandResult {
            try Command.run(TestPaths.cascadeExecutable, arguments + ["--server", "http://127.0.0.1:\(server.port)", "--token-file", try TokenFile.path(for: token)])
        }
        let day = LocalDateText.monday(inWeeks: 3)
        let booked = try cascade(["meetings", "book", "--title", "Hội nghị Tỉnh ủy Đắk Nông mở rộng", "--unit", "dak-nong", "--start", "\(day)T08:00",
                                  "--end", "\(day)T11:00", "--hall", "hall-cu-jut"], as: secretary)
        #expect(booked.status == 0, "\(booked.errorOutput)")
        let meeting = "m1"

        let file = "\(data)/minutes.json"
        try #"""
            {"chair":"Nguyễn Văn An","secretary":"Lê Thị Hoa","agenda":[{"title":"Khai mạc","startSeconds":0,"endSeconds":2},
             {"title":"Quán triệt nghị quyết","presenter":"Ban Tuyên giáo","startSeconds":2,"conclusion":"Tổ chức học tập đến chi bộ"}],
             "documents":[{"number":"45-NQ/TU","kind":"Nghị quyết","title":"Về chuyển đổi số","date":"\#(day)"}]}
            """#.write(toFile: file, atomically: true, encoding: .utf8)
        let edited = try cascade(["minutes", "edit", meeting, file], as: secretary)
        #expect(edited.status == 0 && edited.output.contains("1. [00:00:02–] Quán triệt nghị quyết — Ban Tuyên giáo"), "\(edited.output)\(edited.errorOutput)")
        try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "45-NQ/TU", with: "NQ45").write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try cascade(["minutes", "edit", meeting, file], as: secretary)
        #expect(refused.status == 1 && refused.errorOutput.hasPrefix("cascade: documents[0].number: NQ45 does not look like a document number"), "\(refused.errorOutput)")
        #expect(try cascade(["minutes", "final", meeting], as: secretary).status == 0)
        let shown = try cascade(["minutes", "show", meeting], as: staff)
        #expect(shown.output.contains("version 1 (final)") && shown.output.contains("document 45-NQ/TU"), "\(shown.output)")

        let found = try cascade(["search", "dak", "nong", "mo", "rong"], as: staff)
        #expect(found.output.hasPrefix("1 meetings found") && found.output.contains("\(meeting)  "), "\(found.output)\(found.errorOutput)")
        #expect(try cascade(["search", "45-NQ/TU"], as: staff).output.contains("documents 45-NQ/TU"))

        // Recorded parts for the meeting, written as the recorder writes them, then one file for all of it.
        let database = try AppDatabase.open(dataDirectory: data, passwordCost: 4)
        _ = try await RecordedParts.record(database, recordingsDirectory: "\(data)/recordings", meetingId: meeting, starts: [Date(), Date().addingTimeInterval(3)], seconds: 3)
        let output = "\(data)/hoi-nghi.mp4"
        let downloaded = try cascade(["archive", "download", meeting, "-o", output], as: staff)
        #expect(downloaded.status == 0 && downloaded.output.hasPrefix("Saved \(output)"), "\(downloaded.errorOutput)")
        let frames = try MediaProbe.decodedFrames(output)
        #expect(frames["h264"] == 150, "\(frames)")
        let outside = try cascade(["archive", "download", meeting, "--from", "600"], as: staff)
        #expect(outside.status == 1 && outside.errorOutput.hasPrefix("cascade: from is past the end of the recording"), "[\(outside.errorOutput)]")

        #expect(try cascade(["archive", "hold", meeting, "--reason", "Thanh tra tỉnh"], as: admin).output.contains("on hold since"))
        #expect(try cascade(["archive", "hold", meeting, "--reason", "x"], as: secretary).status == 1, "holds are for administrators")
        let retention = try cascade(["archive", "retention"], as: admin)
        #expect(retention.status == 0 && retention.output.hasPrefix("Would delete 0 recordings"), "\(retention.output)\(retention.errorOutput)")
        let integrity = try cascade(["archive", "integrity", "--run"], as: admin)
        #expect(integrity.output.hasPrefix("2 parts checked") && integrity.output.contains("; 0 damaged"), "\(integrity.output)\(integrity.errorOutput)")
        #expect(try cascade(["archive", "release", meeting], as: admin).output == "Hold on \(meeting) lifted.\n")
    }
}
