import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// Search over a year of a provincial office's meetings, written the way its secretariat writes them.
@Suite struct ArchiveSearchTests {
    static let topics = [
        ("Giao ban công tác tháng", "Các đơn vị tập trung hoàn thành chỉ tiêu thu ngân sách"),
        ("Hội nghị chuyển đổi số", "Đẩy mạnh chuyển đổi số trong cơ quan Đảng, kết nối họp trực tuyến đến cấp xã"),
        ("Họp Ban Thường vụ Tỉnh ủy Đắk Nông", "Thống nhất chủ trương đầu tư đường giao thông Gia Nghĩa – Đắk Mil"),
        ("Sơ kết công tác phòng chống thiên tai", "Rà soát các điểm sạt lở tại Tuy Đức và Krông Nô"),
        ("Hội nghị quán triệt nghị quyết", "Triển khai học tập nghị quyết đến toàn thể cán bộ, đảng viên"),
        ("Họp bàn phát triển cà phê bền vững", "Hỗ trợ nông dân Cư Jút tái canh cà phê"),
    ]

    func withCorpus(_ body: (AppDatabase, [Meeting]) throws -> Void) throws {
        try AppDatabaseTests.withDatabase { database, _ in
            let tree = AppDatabaseTests.tree
            let context = BookingContext(checker: ConflictChecker(tree: tree), rules: BookingRules(), zone: Zone(TimeZone(identifier: "Asia/Ho_Chi_Minh")!))
            let first = Date().addingTimeInterval(86_400)
            var meetings: [Meeting] = []
            for week in 0..<52 {
                let (title, conclusion) = Self.topics[week % Self.topics.count]
                let start = first.addingTimeInterval(Double(week) * 7 * 86_400)
                let organiser = week % 4 == 0 ? "cj" : "dn"
                let details = MeetingDetails(title: "\(title) \(week + 1)", organiserUnitId: organiser, chair: week % 2 == 0 ? "Nguyễn Văn An" : "Trần Thị Bình",
                                             halls: HallSelection(hallIds: week == 5 ? ["h-cj"] : []), classification: week % 10 == 9 ? .confidential : .internal,
                                             notes: week == 7 ? "Đại biểu tỉnh Đắk Nông dự họp" : "")
                let meeting = try database.bookMeeting(details, hallIds: details.halls.hallIds, start: start, end: start.addingTimeInterval(7200), actor: "test", context: context)
                let documents = week == 20 ? [IssuedDocument(number: "137-TB/TU", kind: "Thông báo kết luận", title: conclusion, date: LocalDate("2026-12-01")!)]
                    : [IssuedDocument(number: "\(200 + week)-TB/TU", kind: "Thông báo kết luận", title: "Kết luận cuộc họp", date: LocalDate("2026-12-01")!)]
                let content = MinutesContent(chair: details.chair, secretary: "Lê Văn Cường",
                                             agenda: [AgendaItem(title: "Báo cáo tình hình", presenter: "Văn phòng"), AgendaItem(title: title, conclusion: conclusion)],
                                             documents: documents)
                _ = try database.saveMinutes(meeting.id, content: content, issuingUnitId: organiser, actor: "test")
                meetings.append(meeting)
            }
            try body(database, meetings)
        }
    }

    func ids(_ database: AppDatabase, _ text: String, configure: (inout ArchiveQuery) -> Void = { _ in }) throws -> [String] {
        var query = ArchiveQuery()
        query.text = text
        query.perPage = 100
        configure(&query)
        return try database.search(query).results.map(\.id)
    }

    @Test("Vietnamese typed with or without diacritics, in any case, finds the same meetings, the title match first")
    func foldingFindsTheSame() throws {
        try withCorpus { database, meetings in
            let found = try ids(database, "dak nong")
            #expect(!found.isEmpty)
            for variant in ["Đắk Nông", "DAK NONG", "đắk nông", "ĐẮK NÔNG", "Dak Nong"] {
                #expect(try ids(database, variant) == found, "\(variant)")
            }
            // Meetings with "Đắk Nông" in the title rank above the one that says it only in its notes.
            let notesOnly = meetings[7].id
            #expect(found.contains(notesOnly))
            #expect(found.last == notesOnly)
            #expect(try ids(database, "đ") == (try ids(database, "d")), "đ folds to d")
        }
    }

    @Test("a document number finds the meeting that issued it, first")
    func documentNumbers() throws {
        try withCorpus { database, meetings in
            let exact = try ids(database, "137-TB/TU"), lower = try ids(database, "137-tb/tu")
            #expect(exact.first == meetings[20].id)
            #expect(lower.first == meetings[20].id)
        }
    }

    @Test("conclusions, agenda items and people are searched; filters narrow the result")
    func fieldsAndFilters() throws {
        try withCorpus { database, meetings in
            let digital = try ids(database, "chuyen doi so")
            #expect(digital.count == 9)  // weeks 1, 7, 13, … hold the digital-transformation conference
            #expect(try ids(database, "tai canh ca phe").count == 8)
            #expect(try ids(database, "Lê Văn Cường").count == 52)
            #expect(try ids(database, "Trần Thị Bình").count == 26)
            #expect(try ids(database, "chuyen doi so") { $0.classification = .confidential }.allSatisfy { id in meetings.first { $0.id == id }?.details.classification == .confidential })
            #expect(try ids(database, "") { $0.units = ["cj"] }.count == 14, "13 organised by Cư Jút, one more held in its hall")
            #expect(try ids(database, "") { $0.hallId = "h-cj" } == [meetings[5].id])
            #expect(try ids(database, "") { $0.hasRecording = true }.isEmpty)
            let window = try ids(database, "") { $0.from = meetings[10].start; $0.to = meetings[12].start }
            #expect(Set(window) == [meetings[10].id, meetings[11].id])
        }
    }

