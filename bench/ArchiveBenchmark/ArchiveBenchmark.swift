// Archive benchmark, part one: search over 20,000 meetings with minutes (p50/p99 of 300 queries,
// with and without diacritics), beside the naive alternative a spreadsheet-minded tool would use —
// a LIKE scan of the folded text in the sqlite3 shell. Then it lays a 3-hour meeting of 18 real
// 10-minute parts into the data directory for bench/archive.sh to play and download.
// Run: bench/archive.sh (which builds and runs this first).
import CascadeApp
import CascadeCore
import CascadeEngine
import CascadeStore
import CascadeTestSupport
import Foundation

@main
struct ArchiveBenchmark {
    static let places = ["Đắk Nông", "Gia Nghĩa", "Cư Jút", "Đắk Mil", "Krông Nô", "Đắk Song", "Đắk R'Lấp", "Tuy Đức", "Đắk Glong"]
    static let topics = ["Giao ban công tác tháng", "Hội nghị chuyển đổi số", "Họp Ban Thường vụ", "Sơ kết phòng chống thiên tai",
                         "Quán triệt nghị quyết", "Phát triển cà phê bền vững", "Thu ngân sách", "Cải cách hành chính", "Xây dựng nông thôn mới"]
    static let conclusions = ["Đẩy mạnh kết nối họp trực tuyến đến cấp xã", "Hoàn thành chỉ tiêu thu ngân sách năm", "Rà soát các điểm sạt lở",
                              "Tổ chức học tập nghị quyết đến chi bộ", "Hỗ trợ nông dân tái canh cà phê", "Giải ngân vốn đầu tư công đúng tiến độ"]

    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            print("usage: cascade-archive-benchmark DATA_DIR [MEETINGS=20000] [HOURS=3]")
            exit(2)
        }
        let directory = arguments[1]
        let count = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
        let hours = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
        let configuration = try ConfigurationLoader.load(path: TestPaths.demoConfiguration)
        let database = try AppDatabase.open(dataDirectory: directory, passwordCost: 4)
        try database.syncTopology(configuration.tree)
        let context = BookingContext(checker: ConflictChecker(tree: configuration.tree), rules: BookingRules(), zone: Zone(configuration.zone))

        // MARK: 20,000 meetings with minutes, over ten years
        let seeding = ContinuousClock.now
        let first = Date().addingTimeInterval(86_400)
        for i in 0..<count {
            let place = places[i % places.count], topic = topics[(i / places.count) % topics.count]
            let start = first.addingTimeInterval(Double(i) * 4 * 3600)
            let details = MeetingDetails(title: "\(topic) \(place) lần \(i % 50 + 1)", organiserUnitId: "dak-nong", chair: i % 2 == 0 ? "Nguyễn Văn An" : "Trần Thị Bình",
                                         halls: HallSelection(), classification: i % 17 == 0 ? .confidential : .internal)
            let meeting = try database.bookMeeting(details, hallIds: [], start: start, end: start.addingTimeInterval(7200), actor: "bench", context: context)
            let content = MinutesContent(chair: details.chair, secretary: "Lê Văn Cường", agenda: [
                AgendaItem(title: "Báo cáo tình hình \(place)", presenter: "Văn phòng", startSeconds: 0, endSeconds: 600),
                AgendaItem(title: topic, presenter: "Ban Tuyên giáo", startSeconds: 600, conclusion: conclusions[i % conclusions.count]),
            ], documents: [IssuedDocument(number: "\(i + 1)-TB/TU", kind: "Thông báo kết luận", title: "Kết luận \(topic.lowercased())",
                                          date: LocalDate("2026-12-01")!)])
            _ = try database.saveMinutes(meeting.id, content: content, issuingUnitId: "dak-nong", actor: "bench")
        }
        print("seeded \(count) meetings with minutes in \(ContinuousClock.now - seeding)")

        // MARK: Search latency
        let queries = ["dak nong", "Đắk Nông", "DAK NONG", "chuyen doi so", "137-TB/TU", "giao ban thang", "cà phê", "nghi quyet chi bo", "cu jut", "thien tai sat lo"]
        var latencies: [Double] = []
        var hits = 0
        for round in 0..<30 {
            for text in queries {
                var query = ArchiveQuery()
                query.text = text
                query.page = round % 3 + 1
                let started = ContinuousClock.now
                hits += try database.search(query).results.count
                latencies.append(Self.milliseconds(ContinuousClock.now - started))
            }
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2], p99 = latencies[Int(Double(latencies.count) * 0.99)]
        // The peer: a LIKE scan of the folded text, timed by the sqlite3 shell itself.
        let scan = "SELECT count(*) FROM meeting WHERE searchText LIKE '%dak nong%' OR searchText LIKE '%chuyen doi so%';"
        let like = try Command.run("/bin/sh", ["-c", "printf '.timer on\\n%s\\n' \"$0\" | sqlite3 \"$1\"", scan, "\(directory)/cascade.sqlite"])
        let likeReal = (like.output + like.errorOutput).split(separator: "\n").first { $0.hasPrefix("Run Time") }.map(String.init) ?? "(no timing)"
        print("| search over \(count) meetings (\(latencies.count) queries, \(hits) hits) | p50 \(String(format: "%.2f", p50)) ms | p99 \(String(format: "%.2f", p99)) ms | max \(String(format: "%.2f", latencies.last ?? 0)) ms |")
        print("| peer: sqlite3 LIKE scan of the folded text (two words) | \(likeReal) |")

        // MARK: A meeting of `hours` hours: one real 10-minute part, copied
        guard hours > 0 else { return }
        let sample = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: sample) }
        let encoding = ContinuousClock.now
        try RecordedParts.make(in: sample, count: 1, seconds: 600, width: 640, height: 360)
        print("encoded a 10-minute 640×360 part in \(ContinuousClock.now - encoding)")
        let recording = try database.createRecording(meetingId: "m1", source: "bench", sourceURI: "demo:", partSeconds: 600, actor: "bench")
        let folder = "\(directory)/recordings/r\(recording)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let origin = Date().addingTimeInterval(-Double(hours) * 3600 - 600)
        for index in 0..<(hours * 6) {
            let path = "\(folder)/\(RecordingPart.fileName(index))"
            try FileManager.default.copyItem(atPath: "\(sample)/\(RecordingPart.fileName(0))", toPath: path)
            let start = origin.addingTimeInterval(Double(index) * 600)
            try database.partOpened(recording: recording, index: index, at: start)
            try database.partFinished(recording: recording, part: await PartFinisher.measure(path: path, index: index, startedAt: start, endedNormally: true))
        }
        try database.finishRecording(recording, state: .stopped, reason: nil, actor: "bench")
        print("MEDIA m1 r\(recording) \(folder)")
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
