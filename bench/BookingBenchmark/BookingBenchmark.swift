// Booking benchmark: 100,000 meetings for a country of 34 provinces × 100 communes, then the HTTP API's
// booking check, a province's monthly free/busy and sustained bookings, beside the raw SQLite cost of
// the same queries (the floor). Run: swift run -c release cascade-booking-benchmark
import CascadeApp
import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import GRDB
import Logging
import ServiceLifecycle

@main
struct BookingBenchmark {
    static func main() async throws {
        let provinces = Country.provinces, communesPerProvince = Country.communesPerProvince, seededMeetings = 100_000
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // MARK: Configuration: the country
        var yaml = """
            server: {http: "127.0.0.1:0", dataDir: \(directory), zone: Asia/Ho_Chi_Minh}
            booking: {defaultBitrateKbps: 2000}
            levels: [central, province, commune]
            units:
              - {id: tw, name: "Trung ương", level: central}

            """
        var halls = "halls:\n"
        for p in 1...provinces {
            yaml += "  - {id: p\(p), name: \"Tỉnh \(p)\", level: province, parent: tw, uplinkKbps: 400000, relayBudget: 200}\n"
            halls += "  - {id: h-p\(p), name: \"Hội trường tỉnh \(p)\", unit: p\(p), capacityKbps: 20000, endpoint: {mode: srt-caller, streamId: h-p\(p)}}\n"
            for c in 1...communesPerProvince {
                yaml += "  - {id: p\(p)-c\(c), name: \"Xã \(c) tỉnh \(p)\", level: commune, parent: p\(p)}\n"
                halls += "  - {id: h-p\(p)-c\(c), name: \"Hội trường xã \(c)\", unit: p\(p)-c\(c), capacityKbps: 6000, endpoint: {mode: srt-caller, streamId: h-p\(p)-c\(c)}}\n"
            }
        }
        let configPath = "\(directory)/country.yaml"
        try (yaml + halls).write(toFile: configPath, atomically: true, encoding: .utf8)
        var configuration = try ConfigurationLoader.load(path: configPath)

        // MARK: Seed a year of meetings
        let database = try AppDatabase.open(dataDirectory: directory, passwordCost: 4)
        try database.syncTopology(configuration.tree)
        let yearStart = Date().addingTimeInterval(2 * 86400)
        var country = Country(seed: 42, yearStart: yearStart)
        let seedStarted = ContinuousClock.now
        let raw = try DatabasePool(path: "\(directory)/cascade.sqlite")
        var seeds: [(provinces: Int, halls: [String], start: Date, end: Date)] = []
        for _ in 0..<seededMeetings {
            let p = country.province()
            let hallIds = country.halls(ofProvince: p, count: 1 + country.random.next(8))
            let start = country.start()
            seeds.append((p, hallIds, start, start.addingTimeInterval(Double(1 + country.random.next(3)) * 3600)))
        }
        let firstBriefing = Zone(configuration.zone).local(yearStart).date.description
        let seedRows = seeds
        try await raw.write { db in
            let encoder = JSONEncoder()
            for (index, seed) in seedRows.enumerated() {
                let (p, hallIds, start, end) = seed
                let details = MeetingDetails(title: "Họp số \(index) tỉnh \(p)", organiserUnitId: "p\(p)", halls: HallSelection(hallIds: hallIds), bitrateKbps: 2000)
                try db.execute(sql: """
                    INSERT INTO meeting (startAt, endAt, windowStart, state, details, searchText, createdBy, createdAt, updatedAt)
                    VALUES (?, ?, ?, 'booked', ?, ?, 'seed', ?, ?)
                    """, arguments: [start, end, start.addingTimeInterval(-1800), String(decoding: try encoder.encode(details), as: UTF8.self),
                                     VietnameseFolding.fold(details.title), Date(), Date()])
                let id = db.lastInsertedRowID
                for hall in hallIds {
                    try db.execute(sql: "INSERT INTO meetingHall (meetingId, hallId, windowStart, endAt) VALUES (?, ?, ?, ?)",
                                   arguments: [id, hall, start.addingTimeInterval(-1800), end])
                }
            }
            for p in 1...provinces {  // the weekly briefing of every province, a series without end
                let details = MeetingDetails(title: "Giao ban tỉnh \(p)", organiserUnitId: "p\(p)", halls: HallSelection(hallIds: ["h-p\(p)"]), bitrateKbps: 2000)
                let rule = Recurrence(frequency: .weekly, weekdays: [1])
                try db.execute(sql: """
                    INSERT INTO series (firstDate, lastDate, startTime, durationMinutes, zone, rule, state, details, searchText, createdBy, createdAt, updatedAt)
                    VALUES (?, NULL, '06:00', 60, 'Asia/Ho_Chi_Minh', ?, 'booked', ?, ?, 'seed', ?, ?)
                    """, arguments: [firstBriefing, String(decoding: try encoder.encode(rule), as: UTF8.self),
                                     String(decoding: try encoder.encode(details), as: UTF8.self), VietnameseFolding.fold(details.title), Date(), Date()])
                try db.execute(sql: "INSERT INTO seriesHall (seriesId, hallId) VALUES (?, ?)", arguments: [db.lastInsertedRowID, "h-p\(p)"])
            }
        }
        let seedSeconds = (ContinuousClock.now - seedStarted).seconds
        try database.createUser(name: "bench", role: .admin, unitId: nil, password: "benchmark password", actor: "bench")
        let token = try database.issueToken(forUser: "bench", label: "bench", actor: "bench")

        // MARK: Raw SQLite floor: the rows the server reads for a booking check (the meetings of the province's
        // halls around the slot) and for a month's free/busy, fetched with the best plan and nothing else done.
        func rawRows(_ window: Window, hallIds: [String]) throws -> Int {
            try raw.read { db in
                let marks = hallIds.map { _ in "?" }.joined(separator: ",")
                return try Row.fetchAll(db, sql: """
                    SELECT meeting.*, (SELECT group_concat(hallId, ',') FROM meetingHall WHERE meetingId = meeting.id) AS hallList
                    FROM meeting WHERE id IN (
                      SELECT meetingId FROM meetingHall WHERE hallId IN (\(marks)) AND windowStart >= ? AND windowStart < ? AND endAt > ?)
                    """, arguments: StatementArguments(hallIds + [window.start.addingTimeInterval(-16 * 3600), window.end, window.start])).count
            }
        }
        func provinceHalls(_ p: Int) -> [String] { ["h-p\(p)"] + (1...communesPerProvince).map { "h-p\(p)-c\($0)" } }

        var rawBooking: [Double] = [], rawMonthly: [Double] = []
        for _ in 0..<200 {
            let p = country.province(), start = country.start()
            rawBooking.append(try milliseconds { _ = try rawRows(Window(start: start.addingTimeInterval(-1800), end: start.addingTimeInterval(7200)), hallIds: provinceHalls(p)) })
        }
        for _ in 0..<50 {
            let p = country.province(), start = country.start()
            rawMonthly.append(try milliseconds { _ = try rawRows(Window(start: start, end: start.addingTimeInterval(30 * 86400)), hallIds: provinceHalls(p)) })
        }

        // MARK: Through the HTTP API
        configuration.dataDirectory = directory
        let measured = try await withInProcessServer(configuration, database: database) { client in
            try await measureHTTP(client: client, token: token, yearStart: yearStart)
        }
        let (booking, byStatus, statuses, monthly) = (measured.booking, measured.byStatus, measured.statuses, measured.monthly)
        let (sustained, sustainedCreated, sustainedSeconds) = (measured.sustained, measured.sustainedCreated, measured.sustainedSeconds)

        // MARK: Report
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        func format(_ value: Double) -> String { String(format: "%.2f", value) }
        print("""
            Seeded \(seededMeetings) meetings + \(provinces) weekly series on \(configuration.tree.halls.count) halls in \(format(seedSeconds)) s.

            | measurement | Cascade over HTTP p50 / p99 (ms) | raw SQLite floor p50 / p99 (ms) | budget |
            | --- | --- | --- | --- |
            | book a meeting with 50 halls, conflict check included (200 requests: \(statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", "))) | \(format(percentile(booking, 0.5))) / \(format(percentile(booking, 0.99))) | \(format(percentile(rawBooking, 0.5))) / \(format(percentile(rawBooking, 0.99))) | p99 < 10 |
            | … of which booked (201) / refused with conflicts and 3 suggested slots (409), p50 | \(byStatus[201].map { format(percentile($0, 0.5)) } ?? "–") / \(byStatus[409].map { format(percentile($0, 0.5)) } ?? "–") | | |
            | free/busy of a province subtree (101 halls) for 30 days (50 requests) | \(format(percentile(monthly, 0.5))) / \(format(percentile(monthly, 0.99))) | \(format(percentile(rawMonthly, 0.5))) / \(format(percentile(rawMonthly, 0.99))) | p99 < 50 |
            | sustained bookings, one client, 10 s | \(format(Double(sustained) / sustainedSeconds)) requests/s (\(sustainedCreated) booked, the rest refused with conflicts) | | |
            """)

    }
}


