import Foundation

/// A meeting's recording: parts on disk, indexed as they open and close, with the gaps between them.
public struct Recording: Sendable, Hashable, Codable {
    /// Where the recording stands.
    public enum State: String, Sendable, Codable {
        /// Recording (or waiting for the source to come back).
        case recording
        /// Stopped by a user or by the disk guard.
        case stopped
        /// Could not record (the reason says why).
        case failed
    }

    /// Database id.
    public var id: Int64
    /// The meeting recorded, if any.
    public var meetingId: String?
    /// The source, without its passphrase.
    public var source: String
    /// State.
    public var state: State
    /// The longest a part may last.
    public var partSeconds: Int
    /// When recording began.
    public var startedAt: Date
    /// When it stopped.
    public var stoppedAt: Date?
    /// Why it stopped or failed, when not by request.
    public var reason: String?
    /// The parts, in order.
    public var parts: [RecordingPart]
    /// The gaps between parts (source loss, a crashed recorder).
    public var gaps: [RecordingGap]
    /// When retention deleted its parts (the index stays, to say what was there).
    public var deletedAt: Date?

    /// The recorded media time, counted from the parts' samples.
    public var totalSeconds: Double { parts.compactMap(\.durationSeconds).reduce(0, +) }

    /// Creates a recording.
    public init(id: Int64, meetingId: String?, source: String, state: State, partSeconds: Int, startedAt: Date, stoppedAt: Date?,
                reason: String?, parts: [RecordingPart], gaps: [RecordingGap], deletedAt: Date? = nil) {
        self.id = id
        self.meetingId = meetingId
        self.source = source
        self.state = state
        self.partSeconds = partSeconds
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.reason = reason
        self.parts = parts
        self.gaps = gaps
        self.deletedAt = deletedAt
    }
}

/// One file of a recording.
public struct RecordingPart: Sendable, Hashable, Codable {
    /// Where the part stands.
    public enum State: String, Sendable, Codable {
        /// Being written.
        case recording
        /// Closed normally.
        case complete
        /// Cut short (a crash); what it holds is counted and playable.
        case partial
        /// Holds nothing playable.
        case corrupt
    }

    /// 0, 1, 2, … in recording order.
    public var index: Int
    /// The server-chosen file name inside the recording's directory.
    public var fileName: String
    /// Wall-clock start (UTC).
    public var startedAt: Date
    /// Media duration counted from its samples.
    public var durationSeconds: Double?
    /// Size on disk.
    public var bytes: Int64?
    /// Video codec ("avc1").
    public var videoCodec: String?
    /// Audio codec ("mp4a").
    public var audioCodec: String?
    /// Picture width.
    public var width: Int?
    /// Picture height.
    public var height: Int?
    /// SHA-256 of the file, hex.
    public var sha256: String?
    /// State.
    public var state: State

    /// Creates a part.
    public init(index: Int, fileName: String, startedAt: Date, durationSeconds: Double? = nil, bytes: Int64? = nil, videoCodec: String? = nil,
                audioCodec: String? = nil, width: Int? = nil, height: Int? = nil, sha256: String? = nil, state: State) {
        self.index = index
        self.fileName = fileName
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.bytes = bytes
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.width = width
        self.height = height
        self.sha256 = sha256
        self.state = state
    }

    /// The file name of part `index`.
    public static func fileName(_ index: Int) -> String { String(format: "part-%05d.mp4", index) }

    /// The index in a part file name, or `nil` when the name is not one.
    public static func index(ofFileName name: String) -> Int? {
        guard name.hasPrefix("part-"), name.hasSuffix(".mp4") else { return nil }
        return Int(name.dropFirst(5).dropLast(4))
    }
}

/// Time the recording lost: from the end of what was written to the start of the next part.
public struct RecordingGap: Sendable, Hashable, Codable {
    /// When recording stopped getting media.
    public var start: Date
    /// When the next part began (`nil` while it has not).
    public var end: Date?
    /// Why, e.g. "source lost" or "recorder crashed (signal 9)".
    public var reason: String

    /// Creates a gap.
    public init(start: Date, end: Date?, reason: String) {
        self.start = start
        self.end = end
        self.reason = reason
    }
}
