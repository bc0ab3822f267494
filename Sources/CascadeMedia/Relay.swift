import CascadeCore
import CGStreamer
import Foundation

/// One relay hop inside a worker: an input that may fail and be rebuilt, an output that never stops
/// (live pictures or the slate, encoded once), and the halls fed from it, added and removed live.
///
/// Not thread-safe: the worker drives it from its single event loop (``tick()`` every 250 ms).
final class Relay {
    private struct HallLink {
        var output: RelayOutput
        /// The stream id that may call the listener for this hall: the hall's own, or its call leg's.
        var streamId: String?
        var leg: Pipeline?
        var legRetryAt: ContinuousClock.Instant?
        var legAttempt = 0
        var legConnected = false
        var address: String?
        var lastBytes: UInt64 = 0
    }

    let output: Pipeline
    private let spec: RelaySpec
    private var source: RelaySource
    private let listener: HallListener
    private let flow: UnsafeMutablePointer<gint64>
    /// Stamped by every buffer the encoder hands to the fan-out: an output that stops is a stuck worker.
    private let produced: UnsafeMutablePointer<gint64>
    /// Pass-through hops only: the retiming of live H.264/AAC onto the output and the keyframe switch.
    private let bridge: OpaquePointer?
    private var splice: OpaquePointer?
    private let startedAt = ContinuousClock.now
    private var input: Pipeline?
    private var inputBuiltAt = ContinuousClock.now
    private var inputRebuildAt: ContinuousClock.Instant?
    private var inputProblem: String?
    private var sourceState = "connecting"
    private var lostAtStamp: gint64 = 0
    private var halls: [String: HallLink] = [:]
    private var hallOrder: [String] = []
    private var handshakes: [String: (streamId: String, at: ContinuousClock.Instant)] = [:]
    private var refusals = RefusalAggregator()
    /// Handshakes under way kept at most: a flood with a hall's stream id cannot grow the table.
    private static let handshakesKept = 256
    private var events: [RelayEvent] = []
    private var lastStatistics = ContinuousClock.now
    private var lanBytes: UInt64 = 0

    /// Builds and starts the output, then the input; throws when the output cannot start.
    init(spec: RelaySpec) throws(MediaError) {
        self.spec = spec
        source = try RelaySource(parsing: spec.source)
        listener = try HallListener(port: spec.listener.port, latencyMs: spec.listener.latencyMs, passphrase: spec.listener.passphrase)
        flow = .allocate(capacity: 1)
        flow.initialize(to: 0)
        produced = .allocate(capacity: 1)
        produced.initialize(to: 0)
        var udpClients: [String] = []
        for hall in spec.outputs {
            if case .udp(let host, let port) = hall.destination { udpClients.append("\(host):\(port)") }
        }
        if spec.passThrough == true, source.transportStream == nil {
            flow.deallocate()
            produced.deallocate()
            throw MediaError(.invalidSource, "a pass-through hop needs an MPEG-TS source (srt://, udp:// or rtp://)")
        }
        do {
            let description = spec.passThrough == true
                ? RelayRecipes.passThroughOutput(spec, udpClients: udpClients)
                : RelayRecipes.output(spec, udpClients: udpClients)
            output = try Pipeline(recipe: description)
        } catch {
            flow.deallocate()
            produced.deallocate()
            throw error
        }
        bridge = spec.passThrough == true ? cascade_bridge_new() : nil
        if bridge != nil {
            splice = output.withElement { cascade_splice_new($0, RelayRecipes.videoSelector, RelayRecipes.audioSelector, RelayRecipes.slateGate, RelayRecipes.slateEncoder) }
        }
        if bridge != nil, splice == nil {
            throw MediaError(.startFailed, "the pass-through output has no slate switch")
        }
        _ = listener.attach(to: output, element: RelayRecipes.listenerSink)
        _ = output.withElement { cascade_watch_flow($0, "fanout", produced) }
        for hall in spec.outputs { link(hall, announce: false) }
        do {
            // Only now, with every hall's stream id allowed, does the listener take calls.
            try listener.listen()
            try output.play()
        } catch {
            close()
            throw error
        }
        buildInput()
    }

    private var isPassThrough: Bool { spec.passThrough == true }

    deinit {
        close()
        if let splice { cascade_splice_free(splice) }
        if let bridge { cascade_bridge_free(bridge) }
        flow.deallocate()
        produced.deallocate()
    }

    /// Adds a hall to the running relay; the others are untouched.
    func add(_ hall: RelayOutput) {
        guard halls[hall.hallId] == nil else { return }
        link(hall, announce: true)
        if case .udp = hall.destination { updateLAN() }
    }

