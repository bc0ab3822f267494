/// The kinds of one module's errors, each with a stable name (`unknown-relay`) that travels in
/// problem documents and logs.
public protocol ErrorCode: RawRepresentable, Sendable, Hashable where RawValue == String {}

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
