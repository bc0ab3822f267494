import CascadeCore
import CascadeStore
import Hummingbird

/// Requires `Authorization: Bearer <token>` (API clients) or the web application's session cookie
/// (with its CSRF token on writes) and resolves it to the user: 401 when missing or unknown.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    /// Whether the session cookie is the `__Host-` one (`server.secureCookie`).
    var secureCookie = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let principal: Principal
        let credential = try Self.credential(request, secureCookie: secureCookie)
        switch credential {
        case .bearer(let token):
            guard let found = try database.principal(forToken: token) else {
                throw Problem.unauthorized("the bearer token is unknown, expired or revoked")
            }
            principal = found
        case .session(let token):
            guard let found = try database.principal(forToken: token) else {
                throw Problem.unauthorized("the session has ended or expired: sign in again")
            }
            try SessionCookie.checkCSRF(request, token: token)
            principal = found
        case .calendarFeed(let token):
            // A token in a URL ends up in calendar apps, proxies and logs: only a feed token, good for
            // this one calendar, is taken there — never an API token.
            guard let found = try database.principal(forCalendarFeedToken: token, calendarPath: request.uri.path) else {
                throw Problem.unauthorized("the calendar feed token is unknown, expired, revoked or made for another calendar")
            }
            principal = found
        }
        var context = context
        context.principal = principal
        switch credential {
        case .bearer(let token), .session(let token): context.presentedToken = token
        case .calendarFeed: context.presentedToken = nil
        }
        context.logger[metadataKey: "user"] = "\(principal.name)"
        return try await next(request, context)
    }

    /// How a request proves who sends it.
    enum Credential {
        /// `Authorization: Bearer …`.
        case bearer(String)
        /// `?token=` on a calendar feed (`….ics`): calendar applications cannot send headers.
        case calendarFeed(String)
        /// The web application's session cookie.
        case session(String)
    }

    /// The request's credential; 401 when there is none.
    static func credential(_ request: Request, secureCookie: Bool) throws -> Credential {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw Problem.unauthorized("the Authorization header must use the Bearer scheme")
            }
            return .bearer(String(parts[1]).trimmingCharacters(in: .whitespaces))
        }
        if let token = SessionCookie.token(in: request, secure: secureCookie) {
            return .session(token)
        }
        if request.uri.path.hasSuffix(".ics"), let queryToken = request.uri.queryParameters.get("token") {
            return .calendarFeed(String(queryToken))
        }
        throw Problem.unauthorized("send a bearer token: Authorization: Bearer <token>")
    }

    /// The token the request signs in with (bearer or session cookie); 401 when there is none.
}
