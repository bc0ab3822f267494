import CascadeEngine
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
        var disk: DiskHealth?
    }

    struct DiskHealth: Codable {
        var freeBytes: Int64
        var totalBytes: Int64
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
        let html = "text/html; charset=utf-8", script = "text/javascript; charset=utf-8", style = "text/css; charset=utf-8"
        // The web application: one page, its style, and one JavaScript module per screen.
        let assets: [(String, String, [UInt8])] = [
            ("/", html, PackageResources.index_html),
            ("assets/app.css", style, PackageResources.app_css),
            ("assets/app.js", script, PackageResources.app_js),
            ("assets/api.js", script, PackageResources.api_js),
            ("assets/ui.js", script, PackageResources.ui_js),
            ("assets/strings.js", script, PackageResources.strings_js),
            ("assets/strings-vi.js", script, PackageResources.strings_vi_js),
            ("assets/strings-en.js", script, PackageResources.strings_en_js),
            ("assets/calendar.js", script, PackageResources.calendar_js),
            ("assets/booking.js", script, PackageResources.booking_js),
            ("assets/meeting.js", script, PackageResources.meeting_js),
            ("assets/rollcall.js", script, PackageResources.rollcall_js),
            ("assets/minutes.js", script, PackageResources.minutes_js),
            ("assets/console.js", script, PackageResources.console_js),
            ("assets/archive.js", script, PackageResources.archive_js),
            ("assets/admin.js", script, PackageResources.admin_js),
            ("assets/player.js", script, PackageResources.player_js),
            ("watch", html, PackageResources.watch_html),
            ("assets/watch.css", style, PackageResources.watch_css),
            ("assets/watch.js", script, PackageResources.watch_js),
        ]
        for (path, type, bytes) in assets {
            router.get(RouterPath(stringLiteral: path)) { _, _ in
                Response(status: .ok, headers: [.contentType: type, .contentSecurityPolicy: policy, .cacheControl: "no-cache",
                                                HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                         body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
    }

    /// Free and total bytes of the file system holding `directory`.
    static func disk(_ directory: String) -> DiskHealth? {
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: directory),
              let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value,
              let total = (attributes[.systemSize] as? NSNumber)?.int64Value else { return nil }
        return DiskHealth(freeBytes: free, totalBytes: total)
    }

    private func health() async throws -> Response {
        let database = dependencies.database.health()
        let missing = MediaPlatform.missingElements(dependencies.requiredElements)
        var problems = missing.map { "GStreamer element \($0) is not installed" }
        if !database.isReachable { problems.append("database: \(database.problem ?? "unreachable")") }
        if !database.pendingMigrations.isEmpty { problems.append("database migrations pending: \(database.pendingMigrations.joined(separator: ", "))") }
        let workers = await dependencies.supervisor.runningWorkerIds.count
        let body = Health(
            status: problems.isEmpty ? "ok" : "unavailable",
            problems: problems,
            database: database,
            gstreamer: GStreamerHealth(version: MediaPlatform.version, requiredElements: dependencies.requiredElements, missingElements: missing),
            workers: workers,
            disk: dependencies.dataDirectory.flatMap(Self.disk)
        )
        return try JSONResponse.make(body, status: problems.isEmpty ? .ok : .serviceUnavailable)
    }
}
