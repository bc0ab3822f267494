import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// A hop below the root: the normalised stream passes through undecoded, with a slate of its own
/// spliced in at keyframes while the link above it is down.
@Suite(.serialized) struct PassThroughHopTests {
    static func spec(source: String, port: Int) -> RelaySpec {
        var spec = RelayWorkerTests.spec(source: source, outputs: [RelayOutput(hallId: "a", destination: .streamId("hall-a"))], port: port)
        spec.passThrough = true
        // A normalising hop would make 320×180; a pass-through hop keeps the feed's 640×360.
        spec.canvas = RelayCanvas(width: 320, height: 180, framerate: 25, videoKbps: 300)
        spec.lossAfterMs = 1000
        return spec
    }

    @Test func relaysWithoutDecoding() async throws {
        try await RecordingWorkerTests.withDemoFeed { feed in
            try await SupervisorTests.withSupervisor { supervisor, directory in
                let port = TestPaths.freeUDPPort()
                let hall = HallReceiver(srt: RelayWorkerTests.callerURL(port: port, streamId: "hall-a"), path: "\(directory)/a.ts")
                try await supervisor.start(WorkerSpec(id: "relay-pass", relay: Self.spec(source: feed.uri, port: port)))
                try hall.start()
                try await Task.sleep(for: .seconds(6))
                hall.stop()
                _ = try await supervisor.stop("relay-pass")
                let frames = try MediaProbe.decodedFrames(hall.path)
                #expect((frames["h264"] ?? 0) > 75 && (frames["aac"] ?? 0) > 75, "\(frames)")
                let sizes = Set(try MediaProbe.frameSizes(hall.path))
                #expect(sizes.contains("640x360"), "the feed's own pictures reach the hall: \(sizes)")
            }
        }
        var rtsp = Self.spec(source: "rtsp://127.0.0.1:8554/feed", port: TestPaths.freeUDPPort())
        rtsp.outputs = []
        try await SupervisorTests.withSupervisor { supervisor, _ in
            try await supervisor.start(WorkerSpec(id: "relay-rtsp", relay: rtsp))
            let outcome = await supervisor.waitForExit("relay-rtsp")
            #expect(outcome.kind == .failed && (outcome.lastError ?? "").contains("MPEG-TS"), "\(outcome)")
        }
    }

    @Test func showsTheSlateWhileTheLinkAboveIsDown() async throws {
        let feed = DemoFeedProcess()
        try feed.start()
        defer { feed.stop() }
        try await SupervisorTests.withSupervisor { supervisor, directory in
            let log = RelayWorkerTests.EventLog()
            let following = await log.follow(supervisor)
            defer { following.cancel() }
            let port = TestPaths.freeUDPPort()
            let hall = HallReceiver(srt: RelayWorkerTests.callerURL(port: port, streamId: "hall-a"), path: "\(directory)/a.ts")
            try await supervisor.start(WorkerSpec(id: "relay-pass", relay: Self.spec(source: feed.callerURL, port: port)))
            try hall.start()
            try await Task.sleep(for: .seconds(6))
            feed.stop()
            try await Task.sleep(for: .seconds(5))
            try feed.start()
            try await Task.sleep(for: .seconds(10))
            hall.stop()
            _ = try await supervisor.stop("relay-pass")
            let frames = try MediaProbe.decodedFrames(hall.path)
            #expect((frames["h264"] ?? 0) > 400 && (frames["aac"] ?? 0) > 400, "\(frames)")
            // One connection, one timestamp line through the loss: the hall never had to start over. The
            // pictures pause from the last live frame until the slate's keyframe (loss deadline + ≤ 0.5 s).
            let continuity = MediaProbe.continuity(try MediaProbe.videoFrameTimes(hall.path))
            #expect(continuity.isMonotonic && continuity.largestStep < 2, "\(continuity)")
            // Colour bars, then the slate (no colour) for most of the loss, then colour bars again.
            let saturation = try MediaProbe.frameSaturation(hall.path)
            let firstLive = saturation.firstIndex { $0 > 20 } ?? saturation.count
            let slate = saturation[firstLive...].firstIndex { $0 < 2 } ?? saturation.count
            let slateEnd = saturation[slate...].firstIndex { $0 > 20 } ?? saturation.count
            #expect(slateEnd - slate >= 75, "at least 3 s of slate between live pictures: live from \(firstLive), slate \(slate)–\(slateEnd) of \(saturation.count)")
            #expect(slateEnd < saturation.count - 100, "live again for the last seconds: slate ends at \(slateEnd) of \(saturation.count)")
            #expect(log.kinds(.sourceLost).count == 1 && log.kinds(.sourceLive).count == 2, "\(log.all.map(\.kind))")
            #expect(Set(try MediaProbe.frameSizes(hall.path)) == ["640x360", "320x180"], "live at the feed's size, the slate at the hop's")
        }
    }
}
