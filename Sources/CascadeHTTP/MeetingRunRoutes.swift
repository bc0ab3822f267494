import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation
import Hummingbird

/// `/api/v1/meetings/{id}/run` and `/api/v1/run-sheet`: the technician's view of meetings running
/// themselves, and the few things a person may still do to a run (end, extend, confirm a hall,
/// switch to the backup source). Routes validate, authorise and ask the scheduler.
struct MeetingRunRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("meetings/:id/run") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            return try JSONResponse.make(try await view(of: meeting, for: principal))
        }
        group.post("meetings/:id/run/end") { _, context in
            let (meeting, principal) = try operatedEverywhere(try context.parameters.require("id"), context)
            try await scheduler().end(meeting.id, actor: principal.name)
            return try JSONResponse.make(try await view(of: meeting, for: principal))
        }
        group.post("meetings/:id/run/extend") { request, context in
            let (meeting, principal) = try operatedEverywhere(try context.parameters.require("id"), context)
            let body = try await JSONBody.decode(ExtendBody.self, from: request, allowedFields: ["minutes"])
            return try JSONResponse.make(try await extend(meeting, by: body.minutes, principal: principal))
        }
        group.post("meetings/:id/run/confirmations") { request, context in
            // The hall's own technician confirms it, even in a meeting another unit organises.
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            let body = try await JSONBody.decode(ConfirmBody.self, from: request, allowedFields: ["hall", "note"])
            guard meeting.hallIds.contains(body.hall), let hall = dependencies.policy.tree.hall(body.hall) else {
                throw Problem.unprocessable("hall \(body.hall) is not a hall of meeting \(meeting.id)", field: "hall")
            }
            try dependencies.authorize(principal, .operateMedia, onUnit: hall.unitId)
            let note = body.note ?? "picture and sound confirmed"
            let confirmation = try await dependencies.offloaded { try $0.confirmHall(hall.id, ofMeeting: meeting.id, note: note, actor: principal.name) }
            return try JSONResponse.make(confirmation, status: .created)
        }
        group.post("meetings/:id/run/source") { request, context in
            let (meeting, principal) = try operatedEverywhere(try context.parameters.require("id"), context)
            let body = try await JSONBody.decode(SourceBody.self, from: request, allowedFields: ["backup"])
            try await scheduler().switchSource(meeting.id, toBackup: body.backup, actor: principal.name)
            return try JSONResponse.make(try await view(of: meeting, for: principal))
        }
        group.get("run-sheet") { request, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readMeetings)
            let date = try request.uri.queryParameters.get("date").map { text in
                guard let date = LocalDate(text) else { throw Problem.unprocessable("date must be yyyy-MM-dd", field: "date") }
                return date
            }
            return try JSONResponse.make(try await runSheet(on: date, for: principal))
        }
        group.get("webhook-deliveries") { _, context in
            // The log names the office's other systems' addresses: whole-tree administrators only.
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readAudit)
            guard principal.scopeUnitId == nil else { throw Problem.forbidden("the webhook log is for whole-tree administrators") }
            return try JSONResponse.make(try await dependencies.offloaded { try $0.webhookDeliveries(limit: 200) })
        }
    }

    // MARK: - Handlers

    private func extend(_ meeting: Meeting, by minutes: Int, principal: Principal) async throws -> MeetingView {
        let actor = principal.name
        guard (1...240).contains(minutes) else { throw Problem.unprocessable("minutes must be 1–240", field: "minutes") }
        guard try await scheduler().activeRun(meeting.id)?.state == .live else {
            throw Problem(status: .conflict, code: "not-live", detail: "meeting \(meeting.id) is not live: only a live meeting is extended")
        }
        let end = meeting.end.addingTimeInterval(Double(minutes) * 60)
        let rules = dependencies.bookingRules
        guard end.timeIntervalSince(meeting.start) <= rules.maximumDuration else {
            throw Problem.unprocessable("a meeting may last at most \(Int(rules.maximumDuration / 3600)) hours", field: "minutes")
        }
        guard let reference = MeetingReference(meeting.id) else { throw Problem.notFound("no meeting \(meeting.id)") }
        let change = MeetingChange(details: meeting.details, hallIds: meeting.hallIds, start: meeting.start, end: end, state: meeting.state)
        let context = dependencies.bookingContext()
        do {
            // The calendar stays true while a meeting runs over: the next booking of one of its halls refuses it.
            let changed = try await dependencies.offloaded { try $0.changeMeeting(reference, scope: .occurrence, to: change, actor: actor, context: context) }
            return MeetingView(changed, zone: dependencies.zone)
        } catch let refusal as BookingRefusal {
            throw Problem.refused(meetings.redacted(refusal, for: principal), zone: dependencies.zone)
        }
    }

    private func runSheet(on date: LocalDate?, for principal: Principal) async throws -> [RunSheetEntry] {
        let zone = Zone(dependencies.zone)
        let day = date ?? zone.local(Date()).date
        let start = zone.instant(day, LocalTime(hour: 0, minute: 0)!), end = zone.instant(day.adding(days: 1), LocalTime(hour: 0, minute: 0)!)
        let span = dependencies.maximumSpan
        let listed = try await dependencies.offloaded { try $0.meetings(overlapping: Window(start: start, end: end), includeCancelled: true, maximumSpan: span) }
            .filter { meetings.isVisible($0, to: principal) }
        let runs = try await dependencies.offloaded { try $0.meetingRuns(listed.map(\.id)) }
        var entries: [RunSheetEntry] = []
        for meeting in listed {
            let run = await scheduler(optional: true)?.activeRun(meeting.id) ?? runs[meeting.id]
            let state = run?.state ?? (meeting.state == .cancelled ? .cancelled : .booked)
            entries.append(RunSheetEntry(
                meetingId: meeting.id, title: meeting.details.title, organiserUnitId: meeting.details.organiserUnitId,
                start: TimeInput.format(meeting.start, zone: dependencies.zone), end: TimeInput.format(meeting.end, zone: dependencies.zone),
                rehearsalStart: TimeInput.format(meeting.window.start, zone: dependencies.zone), halls: meeting.hallIds, state: state,
                nextTransition: MeetingRunView.next(after: state, meeting: meeting, grace: dependencies.runGrace, zone: dependencies.zone),
                alarms: (run?.alarms ?? []).filter { $0.hallId.map(maySee(principal)) ?? true }, relayId: run?.relayId.map { "rl\($0)" }
            ))
        }
        return entries
    }

    private func view(of meeting: Meeting, for principal: Principal) async throws -> MeetingRunView {
        let id = meeting.id
        let stored = try await dependencies.offloaded { try ($0.meetingRun(id), $0.meetingRunTransitions(id), $0.hallConfirmations(ofMeeting: id)) }
        let run = await scheduler(optional: true)?.activeRun(id) ?? stored.0
        let state = run?.state ?? (meeting.state == .cancelled ? .cancelled : .booked)
        let tree = dependencies.policy.tree
        let feed = try? dependencies.feeds.feed(origin: meeting.details.origin, organiserUnitId: meeting.details.organiserUnitId, in: tree)
        var live: RelayLive?
        var connectedSince: [String: Date] = [:]
        if let relayId = run?.relayId {
            live = await dependencies.relays?.live(relayId)
            for event in try await dependencies.offloaded({ try $0.relayEvents(relayId) }) where event.hallId != nil {
                switch event.kind {
                case "hall-connected": connectedSince[event.hallId!] = event.at
                case "hall-disconnected", "hall-removed": connectedSince[event.hallId!] = nil
                default: break
                }
            }
        }
        let confirmations = Dictionary(stored.2.map { ($0.hallId, $0) }, uniquingKeysWith: { _, last in last })
        let maySee = maySee(principal)
        // Another unit's hall in the meeting: its link, confirmation and alarms are not the caller's to see.
        let halls = meeting.hallIds.filter(maySee).compactMap { hallId -> MeetingRunView.HallReadiness? in
            guard let hall = tree.hall(hallId) else { return nil }
            let sample = live?.statistics?.halls.first { $0.hallId == hallId }
            let state = hallId == feed?.hallId ? "origin" : !hall.endpoint.isSRT ? "not-measurable" : sample?.connected == true ? "connected" : "waiting"
            return MeetingRunView.HallReadiness(
                hallId: hallId, name: hall.name, state: state, connectedSince: sample?.connected == true ? connectedSince[hallId] : nil,
                bitrateKbps: sample?.bitrateKbps, lostPackets: sample?.lostPackets, retransmittedPackets: sample?.retransmittedPackets,
                rttMs: sample?.rttMs, lastReportAt: sample == nil ? nil : live?.statistics?.at, confirmation: confirmations[hallId]
            )
        }
        return MeetingRunView(
            meetingId: id, title: meeting.details.title, state: state,
            origin: feed.map { .init(id: $0.id, name: $0.name, hallId: $0.hallId, hasBackup: $0.backupURI != nil, usesBackup: run?.usesBackup ?? false) },
            rehearsalAt: run?.rehearsalAt, liveAt: run?.liveAt, endedAt: run?.endedAt, endReason: run?.endReason,
            relayId: run?.relayId.map { "rl\($0)" }, recordingIds: run?.recordingIds.map { "r\($0)" } ?? [],
            nextTransition: MeetingRunView.next(after: state, meeting: meeting, grace: dependencies.runGrace, zone: dependencies.zone),
            source: live?.statistics.map { .init(state: $0.source, problem: $0.sourceProblem, audioPeakDecibels: $0.audioPeakDecibels, reportedAt: $0.at) },
            halls: halls, alarms: (run?.alarms ?? []).filter { $0.hallId.map(maySee) ?? true }, transitions: stored.1
        )
    }

    // MARK: - Helpers

    /// The meeting, if the caller operates the media of its organiser's subtree.
    private func operated(_ id: String, _ context: AppRequestContext) throws -> (Meeting, Principal) {
        let principal = try context.requirePrincipal()
        let meeting = try meetings.visibleMeeting(id, principal)
        try dependencies.authorize(principal, .operateMedia, onUnit: meeting.details.organiserUnitId)
        return (meeting, principal)
    }

    /// The meeting, if the caller operates the media of its organiser and of every one of its halls:
    /// ending, extending or switching a run acts on every hall's relay.
    private func operatedEverywhere(_ id: String, _ context: AppRequestContext) throws -> (Meeting, Principal) {
        let (meeting, principal) = try operated(id, context)
        for hallId in meeting.hallIds {
            guard let hall = dependencies.policy.tree.hall(hallId) else { continue }
            try dependencies.authorize(principal, .operateMedia, onUnit: hall.unitId)
        }
        return (meeting, principal)
    }

    /// Whether `principal` may see a hall (it belongs to their subtree).
    private func maySee(_ principal: Principal) -> (String) -> Bool {
        let policy = dependencies.policy
        return { hallId in policy.tree.hall(hallId).map { policy.canSee(principal, unit: $0.unitId) } ?? false }
    }

    private func scheduler() throws -> MeetingScheduler {
        guard let scheduler = dependencies.scheduler else {
            throw Problem(status: .serviceUnavailable, code: "unavailable", detail: "the scheduler is not running on this server")
        }
        return scheduler
    }

    private func scheduler(optional: Bool) -> MeetingScheduler? { dependencies.scheduler }
}

private struct ExtendBody: Decodable { var minutes: Int }
private struct ConfirmBody: Decodable { var hall: String; var note: String? }
private struct SourceBody: Decodable { var backup: Bool }
