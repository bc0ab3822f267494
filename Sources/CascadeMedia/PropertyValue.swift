/// The value of an element property, as read for statistics.
public enum PropertyValue: Sendable, Hashable, Codable {
    /// A boolean property.
    case bool(Bool)
    /// A signed integer or enum property.
    case int(Int64)
    /// An unsigned integer property.
    case uint(UInt64)
    /// A floating-point property.
    case double(Double)
    /// A string, or any other value serialised by GStreamer (structures print as `name, field=(type)value, …`).
    case string(String)

    /// Decodes from plain JSON: true/false, a number or a string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .uint(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes as plain JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .uint(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}
