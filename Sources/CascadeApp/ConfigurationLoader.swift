import CascadeCore
import Foundation
import Yams

/// Reads `config/cascade.yaml` into a ``Configuration``, refusing anything it does not understand.
public enum ConfigurationLoader {
    /// Loads and validates the file at `path`; `environment` overrides secrets.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> Configuration {
        func fail(_ entry: String, _ problem: String) -> ConfigurationError { ConfigurationError(file: path, entry: entry, problem: problem) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let manager = FileManager.default
            let reason = !manager.fileExists(atPath: path) ? "no such file"
                : !manager.isReadableFile(atPath: path) ? "permission denied" : "not UTF-8 text"
            throw fail("", "cannot read the file: \(reason)")
        }
        let parsed: Any?
        do {
            parsed = try Yams.load(yaml: text)
        } catch {
            throw fail("", "YAML syntax error: \(oneLine(error))")
        }
        let root = try Section(parsed ?? [String: Any](), entry: "top level", file: path)
        try root.allowOnly(["server", "media", "relay", "booking", "recording", "levels", "units", "halls", "feeds", "scheduler", "webhooks", "archive"])

        let server = try root.section("server")
        try server.allowOnly(serverKeys)
        let httpText = try server.string("http") ?? "127.0.0.1:8080"
        guard let http = HostAndPort(httpText) else { throw fail("server.http", "\"\(httpText)\" is not host:port") }
        let zoneName = try server.string("zone") ?? "Asia/Ho_Chi_Minh"
        guard let zone = TimeZone(identifier: zoneName) else { throw fail("server.zone", "unknown time zone \"\(zoneName)\"") }

        let media = try root.section("media")
        try media.allowOnly(["requiredElements", "srtPassphrase"])
        let extraElements = try media.strings("requiredElements")
        let configuredPassphrase = try media.string("srtPassphrase")
        let passphrase = environment["CASCADE_SRT_PASSPHRASE"] ?? configuredPassphrase
        if let passphrase, !(10...79).contains(passphrase.count) {
            throw fail("media.srtPassphrase", "an SRT passphrase must be 10–79 characters")
        }

        let booking = try root.section("booking")
        try booking.allowOnly(["defaultBitrateKbps", "maxDurationHours", "defaultRehearsalMinutes", "seriesCheckDays"])
        var rules = BookingRules()
        if let bitrate = try booking.int("defaultBitrateKbps", in: 100...50_000) { rules.defaultBitrateKbps = bitrate }
        if let hours = try booking.int("maxDurationHours", in: 1...72) { rules.maximumDuration = Double(hours) * 3600 }
        if let minutes = try booking.int("defaultRehearsalMinutes", in: 0...240) { rules.defaultRehearsalMinutes = minutes }
        if let days = try booking.int("seriesCheckDays", in: 7...3660) { rules.seriesCheckHorizon = Double(days) * 86400 }

        let recordingSection = try root.section("recording")
        try recordingSection.allowOnly(["partMinutes", "freeSpaceFloorMB", "freeSpaceFloorPercent"])
        var recording = RecordingDefaults()
        if let minutes = try recordingSection.int("partMinutes", in: 1...240) { recording.partSeconds = minutes * 60 }
        if let megabytes = try recordingSection.int("freeSpaceFloorMB", in: 0...10_000_000) { recording.freeSpaceFloorBytes = Int64(megabytes) << 20 }
        if let percent = try recordingSection.int("freeSpaceFloorPercent", in: 0...100) { recording.freeSpaceFloorFraction = Double(percent) / 100 }

