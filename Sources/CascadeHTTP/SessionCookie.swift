import CascadeCore
import Foundation
import HTTPTypes
import Hummingbird

/// The web application's sign-in: the sign-in token in an HttpOnly, SameSite=Strict cookie that
/// scripts cannot read, and a CSRF token derived from it that the page sends back on every write.
enum SessionCookie {
    /// The cookie's name.
    static let name = "cascade_session"
    /// The header a cookie-signed-in page sends its CSRF token in.
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// The CSRF token of a session: only a page that was given it (never another site, which can
    /// neither read the cookie nor this) can send it.
    static func csrfToken(for token: String) -> String { SHA256.hexDigest("cascade-csrf:" + token) }

    /// The session token in the request's `Cookie` header, if any.
    static func token(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    let value = parts[1].trimmingCharacters(in: .whitespaces)
                    return value.isEmpty ? nil : value
                }
            }
        }
        return nil
    }

    /// `Set-Cookie` for a new session lasting `lifetime` (Secure when the request came over HTTPS).
    static func setting(_ token: String, lifetime: TimeInterval, request: Request) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(Int(lifetime)); HttpOnly; SameSite=Strict" + (isSecure(request) ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes the session from the browser.
    static func clearing(_ request: Request) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (isSecure(request) ? "; Secure" : "")
    }

    /// Whether the request reached Cascade over HTTPS (directly or through a proxy that says so).
    private static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// Refuses a write signed in by cookie without the session's CSRF token.
    static func checkCSRF(_ request: Request, token: String) throws {
        guard ![.get, .head, .options].contains(request.method) else { return }
        guard let sent = request.headers[csrfHeader], sent == csrfToken(for: token) else {
            throw Problem(status: .forbidden, code: "csrf", detail: "a write signed in by cookie needs the session's X-CSRF-Token header")
        }
    }
}
