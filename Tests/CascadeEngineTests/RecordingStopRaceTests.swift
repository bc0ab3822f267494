import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// An index in memory: what the recording service wrote, for the test to read.
final class MemoryRecordingIndex: RecordingIndex {
    struct Written {
        var opened: [Int] = []
        var finished: [Int] = []
        var endings: [Recording.State] = []
    }

    let written = Mutex(Written())

    func createRecording(meetingId: String?, source: String, sourceURI: String, partSeconds: Int, actor: String) throws -> Int64 { 1 }
    func partOpened(recording: Int64, index: Int, at time: Date) throws { written.withLock { $0.opened.append(index) } }
    func partFinished(recording: Int64, part: RecordingPart) throws { written.withLock { $0.finished.append(part.index) } }
    func openGap(recording: Int64, at time: Date, reason: String) throws {}
    func finishRecording(_ id: Int64, state: Recording.State, reason: String?, actor: String) throws { written.withLock { $0.endings.append(state) } }
    func recording(_ id: Int64) throws -> Recording? {
        Recording(id: id, meetingId: nil, source: "", state: .recording, partSeconds: 60, startedAt: Date(), stoppedAt: nil, reason: nil, parts: [], gaps: [])
    }
    func activeRecordings() throws -> [(recording: Recording, sourceURI: String)] { [] }
    func appendAudit(actor: String, action: String, target: String?, details: String?) throws {}
}

/// A stop that arrives while a recorder that just exited has its last part measured is carried out
/// once the measurement is in: the recording ends stopped, does not start again, and every stop returns.
@Suite(.serialized) struct RecordingStopRaceTests {
    @Test func stopsRacingARecorderExitEndTheRecording() async throws {
        try await RecordingWorkerTests.withDemoFeed { source in
            try await SupervisorTests.withSupervisor { supervisor, directory in
                let index = MemoryRecordingIndex()
                let (measuring, measuringStarted) = AsyncStream.makeStream(of: Void.self)
                let (gate, openGate) = AsyncStream.makeStream(of: Void.self)
                var settings = RecordingService.Settings(directory: "\(directory)/recordings")
                settings.measurePart = { path, partIndex, startedAt, endedNormally in
                    measuringStarted.yield()
                    for await _ in gate { break }
                    return RecordingPart(index: partIndex, fileName: (path as NSString).lastPathComponent, startedAt: startedAt, state: .partial)
                }
                let service = RecordingService(supervisor: supervisor, index: index, settings: settings, logger: Logger(label: "test"))
                let running = Task { try await service.run() }
                defer { running.cancel() }
                let id = try await service.start(source: source.uri, meetingId: nil, partSeconds: 60, actor: "test")

                // Wait for the first part to open, then kill the recorder: its last part gets measured.
                let clock = ContinuousClock()
                let deadline = clock.now.advanced(by: .seconds(30))
                while index.written.withLock({ $0.opened.isEmpty }), clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                try #require(!index.written.withLock { $0.opened.isEmpty }, "the recorder opened a part")
                let recorder = try #require(await supervisor.snapshots().first { $0.purpose == "recording" })
                kill(recorder.pid, SIGKILL)
                var started = measuring.makeAsyncIterator()
                _ = await started.next()

                // Two technicians press stop while the part is measured.
                let first = Task { try await service.stop(id, actor: "kt1") }
                let second = Task { try await service.stop(id, actor: "kt2") }
                try await eventually { await service.phase(id) == .stopping }
                #expect(index.written.withLock { $0.endings.isEmpty }, "nothing ends before the part is measured")
                openGate.yield()
                openGate.finish()
                try await first.value
                try await second.value

                #expect(index.written.withLock { $0.finished } == [0])
                #expect(await !service.isActive(id), "the recording does not start again")
                #expect(index.written.withLock { $0.endings } == [.stopped])
            }
        }
    }
}
