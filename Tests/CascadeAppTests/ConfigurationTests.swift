import CascadeApp
import CascadeTestSupport
import Foundation
import Testing

@Suite struct ConfigurationTests {
    static let base = """
        server: {http: "127.0.0.1:8080", dataDir: ./data, zone: Asia/Ho_Chi_Minh}
        levels: [central, province, district]
        units:
          - {id: tw, name: "Trung ương", level: central}
          - {id: dn, name: "Tỉnh ủy Đắk Nông", level: province, parent: tw}
        halls:
          - {id: h-dn, name: "Hội trường", unit: dn, capacityKbps: 8000, endpoint: {mode: srt-caller, streamId: h-dn}}
        """

    static func write(_ text: String) throws -> String {
        let directory = try TestPaths.makeTemporaryDirectory()
        let path = "\(directory)/cascade.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func shippedDemoConfigurationLoads() throws {
        let configuration = try ConfigurationLoader.load(path: TestPaths.demoConfiguration, environment: [:])
        #expect(configuration.tree.levels == ["central", "province", "district"])
        #expect(configuration.tree.units.count == 10)
        #expect(configuration.tree.units.filter { $0.parentId == "dak-nong" }.map(\.name) == [
            "Thành phố Gia Nghĩa", "Cư Jút", "Đắk Glong", "Đắk Mil", "Đắk R'Lấp", "Đắk Song", "Krông Nô", "Tuy Đức",
        ])
        #expect(configuration.tree.halls.count == 9)
        #expect(configuration.http.host == "127.0.0.1")
        #expect(configuration.zone.identifier == "Asia/Ho_Chi_Minh")
    }

    @Test("the demo sends nothing off the machine it runs on")
    func demoConfigurationStaysLocal() throws {
        let configuration = try ConfigurationLoader.load(path: TestPaths.demoConfiguration, environment: [:])
        #expect(configuration.relay.advertisedHost == "127.0.0.1")
        #expect(configuration.relay.multicastTTL == 0)
        #expect(configuration.signInLifetime == 12 * 3600 && configuration.apiTokenLifetime == 30 * 86400)
        for hall in configuration.tree.halls {
            switch hall.endpoint {
            case .srtListener(let host, _): #expect(host == "127.0.0.1", "\(hall.id) calls \(host)")
            case .udpMulticast: #expect(configuration.relay.multicastTTL == 0, "\(hall.id)'s multicast would leave the machine")
            case .srtCaller: break
            }
        }
    }

    @Test func environmentOverridesTheSRTPassphrase() throws {
        let path = try Self.write(Self.base + "\nmedia: {srtPassphrase: from-the-file-123}\n")
        #expect(try ConfigurationLoader.load(path: path, environment: [:]).srtPassphrase == "from-the-file-123")
        #expect(try ConfigurationLoader.load(path: path, environment: ["CASCADE_SRT_PASSPHRASE": "from-the-environment"]).srtPassphrase == "from-the-environment")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var expected: String
        var testDescription: String { name }
    }

    static let badCases: [Case] = [
        Case(name: "unknown parent", yaml: base.replacingOccurrences(of: "halls:", with: "  - {id: cj, name: CJ, level: district, parent: nowhere}\nhalls:"),
             expected: #"unit "cj": parent "nowhere" is not a unit"#),
        Case(name: "duplicate id", yaml: base.replacingOccurrences(of: "halls:", with: "  - {id: dn, name: Again, level: province, parent: tw}\nhalls:"),
             expected: #"unit "dn": duplicate id"#),
        Case(name: "cycle", yaml: base.replacingOccurrences(of: "halls:", with: "  - {id: a, name: A, level: district, parent: b}\n  - {id: b, name: B, level: district, parent: a}\nhalls:"),
             expected: "unit \""),
        Case(name: "unknown level", yaml: base.replacingOccurrences(of: "level: province", with: "level: state"),
             expected: #"unit "dn": unknown level "state""#),
        Case(name: "negative capacity", yaml: base.replacingOccurrences(of: "capacityKbps: 8000", with: "capacityKbps: -1"),
             expected: #"hall "h-dn": capacityKbps must be a positive number"#),
        Case(name: "YAML syntax error", yaml: "server: {http: [unclosed\nlevels: x", expected: "YAML syntax error: line"),
        Case(name: "unknown key", yaml: base + "\nextra: 1\n", expected: "extra: unknown key"),
        Case(name: "unknown zone", yaml: base.replacingOccurrences(of: "Asia/Ho_Chi_Minh", with: "Mars/Olympus"), expected: #"server.zone: unknown time zone"#),
        Case(name: "short hall passphrase", yaml: base.replacingOccurrences(of: "capacityKbps: 8000,", with: "capacityKbps: 8000, srtPassphrase: short,"),
             expected: #"hall "h-dn": srtPassphrase must be 10–79 characters"#),
        Case(name: "wrong type", yaml: base.replacingOccurrences(of: "capacityKbps: 8000", with: "capacityKbps: lots"), expected: "capacityKbps: must be a whole number"),
        Case(name: "feed secret not in the environment", yaml: base + "\nfeeds:\n  - {id: tw, name: TW, uri: \"srt://10.0.0.1:9000?passphrase=${TW_KEY}\"}\n",
             expected: #"feed "tw": uri: the environment variable TW_KEY is not set"#),
        Case(name: "feed URI of no known kind", yaml: base + "\nfeeds:\n  - {id: tw, name: TW, uri: \"http://x/y\"}\n", expected: #"feed "tw": uri: not a usable relay source (http://…"#),
        Case(name: "default origin unknown", yaml: base + "\nscheduler: {defaultOrigin: nowhere}\n", expected: #"scheduler.defaultOrigin: "nowhere" is neither a feed"#),
        Case(name: "origin of an unknown unit", yaml: base + "\nfeeds:\n  - {id: tw, name: TW, uri: \"demo:\"}\nscheduler: {origins: {xx: tw}}\n",
             expected: "xx: is not a unit of the configuration"),
        Case(name: "webhook secret too short", yaml: base + "\nwebhooks:\n  - {url: \"https://phone.example/hook\", secret: short}\n", expected: "secret: must be at least 16 characters"),
        Case(name: "webhook event unknown", yaml: base + "\nwebhooks:\n  - {url: \"https://phone.example/hook\", secret: \"0123456789abcdef\", events: [meeting.started]}\n",
             expected: #"events: unknown event "meeting.started""#),
    ]

    @Test func feedsTakeTheirSecretsFromTheEnvironmentAndHallsCanBeOrigins() throws {
        let yaml = Self.base.replacingOccurrences(of: "endpoint: {mode: srt-caller, streamId: h-dn}}",
                                                  with: "endpoint: {mode: srt-caller, streamId: h-dn}, feed: {uri: \"rtsp://cam.local/main\"}}")
            + "\nfeeds:\n  - {id: tw, name: TW, uri: \"srt://10.0.0.1:9000?passphrase=${TW_KEY}\", backupUri: \"udp://239.1.1.1:5000\"}\nscheduler: {defaultOrigin: tw, origins: {dn: h-dn}, graceMinutes: 5}\n"
        let configuration = try ConfigurationLoader.load(path: try Self.write(yaml), environment: ["TW_KEY": "a-secret-of-the-centre"])
        let central = try #require(configuration.feeds.feeds["tw"])
        #expect(central.uri == "srt://10.0.0.1:9000?passphrase=a-secret-of-the-centre")
        #expect(central.backupURI == "udp://239.1.1.1:5000")
        #expect(configuration.feeds.feeds["h-dn"]?.hallId == "h-dn")
        #expect(try configuration.feeds.feed(origin: nil, organiserUnitId: "dn", in: configuration.tree).id == "h-dn")
        #expect(try configuration.feeds.feed(origin: nil, organiserUnitId: "tw", in: configuration.tree).id == "tw")
        #expect(configuration.scheduler.grace == 300)
        let demo = try ConfigurationLoader.load(path: TestPaths.demoConfiguration, environment: [:])
        #expect(try demo.feeds.feed(origin: nil, organiserUnitId: "dak-nong", in: demo.tree).uri == "demo:")
    }

    @Test(arguments: badCases)
    func badConfigurationGivesOneLineNamingFileEntryAndProblem(_ testCase: Case) throws {
        let path = try Self.write(testCase.yaml)
        #expect {
            _ = try ConfigurationLoader.load(path: path, environment: [:])
        } throws: { error in
            let line = "\(error)"
            return line.hasPrefix(path + ": ") && line.contains(testCase.expected) && !line.contains("\n")
        }
    }

    @Test func unreadableFileIsNamed() {
        #expect {
            _ = try ConfigurationLoader.load(path: "/nonexistent/cascade.yaml", environment: [:])
        } throws: { error in
            "\(error)" == "/nonexistent/cascade.yaml: cannot read the file: no such file"
        }
    }

    @Test(arguments: [
        ("unknown level", "level: province", "level: state"),
        ("negative capacity", "capacityKbps: 8000", "capacityKbps: -5"),
        ("YAML syntax error", "levels: [central, province, district]", "levels: [central, province"),
    ])
    func serveStopsOnABadConfiguration(_ name: String, _ original: String, _ replacement: String) throws {
        let path = try Self.write(Self.base.replacingOccurrences(of: original, with: replacement))
        let result = try Command.run(TestPaths.cascadeExecutable, ["serve", "--config", path, "--data-dir", "/tmp/cascade-never-created"])
        #expect(result.status != 0)
        let lines = result.errorOutput.split(separator: "\n")
        #expect(lines.count == 1, "\(name): \(result.errorOutput)")
        #expect(lines.first?.hasPrefix("cascade: \(path): ") == true)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/cascade-never-created"), "nothing is created for a refused configuration")
    }

    @Test func missingConfigurationFileStopsServe() throws {
        let result = try Command.run(TestPaths.cascadeExecutable, ["serve", "--config", "/nonexistent/cascade.yaml"])
        #expect(result.status != 0)
        #expect(result.errorOutput == "cascade: /nonexistent/cascade.yaml: cannot read the file: no such file\n")
    }
}
