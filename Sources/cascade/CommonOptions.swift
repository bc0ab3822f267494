import ArgumentParser
import CascadeApp
import Foundation
import Logging

/// `--config` and `--data-dir`, shared by every command that opens the data directory.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file.")
    var config = "config/cascade.yaml"

    @Option(name: .customLong("data-dir"), help: "Data directory (default: server.dataDir from the configuration, else ./data).")
    var dataDirectory: String?

    func load(http: HostAndPort? = nil) throws -> Configuration {
        try failingOnOneLine {
            try CascadeServer.configuration(for: .init(configPath: config, dataDirectory: dataDirectory, http: http))
        }
    }
}

/// Runs `body`; any error becomes one line on stderr and exit status 1.
func failingOnOneLine<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError(error)
        throw ExitCode.failure
    }
}

/// Synchronous form of ``failingOnOneLine(_:)``.
func failingOnOneLine<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError(error)
        throw ExitCode.failure
    }
}

private func printError(_ error: any Error) {
    let text = "\(error)".split(separator: "\n").joined(separator: " ")
    FileHandle.standardError.write(Data("cascade: \(text)\n".utf8))
}

/// A logger writing to stderr at `LOG_LEVEL` (default info).
func makeLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return logger
}

/// Prints a command's lines. A refusal report (several lines) goes to stderr whole; any other error
/// becomes one line on stderr; both exit 1.
func printLines(_ body: () async throws -> [String]) async throws {
    do {
        for line in try await body() { print(line) }
    } catch let report as MeetingCommands.Report {
        FileHandle.standardError.write(Data((report.lines.joined(separator: "\n") + "\n").utf8))
        throw ExitCode.failure
    } catch {
        let _: Void = try failingOnOneLine { throw error }
    }
}
