import ArgumentParser
import CascadeApp

/// `cascade minutes show|edit|final|new-version|mark|attach`.
struct MinutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minutes", abstract: "A meeting's minutes: agenda with times in the recording, conclusions, documents issued, attachments.",
        subcommands: [Show.self, Edit.self, Final.self, NewVersion.self, Mark.self, Attach.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the minutes (the latest version, or --version N).")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id (m12, s3-2026-12-07).") var id: String
        @Option(help: "An earlier version.") var version: Int?

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.showMinutes(id, version: version, client: client) }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the draft from a JSON file (chair, secretary, notes, agenda, documents).")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String
        @Argument(help: "The JSON file.") var file: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.editMinutes(id, file: file, client: client) }
        }
    }

    struct Final: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make the draft final (a later change needs a new version).")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.changeMinutes(id, action: "final", client: client) }
        }
    }

    struct NewVersion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new-version", abstract: "Start a new draft from the final version.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.changeMinutes(id, action: "new-version", client: client) }
        }
    }

    struct Mark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Agenda item N (from 0) starts now, in the live meeting's recording.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String
        @Argument(help: "Agenda item, from 0.") var item: Int

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.changeMinutes(id, action: "\(item)", client: client) }
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Attach a PDF, DOCX or ODT file to the minutes.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String
        @Argument(help: "The file.") var file: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.attach(id, file: file, client: client) }
        }
    }
}

/// `cascade search`.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Find meetings by title, chair, agenda, conclusions, document numbers or notes, with or without diacritics.")
    @OptionGroup var connection: MeetingsCommand.Connection
    @Argument(help: "Words to find, e.g. \"dak nong\" or 137-TB/TU.") var words: [String] = []
    @Option(help: "Meetings starting on or after (yyyy-MM-dd).") var from: String?
    @Option(help: "Meetings starting before (yyyy-MM-dd).") var to: String?
    @Option(help: "Meetings involving this unit's subtree.") var unit: String?
    @Option(help: "Meetings held in this hall.") var hall: String?
    @Option(help: "public, internal or confidential.") var classification: String?
    @Flag(help: "Only meetings with a recording.") var recorded = false
    @Option(help: "Page, from 1.") var page: Int?

    func run() async throws {
        let client = try connection.client()
        var query: [String: String] = [:]
        if !words.isEmpty { query["q"] = words.joined(separator: " ") }
        query["from"] = from
        query["to"] = to
        query["unit"] = unit
        query["hall"] = hall
        query["classification"] = classification
        if recorded { query["hasRecording"] = "true" }
        query["page"] = page.map(String.init)
        try await printLines { [query] in try await ArchiveCommands.search(query, client: client) }
    }
}

/// `cascade archive download|hold|release|retention|integrity`.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Download a meeting as one MP4; legal holds, retention and the integrity check.",
        subcommands: [Download.self, Hold.self, Release.self, Retention.self, Integrity.self]
    )

    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download the whole meeting, or --from/--to seconds of it, as one MP4 (remuxed, never re-encoded).")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String
        @Option(help: "Start, in seconds of the meeting's recording.") var from: Double?
        @Option(help: "End, in seconds.") var to: Double?
        @Option(name: .shortAndLong, help: "File to write (default: the meeting's date and title, in the working directory).") var output: String?
        @Flag(help: "Replace the file if it exists.") var force = false

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.download(id, from: from, to: to, output: output, force: force, client: client) }
        }
    }

    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a meeting under legal hold: its recordings are not deleted.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String
        @Option(help: "Why (an inspection, a case).") var reason: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.hold(id, reason: reason, client: client) }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a meeting's legal hold.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Argument(help: "Meeting id.") var id: String

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.hold(id, reason: nil, client: client) }
        }
    }

    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What retention would delete now (a dry run); --run deletes it.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Flag(help: "Delete now.") var run = false

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.retention(run: run, client: client) }
        }
    }

    struct Integrity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What the integrity checks found; --run checks every part against its SHA-256 now.")
        @OptionGroup var connection: MeetingsCommand.Connection
        @Flag(help: "Check now.") var run = false

        func run() async throws {
            let client = try connection.client()
            try await printLines { try await ArchiveCommands.integrity(run: run, client: client) }
        }
    }
}
