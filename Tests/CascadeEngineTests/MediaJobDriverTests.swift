import CascadeCore
import CascadeEngine
import CascadeMedia
import Foundation
import Logging
import Synchronization
import Testing

/// A worker host that runs nothing: it tells the test what it was asked, and the test plays the
/// workers' part by sending their events.
actor RecordingWorkerHost: WorkerHost {
    enum Call: Equatable, Sendable {
        case start(String)
        case stop(String, timeout: Duration?)
        case send(String, WorkerCommand)
    }

    nonisolated let (events, eventFeed) = AsyncStream.makeStream(of: SupervisorEvent.self)
    private var pending: [Call] = []
    private var waiter: CheckedContinuation<Call, Never>?

    private func record(_ call: Call) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: call)
        } else {
            pending.append(call)
        }
    }

    func subscribe() -> AsyncStream<SupervisorEvent> { events }

    func start(_ spec: WorkerSpec) throws(EngineError) -> WorkerSnapshot {
        record(.start(spec.id))
        eventFeed.yield(SupervisorEvent(workerId: spec.id, kind: .spawned(pid: 4242), at: Date()))
        return WorkerSnapshot(id: spec.id, purpose: spec.purpose, pid: 4242, state: .running, startedAt: Date())
    }

    func adopt(_ spec: WorkerSpec, pid: Int32) throws(EngineError) -> WorkerSnapshot {
        throw EngineError(.connectionFailed, "nothing to adopt here")
    }

    func stop(_ id: String, timeout: Duration?) -> WorkerOutcome {
        record(.stop(id, timeout: timeout))
        return WorkerOutcome(kind: .completed, termination: .exited(code: 0), reachedEndOfStream: true, lastError: nil)
    }

    func send(_ command: WorkerCommand, to id: String) -> Bool {
        record(.send(id, command))
        return true
    }

    /// The next thing the driver asked of the host.
    func nextCall() async -> Call? {
        if !pending.isEmpty { return pending.removeFirst() }
        return await withCheckedContinuation { waiter = $0 }
    }

    /// Plays worker `id` reporting or exiting.
    nonisolated func emit(_ id: String, _ kind: SupervisorEvent.Kind) {
        eventFeed.yield(SupervisorEvent(workerId: id, kind: kind, at: Date()))
    }
}

/// An index in memory: what the recording service wrote, for the test to read.
final class MemoryRecordingIndex: RecordingIndex {
    struct Written {
        var opened: [Int] = []
        var finished: [Int] = []
        var endings: [Recording.State] = []
    }

    let written = Mutex(Written())

    func createRecording(meetingId: String?, source: String, sourceURI: String, partSeconds: Int, actor: String) throws -> Int64 { 1 }
    func partOpened(recording: Int64, index: Int, at time: Date) throws { written.withLock { $0.opened.append(index) } }
    func partFinished(recording: Int64, part: RecordingPart) throws { written.withLock { $0.finished.append(part.index) } }
    func openGap(recording: Int64, at time: Date, reason: String) throws {}
    func finishRecording(_ id: Int64, state: Recording.State, reason: String?, actor: String) throws { written.withLock { $0.endings.append(state) } }
    func recording(_ id: Int64) throws -> Recording? {
        Recording(id: id, meetingId: nil, source: "", state: .recording, partSeconds: 60, startedAt: Date(), stoppedAt: nil, reason: nil, parts: [], gaps: [])
    }
    func activeRecordings() throws -> [(recording: Recording, sourceURI: String)] { [] }
    func appendAudit(actor: String, action: String, target: String?, details: String?) throws {}
}

/// A relay ledger in memory.
final class MemoryRelayLedger: RelayLedger {
    let endings = Mutex<[(state: RelaySummary.State, reason: String?, actor: String)]>([])
    let events = Mutex<[RelayEventRecord]>([])
    func createRelay(meetingId: String?, source: String, listenerPort: Int, hallIds: [String], actor: String) throws -> Int64 { 1 }
    func relayHallAdded(relay: Int64, hallId: String, actor: String) throws {}
    func relayHallRemoved(relay: Int64, hallId: String, actor: String) throws {}
    func updateRelayHall(relay: Int64, hallId: String, connectedSecondsAdded: Int, bytes: Int64, lostPackets: Int64, retransmittedPackets: Int64, rttMs: Double?) throws {}
    func appendRelayEvents(_ records: [RelayEventRecord]) throws { events.withLock { $0 += records } }
    func finishRelay(_ id: Int64, state: RelaySummary.State, reason: String?, actor: String) throws { endings.withLock { $0.append((state, reason, actor)) } }
    func saveRelayWorker(relay: Int64, spec: String, workerId: String?, pid: Int32?) throws {}
    func runningRelayWorkers() throws -> [(relay: Int64, meetingId: String?, spec: String?, workerId: String?, pid: Int32?)] { [] }
}

