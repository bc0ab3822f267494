import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// `/api/v1/relays`: technicians start relays to halls, add and remove halls live, watch and stop them.
struct RelayRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    struct NewRelay: Decodable {
        var source: String?
        var feed: String?
        var halls: [String]?
        var meetingId: String?
        var title: String?
        var port: Int?
        var passThrough: Bool?
    }

    struct NewHall: Decodable {
        var hallId: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("relays") { request, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .operateMedia)
            let body = try await JSONBody.decode(NewRelay.self, from: request, allowedFields: ["source", "feed", "halls", "meetingId", "title", "port", "passThrough"])
            // A configured feed is named by its id: its address (and any secret in it) stays on the server.
            var passThrough = body.passThrough ?? false
            let source: String
            switch (body.source, body.feed) {
            case (let uri?, nil):
                try dependencies.checkSourceAddress(uri, for: principal)
                source = uri
            case (nil, let feedId?):
                guard let feed = dependencies.feeds.feeds[feedId], feed.hallId == nil else { throw Problem.unprocessable("no feed \(feedId)", field: "feed") }
                source = feed.uri
                passThrough = body.passThrough ?? feed.isPassThrough
            default: throw Problem.badRequest("give either \"source\" (a URI) or \"feed\" (a configured feed's id)", field: "source")
            }
            guard let hallIds = body.halls, !hallIds.isEmpty else { throw Problem.badRequest("field \"halls\" needs at least one hall id", field: "halls") }
            for hallId in hallIds { try authorizeHall(hallId, principal) }
            var title = body.title ?? "Hội nghị trực tuyến"
            if let meetingId = body.meetingId {
                // A meeting outside the caller's subtree answers exactly like one that does not exist.
                guard let reference = MeetingReference(meetingId), let meeting = try dependencies.database.meeting(reference),
                      meetings.isVisible(meeting, to: principal) else {
                    throw Problem.unprocessable("no meeting \(meetingId)", field: "meetingId")
                }
                try dependencies.authorize(principal, .operateMedia, onUnit: meeting.details.organiserUnitId)
                if body.title == nil { title = meeting.details.title }
            }
            let started: (id: Int64, halls: [HallAccess])
            started = try await service().start(source: source, hallIds: hallIds, meetingId: body.meetingId, title: title, port: body.port, passThrough: passThrough, actor: principal.name)
            var response = try JSONResponse.make(try await view(started.id, for: principal), status: .created)
            response.headers[.location] = "/api/v1/relays/rl\(started.id)"
            return response
        }
        group.get("relays") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readMeetings)
            var views: [RelayView] = []
            for summary in try await dependencies.offloaded({ try $0.relays() }) where isVisible(summary, to: principal) {
                views.append(RelayView(summary, live: await dependencies.relays?.live(summary.id), tree: dependencies.policy.tree, showsSource: principal.role.allows(.operateMedia), mayOperate: mayOperate(principal), maySee: maySee(principal)))
            }
            return try JSONResponse.make(views)
        }
        group.get("relays/:id") { _, context in
            let principal = try context.requirePrincipal()
            let summary = try visibleRelay(try context.parameters.require("id"), principal)
            return try JSONResponse.make(try await view(summary.id, for: principal))
        }
        group.delete("relays/:id") { _, context in
            let principal = try context.requirePrincipal()
            let summary = try visibleRelay(try context.parameters.require("id"), principal)
            try dependencies.authorize(principal, .operateMedia)
            for hall in summary.halls where hall.removedAt == nil { try authorizeHall(hall.hallId, principal) }
            try await service().stop(summary.id, actor: principal.name)
            return try JSONResponse.make(try await view(summary.id, for: principal))
        }
        group.post("relays/:id/halls") { request, context in
            let principal = try context.requirePrincipal()
            let summary = try visibleRelay(try context.parameters.require("id"), principal)
            try dependencies.authorize(principal, .operateMedia)
            let body = try await JSONBody.decode(NewHall.self, from: request, allowedFields: ["hallId"])
            guard let hallId = body.hallId else { throw Problem.badRequest("field \"hallId\" is required", field: "hallId") }
            try authorizeHall(hallId, principal)
            let access: HallAccess
            access = try await service().addHall(hallId, to: summary.id, actor: principal.name)
            return try JSONResponse.make(access, status: .created)
        }
        group.delete("relays/:id/halls/:hallId") { _, context in
            let principal = try context.requirePrincipal()
            let summary = try visibleRelay(try context.parameters.require("id"), principal)
            try dependencies.authorize(principal, .operateMedia)
            let hallId = try context.parameters.require("hallId")
            try authorizeHall(hallId, principal)
            try await service().removeHall(hallId, from: summary.id, actor: principal.name)
            return try JSONResponse.make(try await view(summary.id, for: principal))
        }
        group.get("events") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readMeetings)
            guard let token = context.presentedToken else { throw Problem.unauthorized("send a bearer token: Authorization: Bearer <token>") }
            return try await eventStream(for: principal, token: token)
        }
    }

    /// Server-sent events: every relay event the caller may see, with a comment line every 10 s so
    /// proxies keep the connection open and a gone client is noticed. The stream ends within those
    /// 10 s once its token is revoked, expires or its user is disabled (a sign-out elsewhere), and when
    /// the same user opens more than `server.eventStreamsPerUser` (the oldest goes). Its tasks are
    /// started by the response body and end with it: a client that vanishes before the body runs
    /// leaves nothing behind.
    private func eventStream(for principal: Principal, token: String) async throws -> Response {
        let relays = try service()
        let database = dependencies.database, scheduler = dependencies.scheduler, streams = dependencies.eventStreams
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (lines, feed) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1000))
            let streamId = streams.add(of: principal.name) { feed.finish() }
            defer { streams.remove(streamId, of: principal.name) }
            let events = await relays.events()
            let runEvents = await scheduler?.events()
            try await writer.write(ByteBuffer(string: ": cascade relay events\n\n"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await forwardRelayEvents(events, to: feed, for: principal, database: database) }
                if let runEvents { tasks.addTask { await forwardRunEvents(runEvents, to: feed, for: principal, database: database) } }
                tasks.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(10))
                        guard (try? database.principal(forToken: token)) != nil else { return feed.finish() }
                        feed.yield(": keep-alive\n\n")
                    }
                }
                // A stream never ends on its own: end it when the server shuts down.
                try await withGracefulShutdownHandler {
                    for await line in lines { try await writer.write(ByteBuffer(string: line)) }
                } onGracefulShutdown: {
                    feed.finish()
                }
                tasks.cancelAll()
            }
            try await writer.finish(nil)
        })
    }

    private func forwardRelayEvents(_ events: AsyncStream<RelayEventRecord>, to feed: AsyncStream<String>.Continuation, for principal: Principal, database: AppDatabase) async {
        var visible: [Int64: Bool] = [:]
        for await event in events {
            if visible[event.relayId] == nil {
                visible[event.relayId] = (try? database.relay(event.relayId)).flatMap { $0 }.map { isVisible($0, to: principal) } ?? false
            }
            // Another unit's hall in a shared relay: its events are not the caller's to see.
            let hallVisible = event.hallId.map(maySee(principal)) ?? true
            // The source's address is for those who operate media.
            var shown = event
            if !principal.role.allows(.operateMedia), RelayEvent.Kind(rawValue: event.kind)?.carriesSourceAddress == true { shown.detail = "" }
            guard visible[event.relayId] == true, hallVisible, let data = try? JSONResponse.encoder.encode(shown) else { continue }
            feed.yield("event: \(event.kind)\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
        }
        feed.finish()
    }

    /// Meeting runs' transitions and alarms, for the meetings the caller may see.
    private func forwardRunEvents(_ events: AsyncStream<MeetingRunEvent>, to feed: AsyncStream<String>.Continuation, for principal: Principal, database: AppDatabase) async {
        var visible: [String: Bool] = [:]
        for await event in events {
            if visible[event.meetingId] == nil {
                let meeting = MeetingReference(event.meetingId).flatMap { try? database.meeting($0) }
                visible[event.meetingId] = meeting.map { meetings.isVisible($0, to: principal) } ?? false
            }
            let hallVisible = event.alarm?.hallId.map(maySee(principal)) ?? true
            guard visible[event.meetingId] == true, hallVisible, let data = try? JSONResponse.encoder.encode(event) else { continue }
            feed.yield("event: \(event.kind)\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
        }
    }

    private func view(_ id: Int64, for principal: Principal) async throws -> RelayView {
        guard let summary = try dependencies.database.relay(id) else { throw Problem.notFound("no relay rl\(id)") }
        return RelayView(summary, live: await dependencies.relays?.live(id), tree: dependencies.policy.tree, showsSource: principal.role.allows(.operateMedia), mayOperate: mayOperate(principal), maySee: maySee(principal))
    }

    /// Whether `principal` may see a hall (it belongs to their subtree).
    private func maySee(_ principal: Principal) -> (String) -> Bool {
        let policy = dependencies.policy
        return { hallId in policy.tree.hall(hallId).map { policy.canSee(principal, unit: $0.unitId) } ?? false }
    }

    /// Whether `principal` operates the media of a hall (and so may see its URL and passphrase).
    private func mayOperate(_ principal: Principal) -> (String) -> Bool {
        let policy = dependencies.policy
        return { hallId in
            guard let hall = policy.tree.hall(hallId) else { return false }
            return policy.decide(principal, .operateMedia, onUnit: hall.unitId) == .allowed
        }
    }

    private func service() throws -> RelayService {
        guard let relays = dependencies.relays else { throw Problem(status: .serviceUnavailable, code: "unavailable", detail: "relays are not running") }
        return relays
    }

    private func authorizeHall(_ hallId: String, _ principal: Principal) throws {
        guard let hall = dependencies.policy.tree.hall(hallId) else {
            throw Problem.unprocessable("hall \(hallId) is not in the configuration", field: "halls")
        }
        try dependencies.authorize(principal, .operateMedia, onUnit: hall.unitId)
    }

    private func visibleRelay(_ text: String, _ principal: Principal) throws -> RelaySummary {
        try dependencies.authorize(principal, .readMeetings)
        guard text.hasPrefix("rl"), let id = Int64(text.dropFirst(2)), let summary = try dependencies.database.relay(id) else {
            throw Problem.notFound("no relay \(text)")
        }
        guard isVisible(summary, to: principal) else { throw Problem.forbidden("relay \(text) serves no hall of your subtree") }
        return summary
    }

    private func isVisible(_ summary: RelaySummary, to principal: Principal) -> Bool {
        guard principal.scopeUnitId != nil else { return true }
        return summary.halls.map(\.hallId).contains(where: maySee(principal))
    }
}
