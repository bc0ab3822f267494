import Foundation

/// Raw TCP clients for the tests of hostile traffic: many sockets opened at once, requests sent in
/// pieces or all together, answers read back later. Nothing here queues or pools like URLSession.
public enum SlowClient {
    /// A connected socket to 127.0.0.1:`port` (blocking, with a 10 s receive timeout).
    public static func connect(port: UInt16) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw TestFailure("connect: \(String(cString: strerror(errno)))")
        }
        return socket
    }

    /// Writes `text` as it is (part of a request, or a whole one).
    public static func send(_ socket: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// A whole HTTP/1.1 POST with a JSON body, then the connection closed after the answer.
    public static func postJSON(_ socket: Int32, _ path: String, _ json: String, headers: [String: String] = [:]) {
        let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
        send(socket, "POST \(path) HTTP/1.1\r\nHost: cascade\r\nConnection: close\r\nContent-Type: application/json\r\n\(extra)Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
    }

    /// The answer's status code and headers (lower-cased names), or `nil` when none arrived in time.
    public static func readHead(_ socket: Int32) -> (status: Int, headers: [String: String])? {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(sequence: [13, 10, 13, 10]) {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        guard let first = lines.first, first.hasPrefix("HTTP/1.1 "), let status = Int(first.dropFirst(9).prefix(3)) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    /// Reads until `marker` has arrived (`false` when the connection ended or 10 s passed first).
    public static func readUntil(_ socket: Int32, _ marker: String) -> Bool {
        read(socket, until: marker).contains(marker)
    }

    /// What arrives until `marker` has (or the connection ended, or 10 s passed).
    public static func read(_ socket: Int32, until marker: String) -> String {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains(marker) {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Whether the server ended the connection: reading (within 10 s) reaches end-of-file or a reset,
    /// after whatever the server still had to say.
    public static func readsEndOfStream(_ socket: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    /// Whether the server has already closed the connection (checked without waiting).
    public static func isClosedByPeer(_ socket: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func contains(sequence: [UInt8]) -> Bool {
        guard count >= sequence.count else { return false }
        return (0...(count - sequence.count)).contains { self[$0..<($0 + sequence.count)].elementsEqual(sequence) }
    }
}