/// The relay and recording services over the job driver, on a manual clock and a host that runs no
/// process: restarts with backoff, silence, giving up, changes held for a starting worker, a stop
/// racing an exit — each in milliseconds of test time.
@Suite struct MediaJobDriverTests {
    static let hall = Hall(id: "h-cj", name: "Hội trường Cư Jút", unitId: "cj", endpoint: .srtCaller(streamId: "h-cj"), capacityKbps: 6000, latencyMs: 500)
    static let hallB = Hall(id: "h-gn", name: "Hội trường Gia Nghĩa", unitId: "gn", endpoint: .srtCaller(streamId: "h-gn"), capacityKbps: 6000, latencyMs: 500)
    static let statistics = WorkerReport.relayStatistics(RelayStatistics(at: Date(), source: "live", halls: [HallStatistics(hallId: "h-cj", connected: true)]))

    /// Moves the clock on in steps of the driver's tick once the driver waits on it, until the host is
    /// asked something.
    static func advance(_ clock: ManualWallClock, untilCallFrom host: RecordingWorkerHost) async -> RecordingWorkerHost.Call? {
        await withTaskGroup(of: RecordingWorkerHost.Call?.self) { group in
            group.addTask { await host.nextCall() }
            group.addTask {
                while !Task.isCancelled {
                    while clock.sleeperCount == 0 && !Task.isCancelled { await Task.yield() }
                    clock.advance(by: 0.1)
                    await Task.yield()
                }
                return nil
            }
            let call = await group.next() ?? nil
            group.cancelAll()
            clock.advance(by: 0)  // wakes nobody; lets the stepping task end
            return call
        }
    }

    static func withRelays(_ body: (RelayService, RecordingWorkerHost, ManualWallClock, MemoryRelayLedger) async throws -> Void) async throws {
        let host = RecordingWorkerHost()
        let clock = ManualWallClock()
        let ledger = MemoryRelayLedger()
        let service = RelayService(supervisor: host, ledger: ledger, halls: [hall, hallB], settings: .init(passphrase: "0123456789abcdef"), clock: clock, logger: Logger(label: "test"))
        let running = Task { try await service.run() }
        defer { running.cancel() }
        await service.resumed.wait()
        try await body(service, host, clock, ledger)
    }

    @Test func aCrashedRelayWorkerIsReplacedAfterItsBackoffAndAStopEndsTheLast() async throws {
        try await Self.withRelays { relays, host, clock, ledger in
            let (id, _) = try await relays.start(source: "demo:", hallIds: ["h-cj"], meetingId: nil, title: "Họp", port: 9400, actor: "kt1")
            #expect(await host.nextCall() == .start("rl1-0"))
            host.emit("rl1-0", .report(Self.statistics))
            host.emit("rl1-0", .exited(WorkerOutcome(kind: .crashed, termination: .signaled(signal: 11), reachedEndOfStream: false, lastError: nil)))
            let started = clock.now
            #expect(await Self.advance(clock, untilCallFrom: host) == .start("rl1-1"))
            #expect(clock.now.timeIntervalSince(started) >= 0.2, "not before the first backoff")
            let events = ledger.events.withLock { $0.map(\.kind) }
            #expect(events == ["hall-disconnected", "relay-restarting"], "the hall's link ended with the worker: \(events)")

            host.emit("rl1-1", .report(Self.statistics))
            try await eventually { await relays.live(id)?.state == .running }
            let stopping = Task { try await relays.stop(id, actor: "kt1") }
            #expect(await host.nextCall() == .stop("rl1-1", timeout: .seconds(3)))
            host.emit("rl1-1", .exited(WorkerOutcome(kind: .completed, termination: .exited(code: 0), reachedEndOfStream: true, lastError: nil)))
            try await stopping.value
            #expect(ledger.endings.withLock { $0.map(\.state) } == [.stopped])
            #expect(await relays.live(id) == nil)
        }
    }

    @Test func aSilentRelayWorkerIsEndedAndReplaced() async throws {
        try await Self.withRelays { relays, host, clock, _ in
            _ = try await relays.start(source: "demo:", hallIds: ["h-cj"], meetingId: nil, title: "Họp", port: 9401, actor: "kt1")
            #expect(await host.nextCall() == .start("rl1-0"))
            host.emit("rl1-0", .report(Self.statistics))
            let reported = clock.now
            #expect(await Self.advance(clock, untilCallFrom: host) == .stop("rl1-0", timeout: .seconds(1)))
            #expect(clock.now.timeIntervalSince(reported) >= 6, "six silent seconds")
            host.emit("rl1-0", .exited(WorkerOutcome(kind: .killed, termination: .signaled(signal: 9), reachedEndOfStream: false, lastError: nil)))
            #expect(await Self.advance(clock, untilCallFrom: host) == .start("rl1-1"))
        }
    }

