import ArgumentParser
import CascadeApp
import CascadeCore

/// `cascade demo-feed`.
struct DemoFeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-feed",
        abstract: "Send a synthetic central feed (test pattern, clock, caption, 1 kHz tone; H.264 + AAC in MPEG-TS) over SRT."
    )

    @Option(name: .long, help: "SRT URL, e.g. srt://:9000?mode=listener or srt://10.0.0.2:9000?mode=caller&passphrase=…")
    var output: String

    @Option(name: .long, help: "Caption shown on the picture.")
    var caption = "Cascade — tín hiệu thử nghiệm từ Trung ương"

    @Option(name: .long, help: "Stop after this many seconds (default: run until interrupted).")
    var seconds: Int?

    func run() async throws {
        if let seconds, seconds <= 0 { throw ValidationError("--seconds must be positive") }
        if let problem = FreeText.problem(in: caption) { throw ValidationError("--caption \(problem)") }
        try await failingOnOneLine {
            try await DemoFeed.run(output: output, caption: caption, duration: seconds.map { .seconds($0) }, logger: makeLogger("cascade.demo-feed"))
        }
    }
}
