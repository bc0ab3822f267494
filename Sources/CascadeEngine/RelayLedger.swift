import CascadeCore
import Foundation

/// Where the relay service keeps relays, hall summaries and events: the embedded database, wired by
/// the composition root.
public protocol RelayLedger: Sendable {
    /// Registers a running relay; returns its id.
    func createRelay(meetingId: String?, source: String, listenerPort: Int, hallIds: [String], actor: String) throws -> Int64
    /// A hall joined.
    func relayHallAdded(relay: Int64, hallId: String, actor: String) throws
    /// A hall left.
    func relayHallRemoved(relay: Int64, hallId: String, actor: String) throws
    /// Live figures folded into the hall's summary.
    func updateRelayHall(relay: Int64, hallId: String, connectedSecondsAdded: Int, bytes: Int64, lostPackets: Int64, retransmittedPackets: Int64, rttMs: Double?) throws
    /// Events, appended.
    func appendRelayEvents(_ events: [RelayEventRecord]) throws
    /// The relay ended.
    func finishRelay(_ id: Int64, state: RelaySummary.State, reason: String?, actor: String) throws
    /// Saves the worker spec (JSON), worker id and process id of a relay.
    func saveRelayWorker(relay: Int64, spec: String, workerId: String?, pid: Int32?) throws
    /// Relays marked running, with what was saved to re-attach to them.
    func runningRelayWorkers() throws -> [(relay: Int64, meetingId: String?, spec: String?, workerId: String?, pid: Int32?)]
}
