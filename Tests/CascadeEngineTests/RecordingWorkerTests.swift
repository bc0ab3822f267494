import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// The recording recipe in a supervised worker, fed by `cascade demo-feed` over SRT.
@Suite(.serialized) struct RecordingWorkerTests {
    /// Runs the demo feed as an SRT listener for the duration of `body`.
    static func withDemoFeed(_ body: (SRTAddress) async throws -> Void) async throws {
        let feed = DemoFeedProcess()
        try feed.start()
        defer { feed.stop() }
        try await Task.sleep(for: .seconds(1))
        try await body(try SRTAddress(parsing: feed.callerURL))
    }

    static func parts(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("part-") }.sorted().map { "\(directory)/\($0)" }
    }

    @Test func recordsPartsThatDecodeAndAddUp() async throws {
        try await Self.withDemoFeed { source in
            try await SupervisorTests.withSupervisor { supervisor, directory in
                let recording = "\(directory)/recording"
                try FileManager.default.createDirectory(atPath: recording, withIntermediateDirectories: true)
                let pipeline = PipelineRecipes.recording(from: source, into: recording, partDuration: .seconds(4), firstPart: 0)
                try await supervisor.start(WorkerSpec(id: "recorder", purpose: "recording", pipeline: pipeline))
                let started = ContinuousClock.now
                try await Task.sleep(for: .seconds(10))
                let outcome = try await supervisor.stop("recorder")
                let recorded = (ContinuousClock.now - started)
                #expect(outcome.kind == .completed, "\(outcome)")
                #expect(outcome.reachedEndOfStream)
                let parts = try Self.parts(in: recording)
                #expect(parts.count >= 2, "\(parts)")
                var total = 0.0
                for part in parts {
                    let summary = try MP4Inspector.inspect(path: part)
                    #expect(summary.videoCodec == "avc1" && summary.audioCodec == "mp4a" && summary.width == 640)
                    #expect(summary.videoFrames == (try MediaProbe.decodedFrames(part)["h264"]), "\(part) decodes whole")
                    total += summary.videoSeconds
                }
                let wall = Double(recorded.components.seconds)
                #expect(total > wall - 3 && total <= wall + 1, "\(total) s recorded in about \(wall) s")
            }
        }
    }

    @Test func killedRecorderKeepsAllButTheLastSecond() async throws {
        try await Self.withDemoFeed { source in
            try await SupervisorTests.withSupervisor { supervisor, directory in
                let recording = "\(directory)/recording"
                try FileManager.default.createDirectory(atPath: recording, withIntermediateDirectories: true)
                let pipeline = PipelineRecipes.recording(from: source, into: recording, partDuration: .seconds(60), firstPart: 7)
                let worker = try await supervisor.start(WorkerSpec(id: "recorder", purpose: "recording", pipeline: pipeline))
                try await Task.sleep(for: .seconds(6))
                kill(worker.pid, SIGKILL)
                let outcome = await supervisor.waitForExit("recorder")
                #expect(outcome.kind == .crashed)
                let parts = try Self.parts(in: recording)
                #expect(parts.map { ($0 as NSString).lastPathComponent } == ["part-00007.mp4"], "numbering continues from firstPart")
                let summary = try MP4Inspector.inspect(path: parts[0])
                #expect(summary.videoSeconds >= 2.5, "\(summary.videoSeconds) s kept of about 5")
                #expect((try MediaProbe.decodedFrames(parts[0])["h264"] ?? 0) >= summary.videoFrames)
            }
        }
    }

    /// Records `source` for eight seconds; returns the frames of each part.
    static func recorded(from source: RelaySource) async throws -> [[String: Int]] {
        var frames: [[String: Int]] = []
        try await SupervisorTests.withSupervisor { supervisor, directory in
            let recording = "\(directory)/recording"
            try FileManager.default.createDirectory(atPath: recording, withIntermediateDirectories: true)
            let pipeline = PipelineRecipes.recording(from: source, into: recording, partDuration: .seconds(60), firstPart: 0)
            try await supervisor.start(WorkerSpec(id: "recorder", purpose: "recording", pipeline: pipeline))
            try await Task.sleep(for: .seconds(8))
            let outcome = try await supervisor.stop("recorder")
            #expect(outcome.reachedEndOfStream, "\(outcome)")
            frames = try Self.parts(in: recording).map { try MediaProbe.decodedFrames($0) }
        }
        return frames
    }

    @Test func recordsAnRTSPCameraAndAUDPStreamWithoutReencoding() async throws {
        let port = TestPaths.freeUDPPort()
        let server = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/rtsp-server.py").path
        try await RelayWorkerTests.withSender(["/usr/bin/python3", server, String(port)]) {
            let parts = try await Self.recorded(from: .rtsp("rtsp://127.0.0.1:\(port)/feed"))
            #expect(parts.count == 1 && (parts.first?["h264"] ?? 0) > 100 && (parts.first?["aac"] ?? 0) > 100, "rtsp: \(parts)")
        }
        let udp = TestPaths.freeUDPPort()
        try await RelayWorkerTests.withSender(["gst-launch-1.0", "-q"] + "\(RelayWorkerTests.encodedPattern) ! udpsink host=127.0.0.1 port=\(udp) sync=false".split(separator: " ").map(String.init)) {
            let parts = try await Self.recorded(from: .udp(host: "127.0.0.1", port: udp))
            #expect(parts.count == 1 && (parts.first?["h264"] ?? 0) > 100 && (parts.first?["aac"] ?? 0) > 100, "udp: \(parts)")
        }
    }
}
