import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeHTTP
import CascadeStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import Synchronization

/// The composition root of `cascade serve`: configuration, store, supervisor and HTTP in one service group.
public enum CascadeServer {
    /// Command-line choices that override the configuration file.
    public struct Options: Sendable {
        /// Path of the YAML configuration.
        public var configPath: String
        /// Overrides `server.dataDir`.
        public var dataDirectory: String?
        /// Overrides `server.http`.
        public var http: HostAndPort?

        /// Creates options.
        public init(configPath: String, dataDirectory: String? = nil, http: HostAndPort? = nil) {
            self.configPath = configPath
            self.dataDirectory = dataDirectory
            self.http = http
        }
    }

    /// Loads the configuration with the options applied.
    public static func configuration(for options: Options) throws(ConfigurationError) -> Configuration {
        var configuration = try ConfigurationLoader.load(path: options.configPath)
        if let dataDirectory = options.dataDirectory { configuration.dataDirectory = dataDirectory }
        if let http = options.http { configuration.http = http }
        return configuration
    }

    /// Opens the data directory's database and brings its unit and hall tables in line with the configuration.
    public static func openDatabase(_ configuration: Configuration, passwordCost: UInt8 = 12) throws(StoreError) -> AppDatabase {
        let database = try AppDatabase.open(dataDirectory: configuration.dataDirectory, passwordCost: passwordCost)
        try database.syncTopology(configuration.tree)
        return database
    }

