import CascadeCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle

/// Where deliveries are logged: the database, wired by the composition root.
public protocol WebhookLog: Sendable {
    /// Logs a new delivery; returns its id.
    func queueWebhookDelivery(event: String, url: String, body: String, at time: Date) throws -> Int64
    /// Records an attempt's result.
    func updateWebhookDelivery(_ id: Int64, state: WebhookDelivery.State, attempts: Int, responseStatus: Int?, error: String?, at time: Date) throws
}

/// Posts a body to an address; returns the HTTP status or throws when nothing answered.
public protocol WebhookTransport: Sendable {
    /// Posts `body` with `headers` to `url`, giving up after `timeout`.
    func post(_ body: Data, to url: String, headers: [String: String], timeout: Duration) async throws -> Int
}

/// Tells the office's other systems (a duty phone gateway, an e-cabinet system) of meeting
/// transitions and alarms: a JSON body signed with HMAC-SHA256, retried with backoff, every
/// attempt logged. Each delivery runs on its own, so a dead endpoint never slows the scheduler
/// or the other addresses.
public actor WebhookDispatcher: Service {
    /// An address and the events it wants.
    public struct Target: Sendable {
        /// The address.
        public var url: String
        /// Event kinds wanted (`meeting.live`, `meeting.alarm`, …); empty means all.
        public var events: Set<String>
        /// The signing key.
        public var secret: String

        /// Creates a target.
        public init(url: String, events: Set<String>, secret: String) {
            self.url = url
            self.events = events
            self.secret = secret
        }
    }

    /// Waits before each retry; a delivery is given up after the last.
    public var retryBackoff: [TimeInterval] = [10, 30, 120, 600, 1800]

    private let targets: [Target]
    private let source: MeetingScheduler
    private let log: any WebhookLog
    private let transport: any WebhookTransport
    private let clock: any WallClock
    private let logger: Logger

    /// Creates the dispatcher for the scheduler's events.
    public init(targets: [Target], source: MeetingScheduler, log: any WebhookLog, transport: any WebhookTransport, clock: any WallClock, logger: Logger) {
        self.targets = targets
        self.source = source
        self.log = log
        self.transport = transport
        self.clock = clock
        self.logger = logger
    }

    /// Sets the retry waits (tests shorten them).
    public func setRetryBackoff(_ waits: [TimeInterval]) { retryBackoff = waits }

    /// Follows the scheduler's events until shutdown, delivering each to the targets that want it.
    public func run() async throws {
        let events = await source.events()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await event in events {
                    for (target, body, kind) in deliveries(of: event) {
                        group.addTask { await self.deliver(body, kind: kind, to: target) }
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {}
    }

    /// The event kind a run event is sent as: `meeting.<state>` or `meeting.alarm`.
    public static func kind(of event: MeetingRunEvent) -> String {
        event.kind == "meeting-alarm" ? "meeting.alarm" : "meeting.\(event.state.rawValue)"
    }

    /// The `Cascade-Signature` header: `t=<unix time>,sha256=<hex>`, the HMAC-SHA256 of `<unix time>.<body>`:
    /// a receiver checks the key and refuses deliveries too old to be anything but a replay.
    public static func signature(of body: Data, timestamp: Int, secret: String) -> String {
        "t=\(timestamp),sha256=" + SHA256.hmacHex(key: secret, message: "\(timestamp)." + String(decoding: body, as: UTF8.self))
    }

    /// An address as logged and stored: scheme, host, port and path; credentials and query (where
    /// a receiver's token may sit) left out.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unparsable URL)" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "(unparsable URL)"
    }

    private func deliveries(of event: MeetingRunEvent) -> [(Target, Data, String)] {
        let kind = Self.kind(of: event)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        guard let body = try? encoder.encode(WebhookBody(event: kind, run: event)) else { return [] }
        return targets.filter { $0.events.isEmpty || $0.events.contains(kind) }.map { ($0, body, kind) }
    }

    private func deliver(_ body: Data, kind: String, to target: Target) async {
        let id: Int64
        do {
            id = try log.queueWebhookDelivery(event: kind, url: Self.redacted(target.url), body: String(decoding: body, as: UTF8.self), at: clock.now)
        } catch {
            logger.error("webhook delivery could not be logged", metadata: ["error": "\(error)"])
            return
        }
        var attempt = 0
        while true {
            attempt += 1
            let headers = ["Content-Type": "application/json", "Cascade-Event": kind, "Cascade-Delivery": "\(id)",
                           "Cascade-Signature": Self.signature(of: body, timestamp: Int(clock.now.timeIntervalSince1970), secret: target.secret)]
            var status: Int?
            var failure: String?
            do {
                status = try await transport.post(body, to: target.url, headers: headers, timeout: .seconds(10))
                if let code = status, !(200..<300).contains(code) { failure = "HTTP \(code)" }
            } catch let error as URLError {
                failure = "no answer (\(error.code.rawValue))"  // the error's text carries the full URL
            } catch {
                failure = "no answer"
            }
            let isLast = attempt > retryBackoff.count
            let state: WebhookDelivery.State = failure == nil ? .delivered : isLast ? .failed : .pending
            try? log.updateWebhookDelivery(id, state: state, attempts: attempt, responseStatus: status, error: failure, at: clock.now)
            guard state == .pending else {
                if state == .failed { logger.warning("webhook given up", metadata: ["url": "\(Self.redacted(target.url))", "error": "\(failure ?? "")"]) }
                return
            }
            do {
                try await clock.sleep(for: .milliseconds(Int64(retryBackoff[attempt - 1] * 1000)))
            } catch {
                return
            }
        }
    }
}

/// What a webhook receives.
struct WebhookBody: Encodable {
    /// `meeting.live`, `meeting.alarm`, …
    var event: String
    /// The transition or alarm.
    var run: MeetingRunEvent
}
