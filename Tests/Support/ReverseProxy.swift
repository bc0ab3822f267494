import Foundation

/// Debian's nginx as the reverse proxy an office puts in front of Cascade, on loopback: it listens
/// on `listenHost`, connects to Cascade from `proxyAddress` (so a test can tell the proxy's
/// connections from a client's) and appends the client's address to `X-Forwarded-For`, as the
/// usual `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for` does.
public final class ReverseProxy: Sendable {
    /// The URL clients use.
    public let url: String
    private let directory: String
    private let process: Process

    /// Starts nginx in front of `upstream` (host:port) and waits until it answers.
    public init(upstream: String, listenHost: String = "127.0.0.1", proxyAddress: String) async throws {
        directory = try TestPaths.makeTemporaryDirectory()
        let port = try Self.freePort()
        url = "http://\(listenHost):\(port)"
        let configuration = """
            worker_processes 1;
            daemon off;
            master_process off;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path \(directory)/body;
              proxy_temp_path \(directory)/proxy;
              fastcgi_temp_path \(directory)/fastcgi;
              uwsgi_temp_path \(directory)/uwsgi;
              scgi_temp_path \(directory)/scgi;
              server {
                listen \(listenHost):\(port);
                location / {
                  proxy_pass http://\(upstream);
                  proxy_bind \(proxyAddress);
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                }
              }
            }
            """
        let path = "\(directory)/nginx.conf"
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", directory, "-c", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let result = try? Command.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "\(url)/healthz"]), result.output == "200" { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: "\(directory)/error.log", encoding: .utf8)) ?? ""
        kill(process.processIdentifier, SIGKILL)
        throw TestFailure("nginx did not come up in front of \(upstream): \(log)")
    }

    /// Stops nginx and removes its files. SIGKILL: the test process ignores SIGTERM (the service
    /// group's signal handling), and a child started from it inherits that.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A port nobody listens on now.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
