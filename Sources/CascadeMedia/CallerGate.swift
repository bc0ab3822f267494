import CGStreamer

/// Admission for an SRT listener: only known stream ids may call in; every attempt, connection and
/// disconnection is queued for the relay to read on its own schedule (the signals fire on SRT threads).
final class CallerGate {
    /// What the listener saw.
    enum Event: Equatable {
        case connecting(streamId: String, address: String)
        case refused(streamId: String, address: String)
        case added(address: String)
        case removed(address: String)
    }

    nonisolated(unsafe) private let gate: UnsafeMutablePointer<CascadeCallerGate>

    init() { gate = cascade_gate_new() }

    /// Free only after the pipeline holding the listener is closed.
    deinit { cascade_gate_free(gate) }

    func allow(_ streamId: String) { cascade_gate_set_allowed(gate, streamId, 1) }

    func revoke(_ streamId: String) { cascade_gate_set_allowed(gate, streamId, 0) }

    /// Attaches the gate to the listener `element` of `pipeline`.
    func attach(to pipeline: Pipeline, element: String) -> Bool {
        pipeline.withElement { cascade_gate_attach($0, element, gate) != 0 }
    }

    /// Everything that happened since the last call, oldest first.
    func drain() -> [Event] {
        var events: [Event] = []
        while let raw = cascade_gate_pop(gate) {
            let fields = String(cString: raw).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            g_free(raw)
            switch (fields.first, fields.count) {
            case ("connecting", 3): events.append(.connecting(streamId: fields[1], address: fields[2]))
            case ("refused", 3): events.append(.refused(streamId: fields[1], address: fields[2]))
            case ("added", 2): events.append(.added(address: fields[1]))
            case ("removed", 2): events.append(.removed(address: fields[1]))
            default: break
            }
        }
        return events
    }
}
