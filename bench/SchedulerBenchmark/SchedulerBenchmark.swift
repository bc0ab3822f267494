// Scheduler benchmark: the scheduler's own cost, with media that only count, over a real database of
// 100,000 booked meetings (the booking benchmark's year) plus 10,000 meetings that all change state in
// the same minute, each in its own hall. The clock is manual: every pass is one `tick()`, timed.
// Run: swift run -c release cascade-scheduler-benchmark
import CascadeApp
import CascadeCore
import CascadeEngine
import CascadeStore
import CascadeTestSupport
import Foundation
import GRDB
import Logging
import Synchronization

@main
struct SchedulerBenchmark {
    static let provinces = 100, communes = 100, yearMeetings = 100_000, burst = 10_000

    static func main() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var yaml = """
            server: {http: "127.0.0.1:0", dataDir: \(directory), zone: Asia/Ho_Chi_Minh}
            feeds:
              - {id: demo, name: Demo, uri: "demo:"}
            scheduler: {defaultOrigin: demo, graceMinutes: 10}
            levels: [central, province, commune]
            units:
              - {id: tw, name: "Trung ương", level: central}

            """
        var halls = "halls:\n"
        for p in 1...provinces {
            yaml += "  - {id: p\(p), name: \"Tỉnh \(p)\", level: province, parent: tw}\n"
            for c in 1...communes {
                yaml += "  - {id: p\(p)-c\(c), name: \"Xã \(c)\", level: commune, parent: p\(p)}\n"
                halls += "  - {id: h-p\(p)-c\(c), name: \"Hội trường xã \(c)\", unit: p\(p)-c\(c), capacityKbps: 6000, endpoint: {mode: srt-caller, streamId: h-p\(p)-c\(c)}}\n"
            }
        }
        try (yaml + halls).write(toFile: "\(directory)/country.yaml", atomically: true, encoding: .utf8)
        let configuration = try ConfigurationLoader.load(path: "\(directory)/country.yaml")
        let database = try AppDatabase.open(dataDirectory: directory, passwordCost: 4)
        try database.syncTopology(configuration.tree)

        // A year of meetings from two days on, and the burst: 10,000 meetings at `burstStart` tomorrow.
        let now = Date()
        let burstStart = now.addingTimeInterval(86400), yearStart = now.addingTimeInterval(2 * 86400)
        let raw = try DatabasePool(path: "\(directory)/cascade.sqlite")
        let seedStarted = ContinuousClock.now
        try await raw.write { db in
            var random = SystemRandomNumberGenerator()
            let encoder = JSONEncoder()
            func insert(_ title: String, unit: String, halls: [String], start: Date, end: Date) throws {
                let details = MeetingDetails(title: title, organiserUnitId: unit, halls: HallSelection(hallIds: halls), bitrateKbps: 2000)
                try db.execute(sql: """
                    INSERT INTO meeting (startAt, endAt, windowStart, state, details, searchText, createdBy, createdAt, updatedAt)
                    VALUES (?, ?, ?, 'booked', ?, ?, 'seed', ?, ?)
                    """, arguments: [start, end, start.addingTimeInterval(-1800), String(decoding: try encoder.encode(details), as: UTF8.self),
                                     VietnameseFolding.fold(title), now, now])
                let id = db.lastInsertedRowID
                for hall in halls {
                    try db.execute(sql: "INSERT INTO meetingHall (meetingId, hallId, windowStart, endAt) VALUES (?, ?, ?, ?)",
                                   arguments: [id, hall, start.addingTimeInterval(-1800), end])
                }
            }
            for index in 0..<yearMeetings {
                let p = 1 + Int.random(in: 0..<provinces, using: &random)
                let start = yearStart.addingTimeInterval(Double(Int.random(in: 0..<(365 * 24 * 4), using: &random)) * 900)
                let halls = (0..<Int.random(in: 1...8, using: &random)).map { _ in "h-p\(p)-c\(1 + Int.random(in: 0..<communes, using: &random))" }
                try insert("Họp số \(index)", unit: "p\(p)", halls: Array(Set(halls)), start: start, end: start.addingTimeInterval(3600))
            }
            for index in 0..<burst {
                let p = 1 + index / communes, c = 1 + index % communes
                try insert("Giao ban \(index)", unit: "p\(p)", halls: ["h-p\(p)-c\(c)"], start: burstStart, end: burstStart.addingTimeInterval(3600))
            }
        }
        let seedSeconds = (ContinuousClock.now - seedStarted).seconds

        let clock = ManualWallClock(now)
        let media = CountingMedia()
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let scheduler = CascadeServer.makeScheduler(configuration, database: database, media: media, clock: clock, owner: "bench", logger: logger)

