import CascadeCore
import Foundation

/// A recording as the API shows it (and the command line reads it): its state, parts and gaps.
public struct RecordingView: Codable, Sendable {
    /// `r<id>`.
    public var id: String
    /// The meeting it belongs to.
    public var meetingId: String?
    /// The source, without secrets; only for those who operate media (a host, a port or a stream id
    /// is not a viewer's to know).
    public var source: String?
    /// recording, stopped or failed.
    public var state: Recording.State
    /// When it started.
    public var startedAt: Date
    /// When it ended.
    public var stoppedAt: Date?
    /// Why it ended, when not simply stopped.
    public var reason: String?
    /// Recorded seconds over all parts.
    public var totalSeconds: Double
    /// The part files, in order.
    public var parts: [PartView]
    /// Where nothing was recorded, and why.
    public var gaps: [RecordingGap]

    /// One part file.
    public struct PartView: Codable, Sendable {
        /// From 0.
        public var index: Int
        /// When it opened.
        public var startedAt: Date
        /// Its length, once measured.
        public var durationSeconds: Double?
        /// Its size.
        public var bytes: Int64?
        /// Its SHA-256, hex.
        public var sha256: String?
        /// e.g. h264.
        public var videoCodec: String?
        /// e.g. aac.
        public var audioCodec: String?
        /// Picture width.
        public var width: Int?
        /// Picture height.
        public var height: Int?
        /// recording, complete, partial or corrupt.
        public var state: RecordingPart.State
        /// Where to fetch it.
        public var url: String
    }

    init(_ recording: Recording, showsSource: Bool) {
        id = "r\(recording.id)"
        meetingId = recording.meetingId
        source = showsSource ? recording.source : nil
        state = recording.state
        startedAt = recording.startedAt
        stoppedAt = recording.stoppedAt
        reason = recording.reason
        totalSeconds = recording.totalSeconds
        parts = recording.parts.map {
            PartView(index: $0.index, startedAt: $0.startedAt, durationSeconds: $0.durationSeconds, bytes: $0.bytes, sha256: $0.sha256,
                     videoCodec: $0.videoCodec, audioCodec: $0.audioCodec, width: $0.width, height: $0.height, state: $0.state,
                     url: "/api/v1/recordings/r\(recording.id)/parts/\($0.index)")
        }
        gaps = recording.gaps
    }
}
