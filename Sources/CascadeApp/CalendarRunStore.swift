import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation

/// The database as the scheduler's calendar and run store: meetings become ``ScheduledMeeting``s
/// with their feed resolved from the configuration (the origin hall left out of the receivers).
struct CalendarRunStore: MeetingRunStore {
    let database: AppDatabase
    /// The tree and feeds as of now (an administrator may reload them while meetings run).
    let topology: LiveTopology
    let rules: BookingRules
    /// A run whose holder has not been seen for this long may be taken over.
    let lease: TimeInterval

    private var tree: UnitTree { topology.policy.tree }
    private var feeds: FeedCatalogue { topology.feeds }

    func meetingsNear(_ now: Date, grace: TimeInterval) throws -> [ScheduledMeeting] {
        // A meeting is near from its rehearsal (at most four hours before the start) to its end plus grace.
        let range = Window(start: now.addingTimeInterval(-grace), end: now.addingTimeInterval(4 * 3600 + 60))
        return try database.meetings(overlapping: range, includeCancelled: true, maximumSpan: rules.maximumDuration)
            .filter { $0.window.start <= now.addingTimeInterval(60) }
            .map(scheduled)
    }

    func scheduledMeeting(_ id: String) throws -> ScheduledMeeting? {
        guard let reference = MeetingReference(id) else { return nil }
        return try database.meeting(reference).map(scheduled)
    }

    func claimRun(_ meetingId: String, owner: String, now: Date) throws -> MeetingRun? {
        try database.claimMeetingRun(meetingId, owner: owner, now: now, lease: lease)
    }

    func saveRun(_ run: MeetingRun, owner: String, now: Date, transitions: [MeetingRunTransition]) throws {
        try database.saveMeetingRun(run, owner: owner, now: now, transitions: transitions)
    }

    func renewRuns(_ meetingIds: [String], owner: String, now: Date) throws {
        try database.renewMeetingRuns(meetingIds, owner: owner, now: now)
    }

    func unfinishedRuns() throws -> [MeetingRun] { try database.unfinishedMeetingRuns() }

    func confirmedHalls(_ meetingId: String) throws -> Set<String> {
        Set(try database.hallConfirmations(ofMeeting: meetingId).map(\.hallId))
    }

    private func scheduled(_ meeting: Meeting) -> ScheduledMeeting {
        let feed = Result { () throws(OriginError) -> Feed in
            try feeds.feed(origin: meeting.details.origin, organiserUnitId: meeting.details.organiserUnitId, in: tree)
        }
        let originHall = (try? feed.get())?.hallId
        let receiving = meeting.hallIds.filter { $0 != originHall }
        return ScheduledMeeting(
            id: meeting.id, title: meeting.details.title,
            booking: .init(rehearsalStart: meeting.window.start, start: meeting.start, end: meeting.end, receivingHalls: receiving,
                           isRecorded: meeting.details.isRecorded, isCancelled: meeting.state == .cancelled),
            feed: feed, measurableHalls: Set(receiving.filter { tree.hall($0)?.endpoint.isSRT == true })
        )
    }
}

/// The relay and recording services as the scheduler's media: relays carry the meeting's id, and a
/// recording takes the relay's own output (the archive holds what the halls saw).
struct RelayMeetingMedia: MeetingMedia {
    let relays: RelayService
    let recordings: RecordingService
    let partSeconds: Int

    func waitUntilResumed() async {
        await relays.resumed.wait()
        await recordings.resumed.wait()
    }

    func startRelay(meetingId: String, title: String, source: String, halls: [String], passThrough: Bool) async throws -> Int64 {
        try await relays.start(source: source, hallIds: halls, meetingId: meetingId, title: title, port: nil, passThrough: passThrough, actor: "scheduler").id
    }

    func observeRelay(_ id: Int64) async -> RelayObservation? {
        guard let live = await relays.live(id) else { return nil }
        let source = live.statistics?.source
        return RelayObservation(
            connectedHalls: Set(live.statistics?.halls.filter(\.connected).map(\.hallId) ?? []),
            isSourceLive: source.map { $0 == "live" }, audioPeakDecibels: live.statistics?.audioPeakDecibels
        )
    }

    func changeHalls(relayId: Int64, add: [String], remove: [String]) async throws {
        for hall in add { _ = try await relays.addHall(hall, to: relayId, actor: "scheduler") }
        for hall in remove { try await relays.removeHall(hall, from: relayId, actor: "scheduler") }
    }

    func switchSource(relayId: Int64, to source: String) async throws {
        try await relays.switchSource(relayId, to: source, actor: "scheduler")
    }

    func stopRelay(_ id: Int64) async {
        try? await relays.stop(id, actor: "scheduler")
    }

    func startRecording(relayId: Int64, meetingId: String) async throws -> Int64 {
        try await recordings.record(relay: relayId, of: relays, meetingId: meetingId, partSeconds: partSeconds, actor: "scheduler")
    }

    func isRecording(_ id: Int64) async -> Bool { await recordings.isActive(id) }

    func stopRecording(_ id: Int64) async {
        try? await recordings.stop(id, actor: "scheduler")
    }
}
