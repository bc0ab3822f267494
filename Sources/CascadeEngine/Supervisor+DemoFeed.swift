import CascadeMedia
import Foundation

extension Supervisor {
    /// Starts the synthetic central feed (test pattern, clock, caption, tone) in a worker of its own,
    /// sending to the SRT address `output`; the caption is set on its element, never parsed. Returns the
    /// worker and where it sends, without secrets (e.g. "caller port 9000").
    public func startDemoFeed(to output: String, caption: String) async throws(EngineError) -> (worker: WorkerSnapshot, destination: String) {
        let address: SRTAddress
        do {
            address = try SRTAddress(parsing: output)
        } catch {
            throw EngineError(.invalidAddress, error.message)
        }
        let spec = WorkerSpec(
            id: "demo-feed-\(UUID().uuidString.prefix(8).lowercased())",
            purpose: "demo-feed",
            pipeline: PipelineRecipes.demoFeed(to: address, caption: caption),
            probes: [StatisticsProbe(element: "sink", property: "stats")],
            statisticsInterval: .seconds(1)
        )
        return (try await start(spec), "\(address.mode.rawValue) port \(address.port)")
    }
}
