import CascadeCore
import Foundation

/// The worker control protocol: JSON objects, one per line, over a Unix stream socket.
///
/// docs/worker-protocol.md describes it for implementers of other endpoints (a remote node).
public enum WorkerProtocol {
    /// Bumped whenever a message changes incompatibly; sent in ``WorkerReport/hello(workerId:pid:protocolVersion:isRunning:)``.
    public static let version = 2
}

/// An element property sampled with every statistics report.
public struct StatisticsProbe: Sendable, Hashable, Codable {
    /// The element's name in the pipeline description (`name=…`).
    public var element: String
    /// The property to read, e.g. `stats` on `srtsink`.
    public var property: String

    /// Creates a probe.
    public init(element: String, property: String) {
        self.element = element
        self.property = property
    }

    /// The key under which the value is reported: `element.property`.
    public var key: String { "\(element).\(property)" }
}

/// What the supervisor tells a worker.
public enum WorkerCommand: Sendable, Hashable {
    /// Build and play this pipeline; report statistics every `statisticsIntervalMs` (0: never).
    /// User-supplied values travel in the recipe's settings, never in its description.
    case start(recipe: PipelineRecipe, probes: [StatisticsProbe], statisticsIntervalMs: Int)
    /// Send end-of-stream and exit once it reaches the sinks, or after `timeoutMs` with an error.
    case stop(timeoutMs: Int)
    /// Read one property now; answered by a ``WorkerReport/reply(requestId:value:)``.
    case query(requestId: Int, element: String, property: String)
    /// Run a relay hop; it reports ``WorkerReport/relayEvent(_:)`` and, every second, ``WorkerReport/relayStatistics(_:)``.
    case startRelay(RelaySpec)
    /// Add a hall to the running relay.
    case addHall(RelayOutput)
    /// Remove a hall from the running relay.
    case removeHall(hallId: String)
    /// Make the running relay take another source; the halls stay connected and see the slate meanwhile.
    case switchSource(String)
}

/// What a worker tells the supervisor.
public enum WorkerReport: Sendable, Hashable {
    /// Sent first on every connection.
    case hello(workerId: String, pid: Int32, protocolVersion: Int, isRunning: Bool)
    /// The pipeline changed state.
    case state(from: String, to: String)
    /// An element failed.
    case error(element: String, message: String, debug: String)
    /// An element warned.
    case warning(element: String, message: String, debug: String)
    /// End-of-stream reached every sink; the worker exits 0 next.
    case endOfStream
    /// An element message.
    case element(source: String, name: String, fields: String)
    /// Periodic statistics: the pipeline position and each probe's value.
    case statistics(positionMs: Int64?, values: [String: PropertyValue])
    /// The answer to a query (`nil` when the element or property does not exist).
    case reply(requestId: Int, value: PropertyValue?)
    /// A recorder opened part `index` (its file at `path`): media flows.
    case partOpened(index: Int, path: String)
    /// A recorder finished part `index`: the file is complete on disk.
    case partClosed(index: Int, path: String)
    /// A relay hop event (source lost or live, a hall connected, refused, …).
    case relayEvent(RelayEvent)
    /// A relay hop's statistics, every second.
    case relayStatistics(RelayStatistics)
}

extension WorkerCommand: Codable {
    private enum Keys: String, CodingKey { case type, pipeline, settings, probes, statisticsIntervalMs, timeoutMs, requestId, element, property, relay, hall, hallId, source }

    /// Decodes `{"type": …, …}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "start":
            self = .start(
                recipe: PipelineRecipe(
                    try c.decode(String.self, forKey: .pipeline),
                    settings: try c.decodeIfPresent([ElementSetting].self, forKey: .settings) ?? []
                ),
                probes: try c.decodeIfPresent([StatisticsProbe].self, forKey: .probes) ?? [],
                statisticsIntervalMs: try c.decodeIfPresent(Int.self, forKey: .statisticsIntervalMs) ?? 0
            )
        case "stop": self = .stop(timeoutMs: try c.decode(Int.self, forKey: .timeoutMs))
        case "query":
            self = .query(
                requestId: try c.decode(Int.self, forKey: .requestId),
                element: try c.decode(String.self, forKey: .element),
                property: try c.decode(String.self, forKey: .property)
            )
        case "startRelay": self = .startRelay(try c.decode(RelaySpec.self, forKey: .relay))
        case "addHall": self = .addHall(try c.decode(RelayOutput.self, forKey: .hall))
        case "removeHall": self = .removeHall(hallId: try c.decode(String.self, forKey: .hallId))
        case "switchSource": self = .switchSource(try c.decode(String.self, forKey: .source))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown command \(other)")
        }
    }

    /// Encodes as `{"type": …, …}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .start(let recipe, let probes, let interval):
            try c.encode("start", forKey: .type)
            try c.encode(recipe.description, forKey: .pipeline)
            try c.encode(recipe.settings, forKey: .settings)
            try c.encode(probes, forKey: .probes)
            try c.encode(interval, forKey: .statisticsIntervalMs)
        case .stop(let timeout):
            try c.encode("stop", forKey: .type)
            try c.encode(timeout, forKey: .timeoutMs)
        case .query(let requestId, let element, let property):
            try c.encode("query", forKey: .type)
            try c.encode(requestId, forKey: .requestId)
            try c.encode(element, forKey: .element)
            try c.encode(property, forKey: .property)
        case .startRelay(let spec):
            try c.encode("startRelay", forKey: .type)
            try c.encode(spec, forKey: .relay)
        case .addHall(let output):
            try c.encode("addHall", forKey: .type)
            try c.encode(output, forKey: .hall)
        case .removeHall(let hallId):
            try c.encode("removeHall", forKey: .type)
            try c.encode(hallId, forKey: .hallId)
        case .switchSource(let source):
            try c.encode("switchSource", forKey: .type)
            try c.encode(source, forKey: .source)
        }
    }
}

