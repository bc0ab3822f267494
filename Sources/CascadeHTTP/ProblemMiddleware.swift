import CascadeCore
import CascadeEngine
import CascadeStore
import Hummingbird
import Logging

/// Turns every error a route throws into an RFC 9457 problem response; nothing leaks as a bare 500.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// The path as logs may hold it: a player link's token (a working credential in the path) is cut.
    static func loggable(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 3, parts[1] == "play" else { return path }
        return (parts.prefix(3) + ["…"] + parts.dropFirst(4)).joined(separator: "/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response(extraHeaders: problem.status == 401 ? [.wwwAuthenticate: "Bearer realm=\"cascade\""] : [:])
        } catch let error as any ProblemError {
            // Every module's error says its own status (StoreError, BookingError, EngineError, RelayError, …).
            let problem = Problem(error)
            if problem.status == 500 { context.logger.error("internal error", metadata: ["error": "\(error.message)", "path": "\(Self.loggable(request.uri.path))"]) }
            return problem.response()
        } catch let error as HTTPError {
            let status = error.status
            let detail = error.body ?? (status == .notFound ? "no route for \(request.method) \(request.uri.path)" : status.reasonPhrase)
            let code = status == .contentTooLarge ? "body-too-large" : status == .notFound ? "not-found" : "http-\(status.code)"
            return Problem(status: status, code: code, detail: detail).response(extraHeaders: error.headers)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(Self.loggable(request.uri.path))"])
            return Problem(status: .internalServerError, code: "internal", detail: "the server could not complete the request").response()
        }
    }
}