    /// Removes a hall: its connection is cut and its stream id refused from now on.
    func remove(hallId: String) {
        guard let link = halls.removeValue(forKey: hallId) else { return }
        hallOrder.removeAll { $0 == hallId }
        if let streamId = link.streamId { listener.revoke(streamId) }
        link.leg?.close()
        if case .udp = link.output.destination { updateLAN() }
        if case .tap = link.output.destination { return }
        events.append(RelayEvent(kind: .hallRemoved, hallId: hallId))
    }

    /// Why the output failed, if it did (the worker then exits and is restarted): an error, or no
    /// stream produced for five seconds although the slate alone keeps it going.
    var outputFailure: String? {
        if let error = output.firstError { return error }
        let stamp = cascade_read_stamp(produced)
        let silent = stamp > 0 ? Int64(cascade_monotonic_us() - stamp) : Int64(ContinuousClock.now - startedAt > .seconds(10) ? Int64.max : 0)
        return silent > 5_000_000 ? "the relay output produced nothing for 5 s" : nil
    }

    /// Periodic work: the listener's events, the input watch, call legs, statistics once a second.
    func tick() -> (events: [RelayEvent], statistics: RelayStatistics?) {
        let now = ContinuousClock.now
        readGate(now: now)
        watchInput(now: now)
        superviseLegs(now: now)
        var sample: RelayStatistics?
        if now - lastStatistics >= .seconds(1) {
            let elapsed = now - lastStatistics
            lastStatistics = now
            sample = statistics(over: elapsed)
        }
        defer { events.removeAll() }
        return (events, sample)
    }

    /// Stops every pipeline. Idempotent.
    func close() {
        input?.close()
        input = nil
        for id in hallOrder { halls[id]?.leg?.close() }
        output.close()
    }

    // MARK: - Halls

    private func link(_ hall: RelayOutput, announce: Bool) {
        var link = HallLink(output: hall)
        switch hall.destination {
        case .streamId(let streamId), .tap(let streamId):
            link.streamId = streamId
            listener.allow(streamId, passphrase: hall.passphrase)
        case .call:
            let streamId = "leg-\(hall.hallId)-\(UInt32.random(in: 0...UInt32.max))"
            link.streamId = streamId
            link.legRetryAt = .now
            listener.allow(streamId)
        case .udp:
            break
        }
        halls[hall.hallId] = link
        hallOrder.append(hall.hallId)
        if announce, !isLeg(hall.hallId) || hall.destination.isCall { events.append(RelayEvent(kind: .hallAdded, hallId: hall.hallId)) }
    }

    private func updateLAN() {
        let clients = hallOrder.compactMap { id -> String? in
            guard case .udp(let host, let port) = halls[id]?.output.destination else { return nil }
            return "\(host):\(port)"
        }
        output.setProperty(element: RelayRecipes.lanSink, property: "clients", value: clients.joined(separator: ","))
    }

    private func hallId(streamId: String) -> String? {
        hallOrder.first { halls[$0]?.streamId == streamId }
    }

    /// Whether the link is not a hall's decoder itself (a call leg or a tap): no hall events for it.
    private func isLeg(_ id: String) -> Bool {
        switch halls[id]?.output.destination {
        case .call?, .tap?: true
        default: false
        }
    }

    private func readGate(now: ContinuousClock.Instant) {
        for event in listener.drain() {
            switch event {
            case .connecting(let streamId, let address):
                if handshakes.count >= Self.handshakesKept, let oldest = handshakes.min(by: { $0.value.at < $1.value.at }) {
                    handshakes[oldest.key] = nil
                    refuse(streamId: oldest.value.streamId, address: oldest.key, reason: "handshake not completed (wrong or missing passphrase)", now: now)
                }
                handshakes[address] = (streamId, now)
            case .refused(let streamId, let address):
                refuse(streamId: streamId, address: address, reason: "unknown stream id", now: now)
            case .added(let streamId, let address):
                handshakes[address] = nil
                if let id = hallId(streamId: streamId), !isLeg(id) {
                    halls[id]?.address = address
                    events.append(RelayEvent(kind: .hallConnected, hallId: id, detail: address))
                }
            case .removed(let streamId, let address):
                if let id = hallId(streamId: streamId), !isLeg(id), halls[id]?.address == address {
                    halls[id]?.address = nil
                    events.append(RelayEvent(kind: .hallDisconnected, hallId: id, detail: address))
                }
            }
        }
        // A caller whose stream id was accepted but never completed the handshake presented the wrong passphrase.
        for (address, handshake) in handshakes where now - handshake.at > .seconds(3) {
            handshakes[address] = nil
            refuse(streamId: handshake.streamId, address: address, reason: "handshake failed (wrong or missing passphrase)", now: now)
        }
        reportRefusals(now: now)
    }

