import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// What an office's network brings: a reverse proxy in front, bursts of password guesses, thousands
/// of half-sent requests, scripts that open event streams in a loop. The server keeps answering the
/// people who work with it.
@Suite(.serialized) struct HostileClientTests {
    /// One sign-in through curl from a chosen source address (the proxy tests need several clients).
    static func signIn(_ url: String, name: String, password: String, from source: String, forwardedFor: String? = nil) throws -> Int {
        var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--interface", source, "-H", "Content-Type: application/json",
                         "--data", #"{"name":"\#(name)","password":"\#(password)"}"#]
        if let forwardedFor { arguments += ["-H", "X-Forwarded-For: \(forwardedFor)"] }
        return Int(try Command.run("curl", arguments + ["\(url)/auth/token"]).output) ?? 0
    }

    @Test("behind nginx, guesses from one client lock out that client only; a forged X-Forwarded-For changes nothing")
    func throttleSeesTheRealClientBehindAProxy() async throws {
        // nginx connects to Cascade from 127.0.0.2, the only trusted proxy; clients come from 127.0.0.3 and 127.0.0.4.
        try await withInProcessServer(configure: { $0.trustedProxies = TrustedProxies([TrustedProxies.Network("127.0.0.2/32")!]) }) { client, database, _ in
            try database.createUser(name: "vp", role: .secretariat, unitId: nil, password: "the right password", actor: "test")
            let upstream = String(client.baseURL.dropFirst("http://".count))
            let proxy = try await ReverseProxy(upstream: upstream, proxyAddress: "127.0.0.2")
            defer { proxy.stop() }
            // 30 wrong passwords from one client, each for another name, with a forged header naming someone else.
            for index in 0..<30 {
                let status = try Self.signIn(proxy.url, name: "guess\(index)", password: "wrong", from: "127.0.0.3", forwardedFor: "198.51.100.\(index)")
                #expect(status == 401, "attempt \(index)")
            }
            #expect(try Self.signIn(proxy.url, name: "guess-more", password: "wrong", from: "127.0.0.3") == 429, "the guessing client is stopped")
            #expect(try Self.signIn(proxy.url, name: "vp", password: "the right password", from: "127.0.0.4") == 201,
                    "a colleague behind the same proxy still signs in")
            // Straight to Cascade from an address that is no trusted proxy, the header is not believed.
            #expect(try Self.signIn(client.baseURL, name: "vp", password: "wrong", from: "127.0.0.5", forwardedFor: "127.0.0.4") == 401)
            let audit = try database.auditEntries(limit: 200)
            #expect(audit.contains { $0.action == "login.failed" && $0.details == "from 127.0.0.3" }, "the audit names the real client")
            #expect(audit.contains { $0.action == "login.succeeded" && $0.details == "from 127.0.0.4" })
            #expect(audit.contains { $0.action == "login.failed" && $0.details == "from 127.0.0.5" }, "a forged header is not taken from an untrusted peer")
            #expect(!audit.contains { ($0.details ?? "").contains("198.51.100.") }, "the forged addresses left of the proxy's entry are never taken")
        }
    }

    @Test("500 wrong passwords sent at once, then a real user signs in within a few seconds")
    func aBurstOfSignInsLeavesRoomForRealUsers() async throws {
        // Cost 12, as in production: each check takes a quarter of a second of one core.
        let trusted = TrustedProxies([TrustedProxies.Network("127.0.0.1/32")!])
        try await withInProcessServer(passwordCost: 12, configure: { $0.trustedProxies = trusted }) { client, database, _ in
            try database.createUser(name: "vp", role: .secretariat, unitId: nil, password: "the right password", actor: "test")
            let port = UInt16(client.baseURL.split(separator: ":").last!)!
            // Every request written before any answer is read: all 500 reach the server at once.
            var burst: [Int32] = []
            defer { burst.forEach { close($0) } }
            for index in 0..<500 {
                let socket = try SlowClient.connect(port: port)
                SlowClient.postJSON(socket, "/auth/token", #"{"name":"vp","password":"guess \#(index)"}"#, headers: ["X-Forwarded-For": "198.51.100.\(index % 5)"])
                burst.append(socket)
            }
            let started = ContinuousClock.now
            let signedIn = try await client.send("POST", "/auth/token", json: #"{"name":"vp","password":"the right password"}"#,
                                                 headers: ["X-Forwarded-For": "10.1.1.20"])
            #expect(signedIn.status == 201)
            #expect(ContinuousClock.now - started < .seconds(5), "the real user waited \(ContinuousClock.now - started)")
            let statuses = burst.reduce(into: [Int: Int]()) { $0[SlowClient.readHead($1)?.status ?? 0, default: 0] += 1 }
            #expect(statuses[201, default: 0] == 0)
            #expect(statuses[401, default: 0] <= 60, "only what the bounded queue holds reaches bcrypt, the rest is refused at once: \(statuses)")
            #expect(statuses[401, default: 0] + statuses[429, default: 0] + statuses[503, default: 0] == 500, "\(statuses)")
        }
    }

    @Test("a full password queue answers 503 with Retry-After; password changes count with the sign-ins")
    func passwordChangesAreThrottledAndTheQueueIsBounded() async throws {
        let trusted = TrustedProxies([TrustedProxies.Network("127.0.0.1/32")!])
        try await withInProcessServer(passwordCost: 12, configure: { $0.trustedProxies = trusted }) { client, database, _ in
            try database.createUser(name: "vp", role: .secretariat, unitId: nil, password: "the right password", actor: "test")
            let token = try database.issueToken(forUser: "vp", label: "test", actor: "test")
            for _ in 0..<3 {
                let wrong = try await client.send("POST", "/api/v1/me/password", token: token, json: #"{"currentPassword":"guess","newPassword":"a new long password"}"#)
                #expect(wrong.status == 422)
            }
            let throttled = try await client.send("POST", "/api/v1/me/password", token: token, json: #"{"currentPassword":"the right password","newPassword":"a new long password"}"#)
            #expect(throttled.status == 429 && Int(throttled.headers["retry-after"] ?? "") ?? 0 > 0, "\(throttled.status) \(throttled.text)")
            // Many addresses at once (a botnet): the queue takes a bounded number, the rest hear 503 at once.
            let port = UInt16(client.baseURL.split(separator: ":").last!)!
            var sockets: [Int32] = []
            defer { sockets.forEach { close($0) } }
            for index in 0..<200 {
                let socket = try SlowClient.connect(port: port)
                SlowClient.postJSON(socket, "/auth/token", #"{"name":"nobody\#(index)","password":"guess"}"#, headers: ["X-Forwarded-For": "203.0.113.\(index)"])
                sockets.append(socket)
            }
            let answers = sockets.map { SlowClient.readHead($0).map { ($0.status, $0.headers["retry-after"]) } ?? (0, nil) }
            let busy = answers.filter { $0.0 == 503 }
            #expect(!busy.isEmpty && busy.allSatisfy { Int($0.1 ?? "") ?? 0 > 0 }, "503 with Retry-After: \(answers.map(\.0))")
            #expect(answers.allSatisfy { [401, 503].contains($0.0) })
        }
    }

    @Test("2,000 slow connections held open while /healthz and a sign-in still answer; idle ones are closed")
    func slowConnectionsDoNotStarveTheServer() async throws {
        try await withInProcessServer(configure: { $0.connections.idleSeconds = 4 }) { client, database, _ in
            try database.createUser(name: "vp", role: .secretariat, unitId: nil, password: "the right password", actor: "test")
            let port = UInt16(client.baseURL.split(separator: ":").last!)!
            var slow: [Int32] = []
            defer { slow.forEach { close($0) } }
            for _ in 0..<2_000 {
                let socket = try SlowClient.connect(port: port)
                SlowClient.send(socket, "POST /auth/token HTTP/1.1\r\nHost: cascade\r\nContent-Type: application")
                slow.append(socket)
            }
            let health = try await client.send("GET", "/healthz")
            #expect(health.status == 200)
            _ = try await client.login("vp", "the right password")
            // Past the idle time the server has closed them: reading gives end-of-file.
            try await Task.sleep(for: .seconds(6))
            let closed = slow.prefix(50).filter(SlowClient.isClosedByPeer).count
            #expect(closed == 50, "connections still open after the idle timeout: \(50 - closed) of 50")
        }
    }

    @Test("one user holds at most four event streams: a fifth closes the oldest")
    func eventStreamsPerUserAreCapped() async throws {
        try await withInProcessServer { client, database, _ in
            try database.createUser(name: "cb", role: .viewer, unitId: nil, password: "the right password", actor: "test")
            let token = try database.issueToken(forUser: "cb", label: "test", actor: "test")
            let port = UInt16(client.baseURL.split(separator: ":").last!)!
            var streams: [Int32] = []
            defer { streams.forEach { close($0) } }
            for _ in 0..<5 {
                let socket = try SlowClient.connect(port: port)
                SlowClient.send(socket, "GET /api/v1/events HTTP/1.1\r\nHost: cascade\r\nAuthorization: Bearer \(token)\r\n\r\n")
                #expect(SlowClient.readUntil(socket, "cascade relay events"), "the stream opened")
                streams.append(socket)
            }
            let oldest = SlowClient.read(streams[0], until: "0\r\n\r\n")
            #expect(oldest.hasSuffix("0\r\n\r\n"), "the oldest stream was ended (its last chunk sent): \(oldest.debugDescription)")
            for socket in streams.dropFirst() { #expect(!SlowClient.isClosedByPeer(socket)) }
        }
    }
}
