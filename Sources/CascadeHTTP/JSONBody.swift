import CascadeCore
import Foundation
import Hummingbird

/// Strict JSON request bodies: size-limited, an object, no unknown fields, right types.
enum JSONBody {
    /// The largest body any route accepts.
    static let maximumBytes = 64 * 1024

    /// Decodes the body as `T`, refusing fields outside `allowedFields` with a 400 that names them.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, allowedFields: Set<String>, userInfo: [CodingUserInfoKey: any Sendable] = [:]) async throws -> T {
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(status: .unsupportedMediaType, code: "unsupported-media-type", detail: "send the body as application/json")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch {
            throw Problem(status: .contentTooLarge, code: "body-too-large", detail: "the body is larger than \(maximumBytes) bytes")
        }
        let data = Data(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: data) else {
            throw Problem.badRequest("the body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else { throw Problem.badRequest("the body must be a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !allowedFields.contains($0) }) {
            throw Problem.badRequest("unknown field \"\(unknown)\" (allowed: \(allowedFields.sorted().joined(separator: ", ")))", field: unknown)
        }
        try checkText(fields, path: "")
        do {
            let decoder = JSONDecoder()
            decoder.userInfo = userInfo
            return try decoder.decode(T.self, from: data)
        } catch let DecodingError.typeMismatch(expected, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem.badRequest("field \"\(field)\" must be \(describe(expected))", field: field)
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem.badRequest("field \"\(key.stringValue)\" is required", field: key.stringValue)
        } catch let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem.badRequest("field \"\(field)\" must not be null", field: field)
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem.badRequest("field \"\(field)\": \(context.debugDescription)", field: field)
        }
    }

    /// Fields whose text may span lines.
    static let multilineFields: Set<String> = ["notes"]

    /// Refuses, with a 422 naming the field, any string in the body that holds a control character or
    /// is too long (``FreeText``): such text would reach slates, calendar feeds and the audit log.
    private static func checkText(_ value: Any, path: String) throws {
        switch value {
        case let text as String:
            let name = path.split(separator: ".").last.map(String.init) ?? path
            if let problem = FreeText.problem(in: text, multiline: multilineFields.contains(name)) {
                throw Problem.unprocessable("field \"\(path)\" \(problem)", field: path)
            }
        case let object as [String: Any]:
            for (key, item) in object { try checkText(item, path: path.isEmpty ? key : "\(path).\(key)") }
        case let array as [Any]:
            for (index, item) in array.enumerated() { try checkText(item, path: "\(path)[\(index)]") }
        default:
            break
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        default: "of type \(type)"
        }
    }
}

/// JSON responses with Cascade's encoding (ISO 8601 dates, sorted keys).
enum JSONResponse {
    /// The encoder every response uses.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
