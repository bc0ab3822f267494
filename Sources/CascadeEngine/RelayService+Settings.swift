import CascadeCore
import CascadeMedia

extension RelayService {
    /// Limits, encoding and addresses.
    public struct Settings: Sendable {
        /// Ports the relays' SRT listeners may use.
        public var portRange: ClosedRange<Int> = 9000...9099
        /// The host name or address halls call, put into the URLs given to technicians.
        public var advertisedHost = "127.0.0.1"
        /// What the root hop encodes.
        public var canvas = RelayCanvas(width: 1280, height: 720, framerate: 25, videoKbps: 2500)
        /// Passphrase of every relay listener and every hall Cascade calls (AES-256).
        public var passphrase: String
        /// Input silence before the slate.
        public var lossAfterMs = 1000
        /// Hops a LAN hall's multicast may cross (0 keeps it on this machine).
        public var multicastTTL = 8
        /// How a relay's worker is kept going: it reports every second, so six silent seconds mean a stuck worker.
        public var jobPolicy = MediaJobMachine.Policy(
            restartBackoff: [.milliseconds(200), .seconds(1), .seconds(2), .seconds(4)], silenceLimit: .seconds(6), maxFailedStarts: 3
        )
        /// How often link figures are written to the ledger.
        public var summaryInterval: Duration = .seconds(5)

        /// Creates settings.
        public init(passphrase: String) { self.passphrase = passphrase }
    }
}
