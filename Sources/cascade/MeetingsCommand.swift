import ArgumentParser
import CascadeApp
import Foundation

/// `cascade meetings book|list|show|cancel|run|extend|end|confirm|switch-source`.
struct MeetingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings", abstract: "Book, list, show and cancel meetings; watch and steer the ones running.",
        subcommands: [Book.self, List.self, Show.self, Cancel.self, RunBoard.self, Extend.self, End.self, Confirm.self, SwitchSource.self]
    )

    struct Connection: ParsableArguments {
        @Option(name: .long, help: "Server URL (default: $CASCADE_SERVER or http://127.0.0.1:8080).")
        var server: String?

        // No --token: a token on the command line is shown by `ps` to everyone on the machine.
        @Option(name: .customLong("token-file"), help: "A file holding the bearer token (default: $CASCADE_TOKEN); get one with `cascade token issue`.")
        var tokenFile: String?

        func client() throws -> APIClient {
            let environment = ProcessInfo.processInfo.environment
            var token = environment["CASCADE_TOKEN"]
            if let tokenFile {
                guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else { throw ValidationError("cannot read the token file \(tokenFile)") }
                token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let token, !token.isEmpty else {
                throw ValidationError("set CASCADE_TOKEN or give --token-file FILE")
            }
            return APIClient(server: server ?? environment["CASCADE_SERVER"] ?? "http://127.0.0.1:8080", token: token)
        }
    }

    struct Book: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Book a meeting or a series; a conflict is refused with every reason and free slots.")

        @OptionGroup var connection: Connection
        @Option(help: "Title.") var title: String
        @Option(help: "Organising unit id.") var unit: String
        @Option(help: "Start, local (2026-12-07T07:30) or with offset.") var start: String
        @Option(help: "End.") var end: String
        @Option(name: .customLong("hall"), help: "A hall id (repeat for several).") var halls: [String] = []
        @Option(name: .customLong("halls-of-unit"), help: "Every hall of this unit's subtree.") var hallsOfUnit: String?
        @Option(help: "Who chairs it.") var chair: String?
        @Option(help: "Notes.") var notes: String?
        @Option(help: "Rehearsal lead time in minutes.") var rehearsal: Int?
        @Option(help: "Stream bitrate in kbit/s.") var bitrate: Int?
        @Option(help: "public, internal or confidential.") var classification: String?
        @Flag(name: .customLong("no-record"), help: "Do not record.") var noRecord = false
        @Option(help: "Where the picture comes from: a feed id or a hall with a feed (default: the unit's).") var origin: String?
        @Option(name: .customLong("repeat"), help: "daily, weekly, monthly or yearly.") var frequency: String?
        @Option(name: .customLong("weekday"), help: "Weekly: 1 (Monday) … 7 (Sunday); repeat for several.") var weekdays: [Int] = []
        @Option(help: "Every n days/weeks/months/years.") var interval: Int?
        @Option(help: "Last date (yyyy-MM-dd).") var until: String?
        @Option(help: "Number of occurrences.") var count: Int?

        func run() async throws {
            var booking = MeetingCommands.Booking(title: title, organiserUnitId: unit, start: start, end: end)
            booking.halls = halls
            booking.hallsOfUnit = hallsOfUnit
            booking.chair = chair
            booking.notes = notes
            booking.rehearsalMinutes = rehearsal
            booking.bitrateKbps = bitrate
            booking.classification = classification
            booking.isRecorded = !noRecord
            booking.origin = origin
            booking.repeatFrequency = frequency
            booking.weekdays = weekdays
            booking.interval = interval
            booking.until = until
            booking.count = count
            let client = try connection.client()
            try await printLines { try await MeetingCommands.book(booking, client: client) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List meetings in a range (default: the next 30 days).")
        @OptionGroup var connection: Connection
        @Option(help: "From (date or time).") var from: String?
        @Option(help: "To (date or time).") var to: String?
        @Option(help: "Only this unit's subtree.") var unit: String?
        @Option(help: "Only this hall.") var hall: String?
        @Option(name: .customLong("search"), help: "Text in title, chair or notes (diacritics optional).") var text: String?

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await MeetingCommands.list(from: from, to: to, unit: unit, hall: hall, text: text, client: client) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one meeting.")
        @OptionGroup var connection: Connection
        @Argument(help: "Meeting id (m12, or s3-2026-12-07 for an occurrence).") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await MeetingCommands.show(id, client: client) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a meeting, or an occurrence (--scope occurrence|following|series).")
        @OptionGroup var connection: Connection
        @Argument(help: "Meeting id.") var id: String
        @Option(help: "For a series occurrence: occurrence, following or series.") var scope: String?

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await MeetingCommands.cancel(id, scope: scope, client: client) }
        }
    }

    struct RunBoard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "A running meeting's readiness board: source, halls, alarms.")
        @OptionGroup var connection: Connection
        @Argument(help: "Meeting id.") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RunCommands.board(id, client: client) }
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Extend a live meeting (refused when a hall is booked right after).")
        @OptionGroup var connection: Connection
        @Argument(help: "Meeting id.") var id: String
        @Option(help: "Minutes to add.") var minutes: Int

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RunCommands.extend(id, minutes: minutes, client: client) }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a meeting in rehearsal or live now (the recording is finalised).")
        @OptionGroup var connection: Connection
        @Argument(help: "Meeting id.") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RunCommands.end(id, client: client) }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm a hall's picture and sound (e.g. by phone).")
        @OptionGroup var connection: Connection
        @Argument(help: "Meeting id.") var id: String
        @Argument(help: "Hall id.") var hall: String
        @Option(help: "How it was confirmed.") var note: String?

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RunCommands.confirm(id, hall: hall, note: note, client: client) }
        }
    }

    struct SwitchSource: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "switch-source", abstract: "Switch a running meeting to its feed's backup (--main to go back).")
        @OptionGroup var connection: Connection
        @Argument(help: "Meeting id.") var id: String
        @Flag(name: .customLong("backup"), help: "Take the backup URI.") var backup = false
        @Flag(name: .customLong("main"), help: "Take the main URI again.") var main = false

        func validate() throws {
            guard backup != main else { throw ValidationError("give --backup or --main") }
        }

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await RunCommands.switchSource(id, backup: backup, client: client) }
        }
    }
}
