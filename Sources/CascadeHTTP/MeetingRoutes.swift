import CascadeCore
import CascadeStore
import Foundation
import Hummingbird

/// `/api/v1/meetings` and `/api/v1/agenda`: the secretariat's calendar.
struct MeetingRoutes {
    let dependencies: HTTPDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("meetings") { request, context in try await book(request, context) }
        group.post("meetings/check") { request, context in try await check(request, context) }
        group.get("meetings") { request, context in try await list(request, context) }
        group.get("meetings/:id") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try visibleMeeting(try context.parameters.require("id"), principal)
            return try JSONResponse.make(MeetingView(meeting, zone: dependencies.zone))
        }
        group.patch("meetings/:id") { request, context in try await change(request, context) }
        group.delete("meetings/:id") { request, context in
            let principal = try context.requirePrincipal()
            let (reference, meeting) = try managedMeeting(try context.parameters.require("id"), principal)
            let scope = try scope(request.uri.queryParameters.get("scope"), for: reference)
            try await dependencies.offloaded { try $0.cancelMeeting(reference, scope: scope, actor: principal.name) }
            context.logger.debug("meeting cancelled", metadata: ["meeting.id": "\(meeting.id)"])
            return Response(status: .noContent)
        }
        group.get("agenda") { request, context in try await agenda(request, context) }
    }

    // MARK: - Handlers

    /// A booking request read and checked against the rules (not yet against other bookings).
    private struct BookingRequest: Sendable {
        var details: MeetingDetails
        var hallIds: [String]
        var start: Date
        var end: Date
        var zone: TimeZone
        var series: SeriesShape?
    }

    /// A series' first date, start time, length and rule, read from a booking with `recurrence`.
    private struct SeriesShape: Sendable {
        var firstDate: LocalDate
        var startTime: LocalTime
        var minutes: Int
        var rule: Recurrence
    }

    private func bookingRequest(_ request: Request, _ principal: Principal) async throws -> BookingRequest {
        try dependencies.authorize(principal, .manageMeetings)
        let body = try await JSONBody.decode(MeetingBody.self, from: request, allowedFields: MeetingBody.creationFields)
        let zone = try body.timeZone(default: dependencies.zone)
        guard let startText = body.start else { throw Problem.badRequest("field \"start\" is required", field: "start") }
        guard let endText = body.end else { throw Problem.badRequest("field \"end\" is required", field: "end") }
        let start = try TimeInput.parse(startText, field: "start", zone: zone)
        let end = try TimeInput.parse(endText, field: "end", zone: zone)
        let details = try body.newDetails(rules: dependencies.bookingRules)
        let rules = dependencies.bookingRules
        let hallIds = try rules.validate(details, tree: dependencies.policy.tree, policy: dependencies.policy, principal: principal)
        try checkOrigin(of: details, hallIds: hallIds, principal: principal)
        try rules.validate(start: start, end: end, now: Date())
        let series = try body.recurrence.map { recurrence in
            let (firstDate, startTime) = Zone(zone).local(start)
            return SeriesShape(firstDate: firstDate, startTime: startTime, minutes: Int(end.timeIntervalSince(start) / 60),
                               rule: try recurrence.rule(startingOn: firstDate))
        }
        return BookingRequest(details: details, hallIds: hallIds, start: start, end: end, zone: zone, series: series)
    }

    private func book(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let booking = try await bookingRequest(request, principal)
        let (details, hallIds, start, end, zone) = (booking.details, booking.hallIds, booking.start, booking.end, booking.zone)
        let context = dependencies.bookingContext(zone: zone)
        do {
            if let shape = booking.series {
                let series = try await dependencies.offloaded {
                    try $0.bookSeries(details, hallIds: hallIds, firstDate: shape.firstDate, startTime: shape.startTime,
                                      durationMinutes: shape.minutes, zone: zone, rule: shape.rule, actor: principal.name, context: context)
                }
                var response = try JSONResponse.make(SeriesView(series, now: Date()), status: .created)
                response.headers[.location] = "/api/v1/meetings/\(series.occurrenceId(shape.firstDate))"
                return response
            }
            let meeting = try await dependencies.offloaded { try $0.bookMeeting(details, hallIds: hallIds, start: start, end: end, actor: principal.name, context: context) }
            var response = try JSONResponse.make(MeetingView(meeting, zone: zone), status: .created)
            response.headers[.location] = "/api/v1/meetings/\(meeting.id)"
            return response
        } catch let refusal as BookingRefusal {
            throw Problem.refused(redacted(refusal, for: principal), zone: zone)
        }
    }

    /// The booking form's check as the secretariat types: the same body as a booking, nothing written;
    /// 200 with the conflicts and suggested free slots (both empty when the slot is free), or the
    /// problem a booking would get for bad input.
    private func check(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let booking = try await bookingRequest(request, principal)
        let (details, hallIds, start, end, zone) = (booking.details, booking.hallIds, booking.start, booking.end, booking.zone)
        let context = dependencies.bookingContext(zone: zone)
        let refusal: BookingRefusal?
        if let shape = booking.series {
            refusal = try await dependencies.offloaded {
                try $0.bookingRefusal(details, hallIds: hallIds, firstDate: shape.firstDate, startTime: shape.startTime,
                                      durationMinutes: shape.minutes, zone: zone, rule: shape.rule, context: context)
            }
        } else {
            refusal = try await dependencies.offloaded { try $0.bookingRefusal(details, hallIds: hallIds, start: start, end: end, context: context) }
        }
        return try JSONResponse.make(BookingCheckView(refusal.map { redacted($0, for: principal) }, hallIds: hallIds, zone: zone))
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try dependencies.authorize(principal, .readMeetings)
        let query = request.uri.queryParameters
        let range = try RangeQuery.parse(query, zone: dependencies.zone, defaultDays: 30)
        let unit = query.get("unit"), hall = query.get("hall"), text = query.get("q").map(VietnameseFolding.fold)
        if let unit, dependencies.policy.tree.unit(unit) == nil { throw Problem.unprocessable("unit \(unit) is not in the configured tree", field: "unit") }
        if let hall, dependencies.policy.tree.hall(hall) == nil { throw Problem.unprocessable("hall \(hall) is not in the configured tree", field: "hall") }
        let state = try query.get("state").map { text in
            guard let state = MeetingState(rawValue: text) else { throw Problem.unprocessable("state must be booked, cancelled or held", field: "state") }
            return state
        }
        let unitIds = unit.map { dependencies.policy.tree.subtree(of: $0) }
        let span = dependencies.maximumSpan
        let meetings = try await dependencies.offloaded { try $0.meetings(overlapping: range, includeCancelled: state == .cancelled, maximumSpan: span) }
            .filter { meeting in
                isVisible(meeting, to: principal)
                    && (state == nil || meeting.state == state)
                    && (hall == nil || meeting.hallIds.contains(hall!))
                    && (unitIds == nil || involves(meeting, units: unitIds!))
                    && (text == nil || meeting.details.searchText.contains(text!))
            }
        return try JSONResponse.make(meetings.map { MeetingView($0, zone: dependencies.zone) })
    }

    private func change(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (reference, current) = try managedMeeting(try context.parameters.require("id"), principal)
        let body = try await JSONBody.decode(MeetingBody.self, from: request, allowedFields: MeetingBody.changeFields)
        let scope = try scope(body.scope, for: reference)
        if scope == .occurrence, case .occurrence = reference, body.changesMoreThanTime {
            throw Problem.unprocessable("one occurrence can only be moved (start, end); use scope \"following\" or \"series\" for other changes", field: "scope")
        }
        let zone = try body.timeZone(default: dependencies.zone)
        let start = try body.start.map { try TimeInput.parse($0, field: "start", zone: zone) } ?? current.start
        var end = try body.end.map { try TimeInput.parse($0, field: "end", zone: zone) } ?? current.end
        if body.start != nil && body.end == nil { end = start.addingTimeInterval(current.end.timeIntervalSince(current.start)) }
        let details = try body.applied(to: current.details)
        var state = current.state
        if let requested = body.state {
            guard case .single = reference, let value = MeetingState(rawValue: requested), value != .cancelled else {
                throw Problem.unprocessable("state can be set to booked or held on a single meeting; cancel with DELETE", field: "state")
            }
            state = value
        }
        let rules = dependencies.bookingRules
        let hallIds = try rules.validate(details, tree: dependencies.policy.tree, policy: dependencies.policy, principal: principal)
        try checkOrigin(of: details, hallIds: hallIds, principal: principal)
        if start != current.start || end != current.end {
            try rules.validate(start: start, end: end, now: Date())
        }
        do {
            let change = MeetingChange(details: details, hallIds: hallIds, start: start, end: end, state: state)
            let bookingContext = dependencies.bookingContext(zone: zone)
            let changed = try await dependencies.offloaded { try $0.changeMeeting(reference, scope: scope, to: change, actor: principal.name, context: bookingContext) }
            return try JSONResponse.make(MeetingView(changed, zone: dependencies.zone))
        } catch let refusal as BookingRefusal {
            throw Problem.refused(redacted(refusal, for: principal), zone: zone)
        }
    }

    private func agenda(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try dependencies.authorize(principal, .readMeetings)
        let query = request.uri.queryParameters
        let wallClock = Zone(dependencies.zone)
        let first = try query.get("date").map { text in
            guard let date = LocalDate(text) else { throw Problem.badRequest("date \"\(text)\" is not a date (yyyy-MM-dd)", field: "date") }
            return date
        } ?? wallClock.local(Date()).date
        let days = Int(query.get("days") ?? "1") ?? 0
        guard (1...31).contains(days) else { throw Problem.badRequest("days must be 1–31", field: "days") }
        let midnight = LocalTime(hour: 0, minute: 0)!
        let range = Window(start: wallClock.instant(first, midnight), end: wallClock.instant(first.adding(days: days), midnight))
        let span = dependencies.maximumSpan
        let meetings = try await dependencies.offloaded { try $0.meetings(overlapping: range, maximumSpan: span) }.filter { isVisible($0, to: principal) }
        struct Day: Encodable {
            var date: LocalDate
            var meetings: [MeetingView]
        }
        let agenda = (0..<days).map { offset in
            let date = first.adding(days: offset)
            return Day(date: date, meetings: meetings.filter { wallClock.local($0.start).date == date }.map { MeetingView($0, zone: dependencies.zone) })
        }
        return try JSONResponse.make(agenda)
    }

    // MARK: - Helpers

    /// A named origin must be a configured feed or a hall with a feed (422 naming it). A hall's camera
    /// is only the origin of a meeting held in that hall, booked by someone who may book for its unit:
    /// nobody relays or records another unit's room from afar.
    private func checkOrigin(of details: MeetingDetails, hallIds: [String], principal: Principal) throws {
        guard details.origin != nil else { return }
        let feed: Feed
        do {
            feed = try dependencies.feeds.feed(origin: details.origin, organiserUnitId: details.organiserUnitId, in: dependencies.policy.tree)
        } catch {
            throw Problem.unprocessable(error.message, field: "origin")
        }
        guard let hallId = feed.hallId, let hall = dependencies.policy.tree.hall(hallId) else { return }
        guard hallIds.contains(hallId) else {
            throw Problem.unprocessable("hall \(hallId) can be the origin only of a meeting held in it: add it to the halls", field: "origin")
        }
        try dependencies.authorize(principal, .manageMeetings, onUnit: hall.unitId)
    }

    /// The meeting `id`, if the caller may see it (404 when missing, 403 outside their subtree).
    func visibleMeeting(_ id: String, _ principal: Principal) throws -> Meeting {
        try dependencies.authorize(principal, .readMeetings)
        guard let reference = MeetingReference(id), let meeting = try dependencies.database.meeting(reference) else {
            throw Problem.notFound("no meeting \(id)")
        }
        guard isVisible(meeting, to: principal) else { throw Problem.forbidden("meeting \(id) involves no unit in your subtree") }
        return meeting
    }

    /// The meeting `id`, if the caller may book and change meetings of its organiser.
    func managedMeeting(_ id: String, _ principal: Principal) throws -> (MeetingReference, Meeting) {
        // A change or cancellation of a date the series does not fall on is a bad exception, not a missing page.
        if case .occurrence(let seriesId, let date)? = MeetingReference(id), let series = try dependencies.database.series(seriesId), !series.isOccurrence(date) {
            throw Problem.unprocessable("\(date) is not an occurrence of series s\(seriesId)", field: "id")
        }
        let meeting = try visibleMeeting(id, principal)
        try dependencies.authorize(principal, .manageMeetings, onUnit: meeting.details.organiserUnitId)
        return (MeetingReference(id)!, meeting)
    }

    private func scope(_ text: String?, for reference: MeetingReference) throws -> ChangeScope {
        switch reference {
        case .single:
            if let text, text != ChangeScope.series.rawValue && text != ChangeScope.occurrence.rawValue {
                throw Problem.unprocessable("a single meeting has no scope", field: "scope")
            }
            return .occurrence
        case .occurrence:
            guard let text else {
                throw Problem.unprocessable("scope is required for a series occurrence: occurrence, following or series", field: "scope")
            }
            guard let scope = ChangeScope(rawValue: text) else {
                throw Problem.unprocessable("scope must be occurrence, following or series", field: "scope")
            }
            return scope
        }
    }

    /// A refusal as `principal` may read it: a meeting in the way that they may not see (one of
    /// another unit sharing an uplink or a relay node) is named only as such, without id or title.
    func redacted(_ refusal: BookingRefusal, for principal: Principal) -> BookingRefusal {
        guard principal.scopeUnitId != nil else { return refusal }
        var visible: [String: Bool] = [:]
        var redacted = refusal
        for index in redacted.conflicts.indices {
            redacted.conflicts[index].otherMeetings = redacted.conflicts[index].otherMeetings.map { other in
                if visible[other.id] == nil {
                    let meeting = MeetingReference(other.id).flatMap { try? dependencies.database.meeting($0) }
                    visible[other.id] = meeting.map { isVisible($0, to: principal) } ?? false
                }
                return visible[other.id]! ? other : Conflict.OtherMeeting(id: "", title: "a meeting of another unit")
            }
        }
        return redacted
    }

    func isVisible(_ meeting: Meeting, to principal: Principal) -> Bool {
        guard let scope = principal.scopeUnitId else { return true }
        return involves(meeting, units: dependencies.policy.tree.subtree(of: scope))
    }

    func involves(_ meeting: Meeting, units: Set<String>) -> Bool {
        units.contains(meeting.details.organiserUnitId) || meeting.hallIds.contains { dependencies.policy.tree.hall($0).map { units.contains($0.unitId) } ?? false }
    }
}

/// `from` and `to` query parameters.
enum RangeQuery {
    static func parse(_ query: Parameters, zone: TimeZone, defaultDays: Int) throws -> Window {
        let wallClock = Zone(zone)
        let today = wallClock.instant(wallClock.local(Date()).date, LocalTime(hour: 0, minute: 0)!)
        let from = try query.get("from").map { try TimeInput.parseBound($0, field: "from", zone: zone) } ?? today
        let to = try query.get("to").map { try TimeInput.parseBound($0, field: "to", zone: zone) } ?? from.addingTimeInterval(Double(defaultDays) * 86400)
        guard to > from else { throw Problem.unprocessable("to must be after from", field: "to") }
        guard to.timeIntervalSince(from) <= 400 * 86400 else { throw Problem.unprocessable("a range may span at most 400 days", field: "to") }
        return Window(start: from, end: to)
    }
}
