import CascadeCore
import CascadeEngine
import Foundation
import Logging
import Synchronization
import Testing

/// Webhooks on a manual clock: signed bodies, retries with backoff, a dead endpoint that never holds
/// up the others, every attempt logged.
@Suite struct WebhookDispatcherTests {
    @Test func signedRetriedLoggedAndADeadEndpointHoldsNobodyUp() async throws {
        let clock = ManualWallClock()
        let store = MemoryRunStore()
        let t0 = clock.now.addingTimeInterval(60)
        store.put(ScheduledMeeting(
            id: "m1", title: "Giao ban", booking: .init(rehearsalStart: t0 - 60, start: t0, end: t0 + 600, receivingHalls: ["a"], isRecorded: false),
            feed: .success(Feed(id: "demo", name: "Demo", uri: "demo:")), measurableHalls: []
        ))
        let scheduler = MeetingScheduler(store: store, media: FakeMedia(), clock: clock, settings: .init(owner: "here"), logger: Logger(label: "test"))
        let transport = FakeTransport(failuresBeforeSuccess: ["https://phone/": 2, "https://dead/": 99])
        let log = MemoryWebhookLog()
        let dispatcher = WebhookDispatcher(
            targets: [.init(url: "https://phone/", events: ["meeting.rehearsal"], secret: "0123456789abcdef"),
                      .init(url: "https://dead/", events: [], secret: "fedcba9876543210")],
            source: scheduler, log: log, transport: transport, clock: clock, logger: Logger(label: "test")
        )
        await dispatcher.setRetryBackoff([10, 30])
        let running = Task { try await dispatcher.run() }
        defer { running.cancel() }
        try await waitUntil { await scheduler.listenerCount > 0 }
        await scheduler.tick()  // rehearsal, and alarms (no hall confirmed): the phone wants only the rehearsal
        let phonePosts = { transport.posts.filter { $0.url == "https://phone/" }.count }
        try await waitUntil { phonePosts() == 1 && transport.posts.count >= 2 }
        let first = try #require(transport.posts.first { $0.url == "https://phone/" })
        let signature = try #require(first.headers["Cascade-Signature"])
        let stamp = try #require(Int(signature.dropFirst(2).prefix { $0 != "," }))
        #expect(signature == "t=\(stamp),sha256=" + SHA256.hmacHex(key: "0123456789abcdef", message: "\(stamp)." + String(decoding: first.body, as: UTF8.self)))
        #expect(WebhookDispatcher.redacted("https://user:pw@duty.example:8443/hook?token=abc") == "https://duty.example:8443/hook")
        #expect(first.headers["Cascade-Event"] == "meeting.rehearsal")
        let json = try #require(try JSONSerialization.jsonObject(with: first.body) as? [String: Any])
        #expect(json["event"] as? String == "meeting.rehearsal")
        #expect((json["run"] as? [String: Any])?["meetingId"] as? String == "m1")
        // Retries wait on the clock: 10 s, then 30 s.
        clock.advance(by: 10)
        try await waitUntil { phonePosts() == 2 }
        clock.advance(by: 30)
        try await waitUntil { log.states["https://phone/"] == .delivered && log.states["https://dead/"] == .failed }
        #expect(log.attempts["https://phone/"] == 3)
        #expect(log.attempts["https://dead/"] == 3)
        #expect(Set(transport.posts.filter { $0.url == "https://dead/" }.compactMap { $0.headers["Cascade-Event"] }) == ["meeting.rehearsal", "meeting.alarm"])
    }

    private func waitUntil(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while await !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

final class FakeTransport: WebhookTransport {
    struct Post { var url: String; var body: Data; var headers: [String: String] }
    private let state: Mutex<(posts: [Post], failures: [String: Int])>
    init(failuresBeforeSuccess: [String: Int]) { state = Mutex(([], failuresBeforeSuccess)) }
    var posts: [Post] { state.withLock { $0.posts } }

    func post(_ body: Data, to url: String, headers: [String: String], timeout: Duration) async throws -> Int {
        try state.withLock {
            $0.posts.append(Post(url: url, body: body, headers: headers))
            guard ($0.failures[url] ?? 0) > 0 else { return 204 }
            $0.failures[url]! -= 1
            if url.contains("dead") { throw URLError(.cannotConnectToHost) }
            return 502
        }
    }
}

final class MemoryWebhookLog: WebhookLog {
    private let state = Mutex<(urls: [Int64: String], states: [String: WebhookDelivery.State], attempts: [String: Int])>(([:], [:], [:]))
    var states: [String: WebhookDelivery.State] { state.withLock { $0.states } }
    var attempts: [String: Int] { state.withLock { $0.attempts } }

    func queueWebhookDelivery(event: String, url: String, body: String, at time: Date) throws -> Int64 {
        state.withLock {
            let id = Int64($0.urls.count + 1)
            $0.urls[id] = url
            return id
        }
    }

    func updateWebhookDelivery(_ id: Int64, state delivery: WebhookDelivery.State, attempts: Int, responseStatus: Int?, error: String?, at time: Date) throws {
        state.withLock {
            guard let url = $0.urls[id] else { return }
            $0.states[url] = delivery
            $0.attempts[url] = attempts
        }
    }
}
