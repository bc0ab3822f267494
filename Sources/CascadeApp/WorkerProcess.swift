import CascadeMedia
import Logging

/// The body of `cascade worker`.
public enum WorkerProcess {
    /// Runs the worker and returns its exit code.
    public static func run(socketPath: String, workerId: String, logger: Logger) async -> Int32 {
        await WorkerRunner(socketPath: socketPath, workerId: workerId, logger: logger).run().rawValue
    }
}
