import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/search` and a meeting's archive: its media laid on one timeline (a JSON map for Cascade's
/// player, an HLS playlist for any other), the one-file MP4 download, and the minutes' attachments.
/// Confidential meetings' media and attachments are for the configured roles only; every play and
/// download is audited with its range.
struct ArchiveRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    /// The map Cascade's player reads.
    struct MediaView: Encodable {
        var meetingId: String
        var title: String
        var origin: Date?
        var durationSeconds: Double
        var finished: Bool
        var codecs: String
        var gaps: [MeetingTimeline.Gap]
        var chapters: [Chapter]
        var parts: [PartView]

        struct Chapter: Encodable {
            var title: String
            var startSeconds: Double
            var endSeconds: Double?
        }

        struct PartView: Encodable {
            var recordingId: String
            var index: Int
            var url: String
            var offsetSeconds: Double
            var baseSeconds: Double
            var durationSeconds: Double
            var initialisation: [Int64]
            var segments: [MeetingMediaMap.Segment]
        }
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("search") { request, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readMeetings)
            let query = try archiveQuery(request.uri.queryParameters, principal)
            return try JSONResponse.make(try await dependencies.offloaded { try $0.search(query) })
        }
        group.get("meetings/:id/media") { _, context in
            let (meeting, principal) = try mediaMeeting(context)
            let map = try await mediaMap(of: meeting)
            try dependencies.database.appendAudit(actor: principal.name, action: "media.play", target: meeting.id, details: "map of \(map.parts.count) parts")
            let chapters = (try dependencies.database.minutes(meeting.id)?.content.agenda ?? []).compactMap { item in
                item.startSeconds.map { MediaView.Chapter(title: item.title, startSeconds: $0, endSeconds: item.endSeconds) }
            }
            let view = MediaView(
                meetingId: meeting.id, title: meeting.details.title, origin: map.timeline.origin, durationSeconds: map.timeline.durationSeconds,
                finished: map.isFinished, codecs: map.parts.first?.index.codecs ?? "", gaps: map.timeline.gaps, chapters: chapters,
                parts: map.parts.map { part in
                    MediaView.PartView(recordingId: "r\(part.recordingId)", index: part.partIndex, url: partURL(part), offsetSeconds: part.offsetSeconds,
                                       baseSeconds: part.index.startSeconds, durationSeconds: part.index.durationSeconds,
                                       initialisation: [part.index.initialisation.lowerBound, part.index.initialisation.upperBound - 1],
                                       segments: map.segments(of: part))
                })
            return try JSONResponse.make(view)
        }
        group.get("meetings/:id/media.m3u8") { _, context in
            let (meeting, principal) = try mediaMeeting(context)
            let map = try await mediaMap(of: meeting)
            try dependencies.database.appendAudit(actor: principal.name, action: "media.play", target: meeting.id, details: "HLS playlist")
            return Response(status: .ok, headers: [.contentType: "application/vnd.apple.mpegurl", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: map.hlsPlaylist(partURL: partURL))))
        }
        group.get("meetings/:id/media.mp4") { request, context in
            let (meeting, principal) = try mediaMeeting(context)
            let map = try await mediaMap(of: meeting)
            let range = try timeRange(request.uri.queryParameters, within: map.timeline.durationSeconds)
            let made: MeetingDownload
            do throws(MeetingMediaMap.DownloadProblem) {
                made = try map.download(range: range)
            } catch {
                throw Problem.conflict(error.description)
            }
            let span = String(format: "%.1f–%.1f s", made.startSeconds, made.startSeconds + made.durationSeconds)
            try dependencies.database.appendAudit(actor: principal.name, action: "media.download", target: meeting.id, details: span)
            var headers: HTTPFields = [.contentType: "video/mp4", .cacheControl: "no-store",
                                       .contentDisposition: Self.attachmentDisposition(Self.fileName(meeting, zone: dependencies.zone) + ".mp4")]
            headers[HTTPField.Name("Cascade-Start-Seconds")!] = String(format: "%.3f", made.startSeconds)
            headers[HTTPField.Name("Cascade-Duration-Seconds")!] = String(format: "%.3f", made.durationSeconds)
            // Where the file holds no media: start–end in seconds of the file's own clock.
            headers[HTTPField.Name("Cascade-Gaps")!] = made.gaps.map { String(format: "%.3f-%.3f", $0.startSeconds, $0.endSeconds) }.joined(separator: ",")
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                for try await chunk in made.chunks() { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            })
        }
        AttachmentRoutes(dependencies: dependencies, meetings: meetings, archive: self).register(on: group)
        RetentionRoutes(dependencies: dependencies, meetings: meetings).register(on: group)
    }

    /// The meeting of the request, if the caller may play its media.
    func mediaMeeting(_ context: AppRequestContext) throws -> (Meeting, Principal) {
        let principal = try context.requirePrincipal()
        let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
        try requireMediaAccess(meeting, principal)
        return (meeting, principal)
    }

    /// Refuses a confidential meeting's media to roles not named for it.
    func requireMediaAccess(_ meeting: Meeting, _ principal: Principal) throws {
        if meeting.details.classification == .confidential, !dependencies.confidentialMediaRoles.contains(principal.role) {
            throw Problem.forbidden("meeting \(meeting.id) is confidential: its media are for \(dependencies.confidentialMediaRoles.map(\.rawValue).sorted().joined(separator: ", ")) only")
        }
    }

    func mediaMap(of meeting: Meeting) async throws -> MeetingMediaMap {
        guard let library = dependencies.mediaLibrary else { throw Problem(status: .serviceUnavailable, code: "unavailable", detail: "recording is not running") }
        let recordings = try await dependencies.offloaded { try $0.recordings(ofMeeting: meeting.id) }
        let map = await library.map(of: recordings)
        guard !map.parts.isEmpty else { throw Problem.notFound("nothing of meeting \(meeting.id) is recorded") }
        return map
    }

    /// A part's address, with the media extension players require of segment and map URIs
    /// (ffmpeg's `allowed_segment_extensions`).
    private func partURL(_ part: MeetingMediaMap.Part) -> String { "/api/v1/recordings/r\(part.recordingId)/parts/\(part.partIndex).mp4" }

    /// `from` and `to` in seconds of the meeting's timeline; both optional.
    private func timeRange(_ query: Parameters, within duration: Double) throws -> ClosedRange<Double>? {
        func seconds(_ name: String) throws -> Double? {
            guard let text = query.get(name) else { return nil }
            guard let value = Double(text), value.isFinite, value >= 0 else { throw Problem.badRequest("\(name) must be a number of seconds ≥ 0", field: name) }
            return value
        }
        let from = try seconds("from"), to = try seconds("to")
        guard from != nil || to != nil else { return nil }
        let start = from ?? 0, end = to ?? duration
        guard start < duration else { throw Problem.unprocessable(String(format: "from is past the end of the recording (%.1f s)", duration), field: "from") }
        guard end > start else { throw Problem.unprocessable("to must be after from", field: "to") }
        return start...min(end, duration)
    }

    private func archiveQuery(_ parameters: Parameters, _ principal: Principal) throws -> ArchiveQuery {
        var query = ArchiveQuery()
        query.text = parameters.get("q") ?? ""
        guard query.text.count <= 200 else { throw Problem.unprocessable("q may hold at most 200 characters", field: "q") }
        if let from = parameters.get("from") { query.from = try TimeInput.parseBound(from, field: "from", zone: dependencies.zone) }
        if let to = parameters.get("to") { query.to = try TimeInput.parseBound(to, field: "to", zone: dependencies.zone) }
        let tree = dependencies.policy.tree
        var units: Set<String>? = principal.scopeUnitId.map { tree.subtree(of: $0) }
        if let unit = parameters.get("unit") {
            guard tree.unit(unit) != nil else { throw Problem.unprocessable("no unit \(unit)", field: "unit") }
            let subtree = tree.subtree(of: unit)
            units = units.map { $0.intersection(subtree) } ?? subtree
        }
        query.units = units
        if let hall = parameters.get("hall") {
            guard tree.hall(hall) != nil else { throw Problem.unprocessable("no hall \(hall)", field: "hall") }
            query.hallId = hall
        }
        if let text = parameters.get("classification") {
            guard let classification = Classification(rawValue: text) else { throw Problem.unprocessable("classification must be public, internal or confidential", field: "classification") }
            query.classification = classification
        }
        if let text = parameters.get("hasRecording") {
            guard let value = Bool(text) else { throw Problem.unprocessable("hasRecording must be true or false", field: "hasRecording") }
            query.hasRecording = value
        }
        if let text = parameters.get("page") {
            guard let page = Int(text), page >= 1, page <= 10_000 else { throw Problem.unprocessable("page must be 1 or more", field: "page") }
            query.page = page
        }
        if let text = parameters.get("perPage") {
            guard let perPage = Int(text), (1...100).contains(perPage) else { throw Problem.unprocessable("perPage must be 1–100", field: "perPage") }
            query.perPage = perPage
        }
        return query
    }

    /// A download name from the meeting's title and date, safe for any file system.
    static func fileName(_ meeting: Meeting, zone: TimeZone) -> String {
        let date = Zone(zone).local(meeting.start).date.description
        let cleaned = meeting.details.title.unicodeScalars.map { scalar -> String in
            CharacterSet(charactersIn: "/\\:*?\"<>|").contains(scalar) || FreeText.isControl(scalar) ? "-" : String(scalar)
        }.joined().trimmingCharacters(in: .whitespaces)
        return "\(date) \(cleaned.prefix(120))"
    }

    /// `attachment` with an ASCII fallback name and the exact name in RFC 5987 form.
    static func attachmentDisposition(_ name: String) -> String {
        let ascii = VietnameseFolding.fold(name).unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? String($0) : "_" }.joined()
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
