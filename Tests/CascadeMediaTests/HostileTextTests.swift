@testable import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// Titles and captions are data, never pipeline syntax: each hostile text below reaches the slate or
/// the demo feed's caption literally, builds no element of its own and writes no file.
@Suite(.serialized) struct HostileTextTests {
    static let hostileTexts = [
        #"A" ! filesink location=injected.bin"#,
        "A\" ! filesink location=injected.bin \u{0} trailing",
        #"Giao ban \"#,
        #"\" name=x ! fakesink"#,
        "a ! b ! filesink location=injected.bin",
        "name=evil location=injected.bin",
        "Dòng một\nDòng hai",
        #"""#,
        String(repeating: "Hội nghị Đắk Nông — ", count: 500),
    ]

    static func spec(title: String) -> RelaySpec {
        RelaySpec(relayId: "rl-hostile", source: "demo:", title: title, canvas: RelayCanvas(width: 320, height: 180, framerate: 25, videoKbps: 300),
                  listener: RelayListener(port: 9999, passphrase: nil, latencyMs: 200), outputs: [])
    }

    static func injectedFiles() -> [String] {
        let directory = FileManager.default.currentDirectoryPath
        return ["injected.bin", "x"].filter { FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0)) }
    }

    @Test("a relay's slate shows the title literally and the output plays", arguments: hostileTexts)
    func slateTitle(title: String) async throws {
        let recipe = RelayRecipes.output(Self.spec(title: title), udpClients: [])
        if title.count >= 8 { #expect(!recipe.description.contains(title.prefix(8)), "the title is not in the description") }
        let pipeline = try Pipeline(recipe: recipe)
        defer { pipeline.close() }
        let shown = pipeline.readProperty(element: RelayRecipes.slateTextElement, property: "text")
        // g_object_set takes a C string: text after a NUL is not shown (and no API lets a NUL in).
        let expected = "\(RelayRecipes.slateText)\n\(title)".split(separator: "\u{0}", omittingEmptySubsequences: false).first.map(String.init)
        #expect(shown == .string(expected ?? ""))
        try pipeline.play()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        for await event in pipeline.events {
            if pipeline.isPlaying || clock.now > deadline { break }
            if case .error(let element, let message, _) = event { Issue.record("\(element): \(message)"); break }
        }
        #expect(pipeline.isPlaying)
        #expect(Self.injectedFiles().isEmpty)
    }

    @Test("the demo feed's caption is set literally", arguments: hostileTexts)
    func demoCaption(caption: String) throws {
        let address = try SRTAddress(parsing: "srt://:9998?mode=listener")
        let recipe = PipelineRecipes.demoFeed(to: address, caption: caption)
        let pipeline = try Pipeline(recipe: recipe)
        defer { pipeline.close() }
        let expected = caption.split(separator: "\u{0}", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        #expect(pipeline.readProperty(element: PipelineRecipes.captionElement, property: "text") == .string(expected))
        #expect(Self.injectedFiles().isEmpty)
    }

    @Test("the slate's text is drawn: a still of it is not black")
    func slateIsDrawn() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cascade-slate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let still = (directory as NSString).appendingPathComponent("slate.gray")
        let title = Self.hostileTexts[0]
        let text = RelayRecipes.output(Self.spec(title: title), udpClients: []).settings.filter { $0.element == RelayRecipes.slateTextElement }
        let pipeline = try Pipeline(recipe: PipelineRecipe("""
            videotestsrc pattern=black num-buffers=1 ! video/x-raw,width=320,height=180 \
            ! textoverlay name=\(RelayRecipes.slateTextElement) valignment=center halignment=center font-desc="Sans 20" \
            ! videoconvert ! video/x-raw,format=GRAY8 ! filesink name=still
            """, settings: text + [ElementSetting(element: "still", property: "location", value: still)]))
        defer { pipeline.close() }
        try pipeline.play()
        for await event in pipeline.events {
            if case .endOfStream = event { break }
            if case .error(let element, let message, _) = event { Issue.record("\(element): \(message)"); break }
        }
        let pixels = try Data(contentsOf: URL(fileURLWithPath: still))
        #expect(pixels.count == 320 * 180)
        #expect(pixels.filter { $0 > 128 }.count > 200, "white text on the black slate")
    }
}

/// A relay's multicast output never loops back to the server: a process there that names a hall's
/// group as its source gets nothing of another unit's picture.
@Suite struct MulticastLoopTests {
    @Test("the LAN sender of both relay kinds is built with loop=false", arguments: [false, true])
    func multicastDoesNotLoopBack(isPassThrough: Bool) throws {
        let spec = HostileTextTests.spec(title: "Họp")
        let recipe = isPassThrough ? RelayRecipes.passThroughOutput(spec, udpClients: ["239.10.8.1:5004"]) : RelayRecipes.output(spec, udpClients: ["239.10.8.1:5004"])
        let pipeline = try Pipeline(recipe: recipe)
        defer { pipeline.close() }
        #expect(pipeline.readProperty(element: RelayRecipes.lanSink, property: "loop") == .bool(false))
    }
}
