import CascadeCore
import Foundation

extension HTTPDependencies {
    /// Refuses (403 for a unit-limited caller, 422 for an address no one may name) a typed source
    /// address the caller may not use; see ``SourceAddressRules``. A URI that is not one at all is
    /// left to the engine, which names what is wrong with it.
    func checkSourceAddress(_ uri: String, for principal: Principal) throws {
        let trimmed = uri.trimmingCharacters(in: .whitespaces)
        let source: SourceAddressRules.Source
        if trimmed == "demo:" || trimmed == "demo://" {
            source = .demo
        } else if let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(), scheme == "udp" || scheme == "rtp",
                  let port = components.port {
            source = .datagram(host: components.host.map { $0.isEmpty ? "0.0.0.0" : $0 } ?? "0.0.0.0", port: port)
        } else if let components = URLComponents(string: trimmed), components.scheme?.lowercased() == "srt", let port = components.port,
                  (components.host ?? "").isEmpty || components.queryItems?.contains(where: { $0.name == "mode" && $0.value == "listener" }) == true {
            source = .srtListener(port: port)
        } else {
            source = .other
        }
        switch SourceAddressRules.refusal(source, uri: trimmed, principal: principal, halls: policy.tree.halls, feeds: feeds, relayPorts: relayPorts) {
        case nil: return
        case .reserved(let reason)?: throw Problem.unprocessable(reason, field: "source")
        case .outOfScope(let reason)?: throw Problem.forbidden(reason)
        }
    }
}

extension HTTPDependencies {
    /// Refuses (403) a confidential meeting's minutes and delegates to those who may not read them
    /// (``AccessPolicy/mayReadRecords(of:_:confidentialRoles:)``).
    func requireRecordsAccess(_ meeting: Meeting, _ principal: Principal) throws {
        guard policy.mayReadRecords(of: meeting, principal, confidentialRoles: confidentialMediaRoles) else {
            let roles = confidentialMediaRoles.map(\.rawValue).sorted().joined(separator: ", ")
            throw Problem.forbidden("meeting \(meeting.id) is confidential: its minutes and delegates are for \(roles) and its organiser's secretariat")
        }
    }
}
