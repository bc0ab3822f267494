import CascadeTestSupport
import Foundation
import Testing

/// The technician's and the secretariat's new commands against a real server process: the run sheet,
/// a meeting's board and what may not be done to a booked meeting, and a roll call from import to report.
@Suite(.serialized) struct RollCallCommandTests {
    @Test func runSheetBoardAndRollCallFromTheCommandLine() async throws {
        let data = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let config = ["--config", TestPaths.demoConfiguration, "--data-dir", data]
        func token(_ name: String, _ role: String) throws -> String {
            _ = try Command.run(TestPaths.cascadeExecutable, ["user", "add", name, "--role", role, "--unit", "dak-nong"] + config)
            return try Command.run(TestPaths.cascadeExecutable, ["token", "issue", name] + config).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let secretary = try token("vp", "secretariat"), technician = try token("kt", "technician")
        let server = try ServerProcess(dataDirectory: data)
        defer { _ = server.terminate() }
        func cascade(_ arguments: [String], as token: String) throws -> CommandResult {
            try Command.run(TestPaths.cascadeExecutable, arguments + ["--server", "http://127.0.0.1:\(server.port)", "--token-file", try TokenFile.path(for: token)])
        }
        let monday = LocalDateText.monday(inWeeks: 2)
        let booked = try cascade(["meetings", "book", "--title", "Giao ban", "--unit", "dak-nong", "--start", "\(monday)T07:30", "--end", "\(monday)T09:00",
                                  "--hall", "hall-cu-jut", "--hall", "hall-tuy-duc", "--origin", "demo", "--repeat", "weekly", "--weekday", "1", "--count", "2"], as: secretary)
        #expect(booked.status == 0, "\(booked.errorOutput)")
        let unknownOrigin = try cascade(["meetings", "book", "--title", "Họp", "--unit", "dak-nong", "--start", "\(monday)T13:00", "--end", "\(monday)T14:00",
                                         "--hall", "hall-cu-jut", "--origin", "camera-9"], as: secretary)
        #expect(unknownOrigin.status == 1)
        #expect(unknownOrigin.errorOutput == "cascade: origin camera-9 is neither a feed nor a hall of the configuration\n")

        let today = try cascade(["today", "--date", monday], as: technician)
        #expect(today.output.contains("s1-\(monday)") && today.output.contains("[booked]") && today.output.contains("next: rehearsal at \(monday)T07:00"), "\(today.output)")
        let board = try cascade(["meetings", "run", "s1-\(monday)"], as: technician)
        #expect(board.output.contains("origin: Tín hiệu thử (demo) (demo)") && board.output.contains("hall-tuy-duc  not-measurable"), "\(board.output)")
        let extend = try cascade(["meetings", "extend", "s1-\(monday)", "--minutes", "15"], as: technician)
        #expect(extend.status == 1)
        #expect(extend.errorOutput == "cascade: meeting s1-\(monday) is not live: only a live meeting is extended\n")
        let confirm = try cascade(["meetings", "confirm", "s1-\(monday)", "hall-cu-jut", "--note", "đã gọi điện"], as: technician)
        #expect(confirm.status == 0 && confirm.output == "Confirmed hall-cu-jut for s1-\(monday).\n", "\(confirm.errorOutput)")

        let csv = "\(data)/delegates.csv"
        try "name,position,unit,hall\nNguyễn Văn An,Bí thư Huyện ủy,cu-jut,hall-cu-jut\nTrần Thị Bích,Chủ tịch UBND huyện,tuy-duc,hall-tuy-duc\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try cascade(["attendance", "import", "s1-\(monday)", csv], as: secretary)
        #expect(imported.output.hasPrefix("Imported 2 delegates into s1-\(monday)."), "\(imported.errorOutput)")
        let marked = try cascade(["attendance", "mark", "s1-\(monday)", "2", "--state", "absent-with-reason", "--reason", "Đi công tác"], as: secretary)
        #expect(marked.output.contains("Trần Thị Bích") && marked.output.contains("absent-with-reason (Đi công tác)"), "\(marked.errorOutput)")
        let broken = "\(data)/broken.csv"
        try "name,position,unit,hall\nLê Văn C,Phó Bí thư,nowhere,hall-cu-jut\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try cascade(["attendance", "import", "s1-\(monday)", broken], as: secretary)
        #expect(refused.status == 1 && refused.errorOutput.hasPrefix("cascade: line 2, unit:"), "\(refused.errorOutput)")
        let nextWeek = "s1-\(LocalDateText.add(days: 7, to: monday))"
        let copied = try cascade(["attendance", "copy-previous", nextWeek], as: secretary)
        #expect(copied.output.hasPrefix("Copied 2 delegates into \(nextWeek)."), "\(copied.errorOutput)")
        let report = try cascade(["attendance", "report", "--series", "s1", "--from", monday], as: secretary)
        #expect(report.output.hasPrefix("s1 for dak-nong:"), "\(report.output)\(report.errorOutput)")
        #expect(report.output.contains("Trần Thị Bích (Đi công tác)"), "\(report.output)")
    }
}
