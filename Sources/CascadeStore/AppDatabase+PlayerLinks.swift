import CascadeCore
import Foundation

/// Player links: a short-lived address that plays one meeting's recording in a player that cannot
/// send an `Authorization` header (VLC, ffplay, a meeting room's television). The token in it reads
/// that meeting's playlist and parts and nothing else; it is one of its user's tokens (listed,
/// revocable, revoked with the others on a password reset, dead once the user is disabled).
extension AppDatabase {
    /// How long a player link works.
    public static let playerLinkLifetime: TimeInterval = 4 * 3_600

    /// Issues a player link token of `userName` for `meetingId`.
    public func issuePlayerLinkToken(forUser userName: String, meetingId: String) throws(StoreError) -> String {
        try issueReadToken(forUser: userName, path: Self.playerLinkPath(meetingId), label: "player link", lifetime: Self.playerLinkLifetime, actor: userName)
    }

    /// The user of a live player link token made for `meetingId`, or `nil`.
    public func principal(forPlayerLinkToken token: String, meetingId: String, at now: Date = Date()) throws(StoreError) -> Principal? {
        try principal(forCalendarFeedToken: token, calendarPath: Self.playerLinkPath(meetingId), at: now)
    }

    /// The one path a player link token reads, as its token list shows it.
    static func playerLinkPath(_ meetingId: String) -> String { "/play/\(meetingId)" }
}
