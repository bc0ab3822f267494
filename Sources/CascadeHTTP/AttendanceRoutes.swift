import CascadeCore
import CascadeStore
import Foundation
import Hummingbird

/// `/api/v1/meetings/{id}/attendance`: which halls were there and when, measured from the relays'
/// own connection events, as JSON for the web application and as CSV for the office's archive.
struct AttendanceRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    typealias HallView = HallAttendanceView
    typealias Summary = AttendanceSummaryView


    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("meetings/:id/attendance") { _, context in
            try JSONResponse.make(try await attendance(try context.parameters.require("id"), try context.requirePrincipal()))
        }
        group.get("meetings/:id/attendance.html") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            let view = withoutUnreadableDelegates(try await attendance(of: meeting), meeting, principal)
            let office = dependencies.policy.tree.unit(meeting.details.organiserUnitId)?.name ?? meeting.details.organiserUnitId
            let headers: HTTPFields = [
                .contentType: "text/html; charset=utf-8",
                // A page to print: no script at all, its styles inline, nothing loaded from elsewhere.
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: AttendanceSheet.render(
                view, meeting: meeting, office: office, zone: dependencies.zone))))
        }
        group.get("meetings/:id/attendance.csv") { request, context in
            // The hall table by default; `?table=delegates` for the roll call.
            let table = request.uri.queryParameters.get("table") ?? "halls"
            guard table == "halls" || table == "delegates" else { throw Problem.unprocessable("table must be halls or delegates", field: "table") }
            let view = try await attendance(try context.parameters.require("id"), try context.requirePrincipal())
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8"]
            headers[.contentDisposition] = "attachment; filename=\"attendance-\(view.meetingId)\(table == "delegates" ? "-delegates" : "").csv\""
            let text = table == "delegates"
                ? AttendanceCSV.render(view.delegates, halls: view.halls, zone: dependencies.zone)
                : AttendanceCSV.render(view.halls, zone: dependencies.zone)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// The attendance the caller may read: a confidential meeting's delegates only for those who may
    /// read its records (the halls' measured figures for everyone who sees the meeting).
    private func attendance(_ id: String, _ principal: Principal) async throws -> AttendanceView {
        let meeting = try meetings.visibleMeeting(id, principal)
        return withoutUnreadableDelegates(try await attendance(of: meeting), meeting, principal)
    }

    private func withoutUnreadableDelegates(_ view: AttendanceView, _ meeting: Meeting, _ principal: Principal) -> AttendanceView {
        guard !dependencies.policy.mayReadRecords(of: meeting, principal, confidentialRoles: dependencies.confidentialMediaRoles) else { return view }
        var shown = view
        shown.delegates = []
        return shown
    }

    /// A meeting's attendance, measured now.
    func attendance(of meeting: Meeting) async throws -> AttendanceView {
        let relays = try await dependencies.offloaded { try $0.relays(forMeeting: meeting.id) }
        // A hall's removal is also in the relay's own ledger (its removedAt), which holds even when the
        // relay stopped before its worker reported the cut.
        let removals = relays.flatMap { relay in
            relay.relay.halls.compactMap { hall -> RelayEventRecord? in
                // Stopping a relay closes its halls with the same moment: that is the relay stopping.
                guard let removed = hall.removedAt, removed != relay.relay.stoppedAt else { return nil }
                return RelayEventRecord(relayId: relay.relay.id, at: removed, kind: "hall-removed", hallId: hall.hallId, detail: "ledger")
            }
        }
        let events = relays.flatMap(\.events) + removals
        let ends = Dictionary(uniqueKeysWithValues: relays.compactMap { relay in relay.relay.stoppedAt.map { (relay.relay.id, $0) } })
        let tree = dependencies.policy.tree
        let now = Date()
        let halls = meeting.hallIds.map { hallId in
            let hall = tree.hall(hallId)
            let measured = HallAttendance.derive(
                hallId: hallId, isMeasurable: hall?.endpoint.isSRT ?? false, events: events, relayEnds: ends,
                rehearsalStart: meeting.window.start, start: meeting.start, end: meeting.end, now: now
            )
            let links = relays.flatMap(\.relay.halls).filter { $0.hallId == hallId }
            return HallView(
                hallId: hallId, hallName: hall?.name ?? hallId, unitId: hall?.unitId ?? "", measurable: measured.isMeasurable,
                connected: !measured.intervals.isEmpty, connectedSeconds: measured.liveSeconds, rehearsalSeconds: measured.rehearsalSeconds,
                liveShare: measured.liveShare, firstJoin: measured.firstJoin, lastLeave: measured.lastLeave, drops: measured.drops,
                longestOutageSeconds: measured.longestOutageSeconds, intervals: measured.intervals,
                lostPackets: links.reduce(0) { $0 + $1.lostPackets }, retransmittedPackets: links.reduce(0) { $0 + $1.retransmittedPackets },
                maxRttMs: links.compactMap(\.maxRttMs).max()
            )
        }
        let measurable = halls.filter(\.measurable)
        let delegates = try await dependencies.offloaded { try $0.delegates(ofMeeting: meeting.id) }
        return AttendanceView(
            meetingId: meeting.id, title: meeting.details.title, rehearsalStart: meeting.window.start, start: meeting.start, end: meeting.end,
            halls: halls, delegates: delegates,
            summary: Summary(invited: halls.count, connected: measurable.filter(\.connected).count,
                             absent: measurable.filter { !$0.connected }.count, notMeasurable: halls.count - measurable.count,
                             delegates: Dictionary(grouping: delegates, by: \.state.rawValue).mapValues(\.count))
        )
    }
}
