import CascadeCore
import Foundation
import Testing

@Suite struct RecurrenceTests {
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    static func expand(_ rule: Recurrence, from first: String, take: Int = 100) -> [String] {
        Array(rule.dates(startingOn: date(first)).prefix(take)).map(\.description)
    }

    @Test func localDateArithmeticRoundTrips() {
        for number in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(LocalDate(dayNumber: number).dayNumber == number)
        }
        #expect(Self.date("2026-11-27").weekday == 5, "a Friday")
        #expect(Self.date("2024-02-28").adding(days: 1).description == "2024-02-29")
        #expect(LocalDate("2027-02-29") == nil)
        #expect(LocalDate("2026-13-01") == nil)
    }

    @Test func weeklyOnMondaysSkipsDaysBeforeTheFirst() {
        let rule = Recurrence(frequency: .weekly, weekdays: [1, 3], count: 5)
        #expect(Self.expand(rule, from: "2026-12-02") == ["2026-12-02", "2026-12-07", "2026-12-09", "2026-12-14", "2026-12-16"])
    }

    @Test func everyOtherWeekAcrossTheYearEnd() {
        let rule = Recurrence(frequency: .weekly, interval: 2, until: Self.date("2027-01-20"))
        #expect(Self.expand(rule, from: "2026-12-07") == ["2026-12-07", "2026-12-21", "2027-01-04", "2027-01-18"])
    }

    @Test func the31stSkipsShortMonths() {
        let rule = Recurrence(frequency: .monthly, monthDay: 31, count: 4)
        #expect(Self.expand(rule, from: "2026-12-31") == ["2026-12-31", "2027-01-31", "2027-03-31", "2027-05-31"])
    }

    @Test func february29thIsYearlyOnlyInLeapYears() {
        let rule = Recurrence(frequency: .yearly, count: 3)
        #expect(Self.expand(rule, from: "2028-02-29") == ["2028-02-29", "2032-02-29", "2036-02-29"])
    }

    @Test func firstTuesdayAndLastFridayOfTheMonth() {
        let first = Recurrence(frequency: .monthly, ordinalWeekday: .init(ordinal: 1, weekday: 2), count: 3)
        #expect(Self.expand(first, from: "2026-12-01") == ["2026-12-01", "2027-01-05", "2027-02-02"])
        let last = Recurrence(frequency: .monthly, ordinalWeekday: .init(ordinal: -1, weekday: 5), count: 3)
        #expect(Self.expand(last, from: "2026-12-01") == ["2026-12-25", "2027-01-29", "2027-02-26"])
        let fifth = Recurrence(frequency: .monthly, ordinalWeekday: .init(ordinal: 5, weekday: 4), count: 2)
        #expect(Self.expand(fifth, from: "2026-12-01") == ["2026-12-31", "2027-04-29"], "months without a fifth Thursday are skipped")
    }

    @Test func dailyAcrossMonthEnds() {
        let rule = Recurrence(frequency: .daily, interval: 3, until: Self.date("2027-03-06"))
        #expect(Self.expand(rule, from: "2027-02-24") == ["2027-02-24", "2027-02-27", "2027-03-02", "2027-03-05"])
    }

    @Test func seriesWithoutEndIsLazy() {
        let rule = Recurrence(frequency: .daily)
        #expect(Self.expand(rule, from: "2026-12-01", take: 100_000).count == 100_000)
    }

    @Test(arguments: [
        (Recurrence(frequency: .weekly, interval: 0), "recurrence.interval"),
        (Recurrence(frequency: .daily, count: 0), "recurrence.count"),
        (Recurrence(frequency: .daily, count: 100_000_000), "recurrence.count"),
        (Recurrence(frequency: .daily, until: LocalDate("9999-12-31")), "recurrence.until"),
        (Recurrence(frequency: .daily, until: LocalDate("2027-01-01"), count: 3), "recurrence.until"),
        (Recurrence(frequency: .daily, until: LocalDate("2026-01-01")), "recurrence.until"),
        (Recurrence(frequency: .weekly, weekdays: [8]), "recurrence.weekdays"),
        (Recurrence(frequency: .monthly, monthDay: 32), "recurrence.monthDay"),
        (Recurrence(frequency: .daily, monthDay: 3), "recurrence.frequency"),
        (Recurrence(frequency: .monthly, ordinalWeekday: .init(ordinal: 6, weekday: 1)), "recurrence.ordinalWeekday.ordinal"),
    ])
    func invalidRulesNameTheirField(_ rule: Recurrence, _ field: String) {
        #expect(rule.problem(startingOn: Self.date("2026-12-01"))?.field == field)
    }

    @Test func monthly31stIsValid() {
        #expect(Recurrence(frequency: .monthly, monthDay: 31).problem(startingOn: Self.date("2026-12-31")) == nil)
    }
}

