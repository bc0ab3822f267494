import CascadeCore
import CascadeMedia
import Foundation
import Logging
import ServiceLifecycle

/// What the archive keeper reads and records.
public protocol ArchiveCatalogue: Sendable {
    /// Finished recordings not yet deleted.
    func retainedRecordings() throws -> [RetainedRecording]
    /// Marks a recording deleted (refused when its meeting went on hold meanwhile); audited.
    func markRecordingDeleted(_ id: Int64, reason: String, actor: String, at time: Date) throws
    /// Finished parts that carry a SHA-256, of recordings not deleted.
    func partsToVerify() throws -> [(recordingId: Int64, part: RecordingPart)]
    /// Records one part's check (`problem` nil when it matched).
    func recordPartCheck(recording: Int64, part: Int, problem: String?, at time: Date) throws
}

/// What retention would delete (or deleted), and the disk around it.
public struct RetentionReport: Sendable, Codable, Equatable {
    /// Whether anything was deleted (false for a dry run).
    public var applied: Bool
    /// When it was made.
    public var at: Date
    /// Free bytes on the recordings' disk before.
    public var freeBytes: Int64
    /// The watermark.
    public var minimumFreeBytes: Int64
    /// What goes (or went).
    public var decisions: [RetentionDecision]
    /// What would have gone but could not (a hold placed meanwhile, a file that would not go).
    public var refused: [String]
}

/// The result of checking every finished part against its SHA-256.
public struct IntegrityReport: Sendable, Codable, Equatable {
    /// A part that does not match its index.
    public struct Damage: Sendable, Codable, Equatable {
        public var recordingId: String
        public var partIndex: Int
        public var problem: String
    }

    /// When the check ran.
    public var at: Date
    /// How many parts were read.
    public var checkedParts: Int
    /// The damaged ones.
    public var damaged: [Damage]
}

/// Keeps the archive: deletes recordings past their retention (or the oldest that may go when the disk
/// is low), never a held meeting's, and checks the parts against their SHA-256 on a schedule. Every
/// deletion is audited; the plan can be read without deleting anything (the dry run). Its work —
/// database reads, deleting folders, hashing every part — runs on a queue of its own, one job at a
/// time, never on the two threads that serve requests.
public final class ArchiveKeeper: Service, Sendable {
    private let catalogue: any ArchiveCatalogue
    private let policy: RetentionPolicy
    private let directory: @Sendable (Int64) -> String
    private let freeBytes: @Sendable () -> Int64
    private let clock: any WallClock
    private let library: MeetingMediaLibrary?
    private let logger: Logger
    /// How often retention runs, and the integrity check.
    public let retentionInterval: Duration
    public let integrityInterval: Duration

    /// A keeper of the recordings under `directory(id)`, measuring the disk with `freeBytes`.
    public init(catalogue: any ArchiveCatalogue, policy: RetentionPolicy, directory: @escaping @Sendable (Int64) -> String,
                freeBytes: @escaping @Sendable () -> Int64, clock: any WallClock, library: MeetingMediaLibrary? = nil, logger: Logger,
                retentionInterval: Duration = .seconds(3600), integrityInterval: Duration = .seconds(86_400)) {
        self.catalogue = catalogue
        self.policy = policy
        self.directory = directory
        self.freeBytes = freeBytes
        self.clock = clock
        self.library = library
        self.logger = logger
        self.retentionInterval = retentionInterval
        self.integrityInterval = integrityInterval
    }

