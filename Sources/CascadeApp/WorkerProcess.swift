import CascadeMedia
import Logging

/// The body of `cascade worker`.
public enum WorkerProcess {
    /// Runs the worker and returns its exit code.
    public static func run(socketPath: String, workerId: String, outlivesServer: Bool = false, logger: Logger) async -> Int32 {
        await WorkerRunner(socketPath: socketPath, workerId: workerId, outlivesServer: outlivesServer, logger: logger).run().rawValue
    }
}
