import Foundation
import Synchronization

/// A real `cascade serve` process on a kernel-chosen port, for end-to-end tests.
public final class ServerProcess: Sendable {
    /// The process.
    public let process: Process
    /// The bound port.
    public let port: Int
    /// The administrator password printed on first start, if it was printed.
    public let initialPassword: String?
    /// Everything the server printed on stdout so far.
    public var output: String { collected.text.withLock { $0 } }
    private let collected: OutputBuffer

    private final class OutputBuffer: Sendable {
        let text = Mutex("")
        func append(_ data: Data) { text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    }

    /// The address it listens on.
    public let host: String

    /// An HTTP client for this server.
    public var client: HTTPClient { HTTPClient(baseURL: "http://\(host):\(port)") }

    /// Starts `cascade serve` and waits until it listens; inside a network namespace when one is given.
    public init(config: String = TestPaths.demoConfiguration, dataDirectory: String, extraEnvironment: [String: String] = [:],
                namespace: String? = nil, host: String = "127.0.0.1") throws {
        let process = Process()
        let serve = ["serve", "--config", config, "--data-dir", dataDirectory, "--http", "\(host):0"]
        if let namespace {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            process.arguments = ["netns", "exec", namespace, TestPaths.cascadeExecutable] + serve
        } else {
            process.executableURL = URL(fileURLWithPath: TestPaths.cascadeExecutable)
            process.arguments = serve
        }
        self.host = host
        process.environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        process.currentDirectoryURL = TestPaths.packageRoot
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let collected = OutputBuffer()
        self.collected = collected
        let reader = stdout.fileHandleForReading
        let deadline = Date().addingTimeInterval(60)
        var port: Int?
        while port == nil, Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            collected.append(chunk)
            let text = collected.text.withLock { $0 }
            if let range = text.range(of: #"listening on http://[0-9.]+:(\d+)/"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last!.dropLast())
            }
        }
        guard let port else {
            process.terminate()
            throw TestFailure("cascade serve did not start: \(collected.text.withLock { $0 })")
        }
        self.port = port
        let text = collected.text.withLock { $0 }
        // Not a terminal, so the password is not printed: the server wrote it to a file of the data directory.
        initialPassword = text.contains("Cascade created the administrator account")
            ? (try? String(contentsOfFile: "\(dataDirectory)/initial-admin-password", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            : nil
        guard !text.contains("password:") else {
            process.terminate()
            throw TestFailure("the first password went to a standard output that is not a terminal")
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        Thread {
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { return }
                collected.append(chunk)
            }
        }.start()
    }

    /// Sends SIGTERM and waits for the exit status.
    public func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills the server with SIGKILL (a crash, a power cut) and waits until it is gone; its workers stay.
    public func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
