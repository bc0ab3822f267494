import Foundation

/// Slows password guessing without letting anyone lock a colleague out.
///
/// Failures count per (name, address) pair: the first few are free, then each further attempt from
/// that pair waits twice as long as the one before (1 s, 2 s, 4 s, … up to `maximumDelay`). A wrong
/// password typed elsewhere never delays the secretariat at its own desk — locking a *name* for
/// everyone was a five-request denial of service. One address also has a ceiling over all names, so
/// spreading guesses over many names does not help either.
///
/// An attempt counts against its address's ceiling from the moment it is admitted, before its
/// password is checked: a burst of hundreds of requests sent at once would otherwise all pass (each
/// failure recorded only after its bcrypt finished) and queue minutes of hashing ahead of the real
/// users. A success takes its count back; so does an attempt the server could not check at all (its
/// password queue was full). The growing delays of a name follow its failures once known, so a
/// shared account signing in on several tablets behind one address at once is not refused.
public struct SignInThrottle: Sendable {
    /// Failures of one pair allowed before delays start.
    public var freeFailures = 3
    /// The longest delay for one pair.
    public var maximumDelay: TimeInterval = 900
    /// Failures from one address, over every name, within `window` before that address must wait.
    public var addressCeiling = 30
    /// How long a failure is remembered.
    public var window: TimeInterval = 600

    private struct PairRecord: Sendable {
        var failures = 0
        var lastFailure = Date.distantPast
    }

    private var pairs: [String: PairRecord] = [:]
    private var addresses: [String: [Date]] = [:]

    /// Creates a throttle with the default limits.
    public init() {}

    private static func pairKey(_ name: String, _ address: String) -> String { name.lowercased() + "\u{1F}" + address }

    /// The key an address is counted under: an IPv4 address as it is, an IPv6 one by its /64 (one
    /// client holds a whole /64, and would otherwise make every guess from a fresh address).
    public static func addressKey(_ address: String) -> String {
        guard let bytes = TrustedProxies.addressBytes(address), bytes.count == 16 else { return address }
        return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":") + "::/64"
    }

    /// Seconds `name` must wait before trying again from `address`, or `nil` when it may try now.
    public mutating func retryAfter(name: String, address: String, now: Date) -> Int? {
        forgetOld(name: name, address: address, now: now)
        var wait: TimeInterval = 0
        if let pair = pairs[Self.pairKey(name, address)], pair.failures >= freeFailures {
            let delay = min(maximumDelay, pow(2, Double(pair.failures - freeFailures)))
            wait = max(wait, delay - now.timeIntervalSince(pair.lastFailure))
        }
        if let recent = addresses[address], recent.count >= addressCeiling, let oldest = recent.first {
            wait = max(wait, window - now.timeIntervalSince(oldest))
        }
        return wait > 0 ? Int(wait.rounded(.up)) : nil
    }

    /// Whether neither the pair nor the address has a failure (or an attempt under way) in the window:
    /// such an attempt is most likely a person typing their password, and goes first.
    public mutating func isClean(name: String, address: String, now: Date) -> Bool {
        forgetOld(name: name, address: address, now: now)
        return pairs[Self.pairKey(name, address)] == nil && addresses[address] == nil
    }

    /// Lets an attempt of `name` from `address` go ahead, counting it as a failure until it proves
    /// otherwise; returns the seconds to wait instead when it may not try now.
    public mutating func admit(name: String, address: String, now: Date) -> Int? {
        if let wait = retryAfter(name: name, address: address, now: now) { return wait }
        addresses[address, default: []].append(now)
        return nil
    }

    /// An admitted attempt whose password was wrong: the pair's delays grow (the address counted it
    /// when it was admitted).
    public mutating func recordAdmittedFailure(name: String, address: String, now: Date) {
        pairs[Self.pairKey(name, address), default: PairRecord()].failures += 1
        pairs[Self.pairKey(name, address)]?.lastFailure = now
    }

    /// Records a wrong password for `name` from `address`.
    public mutating func recordFailure(name: String, address: String, now: Date) {
        forgetOld(name: name, address: address, now: now)
        pairs[Self.pairKey(name, address), default: PairRecord()].failures += 1
        pairs[Self.pairKey(name, address)]?.lastFailure = now
        addresses[address, default: []].append(now)
    }

    /// An admitted attempt that turned out right: the pair's failures are forgotten and the
    /// attempt's own count is taken back from the address.
    public mutating func recordSuccess(name: String, address: String) {
        pairs[Self.pairKey(name, address)] = nil
        takeBackOne(address: address)
    }

    /// An admitted attempt whose password was never checked (the server was too busy): it counts
    /// neither for nor against.
    public mutating func withdraw(name: String, address: String) {
        takeBackOne(address: address)
    }

    private mutating func takeBackOne(address: String) {
        guard var recent = addresses[address], !recent.isEmpty else { return }
        recent.removeLast()
        addresses[address] = recent.isEmpty ? nil : recent
    }

    /// Drops what is older than the window: this address's old failures, a pair quiet for longer than
    /// the window and the longest delay (its delays start over), and, past 10,000 entries, everything stale.
    private mutating func forgetOld(name: String, address: String, now: Date) {
        let key = Self.pairKey(name, address)
        if let pair = pairs[key], now.timeIntervalSince(pair.lastFailure) >= window + maximumDelay { pairs[key] = nil }
        if let dates = addresses[address] {
            let recent = dates.filter { now.timeIntervalSince($0) < window }
            addresses[address] = recent.isEmpty ? nil : recent
        }
        if pairs.count > 10_000 { pairs = pairs.filter { now.timeIntervalSince($0.value.lastFailure) < window + maximumDelay } }
        if addresses.count > 10_000 { addresses = addresses.filter { $0.value.last.map { now.timeIntervalSince($0) < window } ?? false } }
    }
}
