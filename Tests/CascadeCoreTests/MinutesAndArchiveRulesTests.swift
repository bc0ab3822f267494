import CascadeCore
import Foundation
import Testing

@Suite struct MinutesRulesTests {
    let rules = try! MinutesRules()
    let day = LocalDate("2026-11-30")!

    @Test("document numbers follow the pattern: number, kind, issuing body", arguments: ["137-TB/TU", "45-NQ/TU", "12-KH/BCĐ", "3-QĐ/UBND/VP"])
    func goodNumbers(_ number: String) {
        #expect(rules.isValidNumber(number))
    }

    @Test("anything else is refused, naming the field", arguments: ["137", "TB/TU", "137-tb/tu", "137-TB/TU ", "137-TB/TU\n45", "'; DROP"])
    func badNumbers(_ number: String) {
        let content = MinutesContent(documents: [IssuedDocument(number: number, kind: "Thông báo", title: "Kết luận", date: day)])
        #expect(throws: MinutesProblem.self) { try rules.validate(content) }
        do { try rules.validate(content) } catch { #expect(error.field == "documents[0].number") }
    }

    @Test func aNumberListedTwiceIsRefused() {
        let document = IssuedDocument(number: "137-TB/TU", kind: "Thông báo", title: "Kết luận", date: day)
        do {
            try rules.validate(MinutesContent(documents: [document, document]))
            Issue.record("accepted twice")
        } catch {
            #expect(error.field == "documents[1].number")
        }
    }

    @Test func theConfiguredPatternReplacesTheDefault() throws {
        let custom = try MinutesRules(documentNumberPattern: "[0-9]+/[0-9]{4}/ND-CP")
        #expect(custom.isValidNumber("15/2026/ND-CP"))
        #expect(!custom.isValidNumber("137-TB/TU"))
        #expect(throws: MinutesProblem.self) { try MinutesRules(documentNumberPattern: "([") }
    }

    @Test func agendaOffsetsMustBeInOrder() {
        for (item, field) in [(AgendaItem(title: "Mục 1", startSeconds: -1), "agenda[0].startSeconds"),
                              (AgendaItem(title: "Mục 1", startSeconds: 30, endSeconds: 10), "agenda[0].endSeconds"),
                              (AgendaItem(title: "Mục 1", endSeconds: 10), "agenda[0].endSeconds"),
                              (AgendaItem(title: "  "), "agenda[0].title")] {
            do {
                try rules.validate(MinutesContent(agenda: [item]))
                Issue.record("accepted \(item)")
            } catch {
                #expect(error.field == field)
            }
        }
    }

    @Test("\"item starts now\" ends the item still open before it")
    func markingAnItem() throws {
        let content = MinutesContent(agenda: [AgendaItem(title: "Khai mạc", startSeconds: 0), AgendaItem(title: "Báo cáo"), AgendaItem(title: "Kết luận")])
        let marked = try #require(content.markingItem(1, startsAt: 300))
        #expect(marked.agenda[0].endSeconds == 300)
        #expect(marked.agenda[1].startSeconds == 300)
        #expect(marked.agenda[1].endSeconds == nil)
        let next = try #require(marked.markingItem(2, startsAt: 1200))
        #expect(next.agenda[1].endSeconds == 1200)
        #expect(next.agenda[0].endSeconds == 300)
        #expect(content.markingItem(5, startsAt: 10) == nil)
    }
}

@Suite struct MeetingTimelineTests {
    let origin = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("parts that follow each other are laid end to end; a real gap stays a gap")
    func laysPartsOnOneClock() {
        let pieces = [
            TimelinePiece(recordingId: 1, partIndex: 1, startedAt: origin.addingTimeInterval(600.4), durationSeconds: 600),
            TimelinePiece(recordingId: 1, partIndex: 0, startedAt: origin, durationSeconds: 600.2),
            TimelinePiece(recordingId: 2, partIndex: 0, startedAt: origin.addingTimeInterval(1260), durationSeconds: 300),
            TimelinePiece(recordingId: 2, partIndex: 1, startedAt: origin.addingTimeInterval(1500), durationSeconds: 0),
        ]
        let timeline = MeetingTimeline(pieces: pieces)
        #expect(timeline.entries.map(\.offsetSeconds) == [0, 600.2, 1260])
        #expect(timeline.gaps == [MeetingTimeline.Gap(startSeconds: 1200.2, endSeconds: 1260)])
        #expect(timeline.durationSeconds == 1560)
        #expect(timeline.seconds(at: origin.addingTimeInterval(90)) == 90)
        let within = timeline.gaps(within: 1000...1300)
        #expect(within.count == 1 && abs(within[0].startSeconds - 200.2) < 1e-9 && within[0].endSeconds == 260)
    }

