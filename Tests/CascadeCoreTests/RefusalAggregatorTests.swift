import CascadeCore
import Testing

/// A flood of refused handshakes makes a bounded number of reports; the first from each caller is
/// reported at once; a caller's stream id text is never repeated.
@Suite struct RefusalAggregatorTests {
    @Test func theFirstRefusalOfEachCallerIsReportedAtOnceAndTheRestCountedPerMinute() {
        var aggregator = RefusalAggregator(sourcesPerMinute: 10)
        let first = aggregator.refused(address: "203.0.113.7:4001", hallId: "hall-cu-jut", reason: "handshake failed (wrong or missing passphrase)", nowMs: 0)
        #expect(first == [.init(hallId: "hall-cu-jut", address: "203.0.113.7", count: 1, addresses: 1, reason: "handshake failed (wrong or missing passphrase)")])
        for second in 1...59 {
            #expect(aggregator.refused(address: "203.0.113.7:\(4001 + second)", hallId: "hall-cu-jut", reason: "handshake failed (wrong or missing passphrase)", nowMs: Int64(second) * 1_000).isEmpty)
        }
        #expect(aggregator.tick(nowMs: 59_999).isEmpty, "nothing while the minute runs")
        let summary = aggregator.tick(nowMs: 60_000)
        #expect(summary.count == 1 && summary[0].count == 59 && summary[0].detail == "203.0.113.7: 59 more handshakes refused in the minute (handshake failed (wrong or missing passphrase))")
        #expect(aggregator.tick(nowMs: 61_000).isEmpty, "reported once")
        #expect(aggregator.refused(address: "203.0.113.7:5000", hallId: "hall-cu-jut", reason: "x", nowMs: 62_000).count == 1, "a new minute reports at once again")
    }

    @Test func aFloodOfRandomStreamIdsFromManyAddressesStaysBounded() {
        var aggregator = RefusalAggregator(sourcesPerMinute: 10)
        var reports: [RefusalAggregator.Report] = []
        for index in 0..<20_000 {
            let nowMs = Int64(index) * 3  // 20,000 in a minute
            reports += aggregator.refused(address: "198.51.\(index % 200 / 100).\(index % 100):\(10_000 + index)", hallId: nil, reason: "unknown stream id", nowMs: nowMs)
        }
        reports += aggregator.tick(nowMs: 120_000)
        #expect(reports.count <= 21, "\(reports.count) reports for 20,000 refusals")
        #expect(reports.reduce(0) { $0 + $1.count } == 20_000, "every refusal is counted")
        #expect(reports.last?.detail.hasSuffix("from 190 other addresses in the minute") == true, "\(reports.last?.detail ?? "")")
        #expect(reports.allSatisfy { $0.hallId == nil })
    }
}