        let relaySection = try root.section("relay")
        try relaySection.allowOnly(["ports", "advertisedHost", "width", "height", "framerate", "videoKbps", "lossAfterMs", "multicastTTL"])
        var relay = RelayDefaults()
        if let ports = try relaySection.string("ports") {
            let bounds = ports.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard bounds.count == 2, bounds[0] >= 1024, bounds[0] <= bounds[1], bounds[1] <= 65535 else {
                throw fail("relay.ports", "\"\(ports)\" is not a port range like 9000-9099 within 1024–65535")
            }
            relay.ports = bounds[0]...bounds[1]
        }
        if let host = try relaySection.string("advertisedHost") { relay.advertisedHost = host }
        if let width = try relaySection.int("width", in: 160...3840) { relay.width = width - width % 2 }
        if let height = try relaySection.int("height", in: 90...2160) { relay.height = height - height % 2 }
        if let framerate = try relaySection.int("framerate", in: 10...60) { relay.framerate = framerate }
        if let kbps = try relaySection.int("videoKbps", in: 200...20_000) { relay.videoKbps = kbps }
        if let loss = try relaySection.int("lossAfterMs", in: 200...10_000) { relay.lossAfterMs = loss }
        if let ttl = try relaySection.int("multicastTTL", in: 0...255) { relay.multicastTTL = ttl }

        let levels = try root.strings("levels")
        var units: [CascadeCore.Unit] = []
        for (index, item) in try root.list("units").enumerated() {
            let section = try Section(item, entry: "units[\(index)]", file: path)
            try section.allowOnly(["id", "name", "level", "parent", "uplinkKbps", "relayBudget"])
            let id = try section.requiredString("id")
            let named = try Section(item, entry: "unit \"\(id)\"", file: path)
            units.append(Unit(
                id: id, name: try named.requiredString("name"), level: try named.requiredString("level"), parentId: try named.string("parent"),
                uplinkKbps: try named.int("uplinkKbps"), relayBudget: try named.int("relayBudget")
            ))
        }
        var feeds: [Feed] = []
        for (index, item) in try root.list("feeds").enumerated() {
            let section = try Section(item, entry: "feeds[\(index)]", file: path)
            try section.allowOnly(["id", "name", "uri", "backupUri", "passThrough"])
            let id = try section.requiredString("id")
            let named = try Section(item, entry: "feed \"\(id)\"", file: path)
            feeds.append(Feed(id: id, name: try named.requiredString("name"), uri: try named.uri("uri", environment, required: true) ?? "",
                              backupURI: try named.uri("backupUri", environment), isPassThrough: try named.bool("passThrough") ?? false))
        }
        var halls: [Hall] = []
        for (index, item) in try root.list("halls").enumerated() {
            let section = try Section(item, entry: "halls[\(index)]", file: path)
            try section.allowOnly(["id", "name", "unit", "endpoint", "capacityKbps", "latencyMs", "srtPassphrase", "feed"])
            let id = try section.requiredString("id")
            let named = try Section(item, entry: "hall \"\(id)\"", file: path)
            if named.values["feed"] != nil {
                let feed = try named.section("feed")
                try feed.allowOnly(["uri", "backupUri"])
                feeds.append(Feed(
                    id: id, name: try named.requiredString("name"), uri: try feed.uri("uri", environment, required: true) ?? "",
                    backupURI: try feed.uri("backupUri", environment), hallId: id
                ))
            }
            halls.append(Hall(
                id: id, name: try named.requiredString("name"), unitId: try named.requiredString("unit"),
                endpoint: try endpoint(of: named),
                capacityKbps: try named.requiredInt("capacityKbps"),
                latencyMs: try named.int("latencyMs") ?? 500,
                srtPassphrase: try named.string("srtPassphrase")
            ))
        }
        let tree: UnitTree
        do {
            tree = try UnitTree(levels: levels, units: units, halls: halls)
        } catch {
            throw fail(error.entry, error.problem)
        }
        var configuration = Configuration(
            http: http, dataDirectory: try server.string("dataDir") ?? "./data", zone: zone, tree: tree,
            extraRequiredElements: extraElements, bookingRules: rules, recording: recording, srtPassphrase: passphrase, relay: relay
        )
        configuration.feeds = try feedCatalogue(feeds, root: root, tree: tree, path: path)
        configuration.sourcePath = path
        configuration.scheduler = try schedulerDefaults(root.section("scheduler"))
        configuration.archive = try archiveDefaults(root.section("archive"))
        configuration.webhooks = try webhooks(root, environment)
        if let days = try server.int("tokenDays", in: 1...366) { configuration.apiTokenLifetime = Double(days) * 86_400 }
        if let hours = try server.int("signInHours", in: 1...168) { configuration.signInLifetime = Double(hours) * 3_600 }
        if let secure = try server.bool("secureCookie") { configuration.secureCookie = secure }
        configuration.trustedProxies = try trustedProxies(server)
        configuration.connections = try connectionLimits(server)
        return configuration
    }

    private static func endpoint(of hall: Section) throws(ConfigurationError) -> HallEndpoint {
        let endpoint = try hall.section("endpoint", required: true)
        let mode = try endpoint.requiredString("mode")
        switch mode {
        case "srt-caller":
            try endpoint.allowOnly(["mode", "streamId"])
            return .srtCaller(streamId: try endpoint.requiredString("streamId"))
        case "srt-listener":
            try endpoint.allowOnly(["mode", "host", "port"])
            return .srtListener(host: try endpoint.requiredString("host"), port: try endpoint.requiredInt("port"))
        case "udp-multicast":
            try endpoint.allowOnly(["mode", "group", "port"])
            return .udpMulticast(group: try endpoint.requiredString("group"), port: try endpoint.requiredInt("port"))
        default:
            throw endpoint.error("mode", "unknown endpoint mode \"\(mode)\" (srt-caller, srt-listener or udp-multicast)")
        }
    }

    private static func oneLine(_ error: any Error) -> String {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
                return "line \(mark.line), column \(mark.column): \(context.map { "\($0.text) " } ?? "")\(problem)"
            default: break
            }
        }
        return "\(error)".split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}

