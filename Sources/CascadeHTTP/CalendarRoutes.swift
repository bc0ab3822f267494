import CascadeCore
import Foundation
import Hummingbird

/// Free/busy and iCalendar feeds of halls and units.
struct CalendarRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    struct Busy: Encodable {
        var meetingId: String
        var title: String
        var rehearsalStart: String
        var start: String
        var end: String
    }

    struct HallBusy: Encodable {
        var hallId: String
        var busy: [Busy]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("halls/:id/busy") { request, context in
            let principal = try context.requirePrincipal()
            let hall = try visibleHall(try context.parameters.require("id"), principal)
            let range = try RangeQuery.parse(request.uri.queryParameters, zone: dependencies.zone, defaultDays: 7)
            return try JSONResponse.make(try await busy(of: [hall.id], in: range).first!)
        }
        group.get("units/:id/busy") { request, context in
            let principal = try context.requirePrincipal()
            let unitId = try visibleUnit(try context.parameters.require("id"), principal)
            let range = try RangeQuery.parse(request.uri.queryParameters, zone: dependencies.zone, defaultDays: 7)
            let subtree = dependencies.policy.tree.subtree(of: unitId)
            let halls = dependencies.policy.tree.halls.filter { subtree.contains($0.unitId) }.map(\.id)
            return try JSONResponse.make(try await busy(of: halls, in: range))
        }
        group.get("halls/:id/calendar.ics") { _, context in
            let principal = try context.requirePrincipal()
            let hall = try visibleHall(try context.parameters.require("id"), principal)
            return try await calendar(named: hall.name) { $0.hallIds.contains(hall.id) }
        }
        group.get("units/:id/calendar.ics") { _, context in
            let principal = try context.requirePrincipal()
            let unitId = try visibleUnit(try context.parameters.require("id"), principal)
            let subtree = dependencies.policy.tree.subtree(of: unitId)
            return try await calendar(named: dependencies.policy.tree.unit(unitId)?.name ?? unitId) { meetings.involves($0, units: subtree) }
        }
    }

    private func busy(of hallIds: [String], in range: Window) async throws -> [HallBusy] {
        let span = dependencies.maximumSpan
        let booked = try await dependencies.offloaded {
            try $0.meetings(overlapping: Window(start: range.start.addingTimeInterval(-4 * 3600), end: range.end), inHalls: Set(hallIds), maximumSpan: span)
        }
            .filter { $0.window.intersection(range) != nil }
        let zone = dependencies.zone
        return hallIds.map { hallId in
            HallBusy(hallId: hallId, busy: booked.filter { $0.hallIds.contains(hallId) }.map {
                Busy(meetingId: $0.id, title: $0.details.title, rehearsalStart: TimeInput.format($0.window.start, zone: zone),
                     start: TimeInput.format($0.start, zone: zone), end: TimeInput.format($0.end, zone: zone))
            })
        }
    }

    private func calendar(named name: String, including: (Meeting) -> Bool) async throws -> Response {
        let now = Date()
        let range = Window(start: now.addingTimeInterval(-30 * 86400), end: now.addingTimeInterval(366 * 86400))
        let span = dependencies.maximumSpan
        let selected = try await dependencies.offloaded { try $0.meetings(overlapping: range, includeCancelled: true, maximumSpan: span) }.filter(including)
        let tree = dependencies.policy.tree
        let text = ICalendar(name: "Cascade — \(name)", zone: dependencies.zone) { tree.hall($0)?.name ?? $0 }.render(selected, now: now)
        return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func visibleHall(_ id: String, _ principal: Principal) throws -> Hall {
        guard let hall = dependencies.policy.tree.hall(id) else { throw Problem.notFound("no hall \(id)") }
        try dependencies.authorize(principal, .readMeetings, onUnit: hall.unitId)
        return hall
    }

    private func visibleUnit(_ id: String, _ principal: Principal) throws -> String {
        guard dependencies.policy.tree.unit(id) != nil else { throw Problem.notFound("no unit \(id)") }
        try dependencies.authorize(principal, .readMeetings, onUnit: id)
        return id
    }
}
