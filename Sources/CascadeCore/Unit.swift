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
    /// Capacity of the link from the parent down to this unit in kbit/s; `nil` when unlimited.
    public var uplinkKbps: Int?
    /// How many relays this unit's node may run at once; `nil` when unlimited.
    public var relayBudget: Int?

    /// Creates a unit.
    public init(id: String, name: String, level: String, parentId: String?, uplinkKbps: Int? = nil, relayBudget: Int? = nil) {
        self.id = id
        self.name = name
        self.level = level
        self.parentId = parentId
        self.uplinkKbps = uplinkKbps
        self.relayBudget = relayBudget
    }
}
