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

/// Attempts count from the moment they are admitted, not when their bcrypt finishes.
@Suite struct SignInThrottleAdmissionTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func attemptsInFlightCountAgainstTheAddress() {
        var throttle = SignInThrottle()
        var admitted = 0
        for index in 0..<500 where throttle.admit(name: "user\(index)", address: "198.51.100.7", now: start) == nil { admitted += 1 }
        #expect(admitted == 30, "a burst sent at once passes only the address ceiling")
        #expect(throttle.admit(name: "vp", address: "10.1.1.20", now: start) == nil, "another desk is not held up")
    }

    @Test func aSuccessOrAnUncheckedAttemptTakesItsCountBack() {
        var throttle = SignInThrottle()
        // Five tablets of one hall's clerk behind one address sign in at once: none is refused.
        for _ in 0..<5 { #expect(throttle.admit(name: "vp", address: "10.1.1.20", now: start) == nil) }
        for _ in 0..<5 { throttle.recordSuccess(name: "vp", address: "10.1.1.20") }
        // Three that turn out wrong start the name's delays.
        for _ in 0..<3 {
            #expect(throttle.admit(name: "vp", address: "10.1.1.20", now: start) == nil)
            throttle.recordAdmittedFailure(name: "vp", address: "10.1.1.20", now: start)
        }
        #expect(throttle.admit(name: "vp", address: "10.1.1.20", now: start) != nil, "after three wrong passwords the name waits")
        throttle.recordSuccess(name: "vp", address: "10.1.1.20")
        #expect(throttle.admit(name: "vp", address: "10.1.1.20", now: start) == nil, "a success forgets the pair")
        throttle.withdraw(name: "vp", address: "10.1.1.20")
        for index in 0..<29 { _ = throttle.admit(name: "user\(index)", address: "10.1.1.30", now: start) }
        throttle.recordSuccess(name: "user0", address: "10.1.1.30")
        #expect(throttle.admit(name: "other", address: "10.1.1.30", now: start) == nil)
        #expect(throttle.admit(name: "other2", address: "10.1.1.30", now: start) == nil)
        #expect(throttle.admit(name: "other3", address: "10.1.1.30", now: start) != nil, "the ceiling counts what is left")
    }
}

/// One IPv6 client holds a whole /64: its addresses count as one.
@Suite struct SignInThrottleAddressTests {
    @Test func anIPv6ClientIsCountedByItsSlash64() {
        #expect(SignInThrottle.addressKey("2001:db8:1:2:aaaa::1") == SignInThrottle.addressKey("2001:db8:1:2:bbbb:cccc:dddd:9"))
        #expect(SignInThrottle.addressKey("2001:db8:1:2::1") != SignInThrottle.addressKey("2001:db8:1:3::1"))
        #expect(SignInThrottle.addressKey("203.0.113.7") == "203.0.113.7")
        #expect(SignInThrottle.addressKey("unknown") == "unknown")
    }
}
