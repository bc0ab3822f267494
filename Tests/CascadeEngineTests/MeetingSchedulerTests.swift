import CascadeCore
import CascadeEngine
import Foundation
import Logging
import Synchronization
import Testing

/// The scheduler on a manual clock over an in-memory calendar and fake media: every pass is one
/// `tick()`, so an hour-long meeting is tested in milliseconds.
@Suite struct MeetingSchedulerTests {
    /// The booked start, an hour after the clock's start.
    let t0 = Date(timeIntervalSince1970: 1_800_003_600)
    let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))
    let store = MemoryRunStore()
    let media = FakeMedia()

    func scheduler(owner: String = "here") -> MeetingScheduler {
        var settings = MeetingScheduler.Settings(owner: owner)
        settings.timing.grace = 600
        return MeetingScheduler(store: store, media: media, clock: clock, settings: settings, logger: Logger(label: "test"))
    }

    func book(_ id: String = "m1", halls: [String] = ["a", "b"], recorded: Bool = true) {
        store.put(ScheduledMeeting(
            id: id, title: "Giao ban \(id)",
            booking: .init(rehearsalStart: t0 - 1800, start: t0, end: t0 + 3600, receivingHalls: halls, isRecorded: recorded),
            feed: .success(Feed(id: "demo", name: "Demo", uri: "demo:", backupURI: "srt://10.0.0.9:9000")), measurableHalls: Set(halls)
        ))
    }

    /// Moves the clock to `offset` seconds from the booked start and makes one pass.
    func at(_ offset: TimeInterval, _ scheduler: MeetingScheduler) async {
        clock.advance(by: t0.addingTimeInterval(offset).timeIntervalSince(clock.now))
        await scheduler.tick()
    }

    @Test func aBookedMeetingRunsItselfFromRehearsalToHeld() async throws {
        book()
        let scheduler = scheduler()
        let events = await scheduler.events()
        await at(-1801, scheduler)
        #expect(media.calls.isEmpty)
        await at(-1800, scheduler)
        #expect(media.calls == ["startRelay demo: a,b"])
        #expect(store.run("m1")?.state == .rehearsal)
        await at(-1799, scheduler)
        await at(0, scheduler)
        #expect(store.run("m1")?.state == .live)
        #expect(media.calls.last == "startRecording rl1")
        await at(3600 + 599, scheduler)
        await at(3600 + 600, scheduler)
        #expect(Array(media.calls.suffix(2)) == ["stopRecording r1", "stopRelay rl1"])
        let run = try #require(store.run("m1"))
        #expect(run.state == .held)
        #expect(run.rehearsalAt == t0 - 1800)
        #expect(run.liveAt == t0)
        #expect(run.endedAt == t0 + 4200)
        #expect(store.transitions("m1").map(\.to) == [.rehearsal, .live, .held])
        var announced: [MeetingRunState] = []
        for await event in events where event.kind == "meeting-state" {
            announced.append(event.state)
            if event.state == .held { break }
        }
        #expect(announced == [.rehearsal, .live, .held])
        await at(5000, scheduler)
        #expect(media.calls.count == 4)
    }

    @Test func hallsAddedAndRemovedDuringRehearsalAndLiveFollowTheRelay() async {
        book()
        let scheduler = scheduler()
        await at(-1800, scheduler)
        book(halls: ["a", "b", "c"])
        await at(-1000, scheduler)
        #expect(media.calls.last == "changeHalls rl1 +c -")
        await at(0, scheduler)
        book(halls: ["c"])
        await at(10, scheduler)
        #expect(media.calls.last == "changeHalls rl1 + -a,b")
    }

    @Test func cancellingWhileLiveStopsAtOnceAndFinalisesTheRecording() async {
        book()
        let scheduler = scheduler()
        await at(-1800, scheduler)
        await at(0, scheduler)
        store.cancel("m1")
        await at(300, scheduler)
        #expect(Array(media.calls.suffix(2)) == ["stopRecording r1", "stopRelay rl1"])
        #expect(store.run("m1")?.state == .cancelled)
        #expect(store.run("m1")?.endedAt == t0 + 300)
    }

    @Test func thirtyMinutesDownCatchesUpOnStartAndClosesAtTheLastKnownMoment() async {
        book("early")
        book("late")
        store.move("late", by: 3600)  // starts an hour after "early"
        let first = scheduler()
        await at(-1800, first)
        await at(600, first)
        // The server is down from t0+600 for 30 minutes past the end of "early" (and into "late").
        media.keepRunning()
        let second = scheduler()
        await at(3600 + 600 + 1800, second)
        let early = store.run("early")
        #expect(early?.state == .held)
        #expect(early?.endedAt == t0 + 600)
        #expect(early?.alarms.last?.kind == .closedAfterDowntime)
        #expect(store.run("late")?.state == .live)  // started at once: it should be running
        #expect(media.calls.contains("startRelay demo: a,b"))
    }

    @Test func twoSchedulersOnOneDatabaseMakeOneRun() async {
        book()
        let here = scheduler(owner: "here"), there = scheduler(owner: "there")
        clock.advance(by: t0.addingTimeInterval(-1800).timeIntervalSince(clock.now))
        async let one: Void = here.tick()
        async let two: Void = there.tick()
        _ = await (one, two)
        await here.tick()
        await there.tick()
        #expect(media.calls.filter { $0.hasPrefix("startRelay") }.count == 1)
        #expect(store.transitions("m1").map(\.to) == [.rehearsal])
    }

    @Test func aRestartMidMeetingResumesTheSameRelay() async {
        book()
        await at(-1800, scheduler())
        let restarted = scheduler()
        await at(5, restarted)
        #expect(media.calls.filter { $0.hasPrefix("startRelay") }.count == 1)
        #expect(media.calls.last == "startRecording rl1")
    }

    @Test func startFailuresBackOffRaiseAlarmsThenFail() async {
        book()
        media.failStarts(true)
        let scheduler = scheduler()
        let events = await scheduler.events()
        await at(-1800, scheduler)
        await at(-1797, scheduler)  // within the 5 s backoff
        #expect(media.calls.count == 1)
        for offset in [-1795.0, -1780, -1750, -1690] { await at(offset, scheduler) }
        #expect(media.calls.count == 5)
        #expect(store.run("m1")?.state == .failed)
        var alarms: [MeetingAlarm.Kind] = []
        for await event in events {
            if let alarm = event.alarm { alarms.append(alarm.kind) }
            if event.state == .failed && event.kind == "meeting-alarm" { break }
        }
        #expect(alarms == [.relayStartFailed, .relayStartFailed, .relayStartFailed, .relayStartFailed, .meetingFailed])
    }

    @Test func endingByHandAndSwitchingSource() async throws {
        book()
        let scheduler = scheduler()
        await at(-1800, scheduler)
        try await scheduler.switchSource("m1", toBackup: true, actor: "kt")
        #expect(media.calls.last == "switchSource rl1 srt://10.0.0.9:9000")
        #expect(store.run("m1")?.usesBackup == true)
        try await scheduler.end("m1", actor: "kt")
        #expect(store.run("m1")?.state == .held)
        await #expect(throws: SchedulerError.self) { try await scheduler.end("m1", actor: "kt") }
    }

    @Test func anOriginWithoutFeedFailsWithTheReason() async {
        store.put(ScheduledMeeting(
            id: "m2", title: "x", booking: .init(rehearsalStart: t0 - 60, start: t0, end: t0 + 60, receivingHalls: ["a"], isRecorded: false),
            feed: .failure(OriginError("origin cam is neither a feed nor a hall")), measurableHalls: []
        ))
        let scheduler = scheduler()
        await at(-60, scheduler)
        #expect(store.run("m2")?.alarms.contains { $0.kind == .relayStartFailed && $0.detail.contains("origin cam") } == true)
        #expect(media.calls.isEmpty)
    }
}