    @Test func aRelayWhoseWorkersNeverReportGivesUpAfterThreeStarts() async throws {
        try await Self.withRelays { relays, host, clock, ledger in
            let (id, _) = try await relays.start(source: "demo:", hallIds: ["h-cj"], meetingId: nil, title: "Họp", port: 9402, actor: "kt1")
            for attempt in 0..<3 {
                #expect(await (attempt == 0 ? host.nextCall() : Self.advance(clock, untilCallFrom: host)) == .start("rl1-\(attempt)"))
                host.emit("rl1-\(attempt)", .report(.error(element: "srcbin", message: "no such host", debug: "")))
                host.emit("rl1-\(attempt)", .exited(WorkerOutcome(kind: .failed, termination: .exited(code: 1), reachedEndOfStream: false, lastError: nil)))
            }
            try await eventually { await relays.live(id) == nil }
            let ending = try #require(ledger.endings.withLock { $0.first })
            #expect(ending.state == .failed)
            #expect(ending.reason == "giving up after 3 failed starts: srcbin: no such host")
        }
    }

    @Test func aHallAddedWhileTheWorkerStartsReachesItOnceItReports() async throws {
        try await Self.withRelays { relays, host, _, _ in
            let (id, _) = try await relays.start(source: "demo:", hallIds: ["h-cj"], meetingId: nil, title: "Họp", port: 9403, actor: "kt1")
            #expect(await host.nextCall() == .start("rl1-0"))
            _ = try await relays.addHall("h-gn", to: id, actor: "kt1")
            host.emit("rl1-0", .report(Self.statistics))
            guard case .send("rl1-0", .addHall(let output))? = await host.nextCall() else {
                Issue.record("the added hall was not sent to the worker")
                return
            }
            #expect(output.hallId == "h-gn")
        }
    }

    @Test func aStopRacingARecorderExitIsCarriedOutOnceItsLastPartIsMeasured() async throws {
        let host = RecordingWorkerHost()
        let clock = ManualWallClock()
        let index = MemoryRecordingIndex()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cascade-driver-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (measuring, measuringStarted) = AsyncStream.makeStream(of: Void.self)
        let (gate, openGate) = AsyncStream.makeStream(of: Void.self)
        var settings = RecordingService.Settings(directory: directory)
        settings.freeSpaceFloorBytes = 0
        settings.measurePart = { path, partIndex, startedAt, _ in
            measuringStarted.yield()
            for await _ in gate { break }
            return RecordingPart(index: partIndex, fileName: (path as NSString).lastPathComponent, startedAt: startedAt, state: .partial)
        }
        let service = RecordingService(supervisor: host, index: index, settings: settings, clock: clock, logger: Logger(label: "test"))
        let running = Task { try await service.run() }
        defer { running.cancel() }
        await service.resumed.wait()
        let id = try await service.start(source: "srt://127.0.0.1:9000?mode=caller", meetingId: nil, partSeconds: 60, actor: "test")
        #expect(await host.nextCall() == .start("rec-1-0"))
        host.emit("rec-1-0", .report(.partOpened(index: 0, path: "\(directory)/r1/part-00000.mp4")))
        host.emit("rec-1-0", .exited(WorkerOutcome(kind: .crashed, termination: .signaled(signal: 9), reachedEndOfStream: false, lastError: nil)))
        var started = measuring.makeAsyncIterator()
        _ = await started.next()

        // Two technicians press stop while the part is measured; then the measurement ends.
        let first = Task { try await service.stop(id, actor: "kt1") }
        let second = Task { try await service.stop(id, actor: "kt2") }
        try await eventually { await service.phase(id) == .stopping }
        #expect(index.written.withLock { $0.endings.isEmpty }, "nothing ends before the part is measured")
        openGate.finish()
        try await first.value
        try await second.value
        #expect(index.written.withLock { $0.finished } == [0])
        #expect(index.written.withLock { $0.endings } == [.stopped])
        #expect(await !service.isActive(id), "no recorder starts again")
    }
}

/// Waits, yielding, until `condition` holds (test time does not pass by itself here).
func eventually(_ condition: @Sendable () async -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(30))
    while await !condition() {
        guard clock.now < deadline else { throw CancellationError() }
        await Task.yield()
    }
}
