import CascadeCore
import Foundation
import Logging
import ServiceLifecycle

/// Turns the calendar into runs: at start − rehearsal lead it brings each meeting's relay up, at the
/// start it records the relay's output, at the end (plus grace) it stops both — with no one touching
/// it. Each meeting's run is a ``MeetingRunMachine``; this actor feeds it the clock, the booking and
/// what it sees of the media, and performs what it asks. Time comes from an injected clock, so every
/// path is tested by calling ``tick()`` on a manual one.
public actor MeetingScheduler: Service {
    /// Who this scheduler is and how often it looks.
    public struct Settings: Sendable {
        /// Stable name of this server's scheduler (kept in the data directory): it holds its runs
        /// across restarts, and a second scheduler on the same database never drives them.
        public var owner: String
        /// Grace, retries and alarm thresholds.
        public var timing = MeetingRunMachine.Timing()
        /// Time between passes.
        public var interval: Duration = .seconds(1)
        /// A run whose holder has not been seen for this long may be taken over.
        public var lease: TimeInterval = 30

        /// Creates settings.
        public init(owner: String) { self.owner = owner }
    }

    private let store: any MeetingRunStore
    private let media: any MeetingMedia
    private let clock: any WallClock
    private let settings: Settings
    private let logger: Logger
    private var machines: [String: MeetingRunMachine] = [:]
    private var meetings: [String: ScheduledMeeting] = [:]
    /// Meetings whose run is over or held by another scheduler: not claimed again on every pass.
    private var settled: [String: Date] = [:]
    private var listeners: [UUID: AsyncStream<MeetingRunEvent>.Continuation] = [:]
    private var lastRenewal = Date.distantPast

    /// Creates the scheduler.
    public init(store: any MeetingRunStore, media: any MeetingMedia, clock: any WallClock, settings: Settings, logger: Logger) {
        self.store = store
        self.media = media
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    // MARK: - Running

    /// Resumes the runs a previous server run left, then makes a pass every interval until shutdown.
    /// Relays outlive the server: shutting down leaves them to the next run, which takes them up.
    public func run() async throws {
        // Relays re-attach after a restart: until they have, a run's relay would look lost.
        await media.waitUntilResumed()
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await tick()
                try? await clock.sleep(for: settings.interval)
            }
        } onGracefulShutdown: {}
        listeners.values.forEach { $0.finish() }
    }

    /// One pass: every meeting near now and every run in hand is brought in line with the clock.
    public func tick() async {
        let now = clock.now
        let near: [ScheduledMeeting]
        do {
            near = try store.meetingsNear(now, grace: settings.timing.grace)
            // Runs left unfinished (by this server before a restart, or by a scheduler gone quiet) are
            // taken up whatever their time: one whose end passed while down is closed, not forgotten.
            // One held by another scheduler is looked at again only once its lease may have lapsed.
            for run in try store.unfinishedRuns() where machines[run.meetingId] == nil
                && (settled[run.meetingId] == nil || settledExpired(run.meetingId, now)) {
                take(try store.claimRun(run.meetingId, owner: settings.owner, now: now), now, run.meetingId)
            }
        } catch {
            logger.error("the scheduler could not read the calendar", metadata: ["error": "\(error)"])
            return
        }
        var ids = Set<String>()
        for meeting in near {
            ids.insert(meeting.id)
            meetings[meeting.id] = meeting
        }
        // Runs whose meeting left the window (moved far, deleted, or past its end while the server was down).
        let elsewhere = machines.keys.filter { !ids.contains($0) }.map { id in (id, (try? store.scheduledMeeting(id)) ?? nil) }
        for (id, meeting) in elsewhere { meetings[id] = meeting }
        await withDiscardingTaskGroup { group in
            for meeting in near { group.addTask { await self.step(meeting.id, meeting, now) } }
            for (id, meeting) in elsewhere { group.addTask { await self.step(id, meeting, now) } }
        }
        if now.timeIntervalSince(lastRenewal) >= settings.lease / 3 {
            lastRenewal = now
            try? store.renewRuns(Array(machines.keys), owner: settings.owner, now: now)
        }
        settled = settled.filter { now.timeIntervalSince($0.value) < 86_400 }
    }

    private func step(_ id: String, _ meeting: ScheduledMeeting?, _ now: Date) async {
        if machines[id] == nil {
            guard let meeting, mayTakeUp(meeting, now), settled[id] == nil || settledExpired(id, now) else { return }
            do {
                take(try store.claimRun(id, owner: settings.owner, now: now), now, id)
            } catch {
                logger.error("the run could not be claimed", metadata: ["meeting.id": "\(id)", "error": "\(error)"])
            }
            guard machines[id] != nil else { return }
        }
        let relayId = machines[id]?.run.relayId
        let observed = await observe(id, relayId: relayId)
        // A relay started or replaced while we looked: what we saw is of another relay.
        guard let machine = machines[id], machine.run.relayId == relayId else { return }
        await apply(id, .tick(now: now, booking: meeting?.booking, observed: observed))
    }

    /// Drives a claimed run from now on; `nil` (held by another scheduler) or a finished run is settled.
    private func take(_ claimed: MeetingRun?, _ now: Date, _ id: String? = nil) {
        guard let run = claimed, !run.state.isFinal else {
            if let id = id ?? claimed?.meetingId { settled[id] = now }
            return
        }
        guard machines[run.meetingId] == nil else { return }
        machines[run.meetingId] = MeetingRunMachine(run: run, timing: settings.timing)
        logger.info("run taken up", metadata: ["meeting.id": "\(run.meetingId)", "state": "\(run.state.rawValue)"])
    }

    private func mayTakeUp(_ meeting: ScheduledMeeting, _ now: Date) -> Bool {
        !meeting.booking.isCancelled && now >= meeting.booking.rehearsalStart && now < meeting.booking.end.addingTimeInterval(settings.timing.grace)
    }

    private func settledExpired(_ id: String, _ now: Date) -> Bool {
        // A run held by another scheduler is looked at again once its lease may have lapsed.
        now.timeIntervalSince(settled[id] ?? now) > settings.lease
    }

    private func observe(_ id: String, relayId: Int64?) async -> MeetingRunMachine.Observation {
        var observed = MeetingRunMachine.Observation()
        observed.measurableHalls = meetings[id]?.measurableHalls ?? []
        observed.confirmedHalls = (try? store.confirmedHalls(id)) ?? []
        if let relayId, let relay = await media.observeRelay(relayId) {
            observed.isRelayRunning = true
            observed.connectedHalls = relay.connectedHalls
            observed.isSourceLive = relay.isSourceLive
            observed.audioPeakDecibels = relay.audioPeakDecibels
        }
        if let recording = machines[id]?.run.recordingId {
            observed.isRecording = await media.isRecording(recording)
        }
        return observed
    }

    /// Feeds one input to a run, saves what changed, announces it, and performs the actions (whose
    /// results are fed back as inputs in turn).
    private func apply(_ id: String, _ input: MeetingRunMachine.Input) async {
        guard var machine = machines[id] else {
            // The run ended (or was let go) while this start was on its way: nothing may outlive it.
            await stopStarted(by: input)
            return
        }
        let before = machine.run
        let actions = machine.handle(input)
        machines[id] = machine
        let transitions = actions.compactMap { if case .record(let transition) = $0 { transition } else { nil } }
        if machine.run != before {
            do {
                try store.saveRun(machine.run, owner: settings.owner, now: clock.now, transitions: transitions)
            } catch {
                // Another scheduler holds the run now (this one was too slow to renew): it drives the media.
                logger.error("the run could not be saved; letting it go", metadata: ["meeting.id": "\(id)", "error": "\(error)"])
                machines[id] = nil
                settled[id] = clock.now
                await stopStarted(by: input)
                return
            }
        }
        for action in actions { await perform(action, for: id) }
        if machines[id]?.run.state.isFinal == true {
            machines[id] = nil
            settled[id] = clock.now
        }
    }

    private func stopStarted(by input: MeetingRunMachine.Input) async {
        switch input {
        case .relayStarted(let relayId, _, _): await media.stopRelay(relayId)
        case .recordingStarted(let recordingId): await media.stopRecording(recordingId)
        default: break
        }
    }

    private func perform(_ action: MeetingRunMachine.Action, for id: String) async {
        let metadata: Logger.Metadata = ["meeting.id": "\(id)"]
        switch action {
        case .startRelay(let halls, let useBackup):
            do {
                let feed = try feed(of: id)
                let source = useBackup ? feed.backupURI ?? feed.uri : feed.uri
                let relayId = try await media.startRelay(meetingId: id, title: meetings[id]?.title ?? id, source: source, halls: halls,
                                                         passThrough: feed.isPassThrough)
                logger.info("relay started for the meeting", metadata: metadata.merging(["relay.id": "\(relayId)"]) { $1 })
                await apply(id, .relayStarted(id: relayId, halls: halls, now: clock.now))
            } catch {
                await apply(id, .relayStartFailed(reason: "\(error)", now: clock.now))
            }
        case .changeHalls(let relayId, let add, let remove):
            do {
                try await media.changeHalls(relayId: relayId, add: add, remove: remove)
            } catch {
                logger.warning("the relay's halls could not be changed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
        case .stopRelay(let relayId):
            await media.stopRelay(relayId)
        case .startRecording(let relayId):
            do {
                let recordingId = try await media.startRecording(relayId: relayId, meetingId: id)
                await apply(id, .recordingStarted(id: recordingId))
            } catch {
                await apply(id, .recordingStartFailed(reason: "\(error)", now: clock.now))
            }
        case .stopRecording(let recordingId):
            await media.stopRecording(recordingId)
        case .record(let transition):
            logger.info("meeting \(transition.to.rawValue)", metadata: metadata.merging(["reason": "\(transition.reason)"]) { $1 })
            announce(MeetingRunEvent(kind: "meeting-state", meetingId: id, title: meetings[id]?.title ?? id, state: transition.to,
                                     transition: transition, alarm: nil, at: transition.at))
        case .raise(let alarm):
            logger.warning("meeting alarm", metadata: metadata.merging(["alarm": "\(alarm.kind.rawValue)", "detail": "\(alarm.detail)"]) { $1 })
            announce(MeetingRunEvent(kind: "meeting-alarm", meetingId: id, title: meetings[id]?.title ?? id,
                                     state: machines[id]?.run.state ?? .failed, transition: nil, alarm: alarm, at: alarm.at))
        }
    }

    private func feed(of id: String) throws(OriginError) -> Feed {
        guard let meeting = meetings[id] else { throw OriginError("meeting \(id) is not in the calendar") }
        return try meeting.feed.get()
    }

    // MARK: - Commands

    /// The run of a meeting this scheduler drives now; `nil` when it drives none.
    public func activeRun(_ meetingId: String) -> MeetingRun? { machines[meetingId]?.run }

    /// Ends a meeting in rehearsal or live now: the recording is finalised, the relay stopped.
    public func end(_ meetingId: String, actor: String) async throws(SchedulerError) {
        guard let run = machines[meetingId]?.run, run.state.isRunning else {
            throw SchedulerError(.notRunning, "meeting \(meetingId) is not in rehearsal or live")
        }
        await apply(meetingId, .endRequested(actor: actor, now: clock.now))
    }

    /// Switches a running meeting's relay to its feed's backup (or back to the main URI); the halls
    /// see the slate for at most the switch, never a disconnect.
    public func switchSource(_ meetingId: String, toBackup: Bool, actor: String) async throws(SchedulerError) {
        guard let run = machines[meetingId]?.run, run.state.isRunning else {
            throw SchedulerError(.notRunning, "meeting \(meetingId) is not in rehearsal or live")
        }
        let feed: Feed
        do {
            feed = try self.feed(of: meetingId)
        } catch {
            throw SchedulerError(.notRunning, error.message)
        }
        guard let backup = feed.backupURI else { throw SchedulerError(.noBackup, "feed \(feed.id) has no backup URI in the configuration") }
        if let relayId = run.relayId {
            do {
                try await media.switchSource(relayId: relayId, to: toBackup ? backup : feed.uri)
            } catch {
                throw SchedulerError(.mediaRefused, "the relay did not switch: \(error)")
            }
        }
        logger.notice("source switched", metadata: ["meeting.id": "\(meetingId)", "backup": "\(toBackup)", "actor": "\(actor)"])
        await apply(meetingId, .sourceSwitched(toBackup: toBackup))
    }

    /// Every transition and alarm as it happens.
    public func events() -> AsyncStream<MeetingRunEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: MeetingRunEvent.self, bufferingPolicy: .bufferingNewest(1000))
        let key = UUID()
        listeners[key] = continuation
        continuation.onTermination = { _ in Task { await self.removeListener(key) } }
        return stream
    }

    private func removeListener(_ key: UUID) { listeners[key] = nil }

    /// How many follow the events (the event stream's clients, the webhook dispatcher).
    public var listenerCount: Int { listeners.count }

    private func announce(_ event: MeetingRunEvent) {
        for listener in listeners.values { listener.yield(event) }
    }
}
