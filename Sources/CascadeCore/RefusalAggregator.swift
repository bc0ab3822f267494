/// Turns SRT handshakes refused at a relay's port into a bounded number of reports.
///
/// The port is open to the WAN so that halls can call in, so anyone can send it handshakes: thousands
/// a minute, each with a new stream id. Every refusal used to become an event, a database row and a
/// message on every console's stream. Now, per minute of the relay:
/// - the first refusal from a source address (for each hall its stream id named, or for unknown ids
///   together) is reported at once (a hall with a wrong key shows up
///   while the technician is on the phone with it), the following ones from that address are only
///   counted and reported together when the minute ends;
/// - at most `sourcesPerMinute` addresses are reported by name; refusals from any further address are
///   counted together ("from N other addresses");
/// - a stream id that names no hall of the relay is never repeated (it is the caller's text): the
///   report says "unknown stream id";
/// - the tables hold one minute and at most `sourcesPerMinute` entries.
/// So a relay reports at most `2 × sourcesPerMinute + 1` refusals a minute, whatever arrives.
public struct RefusalAggregator: Sendable {
    /// One report: a refusal (or a count of them) for the relay's event log.
    public struct Report: Sendable, Equatable {
        /// The hall the stream id named, when it named one of the relay's halls.
        public var hallId: String?
        /// The source address (IP, without the port), or `nil` for "other addresses".
        public var address: String?
        /// How many refusals this report stands for.
        public var count: Int
        /// How many addresses (more than one only for "other addresses").
        public var addresses: Int
        /// Why, in words (never the caller's stream id).
        public var reason: String

        /// Creates a report.
        public init(hallId: String?, address: String?, count: Int, addresses: Int, reason: String) {
            self.hallId = hallId
            self.address = address
            self.count = count
            self.addresses = addresses
            self.reason = reason
        }

        /// The text stored and shown with the event.
        public var detail: String {
            if address == nil { return "\(count) handshakes refused from \(addresses) other addresses in the minute" }
            return count == 1 ? "\(address!): \(reason)" : "\(address!): \(count) more handshakes refused in the minute (\(reason))"
        }
    }

    private struct Source {
        var address: String
        var hallId: String?
        var reason: String
        var pending = 0
    }

    /// Addresses reported by name each minute.
    public let sourcesPerMinute: Int
    private var windowStart: Int64?
    private var sources: [String: Source] = [:]
    private var others = 0
    private var otherAddresses = Set<String>()
    private static let windowMs: Int64 = 60_000
    /// Distinct "other" addresses counted exactly; past this they are counted as refusals only.
    private static let otherAddressesKept = 1_000

    /// Creates an aggregator that names at most `sourcesPerMinute` addresses a minute.
    public init(sourcesPerMinute: Int = 10) { self.sourcesPerMinute = max(1, sourcesPerMinute) }

    /// A handshake refused at `nowMs` from `address` (`ip:port` or an IP); `hallId` when its stream id
    /// named a hall. Returns what to report now (the window that ended first, then this refusal if it is
    /// the first from its address).
    public mutating func refused(address: String, hallId: String?, reason: String, nowMs: Int64) -> [Report] {
        var reports = tick(nowMs: nowMs)
        if windowStart == nil { windowStart = nowMs }
        let ip = Self.host(of: address), key = ip + "\u{1F}" + (hallId ?? "")
        if var source = sources[key] {
            source.pending += 1
            sources[key] = source
        } else if sources.count < sourcesPerMinute {
            sources[key] = Source(address: ip, hallId: hallId, reason: reason)
            reports.append(Report(hallId: hallId, address: ip, count: 1, addresses: 1, reason: reason))
        } else {
            others += 1
            if otherAddresses.count < Self.otherAddressesKept { otherAddresses.insert(ip) }
        }
        return reports
    }

    /// The counts of a minute that has ended by `nowMs`, reported once; nothing while it runs.
    public mutating func tick(nowMs: Int64) -> [Report] {
        guard let start = windowStart, nowMs - start >= Self.windowMs else { return [] }
        var reports = sources.keys.sorted().compactMap { key -> Report? in
            guard let source = sources[key], source.pending > 0 else { return nil }
            return Report(hallId: source.hallId, address: source.address, count: source.pending, addresses: 1, reason: source.reason)
        }
        if others > 0 { reports.append(Report(hallId: nil, address: nil, count: others, addresses: max(1, otherAddresses.count), reason: "refused")) }
        windowStart = nil
        sources = [:]
        others = 0
        otherAddresses = []
        return reports
    }

    /// `203.0.113.7` of `203.0.113.7:4000`, `2001:db8::1` of `[2001:db8::1]:4000`.
    static func host(of address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") { return String(address[address.index(after: address.startIndex)..<close]) }
        if address.filter({ $0 == ":" }).count == 1, let colon = address.firstIndex(of: ":") { return String(address[..<colon]) }
        return address
    }
}
