import CascadeApp
import CascadeCore
import CascadeEngine
import CascadeStore
import CascadeTestSupport
import Foundation
import Logging
import Testing

/// Retention and the integrity check on a small disk of its own (a 16 MB tmpfs): the dry run lists,
/// the real run deletes and audits, a hold protects, a damaged or missing part is reported.
@Suite(.serialized) struct ArchiveRetentionTests {
    struct SmallDisk {
        let path: String
        init() throws {
            path = try TestPaths.makeTemporaryDirectory()
            let mounted = try Command.run("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", path])
            guard mounted.status == 0 else { throw TestFailure("cannot mount a small disk: \(mounted.errorOutput)") }
        }
        func remove() {
            _ = try? Command.run("umount", ["-l", path])
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Books a meeting of `classification` and records two parts for it; returns (meeting, recording).
    static func recorded(_ database: AppDatabase, _ title: String, _ classification: Classification, day: Int, recordings: String) async throws -> (String, Int64) {
        let tree = try ConfigurationLoader.load(path: TestPaths.demoConfiguration).tree
        let context = BookingContext(checker: ConflictChecker(tree: tree), rules: BookingRules(), zone: Zone(TimeZone(identifier: "Asia/Ho_Chi_Minh")!))
        let start = Date().addingTimeInterval(Double(day) * 86_400 + 30 * 86_400)
        let meeting = try database.bookMeeting(MeetingDetails(title: title, organiserUnitId: "dak-nong", halls: HallSelection(), classification: classification),
                                               hallIds: [], start: start, end: start.addingTimeInterval(3600), actor: "test", context: context)
        let id = try await RecordedParts.record(database, recordingsDirectory: recordings, meetingId: meeting.id, starts: [Date(), Date().addingTimeInterval(3)], seconds: 3)
        return (meeting.id, id)
    }

    /// Moves a recording's end `days` into the past.
    static func age(_ recording: Int64, days: Int, database path: String) throws {
        let result = try Command.run("sqlite3", [path, "UPDATE recording SET stoppedAt = strftime('%Y-%m-%d %H:%M:%f', 'now', '-\(days) days') WHERE id = \(recording)"])
        guard result.status == 0 else { throw TestFailure(result.errorOutput) }
    }

    @Test("the dry run lists what would go; the run deletes it, oldest first below the watermark, never a held meeting's; every deletion audited")
    func retention() async throws {
        let disk = try SmallDisk()
        defer { disk.remove() }
        let database = try AppDatabase.open(dataDirectory: disk.path, passwordCost: 4)
        try database.syncTopology(try ConfigurationLoader.load(path: TestPaths.demoConfiguration).tree)
        let recordings = "\(disk.path)/recordings"
        let (_, expired) = try await Self.recorded(database, "Hội nghị công khai 2028", .public, day: 0, recordings: recordings)
        let (heldMeeting, held) = try await Self.recorded(database, "Họp có thanh tra", .internal, day: 1, recordings: recordings)
        let (_, oldest) = try await Self.recorded(database, "Giao ban tháng 10", .internal, day: 2, recordings: recordings)
        let (_, young) = try await Self.recorded(database, "Giao ban hôm qua", .internal, day: 3, recordings: recordings)
        let databasePath = "\(disk.path)/cascade.sqlite"
        try Self.age(expired, days: 800, database: databasePath)
        try Self.age(held, days: 60, database: databasePath)
        try Self.age(oldest, days: 30, database: databasePath)
        try Self.age(young, days: 1, database: databasePath)
        _ = try database.hold(heldMeeting, reason: "thanh tra", actor: "test")

        let sizes = try database.retainedRecordings().reduce(into: [Int64: Int64]()) { $0[$1.recordingId] = $1.bytes }
        let free = ArchiveKeeper.freeBytes(at: disk.path)
        #expect(free > 0 && free < 16 << 20, "the small disk is measured: \(free)")
        // The watermark asks for the room of the expired recording and the oldest other one, and a byte more.
        var policy = RetentionPolicy()
        policy.minimumFreeBytes = free + sizes[expired]! + sizes[oldest]! / 2
        let keeper = ArchiveKeeper(catalogue: ArchiveLedger(database: database), policy: policy, directory: { "\(recordings)/r\($0)" },
                                   freeBytes: { ArchiveKeeper.freeBytes(at: disk.path) }, clock: SystemWallClock(), logger: Logger(label: "test"))
        let dryRun = try await keeper.plan()
        #expect(dryRun.decisions.map(\.recordingId) == [expired, oldest])
        #expect(dryRun.decisions.map(\.reason) == [.expired, .lowSpace])
        #expect(FileManager.default.fileExists(atPath: "\(recordings)/r\(expired)"), "a dry run deletes nothing")

        let run = try await keeper.apply(actor: "retention")
        #expect(run.decisions.map(\.recordingId) == [expired, oldest] && run.refused.isEmpty)
        for id in [expired, oldest] { #expect(!FileManager.default.fileExists(atPath: "\(recordings)/r\(id)")) }
        for id in [held, young] { #expect(FileManager.default.fileExists(atPath: "\(recordings)/r\(id)/part-00000.mp4")) }
        #expect(ArchiveKeeper.freeBytes(at: disk.path) > free, "the disk got its room back")
        #expect(try database.recording(expired)?.deletedAt != nil)
        let audit = try database.auditEntries(limit: 50).filter { $0.action == "archive.deleted" }
        #expect(Set(audit.compactMap(\.target)) == ["r\(expired)", "r\(oldest)"])

        // With the disk short again, the held recording still stays; once the hold is lifted it is the oldest that may go.
        policy.minimumFreeBytes = ArchiveKeeper.freeBytes(at: disk.path) + 1
        let tighter = ArchiveKeeper(catalogue: ArchiveLedger(database: database), policy: policy, directory: { "\(recordings)/r\($0)" },
                                    freeBytes: { ArchiveKeeper.freeBytes(at: disk.path) }, clock: SystemWallClock(), logger: Logger(label: "test"))
        #expect(try await tighter.plan().decisions.isEmpty, "held, or younger than a week")
        try database.releaseHold(heldMeeting, actor: "test")
        #expect(try await tighter.plan().decisions.map(\.recordingId) == [held])
    }

    @Test("the integrity check finds a changed part and a missing one")
    func integrity() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try AppDatabase.open(dataDirectory: directory, passwordCost: 4)
        try database.syncTopology(try ConfigurationLoader.load(path: TestPaths.demoConfiguration).tree)
        let recordings = "\(directory)/recordings"
        let (_, id) = try await Self.recorded(database, "Họp kiểm tra", .internal, day: 0, recordings: recordings)
        let keeper = ArchiveKeeper(catalogue: ArchiveLedger(database: database), policy: RetentionPolicy(), directory: { "\(recordings)/r\($0)" },
                                   freeBytes: { 1 << 40 }, clock: SystemWallClock(), logger: Logger(label: "test"))
        #expect(try await keeper.verify().damaged.isEmpty)
        let part = "\(recordings)/r\(id)/part-00000.mp4"
        let handle = try #require(FileHandle(forUpdatingAtPath: part))
        try handle.seek(toOffset: 5000)
        try handle.write(contentsOf: Data([0xFF, 0x00, 0xFF]))
        try handle.close()
        try FileManager.default.removeItem(atPath: "\(recordings)/r\(id)/part-00001.mp4")
        let report = try await keeper.verify()
        #expect(report.checkedParts == 2)
        #expect(report.damaged.map(\.partIndex) == [0, 1])
        #expect(report.damaged[0].problem.contains("differs") && report.damaged[1].problem.contains("missing"))
        #expect(try database.integrityFindings().damaged.count == 2)
    }
}
