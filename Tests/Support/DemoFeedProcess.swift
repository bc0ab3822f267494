import Foundation

/// `cascade demo-feed` as an SRT listener on a local port, started and stopped by a test.
public final class DemoFeedProcess: @unchecked Sendable {
    /// The UDP port it listens on.
    public let port: Int
    private var process: Process?

    /// Picks a port; call ``start()`` to begin streaming.
    public init() { port = TestPaths.freeUDPPort() }

    /// The caller URL a recorder uses.
    public var callerURL: String { "srt://127.0.0.1:\(port)?mode=caller&latency=200" }

    /// Starts streaming (for at most ten minutes).
    public func start() throws {
        let feed = Process()
        feed.executableURL = URL(fileURLWithPath: TestPaths.cascadeExecutable)
        feed.arguments = ["demo-feed", "--output", "srt://127.0.0.1:\(port)?mode=listener&latency=200", "--seconds", "600"]
        feed.standardError = FileHandle.nullDevice
        try feed.run()
        process = feed
    }

    /// Stops streaming.
    public func stop() {
        process?.terminate()
        process?.waitUntilExit()
        process = nil
    }

    deinit { stop() }
}