    /// Counted by ``RefusalAggregator``: a flood of handshakes makes a bounded number of events, and
    /// a stream id that names no hall is never repeated.
    private func refuse(streamId: String, address: String, reason: String, now: ContinuousClock.Instant) {
        let reports = refusals.refused(address: address, hallId: hallId(streamId: streamId), reason: reason, nowMs: milliseconds(now))
        for report in reports { events.append(RelayEvent(kind: .hallRefused, hallId: report.hallId, detail: report.detail)) }
    }

    /// The counts of a minute of refusals that has ended.
    private func reportRefusals(now: ContinuousClock.Instant) {
        for report in refusals.tick(nowMs: milliseconds(now)) { events.append(RelayEvent(kind: .hallRefused, hallId: report.hallId, detail: report.detail)) }
    }

    private func milliseconds(_ instant: ContinuousClock.Instant) -> Int64 {
        let elapsed = instant - startedAt
        return elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }

    private func superviseLegs(now: ContinuousClock.Instant) {
        for id in hallOrder {
            guard var link = halls[id], case .call(let uri) = link.output.destination, let streamId = link.streamId else { continue }
            if let leg = link.leg {
                if let failure = leg.firstError ?? (leg.hasReachedEndOfStream ? "the hall closed the connection" : nil) {
                    leg.close()
                    link.leg = nil
                    let wait = min(10, 1 << min(link.legAttempt, 4))
                    link.legAttempt += 1
                    link.legRetryAt = now.advanced(by: .seconds(wait))
                    if link.legConnected {
                        events.append(RelayEvent(kind: .hallDisconnected, hallId: id, detail: failure))
                    } else if link.legAttempt == 1 {
                        events.append(RelayEvent(kind: .hallDisconnected, hallId: id, detail: "cannot reach \(redacted(uri)): \(failure)"))
                    }
                    link.legConnected = false
                } else if !link.legConnected, leg.isPlaying {
                    link.legConnected = true
                    link.legAttempt = 0
                    events.append(RelayEvent(kind: .hallConnected, hallId: id, detail: redacted(uri)))
                }
            } else if let retryAt = link.legRetryAt, now >= retryAt {
                link.legRetryAt = nil
                do {
                    let leg = try Pipeline(recipe: RelayRecipes.callLeg(spec, streamId: streamId, hallURI: uri))
                    try leg.play()
                    link.leg = leg
                } catch {
                    link.legRetryAt = now.advanced(by: .seconds(5))
                    events.append(RelayEvent(kind: .hallDisconnected, hallId: id, detail: error.message))
                }
            }
            halls[id] = link
        }
    }

    private func redacted(_ uri: String) -> String {
        (try? RelaySource(parsing: uri))?.redacted ?? uri
    }

    /// Takes another source: the halls see the slate until its pictures flow, and stay connected.
    func switchSource(to uri: String) throws(MediaError) {
        let next = try RelaySource(parsing: uri)
        if isPassThrough, next.transportStream == nil {
            throw MediaError(.invalidSource, "a pass-through hop needs an MPEG-TS source (srt://, udp:// or rtp://)")
        }
        input?.close()
        input = nil
        source = next
        show(live: false)
        lostAtStamp = cascade_read_stamp(flow)
        if sourceState == "live" {
            sourceState = "lost"
            events.append(RelayEvent(kind: .sourceLost, detail: "switching to \(next.redacted)"))
        }
        inputRebuildAt = nil
        buildInput()
    }

    // MARK: - Input

    private func buildInput() {
        inputBuiltAt = .now
        do {
            let pipeline = try Pipeline(recipe: isPassThrough
                ? RelayRecipes.passThroughInput(spec, source: source)
                : RelayRecipes.input(spec, source: source))
            _ = pipeline.withElement { cascade_watch_flow($0, RelayRecipes.inputWatch, flow) }
            if let bridge {
                cascade_bridge_reset(bridge)
                let legs = [(RelayRecipes.inputWatch, RelayRecipes.liveVideo), (RelayRecipes.inputAudio, RelayRecipes.liveAudio)]
                for (sink, source) in legs {
                    _ = pipeline.withElement { input in output.withElement { cascade_bridge_attach(input, sink, $0, source, bridge) } }
                }
            }
            try pipeline.play()
            input = pipeline
        } catch {
            inputProblem = error.message
            inputRebuildAt = .now.advanced(by: .seconds(2))
        }
    }