/// The calendar and the runs in memory, with the database's one-run-per-meeting rule.
final class MemoryRunStore: MeetingRunStore {
    private struct Held { var run: MeetingRun; var owner: String; var seen: Date }
    private let state = Mutex<(meetings: [String: ScheduledMeeting], runs: [String: Held], transitions: [MeetingRunTransition])>(([:], [:], []))

    func put(_ meeting: ScheduledMeeting) { state.withLock { $0.meetings[meeting.id] = meeting } }
    func cancel(_ id: String) { state.withLock { $0.meetings[id]?.booking.isCancelled = true } }
    func move(_ id: String, by seconds: TimeInterval) {
        state.withLock {
            $0.meetings[id]?.booking.rehearsalStart += seconds
            $0.meetings[id]?.booking.start += seconds
            $0.meetings[id]?.booking.end += seconds
        }
    }
    func run(_ id: String) -> MeetingRun? { state.withLock { $0.runs[id]?.run } }
    func transitions(_ id: String) -> [MeetingRunTransition] { state.withLock { $0.transitions.filter { $0.meetingId == id } } }

    func meetingsNear(_ now: Date, grace: TimeInterval) throws -> [ScheduledMeeting] {
        state.withLock { $0.meetings.values.filter { $0.booking.rehearsalStart <= now + 60 && $0.booking.end + grace > now }.sorted { $0.id < $1.id } }
    }
    func scheduledMeeting(_ id: String) throws -> ScheduledMeeting? { state.withLock { $0.meetings[id] } }
    func claimRun(_ meetingId: String, owner: String, now: Date) throws -> MeetingRun? {
        state.withLock {
            if let held = $0.runs[meetingId] {
                guard held.owner == owner || now.timeIntervalSince(held.seen) > 30 else { return nil }
                $0.runs[meetingId]?.owner = owner
                return held.run
            }
            $0.runs[meetingId] = Held(run: MeetingRun(meetingId: meetingId), owner: owner, seen: now)
            return $0.runs[meetingId]?.run
        }
    }
    func saveRun(_ run: MeetingRun, owner: String, now: Date, transitions: [MeetingRunTransition]) throws {
        try state.withLock {
            guard $0.runs[run.meetingId]?.owner == owner else { throw SchedulerError(.notRunning, "held elsewhere") }
            $0.runs[run.meetingId] = Held(run: run, owner: owner, seen: now)
            $0.transitions += transitions
        }
    }
    func renewRuns(_ meetingIds: [String], owner: String, now: Date) throws {}
    func unfinishedRuns() throws -> [MeetingRun] { state.withLock { $0.runs.values.map(\.run).filter { !$0.state.isFinal } } }
    func confirmedHalls(_ meetingId: String) throws -> Set<String> { [] }
}

