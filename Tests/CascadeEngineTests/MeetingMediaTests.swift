import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// A meeting recorded in two recordings (three parts, then a 10-second gap, then two more), laid on
/// one timeline, served as an HLS playlist and joined into one MP4 that ffprobe checks independently.
@Suite(.serialized) struct MeetingMediaTests {
    static let origin = Date(timeIntervalSince1970: 1_800_000_000)

    /// Two recordings of real parts (about 4 s each) and the media map over them.
    func withMeetingMedia(_ body: (MeetingMediaMap, String) async throws -> Void) async throws {
        let root = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory: @Sendable (Int64) -> String = { "\(root)/r\($0)" }
        try RecordedParts.make(in: directory(1), count: 3, seconds: 4)
        try RecordedParts.make(in: directory(2), count: 2, seconds: 4)
        func recording(_ id: Int64, startingAt start: Date, parts: Int) throws -> Recording {
            var measured: [RecordingPart] = []
            var at = start
            for index in 0..<parts {
                let path = "\(directory(id))/\(RecordingPart.fileName(index))"
                let seconds = try MP4FragmentIndex.read(path: path).durationSeconds
                measured.append(RecordingPart(index: index, fileName: RecordingPart.fileName(index), startedAt: at, durationSeconds: seconds, state: .complete))
                at = at.addingTimeInterval(seconds + 0.05)  // wall clocks drift a little from sample clocks
            }
            return Recording(id: id, meetingId: "m1", source: "test", state: .stopped, partSeconds: 4, startedAt: start, stoppedAt: at,
                             reason: nil, parts: measured, gaps: [])
        }
        let first = try recording(1, startingAt: Self.origin, parts: 3)
        let resumed = first.parts.last!.startedAt.addingTimeInterval(first.parts.last!.durationSeconds! + 10)
        let second = try recording(2, startingAt: resumed, parts: 2)
        let map = await MeetingMediaLibrary(directory: directory).map(of: [second, first])
        try await body(map, root)
    }

