import CascadeMedia
import CascadeStore
import Foundation
import Hummingbird

/// `/healthz`, `/openapi.yaml` and the web UI: public, no token.
struct SystemRoutes {
    let dependencies: HTTPDependencies

    struct Health: Codable {
        var status: String
        var problems: [String]
        var database: DatabaseHealth
        var gstreamer: GStreamerHealth
        var workers: Int
    }

    struct GStreamerHealth: Codable {
        var version: String
        var requiredElements: [String]
        var missingElements: [String]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in try await health() }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
        }
        router.get("/") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'"],
                body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.index_html))
            )
        }
    }

    private func health() async throws -> Response {
        let database = dependencies.database.health()
        let missing = GStreamer.missingElements(dependencies.requiredElements)
        var problems = missing.map { "GStreamer element \($0) is not installed" }
        if !database.isReachable { problems.append("database: \(database.problem ?? "unreachable")") }
        if !database.pendingMigrations.isEmpty { problems.append("database migrations pending: \(database.pendingMigrations.joined(separator: ", "))") }
        let workers = await dependencies.supervisor.runningWorkerIds.count
        let body = Health(
            status: problems.isEmpty ? "ok" : "unavailable",
            problems: problems,
            database: database,
            gstreamer: GStreamerHealth(version: GStreamer.version, requiredElements: dependencies.requiredElements, missingElements: missing),
            workers: workers
        )
        return try JSONResponse.make(body, status: problems.isEmpty ? .ok : .serviceUnavailable)
    }
}
