import CascadeCore
import CascadeStore
import Foundation
import Hummingbird
import Synchronization

/// `POST /auth/token`: exchange a name and password for a bearer token (API clients);
/// `/auth/session`: the same for the web application, kept in an HttpOnly cookie with a CSRF token.
struct SessionRoutes {
    let database: AppDatabase
    /// How long a sign-in token lasts (`server.signInHours`).
    let signInLifetime: TimeInterval
    /// `server.secureCookie`: the cookie is always Secure and named with the `__Host-` prefix.
    var secureCookie = false
    /// Growing delays per name and address, a ceiling per address (see ``SignInThrottle``).
    let throttle: SharedSignInThrottle

    struct Login: Decodable {
        var name: String
        var password: String
        var label: String?
    }

    struct IssuedToken: Encodable {
        var token: String
        var user: Principal
    }

    struct Session: Encodable {
        var user: Principal?
        var csrfToken: String?

        private enum CodingKeys: String, CodingKey { case user, csrfToken }

        /// Both fields always present: `null` when not signed in.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(user, forKey: .user)
            try container.encode(csrfToken, forKey: .csrfToken)
        }
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("auth/token") { request, context in
            let (principal, token) = try await signIn(request, context)
            return try JSONResponse.make(IssuedToken(token: token, user: principal), status: .created)
        }
        router.post("auth/session") { request, context in
            try SessionCookie.checkSameSite(request)
            let (principal, token) = try await signIn(request, context)
            // Signing in again from the same browser ends the session it had: one browser, one session.
            if let previous = SessionCookie.token(in: request, secure: secureCookie), previous != token, let holder = try database.principal(forToken: previous) {
                try database.revokeToken(previous, actor: holder.name)
            }
            var response = try JSONResponse.make(Session(user: principal, csrfToken: SessionCookie.csrfToken(for: token)), status: .created)
            response.headers[.setCookie] = SessionCookie.setting(token, lifetime: signInLifetime, request: request, secure: secureCookie)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        // A page loaded again learns from here whether it is signed in (user null when not), and its CSRF token.
        router.get("auth/session") { request, _ in
            guard let token = SessionCookie.token(in: request, secure: secureCookie), let principal = try database.principal(forToken: token) else {
                return try JSONResponse.make(Session(user: nil, csrfToken: nil))
            }
            var response = try JSONResponse.make(Session(user: principal, csrfToken: SessionCookie.csrfToken(for: token)))
            response.headers[.cacheControl] = "no-store"
            return response
        }
        // Signing out ends the session on the server: the cookie's token is revoked, not only forgotten.
        router.delete("auth/session") { request, _ in
            guard let token = SessionCookie.token(in: request, secure: secureCookie), let principal = try database.principal(forToken: token) else {
                throw Problem.unauthorized("not signed in")
            }
            try SessionCookie.checkCSRF(request, token: token)
            try database.revokeToken(token, actor: principal.name)
            return Response(status: .noContent, headers: [.setCookie: SessionCookie.clearing(request, secure: secureCookie)])
        }
        // Signing out revokes the token presented, so a copy left in a browser or a log is useless.
        router.delete("auth/token") { request, _ in
            // Bearer only: the session cookie signs out through DELETE /auth/session, with its CSRF token.
            guard case .bearer(let token) = try BearerAuthMiddleware.credential(request, secureCookie: secureCookie) else {
                throw Problem.unauthorized("send a bearer token: Authorization: Bearer <token>")
            }
            guard let principal = try database.principal(forToken: token) else {
                throw Problem.unauthorized("the bearer token is unknown, expired or revoked")
            }
            try database.revokeToken(token, actor: principal.name)
            return Response(status: .noContent)
        }
    }

    /// Checks a name and password (throttled, bcrypt off the request threads) and issues a sign-in token.
    private func signIn(_ request: Request, _ context: AppRequestContext) async throws -> (Principal, String) {
        let login = try await JSONBody.decode(Login.self, from: request, allowedFields: ["name", "password", "label"])
        let name = login.name.lowercased(), address = context.clientAddress ?? "unknown"
        let principal = try await throttle.checkPassword(name: name, address: address) { isUrgent in
            try await database.verifyPasswordInBackground(name: login.name, password: login.password, from: context.clientAddress, isUrgent: isUrgent)
        }
        guard let principal else {
            context.logger.notice("sign-in refused: wrong name or password")
            throw Problem.unauthorized("the name or password is wrong")
        }
        let label = String((login.label ?? "login").prefix(100))
        let token = try database.issueToken(forUser: principal.name, label: label, actor: principal.name, lifetime: signInLifetime)
        return (principal, token)
    }
}
