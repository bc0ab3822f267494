/// A meeting room of a unit, with the way it receives the conference stream.
public struct Hall: Sendable, Hashable, Codable {
    /// Stable identifier used in configuration, URLs and the database.
    public var id: String
    /// Display name, e.g. "Hội trường Huyện ủy Cư Jút".
    public var name: String
    /// The unit this hall belongs to.
    public var unitId: String
    /// How the hall's decoder receives the stream.
    public var endpoint: HallEndpoint
    /// Capacity of the hall's link in kbit/s; bookings and relays must stay under it.
    public var capacityKbps: Int
    /// SRT latency for this hall's link in milliseconds (at least four times the link's RTT).
    public var latencyMs: Int
    /// The hall's own SRT passphrase (10–79 characters), instead of the site's: one hall's key can then
    /// be changed without touching the others.
    public var srtPassphrase: String?

    /// Creates a hall.
    public init(id: String, name: String, unitId: String, endpoint: HallEndpoint, capacityKbps: Int, latencyMs: Int, srtPassphrase: String? = nil) {
        self.id = id
        self.name = name
        self.unitId = unitId
        self.endpoint = endpoint
        self.capacityKbps = capacityKbps
        self.latencyMs = latencyMs
        self.srtPassphrase = srtPassphrase
    }
}
