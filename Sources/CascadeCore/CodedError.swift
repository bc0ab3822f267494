/// The kinds of one module's errors, each with a stable name (`unknown-relay`) that travels in
/// problem documents and logs.
public protocol ErrorCode: RawRepresentable, Sendable, Hashable where RawValue == String {
    /// The HTTP status a request that ends in this error answers with: 404 missing, 409 a clash with
    /// what exists, 422 bad input, 503 not available now, 507 no room.
    var status: Int { get }
    /// The request field at fault, when one is.
    var field: String? { get }
}

extension ErrorCode {
    /// No field in particular.
    public var field: String? { nil }
}

/// An error that says how to answer a request it ends: the one thing the HTTP layer maps to a
/// problem document, whichever module threw it.
public protocol ProblemError: Error {
    /// The HTTP status.
    var status: Int { get }
    /// The stable name of the kind of error (`unknown-relay`).
    var codeName: String { get }
    /// What went wrong, for people.
    var message: String { get }
    /// The request field at fault, when one is.
    var fieldAtFault: String? { get }
}

/// An error of one of a module's kinds, with a message for people. Each module names its kinds
/// (`RelayError.Code`, `StoreError.Code`, …) and calls its errors by a type alias of this one.
public struct CodedError<Code: ErrorCode>: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public var code: Code
    /// What went wrong, for people.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension CodedError: ProblemError {
    /// The status the code says.
    public var status: Int { code.status }
    /// The code's name.
    public var codeName: String { code.rawValue }
    /// The field the code names.
    public var fieldAtFault: String? { code.field }
}
