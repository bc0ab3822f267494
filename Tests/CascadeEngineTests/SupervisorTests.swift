import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// Real `cascade worker` processes under a real supervisor, one test at a time.
@Suite(.serialized) struct SupervisorTests {
    static func withSupervisor(
        stopTimeout: Duration = .seconds(15),
        _ body: (Supervisor, String) async throws -> Void
    ) async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var settings = Supervisor.Settings(workerExecutable: TestPaths.cascadeExecutable, runDirectory: "\(directory)/run")
        settings.stopTimeout = stopTimeout
        let supervisor = Supervisor(settings: settings, logger: Logger(label: "test"))
        let running = Task { try await supervisor.run() }
        defer { running.cancel() }
        try await body(supervisor, directory)
        await supervisor.stopAll(includingOutliving: true)
    }

    static func recording(frames: Int? = nil, to file: String) -> String {
        let source = frames.map { "videotestsrc num-buffers=\($0)" } ?? "videotestsrc is-live=true"
        return "\(source) ! video/x-raw,width=320,height=240,framerate=25/1 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! h264parse ! mp4mux ! filesink location=\(file)"
    }

    @Test func workerRunsAPipelineToEndOfStream() async throws {
        try await Self.withSupervisor { supervisor, directory in
            let file = "\(directory)/pattern.mp4"
            try await supervisor.start(WorkerSpec(id: "pattern", purpose: "test", pipeline: Self.recording(frames: 50, to: file)))
            let outcome = await supervisor.waitForExit("pattern")
            #expect(outcome.kind == .completed)
            #expect(outcome.termination == .exited(code: 0))
            #expect(outcome.reachedEndOfStream)
            #expect(try MediaProbe.decodedFrames(file)["h264"] == 50)
        }
    }

    @Test func killedWorkerIsReportedAsCrashedWithTheSignal() async throws {
        try await Self.withSupervisor { supervisor, directory in
            let started = try await supervisor.start(WorkerSpec(id: "victim", purpose: "test", pipeline: Self.recording(to: "\(directory)/v.mp4")))
            try await Task.sleep(for: .milliseconds(500))
            let killedAt = ContinuousClock.now
            kill(started.pid, SIGKILL)
            let outcome = await supervisor.waitForExit("victim")
            #expect(ContinuousClock.now - killedAt < .seconds(2), "the reaper notices a death at once")
            #expect(outcome.kind == .crashed)
            #expect(outcome.termination == .signaled(signal: SIGKILL))
            #expect(await supervisor.snapshots().first { $0.id == "victim" }?.outcome?.kind == .crashed)
        }
    }

    @Test func stoppedWorkerFinalisesItsOutput() async throws {
        try await Self.withSupervisor { supervisor, directory in
            let file = "\(directory)/live.mp4"
            try await supervisor.start(WorkerSpec(id: "live", purpose: "test", pipeline: Self.recording(to: file)))
            try await Task.sleep(for: .seconds(2))
            let outcome = try await supervisor.stop("live")
            #expect(outcome.kind == .completed)
            #expect(outcome.reachedEndOfStream)
            #expect((try MediaProbe.decodedFrames(file)["h264"] ?? 0) >= 10)
        }
    }

    @Test func workerThatCannotFinishIsKilledAtTheDeadline() async throws {
        try await Self.withSupervisor(stopTimeout: .seconds(2)) { supervisor, _ in
            // Each buffer sleeps 2 s inside identity, so end-of-stream waits behind a full queue.
            let stuck = "videotestsrc is-live=true ! video/x-raw,width=160,height=120,framerate=25/1 ! queue ! identity sleep-time=2000000 ! fakesink"
            try await supervisor.start(WorkerSpec(id: "stuck", purpose: "test", pipeline: stuck))
            try await Task.sleep(for: .seconds(1))
            let began = ContinuousClock.now
            let outcome = try await supervisor.stop("stuck")
            #expect(outcome.kind == .killed)
            #expect(outcome.termination == .signaled(signal: SIGKILL))
            #expect(ContinuousClock.now - began < .seconds(10))
        }
    }

    @Test func invalidPipelineFailsWithTheReason() async throws {
        try await Self.withSupervisor { supervisor, _ in
            try await supervisor.start(WorkerSpec(id: "broken", purpose: "test", pipeline: "videotestsrc ! nosuchelement ! fakesink"))
            let outcome = await supervisor.waitForExit("broken")
            #expect(outcome.kind == .failed)
            #expect(outcome.termination == .exited(code: 2))
            #expect(outcome.lastError?.contains("nosuchelement") == true)
        }
    }

    @Test func statisticsAndQueriesReachTheSupervisor() async throws {
        try await Self.withSupervisor { supervisor, _ in
            let spec = WorkerSpec(
                id: "stats", purpose: "test",
                pipeline: "videotestsrc is-live=true name=source ! video/x-raw,width=160,height=120 ! fakesink name=sink",
                probes: [StatisticsProbe(element: "sink", property: "stats")], statisticsInterval: .milliseconds(300)
            )
            try await supervisor.start(spec)
            try await Task.sleep(for: .seconds(1.5))
            #expect(await supervisor.query("stats", element: "source", property: "is-live") == .bool(true))
            #expect(await supervisor.query("stats", element: "nothing", property: "x") == nil)
            let snapshot = await supervisor.snapshots().first { $0.id == "stats" }
            #expect(snapshot?.pipelineState == "PLAYING")
            guard case .string(let stats)? = snapshot?.statistics?["sink.stats"] else {
                Issue.record("no statistics in \(String(describing: snapshot))")
                return
            }
            #expect(stats.contains("rendered"))
        }
    }

    @Test func fiftyStartStopCyclesLeaveNoZombieOrDescriptor() async throws {
        try await Self.withSupervisor { supervisor, _ in
            let pipeline = "videotestsrc is-live=true ! video/x-raw,width=160,height=120 ! fakesink"
            try await supervisor.start(WorkerSpec(id: "warm-up", purpose: "test", pipeline: pipeline))
            _ = try await supervisor.stop("warm-up")
            let descriptors = ProcessFacts.openDescriptors
            for index in 0..<50 {
                try await supervisor.start(WorkerSpec(id: "cycle-\(index)", purpose: "test", pipeline: pipeline))
                let outcome = try await supervisor.stop("cycle-\(index)")
                #expect(outcome.kind == .completed, "cycle \(index): \(outcome)")
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(ProcessFacts.children.isEmpty, "no worker process, zombie or not, is left")
            #expect(ProcessFacts.openDescriptors <= descriptors + 2)
            #expect(await supervisor.runningWorkerIds.isEmpty)
        }
    }

    @Test func duplicateIdsAreRefused() async throws {
        try await Self.withSupervisor { supervisor, _ in
            let pipeline = "videotestsrc is-live=true ! fakesink"
            try await supervisor.start(WorkerSpec(id: "one", purpose: "test", pipeline: pipeline))
            await #expect(throws: EngineError.self) { try await supervisor.start(WorkerSpec(id: "one", purpose: "test", pipeline: pipeline)) }
            await #expect(throws: EngineError.self) { try await supervisor.start(WorkerSpec(id: "../escape", purpose: "test", pipeline: pipeline)) }
            await #expect(throws: EngineError.self) { _ = try await supervisor.stop("never-started") }
        }
    }
}