    @Test("parts are indexed fragment by fragment and laid end to end, the gap kept")
    func timeline() async throws {
        try await withMeetingMedia { map, _ in
            #expect(map.parts.map(\.recordingId) == [1, 1, 1, 2, 2])
            #expect(map.timeline.gaps.count == 1)
            let gap = try #require(map.timeline.gaps.first)
            #expect(abs(gap.endSeconds - gap.startSeconds - 10) < 0.2)
            for (earlier, later) in zip(map.parts, map.parts.dropFirst()) where later.recordingId == earlier.recordingId {
                #expect(abs(later.offsetSeconds - (earlier.offsetSeconds + earlier.index.durationSeconds)) < 0.001, "end to end")
            }
            for part in map.parts {
                let segments = map.segments(of: part, targetSeconds: 1.5)
                #expect(segments.count >= 2)
                #expect(segments.first?.firstByte == part.index.initialisation.upperBound)
                #expect(segments.last?.lastByte == part.index.fragments.last.map { $0.offset + $0.length - 1 })
                for (a, b) in zip(segments, segments.dropFirst()) { #expect(b.firstByte == a.lastByte + 1) }
                #expect(part.index.codecs.hasPrefix("avc1.") && part.index.codecs.hasSuffix(",mp4a.40.2"))
            }
        }
    }

    @Test("the HLS playlist names every part's header and byte ranges, with a discontinuity at each part")
    func playlist() async throws {
        try await withMeetingMedia { map, _ in
            let playlist = map.hlsPlaylist { "/p/\($0.recordingId)/\($0.partIndex)" }
            let lines = playlist.split(separator: "\n")
            #expect(lines.first == "#EXTM3U" && lines.last == "#EXT-X-ENDLIST")
            #expect(lines.filter { $0 == "#EXT-X-DISCONTINUITY" }.count == 4)
            #expect(lines.filter { $0.hasPrefix("#EXT-X-MAP:URI=\"/p/") }.count == 5)
            #expect(lines.filter { $0.hasPrefix("#EXT-X-PROGRAM-DATE-TIME:") }.count == 5)
            var durations: [Double] = []
            for line in lines where line.hasPrefix("#EXTINF:") {
                if let value = Double(line.dropFirst("#EXTINF:".count).dropLast()) { durations.append(value) }
            }
            #expect(durations.count == map.parts.count)
            let listed = durations.reduce(0, +)
            let recorded = map.parts.map(\.index.durationSeconds).reduce(0, +)
            #expect(abs(listed - recorded) < 0.5)
        }
    }

    @Test("the whole meeting joins into one MP4 whose duration is the timeline's, without re-encoding")
    func wholeDownload() async throws {
        try await withMeetingMedia { map, root in
            let made = try map.download()
            let path = "\(root)/whole.mp4"
            var bytes = Data()
            for try await chunk in made.chunks(chunkBytes: 64 << 10) { bytes.append(chunk) }
            try bytes.write(to: URL(fileURLWithPath: path))
            let probe = try Command.run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path])
            let duration = try #require(Double(probe.output.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(abs(duration - map.timeline.durationSeconds) < 0.3, "ffprobe \(duration) s, index \(map.timeline.durationSeconds) s")
            #expect(made.gaps.count == 1)
            let frames = try MediaProbe.decodedFrames(path)
            let expected = map.parts.map { part in part.index.fragments.filter { $0.trackId == part.index.mainTrack?.id }.count }.reduce(0, +)
            #expect(expected > 0)
            let recorded = map.parts.map(\.index.durationSeconds).reduce(0, +)
            let expectedFrames = 25 * Int(recorded.rounded())
            #expect(frames["h264"] == expectedFrames, "every frame of every part, \(frames)")
            let times = try MediaProbe.videoFrameTimes(path)
            #expect(MediaProbe.continuity(times).isMonotonic)
            #expect(abs(MediaProbe.continuity(times).largestStep - 10.04) < 0.3, "the only jump is the gap")
            // The same bytes as the parts: nothing re-encoded.
            let sizes = map.parts.map { $0.index.fragments.map(\.length).reduce(0, +) }.reduce(0, +)
            #expect(Int64(bytes.count) == sizes + Int64(made.headerBytes))
        }
    }

    @Test("a range starts at the keyframe before it and keeps the gap inside it, on the file's own clock")
    func rangeDownload() async throws {
        try await withMeetingMedia { map, root in
            let secondPart = map.parts[1]
            let made = try map.download(range: (secondPart.offsetSeconds + 1.3)...(map.parts[3].offsetSeconds + 2))
            #expect(made.startSeconds <= secondPart.offsetSeconds + 1.3 && made.startSeconds > secondPart.offsetSeconds + 1.3 - 1.05)
            let path = "\(root)/range.mp4"
            var bytes = Data()
            for try await chunk in made.chunks() { bytes.append(chunk) }
            try bytes.write(to: URL(fileURLWithPath: path))
            let times = try MediaProbe.videoFrameTimes(path)
            #expect((times.first ?? 99) < 0.05, "the file starts at 0")
            #expect(made.gaps.count == 1)
            let probe = try Command.run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path])
            let duration = Double(probe.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(abs(duration - made.durationSeconds) < 0.1, "ffprobe \(duration), joiner \(made.durationSeconds)")
            #expect(throws: MeetingMediaMap.DownloadProblem.self) { try map.download(range: 500...600) }
        }
    }

    @Test("a damaged part is read as far as it is sound, never trusted beyond it and never a crash")
    func damagedParts() async throws {
        try await withMeetingMedia { map, root in
            let sound = try Data(contentsOf: URL(fileURLWithPath: map.parts[0].path))
            var lying = sound
            // The first trun claims four billion samples.
            let trun = try #require(lying.range(of: Data("trun".utf8)))
            for offset in 0..<4 { lying[trun.upperBound + 4 + offset] = 0xFF }
            var giant = sound
            // A box header that says "size in the next 8 bytes", and they say 2^63 and more.
            let moof = try #require(giant.range(of: Data("moof".utf8)))
            giant.replaceSubrange((moof.lowerBound - 4)..<(moof.lowerBound + 12), with: Data([0, 0, 0, 1] + Array("moof".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]))
            let damaged: [(String, Data)] = [("garbage", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })), ("half", sound.prefix(sound.count / 2)),
                                             ("lying", lying), ("giant", giant), ("empty", Data())]
            for (name, bytes) in damaged {
                let path = "\(root)/\(name).mp4"
                try bytes.write(to: URL(fileURLWithPath: path))
                if let index = try? MP4FragmentIndex.read(path: path) {
                    #expect(index.durationSeconds.isFinite && index.durationSeconds <= 100_000, "\(name)")
                    #expect(index.fragments.allSatisfy { $0.offset + $0.length <= Int64(bytes.count) }, "\(name)")
                }
                _ = try? MP4Inspector.inspect(path: path)
            }
            let half = try MP4FragmentIndex.read(path: "\(root)/half.mp4")
            #expect(half.durationSeconds > 0.5 && half.durationSeconds < map.parts[0].index.durationSeconds)
        }
    }
}
