import CascadeApp
import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation
import Logging
import ServiceLifecycle

/// The HTTP application running inside the test process on a kernel-chosen port, with a real
/// database file and a real supervisor; `body` gets a client and the database. The scheduler runs
/// only when `runsMeetings`: other tests book meetings near now and drive their relays by hand.
public func withInProcessServer<T: Sendable>(
    config: String = TestPaths.demoConfiguration,
    runsMeetings: Bool = false,
    passwordCost: UInt8 = 4,
    configure: (inout Configuration) -> Void = { _ in },
    _ body: @Sendable (HTTPClient, AppDatabase, Configuration) async throws -> T
) async throws -> T {
    let directory = try TestPaths.makeTemporaryDirectory()
    defer {
        // Relay workers outlive their server by design; a test's end is the end of them.
        _ = try? Command.run("pkill", ["-KILL", "-f", "--", "--socket \(directory)/"])
        try? FileManager.default.removeItem(atPath: directory)
    }
    var configuration = try ConfigurationLoader.load(path: config)
    configuration.dataDirectory = directory
    configuration.scheduler.isEnabled = runsMeetings
    configure(&configuration)
    let database = try AppDatabase.open(dataDirectory: directory, passwordCost: passwordCost)
    try database.syncTopology(configuration.tree)
    let loaded = configuration
    return try await withInProcessServer(loaded, database: database) { client in try await body(client, database, loaded) }
}

/// Runs the application for an existing configuration and database until `body` returns.
public func withInProcessServer<T: Sendable>(
    _ configuration: Configuration,
    database: AppDatabase,
    _ body: @Sendable (HTTPClient) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.http = HostAndPort("127.0.0.1:0")!
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let supervisor = CascadeServer.makeSupervisor(configuration, workerExecutable: TestPaths.cascadeExecutable, logger: logger)
    let (ports, portFeed) = AsyncStream.makeStream(of: Int.self)
    let app = CascadeServer.makeApplication(configuration, database: database, supervisor: supervisor, logger: logger) { portFeed.yield($0) }
    let group = ServiceGroup(services: [app], logger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
        let client = HTTPClient(baseURL: "http://127.0.0.1:\(port)")
        let result: T
        do {
            result = try await body(client)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        while let next = try await tasks.next() {
            if next == nil { break }
        }
        return result
    }
}
