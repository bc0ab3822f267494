import CascadeCore

extension RecordingService {
    /// Records a running relay's normalised feed: opens a tap on the relay for this host and records
    /// it into parts of `partSeconds`; the recording belongs to `meetingId`.
    public func record(relay id: Int64, of relays: RelayService, meetingId: String?, partSeconds: Int, actor: String) async throws(RecordingError) -> Int64 {
        // No tap is opened for a recording that cannot start for want of room.
        if let shortage = folders.diskShortage() { throw RecordingError(.insufficientStorage, shortage) }
        let tap: String
        do {
            tap = try await relays.tap(id).url
        } catch {
            throw RecordingError(.invalidSource, "relay rl\(id) cannot be recorded: \(error.message)")
        }
        return try await start(source: tap, meetingId: meetingId, partSeconds: partSeconds, actor: actor)
    }
}