/// One mapping of the YAML file, with typed accessors that name the entry in their errors.
struct Section {
    let values: [String: Any]
    let entry: String
    let file: String

    init(_ value: Any, entry: String, file: String) throws(ConfigurationError) {
        guard let values = value as? [String: Any] else {
            throw ConfigurationError(file: file, entry: entry, problem: "must be a mapping of keys to values")
        }
        self.values = values
        self.entry = entry
        self.file = file
    }

    func error(_ key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, entry: entry == "top level" ? key : "\(entry)", problem: entry == "top level" ? problem : "\(key): \(problem)")
    }

    func allowOnly(_ keys: Set<String>) throws(ConfigurationError) {
        if let unknown = values.keys.sorted().first(where: { !keys.contains($0) }) {
            throw error(unknown, "unknown key (expected one of \(keys.sorted().joined(separator: ", ")))")
        }
    }

    func section(_ key: String, required: Bool = false) throws(ConfigurationError) -> Section {
        guard let value = values[key], !(value is NSNull) else {
            if required { throw error(key, "is required") }
            return try Section([String: Any](), entry: key, file: file)
        }
        return try Section(value, entry: entry == "top level" ? key : "\(entry).\(key)", file: file)
    }

    func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        if let text = value as? String { return text }
        if let number = value as? Int { return String(number) }
        throw error(key, "must be text")
    }

    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let flag = value as? Bool else { throw error(key, "must be true or false") }
        return flag
    }

    func requiredString(_ key: String) throws(ConfigurationError) -> String {
        guard let text = try string(key), !text.isEmpty else { throw error(key, "is required") }
        return text
    }

    func int(_ key: String) throws(ConfigurationError) -> Int? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let number = value as? Int else { throw error(key, "must be a whole number") }
        return number
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let number = try int(key) else { return nil }
        guard range.contains(number) else { throw error(key, "must be \(range.lowerBound)–\(range.upperBound), got \(number)") }
        return number
    }

    func requiredInt(_ key: String) throws(ConfigurationError) -> Int {
        guard let number = try int(key) else { throw error(key, "is required") }
        return number
    }

    func list(_ key: String) throws(ConfigurationError) -> [Any] {
        guard let value = values[key], !(value is NSNull) else { return [] }
        guard let items = value as? [Any] else { throw error(key, "must be a list") }
        return items
    }

    func strings(_ key: String) throws(ConfigurationError) -> [String] {
        try list(key).map { item throws(ConfigurationError) -> String in
            guard let text = item as? String else { throw error(key, "must be a list of names") }
            return text
        }
    }
}
