import Hummingbird

/// Builds the router with every Cascade route: public ones first, then `/api/v1` behind a bearer token.
public func makeRouter(_ dependencies: HTTPDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: ClientAddressMiddleware(trustedProxies: dependencies.trustedProxies))
    SystemRoutes(dependencies: dependencies).register(on: router)
    SessionRoutes(database: dependencies.database, signInLifetime: dependencies.signInLifetime, secureCookie: dependencies.secureCookie,
                  throttle: dependencies.signInThrottle).register(on: router)
    let api = router.group("api/v1").add(middleware: BearerAuthMiddleware(database: dependencies.database, secureCookie: dependencies.secureCookie))
    TopologyRoutes(dependencies: dependencies).register(on: api)
    SiteRoutes(dependencies: dependencies).register(on: api)
    UserRoutes(dependencies: dependencies).register(on: api)
    CredentialRoutes(dependencies: dependencies).register(on: api)
    WorkerRoutes(dependencies: dependencies).register(on: api)
    let meetings = MeetingRoutes(dependencies: dependencies)
    meetings.register(on: api)
    CalendarRoutes(dependencies: dependencies, meetings: meetings).register(on: api)
    let recordings = RecordingRoutes(dependencies: dependencies, meetings: meetings)
    recordings.register(on: api)
    let attendance = AttendanceRoutes(dependencies: dependencies, meetings: meetings)
    attendance.register(on: api)
    AttendanceReportRoutes(dependencies: dependencies, attendance: attendance).register(on: api)
    DelegateRoutes(dependencies: dependencies, meetings: meetings).register(on: api)
    RelayRoutes(dependencies: dependencies, meetings: meetings).register(on: api)
    MeetingRunRoutes(dependencies: dependencies, meetings: meetings).register(on: api)
    MinutesRoutes(dependencies: dependencies, meetings: meetings).register(on: api)
    let archive = ArchiveRoutes(dependencies: dependencies, meetings: meetings)
    archive.register(on: api)
    let playerLinks = PlayerLinkRoutes(dependencies: dependencies, meetings: meetings, archive: archive, recordings: recordings)
    playerLinks.register(on: api)
    playerLinks.register(on: router)
    return router
}