    @Test("results come in pages with the total")
    func pagination() throws {
        try withCorpus { database, _ in
            var query = ArchiveQuery()
            query.text = "giao ban"
            query.perPage = 5
            let first = try database.search(query)
            query.page = 2
            let second = try database.search(query)
            query.page = 1
            query.perPage = 100
            let all = try database.search(query)
            #expect(first.total == all.results.count && first.total >= 9)
            #expect(first.results.map(\.id) + second.results.map(\.id) == Array(all.results.prefix(10).map(\.id)))
            // The nine "Giao ban" meetings rank first; "giao thông" and "họp bàn" only after them.
            #expect(all.results.prefix(9).allSatisfy { $0.title.hasPrefix("Giao ban") })
            #expect(first.results.allSatisfy { $0.documentNumbers.count == 1 })
        }
    }

    @Test("the index follows new minutes; a document number is unique per issuing unit and year")
    func indexFollowsChanges() throws {
        try withCorpus { database, meetings in
            #expect(try ids(database, "thuy dien").isEmpty)
            _ = try database.saveMinutes(meetings[3].id, content: MinutesContent(notes: "Thủy điện Đồng Nai 3 xả lũ"), issuingUnitId: "dn", actor: "test")
            #expect(try ids(database, "thuy dien") == [meetings[3].id])
            // 137-TB/TU of 2026 was issued by Cư Jút (meeting 20): another Cư Jút meeting cannot issue it again.
            #expect(throws: StoreError.self) {
                try database.saveMinutes(meetings[4].id, content: MinutesContent(documents: [
                    IssuedDocument(number: "137-TB/TU", kind: "Thông báo", title: "Trùng số", date: LocalDate("2026-12-02")!),
                ]), issuingUnitId: "cj", actor: "test")
            }
            _ = try database.saveMinutes(meetings[5].id, content: MinutesContent(documents: [
                IssuedDocument(number: "137-TB/TU", kind: "Thông báo", title: "Của Tỉnh ủy", date: LocalDate("2026-12-02")!),
            ]), issuingUnitId: "dn", actor: "test")
            // The same number in another year, or of another issuing unit, is another document.
            _ = try database.saveMinutes(meetings[4].id, content: MinutesContent(documents: [
                IssuedDocument(number: "137-TB/TU", kind: "Thông báo", title: "Năm sau", date: LocalDate("2027-01-05")!),
            ]), issuingUnitId: "cj", actor: "test")
        }
    }

    @Test("a final version never changes: edits start a new version, the earlier stays readable")
    func versions() throws {
        try withCorpus { database, meetings in
            let id = meetings[0].id
            _ = try database.finaliseMinutes(id, actor: "test")
            #expect(throws: StoreError.self) { try database.saveMinutes(id, content: MinutesContent(notes: "sửa"), issuingUnitId: "cj", actor: "test") }
            let draft = try database.startMinutesVersion(id, actor: "test")
            #expect(draft.version == 2 && draft.state == .draft)
            _ = try database.saveMinutes(id, content: MinutesContent(notes: "bản sửa"), issuingUnitId: "cj", actor: "test")
            let versions = try database.minutesVersions(id)
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions[0].state == .final && versions[0].content.agenda.count == 2)
            #expect(versions[1].content.notes == "bản sửa")
        }
    }
}

/// A meeting whose recording is being written says so, instead of a length of 0 s.
@Suite struct ArchiveRecordingNowTests {
    @Test func aRecordingUnderWayIsShownAsSuch() throws {
        try AppDatabaseTests.withDatabase { database, _ in
            let tree = AppDatabaseTests.tree
            let context = BookingContext(checker: ConflictChecker(tree: tree), rules: BookingRules(), zone: Zone(TimeZone(identifier: "Asia/Ho_Chi_Minh")!))
            let start = Date().addingTimeInterval(86_400)
            let details = MeetingDetails(title: "Hội nghị trực tuyến", organiserUnitId: "dn", chair: "Nguyễn Văn An", halls: HallSelection(hallIds: []),
                                         classification: .internal, notes: "")
            let meeting = try database.bookMeeting(details, hallIds: [], start: start, end: start.addingTimeInterval(3600), actor: "test", context: context)
            let recording = try database.createRecording(meetingId: meeting.id, source: "demo:", sourceURI: "demo:", partSeconds: 60, actor: "test")
            var query = ArchiveQuery()
            query.text = "truc tuyen"
            let during = try #require(try database.search(query).results.first)
            #expect(during.isRecording && during.hasRecording)
            try database.finishRecording(recording, state: .stopped, reason: nil, actor: "test")
            let after = try #require(try database.search(query).results.first)
            #expect(!after.isRecording && after.hasRecording)
        }
    }
}
