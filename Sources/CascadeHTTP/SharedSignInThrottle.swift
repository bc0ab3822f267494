import CascadeCore
import CascadeStore
import Foundation
import Hummingbird
import Synchronization

/// The server's one ``SignInThrottle``, shared by every request that checks a password (sign-in,
/// a password change): guesses through either count together.
public final class SharedSignInThrottle: Sendable {
    private let state = Mutex(SignInThrottle())

    /// Creates an empty throttle.
    public init() {}

    /// Runs `body` with the throttle locked.
    func withLock<Result>(_ body: (inout SignInThrottle) -> Result) -> Result { state.withLock { body(&$0) } }
}

extension SharedSignInThrottle {
    /// Runs `check` (a password check that returns `nil` when the password is wrong) for `name` from
    /// `address` under the throttle: refused with 429 and `Retry-After` when that pair or address must
    /// wait, with 503 and `Retry-After` when the password queue is full (the attempt then counts for
    /// nothing). The attempt counts as a failure from the moment it is admitted. `check` learns
    /// whether the attempt is urgent (a clean pair and address: it goes ahead of the rest).
    func checkPassword<Value: Sendable>(name: String, address clientAddress: String, _ check: (_ isUrgent: Bool) async throws -> Value?) async throws -> Value? {
        let now = Date(), address = SignInThrottle.addressKey(clientAddress)
        var isUrgent = false
        let refusal = withLock { throttle -> Int? in
            isUrgent = throttle.isClean(name: name, address: address, now: now)
            return throttle.admit(name: name, address: address, now: now)
        }
        if let wait = refusal {
            throw Problem(status: .tooManyRequests, code: "too-many-attempts", detail: "too many wrong passwords; try again in \(wait) s")
                .withHeader(.retryAfter, String(wait))
        }
        let value: Value?
        do {
            value = try await check(isUrgent)
        } catch let error as StoreError where error.code == .busy {
            withLock { $0.withdraw(name: name, address: address) }
            throw Problem(status: .serviceUnavailable, code: "busy", detail: error.message).withHeader(.retryAfter, "5")
        } catch {
            withLock { $0.withdraw(name: name, address: address) }
            throw error
        }
        if value != nil {
            withLock { $0.recordSuccess(name: name, address: address) }
        } else {
            withLock { $0.recordAdmittedFailure(name: name, address: address, now: Date()) }
        }
        return value
    }
}
