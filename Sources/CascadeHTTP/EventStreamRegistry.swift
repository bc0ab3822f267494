import Synchronization

/// The `/api/v1/events` streams open now, per user: one user holds at most `limitPerUser` (a console
/// in a few tabs); opening another closes their oldest, so a script that opens thousands holds a
/// handful and the server's file descriptors stay with everyone else.
final class EventStreamRegistry: Sendable {
    private struct Stream {
        var id: UInt64
        var close: @Sendable () -> Void
    }

    private struct State {
        var nextId: UInt64 = 0
        var byUser: [String: [Stream]] = [:]
    }

    private let state = Mutex(State())
    let limitPerUser: Int

    init(limitPerUser: Int) { self.limitPerUser = max(1, limitPerUser) }

    /// Registers a stream of `user` that `close` ends; returns its id for ``remove(_:of:)``. Streams
    /// past the limit (the oldest) are closed.
    func add(of user: String, close: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, evicted) = state.withLock { state -> (UInt64, [Stream]) in
            state.nextId += 1
            var streams = state.byUser[user, default: []]
            streams.append(Stream(id: state.nextId, close: close))
            let excess = max(0, streams.count - limitPerUser)
            let evicted = Array(streams.prefix(excess))
            state.byUser[user] = Array(streams.dropFirst(excess))
            return (state.nextId, evicted)
        }
        for stream in evicted { stream.close() }
        return id
    }

    /// Forgets a stream that ended.
    func remove(_ id: UInt64, of user: String) {
        state.withLock { state in
            state.byUser[user]?.removeAll { $0.id == id }
            if state.byUser[user]?.isEmpty == true { state.byUser[user] = nil }
        }
    }

    /// Streams open now, over every user.
    var count: Int { state.withLock { $0.byUser.values.reduce(0) { $0 + $1.count } } }
}