/// What the HTTP phase measured.
struct HTTPMeasurements: Sendable {
    var booking: [Double] = [], statuses: [Int: Int] = [:], byStatus: [Int: [Double]] = [:], monthly: [Double] = []
    var sustained = 0, sustainedCreated = 0, sustainedSeconds = 0.0
}

/// Books, queries free/busy and books continuously through the API.
func measureHTTP(client: HTTPClient, token: String, yearStart: Date) async throws -> HTTPMeasurements {
    var country = Country(seed: 7, yearStart: yearStart)
    func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
    func bookingBody(province p: Int, halls count: Int, start: Date, hours: Double = 2) -> String {
        let hallIds = country.halls(ofProvince: p, count: count).map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"title":"Hội nghị","organiserUnitId":"p\#(p)","start":"\#(iso(start))","end":"\#(iso(start.addingTimeInterval(hours * 3600)))","halls":[\#(hallIds)]}"#
    }

    var booking: [Double] = [], statuses: [Int: Int] = [:], byStatus: [Int: [Double]] = [:]
    for _ in 0..<200 {
        let body = bookingBody(province: country.province(), halls: 50, start: country.start())
        var status = 0
        let started = ContinuousClock.now
        status = try await client.send("POST", "/api/v1/meetings", token: token, json: body).status
        booking.append((ContinuousClock.now - started).seconds * 1000)
        byStatus[status, default: []].append(booking.last!)
        statuses[status, default: 0] += 1
    }
    var monthly: [Double] = []
    for _ in 0..<50 {
        let start = country.start(), p = country.province()
        let path = "/api/v1/units/p\(p)/busy?from=\(iso(start))&to=\(iso(start.addingTimeInterval(30 * 86400)))"
        let started = ContinuousClock.now
        let result = try await client.send("GET", path.replacingOccurrences(of: "+", with: "%2B"), token: token)
        monthly.append((ContinuousClock.now - started).seconds * 1000)
        precondition(result.status == 200, "free/busy failed: \(result.text)")
    }
    let sustainedStart = ContinuousClock.now
    var sustained = 0, sustainedCreated = 0
    while ContinuousClock.now - sustainedStart < .seconds(10) {
        let result = try await client.send("POST", "/api/v1/meetings", token: token, json: bookingBody(province: country.province(), halls: 3, start: country.start(), hours: 1))
        sustained += 1
        if result.status == 201 { sustainedCreated += 1 }
    }
    return HTTPMeasurements(
        booking: booking, statuses: statuses, byStatus: byStatus, monthly: monthly,
        sustained: sustained, sustainedCreated: sustainedCreated, sustainedSeconds: (ContinuousClock.now - sustainedStart).seconds
    )
}

/// The generated country's random choices: provinces, halls and meeting starts in the year.
struct Country {
    static let provinces = 34, communesPerProvince = 100
    var random: SplitMix
    let yearStart: Date

    init(seed: UInt64, yearStart: Date) {
        random = SplitMix(seed: seed)
        self.yearStart = yearStart
    }

    mutating func province() -> Int { 1 + random.next(Self.provinces) }

    /// A start between 07:00 and 17:00 on a day of the year, on a quarter hour.
    mutating func start() -> Date {
        yearStart.addingTimeInterval(Double(random.next(365)) * 86400 + Double(7 + random.next(10)) * 3600 + Double(random.next(4)) * 900)
    }

    /// The province's hall and communes' halls, `count` in all.
    mutating func halls(ofProvince p: Int, count: Int) -> [String] {
        var chosen: Set<String> = ["h-p\(p)"]
        while chosen.count < count { chosen.insert("h-p\(p)-c\(1 + random.next(Self.communesPerProvince))") }
        return Array(chosen)
    }
}

// MARK: Helpers
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let started = ContinuousClock.now
    try body()
    return (ContinuousClock.now - started).seconds * 1000
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
