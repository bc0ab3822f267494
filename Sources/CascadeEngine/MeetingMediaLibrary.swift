import CascadeCore
import CascadeMedia
import Foundation
import Synchronization

/// A meeting's recorded media, ready to play and download: every usable part of its recordings,
/// indexed fragment by fragment and laid on the meeting's timeline.
public struct MeetingMediaMap: Sendable {
    /// A part on the timeline.
    public struct Part: Sendable {
        /// The recording and part.
        public var recordingId: Int64
        public var partIndex: Int
        /// The file.
        public var path: String
        /// Its fragments.
        public var index: MP4FragmentIndex
        /// Where it starts on the timeline.
        public var offsetSeconds: Double
        /// Whether it is still being written.
        public var isGrowing: Bool
    }

    /// A stretch of a part that a player fetches at once: from a keyframe, a few seconds long.
    public struct Segment: Sendable, Hashable, Codable {
        /// Where it starts on the timeline.
        public var startSeconds: Double
        /// How long it plays.
        public var durationSeconds: Double
        /// Its bytes in the part file (inclusive end).
        public var firstByte: Int64
        public var lastByte: Int64
    }

    /// The timeline (offsets, gaps).
    public var timeline: MeetingTimeline
    /// Its parts, in timeline order.
    public var parts: [Part]

    /// Whether nothing is being recorded any more.
    public var isFinished: Bool { !parts.contains(where: \.isGrowing) }

    /// The segments of `part`, each starting at a keyframe and lasting at least `targetSeconds` (the last may be shorter).
    public func segments(of part: Part, targetSeconds: Double = 4) -> [Segment] {
        guard let main = part.index.mainTrack else { return [] }
        let base = part.index.startSeconds
        var segments: [Segment] = []
        var start: (seconds: Double, byte: Int64)?
        var end: Int64 = 0
        for fragment in part.index.fragments {
            let seconds = part.index.seconds(fragment) - base
            if fragment.trackId == main.id, fragment.startsWithSync {
                if let open = start, seconds - open.seconds >= targetSeconds {
                    segments.append(Segment(startSeconds: part.offsetSeconds + open.seconds, durationSeconds: seconds - open.seconds, firstByte: open.byte, lastByte: end - 1))
                    start = nil
                }
                if start == nil { start = (max(0, seconds), segments.isEmpty ? part.index.fragments[0].offset : end) }
            }
            end = fragment.offset + fragment.length
        }
        if let open = start {
            let duration = part.index.durationSeconds - open.seconds
            segments.append(Segment(startSeconds: part.offsetSeconds + open.seconds, durationSeconds: max(duration, 0), firstByte: open.byte, lastByte: end - 1))
        }
        return segments
    }

