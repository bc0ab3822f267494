import CascadeCore
import CascadeStore
import Foundation
import Hummingbird

/// `/api/v1/attendance?unit=&series=&from=&to=`: how a unit (or a series' meetings) took part in the meetings of a period — which of
/// its halls connected, who joined late, which delegates were absent and why — for the office's files.
struct AttendanceReportRoutes {
    let dependencies: HTTPDependencies
    let attendance: AttendanceRoutes

    typealias MeetingLine = AttendanceReportView.MeetingLine
    typealias Absence = AttendanceReportView.Absence
    typealias Report = AttendanceReportView


    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("attendance") { request, context in
            try JSONResponse.make(try await report(request, try context.requirePrincipal()))
        }
        group.get("attendance.csv") { request, context in
            let report = try await report(request, try context.requirePrincipal())
            var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8"]
            headers[.contentDisposition] = "attachment; filename=\"attendance-\(report.unitId).csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv(report))))
        }
    }

    private func report(_ request: Request, _ principal: Principal) async throws -> Report {
        let query = request.uri.queryParameters
        // A series' report: its occurrences only, for its organiser's subtree unless a unit is given.
        let series = try query.get("series").map { text -> Series in
            guard text.hasPrefix("s"), let id = Int64(text.dropFirst()), let series = try dependencies.database.series(id) else {
                throw Problem.unprocessable("no series \(text)", field: "series")
            }
            return series
        }
        guard let unitText = query.get("unit") ?? series?.details.organiserUnitId else {
            throw Problem.badRequest("give the unit (?unit=ID) or the series (?series=sN)", field: "unit")
        }
        let unitId = String(unitText)
        guard dependencies.policy.tree.unit(unitId) != nil else { throw Problem.unprocessable("no unit \(unitId)", field: "unit") }
        try dependencies.authorize(principal, .readMeetings, onUnit: unitId)
        let range = try RangeQuery.parse(query, zone: dependencies.zone, defaultDays: 31)
        let subtree = dependencies.policy.tree.subtree(of: unitId)
        let span = dependencies.maximumSpan
        let held = try await dependencies.offloaded { try $0.meetings(overlapping: range, maximumSpan: span) }
            .filter { $0.start >= range.start && $0.start < range.end && attendance.meetings.involves($0, units: subtree) }
            .filter { meeting in series.map { meeting.seriesId == $0.id } ?? true }
            .sorted { $0.start < $1.start }
        var lines: [MeetingLine] = []
        for meeting in held {
            lines.append(line(for: meeting, measured: try await attendance.attendance(of: meeting), subtree: subtree))
        }
        let attended = lines.filter(\.attended).count
        let absences = lines.flatMap(\.absences)
        return Report(
            unitId: unitId, seriesId: series.map { "s\($0.id)" }, from: range.start, to: range.end, meetings: lines, attended: attended,
            attendanceRate: lines.isEmpty ? 0 : Double(attended) / Double(lines.count), lateJoins: lines.reduce(0) { $0 + $1.lateHalls.count },
            absencesWithReason: absences.filter { $0.reason != nil }.count, absencesWithoutReason: absences.filter { $0.reason == nil }.count
        )
    }

    /// The unit's share of one meeting's attendance.
    private func line(for meeting: Meeting, measured: AttendanceView, subtree: Set<String>) -> MeetingLine {
        let halls: [HallAttendanceView] = measured.halls.filter { subtree.contains($0.unitId) }
        let delegates: [Delegate] = measured.delegates.filter { subtree.contains($0.unitId) }
        let late: [String] = halls.filter { hall in hall.firstJoin.map { $0.timeIntervalSince(meeting.start) > 60 } ?? false }.map { $0.hallId }
        let absent: [Delegate] = delegates.filter { $0.state == .absent || $0.state == .absentWithReason }
        let byState: [String: Int] = Dictionary(grouping: delegates) { $0.state.rawValue }.mapValues { $0.count }
        let attended = halls.contains { $0.connected } || delegates.contains { $0.state.tookPart }
        return MeetingLine(
            meetingId: meeting.id, title: meeting.details.title, start: meeting.start, hallsInvited: halls.count,
            hallsConnected: halls.filter { $0.connected }.count, hallsNotMeasurable: halls.filter { !$0.measurable }.count, lateHalls: late,
            delegates: byState, absences: absent.map { Absence(name: $0.name, position: $0.position, reason: $0.reason) }, attended: attended
        )
    }

    private func csv(_ report: Report) -> String {
        let zone = dependencies.zone
        var lines = ["meeting_id,title,start,halls_invited,halls_connected,halls_not_measurable,late_halls,attended,absences"]
        for line in report.meetings {
            let absences = line.absences.map { "\($0.name)\($0.reason.map { " (\($0))" } ?? "")" }.joined(separator: "; ")
            lines.append([line.meetingId, line.title, TimeInput.format(line.start, zone: zone), String(line.hallsInvited), String(line.hallsConnected),
                          String(line.hallsNotMeasurable), line.lateHalls.joined(separator: " "), line.attended ? "yes" : "no", absences]
                .map(AttendanceCSV.quoted).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}
