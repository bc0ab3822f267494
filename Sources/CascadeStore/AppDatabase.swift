import CascadeCore
import Foundation
import GRDB
import HummingbirdBcrypt
import Synchronization

/// The embedded database: one WAL-mode pool per process, migrated on open.
///
/// Every write is a named method that keeps the data consistent in one transaction;
/// reads go through the pool's readers and never block writers.
public final class AppDatabase: Sendable {
    let writer: DatabasePool
    /// The bcrypt cost for new password hashes (12 in production; tests may lower it).
    let passwordCost: UInt8
    /// A hash checked against when a login names no user, so timing does not reveal which names exist.
    /// Made on the first such login, not at every open: the CLI opens the database too.
    private let unknownUserHashStorage = Mutex<String?>(nil)

    /// Opens (creating if needed) the database file at `path` and applies pending migrations.
    public init(path: String, passwordCost: UInt8 = 12) throws(StoreError) {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(writer)
        } catch {
            throw StoreError(.unavailable, "cannot open the database at \(path): \(error)")
        }
        self.passwordCost = passwordCost
    }

    var unknownUserHash: String {
        unknownUserHashStorage.withLock { stored in
            if let stored { return stored }
            let hash = Bcrypt.hash(Secrets.password(), cost: passwordCost)
            stored = hash
            return hash
        }
    }

    /// Opens `cascade.sqlite` inside `dataDirectory`, creating the directory if needed. The directory
    /// (mode 0700) and the database with its WAL and shared-memory files (0600) are the server's
    /// user's alone, also when an older Cascade left them readable by others.
    public static func open(dataDirectory: String, passwordCost: UInt8 = 12) throws(StoreError) -> AppDatabase {
        let path = (dataDirectory as NSString).appendingPathComponent("cascade.sqlite")
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dataDirectory)
            if !files.fileExists(atPath: path) { _ = files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) }
        } catch {
            throw StoreError(.unavailable, "cannot create the data directory \(dataDirectory): \(error.localizedDescription)")
        }
        let database = try AppDatabase(path: path, passwordCost: passwordCost)
        for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: path + suffix) {
            try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path + suffix)
        }
        return database
    }

    /// The database's condition, for /healthz.
    public func health() -> DatabaseHealth {
        do {
            return try writer.read { db in
                let journal = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown"
                let applied = try Self.migrator.appliedMigrations(db)
                let pending = Self.migrator.migrations.filter { !applied.contains($0) }
                return DatabaseHealth(isReachable: true, journalMode: journal, migrations: applied, pendingMigrations: pending, problem: nil)
            }
        } catch {
            return DatabaseHealth(isReachable: false, journalMode: "unknown", migrations: [], pendingMigrations: [], problem: "\(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "database write failed: \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "database read failed: \(error)")
        }
    }
}

/// The database's condition as /healthz reports it.
public struct DatabaseHealth: Sendable, Codable {
    /// Whether a read succeeded.
    public var isReachable: Bool
    /// SQLite's journal mode ("wal" expected).
    public var journalMode: String
    /// Migrations applied, in order.
    public var migrations: [String]
    /// Migrations known but not applied.
    public var pendingMigrations: [String]
    /// What went wrong, when something did.
    public var problem: String?
}
