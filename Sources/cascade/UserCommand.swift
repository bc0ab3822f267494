import ArgumentParser
import CascadeApp
import CascadeCore

/// `cascade user add`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [Add.self, Disable.self, Enable.self, ResetPassword.self]
    )

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: sign-in is refused and every token stops at once.")

        @Argument(help: "The user's login name.")
        var name: String

        @OptionGroup var data: DataOptions

        func run() async throws {
            let configuration = try data.load()
            try failingOnOneLine { try AccessCommands.setDisabled(name, true, configuration: configuration) }
            print("Disabled \(name); every token of theirs is revoked.")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again (they sign in anew; old tokens stay revoked).")

        @Argument(help: "The user's login name.")
        var name: String

        @OptionGroup var data: DataOptions

        func run() async throws {
            let configuration = try data.load()
            try failingOnOneLine { try AccessCommands.setDisabled(name, false, configuration: configuration) }
            print("Enabled \(name).")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Give a user a new random password, printed once; their tokens are revoked.")

        @Argument(help: "The user's login name.")
        var name: String

        @OptionGroup var data: DataOptions

        func run() async throws {
            let configuration = try data.load()
            let password = try failingOnOneLine { try AccessCommands.resetPassword(name, configuration: configuration) }
            print("New password for \(name) (shown only now): \(password)")
        }
    }

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
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Issue.self, List.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's tokens: id, live/expired/revoked, label, dates (never the token).")

        @Argument(help: "The user's login name.")
        var name: String

        @OptionGroup var data: DataOptions

        func run() async throws {
            let configuration = try data.load()
            let lines = try failingOnOneLine { try AccessCommands.listTokens(userName: name, configuration: configuration) }
            print(lines.isEmpty ? "\(name) has no tokens." : lines.joined(separator: "\n"))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke one of a user's tokens; it stops working at once.")

        @Argument(help: "The user's login name.")
        var name: String

        @Argument(help: "The token's id (see cascade token list).")
        var id: Int64

        @OptionGroup var data: DataOptions

        func run() async throws {
            let configuration = try data.load()
            let wasLive = try failingOnOneLine { try AccessCommands.revokeToken(id: id, userName: name, configuration: configuration) }
            print(wasLive ? "Revoked token \(id) of \(name)." : "Token \(id) of \(name) was already revoked.")
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a bearer token for a user and print it (only its hash is stored); it lasts server.tokenDays (30).")

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
