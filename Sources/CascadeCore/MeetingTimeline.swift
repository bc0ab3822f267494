import Foundation

/// A recorded stretch of a meeting: one part of one of its recordings, with the media time it holds.
public struct TimelinePiece: Sendable, Hashable {
    /// The recording.
    public var recordingId: Int64
    /// The part in it.
    public var partIndex: Int
    /// When the part began, by the wall clock.
    public var startedAt: Date
    /// The media time it holds, counted from its samples.
    public var durationSeconds: Double

    /// Creates a piece.
    public init(recordingId: Int64, partIndex: Int, startedAt: Date, durationSeconds: Double) {
        self.recordingId = recordingId
        self.partIndex = partIndex
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
    }
}

/// A meeting's recorded media laid on one clock: seconds from the first moment recorded, the parts
/// of all its recordings placed in order, and the gaps where nothing was recorded.
///
/// Parts that follow each other within `joinTolerance` are laid end to end, so the small differences
/// between wall clocks and sample clocks never show as gaps or overlaps at a part boundary.
public struct MeetingTimeline: Sendable, Hashable {
    /// A piece and where it starts on the timeline.
    public struct Entry: Sendable, Hashable {
        /// The piece.
        public var piece: TimelinePiece
        /// Where it starts, in seconds from the timeline's origin.
        public var offsetSeconds: Double
        /// Where it ends.
        public var endSeconds: Double { offsetSeconds + piece.durationSeconds }
    }

    /// A stretch with no media.
    public struct Gap: Sendable, Hashable, Codable {
        /// Where it starts, in seconds from the origin.
        public var startSeconds: Double
        /// Where it ends.
        public var endSeconds: Double

        /// Creates a gap.
        public init(startSeconds: Double, endSeconds: Double) {
            self.startSeconds = startSeconds
            self.endSeconds = endSeconds
        }
    }

    /// The wall-clock moment at second 0 (`nil` when nothing was recorded).
    public var origin: Date?
    /// The pieces in time order.
    public var entries: [Entry]
    /// The gaps between them.
    public var gaps: [Gap]

    /// The timeline's length: the end of its last piece.
    public var durationSeconds: Double { entries.last?.endSeconds ?? 0 }

    /// How far apart two parts may begin from end to end and still count as continuous.
    public static let joinTolerance = 1.0

    /// Lays `pieces` (in any order; empty ones are left out) on one timeline.
    public init(pieces: [TimelinePiece]) {
        let ordered = pieces.filter { $0.durationSeconds > 0 }.sorted { ($0.startedAt, $0.recordingId, $0.partIndex) < ($1.startedAt, $1.recordingId, $1.partIndex) }
        origin = ordered.first?.startedAt
        entries = []
        gaps = []
        guard let origin else { return }
        var end = 0.0
        for piece in ordered {
            let wall = piece.startedAt.timeIntervalSince(origin)
            var offset = wall
            if wall - end < Self.joinTolerance {
                offset = end  // continuous (or overlapping a little): end to end
            } else {
                gaps.append(Gap(startSeconds: end, endSeconds: wall))
            }
            entries.append(Entry(piece: piece, offsetSeconds: offset))
            end = offset + piece.durationSeconds
        }
    }

    /// The seconds since the origin of wall-clock moment `time` (for "agenda item starts now").
    public func seconds(at time: Date) -> Double? {
        origin.map { max(0, time.timeIntervalSince($0)) }
    }

    /// The gaps that fall inside `range`, shifted so that `range`'s start is 0.
    public func gaps(within range: ClosedRange<Double>) -> [Gap] {
        gaps.compactMap { gap in
            let start = max(gap.startSeconds, range.lowerBound), end = min(gap.endSeconds, range.upperBound)
            return start < end ? Gap(startSeconds: start - range.lowerBound, endSeconds: end - range.lowerBound) : nil
        }
    }
}