    /// An HLS playlist (version 7, fragmented MP4) of the whole timeline: each part with its own
    /// initialisation section, a discontinuity at each part boundary, the wall-clock time of each part.
    public func hlsPlaylist(partURL: (Part) -> String) -> String {
        let allSegments = parts.map { segments(of: $0) }
        let longest = (allSegments.joined().map(\.durationSeconds).max() ?? 1).rounded(.up)
        let target = longest.isFinite && longest < 86_400 ? Int(longest) : 86_400
        var lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:\(max(target, 1))", "#EXT-X-MEDIA-SEQUENCE:0",
                     "#EXT-X-PLAYLIST-TYPE:\(isFinished ? "VOD" : "EVENT")", "#EXT-X-INDEPENDENT-SEGMENTS"]
        let stamp = ISO8601DateFormatter()
        stamp.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for (number, part) in parts.enumerated() {
            let url = partURL(part)
            if number > 0 { lines.append("#EXT-X-DISCONTINUITY") }
            if let origin = timeline.origin {
                lines.append("#EXT-X-PROGRAM-DATE-TIME:\(stamp.string(from: origin.addingTimeInterval(part.offsetSeconds)))")
            }
            let initialisation = part.index.initialisation
            lines.append("#EXT-X-MAP:URI=\"\(url)\",BYTERANGE=\"\(initialisation.upperBound - initialisation.lowerBound)@\(initialisation.lowerBound)\"")
            for segment in allSegments[number] {
                lines.append(String(format: "#EXTINF:%.3f,", segment.durationSeconds))
                lines.append("#EXT-X-BYTERANGE:\(segment.lastByte - segment.firstByte + 1)@\(segment.firstByte)")
                lines.append(url)
            }
        }
        if isFinished { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why a download cannot be made.
    public struct DownloadProblem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The stretch `range` of the timeline (the whole of it when `nil`) as one file, starting at the
    /// keyframe at or before its start; the file's clock starts there at 0.
    public func download(range: ClosedRange<Double>? = nil) throws(DownloadProblem) -> MeetingDownload {
        let wanted = range ?? 0...timeline.durationSeconds
        let chosen = parts.filter { $0.offsetSeconds < wanted.upperBound && $0.offsetSeconds + $0.index.durationSeconds > wanted.lowerBound }
        guard let first = chosen.first else { throw DownloadProblem(description: "nothing was recorded between \(wanted.lowerBound) s and \(wanted.upperBound) s") }
        if let other = chosen.first(where: { !first.index.canJoin($0.index) }) {
            throw DownloadProblem(description: "part \(other.partIndex) of recording r\(other.recordingId) has another format than the parts before it; download the stretches apart")
        }
        var start = wanted.lowerBound
        var end = start
        var pieces: [MP4JoinPiece] = []
        for (number, part) in chosen.enumerated() {
            let base = part.index.startSeconds
            // The picture decides where the stretch ends; sound stops with it.
            let main = part.index.mainTrack?.id
            let timeOf = { (fragment: MP4Fragment) in part.offsetSeconds + part.index.seconds(fragment) - base }
            let lastPicture = part.index.fragments.last { $0.trackId == main && timeOf($0) < wanted.upperBound }
            let pictureEnd = lastPicture.map { timeOf($0) + Double($0.duration) / Double(max(part.index.tracks[$0.trackId]?.timescale ?? 1, 1)) } ?? wanted.upperBound
            var fragments = part.index.fragments.filter { timeOf($0) < ($0.trackId == main ? wanted.upperBound : pictureEnd) }
            let endOf = { (fragment: MP4Fragment) in timeOf(fragment) + Double(fragment.duration) / Double(max(part.index.tracks[fragment.trackId]?.timescale ?? 1, 1)) }
            if number == 0, let main {
                // Begin at the last keyframe at or before the start, so the file opens on a picture, with
                // the sound that plays at that moment (which may begin a little before it).
                let keyframes = fragments.filter { $0.trackId == main && $0.startsWithSync }
                if let opening = keyframes.last(where: { timeOf($0) <= wanted.lowerBound }) ?? keyframes.first {
                    let keyframe = timeOf(opening)
                    fragments = fragments.filter { $0.trackId == main ? timeOf($0) >= keyframe : endOf($0) > keyframe }
                    start = fragments.map(timeOf).min() ?? keyframe
                }
            }
            end = max(end, fragments.map(endOf).max() ?? end)
            var shift: [UInt32: Int64] = [:]
            for track in part.index.tracks.values {
                let ticks = ((part.offsetSeconds - base - start) * Double(track.timescale)).rounded()
                guard ticks.isFinite, abs(ticks) < 1e18 else { throw DownloadProblem(description: "part \(part.partIndex) of recording r\(part.recordingId) has impossible times") }
                shift[track.id] = Int64(ticks)
            }
            pieces.append(MP4JoinPiece(path: part.path, fragments: fragments, shift: shift))
        }
        do {
            let joiner = try MP4Joiner(headerPath: first.path, headerIndex: first.index, pieces: pieces, durationSeconds: max(0, end - start))
            return MeetingDownload(startSeconds: start, gaps: timeline.gaps(within: start...max(start, end)), joiner: joiner)
        } catch {
            throw DownloadProblem(description: "\(error)")
        }
    }
}

/// Finds and indexes the parts of a meeting's recordings; keeps the index of every finished part
/// (they never change) and re-reads a growing one each time. File reads run on a queue of their own.
public final class MeetingMediaLibrary: Sendable {
    private let directory: @Sendable (Int64) -> String
    private let cache = Mutex<[String: MP4FragmentIndex]>([:])
    private static let queue = DispatchQueue(label: "cascade.media-library", attributes: .concurrent)

    /// A library reading recording `id`'s parts from `directory(id)`.
    public init(directory: @escaping @Sendable (Int64) -> String) { self.directory = directory }

    /// The media of `recordings` (those of one meeting), on one timeline.
    public func map(of recordings: [Recording]) async -> MeetingMediaMap {
        await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: self.mapNow(recordings)) }
        }
    }

    private func mapNow(_ recordings: [Recording]) -> MeetingMediaMap {
        var found: [(TimelinePiece, path: String, index: MP4FragmentIndex, growing: Bool)] = []
        for recording in recordings where recording.deletedAt == nil {
            for part in recording.parts where part.state != .corrupt {
                let path = (directory(recording.id) as NSString).appendingPathComponent(part.fileName)
                let growing = part.state == .recording
                guard let index = self.index(path, growing: growing), index.durationSeconds > 0 else { continue }
                found.append((TimelinePiece(recordingId: recording.id, partIndex: part.index, startedAt: part.startedAt, durationSeconds: index.durationSeconds),
                              path, index, growing))
            }
        }
        let timeline = MeetingTimeline(pieces: found.map(\.0))
        let parts = timeline.entries.compactMap { entry -> MeetingMediaMap.Part? in
            guard let match = found.first(where: { $0.0 == entry.piece }) else { return nil }
            return MeetingMediaMap.Part(recordingId: entry.piece.recordingId, partIndex: entry.piece.partIndex, path: match.path, index: match.index,
                                        offsetSeconds: entry.offsetSeconds, isGrowing: match.growing)
        }
        return MeetingMediaMap(timeline: timeline, parts: parts)
    }

    private func index(_ path: String, growing: Bool) -> MP4FragmentIndex? {
        if !growing, let known = cache.withLock({ $0[path] }) { return known }
        guard let index = try? MP4FragmentIndex.read(path: path) else { return nil }
        if !growing { cache.withLock { $0[path] = index } }
        return index
    }

    /// Indexes a part that has just been finished, so that the first player to open its meeting finds
    /// it ready (a 3-hour meeting's first map otherwise reads every part's box headers).
    public func warm(path: String) {
        Self.queue.async { _ = self.index(path, growing: false) }
    }

    /// Forgets what it knows of recording `id` (its parts were deleted).
    public func forget(recording id: Int64) {
        let prefix = directory(id) + "/"
        cache.withLock { cache in cache = cache.filter { !$0.key.hasPrefix(prefix) } }
    }
}
