import Foundation

/// A named source of a meeting's picture: the central site's stream arriving here, an encoder, or a
/// hall's own camera. Only the configuration holds its URIs (with secrets from the environment);
/// bookings and people name it by id.
public struct Feed: Sendable, Hashable {
    /// Identifier used in bookings (`origin`), e.g. `trung-uong` or a hall's id.
    public var id: String
    /// Display name, e.g. "Tín hiệu Trung ương".
    public var name: String
    /// Where the picture comes from (srt://, rtsp://, udp://, rtp:// or demo:).
    public var uri: String
    /// Where it comes from when the main path fails; a technician switches to it during a meeting.
    public var backupURI: String?
    /// The hall whose feed this is, when the origin is a hall: that hall does not receive the relay.
    public var hallId: String?
    /// Whether the stream arrives already normalised (H.264 + AAC in MPEG-TS, e.g. from the level
    /// above): the relay forwards it without decoding, so its sound is not metered.
    public var isPassThrough: Bool

    /// Creates a feed.
    public init(id: String, name: String, uri: String, backupURI: String? = nil, hallId: String? = nil, isPassThrough: Bool = false) {
        self.id = id
        self.name = name
        self.uri = uri
        self.backupURI = backupURI
        self.hallId = hallId
        self.isPassThrough = isPassThrough
    }
}

/// The configured feeds and which one a unit's meetings use when a booking names none.
public struct FeedCatalogue: Sendable {
    /// Feeds by id, the halls' own feeds included (under the hall's id).
    public private(set) var feeds: [String: Feed]
    /// Default origin per organiser unit (inherited down the tree).
    public var defaultOrigins: [String: String]
    /// The origin of meetings whose organiser has no default up its tree.
    public var defaultOrigin: String?

    /// Creates a catalogue.
    public init(feeds: [Feed] = [], defaultOrigins: [String: String] = [:], defaultOrigin: String? = nil) {
        self.feeds = Dictionary(feeds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.defaultOrigins = defaultOrigins
        self.defaultOrigin = defaultOrigin
    }

    /// The feed a booking names (`origin`), or the organiser's default; throws a message naming what
    /// is wrong when the origin is neither a feed nor a hall with a feed.
    public func feed(origin: String?, organiserUnitId: String, in tree: UnitTree) throws(OriginError) -> Feed {
        guard let id = origin ?? defaultOrigin(for: organiserUnitId, in: tree) else {
            throw OriginError("no origin given and none configured for unit \(organiserUnitId)")
        }
        if let feed = feeds[id] { return feed }
        if tree.hall(id) != nil { throw OriginError("hall \(id) has no feed in the configuration, so it cannot be the origin") }
        throw OriginError("origin \(id) is neither a feed nor a hall of the configuration")
    }

    /// The default origin of a unit's meetings: its own, else the nearest ancestor's, else the site's.
    public func defaultOrigin(for unitId: String, in tree: UnitTree) -> String? {
        var current: String? = unitId
        while let id = current {
            if let origin = defaultOrigins[id] { return origin }
            current = tree.unit(id)?.parentId
        }
        return defaultOrigin
    }
}

/// An origin that names no usable feed.
public struct OriginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the origin.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