        // Idle: nothing near, 100,000 meetings ahead; one pass a second in the server.
        let idle = try await passes(200, scheduler, clock, step: 1)
        // The burst: 10,000 rehearsals due in the same pass, then 10,000 steady runs, then all live, then all held.
        clock.advance(by: burstStart.addingTimeInterval(-1800).timeIntervalSince(clock.now))
        let rehearsal = try await timed { await scheduler.tick() }
        let inRehearsal = try states(database)
        let steady = try await passes(5, scheduler, clock, step: 1)
        clock.advance(by: burstStart.timeIntervalSince(clock.now))
        let live = try await timed { await scheduler.tick() }
        let inLive = try states(database)
        clock.advance(by: burstStart.addingTimeInterval(3600 + 600).timeIntervalSince(clock.now))
        let held = try await timed { await scheduler.tick() }
        let atEnd = try states(database)

        print("""
            Seeded \(yearMeetings) meetings over a year + \(burst) at one time on \(configuration.tree.halls.count) halls in \(format(seedSeconds)) s.

            | pass | wall (ms) | CPU (ms) |
            | --- | --- | --- |
            | idle, 100,000 meetings ahead: p50 / p99 of 200 passes | \(format(idle.wall.p50)) / \(format(idle.wall.p99)) | \(format(idle.cpu.p50)) / \(format(idle.cpu.p99)) |
            | 10,000 rehearsals due at once (claim, relay start, transition saved and audited) | \(format(rehearsal.wall)) | \(format(rehearsal.cpu)) |
            | 10,000 runs in rehearsal, nothing due: p50 / p99 of 5 passes | \(format(steady.wall.p50)) / \(format(steady.wall.p99)) | \(format(steady.cpu.p50)) / \(format(steady.cpu.p99)) |
            | 10,000 go live at once (recording start, transition) | \(format(live.wall)) | \(format(live.cpu)) |
            | 10,000 end at once (recording and relay stopped, held) | \(format(held.wall)) | \(format(held.cpu)) |

            Media calls: \(media.counts). Runs after the rehearsal pass: \(inRehearsal); after the start: \(inLive); after the end: \(atEnd).
            """)
    }

    static func states(_ database: AppDatabase) throws -> String {
        let ids = (0..<burst).map { "m\(yearMeetings + 1 + $0)" }
        let runs = try database.meetingRuns(ids).values
        return Dictionary(grouping: runs, by: \.state.rawValue).map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
    }

    static func passes(_ count: Int, _ scheduler: MeetingScheduler, _ clock: ManualWallClock, step: TimeInterval) async throws
        -> (wall: (p50: Double, p99: Double), cpu: (p50: Double, p99: Double)) {
        var walls: [Double] = [], cpus: [Double] = []
        for _ in 0..<count {
            clock.advance(by: step)
            let sample = try await timed { await scheduler.tick() }
            walls.append(sample.wall)
            cpus.append(sample.cpu)
        }
        return ((percentile(walls, 0.5), percentile(walls, 0.99)), (percentile(cpus, 0.5), percentile(cpus, 0.99)))
    }

    static func timed(_ body: @Sendable () async -> Void) async throws -> (wall: Double, cpu: Double) {
        let cpuBefore = processCPU(), started = ContinuousClock.now
        await body()
        return ((ContinuousClock.now - started).seconds * 1000, (processCPU() - cpuBefore) * 1000)
    }

    static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Relays and recordings that start at once and only count.
final class CountingMedia: MeetingMedia {
    private let state = Mutex<(next: Int64, running: Set<Int64>, counts: [String: Int])>((1, [], [:]))
    var counts: String { state.withLock { $0.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") } }

    private func count(_ call: String, start: Bool = false, stop: Int64? = nil) -> Int64 {
        state.withLock {
            $0.counts[call, default: 0] += 1
            if let stop { $0.running.remove(stop) }
            guard start else { return 0 }
            let id = $0.next
            $0.next += 1
            $0.running.insert(id)
            return id
        }
    }

    func waitUntilResumed() async {}
    func startRelay(meetingId: String, title: String, source: String, halls: [String], passThrough: Bool) async throws -> Int64 { count("startRelay", start: true) }
    func observeRelay(_ id: Int64) async -> RelayObservation? {
        state.withLock { $0.running.contains(id) } ? RelayObservation(connectedHalls: [], isSourceLive: true) : nil
    }
    func changeHalls(relayId: Int64, add: [String], remove: [String]) async throws { _ = count("changeHalls") }
    func switchSource(relayId: Int64, to source: String) async throws { _ = count("switchSource") }
    func stopRelay(_ id: Int64) async { _ = count("stopRelay", stop: id) }
    func startRecording(relayId: Int64, meetingId: String) async throws -> Int64 { count("startRecording", start: true) }
    func isRecording(_ id: Int64) async -> Bool { state.withLock { $0.running.contains(id) } }
    func stopRecording(_ id: Int64) async { _ = count("stopRecording", stop: id) }
}
