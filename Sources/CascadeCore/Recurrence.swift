/// How a series repeats: daily, weekly on chosen weekdays, monthly by date or by n-th weekday, yearly;
/// until a date, for a count, or without end.
public struct Recurrence: Sendable, Hashable, Codable {
    /// The unit of repetition.
    public enum Frequency: String, Sendable, Codable, CaseIterable {
        case daily, weekly, monthly, yearly
    }

    /// "The n-th weekday of the month": ordinal 1–5, or -1 for the last.
    public struct OrdinalWeekday: Sendable, Hashable, Codable {
        /// 1 (first) … 5 (fifth), or -1 (last).
        public var ordinal: Int
        /// ISO weekday, 1 Monday … 7 Sunday.
        public var weekday: Int

        /// Creates an ordinal weekday.
        public init(ordinal: Int, weekday: Int) {
            self.ordinal = ordinal
            self.weekday = weekday
        }
    }

    /// The unit of repetition.
    public var frequency: Frequency
    /// Every `interval` days/weeks/months/years (at least 1).
    public var interval: Int
    /// Weekly: ISO weekdays (1 Monday … 7 Sunday); empty means the first date's weekday.
    public var weekdays: [Int]
    /// Monthly by date: the day of the month (1–31); months without it are skipped.
    public var monthDay: Int?
    /// Monthly by weekday: e.g. the first Tuesday.
    public var ordinalWeekday: OrdinalWeekday?
    /// The last date an occurrence may fall on.
    public var until: LocalDate?
    /// How many occurrences in all.
    public var count: Int?

    /// Creates a rule.
    public init(frequency: Frequency, interval: Int = 1, weekdays: [Int] = [], monthDay: Int? = nil,
                ordinalWeekday: OrdinalWeekday? = nil, until: LocalDate? = nil, count: Int? = nil) {
        self.frequency = frequency
        self.interval = interval
        self.weekdays = weekdays
        self.monthDay = monthDay
        self.ordinalWeekday = ordinalWeekday
        self.until = until
        self.count = count
    }

    /// The most occurrences a series may be booked with (each is checked for conflicts when booked).
    public static let maximumCount = 1000
    /// How far after its first date a series may end (five years; a series without end is checked
    /// for conflicts up to the booking rules' horizon instead).
    public static let maximumSpanDays = 5 * 365 + 1

    /// The first rule broken, as a field name and a reason; `nil` when the rule is valid.
    public func problem(startingOn first: LocalDate) -> (field: String, reason: String)? {
        if !(1...1000).contains(interval) { return ("recurrence.interval", "interval must be 1–1000, got \(interval)") }
        if let count, !(1...Self.maximumCount).contains(count) { return ("recurrence.count", "count must be 1–\(Self.maximumCount)") }
        if until != nil && count != nil { return ("recurrence.until", "give until or count, not both") }
        if let until, until < first { return ("recurrence.until", "until \(until) is before the first date \(first)") }
        if let until, until > first.adding(days: Self.maximumSpanDays) {
            return ("recurrence.until", "until \(until) is more than \(Self.maximumSpanDays / 365) years after the first date \(first)")
        }
        if weekdays.contains(where: { !(1...7).contains($0) }) { return ("recurrence.weekdays", "weekdays are 1 (Monday) to 7 (Sunday)") }
        if !weekdays.isEmpty && frequency != .weekly { return ("recurrence.weekdays", "weekdays apply to weekly rules only") }
        if let monthDay, !(1...31).contains(monthDay) { return ("recurrence.monthDay", "monthDay must be 1–31") }
        if (monthDay != nil || ordinalWeekday != nil) && frequency != .monthly {
            return ("recurrence.frequency", "monthDay and ordinalWeekday apply to monthly rules only")
        }
        if monthDay != nil && ordinalWeekday != nil { return ("recurrence.monthDay", "give monthDay or ordinalWeekday, not both") }
        if let ordinal = ordinalWeekday {
            if !((1...5).contains(ordinal.ordinal) || ordinal.ordinal == -1) {
                return ("recurrence.ordinalWeekday.ordinal", "ordinal must be 1–5 or -1 (last)")
            }
            if !(1...7).contains(ordinal.weekday) { return ("recurrence.ordinalWeekday.weekday", "weekday must be 1 (Monday) to 7 (Sunday)") }
        }
        return nil
    }