    @Test func nothingRecordedIsAnEmptyTimeline() {
        let timeline = MeetingTimeline(pieces: [])
        #expect(timeline.origin == nil && timeline.durationSeconds == 0 && timeline.seconds(at: origin) == nil)
    }
}

@Suite struct RetentionPolicyTests {
    let now = Date(timeIntervalSince1970: 1_900_000_000)

    func recording(_ id: Int64, _ classification: Classification, daysAgo: Double, bytes: Int64 = 100, held: Bool = false) -> RetainedRecording {
        RetainedRecording(recordingId: id, meetingId: "m\(id)", classification: classification, endedAt: now.addingTimeInterval(-daysAgo * 86_400),
                          bytes: bytes, isHeld: held)
    }

    @Test("each classification is kept as long as configured; a held meeting never goes")
    func expiry() {
        let policy = RetentionPolicy(keepDays: [.public: 730, .internal: 1826, .confidential: 3652], minimumFreeBytes: 0)
        let plan = policy.plan([recording(1, .public, daysAgo: 731), recording(2, .public, daysAgo: 700), recording(3, .internal, daysAgo: 1827),
                                recording(4, .confidential, daysAgo: 3000), recording(5, .public, daysAgo: 2000, held: true)],
                               now: now, freeBytes: 1_000)
        #expect(plan.map(\.recordingId) == [3, 1])
        #expect(plan.allSatisfy { $0.reason == .expired })
    }

    @Test("below the watermark the oldest that may go go first, until it is met; nothing younger than the grace")
    func lowSpace() {
        let policy = RetentionPolicy(keepDays: [.public: 730, .internal: 1826, .confidential: 3652], minimumFreeBytes: 1_000, lowSpaceMinimumAgeDays: 7)
        let plan = policy.plan([recording(1, .internal, daysAgo: 30, bytes: 300), recording(2, .internal, daysAgo: 60, bytes: 300, held: true),
                                recording(3, .confidential, daysAgo: 90, bytes: 300), recording(4, .internal, daysAgo: 20, bytes: 300),
                                recording(5, .internal, daysAgo: 1, bytes: 5_000)],
                               now: now, freeBytes: 300)
        #expect(plan.map(\.recordingId) == [3, 1, 4])
        #expect(plan.allSatisfy { $0.reason == .lowSpace })
        let roomy = policy.plan([recording(1, .internal, daysAgo: 30)], now: now, freeBytes: 5_000)
        #expect(roomy.isEmpty)
    }
}

@Suite struct MeetingReferenceTests {
    @Test("only the canonical spelling of a meeting id is one", arguments: ["m07", "m+7", "m0", "m-1", "s+1-2026-01-05", "s01-2026-01-05", "s1-2026-1-5", "x7", "m", "m7 "])
    func nonCanonicalIdsAreRefused(_ text: String) {
        #expect(MeetingReference(text) == nil)
    }

    @Test func canonicalIdsRoundTrip() {
        for text in ["m7", "m1234567", "s3-2026-12-07"] { #expect(MeetingReference(text)?.id == text) }
    }
}
