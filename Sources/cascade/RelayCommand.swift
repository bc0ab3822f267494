import ArgumentParser
import CascadeApp
import Foundation

/// `cascade relay start|status|add-hall|remove-hall|stop`.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay", abstract: "Start, watch, change and stop relays to the halls.",
        subcommands: [Start.self, Status.self, AddHall.self, RemoveHall.self, Stop.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Relay a source (srt://, rtsp://, udp://, rtp:// or demo:) to halls.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Option(help: "The source, e.g. srt://10.0.0.1:9000?mode=caller&passphrase=… or demo:") var source: String
        @Option(name: .customLong("hall"), help: "A hall id; repeat for each hall.") var halls: [String]
        @Option(help: "The meeting relayed (m12, s3-2026-12-07); its title goes on the slate.") var meeting: String?
        @Option(help: "Title on the slate when there is no meeting.") var title: String?
        @Option(help: "UDP port of the relay's SRT listener (default: the first free one of relay.ports).") var port: Int?
        @Flag(name: .customLong("pass-through"), help: "A hop below the root: forward the (already normalised) MPEG-TS without decoding.") var passThrough = false

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RelayCommands.start(source: source, halls: halls, meetingId: meeting, title: title, port: port, passThrough: passThrough, client: client) }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every relay, or one relay's halls, statistics and events.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Relay id (rl3); omit to list all.") var id: String?

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RelayCommands.status(id, client: client) }
        }
    }

    struct AddHall: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-hall", abstract: "Add a hall to a running relay.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Relay id (rl3).") var id: String
        @Argument(help: "Hall id.") var hall: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RelayCommands.addHall(hall, to: id, client: client) }
        }
    }

    struct RemoveHall: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-hall", abstract: "Remove a hall from a running relay.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Relay id (rl3).") var id: String
        @Argument(help: "Hall id.") var hall: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RelayCommands.removeHall(hall, from: id, client: client) }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a relay.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Relay id (rl3).") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RelayCommands.stop(id, client: client) }
        }
    }
}