    /// The occurrence dates from `first` on, in order, lazily: the sequence ends at `until`/`count`
    /// or never. Dates that do not exist (the 31st of April, 29 February in a common year) are skipped.
    public func dates(startingOn first: LocalDate) -> RecurrenceDates {
        RecurrenceDates(rule: self, first: first, skipTo: nil)
    }

    /// The same dates, but skipping ahead to near `date` when that is safe (no count to honour):
    /// a series without end expands in time proportional to the range asked for, not its age.
    public func dates(startingOn first: LocalDate, notBefore date: LocalDate) -> RecurrenceDates {
        RecurrenceDates(rule: self, first: first, skipTo: count == nil ? date : nil)
    }
}

/// The lazy sequence of a rule's dates.
public struct RecurrenceDates: Sequence, Sendable {
    let rule: Recurrence
    let first: LocalDate
    let skipTo: LocalDate?

    /// Iterates the dates.
    public func makeIterator() -> Iterator {
        var iterator = Iterator(rule: rule, first: first)
        if let skipTo, skipTo > first { iterator.skip(to: skipTo) }
        return iterator
    }

    /// Generates one period (day, week, month, year) at a time.
    public struct Iterator: IteratorProtocol {
        let rule: Recurrence
        let first: LocalDate
        private var period = 0
        private var pending: [LocalDate] = []
        private var produced = 0
        private var emptyPeriods = 0

        init(rule: Recurrence, first: LocalDate) {
            self.rule = rule
            self.first = first
        }

        /// The next occurrence date, or `nil` when the series has ended.
        public mutating func next() -> LocalDate? {
            if let count = rule.count, produced >= count { return nil }
            while pending.isEmpty {
                // A rule may have empty periods (no 31st in a month) but never 200 in a row
                // (monthly: at most a few; yearly 29 February: at most 7 common years × interval).
                if emptyPeriods > 400 { return nil }
                pending = datesOfPeriod(period).filter { $0 >= first }
                period += 1
                emptyPeriods = pending.isEmpty ? emptyPeriods + 1 : 0
            }
            let date = pending.removeFirst()
            if let until = rule.until, date > until { return nil }
            produced += 1
            return date
        }

        /// Starts at a period that ends no later than `date` (one period early, to be safe).
        mutating func skip(to date: LocalDate) {
            let periodDays: Int
            switch rule.frequency {
            case .daily: periodDays = 1
            case .weekly: periodDays = 7
            case .monthly: periodDays = 31
            case .yearly: periodDays = 366
            }
            period = Swift.max(0, (date.dayNumber - first.dayNumber) / (periodDays * rule.interval) - 1)
        }

        private func datesOfPeriod(_ index: Int) -> [LocalDate] {
            let step = index * rule.interval
            switch rule.frequency {
            case .daily:
                return [first.adding(days: step)]
            case .weekly:
                let monday = first.adding(days: 1 - first.weekday + 7 * step)
                let weekdays = rule.weekdays.isEmpty ? [first.weekday] : Set(rule.weekdays).sorted()
                return weekdays.map { monday.adding(days: $0 - 1) }
            case .monthly:
                let monthIndex = first.month - 1 + step
                let year = first.year + monthIndex / 12
                let month = monthIndex % 12 + 1
                if let ordinal = rule.ordinalWeekday {
                    return Self.nth(ordinal, year: year, month: month).map { [$0] } ?? []
                }
                return LocalDate(year: year, month: month, day: rule.monthDay ?? first.day).map { [$0] } ?? []
            case .yearly:
                return LocalDate(year: first.year + step, month: first.month, day: first.day).map { [$0] } ?? []
            }
        }

        private static func nth(_ ordinal: Recurrence.OrdinalWeekday, year: Int, month: Int) -> LocalDate? {
            if ordinal.ordinal == -1 {
                let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(year: year, month: month))!
                return last.adding(days: -((last.weekday - ordinal.weekday + 7) % 7))
            }
            let firstOfMonth = LocalDate(year: year, month: month, day: 1)!
            let offset = (ordinal.weekday - firstOfMonth.weekday + 7) % 7 + 7 * (ordinal.ordinal - 1)
            let date = firstOfMonth.adding(days: offset)
            return date.month == month ? date : nil
        }
    }
}
