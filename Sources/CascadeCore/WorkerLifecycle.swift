/// The lifecycle of one supervised worker process, as a value that takes events and returns actions.
///
/// The supervisor feeds it what it observes (the control channel connecting, pipeline messages,
/// the process exiting, a deadline passing) and performs the actions it returns. It holds no clock,
/// no process and no socket, so every path is tested directly.
public struct WorkerLifecycle: Sendable {
    /// Where the worker is.
    public enum State: Sendable, Equatable {
        /// Spawned; the control channel is not connected yet.
        case launching
        /// Connected and running a pipeline in the given GStreamer state ("playing", "paused", …).
        case running(pipelineState: String)
        /// Asked to stop: end-of-stream sent, waiting for the worker to exit before the deadline.
        case stopping
        /// The process has exited.
        case exited(WorkerOutcome)
    }

    /// Something the supervisor observed.
    public enum Event: Sendable, Equatable {
        /// The control channel connected.
        case connected
        /// The supervisor connected to a worker an earlier server run started, whose pipeline already runs.
        case adopted
        /// The control channel could not be connected.
        case connectionFailed(String)
        /// The pipeline changed state.
        case pipelineStateChanged(String)
        /// The pipeline reported end-of-stream.
        case endOfStream
        /// The pipeline reported an error.
        case pipelineError(String)
        /// Someone asked the worker to stop.
        case stopRequested
        /// The stop deadline passed.
        case stopDeadlinePassed
        /// The process exited.
        case processExited(ProcessTermination)
    }

    /// Something the supervisor must do.
    public enum Action: Sendable, Equatable {
        /// Send the pipeline description to the worker.
        case sendStart
        /// Ask the worker to finish its pipeline (end-of-stream, then exit).
        case sendStop
        /// Arrange for ``Event/stopDeadlinePassed`` after the stop deadline.
        case armStopDeadline
        /// SIGKILL the process.
        case kill
        /// Publish the final outcome.
        case report(WorkerOutcome)
    }

    /// The current state.
    public private(set) var state: State = .launching
    private var reachedEndOfStream = false
    private var killedAfterDeadline = false
    private var lastError: String?

    /// A worker that has just been spawned.
    public init() {}

    /// Whether the process has exited.
    public var hasExited: Bool {
        if case .exited = state { return true }
        return false
    }

    /// Applies an event and returns what to do.
    public mutating func handle(_ event: Event) -> [Action] {
        if case .exited = state { return [] }
        switch event {
        case .connected:
            guard case .launching = state else { return [] }
            state = .running(pipelineState: "NULL")
            return [.sendStart]
        case .adopted:
            guard case .launching = state else { return [] }
            state = .running(pipelineState: "PLAYING")
            return []
        case .connectionFailed(let reason):
            lastError = reason
            return [.kill]
        case .pipelineStateChanged(let newState):
            if case .running = state { state = .running(pipelineState: newState) }
            return []
        case .endOfStream:
            reachedEndOfStream = true
            return []
        case .pipelineError(let message):
            lastError = message
            return []
        case .stopRequested:
            switch state {
            case .launching:
                state = .stopping
                return [.kill]
            case .running:
                state = .stopping
                return [.sendStop, .armStopDeadline]
            case .stopping, .exited:
                return []
            }
        case .stopDeadlinePassed:
            guard case .stopping = state else { return [] }
            killedAfterDeadline = true
            return [.kill]
        case .processExited(let termination):
            let outcome = WorkerOutcome(
                kind: classify(termination),
                termination: termination,
                reachedEndOfStream: reachedEndOfStream,
                lastError: lastError
            )
            state = .exited(outcome)
            return [.report(outcome)]
        }
    }

    private func classify(_ termination: ProcessTermination) -> WorkerOutcome.Kind {
        if killedAfterDeadline { return .killed }
        switch termination {
        case .signaled: return .crashed
        case .exited(let code): return code == 0 && lastError == nil ? .completed : .failed
        }
    }
}
