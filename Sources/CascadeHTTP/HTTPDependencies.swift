import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation
import NIOPosix

/// What the routes need, wired by the composition root.
public struct HTTPDependencies: Sendable {
    /// The store.
    public var database: AppDatabase
    /// The unit tree and the feeds, replaced together when an administrator reloads the configuration.
    public let topology: LiveTopology
    /// The configured unit tree and the rules over it (as of this moment).
    public var policy: AccessPolicy {
        get { topology.policy }
        nonmutating set { topology.replace(tree: newValue.tree) }
    }
    /// The worker supervisor.
    public var supervisor: Supervisor
    /// GStreamer elements /healthz requires (Cascade's own list plus any the configuration adds).
    public var requiredElements: [String]
    /// Limits for bookings.
    public var bookingRules: BookingRules
    /// The zone meetings are entered and shown in.
    public var zone: TimeZone
    /// The recording service.
    public var recordings: RecordingService?
    /// The relay service.
    public var relays: RelayService?
    /// The scheduler that runs meetings (absent when the configuration turns it off).
    public var scheduler: MeetingScheduler?
    /// Where meetings' pictures come from (as of this moment).
    public var feeds: FeedCatalogue {
        get { topology.feeds }
        nonmutating set { topology.replace(feeds: newValue) }
    }
    /// Reads the configuration file again and applies its units, halls and feeds; `nil` when the
    /// server was not started from a file (tests).
    public var reloadTopology: (@Sendable () async throws -> TopologyCounts)?
    /// How long the scheduler keeps a meeting's relay up after its booked end.
    public var runGrace: TimeInterval = 600
    /// Part length when a request gives none.
    public var defaultPartSeconds = 600
    /// Reads meetings' recorded parts for playback and download.
    public var mediaLibrary: MeetingMediaLibrary?
    /// Retention, holds and the integrity check.
    public var archiveKeeper: ArchiveKeeper?
    /// How minutes are checked (the document number pattern).
    public var minutesRules = try! MinutesRules()
    /// Where attachments are kept (server-chosen names); `nil` refuses uploads.
    public var attachmentsDirectory: String?
    /// The largest attachment accepted.
    public var attachmentMaximumBytes = 25 << 20
    /// All attachments of one meeting together (`archive.attachmentQuotaMegabytes`).
    public var attachmentQuotaBytes: Int64 = 200 << 20
    /// When each person's part fetches were last audited.
    let partAudit = PartAuditThrottle()
    /// The roles that may play and download a confidential meeting's media and attachments.
    public var confidentialMediaRoles: Set<Role> = [.admin, .secretariat]
    /// The data directory (database, recordings): its disk's free space is part of the health report.
    public var dataDirectory: String?
    /// `server.secureCookie`: the web sign-in cookie is always Secure and `__Host-` prefixed (behind HTTPS).
    public var secureCookie = false
    /// How long a sign-in token lasts.
    public var signInLifetime = AppDatabase.signInTokenLifetime
    /// `server.trustedProxies`: the reverse proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies = TrustedProxies()
    /// `relay.ports`: no source may bind one of them.
    public var relayPorts: ClosedRange<Int> = 9000...9099
    /// One throttle over every password check (sign-ins and password changes).
    public let signInThrottle = SharedSignInThrottle()
    /// `/api/v1/events` streams open now, at most `server.eventStreamsPerUser` per user.
    var eventStreams = EventStreamRegistry(limitPerUser: 4)
    /// `server.eventStreamsPerUser`.
    public var eventStreamsPerUser: Int {
        get { eventStreams.limitPerUser }
        set { eventStreams = EventStreamRegistry(limitPerUser: newValue) }
    }

    /// Creates the dependencies.
    public init(database: AppDatabase, policy: AccessPolicy, supervisor: Supervisor, requiredElements: [String],
                bookingRules: BookingRules = BookingRules(), zone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!) {
        self.database = database
        topology = LiveTopology(tree: policy.tree)
        self.supervisor = supervisor
        self.requiredElements = requiredElements
        self.bookingRules = bookingRules
        self.zone = zone
    }

    /// Runs a database call whose cost grows with the data — a list, a range, a calendar, a booking
    /// with its conflict check — on NIO's pool for blocking work, so the two threads that serve
    /// every request never wait on SQLite. Point lookups by key stay where they are.
    func offloaded<Value: Sendable>(_ body: @escaping @Sendable (AppDatabase) throws -> Value) async throws -> Value {
        let database = self.database
        return try await NIOThreadPool.singleton.runIfActive { try body(database) }
    }

    /// The booking context for a request made now.
    func bookingContext(zone: TimeZone? = nil) -> BookingContext {
        BookingContext(checker: ConflictChecker(tree: policy.tree), rules: bookingRules, zone: Zone(zone ?? self.zone))
    }

    /// Longest span a meeting window can have, for range queries.
    var maximumSpan: TimeInterval { bookingRules.maximumDuration + 4 * 3600 }

    /// Throws 403 unless `principal` may perform `permission` (on `unitId`, when given).
    func authorize(_ principal: Principal, _ permission: Permission, onUnit unitId: String? = nil) throws {
        if case .denied(let reason) = policy.decide(principal, permission, onUnit: unitId) {
            throw Problem.forbidden(reason)
        }
    }
}

/// What a reload of the configuration brought.
public struct TopologyCounts: Sendable, Encodable {
    /// Units in the tree.
    public var units: Int
    /// Halls in the tree.
    public var halls: Int
    /// Feeds configured.
    public var feeds: Int

    /// Creates the counts.
    public init(units: Int, halls: Int, feeds: Int) {
        self.units = units
        self.halls = halls
        self.feeds = feeds
    }
}

/// A configuration file that could not be applied (the reload changed nothing).
public struct ConfigurationProblem: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the file and the entry.
    public var description: String

    /// Creates the problem.
    public init(_ description: String) { self.description = description }
}
