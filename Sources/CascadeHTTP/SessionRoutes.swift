import CascadeCore
import CascadeStore
import Hummingbird

/// `POST /auth/token`: exchange a name and password for a bearer token (the web UI's login).
struct SessionRoutes {
    let database: AppDatabase
    /// Five failures lock one name; an office behind one address gets more room before it is slowed.
    let nameThrottle = LoginThrottle(limit: 5)
    let addressThrottle = LoginThrottle(limit: 30)

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
            if let wait = [nameThrottle.retryAfter([name]), addressThrottle.retryAfter([address])].compactMap({ $0 }).max() {
                throw Problem(status: .tooManyRequests, code: "too-many-attempts", detail: "too many failed sign-ins; try again in \(wait) s")
                    .withHeader(.retryAfter, String(wait))
            }
            guard let principal = try database.verifyPassword(name: login.name, password: login.password) else {
                nameThrottle.recordFailure([name])
                addressThrottle.recordFailure([address])
                throw Problem.unauthorized("the name or password is wrong")
            }
            nameThrottle.recordSuccess(name)
            let label = String((login.label ?? "login").prefix(100))
            let token = try database.issueToken(forUser: principal.name, label: label, actor: principal.name, lifetime: AppDatabase.signInTokenLifetime)
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
