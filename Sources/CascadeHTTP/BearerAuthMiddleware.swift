import CascadeCore
import CascadeStore
import Hummingbird

/// Requires `Authorization: Bearer <token>` and resolves it to the user: 401 when missing or unknown.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("send a bearer token: Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("the Authorization header must use the Bearer scheme")
        }
        guard let principal = try database.principal(forToken: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw Problem.unauthorized("the bearer token is unknown or revoked")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "user"] = "\(principal.name)"
        return try await next(request, context)
    }
}