@Suite struct SeriesTests {
    let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    let details = MeetingDetails(title: "Giao ban", organiserUnitId: "dn", halls: HallSelection(hallIds: ["h1"]), rehearsalMinutes: 30)

    func series(exceptions: [LocalDate: SeriesException] = [:]) -> Series {
        Series(id: 7, details: details, firstDate: LocalDate("2026-12-07")!, startTime: LocalTime(hour: 7, minute: 30)!,
               durationMinutes: 90, zone: zone, rule: Recurrence(frequency: .weekly), exceptions: exceptions, hallIds: ["h1"])
    }

    func range(_ from: String, _ to: String) -> Window {
        let wallClock = Zone(zone)
        return Window(start: wallClock.instant(LocalDate(from)!, LocalTime(hour: 0, minute: 0)!), end: wallClock.instant(LocalDate(to)!, LocalTime(hour: 0, minute: 0)!))
    }

    @Test func occurrencesKeepTheirWallClockTime() {
        let occurrences = series().occurrences(overlapping: range("2026-12-01", "2027-01-01"))
        #expect(occurrences.map(\.id) == ["s7-2026-12-07", "s7-2026-12-14", "s7-2026-12-21", "s7-2026-12-28"])
        for occurrence in occurrences {
            #expect(Zone(zone).local(occurrence.start).time.description == "07:30")
            #expect(occurrence.end.timeIntervalSince(occurrence.start) == 5400)
        }
    }

    @Test func exceptionsCancelAndMove() {
        let moved = Zone(zone).instant(LocalDate("2026-12-15")!, LocalTime(hour: 14, minute: 0)!)
        let changed = series(exceptions: [LocalDate("2026-12-21")!: .cancelled, LocalDate("2026-12-14")!: .moved(start: moved, end: moved.addingTimeInterval(3600))])
        let occurrences = changed.occurrences(overlapping: range("2026-12-01", "2027-01-01"))
        #expect(occurrences.first { $0.id == "s7-2026-12-21" }?.state == .cancelled)
        #expect(occurrences.first { $0.id == "s7-2026-12-14" }?.start == moved)
        let onlyTheMovedDay = changed.occurrences(overlapping: range("2026-12-15", "2026-12-16"))
        #expect(onlyTheMovedDay.map(\.id) == ["s7-2026-12-14"], "a moved occurrence is found on its new day")
        #expect(changed.isOccurrence(LocalDate("2026-12-14")!))
        #expect(!changed.isOccurrence(LocalDate("2026-12-15")!))
    }

    @Test func referencesParse() {
        #expect(MeetingReference("m12") == .single(12))
        #expect(MeetingReference("s7-2026-12-14") == .occurrence(seriesId: 7, date: LocalDate("2026-12-14")!))
        #expect(MeetingReference("x1") == nil)
        #expect(MeetingReference("s7-2026-13-14") == nil)
        #expect(MeetingReference("m") == nil)
    }

    @Test func foldingFindsVietnameseWithoutDiacritics() {
        #expect(VietnameseFolding.fold("Tỉnh ủy Đắk Nông").contains("tinh uy dak nong"))
        #expect(VietnameseFolding.fold("GIAO BAN Thường Vụ") == "giao ban thuong vu")
        #expect(VietnameseFolding.fold("137-TB/TU") == "137-tb/tu")
    }
}

@Suite struct RecurrenceSkipAheadTests {
    @Test(arguments: [
        Recurrence(frequency: .daily, interval: 3),
        Recurrence(frequency: .weekly, interval: 2, weekdays: [1, 5]),
        Recurrence(frequency: .monthly, monthDay: 31),
        Recurrence(frequency: .monthly, ordinalWeekday: .init(ordinal: -1, weekday: 5)),
        Recurrence(frequency: .yearly),
    ])
    func skippingAheadGivesTheSameDates(_ rule: Recurrence) {
        let first = LocalDate("2024-02-29")!, hint = LocalDate("2031-07-15")!
        let slow = Array(rule.dates(startingOn: first).lazy.filter { $0 >= hint }.prefix(5))
        let fast = Array(rule.dates(startingOn: first, notBefore: hint).lazy.filter { $0 >= hint }.prefix(5))
        #expect(fast == slow)
        #expect(!fast.isEmpty)
    }
}
