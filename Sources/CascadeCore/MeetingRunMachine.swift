import Foundation

/// The run of one meeting as a value that takes inputs and returns actions.
///
/// The scheduler feeds it the time, the meeting as booked now and what it observes of the media
/// (the relay running, halls connected, the source live); it performs the actions returned and
/// feeds back their results (the relay started, the recording could not start, …). It holds no
/// clock, no database and no pipeline, so every transition is tested on plain dates.
///
/// ```
/// booked ──(start − rehearsal lead)──▶ rehearsal ──(start)──▶ live ──(end + grace | end now)──▶ held
///    └── cancelled                         └──── failed (the relay could not start) ◀────┘
/// ```
public struct MeetingRunMachine: Sendable {
    /// Grace, retries and alarm thresholds.
    public struct Timing: Sendable {
        /// How long the relay stays up after the booked end (meetings run over).
        public var grace: TimeInterval = 600
        /// How long before the start every hall must be connected and confirmed.
        public var readinessLead: TimeInterval = 600
        /// Waits before retrying a relay that could not start, by attempt.
        public var retryBackoff: [TimeInterval] = [5, 15, 30, 60]
        /// Failed relay starts in a row after which the meeting has failed.
        public var maximumStartAttempts = 5
        /// A source lost this long while running raises an alarm.
        public var sourceLostAlarmAfter: TimeInterval = 10
        /// Sound below this peak (dB) is silence …
        public var silenceDecibels = -60.0
        /// … and silence this long while the source is live raises an alarm.
        public var silenceAlarmAfter: TimeInterval = 10
        /// How often the last moment seen running is written down.
        public var heartbeat: TimeInterval = 15
        /// A run not seen for longer than this was interrupted by the server being down.
        public var downtimeThreshold: TimeInterval = 60

        /// The defaults.
        public init() {}
    }

    /// The meeting as booked now, as the run needs it.
    public struct Booking: Sendable, Equatable {
        /// Start of the rehearsal (start − lead).
        public var rehearsalStart: Date
        /// Start.
        public var start: Date
        /// Booked end (moved by an extension).
        public var end: Date
        /// The halls that receive the relay (the origin hall left out).
        public var receivingHalls: [String]
        /// Whether it is recorded.
        public var isRecorded: Bool
        /// Whether it was cancelled.
        public var isCancelled: Bool

        /// Creates a booking.
        public init(rehearsalStart: Date, start: Date, end: Date, receivingHalls: [String], isRecorded: Bool, isCancelled: Bool = false) {
            self.rehearsalStart = rehearsalStart
            self.start = start
            self.end = end
            self.receivingHalls = receivingHalls
            self.isRecorded = isRecorded
            self.isCancelled = isCancelled
        }
    }

    /// What the scheduler sees of the run's media.
    public struct Observation: Sendable, Equatable {
        /// Whether the run's relay is running (or restarting) in the relay service.
        public var isRelayRunning: Bool
        /// Whether the run's recording is being made.
        public var isRecording: Bool
        /// Halls whose decoder is connected now.
        public var connectedHalls: Set<String>
        /// Halls whose connection can be measured (SRT; multicast cannot).
        public var measurableHalls: Set<String>
        /// Halls a technician confirmed (picture and sound).
        public var confirmedHalls: Set<String>
        /// Whether the source is live; `nil` before the relay's first report.
        public var isSourceLive: Bool?
        /// The source's sound peak in dB, when measured.
        public var audioPeakDecibels: Double?

        /// Creates an observation.
        public init(isRelayRunning: Bool = false, isRecording: Bool = false, connectedHalls: Set<String> = [], measurableHalls: Set<String> = [],
                    confirmedHalls: Set<String> = [], isSourceLive: Bool? = nil, audioPeakDecibels: Double? = nil) {
            self.audioPeakDecibels = audioPeakDecibels
            self.isRelayRunning = isRelayRunning
            self.isRecording = isRecording
            self.connectedHalls = connectedHalls
            self.measurableHalls = measurableHalls
            self.confirmedHalls = confirmedHalls
            self.isSourceLive = isSourceLive
        }
    }

    /// Something that happened to the run.
    public enum Input: Sendable, Equatable {
        /// Time passed: the meeting as booked now (`nil` when it no longer exists) and the media as seen.
        case tick(now: Date, booking: Booking?, observed: Observation)
        /// The relay asked for is running.
        case relayStarted(id: Int64, halls: [String], now: Date)
        /// The relay asked for could not be started.
        case relayStartFailed(reason: String, now: Date)
        /// The recording asked for is running.
        case recordingStarted(id: Int64)
        /// The recording asked for could not be started.
        case recordingStartFailed(reason: String, now: Date)
        /// Someone ended the meeting now.
        case endRequested(actor: String, now: Date)
        /// The relay now takes the backup (or the main) URI of the feed.
        case sourceSwitched(toBackup: Bool)
    }

