import CascadeCore
import Foundation
import Testing

/// Password guessing is slowed per name and address, with growing delays; nobody can lock a colleague out.
@Suite struct SignInThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func delaysGrowForOnePairAndResetAfterSuccess() {
        var throttle = SignInThrottle()
        var now = start
        for _ in 0..<3 {
            #expect(throttle.retryAfter(name: "vp", address: "203.0.113.5", now: now) == nil)
            throttle.recordFailure(name: "vp", address: "203.0.113.5", now: now)
        }
        #expect(throttle.retryAfter(name: "vp", address: "203.0.113.5", now: now) == 1)
        var delays: [Int] = []
        for _ in 0..<5 {
            let wait = throttle.retryAfter(name: "vp", address: "203.0.113.5", now: now) ?? 0
            delays.append(wait)
            now += TimeInterval(wait)
            #expect(throttle.retryAfter(name: "vp", address: "203.0.113.5", now: now) == nil)
            throttle.recordFailure(name: "vp", address: "203.0.113.5", now: now)
        }
        #expect(delays == [1, 2, 4, 8, 16])
        throttle.recordSuccess(name: "vp", address: "203.0.113.5")
        #expect(throttle.retryAfter(name: "vp", address: "203.0.113.5", now: now) == nil)
    }

    @Test func wrongPasswordsElsewhereNeverLockTheNameAtItsOwnDesk() {
        var throttle = SignInThrottle()
        for _ in 0..<20 { throttle.recordFailure(name: "vp", address: "198.51.100.7", now: start) }
        #expect(throttle.retryAfter(name: "vp", address: "198.51.100.7", now: start) != nil)
        #expect(throttle.retryAfter(name: "vp", address: "10.1.1.20", now: start) == nil, "the secretariat's own desk is not locked out")
    }

    @Test func oneAddressHasACeilingOverAllNames() {
        var throttle = SignInThrottle()
        for index in 0..<30 { throttle.recordFailure(name: "user\(index)", address: "198.51.100.7", now: start) }
        let wait = throttle.retryAfter(name: "someone-new", address: "198.51.100.7", now: start)
        #expect(wait == 600)
        #expect(throttle.retryAfter(name: "someone-new", address: "198.51.100.7", now: start + 601) == nil, "the window passes")
    }

    @Test func delaysAreCapped() {
        var throttle = SignInThrottle()
        throttle.addressCeiling = 10_000
        for _ in 0..<40 { throttle.recordFailure(name: "vp", address: "198.51.100.7", now: start) }
        #expect(throttle.retryAfter(name: "vp", address: "198.51.100.7", now: start) == 900)
    }
}
