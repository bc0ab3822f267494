import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A response as tests inspect it.
public struct HTTPResult: Sendable {
    /// Status code.
    public var status: Int
    /// Headers, lower-cased names.
    public var headers: [String: String]
    /// Body bytes.
    public var body: Data

    /// The body parsed as a JSON object.
    public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }

    /// The body parsed as a JSON array of objects.
    public var jsonArray: [[String: Any]] { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? [] }

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Real HTTP over a real socket, to a server on this machine.
public struct HTTPClient: Sendable {
    /// e.g. http://127.0.0.1:41234
    public var baseURL: String

    /// Creates a client.
    public init(baseURL: String) { self.baseURL = baseURL }

    /// Sends one request.
    public func send(_ method: String, _ path: String, token: String? = nil, json: String? = nil, body: Data? = nil, headers: [String: String] = [:]) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.timeoutInterval = 60
        // Each request carries exactly the cookies a test gives it: no cookie jar shared between servers.
        request.httpShouldHandleCookies = false
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        if let body { request.httpBody = body }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var lowered: [String: String] = [:]
        for (name, value) in http.allHeaderFields { lowered["\(name)".lowercased()] = "\(value)" }
        return HTTPResult(status: http.statusCode, headers: lowered, body: data)
    }

    /// Logs in and returns a bearer token.
    public func login(_ name: String, _ password: String) async throws -> String {
        let result = try await send("POST", "/auth/token", json: #"{"name":"\#(name)","password":"\#(password)"}"#)
        guard result.status == 201, let token = result.json["token"] as? String else {
            throw TestFailure("login as \(name) failed: \(result.status) \(result.text)")
        }
        return token
    }
}

/// A failure inside a test helper.
public struct TestFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    /// Creates a failure.
    public init(_ description: String) { self.description = description }
}
