import Foundation

/// One delivery of one event to one address, as kept in the delivery log.
public struct WebhookDelivery: Sendable, Codable, Equatable {
    /// `pending`, `delivered` or `failed` (every retry used).
    public enum State: String, Sendable, Codable { case pending, delivered, failed }
    /// Its id in the log.
    public var id: Int64
    /// The event kind, e.g. `meeting.live`.
    public var event: String
    /// The address.
    public var url: String
    /// The state.
    public var state: State
    /// Attempts made.
    public var attempts: Int
    /// The last HTTP status received.
    public var responseStatus: Int?
    /// The last failure.
    public var lastError: String?
    /// When the event was queued.
    public var createdAt: Date
    /// When it was delivered or given up.
    public var finishedAt: Date?

    /// Creates a delivery.
    public init(id: Int64, event: String, url: String, state: State, attempts: Int, responseStatus: Int?, lastError: String?, createdAt: Date, finishedAt: Date?) {
        self.id = id
        self.event = event
        self.url = url
        self.state = state
        self.attempts = attempts
        self.responseStatus = responseStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}
