import CascadeCore
import Foundation
import Testing

@Suite struct ConflictCheckerTests {
    /// central → province "dn" (uplink 10 Mbit/s, 2 relays) → districts "cj", "dm"; a second province "ln".
    static let tree = try! UnitTree(
        levels: ["central", "province", "district"],
        units: [
            Unit(id: "tw", name: "TW", level: "central", parentId: nil, relayBudget: 10),
            Unit(id: "dn", name: "DN", level: "province", parentId: "tw", uplinkKbps: 10_000, relayBudget: 2),
            Unit(id: "cj", name: "CJ", level: "district", parentId: "dn", uplinkKbps: 5000),
            Unit(id: "dm", name: "DM", level: "district", parentId: "dn"),
            Unit(id: "ln", name: "LN", level: "province", parentId: "tw"),
        ],
        halls: [
            Hall(id: "h-dn", name: "DN", unitId: "dn", endpoint: .srtCaller(streamId: "h-dn"), capacityKbps: 20_000, latencyMs: 500),
            Hall(id: "h-cj", name: "CJ", unitId: "cj", endpoint: .srtCaller(streamId: "h-cj"), capacityKbps: 6000, latencyMs: 500),
            Hall(id: "h-dm", name: "DM", unitId: "dm", endpoint: .srtCaller(streamId: "h-dm"), capacityKbps: 2000, latencyMs: 500),
            Hall(id: "h-ln", name: "LN", unitId: "ln", endpoint: .srtCaller(streamId: "h-ln"), capacityKbps: 20_000, latencyMs: 500),
        ]
    )

    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    /// A meeting from `start` to `end` hours after the base, with a rehearsal lead in minutes.
    static func meeting(_ id: String, halls: [String], _ start: Double, _ end: Double, rehearsal: Int = 0, kbps: Int = 1000, state: MeetingState = .booked) -> Meeting {
        Meeting(id: id, details: MeetingDetails(title: id, organiserUnitId: "dn", halls: HallSelection(hallIds: halls), rehearsalMinutes: rehearsal, bitrateKbps: kbps),
                start: base.addingTimeInterval(start * 3600), end: base.addingTimeInterval(end * 3600), state: state, hallIds: halls)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var candidate: Meeting
        var existing: [Meeting]
        var expected: [Conflict.Kind]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "same hall, overlapping", candidate: meeting("new", halls: ["h-cj"], 1, 3), existing: [meeting("a", halls: ["h-cj"], 2, 4)], expected: [.hallBusy]),
        Case(name: "same hall, touching intervals do not overlap", candidate: meeting("new", halls: ["h-cj"], 2, 3), existing: [meeting("a", halls: ["h-cj"], 1, 2)], expected: []),
        Case(name: "rehearsal window overlaps the previous meeting", candidate: meeting("new", halls: ["h-cj"], 2, 3, rehearsal: 30),
             existing: [meeting("a", halls: ["h-cj"], 1, 2)], expected: [.hallBusy]),
        Case(name: "other meeting's rehearsal overlaps", candidate: meeting("new", halls: ["h-cj"], 1, 2),
             existing: [meeting("a", halls: ["h-cj"], 2.25, 3, rehearsal: 30)], expected: [.hallBusy]),
        Case(name: "cancelled meetings free their halls", candidate: meeting("new", halls: ["h-cj"], 1, 3),
             existing: [meeting("a", halls: ["h-cj"], 1, 3, state: .cancelled)], expected: []),
        Case(name: "subtree booking collides with one district", candidate: meeting("new", halls: ["h-dn", "h-cj", "h-dm"], 1, 3),
             existing: [meeting("a", halls: ["h-dm"], 2, 4)], expected: [.hallBusy]),
        Case(name: "different halls, no shared link limit", candidate: meeting("new", halls: ["h-ln"], 1, 3), existing: [meeting("a", halls: ["h-cj"], 1, 3)], expected: []),
        Case(name: "hall link too small for the stream", candidate: meeting("new", halls: ["h-dm"], 1, 2, kbps: 3000), existing: [], expected: [.linkOverCapacity]),
        Case(name: "province uplink over capacity", candidate: meeting("new", halls: ["h-dn"], 1, 3, kbps: 4000),
             existing: [meeting("a", halls: ["h-cj"], 1, 2, kbps: 4000), meeting("b", halls: ["h-dm"], 1.5, 2.5, kbps: 2500)], expected: [.linkOverCapacity]),
        Case(name: "province uplink fits when peaks do not coincide", candidate: meeting("new", halls: ["h-dn"], 1, 3, kbps: 4000),
             existing: [meeting("a", halls: ["h-cj"], 1, 2, kbps: 4000), meeting("b", halls: ["h-dm"], 2, 3, kbps: 4000)], expected: []),
        Case(name: "a link is free again after the meeting", candidate: meeting("new", halls: ["h-cj"], 1, 2, kbps: 3000),
             existing: [meeting("a", halls: ["h-cj"], 3, 4, kbps: 3000)], expected: []),
        Case(name: "relay node over budget", candidate: meeting("new", halls: ["h-cj"], 1, 2, kbps: 100),
             existing: [meeting("a", halls: ["h-dm"], 1, 2, kbps: 100), meeting("b", halls: ["h-cj"], 0, 1, kbps: 100), meeting("c", halls: ["h-dm"], 1.5, 3, kbps: 100)],
             expected: [.nodeOverBudget]),
    ]

    @Test(arguments: cases)
    func conflictTable(_ testCase: Case) {
        let existing = testCase.existing.filter { $0.state == .booked }.map(\.occupancy)
        let found = ConflictChecker(tree: Self.tree).conflicts(of: testCase.candidate.occupancy, against: existing)
        #expect(found.map(\.kind) == testCase.expected, "\(found.map(\.reason))")
    }

    @Test func conflictsNameTheOtherMeetingAndTheOverlap() throws {
        let found = ConflictChecker(tree: Self.tree).conflicts(of: Self.meeting("new", halls: ["h-cj"], 1, 3).occupancy,
                                                               against: [Self.meeting("a", halls: ["h-cj"], 2, 4).occupancy])
        let conflict = try #require(found.first)
        #expect(conflict.hallId == "h-cj")
        #expect(conflict.otherMeetings.map(\.id) == ["a"])
        #expect(conflict.overlap == Window(start: Self.base.addingTimeInterval(7200), end: Self.base.addingTimeInterval(10800)))
    }

    @Test func suggestionsAreFreeSlotsOfTheSameLength() {
        let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let wallClock = Zone(zone)
        let monday = LocalDate("2027-01-04")!
        let start = wallClock.instant(monday, LocalTime(hour: 8, minute: 0)!)
        let wanted = Meeting(id: "new", details: MeetingDetails(title: "new", organiserUnitId: "dn", halls: HallSelection(hallIds: ["h-cj"]), rehearsalMinutes: 0),
                             start: start, end: start.addingTimeInterval(3600), state: .booked, hallIds: ["h-cj"])
        var blocking = wanted
        blocking.id = "a"
        blocking.end = start.addingTimeInterval(3 * 3600)
        let finder = SlotFinder(checker: ConflictChecker(tree: Self.tree), zone: Zone(zone))
        let slots = finder.suggestions(for: wanted, against: [blocking.occupancy])
        #expect(slots.count == 3)
        #expect(slots.first?.start == start.addingTimeInterval(3 * 3600), "the first free half hour after the blocking meeting")
        #expect(slots.allSatisfy { $0.end.timeIntervalSince($0.start) == 3600 })
    }
}
