import ArgumentParser
import CascadeApp
import CascadeCore

/// `cascade user add`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user with a random password, printed once.")

        @Argument(help: "Login name (a–z, 0–9, '-').")
        var name: String

        @Option(name: .long, help: "admin, secretariat, technician or viewer.")
        var role: String

        @Option(name: .long, help: "Limit the user to this unit's subtree.")
        var unit: String?

        @OptionGroup var data: DataOptions

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let configuration = try data.load()
            let password = try failingOnOneLine {
                try AccessCommands.addUser(name: name, role: role, unitId: unit, configuration: configuration)
            }
            print("Created \(role.rawValue) \(name)\(unit.map { " limited to unit \($0)" } ?? ""). Password (shown only now): \(password)")
        }
    }
}

/// `cascade token issue`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a bearer token for a user and print it (only its hash is stored).")

        @Argument(help: "The user's login name.")
        var name: String

        @Option(name: .long, help: "A label for the audit log.")
        var label = "cli"

        @OptionGroup var data: DataOptions

        func run() async throws {
            let configuration = try data.load()
            let token = try failingOnOneLine {
                try AccessCommands.issueToken(userName: name, label: label, configuration: configuration)
            }
            print(token)
        }
    }
}
