import ArgumentParser
import CascadeApp
import Foundation

/// `cascade recordings start|stop|list|show|verify`.
struct RecordingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recordings", abstract: "Start, stop, list, show and verify recordings.",
        subcommands: [Start.self, Stop.self, List.self, Show.self, Verify.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a source (srt://, rtsp://, udp://, rtp://) or a relay on a running server.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Option(help: "The source, e.g. srt://10.0.0.1:9000?mode=caller&passphrase=…") var source: String?
        @Option(help: "A running relay (rl3) whose feed to record, instead of --source.") var relay: String?
        @Option(help: "The meeting recorded (m12, s3-2026-12-07).") var meeting: String?
        @Option(name: .customLong("part-seconds"), help: "Longest part in seconds (default from the configuration).") var partSeconds: Int?

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RecordingCommands.start(source: source, relayId: relay, meetingId: meeting, partSeconds: partSeconds, client: client) }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a recording; its last part is finalised.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Recording id (r3).") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RecordingCommands.stop(id, client: client) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recordings.")
        @OptionGroup var connection: MeetingsCommand.Connection

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RecordingCommands.list(client: client) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a recording's parts and gaps.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Recording id (r3).") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RecordingCommands.show(id, client: client) }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the recording files against the index (works on the data directory).")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let configuration = try data.load()
            let report = try failingOnOneLine { try RecordingCommands.verify(configuration: configuration) }
            report.lines.forEach { print($0) }
            if !report.isConsistent { throw ExitCode.failure }
        }
    }
}
