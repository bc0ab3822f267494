import CascadeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `cascade minutes …`, `cascade search` and `cascade archive …`: the minutes, the search and the
/// archive's downloads, holds, retention and integrity, through a running server.
public enum ArchiveCommands {
    // MARK: - Minutes

    /// The minutes (the latest version, or `version`) as lines.
    public static func showMinutes(_ meetingId: String, version: Int?, client: APIClient) async throws -> [String] {
        let path = version.map { "/api/v1/meetings/\(meetingId)/minutes/versions/\($0)" } ?? "/api/v1/meetings/\(meetingId)/minutes"
        return minutesLines(try await client.send("GET", path, as: Minutes.self))
    }

    /// Writes the draft from a JSON file (`chair`, `secretary`, `notes`, `agenda`, `documents`).
    public static func editMinutes(_ meetingId: String, file: String, client: APIClient) async throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else { throw failure("cannot read \(file)") }
        return minutesLines(try await client.send("PUT", "/api/v1/meetings/\(meetingId)/minutes", raw: data, contentType: "application/json", as: Minutes.self))
    }

    /// Makes the draft final, starts a new version, or marks an agenda item as starting now.
    public static func changeMinutes(_ meetingId: String, action: String, client: APIClient) async throws -> [String] {
        let method = "POST"
        let path = switch action {
        case "final": "/api/v1/meetings/\(meetingId)/minutes/final"
        case "new-version": "/api/v1/meetings/\(meetingId)/minutes/versions"
        default: "/api/v1/meetings/\(meetingId)/minutes/items/\(action)/mark"
        }
        return minutesLines(try await client.send(method, path, as: Minutes.self))
    }

    /// Attaches a PDF, DOCX or ODT file, named as on disk.
    public static func attach(_ meetingId: String, file: String, client: APIClient) async throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else { throw failure("cannot read \(file)") }
        let name = (file as NSString).lastPathComponent.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "attachment"
        let stored = try await client.send("POST", "/api/v1/meetings/\(meetingId)/attachments?name=\(name)", raw: data, contentType: "application/octet-stream") as? [String: Any] ?? [:]
        return ["Attached \(stored["id"] ?? "") \(stored["name"] ?? "") (\(stored["mediaType"] ?? ""), \(stored["bytes"] ?? 0) bytes, sha256 \(stored["sha256"] ?? ""))"]
    }

    static func minutesLines(_ minutes: Minutes) -> [String] {
        let content = minutes.content
        var lines = ["\(minutes.meetingId) minutes version \(minutes.version) (\(minutes.state.rawValue)), saved by \(minutes.updatedBy) at \(minutes.updatedAt.formatted(.iso8601))",
                     "chair: \(content.chair)   secretary: \(content.secretary)"]
        for (number, item) in content.agenda.enumerated() {
            let start = item.startSeconds.map(clock) ?? "--:--:--"
            let end = item.endSeconds.map(clock) ?? ""
            lines.append("  \(number). [\(start)–\(end)] \(item.title)\(item.presenter.isEmpty ? "" : " — \(item.presenter)")")
            if !item.conclusion.isEmpty { lines.append("     conclusion: \(item.conclusion)") }
        }
        for document in content.documents {
            lines.append("  document \(document.number) (\(document.kind), \(document.date)): \(document.title)")
        }
        if !content.notes.isEmpty { lines.append("notes: \(content.notes)") }
        return lines
    }

    // MARK: - Search

    /// One line per meeting found, best first.
    public static func search(_ query: [String: String], client: APIClient) async throws -> [String] {
        let text = query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        let page = try await client.send("GET", "/api/v1/search?\(text)") as? [String: Any] ?? [:]
        let results = page["results"] as? [[String: Any]] ?? []
        var lines = ["\(page["total"] ?? 0) meetings found (page \(page["page"] ?? 1), \(results.count) shown)"]
        for hit in results {
            let recorded = (hit["hasRecording"] as? Bool == true) ? "recorded \(clock(hit["recordedSeconds"] as? Double ?? 0))" : "not recorded"
            let documents = (hit["documentNumbers"] as? [String] ?? []).joined(separator: ", ")
            lines.append("  \(hit["id"] ?? "")  \(hit["start"] ?? "")  \(hit["organiserUnitId"] ?? "")  \(hit["title"] ?? "")  \(recorded)\(documents.isEmpty ? "" : "  documents \(documents)")")
        }
        return lines
    }

    // MARK: - Archive

    /// Downloads the meeting (or a range) as one MP4 into `output` (default: the name the server
    /// gives, cut to a file name in the working directory); an existing file only with `force`.
    public static func download(_ meetingId: String, from: Double?, to: Double?, output: String?, force: Bool = false, client: APIClient) async throws -> [String] {
        var query: [String] = []
        if let from { query.append("from=\(from)") }
        if let to { query.append("to=\(to)") }
        let path = "/api/v1/meetings/\(meetingId)/media.mp4" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        guard let url = URL(string: client.server + path) else { throw failure("\(client.server + path) is not a URL") }
        var request = URLRequest(url: url)
        request.setValue("Bearer \(client.token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 3600
        let (temporary, response) = try await APIClient.session.download(for: request)
        let http = response as? HTTPURLResponse
        guard let http, http.statusCode == 200 else {
            let data = (try? Data(contentsOf: temporary)) ?? Data()
            let problem = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            throw APIClient.Failure(status: http?.statusCode ?? 0, problemJSON: data, description: problem?["detail"] as? String ?? "the server answered \(http?.statusCode ?? 0)")
        }
        let offered = (http.value(forHTTPHeaderField: "Content-Disposition") ?? "").components(separatedBy: "''").last?.removingPercentEncoding
        let destination = try DownloadDestination.resolve(output: output, offered: offered, meetingId: meetingId, force: force)
        if force, let type = (try? FileManager.default.attributesOfItem(atPath: destination))?[.type] as? FileAttributeType {
            // --force replaces a file, never a directory or what a link points to.
            guard type == .typeRegular else { throw failure("\(destination) is not a plain file; not replaced") }
            try FileManager.default.removeItem(atPath: destination)
        }
        try FileManager.default.moveItem(at: temporary, to: URL(fileURLWithPath: destination))
        let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value ?? 0
        var lines = ["Saved \(destination) (\(size) bytes, \(http.value(forHTTPHeaderField: "Cascade-Duration-Seconds") ?? "?") s from \(http.value(forHTTPHeaderField: "Cascade-Start-Seconds") ?? "0") s)"]
        if let gaps = http.value(forHTTPHeaderField: "Cascade-Gaps"), !gaps.isEmpty { lines.append("gaps (seconds of the file): \(gaps)") }
        return lines
    }

    /// Puts a meeting on legal hold, or lifts it.
    public static func hold(_ meetingId: String, reason: String?, client: APIClient) async throws -> [String] {
        guard let reason else {
            _ = try await client.send("DELETE", "/api/v1/meetings/\(meetingId)/hold")
            return ["Hold on \(meetingId) lifted."]
        }
        let hold = try await client.send("PUT", "/api/v1/meetings/\(meetingId)/hold", body: ["reason": reason]) as? [String: Any] ?? [:]
        return ["\(meetingId) is on hold since \(hold["heldAt"] ?? ""): \(hold["reason"] ?? "")"]
    }

    /// What retention would delete (or, with `run`, deleted).
    public static func retention(run: Bool, client: APIClient) async throws -> [String] {
        let report = try await client.send(run ? "POST" : "GET", run ? "/api/v1/archive/retention/run" : "/api/v1/archive/retention") as? [String: Any] ?? [:]
        let decisions = report["decisions"] as? [[String: Any]] ?? []
        var lines = ["\(run ? "Deleted" : "Would delete") \(decisions.count) recordings; free \(report["freeBytes"] ?? 0) bytes, watermark \(report["minimumFreeBytes"] ?? 0)"]
        for decision in decisions {
            lines.append("  r\(decision["recordingId"] ?? "")  \(decision["meetingId"] ?? "-")  \(decision["reason"] ?? "")  ended \(decision["endedAt"] ?? "")  \(decision["bytes"] ?? 0) bytes")
        }
        for refusal in report["refused"] as? [String] ?? [] { lines.append("  not deleted: \(refusal)") }
        return lines
    }

    /// What the integrity checks found (with `run`, checks now).
    public static func integrity(run: Bool, client: APIClient) async throws -> [String] {
        let report = try await client.send(run ? "POST" : "GET", run ? "/api/v1/archive/integrity/run" : "/api/v1/archive/integrity") as? [String: Any] ?? [:]
        let damaged = report["damaged"] as? [[String: Any]] ?? []
        var lines = ["\(report["checkedParts"] ?? 0) parts checked\((report["at"] ?? report["lastCheckedAt"]).map { " (\($0))" } ?? ""); \(damaged.count) damaged"]
        for part in damaged { lines.append("  \(part["recordingId"] ?? "") part \(part["partIndex"] ?? ""): \(part["problem"] ?? "")") }
        return lines
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        return String(format: "%02d:%02d:%02d", total / 3600, total % 3600 / 60, total % 60)
    }

    static func failure(_ description: String) -> APIClient.Failure { APIClient.Failure(status: 0, problemJSON: Data(), description: description) }
}
