import CascadeCore
import HTTPTypes
import Hummingbird

/// Puts the real client's address in the request context: the connection's peer, or behind a
/// trusted reverse proxy (`server.trustedProxies`) the client that proxy names. Throttles, the audit
/// log and the logs all read it from there.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let trustedProxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let peer = context.peerAddress, !trustedProxies.networks.isEmpty {
            let name = HTTPField.Name(trustedProxies.header.rawValue)!
            context.clientAddress = trustedProxies.clientAddress(peer: peer, headerValues: request.headers[values: name])
        }
        if let client = context.clientAddress { context.logger[metadataKey: "client.address"] = .string(client) }
        return try await next(request, context)
    }
}