    /// Shows the live input or the slate: at once at the root (raw pictures), at the next keyframe
    /// of the stream switched to on a pass-through hop.
    private func show(live: Bool) {
        if let splice {
            cascade_splice_want(splice, live ? 1 : 0)
        } else {
            _ = output.withElement { cascade_select_input($0, "select", live ? RelayRecipes.livePad : RelayRecipes.slatePad) }
        }
    }

    private func watchInput(now: ContinuousClock.Instant) {
        let stamp = cascade_read_stamp(flow)
        let silentMicroseconds = stamp > 0 ? Int64(cascade_monotonic_us() - stamp) : Int64.max
        switch sourceState {
        case "live":
            if silentMicroseconds > Int64(spec.lossAfterMs) * 1000 {
                show(live: false)
                sourceState = "lost"
                lostAtStamp = stamp
                let reason = input?.firstError ?? inputProblem ?? "no pictures for \(spec.lossAfterMs) ms"
                events.append(RelayEvent(kind: .sourceLost, detail: reason))
            }
        default:
            if stamp > lostAtStamp, silentMicroseconds < 400_000 {
                show(live: true)
                sourceState = "live"
                inputProblem = nil
                events.append(RelayEvent(kind: .sourceLive, detail: source.redacted))
            }
        }
        if let pipeline = input {
            if let failure = pipeline.firstError ?? (pipeline.hasReachedEndOfStream ? "the source ended its stream" : nil) {
                inputProblem = failure
                pipeline.close()
                input = nil
                inputRebuildAt = now.advanced(by: .seconds(1))
            } else if sourceState != "live", now - inputBuiltAt > .seconds(6) {
                // Silent for long: start over (a listener source may need a fresh socket, RTSP a new session).
                pipeline.close()
                input = nil
                inputRebuildAt = now
            }
        }
        if input == nil, let rebuildAt = inputRebuildAt, now >= rebuildAt {
            inputRebuildAt = nil
            buildInput()
        }
    }

    // MARK: - Statistics

    private func statistics(over elapsed: Duration) -> RelayStatistics {
        let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 0.001)
        let lanTotal: UInt64 = switch output.readProperty(element: RelayRecipes.lanSink, property: "bytes-served") {
        case .uint(let value)?: value
        case .int(let value)?: UInt64(max(value, 0))
        default: lanBytes
        }
        let lanRate = Int(Double(lanTotal &- lanBytes) * 8 / 1000 / seconds)
        lanBytes = lanTotal
        var samples: [HallStatistics] = []
        for id in hallOrder {
            guard var link = halls[id] else { continue }
            var sample = HallStatistics(hallId: id, connected: false)
            switch link.output.destination {
            case .streamId(let streamId):
                if let address = link.address {
                    sample.connected = true
                    sample.address = address
                    if let stats = listener.statistics(of: streamId) { fill(&sample, from: stats, link: &link, seconds: seconds) }
                }
            case .call:
                if let leg = link.leg, link.legConnected {
                    sample.connected = true
                    var legStats = [CascadeSRTStats](repeating: CascadeSRTStats(), count: 1)
                    if leg.withElement({ cascade_srt_stats($0, RelayRecipes.callSink, &legStats, 1) }) == 1 {
                        fill(&sample, from: legStats[0], link: &link, seconds: seconds)
                    }
                }
            case .udp(let host, let port):
                sample.connected = true
                sample.address = "\(host):\(port)"
                sample.bytes = lanTotal
                sample.bitrateKbps = lanRate
            case .tap:
                continue
            }
            halls[id] = link
            samples.append(sample)
        }
        return RelayStatistics(at: Date(), source: sourceState, sourceProblem: sourceState == "live" ? nil : inputProblem, halls: samples,
                               audioPeakDecibels: sourceState == "live" ? input?.audioPeakDecibels : nil)
    }

    private func fill(_ sample: inout HallStatistics, from stats: CascadeSRTStats, link: inout HallLink, seconds: Double) {
        let bytes = UInt64(stats.bytes_sent)
        sample.bytes = bytes
        sample.rttMs = stats.rtt_ms
        sample.lostPackets = Int64(stats.packets_lost)
        sample.retransmittedPackets = Int64(stats.packets_retransmitted)
        let delta = bytes >= link.lastBytes ? bytes - link.lastBytes : bytes
        sample.bitrateKbps = Int(Double(delta) * 8 / 1000 / seconds)
        link.lastBytes = bytes
    }
}