/// Relays and recordings that only note what was asked of them.
final class FakeMedia: MeetingMedia {
    private let state = Mutex<(calls: [String], relays: Set<Int64>, recordings: Set<Int64>, next: Int64, failing: Bool, keep: Bool)>(([], [], [], 1, false, false))

    var calls: [String] { state.withLock { $0.calls } }
    func waitUntilResumed() async {}
    func failStarts(_ failing: Bool) { state.withLock { $0.failing = failing } }
    /// Relays keep running across a scheduler restart (as real relay workers do).
    func keepRunning() { state.withLock { $0.keep = true } }

    func startRelay(meetingId: String, title: String, source: String, halls: [String], passThrough: Bool) async throws -> Int64 {
        try state.withLock {
            $0.calls.append("startRelay \(source) \(halls.joined(separator: ","))")
            if $0.failing { throw SchedulerError(.mediaRefused, "no free port") }
            let id = $0.next
            $0.next += 1
            $0.relays.insert(id)
            return id
        }
    }
    func observeRelay(_ id: Int64) async -> RelayObservation? {
        state.withLock { $0.relays.contains(id) ? RelayObservation(connectedHalls: [], isSourceLive: true) : nil }
    }
    func changeHalls(relayId: Int64, add: [String], remove: [String]) async throws {
        state.withLock { $0.calls.append("changeHalls rl\(relayId) +\(add.joined(separator: ",")) -\(remove.joined(separator: ","))") }
    }
    func switchSource(relayId: Int64, to source: String) async throws { state.withLock { $0.calls.append("switchSource rl\(relayId) \(source)") } }
    func stopRelay(_ id: Int64) async {
        state.withLock {
            $0.calls.append("stopRelay rl\(id)")
            $0.relays.remove(id)
        }
    }
    func startRecording(relayId: Int64, meetingId: String) async throws -> Int64 {
        state.withLock {
            $0.calls.append("startRecording rl\(relayId)")
            $0.recordings.insert(relayId)
            return relayId
        }
    }
    func isRecording(_ id: Int64) async -> Bool { state.withLock { $0.recordings.contains(id) } }
    func stopRecording(_ id: Int64) async {
        state.withLock {
            $0.calls.append("stopRecording r\(id)")
            $0.recordings.remove(id)
        }
    }
}
