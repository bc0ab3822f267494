import CascadeCore
import CascadeStore
import Foundation
import HTTPTypes
import Hummingbird

/// "Copy a link for a player": `POST /api/v1/meetings/{id}/player-link` gives a short-lived address
/// (`/play/{meeting}/{token}/media.m3u8`) that opens the meeting's recording in a player that cannot
/// send a header — VLC, ffplay, a meeting room's television. The link reads that meeting's playlist
/// and parts only, for four hours, with its user's rights checked again on every use (a user
/// disabled or no longer allowed stops at once); every use is audited like a play.
struct PlayerLinkRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes
    let archive: ArchiveRoutes
    let recordings: RecordingRoutes

    struct IssuedLink: Encodable {
        var url: String
        var path: String
        var expiresAt: Date
    }

    /// The issuing route, under `/api/v1`.
    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("meetings/:id/player-link") { request, context in
            let (meeting, principal) = try archive.mediaMeeting(context)
            let token = try dependencies.database.issuePlayerLinkToken(forUser: principal.name, meetingId: meeting.id)
            let path = "/play/\(meeting.id)/\(token)/media.m3u8"
            let link = IssuedLink(url: origin(of: request, context) + path, path: path, expiresAt: Date().addingTimeInterval(AppDatabase.playerLinkLifetime))
            var response = try JSONResponse.make(link, status: .created)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }

    /// The link's own routes, outside `/api/v1` (no bearer token: the link is the credential).
    func register(on router: Router<AppRequestContext>) {
        router.get("play/:meeting/:token/media.m3u8") { _, context in
            let (meeting, principal) = try linkedMeeting(context)
            let map = try await archive.mediaMap(of: meeting)
            try dependencies.database.appendAudit(actor: principal.name, action: "media.play", target: meeting.id, details: "HLS playlist through a player link")
            // Relative addresses: the player asks for them under the link itself.
            let playlist = map.hlsPlaylist { "r\($0.recordingId)/\($0.partIndex).mp4" }
            return Response(status: .ok, headers: [.contentType: "application/vnd.apple.mpegurl", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: playlist)))
        }
        router.get("play/:meeting/:token/:recording/:part") { request, context in
            let (meeting, principal) = try linkedMeeting(context)
            let recordingText = try context.parameters.require("recording"), partText = try context.parameters.require("part")
            guard recordingText.hasPrefix("r"), let recordingId = Int64(recordingText.dropFirst()), partText.hasSuffix(".mp4"),
                  let index = Int(partText.dropLast(4)), let recording = try dependencies.database.recording(recordingId),
                  recording.meetingId == meeting.id, let part = recording.parts.first(where: { $0.index == index }) else {
                throw Problem.notFound("meeting \(meeting.id) has no such part")
            }
            guard recording.deletedAt == nil else { throw Problem(status: .gone, code: "deleted", detail: "recording r\(recording.id) was deleted by retention") }
            // The whole part is audited every time; ranges (a player's segments) once per person and part in ten minutes.
            if request.headers[.range] == nil || dependencies.partAudit.isDue(principal.name, recording: recording.id, part: index) {
                try dependencies.database.appendAudit(actor: principal.name, action: "media.part", target: meeting.id,
                                                      details: "r\(recording.id) part \(index) through a player link")
            }
            return try await recordings.partResponse(recording, part, request: request, context: context)
        }
    }

    /// The link's meeting and user, if the link is live and its user may still play that meeting;
    /// anything else is 404, saying nothing of whether the meeting exists.
    private func linkedMeeting(_ context: AppRequestContext) throws -> (Meeting, Principal) {
        let meetingId = try context.parameters.require("meeting"), token = try context.parameters.require("token")
        guard let principal = try dependencies.database.principal(forPlayerLinkToken: token, meetingId: meetingId) else {
            throw Problem.notFound("this player link is unknown, expired or revoked; copy a new one from the meeting's page")
        }
        let meeting = try meetings.visibleMeeting(meetingId, principal)
        try archive.requireMediaAccess(meeting, principal)
        return (meeting, principal)
    }

    /// `http(s)://host[:port]` as the request reached the server; the scheme a proxy names only when
    /// the connection comes from a trusted proxy.
    private func origin(of request: Request, _ context: AppRequestContext) -> String {
        let isFromProxy = context.peerAddress.map(dependencies.trustedProxies.isTrusted) ?? false
        let scheme = isFromProxy && request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        return "\(scheme)://\(request.head.authority ?? "127.0.0.1")"
    }
}
