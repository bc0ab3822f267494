import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// Durations counted from samples, checked against ffprobe on files GStreamer wrote.
@Suite(.serialized) struct MP4InspectorTests {
    static let source = "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=25/1 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! h264parse ! queue ! parts.video audiotestsrc is-live=true ! audioconvert ! avenc_aac ! aacparse ! queue ! parts.audio_0"

    static func splitmux(_ directory: String, seconds: Int) -> String {
        "\(source) splitmuxsink name=parts async-finalize=true muxer-factory=mp4mux muxer-properties=\"properties,fragment-duration=1000\" max-size-time=\(seconds)000000000 location=\(directory)/part-%05d.mp4"
    }

    @Test func finishedFragmentedPartsAreCountedExactly() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pipeline = try Pipeline(description: Self.splitmux(directory, seconds: 2))
        try pipeline.play()
        try await Task.sleep(for: .seconds(5))
        #expect(await pipeline.finish(timeout: .seconds(20)))
        pipeline.close()
        let parts = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(parts.count >= 2)
        for part in parts {
            let path = "\(directory)/\(part)"
            let summary = try MP4Inspector.inspect(path: path)
            #expect(summary.isFragmented)
            #expect(summary.videoCodec == "avc1")
            #expect(summary.audioCodec == "mp4a")
            #expect(summary.width == 320 && summary.height == 240)
            #expect(summary.completeBytes == summary.fileBytes)
            #expect(summary.videoFrames == (try MediaProbe.decodedFrames(path)["h264"]), "\(part)")
            #expect(abs(summary.videoSeconds - Double(summary.videoFrames) / 25) < 0.05)
        }
    }

    @Test func killedRecorderLeavesAPartThatStillCounts() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // An outside recorder (gst-launch-1.0), killed without warning, as a crash would.
        let recorder = Process()
        recorder.executableURL = URL(fileURLWithPath: "/usr/bin/gst-launch-1.0")
        recorder.arguments = ["-q"] + Self.splitmux(directory, seconds: 60).split(separator: " ").map { String($0).replacingOccurrences(of: "\"", with: "") }
        recorder.standardOutput = FileHandle.nullDevice
        recorder.standardError = FileHandle.nullDevice
        try recorder.run()
        try await Task.sleep(for: .seconds(4.5))
        kill(recorder.processIdentifier, SIGKILL)
        recorder.waitUntilExit()
        let path = "\(directory)/part-00000.mp4"
        let summary = try MP4Inspector.inspect(path: path)
        let decoded = try MediaProbe.decodedFrames(path)["h264"] ?? 0
        #expect(summary.isFragmented)
        #expect(summary.videoFrames > 25, "at least a second survives")
        #expect(summary.videoFrames <= decoded && decoded - summary.videoFrames <= 30, "only the fragment cut short is not counted (\(summary.videoFrames) of \(decoded))")
        #expect(summary.videoSeconds >= 2.0, "a 4.5 s recording keeps all but about its last second")
    }

    @Test func unfragmentedFilesUseTheSampleTable() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/plain.mp4"
        let pipeline = try Pipeline(description: "videotestsrc num-buffers=40 ! video/x-raw,width=160,height=120,framerate=20/1 ! x264enc speed-preset=ultrafast ! h264parse ! mp4mux ! filesink location=\(path)")
        try pipeline.play()
        for await event in pipeline.events where event == .endOfStream { break }
        pipeline.close()
        let summary = try MP4Inspector.inspect(path: path)
        #expect(!summary.isFragmented)
        #expect(summary.videoFrames == 40)
        #expect(abs(summary.videoSeconds - 2.0) < 0.01)
        #expect(summary.width == 160)
    }

    @Test func notAnMP4IsRefused() throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("not a movie at all".utf8).write(to: URL(fileURLWithPath: "\(directory)/x.mp4"))
        #expect(throws: MediaError.self) { _ = try MP4Inspector.inspect(path: "\(directory)/x.mp4") }
    }
}