    /// Something the scheduler must do.
    public enum Action: Sendable, Equatable {
        /// Start a relay of the origin to these halls.
        case startRelay(halls: [String], useBackup: Bool)
        /// Add and remove halls of the running relay.
        case changeHalls(relayId: Int64, add: [String], remove: [String])
        /// Stop the relay.
        case stopRelay(Int64)
        /// Record the relay's output.
        case startRecording(relayId: Int64)
        /// Stop the recording (its last part is finalised).
        case stopRecording(Int64)
        /// Store, audit and announce a transition.
        case record(MeetingRunTransition)
        /// Store and announce an alarm.
        case raise(MeetingAlarm)
    }

    /// The run as it stands.
    public private(set) var run: MeetingRun
    /// The timing in force.
    public let timing: Timing
    /// A relay start is in flight: no second one until its result is in.
    public private(set) var isStartingRelay = false
    /// A recording start is in flight.
    public private(set) var isStartingRecording = false

    /// Takes up `run` (new, or loaded after a restart).
    public init(run: MeetingRun, timing: Timing = Timing()) {
        self.run = run
        self.timing = timing
    }

    /// Applies one input; returns what to do, in order.
    public mutating func handle(_ input: Input) -> [Action] {
        switch input {
        case .tick(let now, let booking, let observed):
            return tick(now: now, booking: booking, observed: observed)
        case .relayStarted(let id, let halls, let now):
            isStartingRelay = false
            guard run.state.isRunning else { return [.stopRelay(id)] }
            run.relayId = id
            run.relayHalls = halls
            run.startAttempts = 0
            run.nextStartAt = nil
            run.lastSeenRunningAt = now
            return []
        case .relayStartFailed(let reason, let now):
            isStartingRelay = false
            guard run.state.isRunning else { return [] }
            run.startAttempts += 1
            if run.startAttempts >= timing.maximumStartAttempts {
                let detail = "the relay could not start after \(run.startAttempts) attempts: \(reason)"
                return close(to: .failed, at: now, reason: detail) + [raise(.meetingFailed, detail: detail, at: now)]
            }
            let wait = timing.retryBackoff[min(run.startAttempts - 1, timing.retryBackoff.count - 1)]
            run.nextStartAt = now.addingTimeInterval(wait)
            return [raise(.relayStartFailed, detail: "attempt \(run.startAttempts): \(reason); retrying in \(Int(wait)) s", at: now)]
        case .recordingStarted(let id):
            isStartingRecording = false
            guard run.state == .live else { return [.stopRecording(id)] }
            run.recordingId = id
            if !run.recordingIds.contains(id) { run.recordingIds.append(id) }
            return []
        case .recordingStartFailed(let reason, let now):
            isStartingRecording = false
            return [raise(.recordingFailed, detail: reason, at: now)]
        case .endRequested(let actor, let now):
            guard run.state.isRunning else { return [] }
            return close(to: .held, at: now, reason: "ended by \(actor)")
        case .sourceSwitched(let toBackup):
            run.usesBackup = toBackup
            return []
        }
    }

    // MARK: - Time passing

    private mutating func tick(now: Date, booking: Booking?, observed: Observation) -> [Action] {
        guard !run.state.isFinal else { return [] }
        guard let booking, !booking.isCancelled else {
            return close(to: .cancelled, at: now, reason: booking == nil ? "the meeting no longer exists" : "the meeting was cancelled")
        }
        let endDue = booking.end.addingTimeInterval(timing.grace)
        if now >= endDue {
            guard run.state.isRunning else { return [] }  // never started: its time passed while nothing ran
            if let seen = run.lastSeenRunningAt, now.timeIntervalSince(seen) > timing.downtimeThreshold {
                let closedAt = min(seen, endDue)
                let detail = "the server was down at the end; closed at the last moment it was known running (\(Self.stamp(closedAt)))"
                return close(to: .held, at: closedAt, reason: detail) + [raise(.closedAfterDowntime, detail: detail, at: now)]
            }
            return close(to: .held, at: now, reason: "the booked end and its grace period passed")
        }
        var actions: [Action] = []
        if now >= booking.start, run.state != .live {
            actions += enter(.live, at: now, reason: run.state == .booked ? "the start passed (caught up)" : "the booked start")
            run.liveAt = now
        } else if now >= booking.rehearsalStart, run.state == .booked {
            actions += enter(.rehearsal, at: now, reason: "rehearsal lead before the start")
            run.rehearsalAt = now
        }
        guard run.state.isRunning else { return actions }
        actions += keepRelay(now: now, booking: booking, observed: observed)
        actions += keepRecording(booking: booking, observed: observed)
        actions += watch(now: now, booking: booking, observed: observed)
        if run.lastSeenRunningAt.map({ now.timeIntervalSince($0) >= timing.heartbeat }) ?? true {
            run.lastSeenRunningAt = now
        }
        return actions
    }

