import Foundation

/// A booking refused for its input, naming the field at fault.
public struct BookingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// How the refusal maps to HTTP.
    public enum Kind: String, Sendable {
        /// The input breaks a rule (422).
        case invalid
        /// The caller may not book this (403).
        case forbidden
        /// Something named does not exist (404).
        case notFound
    }

    /// The kind.
    public var kind: Kind
    /// The request field at fault.
    public var field: String
    /// Why.
    public var reason: String

    /// Creates an error.
    public init(_ kind: Kind, field: String, _ reason: String) {
        self.kind = kind
        self.field = field
        self.reason = reason
    }

    /// `field: reason`.
    public var description: String { "\(field): \(reason)" }
}

extension BookingError: ProblemError {
    /// 422, 403 or 404.
    public var status: Int {
        switch kind {
        case .invalid: 422
        case .forbidden: 403
        case .notFound: 404
        }
    }

    /// `invalid`, `forbidden` or `not-found`.
    public var codeName: String { kind == .notFound ? "not-found" : kind.rawValue }
    /// The reason.
    public var message: String { reason }
    /// The field at fault (never absent for a booking).
    public var fieldAtFault: String? { field }
}

/// The limits every booking must respect, from configuration.
public struct BookingRules: Sendable {
    /// Longest meeting.
    public var maximumDuration: TimeInterval = 12 * 3600
    /// Rehearsal lead time when a booking gives none.
    public var defaultRehearsalMinutes = 30
    /// Stream bitrate when a booking gives none.
    public var defaultBitrateKbps = 4000
    /// How far ahead a series without end is checked for conflicts.
    public var seriesCheckHorizon: TimeInterval = 366 * 24 * 3600

    /// Default rules.
    public init() {}

    /// Checks the details against the tree and the caller's scope; returns the resolved halls.
    public func validate(_ details: MeetingDetails, tree: UnitTree, policy: AccessPolicy, principal: Principal) throws(BookingError) -> [String] {
        let title = details.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 300 { throw BookingError(.invalid, field: "title", "a title of 1–300 characters is required") }
        guard tree.unit(details.organiserUnitId) != nil else {
            throw BookingError(.invalid, field: "organiserUnitId", "unit \(details.organiserUnitId) is not in the configured tree")
        }
        if case .denied(let reason) = policy.decide(principal, .manageMeetings, onUnit: details.organiserUnitId) {
            throw BookingError(.forbidden, field: "organiserUnitId", reason)
        }
        for hallId in details.halls.hallIds {
            guard let hall = tree.hall(hallId) else { throw BookingError(.invalid, field: "halls", "hall \(hallId) is not in the configured tree") }
            if case .denied(let reason) = policy.decide(principal, .manageMeetings, onUnit: hall.unitId) {
                throw BookingError(.forbidden, field: "halls", "hall \(hallId): \(reason)")
            }
        }
        if let unitId = details.halls.subtreeUnitId {
            guard tree.unit(unitId) != nil else { throw BookingError(.invalid, field: "hallsOfUnit", "unit \(unitId) is not in the configured tree") }
            if case .denied(let reason) = policy.decide(principal, .manageMeetings, onUnit: unitId) {
                throw BookingError(.forbidden, field: "hallsOfUnit", reason)
            }
        }
        let resolved = details.halls.resolve(in: tree)
        if resolved.isEmpty { throw BookingError(.invalid, field: "halls", "choose at least one hall (halls, or hallsOfUnit with halls below it)") }
        if !(0...240).contains(details.rehearsalMinutes) {
            throw BookingError(.invalid, field: "rehearsalMinutes", "rehearsal lead time must be 0–240 minutes")
        }
        if !(100...50_000).contains(details.bitrateKbps) { throw BookingError(.invalid, field: "bitrateKbps", "bitrate must be 100–50000 kbit/s") }
        if details.chair.count > 200 { throw BookingError(.invalid, field: "chair", "at most 200 characters") }
        if details.notes.count > 10_000 { throw BookingError(.invalid, field: "notes", "at most 10000 characters") }
        return resolved
    }

    /// Checks a meeting's times: end after start, not too long, not in the past.
    public func validate(start: Date, end: Date, now: Date) throws(BookingError) {
        if end <= start { throw BookingError(.invalid, field: "end", "the end must be after the start") }
        if end.timeIntervalSince(start) > maximumDuration {
            throw BookingError(.invalid, field: "end", "a meeting may last at most \(Int(maximumDuration / 3600)) hours")
        }
        if start < now { throw BookingError(.invalid, field: "start", "the start is in the past") }
    }
}
