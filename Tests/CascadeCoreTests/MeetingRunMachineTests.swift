import CascadeCore
import Foundation
import Testing

/// Every transition of a meeting's run, on plain dates: t0 is the booked start.
@Suite struct MeetingRunMachineTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    var booking: MeetingRunMachine.Booking {
        .init(rehearsalStart: t0 - 1800, start: t0, end: t0 + 3600, receivingHalls: ["a", "b"], isRecorded: true)
    }
    let running = MeetingRunMachine.Observation(isRelayRunning: true, isRecording: true, connectedHalls: ["a", "b"], measurableHalls: ["a", "b"],
                                                confirmedHalls: ["a", "b"], isSourceLive: true)

    func tick(_ machine: inout MeetingRunMachine, _ offset: TimeInterval, _ booking: MeetingRunMachine.Booking? = nil,
              _ observed: MeetingRunMachine.Observation? = nil) -> [MeetingRunMachine.Action] {
        machine.handle(.tick(now: t0 + offset, booking: booking ?? self.booking, observed: observed ?? running))
    }

    /// A machine in rehearsal with relay 7 serving halls a and b.
    func rehearsing() -> MeetingRunMachine {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        _ = tick(&machine, -1800)
        _ = machine.handle(.relayStarted(id: 7, halls: ["a", "b"], now: t0 - 1799))
        return machine
    }

    func transitions(_ actions: [MeetingRunMachine.Action]) -> [MeetingRunState] {
        actions.compactMap { if case .record(let transition) = $0 { transition.to } else { nil } }
    }

    func alarms(_ actions: [MeetingRunMachine.Action]) -> [MeetingAlarm.Kind] {
        actions.compactMap { if case .raise(let alarm) = $0 { alarm.kind } else { nil } }
    }

    @Test func nothingRunsBeforeTheRehearsal() {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        #expect(tick(&machine, -1801).isEmpty)
        #expect(machine.run.state == .booked)
    }

    @Test func rehearsalBringsTheRelayUpOnce() {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        let actions = tick(&machine, -1800)
        #expect(transitions(actions) == [.rehearsal])
        #expect(actions.contains(.startRelay(halls: ["a", "b"], useBackup: false)))
        #expect(machine.run.rehearsalAt == t0 - 1800)
        // A start in flight is never asked for twice.
        #expect(tick(&machine, -1799, nil, .init()).isEmpty)
    }

    @Test func startGoesLiveAndRecordsTheRelay() {
        var machine = rehearsing()
        let actions = tick(&machine, 0)
        #expect(transitions(actions) == [.live])
        #expect(actions.contains(.startRecording(relayId: 7)))
        _ = machine.handle(.recordingStarted(id: 3))
        #expect(machine.run.recordingIds == [3])
        #expect(machine.run.liveAt == t0)
        #expect(tick(&machine, 1).isEmpty)
    }

    @Test func aMeetingNotRecordedStartsNoRecording() {
        var machine = rehearsing()
        var unrecorded = booking
        unrecorded.isRecorded = false
        #expect(!tick(&machine, 0, unrecorded).contains(.startRecording(relayId: 7)))
    }

    @Test func endAndGraceCloseRecordingThenRelay() {
        var machine = rehearsing()
        _ = tick(&machine, 0)
        _ = machine.handle(.recordingStarted(id: 3))
        #expect(tick(&machine, 3600 + 599).isEmpty)
        let actions = tick(&machine, 3600 + 600)
        #expect(Array(actions.prefix(2)) == [.stopRecording(3), .stopRelay(7)])
        #expect(transitions(actions) == [.held])
        #expect(machine.run.endedAt == t0 + 4200)
        #expect(tick(&machine, 5000).isEmpty)
    }

    @Test func endingByHandClosesAtOnce() {
        var machine = rehearsing()
        _ = tick(&machine, 0)
        let actions = machine.handle(.endRequested(actor: "kt-vien", now: t0 + 60))
        #expect(actions.contains(.stopRelay(7)))
        #expect(machine.run.state == .held)
        #expect(machine.run.endReason == "ended by kt-vien")
    }

    @Test func endingABookedMeetingDoesNothing() {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        #expect(machine.handle(.endRequested(actor: "x", now: t0 - 4000)).isEmpty)
        #expect(machine.run.state == .booked)
    }

    @Test(arguments: [-1800.0, 0.0])
    func hallsChangedWhileRunningFollowTheRelay(_ offset: TimeInterval) {
        var machine = rehearsing()
        var changed = booking
        changed.receivingHalls = ["b", "c"]
        let actions = tick(&machine, offset + 1, changed)
        #expect(actions.contains(.changeHalls(relayId: 7, add: ["c"], remove: ["a"])))
        #expect(machine.run.relayHalls == ["b", "c"])
        #expect(!tick(&machine, offset + 2, changed).contains { if case .changeHalls = $0 { true } else { false } })
    }

    @Test func anExtensionMovesTheEnd() {
        var machine = rehearsing()
        _ = tick(&machine, 0)
        var extended = booking
        extended.end = t0 + 3600 + 1800
        #expect(transitions(tick(&machine, 4200, extended)).isEmpty)
        #expect(transitions(tick(&machine, 5400 + 600, extended)) == [.held])
    }

    @Test func cancellingWhileLiveStopsNowAndFinalisesTheRecording() {
        var machine = rehearsing()
        _ = tick(&machine, 0)
        _ = machine.handle(.recordingStarted(id: 3))
        var cancelled = booking
        cancelled.isCancelled = true
        let actions = tick(&machine, 120, cancelled)
        #expect(Array(actions.prefix(2)) == [.stopRecording(3), .stopRelay(7)])
        #expect(transitions(actions) == [.cancelled])
        #expect(machine.run.endedAt == t0 + 120)
    }

    @Test func cancellingBeforeTheRehearsalStartsNothing() {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        var cancelled = booking
        cancelled.isCancelled = true
        #expect(transitions(tick(&machine, -4000, cancelled)) == [.cancelled])
        #expect(machine.run.endedAt == nil)
    }

    @Test func failedStartsBackOffThenFailTheMeeting() {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        _ = tick(&machine, -1800)
        #expect(alarms(machine.handle(.relayStartFailed(reason: "no port", now: t0 - 1800))) == [.relayStartFailed])
        #expect(tick(&machine, -1796, nil, .init()).isEmpty)  // backoff: 5 s
        #expect(tick(&machine, -1795, nil, .init()) == [.startRelay(halls: ["a", "b"], useBackup: false)])
        for attempt in 2...4 {
            _ = machine.handle(.relayStartFailed(reason: "no port", now: t0 - 1000))
            #expect(machine.run.startAttempts == attempt)
            _ = tick(&machine, -900, nil, .init())
        }
        let actions = machine.handle(.relayStartFailed(reason: "no port", now: t0 - 800))
        #expect(transitions(actions) == [.failed])
        #expect(alarms(actions) == [.meetingFailed])
        #expect(tick(&machine, 0, nil, .init()).isEmpty)
    }

    @Test func aRelayLostDuringTheMeetingIsReplacedAndRecordedAgain() {
        var machine = rehearsing()
        _ = tick(&machine, 0)
        _ = machine.handle(.recordingStarted(id: 3))
        let actions = tick(&machine, 300, nil, .init())
        #expect(alarms(actions) == [.relayLost])
        #expect(actions.contains(.stopRecording(3)))
        #expect(actions.contains(.startRelay(halls: ["a", "b"], useBackup: false)))
        _ = machine.handle(.relayStarted(id: 8, halls: ["a", "b"], now: t0 + 301))
        #expect(tick(&machine, 302).contains(.startRecording(relayId: 8)))
        _ = machine.handle(.recordingStarted(id: 4))
        #expect(machine.run.recordingIds == [3, 4])
    }

    @Test func catchUpStartsAMeetingThatShouldBeLive() {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        let actions = tick(&machine, 900, nil, .init())
        #expect(transitions(actions) == [.live])
        #expect(actions.contains(.startRelay(halls: ["a", "b"], useBackup: false)))
        #expect(machine.run.rehearsalAt == nil)
    }

    @Test func thirtyMinutesDownClosesAtTheLastMomentKnownRunning() {
        var machine = rehearsing()
        _ = tick(&machine, 3000)
        // The server is down from t0+3000 until t0+3600+600+1800 (30 min past the end and grace).
        let actions = tick(&machine, 6000)
        #expect(transitions(actions) == [.held])
        #expect(alarms(actions) == [.closedAfterDowntime])
        #expect(machine.run.endedAt == t0 + 3000)
    }

    @Test func aMeetingWhoseTimePassedWhileDownIsNotStarted() {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        #expect(tick(&machine, 5000, nil, .init()).isEmpty)
        #expect(machine.run.state == .booked)
    }

    @Test func readinessCheckNamesHallsNotConnectedOrConfirmed() {
        var machine = rehearsing()
        let observed = MeetingRunMachine.Observation(isRelayRunning: true, connectedHalls: ["a"], measurableHalls: ["a", "b"],
                                                     confirmedHalls: ["b"], isSourceLive: true)
        #expect(alarms(tick(&machine, -601, nil, observed)).isEmpty)
        let actions = tick(&machine, -600, nil, observed)
        #expect(actions.compactMap { if case .raise(let alarm) = $0 { "\(alarm.kind.rawValue) \(alarm.hallId ?? "")" } else { nil } }
                == ["hall-not-confirmed a", "hall-not-connected b"])
        #expect(alarms(tick(&machine, -500, nil, observed)).isEmpty)
    }

    @Test func sourceLostForTenSecondsRaisesOneAlarm() {
        var machine = rehearsing()
        var lost = running
        lost.isSourceLive = false
        #expect(alarms(tick(&machine, -1000, nil, lost)).isEmpty)
        #expect(alarms(tick(&machine, -991, nil, lost)).isEmpty)
        #expect(alarms(tick(&machine, -990, nil, lost)) == [.sourceLost])
        #expect(alarms(tick(&machine, -980, nil, lost)).isEmpty)
        _ = tick(&machine, -979)
        #expect(machine.run.sourceLostSince == nil)
    }

    @Test func switchingToTheBackupIsKeptForRestarts() {
        var machine = rehearsing()
        _ = machine.handle(.sourceSwitched(toBackup: true))
        let actions = tick(&machine, 10, nil, .init())
        #expect(actions.contains(.startRelay(halls: ["a", "b"], useBackup: true)))
    }

    @Test func aRelayStartedAfterTheRunEndedIsStopped() {
        var machine = MeetingRunMachine(run: MeetingRun(meetingId: "m1"))
        _ = tick(&machine, -1800)
        _ = machine.handle(.endRequested(actor: "x", now: t0 - 1790))
        #expect(machine.handle(.relayStarted(id: 9, halls: ["a"], now: t0 - 1789)) == [.stopRelay(9)])
    }

    @Test func tenSecondsOfSilenceRaiseOneAlarmAndSoundClearsIt() {
        var machine = rehearsing()
        var silent = running
        silent.audioPeakDecibels = -90
        #expect(alarms(tick(&machine, -1000, nil, silent)).isEmpty)
        #expect(alarms(tick(&machine, -991, nil, silent)).isEmpty)
        #expect(alarms(tick(&machine, -990, nil, silent)) == [.silence])
        #expect(alarms(tick(&machine, -980, nil, silent)).isEmpty)
        var loud = running
        loud.audioPeakDecibels = -12
        _ = tick(&machine, -979, nil, loud)
        #expect(machine.run.silentSince == nil)
        // Not measured (a pass-through origin): never an alarm.
        #expect(alarms(tick(&machine, -900, nil, running)).isEmpty)
    }
}
