import Foundation
import Synchronization

/// Hands every value to each live listener (technicians' event streams); a listener that goes away is
/// forgotten, one that falls behind keeps the newest `buffer` values.
final class EventBroadcast<Value: Sendable>: Sendable {
    private let listeners = Mutex<[UUID: AsyncStream<Value>.Continuation]>([:])
    private let buffer: Int

    init(buffer: Int = 1000) { self.buffer = buffer }

    /// Every value from now on.
    func subscribe() -> AsyncStream<Value> {
        let (stream, continuation) = AsyncStream.makeStream(of: Value.self, bufferingPolicy: .bufferingNewest(buffer))
        let key = UUID()
        listeners.withLock { $0[key] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.listeners.withLock { $0.removeValue(forKey: key) } }
        return stream
    }

    /// Sends `value` to every listener.
    func send(_ value: Value) {
        listeners.withLock { $0 }.values.forEach { $0.yield(value) }
    }

    /// Ends every listener's stream.
    func finish() {
        listeners.withLock { $0 }.values.forEach { $0.finish() }
    }
}
