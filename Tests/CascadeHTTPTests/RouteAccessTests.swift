import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// Who may touch what, route by route: users limited to the district Cư Jút against objects of their
/// own district ("own") and of Gia Nghĩa ("other"). The table is checked against the OpenAPI document,
/// so a new route without rows fails here before it can ship unreviewed.
@Suite(.serialized) struct RouteAccessTests {
    enum Caller: String, CaseIterable {
        case anonymous, viewer, secretariat, technician, admin, centralAdmin
    }

    enum Target { case own, other, none }

    /// `expected` is the set of statuses that is right for this caller on this target.
    struct Row: Sendable {
        var caller: Caller
        var target: Target
        var expected: Set<Int>
    }

    struct Operation: Sendable {
        var method: String
        var path: String
        var body: String?
        var rows: [Row]
    }

    static let refused: Set<Int> = [403, 404, 422]
    static let unauthenticated: Set<Int> = [401]

    /// Rows every protected route shares: no token is a 401.
    static func protected(_ rows: [Row]) -> [Row] { [Row(caller: .anonymous, target: .own, expected: [401])] + rows }

    static let operations: [Operation] = [
        Operation(method: "GET", path: "/healthz", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200, 503])]),
        Operation(method: "GET", path: "/openapi.yaml", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/app.css", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/app.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "POST", path: "/auth/session", body: #"{"name":"nobody","password":"wrong password"}"#,
                  rows: [Row(caller: .anonymous, target: .none, expected: [401])]),
        Operation(method: "GET", path: "/auth/session", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "DELETE", path: "/auth/session", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [401])]),
        Operation(method: "GET", path: "/watch", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/watch.css", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/player.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/api.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/ui.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/strings.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/strings-vi.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/strings-en.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/calendar.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/booking.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/meeting.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/rollcall.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/minutes.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/console.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/archive.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/admin.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/assets/watch.js", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [200])]),
        Operation(method: "GET", path: "/api/v1/site", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "POST", path: "/api/v1/topology/reload", body: nil, rows: protected([
            Row(caller: .viewer, target: .none, expected: [403]), Row(caller: .secretariat, target: .none, expected: [403]),
            Row(caller: .admin, target: .none, expected: [403]), Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/check",
                  body: #"{"title":"Họp","organiserUnitId":"{unit}","start":"2031-05-02T08:00","end":"2031-05-02T09:00","halls":["{hall}"]}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .own, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [200]), Row(caller: .secretariat, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/search?q=hop", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/minutes", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [404]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "PUT", path: "/api/v1/meetings/{id}/minutes", body: #"{"chair":"Nguyễn Văn A","agenda":[{"title":"Khai mạc"}]}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .own, expected: [403]),
            Row(caller: .secretariat, target: .other, expected: [403]), Row(caller: .secretariat, target: .own, expected: [200]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/minutes/versions", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/minutes/final", body: nil, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]), Row(caller: .secretariat, target: .other, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [200]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/minutes/versions", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .secretariat, target: .other, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [201]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/minutes/versions/{version}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/minutes/items/{item}/mark", body: nil, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]), Row(caller: .secretariat, target: .other, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [409]),  // nothing recorded yet
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/media", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [404]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/media.m3u8", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [404]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/player-link", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [201]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        // The link is its own credential: a made-up one opens nothing, for anyone.
        Operation(method: "GET", path: "/play/{meeting}/{token}/media.m3u8", body: nil, rows: [Row(caller: .anonymous, target: .own, expected: [404])]),
        Operation(method: "GET", path: "/play/{meeting}/{token}/{recording}/{part}", body: nil, rows: [Row(caller: .anonymous, target: .own, expected: [404])]),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/media.mp4", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [404]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/attachments", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/attachments?name=bao-cao.pdf", body: #"{"not":"a pdf"}"#, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]), Row(caller: .secretariat, target: .other, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [415]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/attachments/{attachment}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [404]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "PUT", path: "/api/v1/meetings/{id}/hold", body: #"{"reason":"thanh tra"}"#, rows: protected([
            Row(caller: .secretariat, target: .own, expected: [403]), Row(caller: .admin, target: .own, expected: [403]),
            Row(caller: .centralAdmin, target: .own, expected: [200]),
        ])),
        Operation(method: "DELETE", path: "/api/v1/meetings/{id}/hold", body: nil, rows: protected([
            Row(caller: .admin, target: .own, expected: [403]), Row(caller: .centralAdmin, target: .own, expected: [204]),
        ])),
        Operation(method: "GET", path: "/api/v1/archive/holds", body: nil, rows: protected([
            Row(caller: .admin, target: .none, expected: [403]), Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "GET", path: "/api/v1/archive/retention", body: nil, rows: protected([
            Row(caller: .secretariat, target: .none, expected: [403]), Row(caller: .admin, target: .none, expected: [403]),
            Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "POST", path: "/api/v1/archive/retention/run", body: nil, rows: protected([
            Row(caller: .admin, target: .none, expected: [403]), Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "GET", path: "/api/v1/archive/integrity", body: nil, rows: protected([
            Row(caller: .technician, target: .none, expected: [403]), Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "POST", path: "/api/v1/archive/integrity/run", body: nil, rows: protected([
            Row(caller: .admin, target: .none, expected: [403]), Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "POST", path: "/auth/token", body: #"{"name":"nobody","password":"wrong password"}"#,
                  rows: [Row(caller: .anonymous, target: .none, expected: [401])]),
        Operation(method: "DELETE", path: "/auth/token", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [401])]),
        Operation(method: "GET", path: "/api/v1/me", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/units", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/units/{id}", body: nil, rows: protected([Row(caller: .viewer, target: .own, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/halls", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/halls/{id}", body: nil, rows: protected([Row(caller: .viewer, target: .own, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/users", body: nil, rows: protected([
            Row(caller: .technician, target: .none, expected: [403]), Row(caller: .admin, target: .none, expected: [200]),
        ])),
        Operation(method: "POST", path: "/api/v1/users", body: #"{"name":"new-{target}","role":"viewer","unitId":"{unit}"}"#, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]),
            Row(caller: .admin, target: .own, expected: [201]), Row(caller: .admin, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/me/password", body: #"{"currentPassword":"not the password","newPassword":"a new long password"}"#,
                  rows: protected([Row(caller: .viewer, target: .none, expected: [422])])),
        Operation(method: "GET", path: "/api/v1/me/tokens", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "DELETE", path: "/api/v1/me/tokens/{tokenId}", body: nil, rows: protected([
            Row(caller: .admin, target: .own, expected: [404]), // staff-own's token is not the admin's own
        ])),
        Operation(method: "PATCH", path: "/api/v1/users/{name}", body: #"{"disabled":false}"#, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]), Row(caller: .admin, target: .own, expected: [200]),
            Row(caller: .admin, target: .other, expected: [404]), Row(caller: .centralAdmin, target: .other, expected: [200]),
        ])),
        Operation(method: "POST", path: "/api/v1/users/{name}/password", body: nil, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]), Row(caller: .admin, target: .other, expected: [404]),
            Row(caller: .admin, target: .own, expected: [200]),
        ])),
        Operation(method: "GET", path: "/api/v1/users/{name}/tokens", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .admin, target: .own, expected: [200]),
            Row(caller: .admin, target: .other, expected: [404]),
        ])),
        Operation(method: "DELETE", path: "/api/v1/users/{name}/tokens/{tokenId}", body: nil, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]), Row(caller: .admin, target: .other, expected: [404]),
            Row(caller: .admin, target: .own, expected: [204]),
        ])),
        Operation(method: "POST", path: "/api/v1/calendar-feeds", body: #"{"unitId":"{unit}"}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [201]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/calendar-feeds", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "DELETE", path: "/api/v1/calendar-feeds/{id}", body: nil, rows: protected([
            Row(caller: .viewer, target: .other, expected: [404]), Row(caller: .viewer, target: .own, expected: [204]),
        ])),
        Operation(method: "GET", path: "/api/v1/audit", body: nil, rows: protected([
            Row(caller: .admin, target: .none, expected: [403]), Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "GET", path: "/api/v1/workers", body: nil, rows: protected([
            Row(caller: .viewer, target: .none, expected: [403]), Row(caller: .technician, target: .none, expected: [403]),
            Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "GET", path: "/api/v1/workers/{id}", body: nil, rows: protected([
            Row(caller: .technician, target: .none, expected: [403]), Row(caller: .centralAdmin, target: .none, expected: [404]),
        ])),
        Operation(method: "DELETE", path: "/api/v1/workers/{id}", body: nil, rows: protected([
            Row(caller: .technician, target: .none, expected: [403]), Row(caller: .centralAdmin, target: .none, expected: [404]),
        ])),
        Operation(method: "POST", path: "/api/v1/demo-feeds", body: #"{"output":"srt://:1?mode=listener"}"#, rows: protected([
            Row(caller: .technician, target: .none, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .own, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [201]), Row(caller: .secretariat, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: refused),
        ])),
        Operation(method: "PATCH", path: "/api/v1/meetings/{id}", body: #"{"notes":"Đã rà soát"}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .secretariat, target: .own, expected: [200]),
            Row(caller: .secretariat, target: .other, expected: refused),
        ])),
        Operation(method: "DELETE", path: "/api/v1/meetings/{id}", body: nil, rows: protected([
            Row(caller: .technician, target: .other, expected: refused), Row(caller: .secretariat, target: .other, expected: refused),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/attendance", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/attendance.csv", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        // Meeting runs: this server runs no scheduler, so a permitted end/extend/switch is 503 (409 when not live).
        Operation(method: "GET", path: "/api/v1/meetings/{id}/run", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/run/end", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .secretariat, target: .own, expected: [403]),
            Row(caller: .technician, target: .other, expected: [403]), Row(caller: .technician, target: .own, expected: [503]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/run/extend", body: #"{"minutes":15}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .other, expected: [403]),
            Row(caller: .technician, target: .own, expected: [503]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/run/confirmations", body: #"{"hall":"{hall}","note":"gọi điện xác nhận"}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .other, expected: [403]),
            Row(caller: .technician, target: .own, expected: [201]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/run/source", body: #"{"backup":true}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .other, expected: [403]),
            Row(caller: .technician, target: .own, expected: [503]),
        ])),
        Operation(method: "GET", path: "/api/v1/run-sheet?date=2031-03-03", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/webhook-deliveries", body: nil, rows: protected([
            Row(caller: .technician, target: .none, expected: [403]), Row(caller: .admin, target: .none, expected: [403]),
            Row(caller: .centralAdmin, target: .none, expected: [200]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/attendance.html", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/delegates/copy-previous", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .secretariat, target: .other, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [422]), // a single meeting has no previous occurrence
        ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/delegates", body: #"{"name":"Phạm Văn D {target}","position":"Ủy viên","unitId":"{unit}","hallId":"{hall}"}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .secretariat, target: .other, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [201]),
        ])),
        Operation(method: "GET", path: "/api/v1/meetings/{id}/delegates", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "PUT", path: "/api/v1/meetings/{id}/delegates", body: #"{"delegates":[{"name":"Trần Thị B","position":"Phó Bí thư","unitId":"{unit}","hallId":"{hall}"}]}"#,
                  rows: protected([
                      Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .secretariat, target: .own, expected: [200]),
                      Row(caller: .secretariat, target: .other, expected: [403]),
                  ])),
        Operation(method: "POST", path: "/api/v1/meetings/{id}/delegates/import", body: nil, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]), Row(caller: .secretariat, target: .other, expected: [403]),
        ])),
        Operation(method: "PATCH", path: "/api/v1/meetings/{id}/delegates/{delegateId}", body: #"{"state":"absent"}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .secretariat, target: .other, expected: [403]),
            Row(caller: .secretariat, target: .own, expected: [200]),
        ])),
        Operation(method: "GET", path: "/api/v1/attendance?unit={unit}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/attendance.csv?unit={unit}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/agenda", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/halls/{id}/busy", body: nil, rows: protected([Row(caller: .viewer, target: .own, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/units/{id}/busy", body: nil, rows: protected([Row(caller: .viewer, target: .own, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/units/{id}/calendar.ics", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: refused),
        ])),
        Operation(method: "GET", path: "/api/v1/halls/{id}/calendar.ics", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: refused),
        ])),
        Operation(method: "POST", path: "/api/v1/recordings", body: #"{"relayId":"{relay}","meetingId":"{ownMeeting}"}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]),
            Row(caller: .technician, target: .other, expected: refused),
        ])),
        Operation(method: "GET", path: "/api/v1/recordings", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/recordings/{id}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: refused),
        ])),
        Operation(method: "DELETE", path: "/api/v1/recordings/{id}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .other, expected: refused),
        ])),
        Operation(method: "GET", path: "/api/v1/recordings/{id}/parts/{index}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [404]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/relays", body: #"{"source":"demo:","halls":["{hall}"],"meetingId":"{otherMeeting}"}"#, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]),
            Row(caller: .technician, target: .own, expected: [422]), // another unit's meeting, answered as missing
            Row(caller: .technician, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/relays", body: nil, rows: protected([Row(caller: .viewer, target: .none, expected: [200])])),
        Operation(method: "GET", path: "/api/v1/relays/{id}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [200]), Row(caller: .viewer, target: .other, expected: [403]),
        ])),
        Operation(method: "DELETE", path: "/api/v1/relays/{id}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .other, expected: [403]),
        ])),
        Operation(method: "POST", path: "/api/v1/relays/{id}/halls", body: #"{"hallId":"hall-dak-song"}"#, rows: protected([
            Row(caller: .technician, target: .own, expected: [403]), Row(caller: .technician, target: .other, expected: [403]),
        ])),
        Operation(method: "DELETE", path: "/api/v1/relays/{id}/halls/{hallId}", body: nil, rows: protected([
            Row(caller: .viewer, target: .own, expected: [403]), Row(caller: .technician, target: .other, expected: [403]),
        ])),
        Operation(method: "GET", path: "/api/v1/events", body: nil, rows: [Row(caller: .anonymous, target: .none, expected: [401])]),
    ]

    /// Every operation of the OpenAPI document, as "METHOD /path".
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Sources/CascadeHTTP/Resources/openapi.yaml"), encoding: .utf8)
        var operations: Set<String> = [], path: String?, inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   ") { path = String(line.dropFirst(2).dropLast()) }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("    "), !line.hasPrefix("     "), let method = ["get", "post", "put", "patch", "delete"].first(where: { trimmed == "\($0):" }), let path {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test("every route in the OpenAPI document has rows in the table, and every row is a documented route")
    func tableCoversTheDocument() throws {
        let documented = try Self.documentedOperations()
        let tabled = Set(Self.operations.map { "\($0.method) \($0.path.split(separator: "?").first ?? "")" })
        #expect(documented.subtracting(tabled).isEmpty, "routes without access rows: \(documented.subtracting(tabled).sorted())")
        #expect(tabled.subtracting(documented).isEmpty, "rows for undocumented routes: \(tabled.subtracting(documented).sorted())")
        #expect(Self.operations.allSatisfy { !$0.rows.isEmpty })
    }

    @Test("each caller gets the expected status on its own unit's objects and on another unit's")
    func everyRowHolds() async throws {
        try await withInProcessServer { client, database, _ in
            var tokens: [Caller: String] = [:]
            for caller in Caller.allCases where caller != .anonymous {
                let role: Role = switch caller {
                case .viewer: .viewer
                case .secretariat: .secretariat
                case .technician: .technician
                case .admin, .centralAdmin, .anonymous: .admin
                }
                try database.createUser(name: "u-\(caller.rawValue)", role: role, unitId: caller == .centralAdmin ? nil : "cu-jut", password: "a long test password", actor: "test")
                tokens[caller] = try database.issueToken(forUser: "u-\(caller.rawValue)", label: "test", actor: "test")
            }
            let central = try #require(tokens[.centralAdmin])
            func book(_ title: String, unit: String, hall: String, day: Int) async throws -> String {
                let date = LocalDate("2031-03-03")!.adding(days: day).description
                let body = #"{"title":"\#(title)","organiserUnitId":"\#(unit)","start":"\#(date)T08:00","end":"\#(date)T09:00","halls":["\#(hall)"]}"#
                let booked = try await client.send("POST", "/api/v1/meetings", token: central, json: body)
                return try #require(booked.json["id"] as? String, "\(booked.text)")
            }
            let ownMeeting = try await book("Họp Huyện ủy Cư Jút", unit: "cu-jut", hall: "hall-cu-jut", day: 0)
            let otherMeeting = try await book("Họp Thành ủy Gia Nghĩa", unit: "gia-nghia", hall: "hall-gia-nghia", day: 1)
            let ownRelay = try database.createRelay(meetingId: ownMeeting, source: "demo:", listenerPort: 9090, hallIds: ["hall-cu-jut"], actor: "test")
            let otherRelay = try database.createRelay(meetingId: otherMeeting, source: "demo:", listenerPort: 9091, hallIds: ["hall-gia-nghia"], actor: "test")
            let ownRecording = try database.createRecording(meetingId: ownMeeting, source: "udp://239.1.1.1:5000", sourceURI: "udp://239.1.1.1:5000", partSeconds: 60, actor: "test")
            // People whose accounts the district administrator manages (own) or does not (other), each
            // with a token, and calendar feeds of the viewer (own) and of someone else (other).
            try database.createUser(name: "staff-own", role: .viewer, unitId: "cu-jut", password: "a long test password", actor: "test")
            try database.createUser(name: "staff-other", role: .viewer, unitId: "gia-nghia", password: "a long test password", actor: "test")
            _ = try database.issueToken(forUser: "staff-own", label: "test", actor: "test")
            _ = try database.issueToken(forUser: "staff-other", label: "test", actor: "test")
            let ownTokenId = try #require(try database.tokens(ofUser: "staff-own").first?.id)
            let otherTokenId = try #require(try database.tokens(ofUser: "staff-other").first?.id)
            _ = try database.issueCalendarFeedToken(forUser: "u-viewer", calendarPath: "/api/v1/units/cu-jut/calendar.ics", actor: "test")
            _ = try database.issueCalendarFeedToken(forUser: "staff-other", calendarPath: "/api/v1/units/gia-nghia/calendar.ics", actor: "test")
            let ownFeedId = try #require(try database.tokens(ofUser: "u-viewer").first { $0.calendarPath != nil }?.id)
            let otherFeedId = try #require(try database.tokens(ofUser: "staff-other").first { $0.calendarPath != nil }?.id)
            let ownDelegateId = try #require(try database.replaceDelegates(ofMeeting: ownMeeting, with: [
                DelegateEntry(name: "Trần Thị B", position: "Phó Bí thư", unitId: "cu-jut", hallId: "hall-cu-jut"),
            ], actor: "test").first?.id)
            let otherDelegateId = try #require(try database.replaceDelegates(ofMeeting: otherMeeting, with: [
                DelegateEntry(name: "Lê Văn C", position: "Bí thư", unitId: "gia-nghia", hallId: "hall-gia-nghia"),
            ], actor: "test").first?.id)
            let otherRecording = try database.createRecording(meetingId: otherMeeting, source: "udp://239.1.1.1:5001", sourceURI: "udp://239.1.1.1:5001", partSeconds: 60, actor: "test")

            var failures: [String] = []
            var counter = 0
            for operation in Self.operations {
                for row in operation.rows {
                    counter += 1
                    let isOwn = row.target != .other
                    let values: [String: String] = [
                        "{id}": Self.id(for: operation.path, own: isOwn, meetings: (ownMeeting, otherMeeting), relays: (ownRelay, otherRelay), recordings: (ownRecording, otherRecording)),
                        "{index}": "0", "{hallId}": isOwn ? "hall-cu-jut" : "hall-gia-nghia",
                        "{name}": isOwn ? "staff-own" : "staff-other", "{tokenId}": "\(isOwn ? ownTokenId : otherTokenId)",
                        "{delegateId}": "\(isOwn ? ownDelegateId : otherDelegateId)",
                        "{hall}": isOwn ? "hall-cu-jut" : "hall-gia-nghia", "{unit}": isOwn ? "cu-jut" : "gia-nghia",
                        "{relay}": "rl\(isOwn ? otherRelay : otherRelay)", "{ownMeeting}": ownMeeting, "{otherMeeting}": otherMeeting,
                        "{target}": "\(counter)", "{version}": "1", "{item}": "0", "{attachment}": "a999",
                        "{meeting}": ownMeeting, "{token}": "cas_made-up", "{recording}": "r1", "{part}": "0.mp4",
                    ]
                    var path = operation.path, body = operation.body
                    if operation.path.hasPrefix("/api/v1/calendar-feeds/") { path = "/api/v1/calendar-feeds/\(isOwn ? ownFeedId : otherFeedId)" }
                    if operation.method == "POST", operation.path == "/api/v1/meetings" {
                        let date = LocalDate("2031-04-01")!.adding(days: counter).description
                        body = #"{"title":"Họp \#(counter)","organiserUnitId":"{unit}","start":"\#(date)T08:00","end":"\#(date)T09:00","halls":["{hall}"]}"#
                    }
                    for (key, value) in values {
                        path = path.replacingOccurrences(of: key, with: value)
                        body = body?.replacingOccurrences(of: key, with: value)
                    }
                    let result = try await client.send(operation.method, path, token: tokens[row.caller], json: body)
                    if !row.expected.contains(result.status) {
                        failures.append("\(operation.method) \(path) as \(row.caller) on \(row.target): \(result.status), expected \(row.expected.sorted()) — \(result.text.prefix(200))")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")

            // A relay shared by two districts: each district sees its own hall only.
            let shared = try database.createRelay(meetingId: nil, source: "demo:", listenerPort: 9092, hallIds: ["hall-cu-jut", "hall-gia-nghia"], actor: "test")
            let seen = try await client.send("GET", "/api/v1/relays/rl\(shared)", token: tokens[.technician])
            #expect((seen.json["halls"] as? [[String: Any]])?.compactMap { $0["hallId"] as? String } == ["hall-cu-jut"], "\(seen.text)")
            let seenByCentre = try await client.send("GET", "/api/v1/relays/rl\(shared)", token: central)
            #expect((seenByCentre.json["halls"] as? [[String: Any]])?.count == 2)

            // Signing out revokes the token presented, at once.
            let viewer = try #require(tokens[.viewer])
            #expect(try await client.send("DELETE", "/auth/token", token: viewer).status == 204)
            #expect(try await client.send("GET", "/api/v1/me", token: viewer).status == 401)
            #expect(try await client.send("DELETE", "/auth/token", token: viewer).status == 401)
        }
    }

    static func id(for path: String, own: Bool, meetings: (String, String), relays: (Int64, Int64), recordings: (Int64, Int64)) -> String {
        if path.hasPrefix("/api/v1/meetings") { return own ? meetings.0 : meetings.1 }
        if path.hasPrefix("/api/v1/relays") { return "rl\(own ? relays.0 : relays.1)" }
        if path.hasPrefix("/api/v1/recordings") { return "r\(own ? recordings.0 : recordings.1)" }
        if path.hasPrefix("/api/v1/units") { return own ? "cu-jut" : "gia-nghia" }
        if path.hasPrefix("/api/v1/halls") { return own ? "hall-cu-jut" : "hall-gia-nghia" }
        return "w-unknown"
    }
}
