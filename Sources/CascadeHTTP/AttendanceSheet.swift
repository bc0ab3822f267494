import CascadeCore
import Foundation

/// A meeting's attendance as a printable A4 page: headed with the organising office and the meeting,
/// the summary, the halls with their connection times, the delegates with their roll-call states, and
/// a place for signatures. Plain HTML with print styles and no script; every value is escaped.
enum AttendanceSheet {
    static func render(_ view: AttendanceView, meeting: Meeting, office: String, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: "vi_VN")
        formatter.dateFormat = "HH:mm 'ngày' dd/MM/yyyy"
        let time = { (date: Date?) in date.map { formatter.string(from: $0) } ?? "—" }
        let clock = DateFormatter()
        clock.timeZone = zone
        clock.dateFormat = "HH:mm:ss"
        let hms = { (date: Date?) in date.map { clock.string(from: $0) } ?? "—" }
        var html = """
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><title>Điểm danh — \(escaped(view.title))</title>
            <style>
            @page { size: A4; margin: 16mm 14mm; }
            body { font-family: "DejaVu Serif", serif; font-size: 10.5pt; color: #000; margin: 0; }
            header { display: flex; justify-content: space-between; text-transform: uppercase; font-weight: bold; font-size: 10pt; }
            h1 { text-align: center; font-size: 14pt; margin: 10mm 0 2mm; }
            .meeting { text-align: center; margin-bottom: 6mm; }
            h2 { font-size: 11pt; margin: 5mm 0 2mm; }
            table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
            tr { page-break-inside: avoid; }
            th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: top; }
            th { background: #eee; }
            td.number { text-align: right; white-space: nowrap; }
            .signatures { display: flex; justify-content: space-around; margin-top: 12mm; text-align: center; page-break-inside: avoid; }
            .signatures div { width: 40%; min-height: 30mm; }
            </style></head><body>
            <header><span>\(escaped(office))</span><span>Cascade</span></header>
            <h1>Bảng điểm danh hội nghị trực tuyến</h1>
            <div class="meeting"><strong>\(escaped(view.title))</strong><br>
            Từ \(escaped(time(view.start))) đến \(escaped(time(view.end)))\(meeting.details.chair.isEmpty ? "" : "<br>Chủ trì: \(escaped(meeting.details.chair))")</div>
            <h2>Tổng hợp</h2>
            <p>Điểm cầu được mời: \(view.summary.invited); đã kết nối: \(view.summary.connected); vắng: \(view.summary.absent); \
            không đo được (multicast): \(view.summary.notMeasurable).<br>
            Đại biểu: \(Delegate.State.allCases.compactMap { state in view.summary.delegates[state.rawValue].map { "\(label(state)) \($0)" } }.joined(separator: "; "))</p>
            <h2>Các điểm cầu</h2>
            <table><thead><tr><th>Điểm cầu</th><th>Kết nối đầu</th><th>Rời cuối</th><th>Thời gian kết nối</th><th>Tỷ lệ</th><th>Lần rớt</th><th>Mất gói / RTT tối đa</th></tr></thead><tbody>

            """
        for hall in view.halls {
            let share = hall.measurable ? "\(Int((hall.liveShare * 100).rounded())) %" : "không đo được"
            let quality = hall.measurable ? "\(hall.lostPackets) / \(hall.maxRttMs.map { "\(Int($0)) ms" } ?? "—")" : "—"
            html += "<tr><td>\(escaped(hall.hallName))</td><td>\(hms(hall.firstJoin))</td><td>\(hms(hall.lastLeave))</td>"
                + "<td class=\"number\">\(duration(hall.connectedSeconds))</td><td class=\"number\">\(share)</td>"
                + "<td class=\"number\">\(hall.drops)</td><td class=\"number\">\(quality)</td></tr>\n"
        }
        html += "</tbody></table>\n<h2>Đại biểu</h2>\n"
        html += "<table><thead><tr><th>STT</th><th>Họ và tên</th><th>Chức vụ</th><th>Điểm cầu</th><th>Trạng thái</th><th>Lý do / người dự thay</th></tr></thead><tbody>\n"
        for (index, delegate) in view.delegates.enumerated() {
            let note = delegate.state == .represented ? delegate.representedBy : delegate.reason
            html += "<tr><td class=\"number\">\(index + 1)</td><td>\(escaped(delegate.name))</td><td>\(escaped(delegate.position))</td>"
                + "<td>\(escaped(view.halls.first { $0.hallId == delegate.hallId }?.hallName ?? delegate.hallId))</td>"
                + "<td>\(label(delegate.state))</td><td>\(escaped(note ?? ""))</td></tr>\n"
        }
        html += """
            </tbody></table>
            <div class="signatures"><div><strong>NGƯỜI LẬP BIỂU</strong><br><em>(Ký, ghi rõ họ tên)</em></div>\
            <div><strong>CHÁNH VĂN PHÒNG</strong><br><em>(Ký, ghi rõ họ tên)</em></div></div>
            </body></html>

            """
        return html
    }

    /// The roll-call state as the office writes it.
    static func label(_ state: Delegate.State) -> String {
        switch state {
        case .notCalled: "Chưa điểm danh"
        case .presentInHall: "Có mặt trực tiếp"
        case .presentOnline: "Có mặt trực tuyến"
        case .absentWithReason: "Vắng có lý do"
        case .absent: "Vắng không lý do"
        case .represented: "Cử người dự thay"
        }
    }

    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }
}
