import CascadeCore
import Testing

/// No source may be a hall's output or a relay's port; a unit-limited caller names no address at all.
@Suite struct SourceAddressRulesTests {
    static let halls = [
        Hall(id: "hall-tuy-duc", name: "Tuy Đức", unitId: "tuy-duc", endpoint: .udpMulticast(group: "239.10.8.1", port: 5004), capacityKbps: 3000, latencyMs: 500),
        Hall(id: "hall-cu-jut", name: "Cư Jút", unitId: "cu-jut", endpoint: .srtCaller(streamId: "hall-cu-jut"), capacityKbps: 3000, latencyMs: 500),
    ]
    static let feeds = FeedCatalogue(feeds: [Feed(id: "tw", name: "Trung ương", uri: "srt://10.0.0.1:9000?mode=caller", backupURI: "udp://239.1.1.1:6000")])
    static let wholeTree = Principal(userId: 1, name: "kt", role: .technician, scopeUnitId: nil)
    static let district = Principal(userId: 2, name: "kt-cu-jut", role: .technician, scopeUnitId: "cu-jut")

    static func refusal(_ source: SourceAddressRules.Source, _ uri: String, _ principal: Principal) -> SourceAddressRules.Refusal? {
        SourceAddressRules.refusal(source, uri: uri, principal: principal, halls: halls, feeds: feeds, relayPorts: 9000...9099)
    }

    @Test func hallOutputsAndRelayPortsAreNobodysSource() {
        for principal in [Self.wholeTree, Self.district] {
            if case .reserved? = Self.refusal(.datagram(host: "239.10.8.1", port: 5004), "udp://239.10.8.1:5004", principal) {} else { Issue.record("the hall's group") }
            if case .reserved? = Self.refusal(.datagram(host: "0.0.0.0", port: 5004), "udp://:5004", principal) {} else { Issue.record("the hall's port on any address") }
            if case .reserved? = Self.refusal(.datagram(host: "0.0.0.0", port: 9001), "udp://:9001", principal) {} else { Issue.record("a relay's SRT port") }
            if case .reserved? = Self.refusal(.srtListener(port: 9002), "srt://:9002?mode=listener", principal) {} else { Issue.record("an SRT listener on a relay's port") }
        }
        #expect(Self.refusal(.datagram(host: "239.20.0.1", port: 5004), "udp://239.20.0.1:5004", Self.wholeTree) == nil, "another group on the same port is fine")
        #expect(Self.refusal(.datagram(host: "239.1.1.9", port: 7000), "rtp://239.1.1.9:7000", Self.wholeTree) == nil)
    }

    @Test func aUnitLimitedCallerNamesConfiguredFeedsOrTheDemoOnly() {
        if case .outOfScope? = Self.refusal(.datagram(host: "239.1.1.9", port: 7000), "udp://239.1.1.9:7000", Self.district) {} else { Issue.record("a typed group") }
        if case .outOfScope? = Self.refusal(.other, "srt://10.9.9.9:9000", Self.district) {} else { Issue.record("a typed SRT address") }
        #expect(Self.refusal(.demo, "demo:", Self.district) == nil)
        #expect(Self.refusal(.other, "srt://10.0.0.1:9000?mode=caller", Self.district) == nil, "a configured feed's address")
        #expect(Self.refusal(.datagram(host: "239.1.1.1", port: 6000), "udp://239.1.1.1:6000", Self.district) == nil, "a configured backup")
        #expect(Self.refusal(.other, "srt://10.9.9.9:9000", Self.wholeTree) == nil, "a whole-tree technician may type an address")
    }
}
