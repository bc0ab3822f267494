import CascadeMedia
import Dispatch
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `cascade demo-feed`: the synthetic central feed, run in this process until interrupted.
public enum DemoFeed {
    /// Streams to `output` until SIGINT/SIGTERM (or `duration`), then ends the stream cleanly.
    public static func run(output: String, caption: String, duration: Duration?, logger: Logger) async throws {
        let address = try SRTAddress(parsing: output)
        let pipeline = try Pipeline(recipe: PipelineRecipes.demoFeed(to: address, caption: caption))
        defer { pipeline.close() }
        let (interrupts, interrupt) = AsyncStream.makeStream(of: Void.self)
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { interrupt.yield() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        try pipeline.play()
        logger.info("demo feed streaming to \(address.mode.rawValue) \(address.host.isEmpty ? "*" : address.host):\(address.port)")
        let failure: String? = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                for await event in pipeline.events {
                    if case .error(let element, let message, _) = event { return "\(element): \(message)" }
                }
                return nil
            }
            group.addTask {
                var iterator = interrupts.makeAsyncIterator()
                _ = await iterator.next()
                return nil
            }
            if let duration {
                group.addTask {
                    try? await Task.sleep(for: duration)
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            interrupt.finish()
            return first
        }
        if let failure { throw MediaError(.startFailed, failure) }
        _ = await pipeline.finish(timeout: .seconds(5))
    }
}