    private mutating func keepRelay(now: Date, booking: Booking, observed: Observation) -> [Action] {
        if let relayId = run.relayId {
            if observed.isRelayRunning {
                let add = booking.receivingHalls.filter { !run.relayHalls.contains($0) }
                let remove = run.relayHalls.filter { !booking.receivingHalls.contains($0) }
                guard !add.isEmpty || !remove.isEmpty else { return [] }
                run.relayHalls = booking.receivingHalls
                return [.changeHalls(relayId: relayId, add: add, remove: remove)]
            }
            // The relay service gave up on it (or it was stopped behind the scheduler's back): start
            // another, and record from that one.
            run.relayId = nil
            run.relayHalls = []
            var actions = [raise(.relayLost, detail: "relay rl\(relayId) stopped during the meeting; starting another", at: now)]
            if let recording = run.recordingId {
                run.recordingId = nil
                actions.append(.stopRecording(recording))
            }
            return actions + keepRelay(now: now, booking: booking, observed: Observation())
        }
        guard !isStartingRelay, run.nextStartAt.map({ now >= $0 }) ?? true, !booking.receivingHalls.isEmpty else { return [] }
        isStartingRelay = true
        return [.startRelay(halls: booking.receivingHalls, useBackup: run.usesBackup)]
    }

    private mutating func keepRecording(booking: Booking, observed: Observation) -> [Action] {
        guard run.state == .live, booking.isRecorded, let relayId = run.relayId, observed.isRelayRunning, !isStartingRecording else { return [] }
        if run.recordingId != nil {
            guard !observed.isRecording else { return [] }
            run.recordingId = nil  // it ended on its own (disk full, …): take another
        }
        isStartingRecording = true
        return [.startRecording(relayId: relayId)]
    }

    private mutating func watch(now: Date, booking: Booking, observed: Observation) -> [Action] {
        var actions: [Action] = []
        if observed.isSourceLive == false, run.relayId != nil {
            let since = run.sourceLostSince ?? now
            run.sourceLostSince = since
            if now.timeIntervalSince(since) >= timing.sourceLostAlarmAfter, !hasAlarm(.sourceLost, since: since) {
                actions.append(raise(.sourceLost, detail: "no picture from the origin since \(Self.stamp(since))", at: now))
            }
        } else if observed.isSourceLive == true {
            run.sourceLostSince = nil
        }
        if observed.isSourceLive == true, let peak = observed.audioPeakDecibels, peak < timing.silenceDecibels {
            let since = run.silentSince ?? now
            run.silentSince = since
            if now.timeIntervalSince(since) >= timing.silenceAlarmAfter, !hasAlarm(.silence, since: since) {
                actions.append(raise(.silence, detail: "no sound from the origin since \(Self.stamp(since)) (peak \(Int(peak)) dB)", at: now))
            }
        } else if observed.audioPeakDecibels != nil {
            run.silentSince = nil
        }
        if !run.isReadinessChecked, now >= booking.start.addingTimeInterval(-timing.readinessLead) {
            run.isReadinessChecked = true
            for hall in booking.receivingHalls {
                if observed.measurableHalls.contains(hall), !observed.connectedHalls.contains(hall) {
                    actions.append(raise(.hallNotConnected, hallId: hall, detail: "\(hall) is not connected", at: now))
                }
                if !observed.confirmedHalls.contains(hall) {
                    actions.append(raise(.hallNotConfirmed, hallId: hall, detail: "\(hall) has not confirmed picture and sound", at: now))
                }
            }
        }
        return actions
    }

    // MARK: - Helpers

    private mutating func enter(_ state: MeetingRunState, at time: Date, reason: String) -> [Action] {
        let transition = MeetingRunTransition(meetingId: run.meetingId, from: run.state, to: state, at: time, reason: reason)
        run.state = state
        return [.record(transition)]
    }

    /// Ends the run: the recording first (its last part is finalised while the relay still feeds it), then the relay.
    private mutating func close(to state: MeetingRunState, at time: Date, reason: String) -> [Action] {
        var actions: [Action] = []
        if let recording = run.recordingId { actions.append(.stopRecording(recording)) }
        if let relay = run.relayId { actions.append(.stopRelay(relay)) }
        run.recordingId = nil
        run.relayId = nil
        run.nextStartAt = nil
        if run.state.isRunning { run.endedAt = time }
        run.endReason = reason
        return actions + enter(state, at: time, reason: reason)
    }

    private mutating func raise(_ kind: MeetingAlarm.Kind, hallId: String? = nil, detail: String, at time: Date) -> Action {
        let alarm = MeetingAlarm(kind: kind, hallId: hallId, detail: detail, at: time)
        run.alarms.append(alarm)
        if run.alarms.count > 100 { run.alarms.removeFirst(run.alarms.count - 100) }
        return .raise(alarm)
    }

    private func hasAlarm(_ kind: MeetingAlarm.Kind, since time: Date) -> Bool {
        run.alarms.contains { $0.kind == kind && $0.at >= time }
    }

    private static func stamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
