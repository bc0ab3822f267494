import CascadeCore
import Testing

/// The client's address behind reverse proxies: believed only from a trusted proxy, and only up to
/// the rightmost hop that is not one.
@Suite struct TrustedProxiesTests {
    static let proxies = TrustedProxies(["10.0.0.0/8", "192.0.2.10", "2001:db8:1::/48"].map { TrustedProxies.Network($0)! })

    @Test("client address", arguments: [
        // (peer, X-Forwarded-For values, client)
        ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),                       // not a proxy: the header is anybody's
        ("192.0.2.10", [], "192.0.2.10"),                                        // a proxy that names nobody
        ("192.0.2.10", ["198.51.100.1"], "198.51.100.1"),                        // the usual case
        ("192.0.2.10", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),               // a forged entry left of the real one
        ("192.0.2.10", ["6.6.6.6, 198.51.100.1, 10.1.2.3"], "198.51.100.1"),     // two proxies in a row
        ("192.0.2.10", ["6.6.6.6", "198.51.100.1"], "198.51.100.1"),             // the header sent twice
        ("192.0.2.10", ["garbage, 198.51.100.1"], "198.51.100.1"),
        ("192.0.2.10", ["198.51.100.1, garbage"], "192.0.2.10"),                 // garbled where it matters: the proxy itself
        ("192.0.2.10", ["10.9.9.9, 10.1.1.1"], "10.9.9.9"),                      // only proxies: the leftmost
        ("::ffff:192.0.2.10", ["198.51.100.1:5555"], "198.51.100.1"),            // v4 through a v6 socket, a port on the hop
        ("2001:db8:1::5", ["[2001:db8:2::9]:443"], "2001:db8:2::9"),
    ])
    func clientAddress(peer: String, forwarded: [String], client: String) {
        #expect(Self.proxies.clientAddress(peer: peer, headerValues: forwarded) == client)
    }

    @Test func forwardedHeaderOfRFC7239() {
        let proxies = TrustedProxies([TrustedProxies.Network("192.0.2.10")!], header: .forwarded)
        #expect(proxies.clientAddress(peer: "192.0.2.10", headerValues: [#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https"#]) == "2001:db8:cafe::17")
        #expect(proxies.clientAddress(peer: "192.0.2.10", headerValues: ["for=198.51.100.4;proto=http;by=192.0.2.10"]) == "198.51.100.4")
        #expect(proxies.clientAddress(peer: "192.0.2.10", headerValues: ["for=unknown"]) == "192.0.2.10")
    }

    @Test("network", arguments: ["10.0.0.0/33", "10.0.0", "example.org", "::1/129", "10.0.0.0/x", ""])
    func badNetworksAreRefused(text: String) {
        #expect(TrustedProxies.Network(text) == nil)
    }

    @Test func networksMatchTheirPrefixOnly() {
        let block = TrustedProxies([TrustedProxies.Network("172.16.0.0/12")!])
        #expect(block.isTrusted("172.31.255.1"))
        #expect(!block.isTrusted("172.32.0.1"))
        #expect(!block.isTrusted("::1"))
        #expect(TrustedProxies.Network("172.16.0.0/12")!.description == "172.16.0.0/12")
        #expect(!TrustedProxies().isTrusted("127.0.0.1"), "nobody is trusted unless configured")
    }
}
