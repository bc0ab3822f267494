import CascadeCore

/// Errors of the store, each with a stable code and a message for people.
public typealias StoreError = CodedError<StoreErrorCode>

/// The kinds of errors of the store; the HTTP layer maps each to a status.
public enum StoreErrorCode: String, ErrorCode {
    /// The thing asked for does not exist.
    case notFound = "not-found"
    /// It would clash with what exists (e.g. a user name taken).
    case conflict = "conflict"
    /// The input breaks a rule.
    case invalid = "invalid"
    /// The database could not be used.
    case unavailable = "unavailable"
    /// Too much work of this kind is waiting (password checks); try again shortly.
    case busy = "busy"

    /// Missing 404, clash 409, broken rule 422, database unavailable or too busy 503.
    public var status: Int {
        switch self {
        case .notFound: 404
        case .conflict: 409
        case .invalid: 422
        case .unavailable, .busy: 503
        }
    }
}
