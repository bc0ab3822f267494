import CascadeCore
import CascadeMedia

/// How each hall gets a relay's stream: the output the relay worker serves it on, and the address its
/// decoder calls (or is called at) — each hall with a key of its own.
struct RelayHallAddresses: Sendable {
    /// The configured halls, by id.
    var halls: [String: Hall]
    /// The host name or address halls call.
    var advertisedHost: String
    /// The site's passphrase: the listener's and the taps'; never in a hall's URL.
    var passphrase: String

    init(halls: [Hall], advertisedHost: String, passphrase: String) {
        self.halls = Dictionary(halls.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.advertisedHost = advertisedHost
        self.passphrase = passphrase
    }

    /// What the relay worker sends `hall`.
    func output(for hall: Hall) -> RelayOutput {
        switch hall.endpoint {
        case .srtCaller(let streamId):
            RelayOutput(hallId: hall.id, destination: .streamId(streamId), passphrase: key(of: hall))
        case .srtListener(let host, let port):
            RelayOutput(hallId: hall.id, destination: .call(uri: srtURL(host: host, port: port, mode: .caller, streamId: nil, hall: hall)))
        case .udpMulticast(let group, let port):
            RelayOutput(hallId: hall.id, destination: .udp(host: group, port: port))
        }
    }

    /// How `hall`'s decoder reaches a relay listening on `port`.
    func access(for hall: Hall, port: Int) -> HallAccess {
        switch hall.endpoint {
        case .srtCaller(let streamId):
            HallAccess(hallId: hall.id, mode: .callIn, url: srtURL(host: advertisedHost, port: port, mode: .caller, streamId: streamId, hall: hall))
        case .srtListener(let host, let port):
            HallAccess(hallId: hall.id, mode: .called, url: srtURL(host: host, port: port, mode: .listener, streamId: nil, hall: hall))
        case .udpMulticast(let group, let port):
            HallAccess(hallId: hall.id, mode: .multicast, url: "udp://\(group):\(port)")
        }
    }

    /// The address a consumer on this host (a recorder) calls for tap `streamId` of a relay on `port`:
    /// over loopback, with the site's passphrase, which no hall's URL carries.
    func tapURL(port: Int, streamId: String) -> String {
        SRTAddress(host: "127.0.0.1", port: port, mode: .caller, latencyMs: 120, passphrase: passphrase, streamId: streamId).uri
    }

    private func srtURL(host: String, port: Int, mode: SRTAddress.Mode, streamId: String?, hall: Hall) -> String {
        SRTAddress(host: host, port: port, mode: mode, latencyMs: hall.latencyMs, passphrase: key(of: hall), streamId: streamId).uri
    }

    /// Every hall has a key of its own: the one configured for it, or one derived from the site's
    /// passphrase and the hall's id (HMAC-SHA256). A hall's URL — shown to whoever operates that hall —
    /// then opens that hall's stream only: the site's passphrase never leaves the server.
    private func key(of hall: Hall) -> String {
        hall.srtPassphrase ?? "h" + String(SHA256.hmacHex(key: passphrase, message: "cascade-hall:\(hall.id)").prefix(40))
    }
}
