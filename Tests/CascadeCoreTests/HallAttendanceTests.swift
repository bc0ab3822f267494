import CascadeCore
import Foundation
import Testing

/// A hall's attendance is derived from the relays' connection events, never typed in.
@Suite struct HallAttendanceTests {
    static let rehearsal = Date(timeIntervalSince1970: 1_800_000_000)
    static let start = rehearsal.addingTimeInterval(1800)
    static let end = start.addingTimeInterval(3600)

    static func at(_ minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }

    static func event(_ kind: String, _ minutes: Double, hall: String? = "h", relay: Int64 = 1) -> RelayEventRecord {
        RelayEventRecord(relayId: relay, at: at(minutes), kind: kind, hallId: hall, detail: "")
    }

    static func derive(_ events: [RelayEventRecord], ends: [Int64: Date] = [1: end], measurable: Bool = true, now: Date = end.addingTimeInterval(600)) -> HallAttendance {
        HallAttendance.derive(hallId: "h", isMeasurable: measurable, events: events, relayEnds: ends, rehearsalStart: rehearsal, start: start, end: end, now: now)
    }

    @Test func joinsLateAndStaysToTheEnd() {
        let attendance = Self.derive([Self.event("hall-connected", 20)])
        #expect(attendance.intervals == [.init(joinedAt: Self.at(20), leftAt: Self.end, leaveReason: .relayStopped)])
        #expect(attendance.liveSeconds == 40 * 60 && abs(attendance.liveShare - 2.0 / 3.0) < 1e-9)
        #expect(attendance.rehearsalSeconds == 0 && attendance.drops == 0)
        #expect(attendance.firstJoin == Self.at(20) && attendance.lastLeave == Self.end)
    }

    @Test func dropsAndComesBack() {
        let attendance = Self.derive([
            Self.event("hall-connected", -10), Self.event("hall-disconnected", 15), Self.event("hall-connected", 15 + 5.0 / 60),
        ])
        #expect(attendance.intervals.count == 2)
        #expect(attendance.intervals[0].leaveReason == .hallLeft)
        #expect(attendance.rehearsalSeconds == 600)
        #expect(abs(attendance.liveSeconds - (3600 - 5)) < 1e-6)
        #expect(attendance.drops == 1 && abs(attendance.longestOutageSeconds - 5) < 1e-6)
    }

    @Test func removedByATechnicianIsNotADrop() {
        let attendance = Self.derive([Self.event("hall-connected", 0), Self.event("hall-removed", 30)])
        #expect(attendance.intervals == [.init(joinedAt: Self.at(0), leftAt: Self.at(30), leaveReason: .removed)])
        #expect(attendance.drops == 0 && attendance.liveSeconds == 1800 && attendance.longestOutageSeconds == 1800)
    }

    @Test func aCutReportedJustBeforeTheRemovalIsTheRemoval() {
        let attendance = Self.derive([Self.event("hall-connected", 0), Self.event("hall-disconnected", 30), Self.event("hall-removed", 30 + 0.5 / 60)])
        #expect(attendance.intervals.map(\.leaveReason) == [.removed])
        #expect(attendance.drops == 0)
    }

    @Test func aRelayRestartEndsEveryConnection() {
        let attendance = Self.derive([
            Self.event("hall-connected", 0), Self.event("relay-restarting", 10, hall: nil), Self.event("hall-connected", 10.5),
        ])
        #expect(attendance.intervals.map(\.leaveReason) == [.relayRestarted, .relayStopped])
        #expect(attendance.drops == 1 && abs(attendance.longestOutageSeconds - 30) < 1e-6)
    }

    @Test func stillConnectedIsCountedUpToNow() {
        let attendance = Self.derive([Self.event("hall-connected", 0)], ends: [:], now: Self.at(45))
        #expect(attendance.intervals == [.init(joinedAt: Self.at(0), leftAt: nil, leaveReason: nil)])
        #expect(attendance.liveSeconds == 45 * 60 && attendance.lastLeave == nil)
    }

    @Test func twoRelaysServingTheHallAtOnceAreCountedOnce() {
        let attendance = Self.derive([
            Self.event("hall-connected", 0, relay: 1), Self.event("hall-connected", 10, relay: 2), Self.event("hall-disconnected", 30, relay: 1),
        ], ends: [1: Self.end, 2: Self.end])
        #expect(attendance.intervals.count == 2)
        #expect(attendance.liveSeconds == 3600 && attendance.longestOutageSeconds == 0)
    }

    @Test func otherHallsEventsAndRefusalsDoNotCount() {
        let attendance = Self.derive([Self.event("hall-connected", 0, hall: "other"), Self.event("hall-refused", 1)])
        #expect(attendance.intervals.isEmpty && attendance.liveSeconds == 0 && attendance.firstJoin == nil)
    }

    @Test func multicastHallsAreNotMeasurable() {
        let attendance = Self.derive([Self.event("hall-connected", 0)], measurable: false)
        #expect(!attendance.isMeasurable && attendance.intervals.isEmpty && attendance.liveSeconds == 0)
    }
}

@Suite struct HallLeaveReasonTests {
    @Test(arguments: [
        ("the meeting ended", HallAttendance.LeaveReason.meetingEnded),
        ("the relay was stopped by kt-vien", .relayStopped),
        ("the relay restarted: worker exited with 1", .relayRestarted),
        ("peer closed the connection", .hallLeft),
    ])
    func aDisconnectSaysWhy(_ detail: String, _ reason: HallAttendance.LeaveReason) {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let events = [
            RelayEventRecord(relayId: 1, at: t0, kind: "hall-connected", hallId: "h", detail: ""),
            RelayEventRecord(relayId: 1, at: t0 + 60, kind: "hall-disconnected", hallId: "h", detail: detail),
        ]
        let attendance = HallAttendance.derive(hallId: "h", isMeasurable: true, events: events, relayEnds: [1: t0 + 61],
                                               rehearsalStart: t0 - 60, start: t0, end: t0 + 120, now: t0 + 200)
        #expect(attendance.intervals.map(\.leaveReason) == [reason])
    }
}
