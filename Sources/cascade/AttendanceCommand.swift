import ArgumentParser
import CascadeApp

/// `cascade attendance show`.
struct AttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "A meeting's attendance, measured from its relays.", subcommands: [Show.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which halls were connected and when, with drops and outages.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id (m12, s3-2026-12-07).") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await AttendanceCommands.show(id, client: client) }
        }
    }
}
