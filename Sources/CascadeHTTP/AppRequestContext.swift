import CascadeCore
import Hummingbird

/// The request context of every Cascade route: Hummingbird's core storage plus the authenticated user.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Set by ``BearerAuthMiddleware`` on every `/api/v1` request.
    public var principal: Principal?
    /// The token the request was signed in with (bearer or session cookie).
    public var presentedToken: String?
    /// The address the connection comes from (a reverse proxy's, when there is one).
    public let peerAddress: String?
    /// The client's IP address, for throttling sign-in attempts and the audit log: the peer, or the
    /// client a trusted proxy names (``ClientAddressMiddleware``).
    public var clientAddress: String?

    /// Creates a context for a new request.
    public init(source: Source) {
        coreContext = .init(source: source)
        principal = nil
        presentedToken = nil
        peerAddress = source.channel.remoteAddress?.ipAddress
        clientAddress = peerAddress
    }

    /// The authenticated user; only `/api/v1` routes may call this.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw Problem.unauthorized("a bearer token is required") }
        return principal
    }
}
