import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Minimal blocking Unix-domain stream sockets for the worker control channel.
public enum UnixSocket {
    /// Listens at `path` (replacing a stale socket file), readable and writable by the owner only.
    public static func listen(at path: String) throws(MediaError) -> Int32 {
        let fd = try makeSocket()
        unlink(path)
        guard try withAddress(path, { bind(fd, $0, $1) }) == 0 else {
            let reason = errnoText()
            close(fd)
            throw MediaError(.socket, "bind \(path): \(reason)")
        }
        chmod(path, 0o600)
        guard Glibc.listen(fd, 8) == 0 else {
            let reason = errnoText()
            close(fd)
            throw MediaError(.socket, "listen \(path): \(reason)")
        }
        return fd
    }

    /// Connects to the socket at `path`; throws at once when nobody listens there.
    public static func connect(to path: String) throws(MediaError) -> Int32 {
        let fd = try makeSocket()
        guard try withAddress(path, { Glibc.connect(fd, $0, $1) }) == 0 else {
            let reason = errnoText()
            close(fd)
            throw MediaError(.socket, "connect \(path): \(reason)")
        }
        return fd
    }

    /// Waits for the next connection; `nil` when the listening socket was shut down.
    public static func accept(on listener: Int32) -> Int32? {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                return fd
            }
            if errno == EINTR { continue }
            return nil
        }
    }

    private static func makeSocket() throws(MediaError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MediaError(.socket, "socket(): \(errnoText())") }
        return fd
    }

    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) throws(MediaError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw MediaError(.socket, "socket path \(path) is longer than \(capacity - 1) bytes; use a shorter data directory")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
