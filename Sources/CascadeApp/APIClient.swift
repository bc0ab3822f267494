import CascadeHTTP
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The CLI's way to a running server: JSON over HTTP with a bearer token.
///
/// Redirects are followed only within the same server (scheme, host and port): a redirect elsewhere
/// is refused, so the bearer token never travels to a host the user did not name.
public struct APIClient: Sendable {
    /// The session every call goes through, with the redirect rule above.
    static let session = URLSession(configuration: .ephemeral, delegate: SameServerRedirects(), delegateQueue: nil)

    /// e.g. http://127.0.0.1:8080
    public var server: String
    /// The bearer token.
    public var token: String

    /// Creates a client.
    public init(server: String, token: String) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
    }

    /// A failed call: the server's problem detail, or why the server could not be reached.
    public struct Failure: Error, CustomStringConvertible {
        /// HTTP status (0 when unreachable).
        public var status: Int
        /// The problem document as received (RFC 9457 JSON), when there was one.
        public var problemJSON: Data
        /// The problem document, parsed.
        public var problem: [String: Any] { (try? JSONSerialization.jsonObject(with: problemJSON)) as? [String: Any] ?? [:] }
        /// One line for people.
        public var description: String
    }

    /// Sends a request and returns the decoded JSON (an object, an array, or `nil` for no content).
    public func send(_ method: String, _ path: String, body: [String: Any]? = nil) async throws -> Any? {
        try await send(method, path, raw: try body.map { try JSONSerialization.data(withJSONObject: $0) }, contentType: "application/json")
    }

    /// Sends a request and decodes the answer as the server's own response type `T`.
    public func send<T: Decodable>(_ method: String, _ path: String, body: [String: Any]? = nil, as type: T.Type) async throws -> T {
        try await send(method, path, raw: try body.map { try JSONSerialization.data(withJSONObject: $0) }, contentType: "application/json", as: type)
    }

    /// Sends a request with a body of another type (e.g. `text/csv`) and decodes the answer as `T`.
    public func send<T: Decodable>(_ method: String, _ path: String, raw body: Data?, contentType: String, as type: T.Type) async throws -> T {
        let data = try await exchange(method, path, raw: body, contentType: contentType)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw Failure(status: 0, problemJSON: Data(), description: "the server's answer to \(method) \(path) could not be read: \(error)")
        }
    }

    /// Sends a request with a body of another type (e.g. `text/csv`) and returns the decoded JSON.
    public func send(_ method: String, _ path: String, raw body: Data?, contentType: String) async throws -> Any? {
        let data = try await exchange(method, path, raw: body, contentType: contentType)
        return data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data)
    }

    /// Sends a request; returns the answer's body, or throws the server's problem.
    private func exchange(_ method: String, _ path: String, raw body: Data?, contentType: String) async throws -> Data {
        guard let url = URL(string: server + path) else { throw Failure(status: 0, problemJSON: Data(), description: "\(server + path) is not a URL") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await Self.session.data(for: request)
        } catch {
            throw Failure(status: 0, problemJSON: Data(), description: "cannot reach \(server): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if (300..<400).contains(status) {
            throw Failure(status: status, problemJSON: data, description: "the server redirected to another server (\((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Location") ?? "?")); not followed, the token stays here")
        }
        guard (200..<300).contains(status) else {
            let problem = try? JSONDecoder().decode(Problem.self, from: data)
            throw Failure(status: status, problemJSON: data, description: problem?.detail ?? "the server answered \(status)")
        }
        return data
    }
}

/// Follows a redirect only to the same scheme, host and port as the request it answers.
final class SameServerRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        let from = task.originalRequest?.url, to = request.url
        let sameServer = from?.scheme == to?.scheme && from?.host == to?.host && from?.port == to?.port
        completionHandler(sameServer ? request : nil)
    }
}