    /// Runs until SIGTERM or SIGINT, then stops every worker gracefully and returns.
    ///
    /// `announce` receives the lines a person starting the server must see (the first-start
    /// administrator password, the address to open).
    public static func run(
        _ configuration: Configuration,
        workerExecutable: String,
        logger: Logger,
        announce: @escaping @Sendable (String) -> Void
    ) async throws {
        raiseOpenFileLimit(to: configuration.connections.maxConnections + 1_024)
        let database = try openDatabase(configuration)
        if let admin = try database.createInitialAdminIfNeeded() {
            announce(try keepInitialPassword(admin, dataDirectory: configuration.dataDirectory, isTerminal: isatty(STDOUT_FILENO) == 1))
        }
        // Rows written by an older Cascade may still hold passphrases: move them out before anything runs.
        try ledger(configuration, database).moveStoredSecrets()
        try database.appendAudit(actor: "system", action: "server.started", details: "listening on \(configuration.http)")
        let supervisor = makeSupervisor(configuration, workerExecutable: workerExecutable, logger: logger)
        let app = makeApplication(configuration, database: database, supervisor: supervisor, logger: logger) { port in
            let shownHost = configuration.http.host == "0.0.0.0" ? "127.0.0.1" : configuration.http.host
            let address = HostAndPort("\(shownHost):\(port)")?.description ?? "\(shownHost):\(port)"
            announce("Cascade is listening on http://\(address)/ (data in \(configuration.dataDirectory))")
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        try? database.appendAudit(actor: "system", action: "server.stopped")
    }

    /// Writes the first administrator's password to `DATA/initial-admin-password` (0600, readable by
    /// the server's user only) and returns what to tell the person starting the server: the password
    /// itself only on a terminal — under systemd standard output is the journal, which many can read.
    static func keepInitialPassword(_ admin: (name: String, password: String), dataDirectory: String, isTerminal: Bool) throws -> String {
        let path = (dataDirectory as NSString).appendingPathComponent("initial-admin-password")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ConfigurationProblem("cannot write \(path): \(String(cString: strerror(errno)))") }
        let written = Array("\(admin.password)\n".utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written > 0 else { throw ConfigurationProblem("cannot write \(path)") }
        let shown = isTerminal ? "\n  password: \(admin.password)" : ""
        return """
            Cascade created the administrator account on this new database.
              user:     \(admin.name)\(shown)
              the password is in \(path) (readable by this user only): sign in, change it, delete the file.
            Create more users with `cascade user add`.
            """
    }

    /// Lifts the soft limit on open files towards `wanted` (as far as the hard limit allows): the
    /// default soft limit of 1,024 is below `server.maxConnections` plus the workers' sockets.
    static func raiseOpenFileLimit(to wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// The worker supervisor, with its sockets under the data directory.
    public static func makeSupervisor(_ configuration: Configuration, workerExecutable: String, logger: Logger) -> Supervisor {
        Supervisor(
            settings: .init(workerExecutable: workerExecutable, runDirectory: (configuration.dataDirectory as NSString).appendingPathComponent("run")),
            logger: logger,
            onEvent: { event in
                if case .exited(let outcome) = event.kind, outcome.kind != .completed {
                    logger.warning("worker ended", metadata: [
                        "pipeline.id": "\(event.workerId)", "outcome": "\(outcome.kind.rawValue)",
                        "termination": "\(outcome.termination)", "error": "\(outcome.lastError ?? "")",
                    ])
                }
            }
        )
    }

    /// The HTTP application with the supervisor as its service; `onRunning` gets the bound port.
    public static func makeApplication(
        _ configuration: Configuration,
        database: AppDatabase,
        supervisor: Supervisor,
        logger: Logger,
        onRunning: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        var recordingSettings = RecordingService.Settings(directory: (configuration.dataDirectory as NSString).appendingPathComponent("recordings"))
        recordingSettings.freeSpaceFloorBytes = configuration.recording.freeSpaceFloorBytes
        recordingSettings.freeSpaceFloorFraction = configuration.recording.freeSpaceFloorFraction
        let recordingsDirectory = recordingSettings.directory
        let library = MeetingMediaLibrary(directory: { (recordingsDirectory as NSString).appendingPathComponent("r\($0)") })
        recordingSettings.measurePart = { path, index, startedAt, endedNormally in
            let part = await PartFinisher.measure(path: path, index: index, startedAt: startedAt, endedNormally: endedNormally)
            library.warm(path: path)
            return part
        }
        let recordings = RecordingService(supervisor: supervisor, index: ledger(configuration, database), settings: recordingSettings, logger: logger)
        var dependencies = HTTPDependencies(
            database: database, policy: AccessPolicy(tree: configuration.tree),
            supervisor: supervisor, requiredElements: configuration.requiredElements,
            bookingRules: configuration.bookingRules, zone: configuration.zone
        )
        dependencies.recordings = recordings
        dependencies.defaultPartSeconds = configuration.recording.partSeconds
        dependencies.signInLifetime = configuration.signInLifetime
        dependencies.secureCookie = configuration.secureCookie
        dependencies.trustedProxies = configuration.trustedProxies
        dependencies.relayPorts = configuration.relay.ports
        dependencies.eventStreamsPerUser = configuration.connections.eventStreamsPerUser
        let relays = makeRelayService(configuration, database: database, supervisor: supervisor, logger: logger)
        dependencies.relays = relays
        dependencies.feeds = configuration.feeds
        dependencies.runGrace = configuration.scheduler.grace
        let keeper = ArchiveKeeper(catalogue: ArchiveLedger(database: database), policy: configuration.archive.retention,
                                   directory: { recordings.directory(of: $0) }, freeBytes: { ArchiveKeeper.freeBytes(at: recordingsDirectory) },
                                   clock: SystemWallClock(), library: library, logger: logger)
        dependencies.mediaLibrary = library
        dependencies.archiveKeeper = keeper
        dependencies.minutesRules = configuration.archive.minutesRules
        dependencies.confidentialMediaRoles = configuration.archive.confidentialMediaRoles
        dependencies.attachmentMaximumBytes = configuration.archive.attachmentMaximumBytes
        dependencies.attachmentQuotaBytes = configuration.archive.attachmentQuotaBytes
        dependencies.attachmentsDirectory = (configuration.dataDirectory as NSString).appendingPathComponent("attachments")
        dependencies.dataDirectory = configuration.dataDirectory
        if let path = configuration.sourcePath {
            // One reload at a time: two at once could leave the database with one file and memory with the other.
            let reloading = Mutex(false)
            dependencies.reloadTopology = { [topology = dependencies.topology] in
                guard reloading.withLock({ busy in defer { busy = true }; return !busy }) else {
                    throw ConfigurationProblem("a reload of the configuration is already running")
                }
                defer { reloading.withLock { $0 = false } }
                return try await reloadTopology(from: path, database: database, topology: topology, relays: relays, logger: logger)
            }
        }
        var services: [any Service] = [supervisor, recordings, relays, keeper]
        if configuration.scheduler.isEnabled {
            let scheduler = makeScheduler(configuration, database: database, relays: relays, recordings: recordings, topology: dependencies.topology, logger: logger)
            dependencies.scheduler = scheduler
            services.append(scheduler)
            if !configuration.webhooks.isEmpty {
                services.append(WebhookDispatcher(
                    targets: configuration.webhooks.map { .init(url: $0.url, events: $0.events, secret: $0.secret) }, source: scheduler,
                    log: WebhookDeliveryLog(database: database), transport: URLSessionWebhookTransport(), clock: SystemWallClock(), logger: logger
                ))
            }
        }
        let limits = configuration.connections
        return Application(
            router: makeRouter(dependencies),
            // A connection idle (or still sending its headers) for `idleSeconds` is closed, and at most
            // `maxConnections` are held: half-sent requests cannot take every file descriptor.
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(limits.idleSeconds)))),
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "Cascade",
                                 availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
            // Shut down in reverse: HTTP, the scheduler (leaving its runs to the next start), then relays and
            // recordings (finishing their parts), then the supervisor.
            services: services,
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? configuration.http.port) },
            logger: logger
        )
    }

    /// The database as the services' ledger, with secrets kept in `DATA/secrets/` instead.
    static func ledger(_ configuration: Configuration, _ database: AppDatabase) -> SecretKeepingLedger {
        SecretKeepingLedger(database: database, secrets: JobSecrets(dataDirectory: configuration.dataDirectory))
    }

    /// The relay service, with the configured passphrase or one generated once and kept in the data directory.
    static func makeRelayService(_ configuration: Configuration, database: AppDatabase, supervisor: Supervisor, logger: Logger) -> RelayService {
        var settings = RelayService.Settings(passphrase: configuration.srtPassphrase ?? siteRelayPassphrase(dataDirectory: configuration.dataDirectory, logger: logger))
        settings.portRange = configuration.relay.ports
        settings.advertisedHost = configuration.relay.advertisedHost
        settings.canvas = RelayCanvas(width: configuration.relay.width, height: configuration.relay.height, framerate: configuration.relay.framerate, videoKbps: configuration.relay.videoKbps)
        settings.lossAfterMs = configuration.relay.lossAfterMs
        settings.multicastTTL = configuration.relay.multicastTTL
        return RelayService(supervisor: supervisor, ledger: ledger(configuration, database), halls: configuration.tree.halls, settings: settings, logger: logger)
    }

    /// The scheduler that runs meetings, named by an id kept in the data directory so that after a
    /// restart it takes its own runs up again at once.
    static func makeScheduler(_ configuration: Configuration, database: AppDatabase, relays: RelayService, recordings: RecordingService,
                              topology: LiveTopology, logger: Logger) -> MeetingScheduler {
        let media = RelayMeetingMedia(relays: relays, recordings: recordings, partSeconds: configuration.recording.partSeconds)
        return makeScheduler(configuration, database: database, media: media, clock: SystemWallClock(),
                             owner: schedulerOwner(dataDirectory: configuration.dataDirectory), topology: topology, logger: logger)
    }

    /// A scheduler over the database's calendar with the given media and clock (the benchmark gives
    /// it media that only count, and a manual clock).
    public static func makeScheduler(_ configuration: Configuration, database: AppDatabase, media: any MeetingMedia, clock: any WallClock,
                                     owner: String, topology: LiveTopology? = nil, logger: Logger) -> MeetingScheduler {
        var settings = MeetingScheduler.Settings(owner: owner)
        settings.timing.grace = configuration.scheduler.grace
        settings.timing.readinessLead = configuration.scheduler.readinessLead
        let store = CalendarRunStore(database: database, topology: topology ?? LiveTopology(tree: configuration.tree, feeds: configuration.feeds),
                                     rules: configuration.bookingRules, lease: settings.lease)
        return MeetingScheduler(store: store, media: media, clock: clock, settings: settings, logger: logger)
    }

    /// Reads the configuration file again and applies its units, halls and feeds: the database's tables
    /// first (in one transaction), then what the routes, the scheduler and the relays read. A file
    /// with any mistake changes nothing. Other settings take effect at the next start.
    static func reloadTopology(from path: String, database: AppDatabase, topology: LiveTopology, relays: RelayService, logger: Logger) async throws -> TopologyCounts {
        let fresh: Configuration
        do {
            fresh = try ConfigurationLoader.load(path: path)
        } catch {
            throw ConfigurationProblem(error.description)
        }
        try database.syncTopology(fresh.tree)
        topology.replace(tree: fresh.tree, feeds: fresh.feeds)
        await relays.replaceHalls(fresh.tree.halls)
        logger.info("configuration reloaded", metadata: ["units": "\(fresh.tree.units.count)", "halls": "\(fresh.tree.halls.count)"])
        return TopologyCounts(units: fresh.tree.units.count, halls: fresh.tree.halls.count, feeds: fresh.feeds.feeds.count)
    }

    static func schedulerOwner(dataDirectory: String) -> String {
        let path = (dataDirectory as NSString).appendingPathComponent("scheduler-id")
        if let stored = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !stored.isEmpty {
            return stored
        }
        let owner = "scheduler-\(UUID().uuidString.lowercased())"
        try? FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data((owner + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return owner
    }

    /// A random passphrase made on first use and stored (mode 0600) in the data directory: relays are
    /// encrypted even when none is configured, and halls keep the same one across restarts.
    static func siteRelayPassphrase(dataDirectory: String, logger: Logger) -> String {
        let path = (dataDirectory as NSString).appendingPathComponent("srt-passphrase")
        if let stored = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), (10...79).contains(stored.count) {
            return stored
        }
        let passphrase = Secrets.password(length: 32)
        try? FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        if FileManager.default.createFile(atPath: path, contents: Data((passphrase + "\n").utf8), attributes: [.posixPermissions: 0o600]) {
            logger.notice("generated the SRT passphrase for relays in \(path)")
        }
        return passphrase
    }

    /// The running executable, which also serves as the worker program.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
