import CascadeCore
import CascadeStore
import Hummingbird

/// Requires `Authorization: Bearer <token>` and resolves it to the user: 401 when missing or unknown.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let token = try Self.bearerToken(request)
        guard let principal = try database.principal(forToken: token) else {
            throw Problem.unauthorized("the bearer token is unknown, expired or revoked")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "user"] = "\(principal.name)"
        return try await next(request, context)
    }

    /// The token of `Authorization: Bearer …` (or, for calendar feeds, of `?token=`); 401 when there is none.
    static func bearerToken(_ request: Request) throws -> String {
        let token: String
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw Problem.unauthorized("the Authorization header must use the Bearer scheme")
            }
            token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        } else if request.uri.path.hasSuffix(".ics"), let queryToken = request.uri.queryParameters.get("token") {
            // Calendar applications cannot send headers: calendar feeds also take the token in the URL.
            token = queryToken
        } else {
            throw Problem.unauthorized("send a bearer token: Authorization: Bearer <token>")
        }
        return token
    }
}
