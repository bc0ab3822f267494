import CascadeCore
import CascadeMedia
import CascadeStore
import Foundation

/// Everything `cascade serve` is configured with, validated.
public struct Configuration: Sendable {
    /// The HTTP listening address.
    public var http: HostAndPort
    /// The data directory (database, worker sockets, later recordings).
    public var dataDirectory: String
    /// The zone meetings are entered and shown in.
    public var zone: TimeZone
    /// The unit tree and halls.
    public var tree: UnitTree
    /// Elements /healthz requires beyond Cascade's own list.
    public var extraRequiredElements: [String]
    /// Limits for bookings.
    public var bookingRules: BookingRules
    /// Part length and free-space floor for recordings.
    public var recording: RecordingDefaults
    /// The default SRT passphrase for WAN hops (from `CASCADE_SRT_PASSPHRASE` when set).
    public var srtPassphrase: String?
    /// Ports, address and encoding of relays.
    public var relay = RelayDefaults()
    /// How long an API token (`cascade token issue`) lasts.
    public var apiTokenLifetime = AppDatabase.apiTokenLifetime
    /// How long a sign-in (the web UI, `POST /auth/token`) lasts.
    public var signInLifetime = AppDatabase.signInTokenLifetime
    /// `server.secureCookie`: the web sign-in cookie is always Secure and named `__Host-cascade_session`
    /// (turn on when browsers reach Cascade over HTTPS, directly or through a proxy).
    public var secureCookie = false
    /// `server.trustedProxies` / `server.forwardedHeader`: reverse proxies whose word on the client's address is taken.
    public var trustedProxies = TrustedProxies()
    /// `server.idleSeconds`, `server.maxConnections`, `server.eventStreamsPerUser`.
    public var connections = ConnectionLimits()
    /// Where meetings' pictures come from, and each unit's default.
    public var feeds = FeedCatalogue()
    /// How the scheduler runs meetings.
    public var scheduler = SchedulerDefaults()
    /// The office's other systems told of meeting transitions and alarms.
    public var webhooks: [WebhookTarget] = []
    /// Retention, access to confidential media, minutes' document numbers and attachments.
    public var archive = ArchiveDefaults()
    /// The file this configuration was read from (an administrator's reload reads it again).
    public var sourcePath: String?

    /// Every element /healthz checks.
    public var requiredElements: [String] { GStreamer.requiredElements + extraRequiredElements.filter { !GStreamer.requiredElements.contains($0) } }
}

/// How long a connection may sit idle and how many the server holds (a few thousand half-sent
/// requests must not take every file descriptor).
public struct ConnectionLimits: Sendable {
    /// A connection that sends no complete request (or nothing more) for this long is closed; a
    /// request's headers must arrive within it too.
    public var idleSeconds = 30
    /// Connections held at once; past it new ones wait in the kernel's queue.
    public var maxConnections = 4_000
    /// `/api/v1/events` streams one user may hold; a further one closes their oldest.
    public var eventStreamsPerUser = 4
}

/// How recordings are cut and guarded.
public struct RecordingDefaults: Sendable {
    /// Longest part, in seconds.
    public var partSeconds = 600
    /// Free-space floor in bytes …
    public var freeSpaceFloorBytes: Int64 = 2 << 30
    /// … or as a fraction of the disk, whichever is smaller.
    public var freeSpaceFloorFraction = 0.05
}

/// How the scheduler runs meetings.
public struct SchedulerDefaults: Sendable {
    /// Whether meetings run themselves (off only for a server that must not start relays).
    public var isEnabled = true
    /// How long the relay stays up after the booked end, in seconds.
    public var grace: TimeInterval = 600
    /// How long before the start every hall must be connected and confirmed, in seconds.
    public var readinessLead: TimeInterval = 600
}

/// How the archive is kept.
public struct ArchiveDefaults: Sendable {
    /// Days kept per classification, and the free-space watermark.
    public var retention = RetentionPolicy()
    /// The roles that may play and download a confidential meeting's media and attachments.
    public var confidentialMediaRoles: Set<Role> = [.admin, .secretariat]
    /// How document numbers must look.
    public var minutesRules = try! MinutesRules()
    /// The largest attachment, in bytes.
    public var attachmentMaximumBytes = 25 << 20
    /// All attachments of one meeting together.
    public var attachmentQuotaBytes: Int64 = 200 << 20
}

/// An address told of meeting events, with the key its deliveries are signed with.
public struct WebhookTarget: Sendable {
    /// http:// or https:// URL.
    public var url: String
    /// Event kinds sent (`meeting.rehearsal`, `meeting.live`, `meeting.held`, `meeting.failed`,
    /// `meeting.cancelled`, `meeting.alarm`); empty means all.
    public var events: Set<String>
    /// HMAC-SHA256 key of the `Cascade-Signature` header.
    public var secret: String
}

/// Where relays listen and what the root hop encodes.
public struct RelayDefaults: Sendable {
    /// UDP ports for relay listeners.
    public var ports: ClosedRange<Int> = 9000...9099
    /// The address halls call, written into the URLs technicians give to decoders.
    public var advertisedHost = "127.0.0.1"
    /// Picture width.
    public var width = 1280
    /// Picture height.
    public var height = 720
    /// Frames per second (and GOP length).
    public var framerate = 25
    /// H.264 bitrate.
    public var videoKbps = 2500
    /// Input silence before the slate, in milliseconds.
    public var lossAfterMs = 1000
    /// Hops a LAN hall's multicast may cross (0 keeps it on this machine).
    public var multicastTTL = 8
}

/// A `host:port` pair.
public struct HostAndPort: Sendable, Equatable, CustomStringConvertible {
    /// Host name or address.
    public var host: String
    /// TCP port (0 picks a free one).
    public var port: Int

    /// Parses `host:port` (`[v6]:port` for IPv6); `nil` when malformed.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    /// `host:port`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A configuration problem: one line naming the file, the entry and the problem.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The file read.
    public var file: String
    /// The entry at fault (empty for file-level problems).
    public var entry: String
    /// What is wrong.
    public var problem: String

    /// `file: entry: problem`.
    public var description: String { entry.isEmpty ? "\(file): \(problem)" : "\(file): \(entry): \(problem)" }
}
