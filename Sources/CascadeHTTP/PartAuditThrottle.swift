import Foundation
import Synchronization

/// Decides when a ranged fetch of a recording part is written to the audit log: a player fetches a
/// part in dozens of ranges, and one entry per person and part in ten minutes says who watched what
/// without burying the log.
final class PartAuditThrottle: Sendable {
    private let lastAudited = Mutex<[String: Date]>([:])
    private let interval: TimeInterval

    init(interval: TimeInterval = 600) { self.interval = interval }

    /// Whether this fetch is to be audited (and, if so, notes that it was).
    func isDue(_ user: String, recording: Int64, part: Int, now: Date = Date()) -> Bool {
        let key = "\(user) r\(recording) \(part)"
        return lastAudited.withLock { seen in
            if let last = seen[key], now.timeIntervalSince(last) < interval { return false }
            if seen.count > 10_000 { seen = seen.filter { now.timeIntervalSince($0.value) < interval } }
            seen[key] = now
            return true
        }
    }
}
