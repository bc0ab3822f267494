import Foundation
import Synchronization

/// Where services read the time and wait: the system's clock in the server, a manual one in tests.
public protocol WallClock: Sendable {
    /// Now.
    var now: Date { get }
    /// Waits `duration` of this clock's time.
    func sleep(for duration: Duration) async throws
}

/// The system's clock.
public struct SystemWallClock: WallClock {
    /// Creates the clock.
    public init() {}
    /// Now.
    public var now: Date { Date() }
    /// Waits in real time.
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// A clock that moves only when told: services' timing logic is tested in milliseconds.
public final class ManualWallClock: WallClock {
    private struct State {
        var now: Date
        var sleepers: [(deadline: Date, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>

    /// Starts at `start`.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: start))
    }

    /// Now, as set.
    public var now: Date { state.withLock { $0.now } }

    /// How many are waiting on this clock (a test advances it once the service it drives is waiting).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Returns when the clock has been advanced past `duration` from now.
    public func sleep(for duration: Duration) async throws {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                let deadline = state.now.addingTimeInterval(seconds)
                if deadline <= state.now { return true }
                state.sleepers.append((deadline, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Moves the clock forward and wakes whoever slept past the new time.
    public func advance(by seconds: TimeInterval) {
        let due = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.map(\.continuation)
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        due.forEach { $0.resume() }
    }
}
