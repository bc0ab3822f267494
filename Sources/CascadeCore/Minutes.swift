import Foundation

/// What the secretariat writes about a meeting: who chaired it, the agenda with its times in the
/// recording, the conclusions and the documents issued. A final version is never changed: an edit
/// after it makes a new version, and the earlier ones stay readable.
public struct Minutes: Sendable, Hashable, Codable {
    /// Where a version stands.
    public enum State: String, Sendable, Codable {
        /// Being written; may change.
        case draft
        /// Signed off; never changes again.
        case final
    }

    /// The meeting (`m12`, `s3-2026-12-07`).
    public var meetingId: String
    /// 1, 2, …: a new version starts after a final one.
    public var version: Int
    /// Draft or final.
    public var state: State
    /// What the secretariat wrote.
    public var content: MinutesContent
    /// Who saved this version last.
    public var updatedBy: String
    /// When.
    public var updatedAt: Date
    /// Who made it final.
    public var finalisedBy: String?
    /// When.
    public var finalisedAt: Date?

    /// Creates a version.
    public init(meetingId: String, version: Int, state: State, content: MinutesContent, updatedBy: String, updatedAt: Date,
                finalisedBy: String? = nil, finalisedAt: Date? = nil) {
        self.meetingId = meetingId
        self.version = version
        self.state = state
        self.content = content
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.finalisedBy = finalisedBy
        self.finalisedAt = finalisedAt
    }
}

/// The text of the minutes, as the secretariat edits it.
public struct MinutesContent: Sendable, Hashable, Codable {
    /// Who chaired the meeting.
    public var chair: String
    /// Who kept the minutes.
    public var secretary: String
    /// Free notes.
    public var notes: String
    /// The agenda in order.
    public var agenda: [AgendaItem]
    /// Documents issued at or after the meeting.
    public var documents: [IssuedDocument]

    /// Creates minutes.
    public init(chair: String = "", secretary: String = "", notes: String = "", agenda: [AgendaItem] = [], documents: [IssuedDocument] = []) {
        self.chair = chair
        self.secretary = secretary
        self.notes = notes
        self.agenda = agenda
        self.documents = documents
    }
}

/// One agenda item, with where it lies in the recording (seconds from the recording's first moment).
public struct AgendaItem: Sendable, Hashable, Codable {
    /// What the item is about.
    public var title: String
    /// Who presents it.
    public var presenter: String
    /// Where it starts in the recording.
    public var startSeconds: Double?
    /// Where it ends.
    public var endSeconds: Double?
    /// What was concluded.
    public var conclusion: String

    /// Creates an item.
    public init(title: String, presenter: String = "", startSeconds: Double? = nil, endSeconds: Double? = nil, conclusion: String = "") {
        self.title = title
        self.presenter = presenter
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.conclusion = conclusion
    }
}

extension AgendaItem {
    /// Reads an item in which only the title is required.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(title: try container.decode(String.self, forKey: .title),
                  presenter: try container.decodeIfPresent(String.self, forKey: .presenter) ?? "",
                  startSeconds: try container.decodeIfPresent(Double.self, forKey: .startSeconds),
                  endSeconds: try container.decodeIfPresent(Double.self, forKey: .endSeconds),
                  conclusion: try container.decodeIfPresent(String.self, forKey: .conclusion) ?? "")
    }
}

/// A document issued by the meeting's organiser unit, e.g. conclusion `137-TB/TU`.
public struct IssuedDocument: Sendable, Hashable, Codable {
    /// The number, unique per issuing unit and year.
    public var number: String
    /// What kind of document ("Thông báo kết luận", "Nghị quyết").
    public var kind: String
    /// Its title.
    public var title: String
    /// The date it was issued; its year is the year of the number.
    public var date: LocalDate

    /// Creates a document.
    public init(number: String, kind: String, title: String, date: LocalDate) {
        self.number = number
        self.kind = kind
        self.title = title
        self.date = date
    }

    /// A decoder's `userInfo` entry (a ``LocalDate``): the date of a document read without one (the
    /// meeting's day, when minutes are written).
    public static let defaultDateKey = CodingUserInfoKey(rawValue: "cascade.issuedDocument.defaultDate")!

    private enum CodingKeys: String, CodingKey { case number, kind, title, date }

    /// Reads a document; without `date`, the decoder's ``defaultDateKey`` stands in, else the date is required.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let given = try container.decodeIfPresent(LocalDate.self, forKey: .date)
        guard let date = given ?? decoder.userInfo[Self.defaultDateKey] as? LocalDate else {
            throw DecodingError.keyNotFound(CodingKeys.date, .init(codingPath: container.codingPath, debugDescription: "date is required"))
        }
        self.init(number: try container.decode(String.self, forKey: .number), kind: try container.decode(String.self, forKey: .kind),
                  title: try container.decode(String.self, forKey: .title), date: date)
    }
}

/// Why minutes were refused, naming the field (`agenda[2].endSeconds`, `documents[0].number`).
public struct MinutesProblem: Error, Sendable, Equatable {
    /// The field at fault.
    public var field: String
    /// What is wrong with it.
    public var reason: String

