import CascadeCore
import CascadeEngine
import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// A relay worker given a hostile title shows it literally on the slate, builds no element from it
/// and writes no file.
@Suite(.serialized) struct RelaySlateTextTests {
    static let titles = [
        #"A" ! filesink location=injected.bin"#,
        #"Giao ban \"#,
        "a ! b name=evil ! filesink location=injected.bin",
    ]

    @Test(arguments: titles)
    func workerShowsTheTitleLiterally(title: String) async throws {
        try await SupervisorTests.withSupervisor { supervisor, directory in
            let log = RelayWorkerTests.EventLog()
            let following = await log.follow(supervisor)
            defer { following.cancel() }
            var spec = RelayWorkerTests.spec(source: "demo:", outputs: [], port: TestPaths.freeUDPPort())
            spec.title = title
            try await supervisor.start(WorkerSpec(id: "relay-hostile", relay: spec))
            // The worker reports the source live once its pipelines play.
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(30))
            while log.kinds(.sourceLive).isEmpty, clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!log.kinds(.sourceLive).isEmpty, "the relay runs")
            let shown = await supervisor.query("relay-hostile", element: "slatetext", property: "text")
            #expect(shown == .string("Mất tín hiệu — đang kết nối lại\n\(title)"))
            _ = try await supervisor.stop("relay-hostile")
            let cwd = FileManager.default.currentDirectoryPath
            for folder in [cwd, directory, "\(directory)/run"] {
                #expect(!FileManager.default.fileExists(atPath: "\(folder)/injected.bin"), "no file in \(folder)")
            }
        }
    }
}
