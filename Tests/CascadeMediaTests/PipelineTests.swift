import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// Real GStreamer pipelines, one at a time (media is heavy on a 2-core machine).
@Suite(.serialized) struct PipelineTests {
    static func testPattern(frames: Int, to path: String) -> String {
        "videotestsrc num-buffers=\(frames) ! video/x-raw,width=320,height=240,framerate=25/1 ! x264enc speed-preset=ultrafast key-int-max=25 ! h264parse ! mp4mux ! filesink location=\(path)"
    }

    static func waitFor(_ pipeline: Pipeline, until done: (PipelineEvent) -> Bool) async -> [PipelineEvent] {
        var seen: [PipelineEvent] = []
        for await event in pipeline.events {
            seen.append(event)
            if done(event) { break }
        }
        return seen
    }

    @Test func runsToEndOfStreamAndTheFileDecodes() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = "\(directory)/pattern.mp4"
        let pipeline = try Pipeline(description: Self.testPattern(frames: 50, to: file))
        try pipeline.play()
        let events = await Self.waitFor(pipeline) { $0 == .endOfStream || { if case .error = $0 { true } else { false } }($0) }
        pipeline.close()
        #expect(events.last == .endOfStream)
        #expect(events.contains(.stateChanged(from: "PAUSED", to: "PLAYING")))
        #expect(try MediaProbe.decodedFrames(file)["h264"] == 50)
    }

    @Test func unknownElementIsRejectedByName() {
        #expect {
            _ = try Pipeline(description: "videotestsrc ! nosuchelement ! fakesink")
        } throws: { error in
            (error as? MediaError)?.code == .invalidPipeline && "\(error)".contains("nosuchelement")
        }
    }

    @Test func errorsNameTheFailingElement() async throws {
        let pipeline = try Pipeline(description: "filesrc name=source location=/nonexistent/cascade.ts ! fakesink")
        try? pipeline.play()
        let events = await Self.waitFor(pipeline) { if case .error = $0 { true } else { false } }
        pipeline.close()
        guard case .error(let element, let message, _) = events.last else {
            Issue.record("no error event: \(events)")
            return
        }
        #expect(element == "source")
        #expect(!message.isEmpty)
        #expect(pipeline.firstError?.hasPrefix("source:") == true)
    }

    @Test func readsElementProperties() throws {
        let pipeline = try Pipeline(description: "videotestsrc name=pattern num-buffers=1 pattern=ball ! fakesink name=sink sync=false")
        defer { pipeline.close() }
        #expect(pipeline.readProperty(element: "pattern", property: "num-buffers") == .int(1))
        #expect(pipeline.readProperty(element: "pattern", property: "is-live") == .bool(false))
        #expect(pipeline.readProperty(element: "sink", property: "name") == .string("sink"))
        #expect(pipeline.readProperty(element: "sink", property: "no-such-property") == nil)
        #expect(pipeline.readProperty(element: "missing", property: "name") == nil)
        if case .string(let stats)? = pipeline.readProperty(element: "sink", property: "stats") {
            #expect(stats.hasPrefix("application/x-gst-base-sink-stats"))
        } else {
            Issue.record("a structure property should read as its serialisation")
        }
    }

    @Test func finishingALivePipelineFinalisesTheFile() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = "\(directory)/live.mp4"
        let pipeline = try Pipeline(description: "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=25/1 ! x264enc tune=zerolatency speed-preset=ultrafast ! h264parse ! mp4mux ! filesink location=\(file)")
        try pipeline.play()
        try await Task.sleep(for: .seconds(1.5))
        let finished = await pipeline.finish(timeout: .seconds(20))
        pipeline.close()
        #expect(finished)
        let frames = try MediaProbe.decodedFrames(file)["h264"] ?? 0
        #expect(frames >= 10, "an mp4 finished by end-of-stream has its index and decodes")
    }

    @Test func repeatedStartAndStopLeaksNoDescriptorsOrThreads() async throws {
        func cycle() async throws {
            let pipeline = try Pipeline(description: "videotestsrc is-live=true ! video/x-raw,width=160,height=120 ! fakesink")
            try pipeline.play()
            _ = await pipeline.finish(timeout: .seconds(10))
            pipeline.close()
        }
        try await cycle()  // GStreamer starts process-wide threads on first use
        let descriptors = ProcessFacts.openDescriptors
        let threads = ProcessFacts.threads
        for _ in 0..<50 { try await cycle() }
        try await Task.sleep(for: .milliseconds(300))
        #expect(ProcessFacts.openDescriptors <= descriptors + 2)
        #expect(ProcessFacts.threads <= threads + 2)
    }
}
