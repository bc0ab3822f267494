import CascadeTestSupport
import Foundation
import Testing

/// Two Cascade servers on two hosts: the central site's root relay normalises the demo source and
/// sends it to the province, whose pass-through hop forwards it to two district hosts without
/// decoding — and shows them a slate of its own while the central site is cut off.
extension RelayCascadeTests {
    static func hopConfiguration(advertisedHost: String, width: Int, height: Int, halls: [(id: String, unit: String)]) -> String {
        """
        relay: {ports: 9000-9010, advertisedHost: \(advertisedHost), width: \(width), height: \(height), framerate: 25, videoKbps: 800, lossAfterMs: 1000}
        \(units(districts: ["d1", "d2"]))
        halls:
        \(halls.map { "  - {id: \($0.id), name: \"Hội trường \($0.id)\", unit: \($0.unit), capacityKbps: 4000, latencyMs: 300, endpoint: {mode: srt-caller, streamId: \($0.id)}}" }.joined(separator: "\n"))
        """
    }

    /// Starts a server on `site` and signs in as its first admin.
    static func server(_ lab: NetworkLab, _ site: String, directory: String, width: Int, height: Int, halls: [(id: String, unit: String)]) async throws -> (ServerProcess, String) {
        let host = lab.addresses[site]!
        let config = "\(directory)/\(site).yaml"
        try hopConfiguration(advertisedHost: host, width: width, height: height, halls: halls).write(toFile: config, atomically: true, encoding: .utf8)
        let server = try ServerProcess(config: config, dataDirectory: "\(directory)/\(site)", namespace: lab.namespaces[site], host: host)
        return (server, try await server.client.login("admin", try #require(server.initialPassword)))
    }

    static func startRelay(_ server: ServerProcess, token: String, _ body: [String: Any]) async throws -> [String: Any] {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let created = try await server.client.send("POST", "/api/v1/relays", token: token, json: json)
        #expect(created.status == 201, "\(created.text)")
        return created.json
    }

    static func source(_ relay: [String: Any]) -> String? { (relay["statistics"] as? [String: Any])?["source"] as? String }

    @Test func aProvinceHopForwardsTheCentralStreamAndShowsItsOwnSlateWhenCutOff() async throws {
        let lab = try NetworkLab(sites: ["central", "province", "d1", "d2"])
        defer { lab.tearDown() }
        let directory = try TestPaths.makeTemporaryDirectory()
        defer {
            _ = try? Command.run("pkill", ["-KILL", "-f", "--", "--socket \(directory)/"])
            try? FileManager.default.removeItem(atPath: directory)
        }
        let (central, centralToken) = try await Self.server(lab, "central", directory: directory, width: 640, height: 360, halls: [("hall-tinh", "tinh")])
        let root = try await Self.startRelay(central, token: centralToken, ["source": "demo:", "halls": ["hall-tinh"], "title": "Hội nghị trực tuyến"])
        let rootId = try #require(root["id"] as? String)
        // The province is a hall of the central relay; its hop calls the central listener with that hall's URL.
        let hopSource = try #require(RelayAPITestsSupport.url(root, "hall-tinh"))

        let (province, provinceToken) = try await Self.server(lab, "province", directory: directory, width: 320, height: 180, halls: [("hall-d1", "d1"), ("hall-d2", "d2")])
        let hop = try await Self.startRelay(province, token: provinceToken, ["source": hopSource, "halls": ["hall-d1", "hall-d2"], "passThrough": true, "title": "Hội nghị trực tuyến"])
        let hopId = try #require(hop["id"] as? String)
        var receivers: [String: HallReceiver] = [:]
        for district in ["d1", "d2"] {
            receivers[district] = HallReceiver(srt: try #require(RelayAPITestsSupport.url(hop, "hall-\(district)")), path: "\(directory)/\(district).ts", namespace: lab.namespaces[district])
            try receivers[district]!.start()
        }
        defer { receivers.values.forEach { $0.stop() } }
        let connected = try await RelayAPITestsSupport.waitFor(province.client, hopId, token: provinceToken, timeout: .seconds(30)) { relay in
            ["hall-d1", "hall-d2"].allSatisfy { RelayAPITestsSupport.isConnected(relay, $0) } && Self.source(relay) == "live"
        }
        #expect(Self.source(connected) == "live", "\(connected)")
        try await Task.sleep(for: .seconds(6))

        // The central site is cut off for five seconds.
        try lab.setLink(of: "central", up: false)
        let lost = try await RelayAPITestsSupport.waitFor(province.client, hopId, token: provinceToken, timeout: .seconds(30)) { Self.source($0) == "lost" }
        #expect(Self.source(lost) == "lost")
        try await Task.sleep(for: .seconds(4))
        try lab.setLink(of: "central", up: true)
        let back = try await RelayAPITestsSupport.waitFor(province.client, hopId, token: provinceToken, timeout: .seconds(20)) { Self.source($0) == "live" }
        #expect(Self.source(back) == "live")
        #expect(["hall-d1", "hall-d2"].allSatisfy { RelayAPITestsSupport.isConnected(back, $0) }, "the districts stay connected to the province")
        try await Task.sleep(for: .seconds(6))

        receivers.values.forEach { $0.stop() }
        #expect(try await province.client.send("DELETE", "/api/v1/relays/\(hopId)", token: provinceToken).status == 200)
        #expect(try await central.client.send("DELETE", "/api/v1/relays/\(rootId)", token: centralToken).status == 200)
        #expect(province.terminate() == 0)
        #expect(central.terminate() == 0)

        for (district, receiver) in receivers.sorted(by: { $0.key < $1.key }) {
            let frames = try MediaProbe.decodedFrames(receiver.path)
            #expect((frames["h264"] ?? 0) > 400 && (frames["aac"] ?? 0) > 400, "\(district): \(frames)")
            let continuity = MediaProbe.continuity(try MediaProbe.videoFrameTimes(receiver.path))
            #expect(continuity.isMonotonic && continuity.largestStep < 2, "\(district): \(continuity)")
            // The central pictures are 640×360; the province's own slate is 320×180 (it never decodes).
            let sizes = try MediaProbe.frameSizes(receiver.path)
            let firstLive = sizes.firstIndex(of: "640x360") ?? sizes.count
            let slate = sizes[firstLive...].firstIndex(of: "320x180") ?? sizes.count
            let slateEnd = sizes[slate...].firstIndex(of: "640x360") ?? sizes.count
            #expect(slateEnd - slate >= 75, "\(district): ≥ 3 s of the province's slate between central pictures, got frames \(slate)–\(slateEnd) of \(sizes.count)")
            #expect(slateEnd < sizes.count - 75, "\(district): central pictures again at the end")
        }
    }
}
