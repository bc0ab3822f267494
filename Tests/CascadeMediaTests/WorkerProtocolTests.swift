import CascadeMedia
import Foundation
import Testing

@Suite struct WorkerProtocolTests {
    @Test(arguments: [
        WorkerCommand.start(recipe: PipelineRecipe("videotestsrc ! textoverlay name=t ! fakesink", settings: [ElementSetting(element: "t", property: "text", value: "A\" ! filesink location=x \\")]), probes: [StatisticsProbe(element: "sink", property: "stats")], statisticsIntervalMs: 1000),
        .stop(timeoutMs: 5000),
        .query(requestId: 7, element: "sink", property: "stats"),
    ])
    func commandsRoundTrip(_ command: WorkerCommand) throws {
        let data = try JSONEncoder().encode(command)
        #expect(try JSONDecoder().decode(WorkerCommand.self, from: data) == command)
    }

    @Test(arguments: [
        WorkerReport.hello(workerId: "w1", pid: 42, protocolVersion: 1, isRunning: true),
        .state(from: "PAUSED", to: "PLAYING"),
        .error(element: "srtsink0", message: "bind failed", debug: "details"),
        .warning(element: "queue0", message: "late", debug: ""),
        .endOfStream,
        .element(source: "splitmux", name: "splitmuxsink-fragment-closed", fields: "location=(string)a.mp4"),
        .statistics(positionMs: 1500, values: ["sink.stats": .string("x"), "enc.bitrate": .int(1000)]),
        .reply(requestId: 7, value: .uint(UInt64.max)),
        .reply(requestId: 8, value: nil),
    ])
    func reportsRoundTrip(_ report: WorkerReport) throws {
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(WorkerReport.self, from: data) == report)
    }

    @Test func wireFormatIsDocumentedShape() throws {
        let data = try JSONEncoder.sorted.encode(WorkerCommand.stop(timeoutMs: 5000))
        #expect(String(decoding: data, as: UTF8.self) == #"{"timeoutMs":5000,"type":"stop"}"#)
    }

    @Test(arguments: ["srt://:9000?mode=listener", "srt://10.0.0.2:9000?mode=caller&passphrase=0123456789abc&latency=800"])
    func validSRTAddresses(_ text: String) throws {
        let address = try SRTAddress(parsing: text)
        #expect(address.uri.hasPrefix("srt://"))
        if address.passphrase != nil { #expect(address.uri.contains("pbkeylen=32")) }
    }

    @Test(arguments: ["http://x:9000", "srt://host", "srt://:9000?mode=sideways", "srt://h:9000?passphrase=short", "srt://:9000?mode=caller", "srt://h:9000?latency=5"])
    func invalidSRTAddresses(_ text: String) {
        #expect(throws: MediaError.self) { _ = try SRTAddress(parsing: text) }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
