import CascadeCore
import CascadeStore
import Foundation
import Hummingbird
import Synchronization

/// `POST /auth/token`: exchange a name and password for a bearer token (the web UI's login).
struct SessionRoutes {
    let database: AppDatabase
    /// How long a sign-in token lasts (`server.signInHours`).
    let signInLifetime: TimeInterval
    /// Growing delays per name and address, a ceiling per address (see ``SignInThrottle``).
    let throttle = SharedThrottle()

    /// The throttle, shared by every request.
    final class SharedThrottle: Sendable {
        private let state = Mutex(SignInThrottle())

        func withLock<Result>(_ body: (inout SignInThrottle) -> Result) -> Result { state.withLock { body(&$0) } }
    }

    struct Login: Decodable {
        var name: String
        var password: String
        var label: String?
    }

    struct IssuedToken: Encodable {
        var token: String
        var user: Principal
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("auth/token") { request, context in
            let login = try await JSONBody.decode(Login.self, from: request, allowedFields: ["name", "password", "label"])
            let name = login.name.lowercased(), address = context.clientAddress ?? "unknown"
            if let wait = throttle.withLock({ $0.retryAfter(name: name, address: address, now: Date()) }) {
                throw Problem(status: .tooManyRequests, code: "too-many-attempts", detail: "too many failed sign-ins; try again in \(wait) s")
                    .withHeader(.retryAfter, String(wait))
            }
            // bcrypt takes a quarter of a second: it runs off the request threads, a few at a time.
            guard let principal = try await database.verifyPasswordInBackground(name: login.name, password: login.password) else {
                throttle.withLock { $0.recordFailure(name: name, address: address, now: Date()) }
                throw Problem.unauthorized("the name or password is wrong")
            }
            throttle.withLock { $0.recordSuccess(name: name, address: address) }
            let label = String((login.label ?? "login").prefix(100))
            let token = try database.issueToken(forUser: principal.name, label: label, actor: principal.name, lifetime: signInLifetime)
            return try JSONResponse.make(IssuedToken(token: token, user: principal), status: .created)
        }
        // Signing out revokes the token presented, so a copy left in a browser or a log is useless.
        router.delete("auth/token") { request, _ in
            let token = try BearerAuthMiddleware.bearerToken(request)
            guard let principal = try database.principal(forToken: token) else {
                throw Problem.unauthorized("the bearer token is unknown, expired or revoked")
            }
            try database.revokeToken(token, actor: principal.name)
            return Response(status: .noContent)
        }
    }
}
