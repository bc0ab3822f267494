/// How a hall's decoder receives the stream.
public enum HallEndpoint: Sendable, Hashable, Codable {
    /// The hall's decoder calls into our SRT listener, identified by its stream id.
    case srtCaller(streamId: String)
    /// The hall's decoder listens; we call it at this host and port.
    case srtListener(host: String, port: Int)
    /// The hall receives UDP/RTP MPEG-TS on a LAN multicast group.
    case udpMulticast(group: String, port: Int)

    /// The configuration name of the endpoint kind.
    public var mode: String {
        switch self {
        case .srtCaller: "srt-caller"
        case .srtListener: "srt-listener"
        case .udpMulticast: "udp-multicast"
        }
    }

    /// Whether the endpoint carries SRT (and so needs a passphrase on a WAN).
    public var isSRT: Bool {
        switch self {
        case .srtCaller, .srtListener: true
        case .udpMulticast: false
        }
    }
}