    /// The free bytes of the filesystem holding `path` (0 when it cannot be read).
    public static func freeBytes(at path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path)
        return (attributes?[.systemFreeSize] as? NSNumber)?.int64Value ?? 0
    }

    private static let queue = DispatchQueue(label: "cascade.archive-keeper")

    private func onQueue<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// What retention would delete now; deletes nothing.
    public func plan() async throws -> RetentionReport { try await onQueue { try self.planNow() } }

    /// Deletes what the plan says, each recording marked deleted (and audited) before its files go.
    public func apply(actor: String) async throws -> RetentionReport { try await onQueue { try self.applyNow(actor: actor) } }

    /// Reads every finished part and compares it with the SHA-256 in the index.
    public func verify() async throws -> IntegrityReport { try await onQueue { try self.verifyNow() } }

    private func planNow() throws -> RetentionReport {
        let free = freeBytes()
        let decisions = policy.plan(try catalogue.retainedRecordings(), now: clock.now, freeBytes: free)
        return RetentionReport(applied: false, at: clock.now, freeBytes: free, minimumFreeBytes: policy.minimumFreeBytes, decisions: decisions, refused: [])
    }

    private func applyNow(actor: String) throws -> RetentionReport {
        var report = try planNow()
        report.applied = true
        var done: [RetentionDecision] = []
        for decision in report.decisions {
            let reason = decision.reason == .expired ? "retention expired" : "disk below \(policy.minimumFreeBytes) free bytes"
            do {
                try catalogue.markRecordingDeleted(decision.recordingId, reason: reason, actor: actor, at: clock.now)
            } catch {
                report.refused.append("r\(decision.recordingId): \(error)")
                continue
            }
            do {
                try FileManager.default.removeItem(atPath: directory(decision.recordingId))
            } catch CocoaError.fileNoSuchFile {
                // already gone
            } catch {
                report.refused.append("r\(decision.recordingId): marked deleted, but its files stay: \(error.localizedDescription)")
            }
            library?.forget(recording: decision.recordingId)
            done.append(decision)
        }
        report.decisions = done
        if !done.isEmpty { logger.notice("retention deleted \(done.count) recordings", metadata: ["bytes": "\(done.map(\.bytes).reduce(0, +))"]) }
        return report
    }

    private func verifyNow() throws -> IntegrityReport {
        var damaged: [IntegrityReport.Damage] = []
        let parts = try catalogue.partsToVerify()
        for (recordingId, part) in parts {
            let path = (directory(recordingId) as NSString).appendingPathComponent(part.fileName)
            let problem: String?
            if !FileManager.default.fileExists(atPath: path) {
                problem = "the file is missing"
            } else if let digest = FileDigest.sha256(path: path) {
                problem = digest == part.sha256 ? nil : "SHA-256 \(digest) differs from the index (\(part.sha256 ?? "none"))"
            } else {
                problem = "the file cannot be read"
            }
            try catalogue.recordPartCheck(recording: recordingId, part: part.index, problem: problem, at: clock.now)
            if let problem { damaged.append(.init(recordingId: "r\(recordingId)", partIndex: part.index, problem: problem)) }
        }
        let report = IntegrityReport(at: clock.now, checkedParts: parts.count, damaged: damaged)
        if !damaged.isEmpty { logger.error("integrity check found \(damaged.count) damaged parts") }
        return report
    }

    /// Applies retention and checks integrity on their intervals until shutdown.
    public func run() async throws {
        Self.queue.async { self.warmRecentParts() }
        var nextRetention = clock.now
        var nextIntegrity = clock.now.addingTimeInterval(Self.seconds(integrityInterval) / 24)  // not all at start-up
        while !Task.isCancelled {
            let now = clock.now
            if now >= nextRetention {
                do { _ = try await apply(actor: "retention") } catch { logger.error("retention failed: \(error)") }
                nextRetention = now.addingTimeInterval(Self.seconds(retentionInterval))
            }
            if now >= nextIntegrity {
                do { _ = try await verify() } catch { logger.error("integrity check failed: \(error)") }
                nextIntegrity = now.addingTimeInterval(Self.seconds(integrityInterval))
            }
            let wait = min(nextRetention, nextIntegrity).timeIntervalSince(clock.now)
            do {
                try await gracefulShutdownOrCancel { try await self.clock.sleep(for: .milliseconds(Int(max(wait, 0.05) * 1000))) }
            } catch {
                return
            }
        }
    }

    /// Indexes the newest finished parts in the background, so that the first player after a restart
    /// does not wait for every part of a long meeting to be read.
    private func warmRecentParts(limit: Int = 500) {
        guard let library, let parts = try? catalogue.partsToVerify() else { return }
        for (recordingId, part) in parts.suffix(limit) {
            library.warm(path: (directory(recordingId) as NSString).appendingPathComponent(part.fileName))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Runs `body` unless shutdown begins first.
private func gracefulShutdownOrCancel(_ body: @escaping @Sendable () async throws -> Void) async throws {
    try await cancelWhenGracefulShutdown { try await body() }
}
