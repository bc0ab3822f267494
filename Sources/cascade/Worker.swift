import ArgumentParser
import CascadeApp
import Foundation

/// `cascade worker`: started by the server's supervisor, never by hand.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one pipeline for the supervisor (internal; see docs/worker-protocol.md).",
        shouldDisplay: false
    )

    @Option(name: .long, help: "Control socket to listen on.")
    var socket: String

    @Option(name: .long, help: "Worker id given by the supervisor.")
    var id: String

    @Flag(name: .long, help: "Keep running when the server goes away (relays); others finish their pipeline and exit.")
    var outlivesServer = false

    func run() async throws {
        // Recording parts and anything else a worker writes are the server's user's alone.
        umask(0o077)
        let code = await WorkerProcess.run(socketPath: socket, workerId: id, outlivesServer: outlivesServer, logger: makeLogger("cascade.worker"))
        if code != 0 { throw ExitCode(code) }
    }
}
