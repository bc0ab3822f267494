import CascadeCore
import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: every error Cascade's HTTP API returns has this shape.
public struct Problem: Error, Sendable, Codable, Equatable {
    /// A URI reference naming the problem type; `about:blank` means the status says it all.
    public var type: String = "about:blank"
    /// Short summary of the problem type (the status phrase).
    public var title: String
    /// The HTTP status.
    public var status: Int
    /// What went wrong with this request, for people.
    public var detail: String
    /// Stable machine-readable code (a Cascade extension member).
    public var code: String
    /// The request field at fault, when there is one (a Cascade extension member).
    public var field: String?
    /// For a refused booking: every conflict (a Cascade extension member).
    var conflicts: [ConflictView]?
    /// For a refused booking: free slots of the same length for the same halls (a Cascade extension member).
    var suggestions: [SlotView]?

    /// Creates a problem.
    public init(status: HTTPResponse.Status, code: String, detail: String, field: String? = nil) {
        title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.code = code
        self.field = field
    }

    /// The problem for an error that says its own status, whichever module threw it.
    init(_ error: any ProblemError) {
        let status: HTTPResponse.Status = switch error.status {
        case 400: .badRequest
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 422: .unprocessableContent
        case 503: .serviceUnavailable
        case 507: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
        default: .internalServerError
        }
        // A failure inside the server says nothing of its insides (paths, sockets) to the caller.
        let detail = status == .internalServerError ? "the server could not complete the request" : error.message
        self.init(status: status, code: status == .internalServerError ? "internal" : error.codeName, detail: detail, field: error.fieldAtFault)
    }

    /// 400: the request cannot be understood.
    static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(status: .badRequest, code: "bad-request", detail: detail, field: field)
    }

    /// 401: no or unknown credentials.
    static func unauthorized(_ detail: String) -> Problem { Problem(status: .unauthorized, code: "unauthorized", detail: detail) }

    /// 403: authenticated, but not allowed.
    static func forbidden(_ detail: String) -> Problem { Problem(status: .forbidden, code: "forbidden", detail: detail) }

    /// 409: the request clashes with the state of what it touches.
    static func conflict(_ detail: String, field: String? = nil) -> Problem {
        Problem(status: .conflict, code: "conflict", detail: detail, field: field)
    }

    /// 404: nothing here.
    static func notFound(_ detail: String) -> Problem { Problem(status: .notFound, code: "not-found", detail: detail) }

    /// 422: understood, but breaks a rule.
    static func unprocessable(_ detail: String, field: String? = nil) -> Problem {
        Problem(status: .unprocessableContent, code: "invalid", detail: detail, field: field)
    }

    /// Extra headers for the response (e.g. Content-Range on a 416); never part of the body.
    var headers: [String: String]?

    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, code, field, conflicts, suggestions
    }

    /// This problem with one more response header.
    func withHeader(_ name: HTTPField.Name, _ value: String) -> Problem {
        var copy = self
        copy.headers = (headers ?? [:]).merging([name.rawName: value]) { $1 }
        return copy
    }

    /// The response carrying this problem as `application/problem+json`.
    func response(extraHeaders: HTTPFields = [:]) -> Response {
        var headers = extraHeaders
        headers[.contentType] = "application/problem+json"
        for (name, value) in self.headers ?? [:] {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
