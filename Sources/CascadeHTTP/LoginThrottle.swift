import Foundation
import Synchronization

/// Slows password guessing: after `limit` failed logins for a name (or from one address) within
/// `window`, further attempts are refused with 429 until the window has passed.
final class LoginThrottle: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval

    init(limit: Int = 5, window: TimeInterval = 600) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before `keys` may try again, or `nil` when they may try now.
    func retryAfter(_ keys: [String], now: Date = Date()) -> Int? {
        failures.withLock { table in
            var wait: TimeInterval = 0
            for key in keys {
                let recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < window }
                table[key] = recent
                if recent.count >= limit, let oldest = recent.first { wait = max(wait, window - now.timeIntervalSince(oldest)) }
            }
            return wait > 0 ? Int(wait.rounded(.up)) : nil
        }
    }

    /// Records a failed attempt for each key.
    func recordFailure(_ keys: [String], now: Date = Date()) {
        failures.withLock { table in
            for key in keys { table[key, default: []].append(now) }
            if table.count > 10_000 { table = table.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < window } }
        }
    }

    /// Forgets the failures of a name after a successful login.
    func recordSuccess(_ key: String) {
        _ = failures.withLock { $0.removeValue(forKey: key) }
    }
}
