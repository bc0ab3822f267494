import CascadeCore
import CascadeMedia
import Foundation
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// Keeps every relay running: one supervised worker per relay, restarted with backoff when it
/// crashes or stalls, halls added and removed live, events and link figures kept in memory for
/// technicians and summarised into the ledger.
public actor RelayService: Service {
    /// Limits, encoding and addresses.
    public struct Settings: Sendable {
        /// Ports the relays' SRT listeners may use.
        public var portRange: ClosedRange<Int> = 9000...9099
        /// The host name or address halls call, put into the URLs given to technicians.
        public var advertisedHost = "127.0.0.1"
        /// What the root hop encodes.
        public var canvas = RelayCanvas(width: 1280, height: 720, framerate: 25, videoKbps: 2500)
        /// Passphrase of every relay listener and every hall Cascade calls (AES-256).
        public var passphrase: String
        /// Input silence before the slate.
        public var lossAfterMs = 1000
        /// Hops a LAN hall's multicast may cross (0 keeps it on this machine).
        public var multicastTTL = 8
        /// Waits before restarting a worker that ended, by attempt.
        public var restartBackoff: [Duration] = [.milliseconds(200), .seconds(1), .seconds(2), .seconds(4)]
        /// A worker that reports nothing for this long is killed and restarted.
        public var stallDeadline: Duration = .seconds(6)
        /// A relay whose worker fails this many times in a row before its first report has failed.
        public var maxFailedStarts = 3
        /// How often link figures are written to the ledger.
        public var summaryInterval: Duration = .seconds(5)

        /// Creates settings.
        public init(passphrase: String) { self.passphrase = passphrase }
    }

    private struct Active {
        var spec: RelaySpec
        var meetingId: String?
        var workerId: String?
        var pid: Int32?
        var attempt = 0
        var restarts = 0
        var failedStarts = 0
        var restartAt: ContinuousClock.Instant? = .now
        var lastReportAt: ContinuousClock.Instant?
        var hasReported = false
        var isStopping = false
        var stopReason: String?
        var stopActor = "system"
        var lastError: String?
        var statistics: RelayStatistics?
        var recentEvents: [RelayEvent] = []
        var connectedSeconds: [String: Int] = [:]
        /// Changes made while the worker is starting: sent once it reports (its spec predates them).
        var pendingCommands: [WorkerCommand] = []
        var lastSummaryAt = ContinuousClock.now
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private enum Input: Sendable {
        case event(SupervisorEvent)
        case tick
        case wake
        case shutdown
    }

    private let supervisor: Supervisor
    private let ledger: any RelayLedger
    private var halls: [String: Hall]
    private let settings: Settings
    private let logger: Logger
    /// Open once what the previous server run left has been taken up.
    public nonisolated let resumed = ResumeGate()
    private var active: [Int64: Active] = [:]
    private var jobs: [@Sendable () async -> Void] = []
    private var wake: AsyncStream<Input>.Continuation?
    private var listeners: [UUID: AsyncStream<RelayEventRecord>.Continuation] = [:]
    private var isShuttingDown = false

    /// Creates the service for the halls of the configuration.
    public init(supervisor: Supervisor, ledger: any RelayLedger, halls: [Hall], settings: Settings, logger: Logger) {
        self.supervisor = supervisor
        self.ledger = ledger
        self.halls = Dictionary(halls.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.settings = settings
        self.logger = logger
    }

    // MARK: - Commands

    /// Starts relaying `source` to `hallIds`; returns the relay id and how each hall gets the stream.
    /// A `passThrough` relay is a hop below the root: it forwards an already normalised MPEG-TS stream
    /// (e.g. the central server's) without decoding.
    public func start(source: String, hallIds: [String], meetingId: String?, title: String, port: Int?, passThrough: Bool = false, actor: String) throws(RelayError) -> (id: Int64, halls: [HallAccess]) {
        guard !isShuttingDown else { throw RelayError(.startFailed, "the server is shutting down") }
        let parsed: RelaySource
        do {
            parsed = try RelaySource(parsing: source)
        } catch {
            throw RelayError(.invalidSource, error.message)
        }
        if passThrough {
            switch parsed {
            case .rtsp, .demo: throw RelayError(.invalidSource, "a pass-through hop needs an MPEG-TS source (srt://, udp:// or rtp://)")
            case .srt, .udp, .rtp: break
            }
        }
        var unique: [String] = []
        for id in hallIds where !unique.contains(id) {
            guard halls[id] != nil else { throw RelayError(.unknownHall, "hall \(id) is not in the configuration") }
            unique.append(id)
        }
        guard !unique.isEmpty else { throw RelayError(.hallConflict, "a relay needs at least one hall") }
        let listenerPort = try choosePort(port)
        let outputs = unique.map { output(for: halls[$0]!) }
        let id: Int64
        do {
            id = try ledger.createRelay(meetingId: meetingId, source: parsed.redacted, listenerPort: listenerPort, hallIds: unique, actor: actor)
        } catch {
            throw RelayError(.startFailed, "the relay could not be recorded: \(error)")
        }
        var spec = RelaySpec(
            relayId: "rl\(id)", source: source, title: title, canvas: settings.canvas,
            listener: RelayListener(port: listenerPort, passphrase: settings.passphrase, latencyMs: 200),
            outputs: outputs, lossAfterMs: settings.lossAfterMs, multicastTTL: settings.multicastTTL
        )
        if passThrough { spec.passThrough = true }
        active[id] = Active(spec: spec, meetingId: meetingId)
        persist(id)
        launchDue()
        return (id, unique.map { access(for: halls[$0]!, port: listenerPort) })
    }

    /// Adds a hall to a running relay without touching the others.
    public func addHall(_ hallId: String, to id: Int64, actor: String) throws(RelayError) -> HallAccess {
        guard var relay = active[id], !relay.isStopping else { throw RelayError(.unknownRelay, "no running relay rl\(id)") }
        guard let hall = halls[hallId] else { throw RelayError(.unknownHall, "hall \(hallId) is not in the configuration") }
        guard !relay.spec.outputs.contains(where: { $0.hallId == hallId }) else { throw RelayError(.hallConflict, "hall \(hallId) is already in relay rl\(id)") }
        let output = output(for: hall)
        relay.spec.outputs.append(output)
        active[id] = relay
        persist(id)
        send(.addHall(output), to: id)
        record { try ledger.relayHallAdded(relay: id, hallId: hallId, actor: actor) }
        return access(for: hall, port: relay.spec.listener.port)
    }

    /// Removes a hall from a running relay without touching the others.
    public func removeHall(_ hallId: String, from id: Int64, actor: String) throws(RelayError) {
        guard var relay = active[id], !relay.isStopping else { throw RelayError(.unknownRelay, "no running relay rl\(id)") }
        guard relay.spec.outputs.contains(where: { $0.hallId == hallId }) else { throw RelayError(.hallConflict, "hall \(hallId) is not in relay rl\(id)") }
        relay.spec.outputs.removeAll { $0.hallId == hallId }
        active[id] = relay
        persist(id)
        send(.removeHall(hallId: hallId), to: id)
        flushSummary(id)
        record { try ledger.relayHallRemoved(relay: id, hallId: hallId, actor: actor) }
    }

    /// Takes the halls of a reloaded configuration: relays started from now on (and halls added to
    /// running ones) use them; halls already relayed keep their connections.
    public func replaceHalls(_ configured: [Hall]) {
        halls = Dictionary(configured.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Makes a running relay take another source: the halls stay connected and see the slate for
    /// the switch; a restarted worker takes the new source too.
    public func switchSource(_ id: Int64, to source: String, actor: String) throws(RelayError) {
        guard var relay = active[id], !relay.isStopping else { throw RelayError(.unknownRelay, "no running relay rl\(id)") }
        let parsed: RelaySource
        do {
            parsed = try RelaySource(parsing: source)
        } catch {
            throw RelayError(.invalidSource, error.message)
        }
        if relay.spec.passThrough == true {
            switch parsed {
            case .rtsp, .demo: throw RelayError(.invalidSource, "a pass-through hop needs an MPEG-TS source (srt://, udp:// or rtp://)")
            case .srt, .udp, .rtp: break
            }
        }
        relay.spec.source = source
        active[id] = relay
        persist(id)
        send(.switchSource(source), to: id)
        logger.notice("relay source switched", metadata: ["relay.id": "\(id)", "source": "\(parsed.redacted)", "actor": "\(actor)"])
    }

    /// Opens a tap on a running relay for a consumer on this host (a recorder): returns the SRT URL
    /// to call for the relay's normalised feed, and the meeting the relay serves.
    public func tap(_ id: Int64) throws(RelayError) -> (url: String, meetingId: String?) {
        guard var relay = active[id], !relay.isStopping else { throw RelayError(.unknownRelay, "no running relay rl\(id)") }
        let streamId = "tap-\(UInt64.random(in: 0...UInt64.max))"
        let output = RelayOutput(hallId: streamId, destination: .tap(streamId: streamId))
        relay.spec.outputs.append(output)
        active[id] = relay
        persist(id)
        send(.addHall(output), to: id)
        // A tap calls over loopback with the site's passphrase, which no hall's URL carries.
        let url = SRTAddress(host: "127.0.0.1", port: relay.spec.listener.port, mode: .caller, latencyMs: 120, passphrase: settings.passphrase, streamId: streamId).uri
        return (url, relay.meetingId)
    }

    /// Stops a relay and waits until its worker is gone.
    public func stop(_ id: Int64, actor: String) async throws(RelayError) {
        guard active[id] != nil else { throw RelayError(.unknownRelay, "no running relay rl\(id)") }
        requestStop(id, reason: nil, actor: actor)
        await withCheckedContinuation { continuation in
            if active[id] == nil { continuation.resume() } else { active[id]?.stopWaiters.append(continuation) }
        }
    }

    /// A running relay as technicians watch it; `nil` when it is not running.
    public func live(_ id: Int64) -> RelayLive? {
        guard let relay = active[id] else { return nil }
        let state = relay.isStopping ? "stopping" : relay.workerId == nil ? (relay.attempt == 0 ? "starting" : "restarting") : relay.hasReported ? "running" : "starting"
        return RelayLive(
            id: id, state: state, pid: relay.pid, restarts: relay.restarts, source: (try? RelaySource(parsing: relay.spec.source))?.redacted ?? "",
            halls: relay.spec.outputs.compactMap { halls[$0.hallId].map { access(for: $0, port: relay.spec.listener.port) } },
            statistics: relay.statistics, recentEvents: relay.recentEvents
        )
    }

    /// The ids of running relays.
    public var runningIds: [Int64] { active.keys.sorted() }

    /// Every relay event as it happens, for live views.
    public func events() -> AsyncStream<RelayEventRecord> {
        let (stream, continuation) = AsyncStream.makeStream(of: RelayEventRecord.self, bufferingPolicy: .bufferingNewest(1000))
        let key = UUID()
        listeners[key] = continuation
        continuation.onTermination = { _ in Task { await self.removeListener(key) } }
        return stream
    }

    private func removeListener(_ key: UUID) { listeners[key] = nil }

    // MARK: - Running

    /// Re-attaches to the relays an earlier run left running (or restarts their workers), then
    /// follows the workers until shutdown — which leaves them running for the next run.
    public func run() async throws {
        let events = await supervisor.subscribe()
        defer { resumed.open() }
        await resumeAfterRestart()
        resumed.open()
        let (inputs, feed) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .unbounded)
        wake = feed
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await event in events { feed.yield(.event(event)) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(500))
                        feed.yield(.tick)
                    }
                }
                for await input in inputs {
                    switch input {
                    case .event(let event): handle(event)
                    case .tick: tick()
                    case .wake: break
                    case .shutdown:
                        // Relay workers outlive the server: keep the figures, leave the workers to the next run.
                        isShuttingDown = true
                        for id in active.keys { flushSummary(id) }
                    }
                    for job in jobs { group.addTask { await job() } }
                    jobs.removeAll()
                    if isShuttingDown { break }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            feed.yield(.shutdown)
        }
        listeners.values.forEach { $0.finish() }
    }

    private func resumeAfterRestart() async {
        for saved in (try? ledger.runningRelayWorkers()) ?? [] {
            guard let text = saved.spec, let spec = try? JSONDecoder().decode(RelaySpec.self, from: Data(text.utf8)) else {
                record { try ledger.finishRelay(saved.relay, state: .failed, reason: "interrupted: the server stopped", actor: "system") }
                continue
            }
            var relay = Active(spec: spec, meetingId: saved.meetingId)
            relay.attempt = saved.workerId.flatMap { JobWorkerID($0) }.map { $0.attempt + 1 } ?? 0
            if let workerId = saved.workerId, let pid = saved.pid,
               (try? await supervisor.adopt(WorkerSpec(id: workerId, relay: spec), pid: pid)) != nil {
                relay.workerId = workerId
                relay.pid = pid
                relay.restartAt = nil
                relay.lastReportAt = .now
                logger.info("relay re-attached", metadata: ["relay.id": "\(saved.relay)", "pid": "\(pid)"])
            } else {
                relay.restartAt = .now  // its worker is gone: start another; the halls call back in
                logger.info("relay worker gone, restarting it", metadata: ["relay.id": "\(saved.relay)"])
            }
            active[saved.relay] = relay
        }
        launchDue()
    }

    /// Saves what the next server run needs to re-attach to this relay.
    private func persist(_ id: Int64) {
        guard let relay = active[id], let data = try? JSONEncoder().encode(relay.spec) else { return }
        record { try ledger.saveRelayWorker(relay: id, spec: String(decoding: data, as: UTF8.self), workerId: relay.workerId, pid: relay.pid) }
    }

    private func handle(_ event: SupervisorEvent) {
        guard let id = relayId(of: event.workerId), active[id]?.workerId == event.workerId else { return }
        switch event.kind {
        case .spawned(let pid):
            active[id]?.pid = pid
            persist(id)
        case .report(.relayEvent(let relayEvent)):
            publish(id, relayEvent)
        case .report(.relayStatistics(let sample)):
            if active[id]?.hasReported == false, let pending = active[id]?.pendingCommands, let workerId = active[id]?.workerId {
                active[id]?.pendingCommands = []
                let supervisor = self.supervisor
                enqueue { for command in pending { await supervisor.send(command, to: workerId) } }
            }
            active[id]?.statistics = sample
            active[id]?.lastReportAt = .now
            active[id]?.hasReported = true
            active[id]?.failedStarts = 0
            for hall in sample.halls where hall.connected { active[id]?.connectedSeconds[hall.hallId, default: 0] += 1 }
        case .report(.error(let element, let message, _)):
            active[id]?.lastError = "\(element): \(message)"
        case .exited(let outcome):
            workerEnded(id, outcome: outcome)
        default:
            break
        }
    }

    private func workerEnded(_ id: Int64, outcome: WorkerOutcome) {
        guard var relay = active[id] else { return }
        relay.workerId = nil
        relay.pid = nil
        relay.pendingCommands = []  // the next worker starts from the current spec
        flushSummary(id)
        // The worker took its halls' connections with it, silently: record each hall leaving, and why.
        let why = relay.isStopping
            ? (relay.stopActor == "scheduler" ? "the meeting ended" : "the relay was stopped by \(relay.stopActor)")
            : "the relay restarted: \(outcome.lastError ?? relay.lastError ?? "\(outcome.termination)")"
        for hall in relay.statistics?.halls ?? [] where hall.connected && halls[hall.hallId]?.endpoint.isSRT == true {
            publish(id, RelayEvent(kind: .hallDisconnected, hallId: hall.hallId, detail: why), into: &relay)
        }
        relay.statistics = nil
        if relay.isStopping {
            active[id] = nil
            record { try ledger.finishRelay(id, state: .stopped, reason: relay.stopReason, actor: relay.stopActor) }
            relay.stopWaiters.forEach { $0.resume() }
            return
        }
        let reason = outcome.lastError ?? relay.lastError ?? "\(outcome.termination)"
        if !relay.hasReported {
            relay.failedStarts += 1
            if relay.failedStarts >= settings.maxFailedStarts {
                active[id] = nil
                publish(id, RelayEvent(kind: .relayRestarting, detail: "giving up: \(reason)"), into: &relay)
                record { try ledger.finishRelay(id, state: .failed, reason: reason, actor: "system") }
                relay.stopWaiters.forEach { $0.resume() }
                return
            }
        }
        relay.hasReported = false
        relay.restarts += 1
        relay.restartAt = .now.advanced(by: settings.restartBackoff[min(relay.failedStarts, settings.restartBackoff.count - 1)])
        active[id] = relay
        publish(id, RelayEvent(kind: .relayRestarting, detail: reason))
        logger.info("relay worker ended, restarting", metadata: ["relay.id": "\(id)", "reason": "\(reason)"])
    }

    private func tick() {
        let now = ContinuousClock.now
        for (id, relay) in active where !relay.isStopping {
            if let workerId = relay.workerId, let pid = relay.pid, let last = relay.lastReportAt ?? relay.restartAt, now - last > settings.stallDeadline {
                // Reports come every second; silence means a stuck worker.
                logger.warning("relay worker stalled, killing it", metadata: ["relay.id": "\(id)", "worker": "\(workerId)"])
                active[id]?.lastError = "the worker stopped reporting for \(settings.stallDeadline)"
                active[id]?.lastReportAt = now
                kill(pid, SIGKILL)
            }
            if now - relay.lastSummaryAt >= settings.summaryInterval { flushSummary(id) }
        }
        launchDue()
    }

    private func launchDue() {
        guard !isShuttingDown else { return }
        for (id, relay) in active where relay.workerId == nil && !relay.isStopping {
            guard let due = relay.restartAt, due <= .now else { continue }
            let workerId = JobWorkerID(.relay(id), attempt: relay.attempt).description
            active[id]?.attempt += 1
            active[id]?.workerId = workerId
            active[id]?.lastReportAt = .now
            let spec = relay.spec
            let (supervisor, logger) = (self.supervisor, self.logger)
            enqueue {
                do {
                    try await supervisor.start(WorkerSpec(id: workerId, relay: spec))
                } catch {
                    logger.error("relay worker could not start", metadata: ["relay.id": "\(id)", "error": "\(error)"])
                }
            }
        }
    }

    // MARK: - Helpers

    private func requestStop(_ id: Int64, reason: String?, actor: String) {
        guard var relay = active[id], !relay.isStopping else { return }
        relay.isStopping = true
        relay.stopReason = reason
        relay.stopActor = actor
        active[id] = relay
        guard let workerId = relay.workerId else {
            active[id] = nil
            record { try ledger.finishRelay(id, state: .stopped, reason: reason, actor: actor) }
            relay.stopWaiters.forEach { $0.resume() }
            return
        }
        let supervisor = self.supervisor
        enqueue { _ = try? await supervisor.stop(workerId, timeout: .seconds(3)) }
    }

    private func publish(_ id: Int64, _ event: RelayEvent) {
        guard var relay = active[id] else { return }
        publish(id, event, into: &relay)
        active[id] = relay
    }

    private func publish(_ id: Int64, _ event: RelayEvent, into relay: inout Active) {
        relay.recentEvents.append(event)
        if relay.recentEvents.count > 50 { relay.recentEvents.removeFirst(relay.recentEvents.count - 50) }
        let stored = RelayEventRecord(relayId: id, at: event.at, kind: event.kind.rawValue, hallId: event.hallId, detail: event.detail)
        record { try ledger.appendRelayEvents([stored]) }
        listeners.values.forEach { $0.yield(stored) }
    }

    private func flushSummary(_ id: Int64) {
        guard var relay = active[id] else { return }
        relay.lastSummaryAt = .now
        for hall in relay.statistics?.halls ?? [] {
            let seconds = relay.connectedSeconds.removeValue(forKey: hall.hallId) ?? 0
            record {
                try ledger.updateRelayHall(
                    relay: id, hallId: hall.hallId, connectedSecondsAdded: seconds, bytes: Int64(clamping: hall.bytes),
                    lostPackets: hall.lostPackets ?? 0, retransmittedPackets: hall.retransmittedPackets ?? 0, rttMs: hall.rttMs
                )
            }
        }
        active[id] = relay
    }

    /// Sends a change to the relay's worker once it runs; a worker still starting gets it after its first report.
    private func send(_ command: WorkerCommand, to id: Int64) {
        guard let relay = active[id], let workerId = relay.workerId else { return }
        guard relay.hasReported else {
            active[id]?.pendingCommands.append(command)
            return
        }
        let supervisor = self.supervisor
        enqueue { await supervisor.send(command, to: workerId) }
    }

    private func enqueue(_ job: @escaping @Sendable () async -> Void) {
        jobs.append(job)
        wake?.yield(.wake)
    }

    private func record(_ write: () throws -> Void) {
        do { try write() } catch { logger.error("relay ledger write failed", metadata: ["error": "\(error)"]) }
    }

    private func relayId(of workerId: String) -> Int64? {
        JobWorkerID(workerId)?.relayId
    }

    private func choosePort(_ requested: Int?) throws(RelayError) -> Int {
        let used = Set(active.values.map(\.spec.listener.port))
        if let requested {
            guard (1024...65535).contains(requested) else { throw RelayError(.portUnavailable, "port \(requested) is outside 1024–65535") }
            guard !used.contains(requested), Self.isFreeUDPPort(requested) else { throw RelayError(.portUnavailable, "UDP port \(requested) is already in use") }
            return requested
        }
        for port in settings.portRange where !used.contains(port) && Self.isFreeUDPPort(port) { return port }
        throw RelayError(.portUnavailable, "no free UDP port in \(settings.portRange.lowerBound)–\(settings.portRange.upperBound) for another relay")
    }

    private static func isFreeUDPPort(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private func output(for hall: Hall) -> RelayOutput {
        switch hall.endpoint {
        case .srtCaller(let streamId):
            return RelayOutput(hallId: hall.id, destination: .streamId(streamId), passphrase: key(of: hall))
        case .srtListener(let host, let port):
            return RelayOutput(hallId: hall.id, destination: .call(uri: srtURL(host: host, port: port, mode: .caller, latencyMs: hall.latencyMs, streamId: nil, hall: hall)))
        case .udpMulticast(let group, let port):
            return RelayOutput(hallId: hall.id, destination: .udp(host: group, port: port))
        }
    }

    private func access(for hall: Hall, port: Int) -> HallAccess {
        switch hall.endpoint {
        case .srtCaller(let streamId):
            HallAccess(hallId: hall.id, mode: "call-in", url: srtURL(host: settings.advertisedHost, port: port, mode: .caller, latencyMs: hall.latencyMs, streamId: streamId, hall: hall))
        case .srtListener(let host, let port):
            HallAccess(hallId: hall.id, mode: "called", url: srtURL(host: host, port: port, mode: .listener, latencyMs: hall.latencyMs, streamId: nil, hall: hall))
        case .udpMulticast(let group, let port):
            HallAccess(hallId: hall.id, mode: "multicast", url: "udp://\(group):\(port)")
        }
    }

    /// A hall's SRT URL, with the hall's own key.
    private func srtURL(host: String, port: Int, mode: SRTAddress.Mode, latencyMs: Int, streamId: String?, hall: Hall) -> String {
        SRTAddress(host: host, port: port, mode: mode, latencyMs: latencyMs, passphrase: key(of: hall), streamId: streamId).uri
    }

    /// Every hall has a key of its own: the one configured for it, or one derived from the site's
    /// passphrase and the hall's id (HMAC-SHA256). A hall's URL — shown to whoever operates that hall —
    /// then opens that hall's stream only: the site's passphrase, which the listener's taps and call
    /// legs use, never leaves the server.
    private func key(of hall: Hall) -> String {
        hall.srtPassphrase ?? "h" + String(SHA256.hmacHex(key: settings.passphrase, message: "cascade-hall:\(hall.id)").prefix(40))
    }
}
