import CGStreamer

/// The SRT listener halls call into (libsrt, one socket per hall): only known stream ids are let in,
/// a removed hall is cut at once, and each connection has its own statistics. What happened is queued
/// for the relay to read on its own schedule (the callbacks run on SRT threads).
final class HallListener {
    /// What the listener saw.
    enum Event: Equatable {
        case connecting(streamId: String, address: String)
        case refused(streamId: String, address: String)
        case added(streamId: String, address: String)
        case removed(streamId: String, address: String)
    }

    private let listener: OpaquePointer

    /// Binds `port` without taking calls yet (see ``listen()``); throws when the port cannot be bound.
    init(port: Int, latencyMs: Int, passphrase: String?) throws(MediaError) {
        listener = cascade_srt_listener_new(Int32(port), Int32(latencyMs), passphrase)
        if let error = cascade_srt_listener_error(listener) {
            let message = String(cString: error)
            cascade_srt_listener_free(listener)
            throw MediaError(.startFailed, message)
        }
    }

    /// Starts taking calls. Allow the halls' stream ids first: a hall that calls the moment its relay
    /// starts must be admitted, not refused as unknown.
    func listen() throws(MediaError) {
        if cascade_srt_listener_listen(listener) != 0 {
            throw MediaError(.startFailed, cascade_srt_listener_error(listener).map { String(cString: $0) } ?? "the SRT listener could not listen")
        }
    }

    /// Closes every connection. Free only after the pipeline feeding it is closed.
    deinit { cascade_srt_listener_free(listener) }

    /// Lets `streamId` call in, with the listener's passphrase or a hall's own.
    func allow(_ streamId: String, passphrase: String? = nil) { cascade_srt_listener_allow(listener, streamId, passphrase, 1) }

    /// Refuses `streamId` from now on and cuts its connections.
    func revoke(_ streamId: String) {
        cascade_srt_listener_allow(listener, streamId, nil, 0)
        cascade_srt_listener_kick(listener, streamId)
    }

    /// Sends what reaches the appsink `element` of `pipeline` to every connected hall.
    func attach(to pipeline: Pipeline, element: String) -> Bool {
        pipeline.withElement { cascade_srt_listener_attach($0, element, listener) != 0 }
    }

    /// The counters of the connection of `streamId`, if it is connected.
    func statistics(of streamId: String) -> CascadeSRTStats? {
        var stats = CascadeSRTStats()
        return cascade_srt_listener_stats(listener, streamId, &stats) == 1 ? stats : nil
    }

    /// Everything that happened since the last call, oldest first.
    func drain() -> [Event] {
        var events: [Event] = []
        var raw = CascadeListenerEvent()
        while cascade_srt_listener_pop(listener, &raw) == 1 {
            let streamId = raw.stream_id.map { String(cString: $0) } ?? ""
            let address = raw.address.map { String(cString: $0) } ?? ""
            cascade_listener_event_clear(&raw)
            switch raw.kind {
            case CASCADE_LISTENER_CONNECTING: events.append(.connecting(streamId: streamId, address: address))
            case CASCADE_LISTENER_REFUSED: events.append(.refused(streamId: streamId, address: address))
            case CASCADE_LISTENER_ADDED: events.append(.added(streamId: streamId, address: address))
            case CASCADE_LISTENER_REMOVED: events.append(.removed(streamId: streamId, address: address))
            default: break
            }
        }
        return events
    }
}
