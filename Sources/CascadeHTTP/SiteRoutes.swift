import CascadeCore
import Foundation
import Hummingbird

/// `/api/v1/site`: what the web application needs to show times and offer choices the way this
/// server is configured — the zone and today's date there, the feeds a booking or a relay may name
/// (never their addresses, which carry secrets), and the booking limits.
struct SiteRoutes {
    let dependencies: HTTPDependencies

    struct SiteView: Encodable {
        var zone: String
        var today: String
        var now: String
        var feeds: [FeedView]
        var defaultOrigin: String?
        var maximumDurationHours: Double
        var rehearsalMinutes: Int
    }

    struct FeedView: Encodable {
        var id: String
        var name: String
        var hasBackup: Bool
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("site") { _, context in
            _ = try context.requirePrincipal()
            let now = Date()
            let feeds = dependencies.feeds.feeds.values
                .filter { $0.hallId == nil }
                .sorted { $0.name < $1.name }
                .map { FeedView(id: $0.id, name: $0.name, hasBackup: $0.backupURI != nil) }
            let view = SiteView(
                zone: dependencies.zone.identifier, today: Zone(dependencies.zone).local(now).date.description,
                now: TimeInput.format(now, zone: dependencies.zone), feeds: feeds, defaultOrigin: dependencies.feeds.defaultOrigin,
                maximumDurationHours: dependencies.bookingRules.maximumDuration / 3600,
                rehearsalMinutes: dependencies.bookingRules.defaultRehearsalMinutes
            )
            return try JSONResponse.make(view)
        }
    }
}