    /// Creates a problem.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// The rules minutes must follow before they are stored.
public struct MinutesRules: Sendable {
    /// How a document number must look, as a regular expression over the whole number.
    public let documentNumberPattern: String
    /// The most agenda items and documents one meeting's minutes hold.
    public static let maximumEntries = 200

    /// The pattern used when the configuration names none: a number, a kind and the issuing body, as
    /// in `137-TB/TU`, `45-NQ/TU` or `12-KH/BCĐ`.
    public static let defaultDocumentNumberPattern = "[0-9]{1,5}-[A-ZĐ]{1,8}(/[A-ZĐ0-9]{1,10}){1,3}"

    /// Rules with `pattern` for document numbers; throws when the pattern is not a regular expression.
    public init(documentNumberPattern pattern: String = MinutesRules.defaultDocumentNumberPattern) throws(MinutesProblem) {
        guard (try? Regex(pattern)) != nil else { throw MinutesProblem(field: "documentNumberPattern", reason: "\(pattern) is not a regular expression") }
        documentNumberPattern = pattern
    }

    /// Whether `number` matches the pattern (as a whole).
    public func isValidNumber(_ number: String) -> Bool {
        guard let regex = try? Regex("^(?:\(documentNumberPattern))$") else { return false }
        return number.wholeMatch(of: regex) != nil
    }

    /// Checks `content`: offsets in order and not negative, numbers matching the pattern and not repeated.
    public func validate(_ content: MinutesContent) throws(MinutesProblem) {
        guard content.agenda.count <= Self.maximumEntries else { throw MinutesProblem(field: "agenda", reason: "at most \(Self.maximumEntries) items") }
        guard content.documents.count <= Self.maximumEntries else { throw MinutesProblem(field: "documents", reason: "at most \(Self.maximumEntries) documents") }
        for (index, item) in content.agenda.enumerated() {
            let field = "agenda[\(index)]"
            guard !item.title.trimmingCharacters(in: .whitespaces).isEmpty else { throw MinutesProblem(field: "\(field).title", reason: "an agenda item needs a title") }
            if let start = item.startSeconds, !(start.isFinite && start >= 0) {
                throw MinutesProblem(field: "\(field).startSeconds", reason: "must be a number of seconds ≥ 0")
            }
            if let end = item.endSeconds {
                guard end.isFinite, end >= 0 else { throw MinutesProblem(field: "\(field).endSeconds", reason: "must be a number of seconds ≥ 0") }
                guard let start = item.startSeconds, end >= start else {
                    throw MinutesProblem(field: "\(field).endSeconds", reason: "an item ends after it starts (set startSeconds first)")
                }
            }
        }
        var seen: Set<String> = []
        for (index, document) in content.documents.enumerated() {
            let field = "documents[\(index)].number"
            guard isValidNumber(document.number) else {
                throw MinutesProblem(field: field, reason: "\(document.number) does not look like a document number (pattern \(documentNumberPattern))")
            }
            guard seen.insert("\(document.date.year) \(document.number)").inserted else {
                throw MinutesProblem(field: field, reason: "\(document.number) is listed twice")
            }
        }
    }
}

extension MinutesContent {
    /// Reads minutes in which every field may be left out (an empty list or text).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(chair: try container.decodeIfPresent(String.self, forKey: .chair) ?? "",
                  secretary: try container.decodeIfPresent(String.self, forKey: .secretary) ?? "",
                  notes: try container.decodeIfPresent(String.self, forKey: .notes) ?? "",
                  agenda: try container.decodeIfPresent([AgendaItem].self, forKey: .agenda) ?? [],
                  documents: try container.decodeIfPresent([IssuedDocument].self, forKey: .documents) ?? [])
    }

    /// The content with the agenda item at `index` starting at `seconds` and the item before it (if still open) ending there:
    /// the "item starts now" action of a live meeting.
    public func markingItem(_ index: Int, startsAt seconds: Double) -> MinutesContent? {
        guard agenda.indices.contains(index), seconds.isFinite, seconds >= 0 else { return nil }
        var copy = self
        for other in copy.agenda.indices where other != index {
            if let start = copy.agenda[other].startSeconds, start <= seconds, copy.agenda[other].endSeconds == nil {
                copy.agenda[other].endSeconds = seconds
            }
        }
        copy.agenda[index].startSeconds = seconds
        if let end = copy.agenda[index].endSeconds, end < seconds { copy.agenda[index].endSeconds = nil }
        return copy
    }

    /// The folded text search reads: people, agenda titles and presenters, conclusions, documents, notes.
    public var searchFields: (people: String, agenda: String, conclusions: String, documents: String, notes: String) {
        (VietnameseFolding.fold("\(chair) \(secretary)"),
         VietnameseFolding.fold(agenda.map { "\($0.title) \($0.presenter)" }.joined(separator: "\n")),
         VietnameseFolding.fold(agenda.map(\.conclusion).joined(separator: "\n")),
         VietnameseFolding.fold(documents.map { "\($0.number) \($0.kind) \($0.title)" }.joined(separator: "\n")),
         VietnameseFolding.fold(notes))
    }
}
