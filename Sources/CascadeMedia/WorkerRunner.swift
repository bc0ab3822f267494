import Dispatch
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The body of `cascade worker`: runs exactly one pipeline and speaks the control protocol.
///
/// The worker listens on its socket so that a supervisor (or, after a server restart, its
/// successor) can connect at any time; a new connection replaces the old one. The worker exits
/// when its pipeline ends: 0 after end-of-stream, non-zero after an error (see ``ExitCode``).
public struct WorkerRunner: Sendable {
    /// Exit codes, documented in docs/worker-protocol.md.
    public enum ExitCode: Int32, Sendable {
        /// End-of-stream reached every sink.
        case completed = 0
        /// The pipeline reported an error.
        case pipelineError = 1
        /// The pipeline could not be built or started.
        case invalidPipeline = 2
        /// A stop was requested but end-of-stream did not arrive in time.
        case stopTimedOut = 3
        /// No supervisor sent a start command in time.
        case noStartCommand = 4
        /// The control socket could not be opened.
        case socketFailed = 5
    }

    /// Path of the control socket to listen on.
    public var socketPath: String
    /// The id the supervisor gave this worker.
    public var workerId: String
    /// How long to wait for the first start command.
    public var startTimeout: Duration = .seconds(15)
    /// Logger for the worker's own stderr.
    public var logger: Logger

    /// Whether the worker keeps running when its server goes away (a relay, re-attached by the next
    /// run); any other worker whose server vanishes (killed, crashed) finishes its pipeline — a
    /// recorder closes its part properly — and exits, instead of holding its source as an orphan.
    private let outlivesServer: Bool

    /// Creates a runner.
    public init(socketPath: String, workerId: String, outlivesServer: Bool = false, logger: Logger) {
        self.socketPath = socketPath
        self.workerId = workerId
        self.outlivesServer = outlivesServer
        self.logger = logger
    }

    private enum Input: Sendable {
        case connected(LineChannel)
        case command(WorkerCommand)
        case pipeline(PipelineEvent)
        case tick
        case terminateSignal
        case serverGone
    }

    /// Runs until the pipeline ends and returns the process exit code.
    public func run() async -> ExitCode {
        // A relay worker outlives the server that started it: its stderr may then be a closed pipe.
        signal(SIGPIPE, SIG_IGN)
        let listener: Int32
        do {
            listener = try UnixSocket.listen(at: socketPath)
        } catch {
            logger.error("worker \(workerId): \(error.message)")
            return .socketFailed
        }
        defer {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            unlink(socketPath)
        }
        let (inputs, feed) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .unbounded)
        Self.acceptConnections(on: listener, feed: feed, outlivesServer: outlivesServer)
        let terminateSource = Self.watchTerminateSignal(feed: feed)
        defer { terminateSource.cancel() }
        return await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    feed.yield(.tick)
                }
            }
            let code = await process(inputs, feed: feed, group: &group)
            group.cancelAll()
            return code
        }
    }

    private func process(
        _ inputs: AsyncStream<Input>,
        feed: AsyncStream<Input>.Continuation,
        group: inout DiscardingTaskGroup
    ) async -> ExitCode {
        var session = WorkerSession(workerId: workerId, startedAt: .now, startTimeout: startTimeout)
        for await input in inputs {
            switch input {
            case .connected(let channel):
                session.attach(channel)
            case .command(let command):
                if let pipeline = session.handle(command, logger: logger) {
                    group.addTask {
                        for await event in pipeline.events { feed.yield(.pipeline(event)) }
                    }
                }
            case .pipeline(let event):
                session.forward(event)
            case .tick:
                session.tick()
            case .terminateSignal:
                _ = session.handle(.stop(timeoutMs: 10_000), logger: logger)
            case .serverGone:
                logger.warning("worker \(workerId): the server's control connection closed; finishing the pipeline")
                _ = session.handle(.stop(timeoutMs: 10_000), logger: logger)
            }
            if let code = session.exitCode {
                session.finish()
                return code
            }
        }
        return .completed
    }

    private static func acceptConnections(on listener: Int32, feed: AsyncStream<Input>.Continuation, outlivesServer: Bool) {
        let thread = Thread {
            while let fd = UnixSocket.accept(on: listener) {
                let channel = LineChannel.decoding(WorkerCommand.self, socket: fd, onMessage: { feed.yield(.command($0)) }, onClose: {
                    if !outlivesServer { feed.yield(.serverGone) }
                })
                feed.yield(.connected(channel))
            }
        }
        thread.name = "cascade-accept"
        thread.start()
    }

    private static func watchTerminateSignal(feed: AsyncStream<Input>.Continuation) -> any DispatchSourceSignal {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler { feed.yield(.terminateSignal) }
        source.resume()
        return source
    }
}
