import ArgumentParser
import CascadeApp
import Foundation

/// `cascade serve`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server: HTTP API and web UI, worker supervisor, embedded database.")

    @OptionGroup var data: DataOptions

    @Option(name: .long, help: "Listen address host:port (default: server.http from the configuration, else 127.0.0.1:8080).")
    var http: String?

    func run() async throws {
        // Everything the server writes (database, secrets, recordings, worker sockets) is its user's alone.
        umask(0o077)
        let address = try http.map { text in
            guard let address = HostAndPort(text) else { throw ValidationError("--http must be host:port, got \(text)") }
            return address
        }
        let configuration = try data.load(http: address)
        try await failingOnOneLine {
            try await CascadeServer.run(
                configuration,
                workerExecutable: CascadeServer.currentExecutable,
                logger: makeLogger("cascade"),
                announce: { line in
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                }
            )
        }
    }
}
