import Foundation

/// A finished recording as retention sees it.
public struct RetainedRecording: Sendable, Hashable {
    /// The recording.
    public var recordingId: Int64
    /// Its meeting, if any.
    public var meetingId: String?
    /// The meeting's classification (recordings of no meeting count as internal).
    public var classification: Classification
    /// When it stopped.
    public var endedAt: Date
    /// Its size on disk.
    public var bytes: Int64
    /// Whether its meeting is under legal hold.
    public var isHeld: Bool

    /// Creates one.
    public init(recordingId: Int64, meetingId: String?, classification: Classification, endedAt: Date, bytes: Int64, isHeld: Bool) {
        self.recordingId = recordingId
        self.meetingId = meetingId
        self.classification = classification
        self.endedAt = endedAt
        self.bytes = bytes
        self.isHeld = isHeld
    }
}

/// A recording retention would delete, and why.
public struct RetentionDecision: Sendable, Hashable, Codable {
    /// Why it goes.
    public enum Reason: String, Sendable, Codable {
        /// Kept longer than its classification asks.
        case expired
        /// The disk is below its free-space watermark and this is the oldest that may go.
        case lowSpace = "low-space"
    }

    /// The recording.
    public var recordingId: Int64
    /// Its meeting.
    public var meetingId: String?
    /// Why.
    public var reason: Reason
    /// When it stopped.
    public var endedAt: Date
    /// What deleting it frees.
    public var bytes: Int64
}

/// How long recordings are kept, and how much disk must stay free.
public struct RetentionPolicy: Sendable, Hashable {
    /// Days kept per classification.
    public var keepDays: [Classification: Int]
    /// Below this many free bytes the oldest recordings that may go are deleted first.
    public var minimumFreeBytes: Int64
    /// No recording younger than this goes for space, however full the disk.
    public var lowSpaceMinimumAgeDays: Int

    /// The default: public 2 years, internal 5, confidential 10; 5 GB free; a week's grace.
    public init(keepDays: [Classification: Int] = [.public: 730, .internal: 1826, .confidential: 3652],
                minimumFreeBytes: Int64 = 5_000_000_000, lowSpaceMinimumAgeDays: Int = 7) {
        self.keepDays = keepDays
        self.minimumFreeBytes = minimumFreeBytes
        self.lowSpaceMinimumAgeDays = lowSpaceMinimumAgeDays
    }

    /// What to delete at `now` with `freeBytes` free: every expired recording, then the oldest others
    /// (not held, old enough) until the watermark is met. A held meeting's recordings never go.
    public func plan(_ recordings: [RetainedRecording], now: Date, freeBytes: Int64) -> [RetentionDecision] {
        var decisions: [RetentionDecision] = []
        var free = freeBytes
        var remaining: [RetainedRecording] = []
        for recording in recordings.sorted(by: { ($0.endedAt, $0.recordingId) < ($1.endedAt, $1.recordingId) }) where !recording.isHeld {
            let days = keepDays[recording.classification] ?? keepDays[.internal] ?? 1826
            if recording.endedAt.addingTimeInterval(Double(days) * 86_400) <= now {
                decisions.append(RetentionDecision(recordingId: recording.recordingId, meetingId: recording.meetingId, reason: .expired,
                                                   endedAt: recording.endedAt, bytes: recording.bytes))
                free += recording.bytes
            } else {
                remaining.append(recording)
            }
        }
        let youngest = now.addingTimeInterval(-Double(lowSpaceMinimumAgeDays) * 86_400)
        for recording in remaining where free < minimumFreeBytes && recording.endedAt <= youngest {
            decisions.append(RetentionDecision(recordingId: recording.recordingId, meetingId: recording.meetingId, reason: .lowSpace,
                                               endedAt: recording.endedAt, bytes: recording.bytes))
            free += recording.bytes
        }
        return decisions
    }
}
