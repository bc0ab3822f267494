import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// A relay hop in a supervised worker: the demo feed over SRT in, halls out over SRT and UDP.
@Suite(.serialized) struct RelayWorkerTests {
    static let passphrase = "relay-test-passphrase"

    static func spec(source: String, outputs: [RelayOutput], port: Int) -> RelaySpec {
        RelaySpec(
            relayId: "t1", source: source, title: "Hội nghị thử",
            canvas: RelayCanvas(width: 640, height: 360, framerate: 25, videoKbps: 800, audioKbps: 96),
            listener: RelayListener(port: port, passphrase: passphrase, latencyMs: 200), outputs: outputs
        )
    }

    static func callerURL(port: Int, streamId: String, passphrase: String = passphrase) -> String {
        "srt://127.0.0.1:\(port)?mode=caller&latency=200&streamid=\(streamId)&passphrase=\(passphrase)&pbkeylen=32"
    }

    /// Collects the relay events a supervisor publishes.
    final class EventLog: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [RelayEvent] = []
        private var samples: [RelayStatistics] = []

        func follow(_ supervisor: Supervisor) async -> Task<Void, Never> {
            let stream = await supervisor.subscribe()
            return Task {
                for await event in stream {
                    guard case .report(let report) = event.kind else { continue }
                    self.lock.withLock {
                        switch report {
                        case .relayEvent(let relayEvent): self.events.append(relayEvent)
                        case .relayStatistics(let sample): self.samples.append(sample)
                        default: break
                        }
                    }
                }
            }
        }

