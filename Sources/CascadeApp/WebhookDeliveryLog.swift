import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The database as the webhook dispatcher's delivery log.
struct WebhookDeliveryLog: WebhookLog {
    let database: AppDatabase

    func queueWebhookDelivery(event: String, url: String, body: String, at time: Date) throws -> Int64 {
        try database.queueWebhookDelivery(event: event, url: url, body: body, at: time)
    }

    func updateWebhookDelivery(_ id: Int64, state: WebhookDelivery.State, attempts: Int, responseStatus: Int?, error: String?, at time: Date) throws {
        try database.updateWebhookDelivery(id, state: state.rawValue, attempts: attempts, responseStatus: responseStatus, error: error, at: time)
    }
}

/// Posts webhook bodies with Foundation's URL session.
struct URLSessionWebhookTransport: WebhookTransport {
    func post(_ body: Data, to url: String, headers: [String: String], timeout: Duration) async throws -> Int {
        guard let address = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: address, timeoutInterval: Double(timeout.components.seconds))
        request.httpMethod = "POST"
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
