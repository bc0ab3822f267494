/// A problem in the configured unit tree, naming the entry at fault.
public struct TopologyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry at fault, e.g. `unit "cu-jut"`.
    public var entry: String
    /// What is wrong with it.
    public var problem: String

    /// Creates an error for an entry.
    public init(entry: String, problem: String) {
        self.entry = entry
        self.problem = problem
    }

    /// `entry: problem`, on one line.
    public var description: String { "\(entry): \(problem)" }
}
