import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// The web application's sign-in: an HttpOnly, SameSite=Strict, expiring cookie; writes need the
/// session's CSRF token; signing out revokes the session on the server; pages carry a CSP without
/// inline script.
@Suite(.serialized) struct SessionCookieTests {
    static func header(_ result: HTTPResult, _ name: String) -> String? {
        result.headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    @Test("with server.secureCookie the session cookie is Secure and __Host- prefixed, and only that name signs in")
    func secureCookieIsHostPrefixed() async throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = try String(contentsOfFile: TestPaths.demoConfiguration, encoding: .utf8)
            .replacingOccurrences(of: "server:\n", with: "server:\n  secureCookie: true\n")
        let path = "\(directory)/cascade.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try await withInProcessServer(config: path) { client, database, _ in
            _ = try APITests.token(database, "vp", .secretariat)
            let signedIn = try await client.send("POST", "/auth/session", json: #"{"name":"vp","password":"a long test password"}"#)
            let setCookie = try #require(Self.header(signedIn, "Set-Cookie"))
            #expect(setCookie.hasPrefix("__Host-cascade_session=") && setCookie.contains("; Secure") && setCookie.contains("Path=/"), "\(setCookie)")
            let value = String(try #require(setCookie.split(separator: ";").first).dropFirst("__Host-cascade_session=".count))
            func status(_ cookie: String) throws -> String {
                try Command.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Cookie: \(cookie)", "\(client.baseURL)/api/v1/me"]).output
            }
            #expect(try status("__Host-cascade_session=\(value)") == "200")
            #expect(try status("cascade_session=\(value)") == "401", "the plain name (settable by a neighbouring site) signs nobody in")
        }
    }

    @Test("signing in again from a browser ends the session it had")
    func signingInAgainEndsTheBrowsersPreviousSession() async throws {
        try await withInProcessServer { client, database, _ in
            _ = try APITests.token(database, "vp", .secretariat)
            _ = try APITests.token(database, "kt", .technician)
            // curl for every request here: it sends exactly the Cookie header given (URLSession may add its own).
            func signIn(_ name: String, cookie: String?) throws -> String? {
                let answer = try Command.run("curl", ["-s", "-D", "-", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/json"]
                    + (cookie.map { ["-H", "Cookie: \($0)"] } ?? [])
                    + ["-d", #"{"name":"\#(name)","password":"a long test password"}"#, "\(client.baseURL)/auth/session"])
                return answer.output.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") }
                    .flatMap { $0.dropFirst("set-cookie:".count).split(separator: ";").first }.map { $0.trimmingCharacters(in: .whitespaces) }
            }
            func status(_ cookie: String) throws -> String {
                try Command.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Cookie: \(cookie)", "\(client.baseURL)/api/v1/me"]).output
            }
            let first = try #require(try signIn("vp", cookie: nil))
            #expect(try status(first) == "200")
            let second = try #require(try signIn("vp", cookie: first))
            #expect(second != first)
            #expect(try status(first) == "401", "the old session is revoked")
            #expect(try status(second) == "200")
            // Another person's sign-in in the same browser ends the first person's session too.
            #expect(try signIn("kt", cookie: second) != nil)
            #expect(try status(second) == "401")
        }
    }

    @Test func aSessionCookieSignsInAndWritesNeedItsCSRFToken() async throws {
        try await withInProcessServer { client, database, _ in
            _ = try APITests.token(database, "vp", .secretariat)
            let wrong = try await client.send("POST", "/auth/session", json: #"{"name":"vp","password":"not the password"}"#)
            #expect(wrong.status == 401 && Self.header(wrong, "Set-Cookie") == nil)
            let signedIn = try await client.send("POST", "/auth/session", json: #"{"name":"vp","password":"a long test password"}"#)
            #expect(signedIn.status == 201, "\(signedIn.text)")
            let setCookie = try #require(Self.header(signedIn, "Set-Cookie"))
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] { #expect(setCookie.contains(attribute), "\(setCookie)") }
            #expect(signedIn.json["token"] == nil, "the token is only in the cookie")
            let csrf = try #require(signedIn.json["csrfToken"] as? String)
            let session = String(try #require(setCookie.split(separator: ";").first))
            let cookie = ["Cookie": session]

            #expect(try await client.send("GET", "/api/v1/me", headers: cookie).json["name"] as? String == "vp")
            #expect(Self.header(signedIn, "Cache-Control") == "no-store")
            // Two session cookies (one planted by a neighbouring site) sign nobody in; another site cannot sign in.
            // (curl, which sends the header as written; URLSession folds cookies of one name into one)
            let doubled = try Command.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Cookie: \(session); cascade_session=planted",
                                                   "\(client.baseURL)/api/v1/me"])
            #expect(doubled.output == "401", "\(doubled.output)")
            let single = try Command.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Cookie: \(session)", "\(client.baseURL)/api/v1/me"])
            #expect(single.output == "200")
            let crossSite = try await client.send("POST", "/auth/session", json: #"{"name":"vp","password":"a long test password"}"#,
                                                  headers: ["Sec-Fetch-Site": "cross-site"])
            #expect(crossSite.status == 403 && Self.header(crossSite, "Set-Cookie") == nil)
            #expect(try await client.send("DELETE", "/auth/token", headers: cookie).status == 401, "the cookie signs out only with its CSRF token")
            #expect(try await client.send("GET", "/auth/session", headers: cookie).json["csrfToken"] as? String == csrf)
            let booking = #"{"title":"Họp thử","organiserUnitId":"dak-nong","start":"2031-06-02T08:00","end":"2031-06-02T09:00","halls":["hall-cu-jut"]}"#
            let forged = try await client.send("POST", "/api/v1/meetings", json: booking, headers: cookie)
            #expect(forged.status == 403 && forged.json["code"] as? String == "csrf", "a write without the CSRF token is refused: \(forged.text)")
            let wrongToken = try await client.send("POST", "/api/v1/meetings", json: booking, headers: cookie.merging(["X-CSRF-Token": String(repeating: "0", count: 64)]) { $1 })
            #expect(wrongToken.status == 403)
            #expect(try await client.send("GET", "/api/v1/meetings/m1", headers: cookie).status == 404, "nothing was booked by the refused writes")
            let booked = try await client.send("POST", "/api/v1/meetings", json: booking, headers: cookie.merging(["X-CSRF-Token": csrf]) { $1 })
            #expect(booked.status == 201, "\(booked.text)")

            // Signing out needs the CSRF token too, revokes the session and clears the cookie.
            #expect(try await client.send("DELETE", "/auth/session", headers: cookie).status == 403)
            let signedOut = try await client.send("DELETE", "/auth/session", headers: cookie.merging(["X-CSRF-Token": csrf]) { $1 })
            #expect(signedOut.status == 204 && Self.header(signedOut, "Set-Cookie")?.contains("Max-Age=0") == true)
            #expect(try await client.send("GET", "/api/v1/me", headers: cookie).status == 401, "the session is dead on the server")
            let ended = try await client.send("GET", "/auth/session", headers: cookie)
            #expect(ended.status == 200 && ended.json["user"] is NSNull && ended.json["csrfToken"] is NSNull, "\(ended.text)")
        }
    }

    @Test("pages are served with a Content-Security-Policy that allows no inline script or style", arguments: ["/", "/watch"])
    func pagesForbidInlineScript(_ path: String) async throws {
        try await withInProcessServer { client, _, _ in
            let page = try await client.send("GET", path)
            let policy = try #require(Self.header(page, "Content-Security-Policy"))
            #expect(policy.contains("default-src 'self'") && !policy.contains("unsafe-inline") && policy.contains("frame-ancestors 'none'"), "\(policy)")
            #expect(!page.text.contains("<script>") && !page.text.contains("<style>") && !page.text.contains("style=\""), "no inline script or style")
        }
    }
}
