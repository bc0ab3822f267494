import CascadeCore
import Foundation
import HTTPTypes
import Hummingbird

/// The web application's sign-in: the sign-in token in an HttpOnly, SameSite=Strict cookie that
/// scripts cannot read, and a CSRF token derived from it that the page sends back on every write.
enum SessionCookie {
    /// The cookie's name: with `server.secureCookie` the `__Host-` prefix, which browsers accept only
    /// from HTTPS, for this host alone and with `Path=/` — no neighbouring site can set or replace it.
    static func name(secure: Bool) -> String { secure ? "__Host-cascade_session" : "cascade_session" }
    /// The header a cookie-signed-in page sends its CSRF token in.
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// The CSRF token of a session: only a page that was given it (never another site, which can
    /// neither read the cookie nor this) can send it.
    static func csrfToken(for token: String) -> String { SHA256.hexDigest("cascade-csrf:" + token) }

    /// The session token in the request's `Cookie` header, if there is exactly one: two session cookies
    /// (one planted by a neighbouring site of the same parent domain) sign nobody in.
    static func token(in request: Request, secure: Bool) -> String? {
        let name = name(secure: secure)
        var found: [String] = []
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    found.append(parts[1].trimmingCharacters(in: .whitespaces))
                }
            }
        }
        guard found.count == 1, let value = found.first, !value.isEmpty else { return nil }
        return value
    }

    /// Refuses a sign-in posted by another site (browsers say where a request comes from in
    /// `Sec-Fetch-Site`; clients that are not browsers send none).
    static func checkSameSite(_ request: Request) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], !["same-origin", "none"].contains(site) {
            throw Problem(status: .forbidden, code: "cross-site", detail: "sign in from Cascade's own page")
        }
    }

    /// `Set-Cookie` for a new session lasting `lifetime` (Secure with `secure`, or when the request came over HTTPS).
    static func setting(_ token: String, lifetime: TimeInterval, request: Request, secure: Bool) -> String {
        "\(name(secure: secure))=\(token); Path=/; Max-Age=\(Int(lifetime)); HttpOnly; SameSite=Strict" + (secure || isSecure(request) ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes the session from the browser.
    static func clearing(_ request: Request, secure: Bool) -> String {
        "\(name(secure: secure))=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure || isSecure(request) ? "; Secure" : "")
    }

    /// Whether the request reached Cascade over HTTPS (directly or through a proxy that says so).
    private static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// Compares without stopping at the first difference.
    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Refuses a write signed in by cookie without the session's CSRF token.
    static func checkCSRF(_ request: Request, token: String) throws {
        guard ![.get, .head, .options].contains(request.method) else { return }
        guard let sent = request.headers[csrfHeader], constantTimeEqual(Array(sent.utf8), Array(csrfToken(for: token).utf8)) else {
            throw Problem(status: .forbidden, code: "csrf", detail: "a write signed in by cookie needs the session's X-CSRF-Token header")
        }
    }
}
