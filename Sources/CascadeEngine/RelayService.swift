import CascadeCore
import CascadeMedia
import Foundation
import Logging
import ServiceLifecycle

/// Keeps every relay running as a job of the ``MediaJobDriver`` (one worker per relay, replaced when it
/// ends or falls silent), with halls added and removed live, and events and link figures kept for
/// technicians and summarised into the ledger.
public actor RelayService: Service, MediaJobKind {
    struct Relay {
        var spec: RelaySpec
        var meetingId: String?
        var worker: JobWorkerID?
        var pid: Int32?
        var statistics: RelayStatistics?
        var recentEvents: [RelayEvent] = []
        var connectedSeconds: [String: Int] = [:]
        var lastSummaryAt: Date
    }

    let driver: MediaJobDriver
    let host: any WorkerHost
    let ledger: any RelayLedger
    let settings: Settings
    let clock: any WallClock
    let logger: Logger
    var addresses: RelayHallAddresses
    var relays: [Int64: Relay] = [:]
    let broadcast = EventBroadcast<RelayEventRecord>()
    /// Open once what the previous server run left has been taken up.
    public nonisolated let resumed = ResumeGate()

    /// Creates the service for the halls of the configuration.
    public init(supervisor: any WorkerHost, ledger: any RelayLedger, halls: [Hall], settings: Settings, clock: any WallClock = SystemWallClock(), logger: Logger) {
        driver = MediaJobDriver(job: JobWorkerID.Job.relay, host: supervisor, policy: settings.jobPolicy, clock: clock, tickInterval: .milliseconds(500), logger: logger)
        (host, self.ledger, self.settings, self.clock, self.logger) = (supervisor, ledger, settings, clock, logger)
        addresses = RelayHallAddresses(halls: halls, advertisedHost: settings.advertisedHost, passphrase: settings.passphrase)
    }

    // MARK: - Commands

    /// Starts relaying `source` to `hallIds`; returns the relay id and how each hall gets the stream.
    /// A `passThrough` relay is a hop below the root: it forwards an already normalised MPEG-TS stream
    /// (e.g. the central server's) without decoding.
    public func start(source: String, hallIds: [String], meetingId: String?, title: String, port: Int?, passThrough: Bool = false, actor: String) async throws(RelayError) -> (id: Int64, halls: [HallAccess]) {
        guard await !driver.isShuttingDown else { throw RelayError(.startFailed, "the server is shutting down") }
        let parsed = try RelaySource.relayable(source, passThrough: passThrough)
        var unique: [Hall] = []
        for id in hallIds where !unique.contains(where: { $0.id == id }) {
            guard let hall = addresses.halls[id] else { throw RelayError(.unknownHall, "hall \(id) is not in the configuration") }
            unique.append(hall)
        }
        guard !unique.isEmpty else { throw RelayError(.hallConflict, "a relay needs at least one hall") }
        let listenerPort = try RelayPorts.choose(port, in: settings.portRange, used: Set(relays.values.map(\.spec.listener.port)))
        let id: Int64
        do {
            id = try ledger.createRelay(meetingId: meetingId, source: parsed.redacted, listenerPort: listenerPort, hallIds: unique.map(\.id), actor: actor)
        } catch {
            throw RelayError(.startFailed, "the relay could not be recorded: \(error)")
        }
        var spec = RelaySpec(
            relayId: "rl\(id)", source: source, title: title, canvas: settings.canvas,
            listener: RelayListener(port: listenerPort, passphrase: settings.passphrase, latencyMs: 200),
            outputs: unique.map(addresses.output(for:)), lossAfterMs: settings.lossAfterMs, multicastTTL: settings.multicastTTL
        )
        if passThrough { spec.passThrough = true }
        relays[id] = Relay(spec: spec, meetingId: meetingId, lastSummaryAt: clock.now)
        persist(id)
        guard await driver.add(id) else {
            relays[id] = nil
            record { try ledger.finishRelay(id, state: .failed, reason: "the server was shutting down", actor: "system") }
            throw RelayError(.startFailed, "the server is shutting down")
        }
        return (id, unique.map { addresses.access(for: $0, port: listenerPort) })
    }

    /// Adds a hall to a running relay without touching the others.
    public func addHall(_ hallId: String, to id: Int64, actor: String) async throws(RelayError) -> HallAccess {
        var relay = try await running(id)
        guard let hall = addresses.halls[hallId] else { throw RelayError(.unknownHall, "hall \(hallId) is not in the configuration") }
        guard !relay.spec.outputs.contains(where: { $0.hallId == hallId }) else { throw RelayError(.hallConflict, "hall \(hallId) is already in relay rl\(id)") }
        relay.spec.outputs.append(addresses.output(for: hall))
        try await change(id, to: relay, command: .addHall(addresses.output(for: hall)))
        record { try ledger.relayHallAdded(relay: id, hallId: hallId, actor: actor) }
        return addresses.access(for: hall, port: relay.spec.listener.port)
    }

    /// Removes a hall from a running relay without touching the others.
    public func removeHall(_ hallId: String, from id: Int64, actor: String) async throws(RelayError) {
        var relay = try await running(id)
        guard relay.spec.outputs.contains(where: { $0.hallId == hallId }) else { throw RelayError(.hallConflict, "hall \(hallId) is not in relay rl\(id)") }
        relay.spec.outputs.removeAll { $0.hallId == hallId }
        try await change(id, to: relay, command: .removeHall(hallId: hallId))
        flushSummary(id)
        record { try ledger.relayHallRemoved(relay: id, hallId: hallId, actor: actor) }
    }

    /// Takes the halls of a reloaded configuration: relays started from now on (and halls added to
    /// running ones) use them; halls already relayed keep their connections.
    public func replaceHalls(_ configured: [Hall]) {
        addresses = RelayHallAddresses(halls: configured, advertisedHost: settings.advertisedHost, passphrase: settings.passphrase)
    }

    /// Makes a running relay take another source: the halls stay connected and see the slate for
    /// the switch; a restarted worker takes the new source too.
    public func switchSource(_ id: Int64, to source: String, actor: String) async throws(RelayError) {
        var relay = try await running(id)
        let parsed = try RelaySource.relayable(source, passThrough: relay.spec.passThrough == true)
        relay.spec.source = source
        try await change(id, to: relay, command: .switchSource(source))
        logger.notice("relay source switched", metadata: ["relay.id": "\(id)", "source": "\(parsed.redacted)", "actor": "\(actor)"])
    }

    /// Opens a tap on a running relay for a consumer on this host (a recorder): returns the SRT URL
    /// to call for the relay's normalised feed, and the meeting the relay serves.
    public func tap(_ id: Int64) async throws(RelayError) -> (url: String, meetingId: String?) {
        var relay = try await running(id)
        let streamId = "tap-\(UInt64.random(in: 0...UInt64.max))"
        let output = RelayOutput(hallId: streamId, destination: .tap(streamId: streamId))
        relay.spec.outputs.append(output)
        try await change(id, to: relay, command: .addHall(output))
        return (addresses.tapURL(port: relay.spec.listener.port, streamId: streamId), relay.meetingId)
    }

    /// Stops a relay and waits until its worker is gone.
    public func stop(_ id: Int64, actor: String) async throws(RelayError) {
        guard relays[id] != nil else { throw RelayError(.unknownRelay, "no running relay rl\(id)") }
        await driver.stop(id, reason: nil, actor: actor)
    }

    /// A running relay as technicians watch it; `nil` when it is not running.
    public func live(_ id: Int64) async -> RelayLive? {
        guard let machine = await driver.machine(id), let relay = relays[id] else { return nil }
        return RelayLive(
            id: id, state: machine.phase, pid: relay.pid, restarts: machine.restarts,
            source: (try? RelaySource(parsing: relay.spec.source))?.redacted ?? "",
            halls: relay.spec.outputs.compactMap { output in addresses.halls[output.hallId].map { addresses.access(for: $0, port: relay.spec.listener.port) } },
            statistics: relay.statistics, recentEvents: relay.recentEvents
        )
    }

    /// Ends a relay's worker and starts another (the halls call back in); false when `worker` is not
    /// the worker of a running relay.
    public func replaceWorker(_ worker: JobWorkerID) async -> Bool { await driver.replace(worker) }

    /// The ids of running relays.
    public var runningIds: [Int64] { relays.keys.sorted() }

    /// Every relay event as it happens, for live views.
    public func events() -> AsyncStream<RelayEventRecord> { broadcast.subscribe() }

    /// A relay that runs and is not being stopped.
    private func running(_ id: Int64) async throws(RelayError) -> Relay {
        guard let machine = await driver.machine(id), !machine.isEnding, let relay = relays[id] else { throw RelayError(.unknownRelay, "no running relay rl\(id)") }
        return relay
    }

    /// Keeps a relay's changed spec (for the next worker and the next server run) and tells its worker.
    private func change(_ id: Int64, to relay: Relay, command: WorkerCommand) async throws(RelayError) {
        guard relays[id] != nil else { throw RelayError(.unknownRelay, "no running relay rl\(id)") }
        relays[id]?.spec = relay.spec
        persist(id)
        await driver.send(command, to: id)
    }

    // MARK: - Running

    /// Re-attaches to the relays an earlier run left running (or restarts their workers), then
    /// follows the workers until shutdown — which leaves them running for the next run.
    public func run() async throws {
        defer { resumed.open() }
        await driver.subscribe()
        await resumeAfterRestart()
        resumed.open()
        let driver = self.driver
        await withGracefulShutdownHandler {
            await driver.run(for: self)
        } onGracefulShutdown: {
            driver.shutDown(suspendingJobs: false)
        }
        for id in relays.keys { flushSummary(id) }  // the workers outlive the server; their figures are kept
        broadcast.finish()
    }
}