        var all: [RelayEvent] { lock.withLock { events } }
        var latest: RelayStatistics? { lock.withLock { samples.last } }
        func kinds(_ kind: RelayEvent.Kind) -> [RelayEvent] { all.filter { $0.kind == kind } }
    }

    @Test func fansOutToHallsThatCallInAndHallsItCalls() async throws {
        try await RecordingWorkerTests.withDemoFeed { feed in
            try await SupervisorTests.withSupervisor { supervisor, directory in
                let log = EventLog()
                let following = await log.follow(supervisor)
                defer { following.cancel() }
                let port = TestPaths.freeUDPPort(), hallListener = TestPaths.freeUDPPort(), udpPort = TestPaths.freeUDPPort()
                let caller = HallReceiver(srt: Self.callerURL(port: port, streamId: "hall-a"), path: "\(directory)/a.ts")
                let listening = HallReceiver(srt: "srt://:\(hallListener)?mode=listener&latency=200", path: "\(directory)/b.ts")
                let lan = HallReceiver(udpPort: udpPort, path: "\(directory)/c.ts")
                try listening.start()
                try lan.start()
                let outputs = [
                    RelayOutput(hallId: "a", destination: .streamId("hall-a")),
                    RelayOutput(hallId: "b", destination: .call(uri: "srt://127.0.0.1:\(hallListener)?mode=caller&latency=200")),
                    RelayOutput(hallId: "c", destination: .udp(host: "127.0.0.1", port: udpPort)),
                    RelayOutput(hallId: "d", destination: .streamId("hall-d"), passphrase: "hall-d-own-passphrase"),
                ]
                try await supervisor.start(WorkerSpec(id: "relay-t1", relay: Self.spec(source: feed.uri, outputs: outputs, port: port)))
                try await Task.sleep(for: .seconds(1))
                try caller.start()
                let intruder = HallReceiver(srt: Self.callerURL(port: port, streamId: "hall-x"), path: "\(directory)/x.ts")
                try intruder.start()
                let wrongKey = HallReceiver(srt: Self.callerURL(port: port, streamId: "hall-a", passphrase: "not-the-passphrase"), path: "\(directory)/y.ts")
                try wrongKey.start()
                // Hall d has a passphrase of its own: it gets in with it, and the relay's does not open its stream id.
                let ownKey = HallReceiver(srt: Self.callerURL(port: port, streamId: "hall-d", passphrase: "hall-d-own-passphrase"), path: "\(directory)/d.ts")
                try ownKey.start()
                let relayKey = HallReceiver(srt: Self.callerURL(port: port, streamId: "hall-d"), path: "\(directory)/z.ts")
                try relayKey.start()
                try await Task.sleep(for: .seconds(8))
                let sample = log.latest
                caller.stop(); listening.stop(); lan.stop(); intruder.stop(); wrongKey.stop(); ownKey.stop(); relayKey.stop()
                _ = try await supervisor.stop("relay-t1")
                for receiver in [caller, listening, lan, ownKey] {
                    let frames = try MediaProbe.decodedFrames(receiver.path)
                    #expect((frames["h264"] ?? 0) > 100, "\(receiver.path): \(frames)")
                    #expect((frames["aac"] ?? 0) > 100, "\(receiver.path): \(frames)")
                    let times = try MediaProbe.videoFrameTimes(receiver.path)
                    let continuity = MediaProbe.continuity(times)
                    #expect(continuity.isMonotonic && continuity.largestStep < 0.2, "\(receiver.path): \(continuity)")
                }
                #expect(intruder.bytes == 0 && wrongKey.bytes == 0 && relayKey.bytes == 0)
                let refused = log.kinds(.hallRefused)
                #expect(refused.contains { $0.hallId == nil && $0.detail.contains("unknown stream id") }, "\(refused)")
                #expect(!refused.contains { $0.detail.contains("hall-x") }, "a stream id that names no hall is never repeated: \(refused)")
                #expect(refused.contains { $0.hallId == "a" && $0.detail.contains("passphrase") }, "\(refused)")
                #expect(log.kinds(.sourceLive).count == 1)
                #expect(refused.contains { $0.hallId == "d" && $0.detail.contains("passphrase") }, "\(refused)")
                #expect(Set(log.kinds(.hallConnected).compactMap(\.hallId)) == ["a", "b", "d"])
                let halls = Dictionary(uniqueKeysWithValues: (sample?.halls ?? []).map { ($0.hallId, $0) })
                #expect(sample?.source == "live")
                for id in ["a", "b", "c"] {
                    #expect(halls[id]?.connected == true && (halls[id]?.bitrateKbps ?? 0) > 300, "\(id): \(String(describing: halls[id]))")
                }
                #expect(halls["a"]?.rttMs != nil && halls["b"]?.rttMs != nil)
            }
        }
    }

    @Test func switchingTheSourceKeepsTheHallConnectedAndMetersTheSound() async throws {
        try await RecordingWorkerTests.withDemoFeed { feed in
            try await SupervisorTests.withSupervisor { supervisor, directory in
                let log = EventLog()
                let following = await log.follow(supervisor)
                defer { following.cancel() }
                let port = TestPaths.freeUDPPort()
                let hall = HallReceiver(srt: Self.callerURL(port: port, streamId: "hall-a"), path: "\(directory)/a.ts")
                let spec = Self.spec(source: feed.uri, outputs: [RelayOutput(hallId: "a", destination: .streamId("hall-a"))], port: port)
                try await supervisor.start(WorkerSpec(id: "relay-t1", relay: spec))
                try hall.start()
                defer { hall.stop() }
                try await Self.waitUntil { log.kinds(.hallConnected).count == 1 && log.kinds(.sourceLive).count == 1 && log.latest?.audioPeakDecibels != nil }
                let tone = try #require(log.latest?.audioPeakDecibels)
                #expect(tone > -40 && tone <= 0, "the feed's tone is metered: \(tone) dB")
                // To the backup (here the built-in pattern): the slate for the switch, then live again.
                #expect(await supervisor.send(.switchSource("demo:"), to: "relay-t1"))
                try await Self.waitUntil { log.kinds(.sourceLive).count == 2 }
                let bytesAfterSwitch = hall.bytes
                try await Self.waitUntil { hall.bytes > bytesAfterSwitch + 100_000 }
                hall.stop()
                _ = try await supervisor.stop("relay-t1")
                #expect(log.kinds(.sourceLost).first?.detail == "switching to demo:")
                #expect(log.kinds(.hallDisconnected).isEmpty, "the hall never lost its connection: \(log.all)")
                #expect(log.kinds(.hallConnected).count == 1)
                let continuity = MediaProbe.continuity(try MediaProbe.videoFrameTimes(hall.path))
                #expect(continuity.isMonotonic && continuity.largestStep < 0.5, "pictures throughout the switch: \(continuity)")
            }
        }
    }

    /// Waits for the event that proves a state (polling a condition), failing after 30 s.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("the awaited state did not come within 30 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Relays `source` for eight seconds to one hall that calls in; returns what the hall decoded.
    static func relayed(from source: String) async throws -> [String: Int] {
        var frames: [String: Int] = [:]
        try await SupervisorTests.withSupervisor { supervisor, directory in
            let port = TestPaths.freeUDPPort()
            let hall = HallReceiver(srt: Self.callerURL(port: port, streamId: "hall-a"), path: "\(directory)/a.ts")
            try await supervisor.start(WorkerSpec(id: "relay-in", relay: Self.spec(source: source, outputs: [RelayOutput(hallId: "a", destination: .streamId("hall-a"))], port: port)))
            try hall.start()
            try await Task.sleep(for: .seconds(8))
            hall.stop()
            _ = try await supervisor.stop("relay-in")
            frames = try MediaProbe.decodedFrames(hall.path)
        }
        return frames
    }

    /// A sender outside Cascade, stopped when the test ends.
    static func withSender(_ arguments: [String], _ body: () async throws -> Void) async throws {
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sender.arguments = arguments
        sender.standardOutput = FileHandle.nullDevice
        sender.standardError = FileHandle.nullDevice
        try sender.run()
        defer { kill(sender.processIdentifier, SIGKILL); sender.waitUntilExit() }
        try await Task.sleep(for: .seconds(1))
        try await body()
    }

    static let encodedPattern = "videotestsrc is-live=true pattern=smpte ! video/x-raw,width=640,height=360,framerate=25/1 ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=800 key-int-max=25 ! h264parse config-interval=-1 ! queue ! mux. audiotestsrc is-live=true ! audioconvert ! avenc_aac ! aacparse ! queue ! mux. mpegtsmux name=mux alignment=7"

    @Test func relaysAnRTSPCamera() async throws {
        let port = TestPaths.freeUDPPort()
        let server = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/rtsp-server.py").path
        try await Self.withSender(["/usr/bin/python3", server, String(port)]) {
            let frames = try await Self.relayed(from: "rtsp://127.0.0.1:\(port)/feed")
            #expect((frames["h264"] ?? 0) > 100 && (frames["aac"] ?? 0) > 100, "\(frames)")
        }
    }

    @Test func relaysUDPAndRTPTransportStreams() async throws {
        let udp = TestPaths.freeUDPPort()
        try await Self.withSender(["gst-launch-1.0", "-q"] + "\(Self.encodedPattern) ! udpsink host=127.0.0.1 port=\(udp) sync=false".split(separator: " ").map(String.init)) {
            let frames = try await Self.relayed(from: "udp://127.0.0.1:\(udp)")
            #expect((frames["h264"] ?? 0) > 100 && (frames["aac"] ?? 0) > 100, "udp: \(frames)")
        }
        let rtp = TestPaths.freeUDPPort()
        try await Self.withSender(["gst-launch-1.0", "-q"] + "\(Self.encodedPattern) ! rtpmp2tpay ! udpsink host=127.0.0.1 port=\(rtp) sync=false".split(separator: " ").map(String.init)) {
            let frames = try await Self.relayed(from: "rtp://127.0.0.1:\(rtp)")
            #expect((frames["h264"] ?? 0) > 100 && (frames["aac"] ?? 0) > 100, "rtp: \(frames)")
        }
    }
}
