#if canImport(Glibc)
import Glibc
#endif

/// Chooses the UDP port a new relay's SRT listener binds.
enum RelayPorts {
    /// `requested` if it is free, else the first free port of `range`; `used` are the running relays' ports.
    static func choose(_ requested: Int?, in range: ClosedRange<Int>, used: Set<Int>) throws(RelayError) -> Int {
        if let requested {
            guard (1024...65535).contains(requested) else { throw RelayError(.portUnavailable, "port \(requested) is outside 1024–65535") }
            guard !used.contains(requested), isFree(requested) else { throw RelayError(.portUnavailable, "UDP port \(requested) is already in use") }
            return requested
        }
        for port in range where !used.contains(port) && isFree(port) { return port }
        throw RelayError(.portUnavailable, "no free UDP port in \(range.lowerBound)–\(range.upperBound) for another relay")
    }

    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
