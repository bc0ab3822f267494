import CascadeCore
import CascadeMedia
import Foundation

/// The parts of the configuration the scheduler reads: feeds, origins, grace, webhooks.
extension ConfigurationLoader {
    static func feedCatalogue(_ feeds: [Feed], root: Section, tree: UnitTree, path: String) throws(ConfigurationError) -> FeedCatalogue {
        var seen = Set<String>()
        for feed in feeds {
            guard seen.insert(feed.id).inserted else { throw ConfigurationError(file: path, entry: "feed \"\(feed.id)\"", problem: "the id is used twice") }
            for (key, uri) in [("uri", feed.uri), ("backupUri", feed.backupURI)] {
                guard let uri else { continue }
                let source: RelaySource
                do {
                    source = try RelaySource(parsing: uri)
                } catch {
                    // The message would echo the URI, secrets from the environment included: name the kind only.
                    let scheme = uri.split(separator: ":").first.map(String.init) ?? ""
                    throw ConfigurationError(file: path, entry: "feed \"\(feed.id)\"",
                                             problem: "\(key): not a usable relay source (\(scheme.isEmpty ? "no scheme" : "\(scheme)://…"); srt://, rtsp://, udp://, rtp:// or demo:)")
                }
                switch source {
                case .rtsp, .demo:
                    guard !feed.isPassThrough else {
                        throw ConfigurationError(file: path, entry: "feed \"\(feed.id)\"", problem: "\(key): a pass-through feed must be MPEG-TS (srt://, udp:// or rtp://)")
                    }
                case .srt, .udp, .rtp: break
                }
            }
        }
        let scheduler = try root.section("scheduler")
        let origins = try scheduler.section("origins")
        var byUnit: [String: String] = [:]
        for unitId in origins.values.keys.sorted() {
            guard tree.unit(unitId) != nil else { throw origins.error(unitId, "is not a unit of the configuration") }
            byUnit[unitId] = try origins.requiredString(unitId)
        }
        let catalogue = FeedCatalogue(feeds: feeds, defaultOrigins: byUnit, defaultOrigin: try scheduler.string("defaultOrigin"))
        for (entry, origin) in byUnit.map({ ("scheduler.origins.\($0.key)", $0.value) }) + [("scheduler.defaultOrigin", catalogue.defaultOrigin)] {
            guard let origin, catalogue.feeds[origin] == nil else { continue }
            throw ConfigurationError(file: path, entry: entry, problem: "\"\(origin)\" is neither a feed nor a hall with a feed")
        }
        return catalogue
    }

    static func schedulerDefaults(_ section: Section) throws(ConfigurationError) -> SchedulerDefaults {
        try section.allowOnly(["enabled", "graceMinutes", "readinessMinutes", "defaultOrigin", "origins"])
        var defaults = SchedulerDefaults()
        if let enabled = try section.bool("enabled") { defaults.isEnabled = enabled }
        if let minutes = try section.int("graceMinutes", in: 0...240) { defaults.grace = Double(minutes) * 60 }
        if let minutes = try section.int("readinessMinutes", in: 0...240) { defaults.readinessLead = Double(minutes) * 60 }
        return defaults
    }

    static func webhooks(_ root: Section, _ environment: [String: String]) throws(ConfigurationError) -> [WebhookTarget] {
        var targets: [WebhookTarget] = []
        for (index, item) in try root.list("webhooks").enumerated() {
            let section = try Section(item, entry: "webhooks[\(index)]", file: root.file)
            try section.allowOnly(["url", "events", "secret"])
            let url = try section.uri("url", environment, required: true) ?? ""
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""), components.host?.isEmpty == false else {
                throw section.error("url", "must be an http:// or https:// URL")
            }
            let events = Set(try section.strings("events"))
            let known = Set(MeetingRunState.allCases.filter { $0 != .booked }.map { "meeting.\($0.rawValue)" } + ["meeting.alarm"])
            if let unknown = events.subtracting(known).sorted().first {
                throw section.error("events", "unknown event \"\(unknown)\" (one of \(known.sorted().joined(separator: ", ")))")
            }
            guard let secret = try section.uri("secret", environment, required: true), secret.count >= 16 else {
                throw section.error("secret", "must be at least 16 characters (write ${NAME} to take it from the environment)")
            }
            targets.append(WebhookTarget(url: url, events: events, secret: secret))
        }
        return targets
    }
}

extension Section {
    /// A text value with `${NAME}` replaced by the environment's NAME: secrets stay out of the file.
    func uri(_ key: String, _ environment: [String: String], required: Bool = false) throws(ConfigurationError) -> String? {
        guard let text = required ? try requiredString(key) : try string(key) else { return nil }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { throw error(key, "an unclosed ${ in the value") }
            let name = String(rest[open.upperBound..<close])
            guard let value = environment[name] else { throw error(key, "the environment variable \(name) is not set") }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
