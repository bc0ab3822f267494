import CascadeCore
import CascadeMedia

/// What the job driver needs of whoever runs worker processes: the ``Supervisor`` in the server, a
/// host that only records what it was asked in the driver's tests on a manual clock.
public protocol WorkerHost: Sendable {
    /// Every spawn, report and exit from now on.
    func subscribe() async -> AsyncStream<SupervisorEvent>
    /// Spawns a worker for `spec`, connects to it and sends it its pipeline.
    @discardableResult func start(_ spec: WorkerSpec) async throws(EngineError) -> WorkerSnapshot
    /// Takes over a worker an earlier server run started.
    @discardableResult func adopt(_ spec: WorkerSpec, pid: Int32) async throws(EngineError) -> WorkerSnapshot
    /// Ends a worker: end-of-stream first, killed past `timeout`.
    @discardableResult func stop(_ id: String, timeout: Duration?) async throws(EngineError) -> WorkerOutcome
    /// Sends a command to a running worker; false when it does not run.
    @discardableResult func send(_ command: WorkerCommand, to id: String) async -> Bool
}

extension Supervisor: WorkerHost {}
