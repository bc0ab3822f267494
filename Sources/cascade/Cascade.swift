import ArgumentParser
import CascadeApp

/// `cascade`: the server, its workers and the administrator's commands.
@main
struct Cascade: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cascade",
        abstract: "Video-conference session orchestrator: relays, recordings and bookings for cascaded government meetings.",
        subcommands: [Serve.self, MeetingsCommand.self, TodayCommand.self, RelayCommand.self, RecordingsCommand.self, AttendanceCommand.self, MinutesCommand.self, SearchCommand.self, ArchiveCommand.self, UserCommand.self, TokenCommand.self, DemoFeedCommand.self, Worker.self]
    )
}
