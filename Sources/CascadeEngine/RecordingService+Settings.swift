import CascadeCore
import CascadeMedia
import Foundation

extension RecordingService {
    /// Limits and places.
    public struct Settings: Sendable {
        /// Directory holding one folder per recording.
        public var directory: String
        /// Refuse to start, and stop, below this much free space …
        public var freeSpaceFloorBytes: Int64 = 2 << 30
        /// … or below this fraction of the disk, whichever is smaller.
        public var freeSpaceFloorFraction = 0.05
        /// How a recorder is kept going: one that has had no media for 5 s is started afresh (a call
        /// refused before its source was ready — a relay's tap not yet registered — can otherwise wait
        /// silently), and a recording with no media 15 s after it started fails.
        public var jobPolicy = MediaJobMachine.Policy(
            restartBackoff: [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)], silenceLimit: .seconds(5),
            watchesSilenceAfterProgress: false, firstProgressDeadline: .seconds(15), lackOfProgress: "no media from the source",
            stopTimeout: .seconds(10), silenceStopTimeout: .seconds(2)
        )
        /// How often the disk and deadlines are checked.
        public var checkInterval: Duration = .milliseconds(500)

        /// Measures a finished part file (duration, codecs, SHA-256); a test may slow it down to hold
        /// the moment between a recorder's exit and the part's entry in the index.
        public var measurePart: @Sendable (_ path: String, _ index: Int, _ startedAt: Date, _ endedNormally: Bool) async -> RecordingPart = {
            await PartFinisher.measure(path: $0, index: $1, startedAt: $2, endedNormally: $3)
        }

        /// Creates settings.
        public init(directory: String) { self.directory = directory }
    }
}
