import Foundation

/// Sites as separate hosts: one Linux network namespace per site, all joined by a bridge in the
/// test's own namespace (which also gets an address, so the test can reach every site's HTTP).
public final class NetworkLab: @unchecked Sendable {
    /// Namespace name by site.
    public let namespaces: [String: String]
    /// Address by site, on 10.77.0.0/24.
    public let addresses: [String: String]
    private let bridge = "casbr0"
    private let sites: [String]

    /// Creates namespaces for `sites` (in order: .1, .2, …) and connects them.
    public init(sites: [String]) throws {
        var namespaces: [String: String] = [:], addresses: [String: String] = [:]
        for (index, site) in sites.enumerated() {
            namespaces[site] = "cas-\(site)"
            addresses[site] = "10.77.0.\(index + 1)"
        }
        self.namespaces = namespaces
        self.addresses = addresses
        self.sites = sites
        tearDown()
        try run(["link", "add", bridge, "type", "bridge"])
        try run(["addr", "add", "10.77.0.254/24", "dev", bridge])
        try run(["link", "set", bridge, "up"])
        for (index, site) in sites.enumerated() {
            let namespace = namespaces[site]!, outside = "casv\(index)", inside = "casi\(index)"
            try run(["netns", "add", namespace])
            try run(["link", "add", outside, "type", "veth", "peer", "name", inside])
            try run(["link", "set", inside, "netns", namespace])
            try run(["link", "set", outside, "master", bridge])
            try run(["link", "set", outside, "up"])
            try run(["-n", namespace, "addr", "add", "\(addresses[site]!)/24", "dev", inside])
            try run(["-n", namespace, "link", "set", inside, "up"])
            try run(["-n", namespace, "link", "set", "lo", "up"])
        }
    }

    /// Removes everything this lab (or an earlier, interrupted one) created.
    public func tearDown() {
        // The veth pairs go first, by name: deleting a namespace removes its end of a pair only later,
        // in the kernel's own time, and the next lab would find `casvN` still there.
        for index in 0..<max(sites.count, 8) { _ = try? Command.run("/usr/sbin/ip", ["link", "delete", "casv\(index)"]) }
        for namespace in namespaces.values { _ = try? Command.run("/usr/sbin/ip", ["netns", "delete", namespace]) }
        _ = try? Command.run("/usr/sbin/ip", ["link", "delete", bridge])
    }

    deinit { tearDown() }

    /// Cuts a site off the network (its cable pulled) or connects it again.
    public func setLink(of site: String, up: Bool) throws {
        guard let index = sites.firstIndex(of: site) else { throw TestFailure("no site \(site)") }
        try run(["link", "set", "casv\(index)", up ? "up" : "down"])
    }

    /// Starts a process inside a site's namespace.
    public func spawn(in site: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespaces[site]!] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func run(_ arguments: [String]) throws {
        let result = try Command.run("/usr/sbin/ip", arguments)
        guard result.status == 0 else { throw TestFailure("ip \(arguments.joined(separator: " ")): \(result.errorOutput)") }
    }
}
