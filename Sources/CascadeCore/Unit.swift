/// An organisational unit of the cascade tree: the central office, a province, a district, a commune.
///
/// The level is a name taken from configuration, so the same code serves trees of any depth.
public struct Unit: Sendable, Hashable, Codable {
    /// Stable identifier used in configuration, URLs and the database.
    public var id: String
    /// Display name, e.g. "Tỉnh ủy Đắk Nông".
    public var name: String
    /// The configured level name, e.g. "province".
    public var level: String
    /// The parent unit's id; `nil` only for the root.
    public var parentId: String?

    /// Creates a unit.
    public init(id: String, name: String, level: String, parentId: String?) {
        self.id = id
        self.name = name
        self.level = level
        self.parentId = parentId
    }
}
