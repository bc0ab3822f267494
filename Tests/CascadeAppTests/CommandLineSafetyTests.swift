import CascadeApp
import CascadeTestSupport
import Foundation
import Synchronization
import Testing

/// What `cascade` does with a server that is not what it should be: it writes only where the user
/// said, and its token goes nowhere else.
@Suite(.serialized) struct CommandLineSafetyTests {
    @Test("a download named ../../escaped.mp4 by the server lands in the working directory; nothing is replaced without --force")
    func downloadWritesOnlyIntoTheWorkingDirectory() throws {
        try withHostileServer { url, _ in
            let root = try TestPaths.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: root) }
            let working = "\(root)/a/b"
            try FileManager.default.createDirectory(atPath: working, withIntermediateDirectories: true)
            let arguments = ["archive", "download", "m1", "--server", url, "--token-file", try TokenFile.path(for: "cas_test-token")]
            let first = try Command.run(TestPaths.cascadeExecutable, arguments, in: working)
            #expect(first.status == 0, "\(first.errorOutput)")
            #expect(!FileManager.default.fileExists(atPath: "\(root)/escaped.mp4"), "nothing is written outside the working directory")
            #expect(FileManager.default.contents(atPath: "\(working)/escaped.mp4") == Data("not really an mp4".utf8))
            try Data("the user's own file".utf8).write(to: URL(fileURLWithPath: "\(working)/escaped.mp4"))
            let again = try Command.run(TestPaths.cascadeExecutable, arguments, in: working)
            #expect(again.status == 1 && again.errorOutput.contains("already exists; give --force"), "\(again.errorOutput)")
            #expect(FileManager.default.contents(atPath: "\(working)/escaped.mp4") == Data("the user's own file".utf8), "an existing file is kept")
            let forced = try Command.run(TestPaths.cascadeExecutable, arguments + ["--force"], in: working)
            #expect(forced.status == 0 && FileManager.default.contents(atPath: "\(working)/escaped.mp4") == Data("not really an mp4".utf8))
            // --force replaces a file, never a directory the server happens to name.
            try FileManager.default.removeItem(atPath: "\(working)/escaped.mp4")
            try FileManager.default.createDirectory(atPath: "\(working)/escaped.mp4/kept", withIntermediateDirectories: true)
            let directory = try Command.run(TestPaths.cascadeExecutable, arguments + ["--force"], in: working)
            #expect(directory.status == 1 && FileManager.default.fileExists(atPath: "\(working)/escaped.mp4/kept"), "\(directory.errorOutput)")
        }
    }

    @Test("a redirect to another host is not followed: the bearer token never reaches it")
    func theTokenNeverFollowsARedirectElsewhere() throws {
        try withHostileServer { url, log in
            let shown = try Command.run(TestPaths.cascadeExecutable, ["meetings", "show", "m2", "--server", url, "--token-file", try TokenFile.path(for: "cas_test-token")])
            #expect(shown.status == 1 && shown.errorOutput.contains("redirected to another server"), "\(shown.errorOutput)")
            let seen = log()
            #expect(seen.contains("/api/v1/meetings/m2 authorization=Bearer cas_test-token"), "the named server got the call: \(seen)")
            #expect(!seen.contains("127.0.0.2"), "the other host never got a request, let alone the token: \(seen)")
        }
    }

    @Test("offered names are cut to a plain file name", arguments: [
        ("../../.ssh/authorized_keys", "authorized_keys"), ("/etc/passwd", "passwd"), ("..", nil), ("...hidden.mp4", "hidden.mp4"),
        ("a\\b\\c.mp4", "c.mp4"), ("ok\u{7}bell.mp4", "okbell.mp4"), ("2031-05-07 Họp.mp4", "2031-05-07 Họp.mp4"),
    ] as [(String, String?)])
    func offeredNamesAreSanitised(offered: String, expected: String?) throws {
        let chosen = try DownloadDestination.resolve(output: nil, offered: offered, meetingId: "m7", force: false, fileExists: { _ in false })
        #expect(chosen == expected ?? "m7.mp4")
    }

    /// Runs the fixture server; `body` gets its URL and a way to read what it logged.
    private func withHostileServer(_ body: (String, () -> String) throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/hostile-server.py").path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let reader = output.fileHandleForReading
        var text = ""
        while !text.contains("\n") { text += String(decoding: reader.availableData, as: UTF8.self) }
        let port = text.split(separator: "\n")[0]
        let collected = Collected(text: String(text.drop { $0 != "\n" }))
        reader.readabilityHandler = { handle in collected.append(String(decoding: handle.availableData, as: UTF8.self)) }
        try body("http://127.0.0.1:\(port)", { collected.read() })
        reader.readabilityHandler = nil
    }
}

private final class Collected: Sendable {
    private let text: Mutex<String>
    init(text: String) { self.text = Mutex(text) }
    func append(_ more: String) { text.withLock { $0 += more } }
    func read() -> String { text.withLock { $0 } }
}
