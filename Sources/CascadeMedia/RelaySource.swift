import Foundation

/// A relay's input, validated: SRT (caller or listener, with passphrase), RTSP, UDP MPEG-TS
/// (unicast or multicast), RTP MPEG-TS, or the local demo source.
public enum RelaySource: Sendable, Hashable {
    /// `srt://host:port?…` or `srt://:port?mode=listener&…`.
    case srt(SRTAddress)
    /// `rtsp://host[:port]/path` — a camera or an MCU output.
    case rtsp(String)
    /// `udp://host:port` — plain MPEG-TS; a multicast group is joined.
    case udp(host: String, port: Int)
    /// `rtp://host:port` — MPEG-TS in RTP (payload type 33).
    case rtp(host: String, port: Int)
    /// `demo:` — a test pattern and tone made in the worker.
    case demo

    /// Parses a source URI; throws a message naming what is wrong.
    public init(parsing text: String) throws(MediaError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "demo:" || trimmed == "demo://" {
            self = .demo
            return
        }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            throw MediaError(.invalidSource, "\(text) is not a URI (srt://, rtsp://, udp://, rtp:// or demo:)")
        }
        switch scheme {
        case "srt":
            self = .srt(try SRTAddress(parsing: trimmed))
        case "rtsp", "rtsps":
            guard let host = components.host, !host.isEmpty else { throw MediaError(.invalidSource, "\(text) names no RTSP host") }
            if let port = components.port, !(1...65535).contains(port) { throw MediaError(.invalidSource, "\(text) has an invalid port") }
            self = .rtsp(trimmed)
        case "udp", "rtp":
            guard let port = components.port, (1...65535).contains(port) else {
                throw MediaError(.invalidSource, "\(text) has no port between 1 and 65535")
            }
            let host = components.host ?? ""
            let bindHost = host.isEmpty ? "0.0.0.0" : host
            guard Self.isIPv4(bindHost) else { throw MediaError(.invalidSource, "\(text): give the local address or multicast group as an IPv4 address") }
            self = scheme == "udp" ? .udp(host: bindHost, port: port) : .rtp(host: bindHost, port: port)
        default:
            throw MediaError(.invalidSource, "\(scheme):// is not a relay source (srt://, rtsp://, udp://, rtp:// or demo:)")
        }
    }

    /// The source as shown to people and stored: an SRT passphrase is left out.
    public var redacted: String {
        switch self {
        case .srt(var address):
            address.passphrase = nil
            return address.uri
        case .rtsp(let uri):
            // The user name and the query can carry credentials too (`?token=` on some cameras).
            guard var components = URLComponents(string: uri) else { return "rtsp://" }
            components.user = nil
            components.password = nil
            components.query = nil
            return components.string ?? "rtsp://"
        case .udp(let host, let port): return "udp://\(host):\(port)"
        case .rtp(let host, let port): return "rtp://\(host):\(port)"
        case .demo: return "demo:"
        }
    }

    /// The name of the element that receives the source; its `uri` (or `location`) is set after parsing.
    static let feedElement = "feed"

    /// The source's address, set on ``feedElement`` after parsing: the URI never enters a description.
    private var feedSettings: [ElementSetting] {
        switch self {
        case .srt(let address): [ElementSetting(element: Self.feedElement, property: "uri", value: address.uri)]
        case .rtsp(let uri): [ElementSetting(element: Self.feedElement, property: "location", value: uri)]
        case .udp, .rtp, .demo: []
        }
    }

    /// The source element(s) of the input pipeline, ending in MPEG-TS, RTSP payloads or raw media.
    var decodingHead: PipelineRecipe {
        switch self {
        case .rtsp(let uri): PipelineRecipe("uridecodebin name=src", settings: [ElementSetting(element: "src", property: "uri", value: uri)])
        case .demo: PipelineRecipe("")
        case .srt, .udp, .rtp: transportStreamHead.replacingDescription { "\($0) ! queue max-size-time=1000000000 ! decodebin name=src" }
        }
    }

    /// The source as MPEG-TS, for a pass-through hop; `nil` for sources that are not MPEG-TS (RTSP, demo).
    /// Hosts and ports of UDP and RTP sources are validated numbers (an IPv4 address and a port).
    var transportStream: PipelineRecipe? {
        switch self {
        case .srt: PipelineRecipe("srtsrc name=\(Self.feedElement)", settings: feedSettings)
        case .udp(let host, let port): PipelineRecipe("udpsrc address=\(host) port=\(port) auto-multicast=true buffer-size=2097152 ! video/mpegts")
        case .rtp(let host, let port):
            PipelineRecipe("udpsrc address=\(host) port=\(port) auto-multicast=true buffer-size=2097152 "
                + "caps=\"application/x-rtp,media=video,clock-rate=90000,encoding-name=MP2T,payload=33\" ! rtpjitterbuffer latency=200 ! rtpmp2tdepay")
        case .rtsp, .demo: nil
        }
    }

    /// ``transportStream``, or nothing for sources that are not MPEG-TS.
    var transportStreamHead: PipelineRecipe { transportStream ?? PipelineRecipe("") }

    /// The elements that take the source apart into parsed H.264 and AAC for a recorder's
    /// `parts.video` and `parts.audio_0`, without decoding.
    var recordingHead: PipelineRecipe {
        let fromTransportStream = """
            tsdemux name=demux \
            demux. ! video/x-h264 ! queue max-size-time=3000000000 ! h264parse ! parts.video \
            demux. ! audio/mpeg ! queue max-size-time=3000000000 ! aacparse ! parts.audio_0
            """
        switch self {
        case .srt:
            // A recorder lets a lost source end it: the service records the gap and starts a new part.
            return PipelineRecipe("srtsrc name=\(Self.feedElement) auto-reconnect=false ! \(fromTransportStream)", settings: feedSettings)
        case .udp, .rtp:
            return transportStreamHead.replacingDescription { "\($0) ! \(fromTransportStream)" }
        case .rtsp:
            return PipelineRecipe("""
            rtspsrc name=\(Self.feedElement) latency=200 \
            \(Self.feedElement). ! application/x-rtp,media=video,encoding-name=H264 ! rtph264depay ! queue max-size-time=3000000000 ! h264parse ! parts.video \
            \(Self.feedElement). ! application/x-rtp,media=audio,encoding-name=MPEG4-GENERIC ! rtpmp4gdepay ! queue max-size-time=3000000000 ! aacparse ! parts.audio_0
            """, settings: feedSettings)
        case .demo:
            return PipelineRecipe("")
        }
    }

    private static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in Int(part).map { (0...255).contains($0) && part.count <= 3 } ?? false }
    }
}
