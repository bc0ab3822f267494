import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the package and its built executable are, for tests that run real processes.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The `cascade` executable built by `swift build` (the test command builds it first).
    public static var cascadeExecutable: String {
        for candidate in [".build/debug/cascade", ".build/release/cascade"] {
            let path = packageRoot.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return packageRoot.appendingPathComponent(".build/debug/cascade").path
    }

    /// The shipped demo configuration.
    public static var demoConfiguration: String { packageRoot.appendingPathComponent("config/cascade.yaml").path }

    /// A fresh, empty directory under /tmp (short, so Unix socket paths fit).
    public static func makeTemporaryDirectory() throws -> String {
        let path = "/tmp/cascade-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A UDP port that was free a moment ago (the kernel picks it).
    public static func freeUDPPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length)
                return getsockname(fd, raw, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