extension WorkerReport: Codable {
    private enum Keys: String, CodingKey {
        case type, workerId, pid, protocolVersion, isRunning, from, to, element, message, debug
        case source, name, fields, positionMs, values, requestId, value, event, statistics, index, path
    }

    /// Decodes `{"type": …, …}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "hello":
            self = .hello(
                workerId: try c.decode(String.self, forKey: .workerId), pid: try c.decode(Int32.self, forKey: .pid),
                protocolVersion: try c.decode(Int.self, forKey: .protocolVersion), isRunning: try c.decode(Bool.self, forKey: .isRunning)
            )
        case "state": self = .state(from: try c.decode(String.self, forKey: .from), to: try c.decode(String.self, forKey: .to))
        case "error", "warning":
            let element = try c.decode(String.self, forKey: .element)
            let message = try c.decode(String.self, forKey: .message)
            let debug = try c.decodeIfPresent(String.self, forKey: .debug) ?? ""
            self = try c.decode(String.self, forKey: .type) == "error"
                ? .error(element: element, message: message, debug: debug)
                : .warning(element: element, message: message, debug: debug)
        case "eos": self = .endOfStream
        case "element":
            self = .element(
                source: try c.decode(String.self, forKey: .source), name: try c.decode(String.self, forKey: .name),
                fields: try c.decode(String.self, forKey: .fields)
            )
        case "statistics":
            self = .statistics(
                positionMs: try c.decodeIfPresent(Int64.self, forKey: .positionMs),
                values: try c.decode([String: PropertyValue].self, forKey: .values)
            )
        case "reply":
            self = .reply(requestId: try c.decode(Int.self, forKey: .requestId), value: try c.decodeIfPresent(PropertyValue.self, forKey: .value))
        case "partOpened": self = .partOpened(index: try c.decode(Int.self, forKey: .index), path: try c.decode(String.self, forKey: .path))
        case "partClosed": self = .partClosed(index: try c.decode(Int.self, forKey: .index), path: try c.decode(String.self, forKey: .path))
        case "relayEvent": self = .relayEvent(try c.decode(RelayEvent.self, forKey: .event))
        case "relayStatistics": self = .relayStatistics(try c.decode(RelayStatistics.self, forKey: .statistics))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown report \(other)")
        }
    }

    /// Encodes as `{"type": …, …}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .hello(let workerId, let pid, let version, let isRunning):
            try c.encode("hello", forKey: .type)
            try c.encode(workerId, forKey: .workerId)
            try c.encode(pid, forKey: .pid)
            try c.encode(version, forKey: .protocolVersion)
            try c.encode(isRunning, forKey: .isRunning)
        case .state(let from, let to):
            try c.encode("state", forKey: .type)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        case .error(let element, let message, let debug), .warning(let element, let message, let debug):
            if case .error = self { try c.encode("error", forKey: .type) } else { try c.encode("warning", forKey: .type) }
            try c.encode(element, forKey: .element)
            try c.encode(message, forKey: .message)
            try c.encode(debug, forKey: .debug)
        case .endOfStream:
            try c.encode("eos", forKey: .type)
        case .element(let source, let name, let fields):
            try c.encode("element", forKey: .type)
            try c.encode(source, forKey: .source)
            try c.encode(name, forKey: .name)
            try c.encode(fields, forKey: .fields)
        case .statistics(let position, let values):
            try c.encode("statistics", forKey: .type)
            try c.encodeIfPresent(position, forKey: .positionMs)
            try c.encode(values, forKey: .values)
        case .reply(let requestId, let value):
            try c.encode("reply", forKey: .type)
            try c.encode(requestId, forKey: .requestId)
            try c.encodeIfPresent(value, forKey: .value)
        case .partOpened(let index, let path), .partClosed(let index, let path):
            if case .partOpened = self { try c.encode("partOpened", forKey: .type) } else { try c.encode("partClosed", forKey: .type) }
            try c.encode(index, forKey: .index)
            try c.encode(path, forKey: .path)
        case .relayEvent(let event):
            try c.encode("relayEvent", forKey: .type)
            try c.encode(event, forKey: .event)
        case .relayStatistics(let statistics):
            try c.encode("relayStatistics", forKey: .type)
            try c.encode(statistics, forKey: .statistics)
        }
    }
}

extension WorkerReport {
    /// The report that carries a pipeline event; `nil` for sound levels, which travel in statistics.
    public init?(_ event: PipelineEvent) {
        switch event {
        case .audioLevel: return nil
        case .stateChanged(let from, let to): self = .state(from: from, to: to)
        case .error(let element, let message, let debug): self = .error(element: element, message: message, debug: debug)
        case .warning(let element, let message, let debug): self = .warning(element: element, message: message, debug: debug)
        case .endOfStream: self = .endOfStream
        case .element(let source, let name, let fields): self = .element(source: source, name: name, fields: fields)
        case .partOpened(let path), .partClosed(let path):
            guard let index = RecordingPart.index(ofFileName: (path as NSString).lastPathComponent) else { return nil }
            if case .partOpened = event { self = .partOpened(index: index, path: path) } else { self = .partClosed(index: index, path: path) }
        }
    }
}
