/// Which source addresses a caller may name for a relay or a recording.
///
/// A relay's LAN output goes to each multicast hall's group; anyone on the server who can name that
/// group (or bind its port, or a relay's own SRT port — `udpsrc` reuses addresses) as a *source* could
/// record or relay a picture that is not theirs, a confidential meeting's included. So:
/// - nobody names a UDP/RTP address that a configured hall receives on, nor a port of the relays' own range;
/// - a caller limited to a unit names no address at all: a configured feed, a relay they operate
///   (recordings) or the `demo:` pattern — the addresses are the configuration's, not theirs to type.
public enum SourceAddressRules {
    /// What a caller gave as the source, as far as these rules care.
    public enum Source: Sendable, Equatable {
        /// `udp://host:port` or `rtp://host:port`.
        case datagram(host: String, port: Int)
        /// `srt://:port?mode=listener` (or with a local host): a port of this server.
        case srtListener(port: Int)
        /// The built-in test pattern.
        case demo
        /// Any other typed address (SRT, RTSP).
        case other
    }

    /// Why a source may not be named.
    public enum Refusal: Sendable, Equatable {
        /// Nobody may name it: a hall's output, a relay's port.
        case reserved(String)
        /// This caller may not type addresses at all.
        case outOfScope(String)
    }

    /// Why `source` (typed as `uri`) may not be named by `principal`, or `nil` when it may.
    public static func refusal(_ source: Source, uri: String, principal: Principal, halls: [Hall], feeds: FeedCatalogue,
                               relayPorts: ClosedRange<Int>) -> Refusal? {
        if case .srtListener(let port) = source, relayPorts.contains(port) {
            return .reserved("port \(port) belongs to Cascade's relays (\(relayPorts.lowerBound)–\(relayPorts.upperBound)); name another")
        }
        if case .datagram(let host, let port) = source {
            if relayPorts.contains(port) {
                return .reserved("port \(port) belongs to Cascade's relays (\(relayPorts.lowerBound)–\(relayPorts.upperBound)); name another")
            }
            for hall in halls {
                guard case .udpMulticast(let group, let hallPort) = hall.endpoint, hallPort == port else { continue }
                // The group itself, or the same port on any local address (which also receives what the group carries).
                if host == group || !isMulticast(host) {
                    return .reserved("\(host):\(port) is where hall \(hall.id) receives its relay; a source cannot be a hall's output")
                }
            }
        }
        guard principal.scopeUnitId != nil, source != .demo else { return nil }
        if feeds.feeds.values.contains(where: { $0.uri == uri || $0.backupURI == uri }) { return nil }
        return .outOfScope("a user limited to a unit names a configured feed (\"feed\"), a relay (\"relayId\") or demo:, not an address")
    }

    /// 224.0.0.0/4.
    static func isMulticast(_ host: String) -> Bool {
        guard let first = host.split(separator: ".").first.flatMap({ Int($0) }) else { return false }
        return (224...239).contains(first)
    }
}
