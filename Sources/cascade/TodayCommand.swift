import ArgumentParser
import CascadeApp

/// `cascade today`: the technician's run sheet.
struct TodayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "today", abstract: "Today's meetings with their run state, next transition and alarms."
    )
    @OptionGroup var connection: MeetingsCommand.Connection
    @Option(help: "Another day (yyyy-MM-dd).") var date: String?

    func run() async throws {
        let client = try connection.client()
        try await printLines { try await RunCommands.today(date: date, client: client) }
    }
}
