import CascadeCore
import Foundation

/// The parts of `server:` that say who the clients are and how many connections they may hold.
extension ConfigurationLoader {
    static let serverKeys: Set<String> = [
        "http", "dataDir", "zone", "tokenDays", "signInHours", "secureCookie",
        "trustedProxies", "forwardedHeader", "idleSeconds", "maxConnections", "eventStreamsPerUser",
    ]

    /// `server.trustedProxies` (addresses or CIDR blocks) and `server.forwardedHeader`.
    static func trustedProxies(_ server: Section) throws(ConfigurationError) -> TrustedProxies {
        var networks: [TrustedProxies.Network] = []
        for entry in try server.strings("trustedProxies") {
            guard let network = TrustedProxies.Network(entry) else {
                throw server.error("trustedProxies", "\"\(entry)\" is not an IP address or a CIDR block such as 10.0.0.0/8")
            }
            networks.append(network)
        }
        let headerName = try server.string("forwardedHeader") ?? TrustedProxies.Header.xForwardedFor.rawValue
        guard let header = TrustedProxies.Header(rawValue: headerName.lowercased()) else {
            let known = TrustedProxies.Header.allCases.map(\.rawValue).joined(separator: " or ")
            throw server.error("forwardedHeader", "\"\(headerName)\" is not \(known)")
        }
        return TrustedProxies(networks, header: header)
    }

    /// `server.idleSeconds`, `server.maxConnections`, `server.eventStreamsPerUser`.
    static func connectionLimits(_ server: Section) throws(ConfigurationError) -> ConnectionLimits {
        var limits = ConnectionLimits()
        if let seconds = try server.int("idleSeconds", in: 1...3_600) { limits.idleSeconds = seconds }
        if let count = try server.int("maxConnections", in: 16...1_000_000) { limits.maxConnections = count }
        if let count = try server.int("eventStreamsPerUser", in: 1...100) { limits.eventStreamsPerUser = count }
        return limits
    }
}
