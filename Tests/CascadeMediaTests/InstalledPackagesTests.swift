import CascadeMedia
import CascadeTestSupport
import Foundation
import Testing

/// Every GStreamer element Cascade requires and every program the tests call must come from a Debian
/// package that `deploy/install-dependencies.sh` installs: a machine that happens to have an extra
/// package installed by hand must not hide a missing install step (a fresh machine once lacked
/// `gstreamer1.0-x`, and with it `textoverlay`, while CI passed).
@Suite struct InstalledPackagesTests {
    /// The programs the test suite runs.
    static let programs = [
        "gst-launch-1.0", "gst-inspect-1.0", "gst-discoverer-1.0", "ffprobe", "ffmpeg", "srt-live-transmit",
        "sqlite3", "curl", "ip", "pkill", "sha256sum", "chromium", "mount", "umount",
    ]

    /// The package names in install-dependencies.sh's `packages=( … )` list.
    static func listedPackages() throws -> Set<String> {
        let script = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("deploy/install-dependencies.sh"), encoding: .utf8)
        guard let start = script.range(of: "packages=("), let end = script.range(of: ")", range: start.upperBound..<script.endIndex) else {
            Issue.record("install-dependencies.sh has no packages=( … ) list")
            return []
        }
        return Set(script[start.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).map(String.init))
    }

    /// The Debian package that installed `path`, trying the merged-/usr spelling too (`/lib/…` is `/usr/lib/…`).
    static func owningPackage(of path: String) throws -> String? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var candidates = [path, resolved]
        for candidate in [path, resolved] where !candidate.hasPrefix("/usr/") { candidates.append("/usr" + candidate) }
        for candidate in [path, resolved] where candidate.hasPrefix("/usr/") { candidates.append(String(candidate.dropFirst(4))) }
        for candidate in candidates {
            let result = try Command.run("dpkg-query", ["-S", candidate])
            if result.status == 0, let line = result.output.split(separator: "\n").first, let name = line.split(separator: ":").first {
                return String(name)
            }
        }
        return nil
    }

    @Test("every required GStreamer element comes from a package install-dependencies.sh installs", arguments: GStreamer.requiredElements)
    func elementComesFromListedPackage(element: String) throws {
        let listed = try Self.listedPackages()
        let inspection = try Command.run("gst-inspect-1.0", [element])
        try #require(inspection.status == 0, "gst-inspect-1.0 finds no element \(element): install its package")
        let filename = inspection.output.split(separator: "\n")
            .first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Filename") }
            .flatMap { $0.split(whereSeparator: \.isWhitespace).last.map(String.init) }
        let plugin = try #require(filename, "gst-inspect-1.0 names no plugin file for \(element)")
        let package = try #require(try Self.owningPackage(of: plugin), "no Debian package owns \(plugin)")
        #expect(listed.contains(package), "\(element) is in \(package) (\(plugin)), which install-dependencies.sh does not install")
    }

    @Test("every program the tests run comes from a package install-dependencies.sh installs", arguments: programs)
    func programComesFromListedPackage(program: String) throws {
        let listed = try Self.listedPackages()
        let found = try Command.run("/bin/sh", ["-c", "command -v \(program)"])
        try #require(found.status == 0, "\(program) is not installed")
        let path = found.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let package = try #require(try Self.owningPackage(of: path), "no Debian package owns \(path)")
        // Essential packages (coreutils, procps, mount …) are on every Debian machine; the rest must be listed.
        let essential = try Command.run("dpkg-query", ["-W", "-f=${Essential} ${Priority}", package]).output
        #expect(listed.contains(package) || essential.hasPrefix("yes") || essential.hasSuffix("required"),
                "\(program) is in \(package), which install-dependencies.sh does not install")
    }
}
