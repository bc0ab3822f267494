import CascadeMedia
import CascadeStore
import Foundation
import HTTPTypes
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
        registerPages(on: router)
    }

    /// The home page, the player page and their assets: no inline script or style, everything from
    /// Cascade itself.
    private func registerPages(on router: Router<AppRequestContext>) {
        let policy = "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        let assets: [(String, String, [UInt8])] = [
            ("/", "text/html; charset=utf-8", PackageResources.index_html),
            ("assets/app.css", "text/css; charset=utf-8", PackageResources.app_css),
            ("assets/app.js", "text/javascript; charset=utf-8", PackageResources.app_js),
            ("watch", "text/html; charset=utf-8", PackageResources.watch_html),
            ("assets/watch.css", "text/css; charset=utf-8", PackageResources.watch_css),
            ("assets/player.js", "text/javascript; charset=utf-8", PackageResources.player_js),
        ]
        for (path, type, bytes) in assets {
            router.get(RouterPath(stringLiteral: path)) { _, _ in
                Response(status: .ok, headers: [.contentType: type, .contentSecurityPolicy: policy, .cacheControl: "no-cache",
                                                HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                         body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
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
