import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The reverse proxies (`server.trustedProxies`) whose word on the client's address is taken.
///
/// Behind a proxy every connection comes from the proxy's address, so a throttle by address would
/// lock the whole office out together. The proxy names the client in `X-Forwarded-For` (or
/// `Forwarded`), but anybody can send that header: it is believed only when the connection itself
/// comes from a trusted proxy, and then only up to the rightmost address that is not a trusted proxy
/// (each proxy appends the address it saw; what lies left of the first untrusted hop was written by
/// the client and proves nothing).
public struct TrustedProxies: Sendable, Equatable {
    /// Which header the proxies write.
    public enum Header: String, Sendable, CaseIterable {
        /// `X-Forwarded-For: client, proxy1` (nginx's `$proxy_add_x_forwarded_for`, most proxies).
        case xForwardedFor = "x-forwarded-for"
        /// RFC 7239 `Forwarded: for=client, for="[2001:db8::1]:4711"`.
        case forwarded
    }

    /// An address block: the first `prefixLength` bits of `bytes`.
    public struct Network: Sendable, Equatable, CustomStringConvertible {
        /// 4 bytes (IPv4) or 16 (IPv6).
        public var bytes: [UInt8]
        /// Bits that must match.
        public var prefixLength: Int

        /// `203.0.113.0/24`, `10.0.0.1`, `2001:db8::/32`; `nil` when it is neither.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = TrustedProxies.addressBytes(String(parts[0])) else { return nil }
            let bits = bytes.count * 8
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
                prefixLength = length
            } else {
                prefixLength = bits
            }
            self.bytes = bytes
        }

        /// Whether `address` (bytes of the same family) lies inside the block.
        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for (ours, theirs) in zip(bytes, address) where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
                if ours & mask != theirs & mask { return false }
                remaining -= 8
            }
            return true
        }

        /// As written in the configuration.
        public var description: String {
            let family = bytes.count == 4 ? AF_INET : AF_INET6
            var text = [CChar](repeating: 0, count: 64)
            _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/\(prefixLength)"
        }
    }

    /// The trusted blocks; empty trusts nobody (every header ignored).
    public var networks: [Network]
    /// The header those proxies write.
    public var header: Header

    /// Trusts nobody.
    public init() {
        networks = []
        header = .xForwardedFor
    }

    /// Trusts `networks`, reading `header`.
    public init(_ networks: [Network], header: Header = .xForwardedFor) {
        self.networks = networks
        self.header = header
    }

    /// Whether a connection from `address` is one of the trusted proxies.
    public func isTrusted(_ address: String) -> Bool {
        guard let bytes = Self.addressBytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client's address for a connection from `peer` carrying `headerValues` (every value of the
    /// configured header, in the order received): the peer itself unless it is a trusted proxy; else,
    /// walking the forwarded chain from the right, the first address that is not a trusted proxy. A
    /// chain that is garbled where it matters, or made only of proxies, leaves the last good hop.
    public func clientAddress(peer: String, headerValues: [String]) -> String {
        guard isTrusted(peer) else { return peer }
        let hops = headerValues.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard let address = header == .forwarded ? Self.forwardedFor(hop) : Self.plainAddress(hop) else { return client }
            client = address
            if !isTrusted(address) { return address }
        }
        return client
    }

    /// The `for=` of one RFC 7239 element: `for=192.0.2.60;proto=http`, `for="[2001:db8:cafe::17]:4711"`.
    static func forwardedFor(_ element: String) -> String? {
        for pair in element.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { continue }
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return plainAddress(value)
        }
        return nil
    }

    /// An address as proxies write it, with a port or IPv6 brackets taken off; `nil` when it is not an
    /// address (`unknown`, an obfuscated name, garbage).
    static func plainAddress(_ text: String) -> String? {
        var value = Substring(text)
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            value = value[value.index(after: value.startIndex)..<close]
        } else if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") {
            value = value[..<colon]
        }
        let address = String(value)
        return addressBytes(address) == nil ? nil : address
    }

    /// The address's bytes (4 or 16), or `nil` when it is not a numeric IPv4 or IPv6 address.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is that IPv4 client.
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
            return bytes
        }
        return nil
    }
}
