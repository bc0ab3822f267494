import Foundation

/// A person invited to a meeting, where they sit, and what the roll call says of them.
public struct Delegate: Sendable, Equatable, Codable {
    /// Roll-call states, as the secretariat marks them.
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Not called yet.
        case notCalled = "not-called"
        /// Present in the hall they were invited to.
        case presentInHall = "present-in-hall"
        /// Present online from another place.
        case presentOnline = "present-online"
        /// Absent, with the reason given.
        case absentWithReason = "absent-with-reason"
        /// Absent without a reason.
        case absent = "absent"
        /// Sent someone in their place (`representedBy`).
        case represented = "represented"

        /// Whether the delegate (or their representative) took part.
        public var tookPart: Bool { self == .presentInHall || self == .presentOnline || self == .represented }
    }

    /// Database id.
    public var id: Int64
    /// Full name.
    public var name: String
    /// Position, e.g. "Phó Bí thư Huyện ủy".
    public var position: String
    /// The unit they represent.
    public var unitId: String
    /// The hall they sit in.
    public var hallId: String
    /// Roll-call state.
    public var state: State
    /// The reason of an absence.
    public var reason: String?
    /// Who came in their place ("name, position").
    public var representedBy: String?
    /// Who marked the state, and when.
    public var markedBy: String?
    /// When the state was marked.
    public var markedAt: Date?

    /// Creates a delegate.
    public init(id: Int64, name: String, position: String, unitId: String, hallId: String, state: State = .notCalled,
                reason: String? = nil, representedBy: String? = nil, markedBy: String? = nil, markedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.position = position
        self.unitId = unitId
        self.hallId = hallId
        self.state = state
        self.reason = reason
        self.representedBy = representedBy
        self.markedBy = markedBy
        self.markedAt = markedAt
    }
}

/// A delegate on an invitation list, before it is stored.
public struct DelegateEntry: Sendable, Equatable, Codable {
    /// Full name.
    public var name: String
    /// Position.
    public var position: String
    /// Unit id.
    public var unitId: String
    /// Hall id.
    public var hallId: String

    /// Creates an entry.
    public init(name: String, position: String, unitId: String, hallId: String) {
        self.name = name
        self.position = position
        self.unitId = unitId
        self.hallId = hallId
    }
}

/// Why an invitation list was refused: the line (1-based, the header is line 1; 0 for a JSON list's
/// entry index + 1) and the field at fault.
public struct DelegateListProblem: Error, Sendable, Equatable {
    /// Line of the CSV (or position in the list).
    public var line: Int
    /// Column or field name.
    public var field: String
    /// What is wrong.
    public var reason: String
}

/// Checks invitation lists and reads them from CSV (`name,position,unit,hall`, UTF-8).
public enum DelegateList {
    /// The CSV columns, in order.
    public static let columns = ["name", "position", "unit", "hall"]

    /// Checks every entry against the tree: known unit and hall, the hall belongs to the unit's
    /// subtree, names present and free of control characters, no one listed twice.
    public static func validate(_ entries: [DelegateEntry], tree: UnitTree, firstLine: Int = 1) throws(DelegateListProblem) {
        var seen: Set<String> = []
        for (offset, entry) in entries.enumerated() {
            let line = firstLine + offset
            for (field, text) in [("name", entry.name), ("position", entry.position)] {
                if field == "name", text.trimmingCharacters(in: .whitespaces).isEmpty { throw DelegateListProblem(line: line, field: field, reason: "is empty") }
                if let problem = FreeText.problem(in: text) { throw DelegateListProblem(line: line, field: field, reason: problem) }
            }
            guard tree.unit(entry.unitId) != nil else { throw DelegateListProblem(line: line, field: "unit", reason: "\(entry.unitId) is not a unit") }
            guard let hall = tree.hall(entry.hallId) else { throw DelegateListProblem(line: line, field: "hall", reason: "\(entry.hallId) is not a hall") }
            guard tree.isUnit(hall.unitId, within: entry.unitId) || tree.isUnit(entry.unitId, within: hall.unitId) else {
                throw DelegateListProblem(line: line, field: "hall", reason: "\(entry.hallId) is not a hall of \(entry.unitId)")
            }
            let key = VietnameseFolding.fold(entry.name) + "\u{1F}" + entry.unitId
            guard seen.insert(key).inserted else { throw DelegateListProblem(line: line, field: "name", reason: "\(entry.name) of \(entry.unitId) is listed twice") }
        }
    }

    /// Parses the CSV (RFC 4180 quoting, an optional byte-order mark, CRLF or LF) and validates it;
    /// the first bad line is named and nothing is returned.
    public static func parse(csv data: [UInt8], tree: UnitTree) throws(DelegateListProblem) -> [DelegateEntry] {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DelegateListProblem(line: 0, field: "", reason: "the file is not UTF-8 text")
        }
        let rows = try records(text)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }), header == columns else {
            throw DelegateListProblem(line: 1, field: "", reason: "the first line must be the header \(columns.joined(separator: ","))")
        }
        var entries: [DelegateEntry] = []
        for (index, row) in rows.dropFirst().enumerated() where !(row.count == 1 && row[0].isEmpty) {
            guard row.count == columns.count else {
                throw DelegateListProblem(line: index + 2, field: row.count < columns.count ? columns[row.count] : "", reason: "has \(row.count) columns, not \(columns.count)")
            }
            let fields = row.map { $0.trimmingCharacters(in: .whitespaces) }
            entries.append(DelegateEntry(name: fields[0], position: fields[1], unitId: fields[2], hallId: fields[3]))
        }
        try validate(entries, tree: tree, firstLine: 2)
        return entries
    }

    /// The rows of a CSV text.
    static func records(_ text: String) throws(DelegateListProblem) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, atFieldStart = true
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if characters.first == "\"" { characters.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart: quoted = true; atFieldStart = false
            case ",": row.append(field); field = ""; atFieldStart = true
            case "\r": continue
            case "\n": row.append(field); rows.append(row); row = []; field = ""; atFieldStart = true
            default: field.unicodeScalars.append(scalar); atFieldStart = false
            }
        }
        if quoted { throw DelegateListProblem(line: rows.count + 1, field: "", reason: "a quoted field is not closed") }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
