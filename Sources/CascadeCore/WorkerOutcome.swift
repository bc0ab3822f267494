/// How a worker process ended, as the operating system reported it.
public enum ProcessTermination: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The process called exit with this code.
    case exited(code: Int32)
    /// The process was ended by this signal.
    case signaled(signal: Int32)

    /// e.g. "exit code 0" or "signal 9 (SIGKILL)".
    public var description: String {
        switch self {
        case .exited(let code): "exit code \(code)"
        case .signaled(let signal): "signal \(signal)\(Self.signalNames[signal].map { " (\($0))" } ?? "")"
        }
    }

    private static let signalNames: [Int32: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
        9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM",
    ]
}

/// What became of a worker and its pipeline, summarised for operators and the database.
public struct WorkerOutcome: Sendable, Hashable, Codable {
    /// The classification an operator acts on.
    public enum Kind: String, Sendable, Codable {
        /// The pipeline reached end-of-stream and the worker exited cleanly.
        case completed
        /// The worker exited on its own with an error.
        case failed
        /// The worker died from a signal nobody in Cascade sent (a crash or an outside `kill`).
        case crashed
        /// The worker did not finish within its stop deadline and was killed.
        case killed
    }

    /// The classification.
    public var kind: Kind
    /// The raw termination.
    public var termination: ProcessTermination
    /// Whether the pipeline reported end-of-stream (its output is finalised).
    public var reachedEndOfStream: Bool
    /// The last pipeline or control error, if any.
    public var lastError: String?

    /// Creates an outcome.
    public init(kind: Kind, termination: ProcessTermination, reachedEndOfStream: Bool, lastError: String?) {
        self.kind = kind
        self.termination = termination
        self.reachedEndOfStream = reachedEndOfStream
        self.lastError = lastError
    }
}
