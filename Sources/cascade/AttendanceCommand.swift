import ArgumentParser
import CascadeApp

/// `cascade attendance show`.
struct AttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "A meeting's attendance, measured from its relays.", subcommands: [Show.self, Report.self]
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

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How a unit took part in the meetings of a period.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Option(help: "The unit (its subtree counts).") var unit: String
        @Option(help: "First day, yyyy-MM-dd (default: today).") var from: String?
        @Option(help: "Day after the last, yyyy-MM-dd (default: 31 days after --from).") var to: String?

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await AttendanceCommands.report(unit: unit, from: from, to: to, client: client) }
        }
    }
}
