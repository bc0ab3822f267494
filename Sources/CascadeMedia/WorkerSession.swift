import Foundation
import Logging

/// The state of a worker between commands: its pipeline, its supervisor connection, its stop deadline.
///
/// Kept apart from ``WorkerRunner`` so the runner is only plumbing (sockets, signals, tasks).
struct WorkerSession {
    let workerId: String
    private let startedAt: ContinuousClock.Instant
    private let startTimeout: Duration
    private var channel: LineChannel?
    private var pipeline: Pipeline?
    /// Set when the worker runs a relay hop; `pipeline` is then the relay's output.
    private var relay: Relay?
    private var probes: [StatisticsProbe] = []
    private var statisticsInterval: Duration?
    private var lastStatistics: ContinuousClock.Instant?
    private var stopDeadline: ContinuousClock.Instant?
    /// Whether the pipeline has reached PLAYING: a live source ignores end-of-stream sent before
    /// it runs, so a stop that arrives earlier waits for PLAYING (or its deadline).
    private var isPlaying = false
    private var isEndOfStreamPending = false
    /// Set when the worker must exit.
    private(set) var exitCode: WorkerRunner.ExitCode?

    init(workerId: String, startedAt: ContinuousClock.Instant, startTimeout: Duration) {
        self.workerId = workerId
        self.startedAt = startedAt
        self.startTimeout = startTimeout
    }

    /// A supervisor connected: it replaces any earlier one and is greeted.
    mutating func attach(_ newChannel: LineChannel) {
        channel?.close()
        channel = newChannel
        newChannel.send(WorkerReport.hello(
            workerId: workerId, pid: getpid(), protocolVersion: WorkerProtocol.version, isRunning: pipeline != nil
        ))
    }

    /// Applies a command; returns the pipeline when one was just started, so its events get forwarded.
    mutating func handle(_ command: WorkerCommand, logger: Logger) -> Pipeline? {
        switch command {
        case .start(let recipe, let probes, let intervalMs):
            guard pipeline == nil else { return nil }
            do {
                let started = try Pipeline(recipe: recipe)
                pipeline = started
                self.probes = probes
                statisticsInterval = intervalMs > 0 ? .milliseconds(intervalMs) : nil
                do {
                    try started.play()
                } catch {
                    report(.error(element: "pipeline", message: error.message, debug: ""))
                    exitCode = .invalidPipeline
                }
                return started
            } catch {
                logger.error("worker \(workerId): \(error.message)")
                report(.error(element: "pipeline", message: error.message, debug: ""))
                exitCode = .invalidPipeline
                return nil
            }
        case .startRelay(let spec):
            guard pipeline == nil else { return nil }
            do {
                let started = try Relay(spec: spec)
                relay = started
                pipeline = started.output
                return started.output
            } catch {
                logger.error("worker \(workerId): \(error.message)")
                report(.error(element: "relay", message: error.message, debug: ""))
                exitCode = .invalidPipeline
                return nil
            }
        case .addHall(let output):
            relay?.add(output)
            return nil
        case .removeHall(let hallId):
            relay?.remove(hallId: hallId)
            return nil
        case .switchSource(let uri):
            do {
                try relay?.switchSource(to: uri)
            } catch {
                report(.error(element: "relay", message: error.message, debug: ""))
            }
            return nil
        case .stop(let timeoutMs):
            if relay != nil {
                // A relay writes no file: nothing to finalise, so it stops at once.
                exitCode = .completed
                return nil
            }
            guard let pipeline else {
                exitCode = .completed
                return nil
            }
            if stopDeadline == nil {
                stopDeadline = .now.advanced(by: .milliseconds(max(timeoutMs, 0)))
                if isPlaying { pipeline.sendEndOfStream() } else { isEndOfStreamPending = true }
            }
            return nil
        case .query(let requestId, let element, let property):
            report(.reply(requestId: requestId, value: pipeline?.readProperty(element: element, property: property)))
            return nil
        }
    }

    /// Passes a pipeline event to the supervisor and decides whether the worker is done.
    mutating func forward(_ event: PipelineEvent) {
        if let report = WorkerReport(event) { self.report(report) }
        if case .stateChanged(_, let to) = event {
            isPlaying = to == "PLAYING"
            if isPlaying && isEndOfStreamPending {
                isEndOfStreamPending = false
                pipeline?.sendEndOfStream()
            }
        }
        switch event {
        case .endOfStream: exitCode = .completed
        case .error: exitCode = .pipelineError
        default: break
        }
    }

    /// Periodic work: statistics, the stop deadline, the start deadline.
    mutating func tick() {
        let now = ContinuousClock.now
        guard let pipeline else {
            if now - startedAt > startTimeout { exitCode = .noStartCommand }
            return
        }
        if let stopDeadline, now > stopDeadline {
            report(.error(element: "pipeline", message: "end-of-stream did not reach the sinks before the stop deadline", debug: ""))
            exitCode = .stopTimedOut
            return
        }
        if let relay {
            let (events, statistics) = relay.tick()
            events.forEach { report(.relayEvent($0)) }
            if let statistics { report(.relayStatistics(statistics)) }
            if let failure = relay.outputFailure {
                report(.error(element: "relay", message: failure, debug: ""))
                exitCode = .pipelineError
                return
            }
        }
        if let statisticsInterval, lastStatistics.map({ now - $0 >= statisticsInterval }) ?? true {
            lastStatistics = now
            var values: [String: PropertyValue] = [:]
            for probe in probes {
                values[probe.key] = pipeline.readProperty(element: probe.element, property: probe.property)
            }
            let position = pipeline.position.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 }
            report(.statistics(positionMs: position, values: values))
        }
    }

    /// Releases the pipeline (bringing it to NULL) and closes the connection.
    mutating func finish() {
        relay?.close()
        relay = nil
        pipeline?.close()
        pipeline = nil
        channel?.close()
    }

    private func report(_ message: WorkerReport) {
        channel?.send(message)
    }
}
