/// Errors of the store, each with a stable code and a message for people.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code; the HTTP layer maps it to a status.
    public enum Code: String, Sendable {
        /// The thing asked for does not exist.
        case notFound = "not-found"
        /// It would clash with what exists (e.g. a user name taken).
        case conflict = "conflict"
        /// The input breaks a rule.
        case invalid = "invalid"
        /// The database could not be used.
        case unavailable = "unavailable"
    }

    /// The code.
    public var code: Code
    /// The message.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
