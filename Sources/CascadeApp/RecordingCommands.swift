import CascadeCore
import CascadeMedia
import CascadeHTTP
import CascadeStore
import Foundation

/// `cascade recordings …`: start, stop and read through a running server; verify files against the index offline.
public enum RecordingCommands {
    /// Starts recording a source; returns the lines to print.
    public static func start(source: String?, relayId: String? = nil, meetingId: String?, partSeconds: Int?, client: APIClient) async throws -> [String] {
        var body: [String: Any] = [:]
        body["source"] = source
        body["relayId"] = relayId
        body["meetingId"] = meetingId
        body["partSeconds"] = partSeconds
        let created = try await client.send("POST", "/api/v1/recordings", body: body, as: RecordingView.self)
        return ["Recording \(created.id) started from \(relayId.map { "relay \($0)" } ?? created.source ?? "its source")."]
    }

    /// Stops a recording and summarises it.
    public static func stop(_ id: String, client: APIClient) async throws -> [String] {
        let stopped = try await client.send("DELETE", "/api/v1/recordings/\(id)", as: RecordingView.self)
        return ["Stopped " + line(for: stopped)]
    }

    /// Every recording, one line each.
    public static func list(client: APIClient) async throws -> [String] {
        let recordings = try await client.send("GET", "/api/v1/recordings", as: [RecordingView].self)
        return recordings.isEmpty ? ["No recordings."] : recordings.map(line(for:))
    }

    /// One recording with its parts and gaps.
    public static func show(_ id: String, client: APIClient) async throws -> [String] {
        let recording = try await client.send("GET", "/api/v1/recordings/\(id)", as: RecordingView.self)
        var lines = [line(for: recording)]
        if let reason = recording.reason { lines.append("  reason: \(reason)") }
        for part in recording.parts {
            let seconds = part.durationSeconds.map { String(format: "%.1f s", $0) } ?? "–"
            lines.append("  part \(part.index)  \(part.startedAt.formatted(.iso8601))  \(seconds)  \(part.bytes.map(String.init) ?? "–") bytes  \(part.state.rawValue)  sha256 \(part.sha256 ?? "–")")
        }
        for gap in recording.gaps {
            lines.append("  gap   \(gap.start.formatted(.iso8601)) – \(gap.end?.formatted(.iso8601) ?? "(open)")  \(gap.reason)")
        }
        return lines
    }

    /// Compares the recordings folder with the index: files the index lacks, indexed parts whose file is
    /// gone, sizes and hashes that differ. Returns the report and whether everything agrees.
    public static func verify(configuration: Configuration) throws -> (lines: [String], isConsistent: Bool) {
        let database = try CascadeServer.openDatabase(configuration)
        let root = (configuration.dataDirectory as NSString).appendingPathComponent("recordings")
        var problems: [String] = []
        var checked = 0
        let recordings = try database.recordings()
        for recording in recordings {
            let folder = (root as NSString).appendingPathComponent("r\(recording.id)")
            let onDisk = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            for part in recording.parts {
                checked += 1
                let path = (folder as NSString).appendingPathComponent(part.fileName)
                guard onDisk.contains(part.fileName) else {
                    problems.append("r\(recording.id) part \(part.index): the index lists \(part.fileName) but the file is gone")
                    continue
                }
                guard part.state != .recording else { continue }
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
                if let bytes = part.bytes, size != bytes {
                    problems.append("r\(recording.id) part \(part.index): \(size ?? 0) bytes on disk, \(bytes) in the index")
                } else if let sha = part.sha256, FileDigest.sha256(path: path) != sha {
                    problems.append("r\(recording.id) part \(part.index): the file's SHA-256 differs from the index")
                }
            }
            let indexed = Set(recording.parts.map(\.fileName))
            for name in onDisk.sorted() where !indexed.contains(name) {
                problems.append("r\(recording.id): \(name) is on disk but not in the index")
            }
        }
        let known = Set(recordings.map { "r\($0.id)" })
        for folder in ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted() where !known.contains(folder) {
            problems.append("\(folder): a recording folder the index does not know")
        }
        let summary = "Checked \(checked) parts of \(recordings.count) recordings: " + (problems.isEmpty ? "files and index agree." : "\(problems.count) problems.")
        return ([summary] + problems.map { "  " + $0 }, problems.isEmpty)
    }

    static func line(for recording: RecordingView) -> String {
        let parts = recording.parts.count
        let seconds = String(format: "%.1f", recording.totalSeconds)
        return "\(recording.id)  \(recording.state.rawValue)  \(recording.startedAt.formatted(.iso8601))  \(seconds) s in \(parts) part\(parts == 1 ? "" : "s")  \(recording.source ?? "")"
    }
}
