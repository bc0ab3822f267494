import ArgumentParser
import CascadeApp

/// `cascade attendance show|import|copy-previous|mark|report`.
struct AttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "A meeting's roll call and its attendance, measured from its relays.",
        subcommands: [Show.self, Import.self, CopyPrevious.self, Mark.self, Report.self]
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
        @Option(help: "The unit (its subtree counts).") var unit: String?
        @Option(help: "Only this series' meetings (sN); the unit defaults to its organiser.") var series: String?
        @Option(help: "First day, yyyy-MM-dd (default: today).") var from: String?
        @Option(help: "Day after the last, yyyy-MM-dd (default: 31 days after --from).") var to: String?

        func validate() throws {
            guard unit != nil || series != nil else { throw ValidationError("give --unit or --series") }
        }

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await AttendanceCommands.report(unit: unit, series: series, from: from, to: to, client: client) }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a meeting's invitation list from a CSV file (name,position,unit,hall; UTF-8).")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await AttendanceCommands.importList(id, file: file, client: client) }
        }
    }

    struct CopyPrevious: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "copy-previous", abstract: "Invite the people of the series' previous occurrence.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id of an occurrence (s3-2026-12-14).") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await AttendanceCommands.copyPrevious(id, client: client) }
        }
    }

    struct Mark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a delegate's roll-call state.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String
        @Argument(help: "Delegate id (from `attendance show` or the import).") var delegate: Int
        @Option(help: "not-called, present-in-hall, present-online, absent-with-reason, absent or represented.") var state: String
        @Option(help: "The reason of an absence.") var reason: String?
        @Option(name: .customLong("represented-by"), help: "Who came in their place (name, position).") var representedBy: String?

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await AttendanceCommands.mark(id, delegate: delegate, state: state, reason: reason, representedBy: representedBy, client: client) }
        }
    }
}
