import CGStreamer
import Foundation
import Synchronization

/// Reads a pipeline's bus on a dedicated thread and yields typed events.
///
/// A dedicated thread, not a task: a task blocked in `gst_bus_timed_pop` would hold one of the
/// cooperative pool's few threads (two on a 2-core machine) and starve the rest of the process.
final class BusReader: Sendable {
    nonisolated(unsafe) private let pipeline: UnsafeMutablePointer<GstElement>
    private let continuation: AsyncStream<PipelineEvent>.Continuation
    private let isStopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let observed: @Sendable (PipelineEvent) -> Void

    /// Starts reading; `observed` sees each event first (on the bus thread), then the stream gets it.
    init(
        pipeline: UnsafeMutablePointer<GstElement>,
        continuation: AsyncStream<PipelineEvent>.Continuation,
        observed: @escaping @Sendable (PipelineEvent) -> Void
    ) {
        self.pipeline = pipeline
        self.continuation = continuation
        self.observed = observed
        let thread = Thread { [self] in readUntilStopped() }
        thread.name = "cascade-bus"
        thread.start()
    }

    /// Stops the thread and waits for it to finish; the event stream ends.
    func stop() {
        if isStopping.exchange(true, ordering: .acquiringAndReleasing) { return }
        finished.wait()
    }

    private func readUntilStopped() {
        let bus = gst_element_get_bus(pipeline)
        while !isStopping.load(ordering: .acquiring) {
            guard let message = cascade_bus_pop(bus, 100) else { continue }
            if let event = Self.event(from: message, pipeline: pipeline) {
                observed(event)
                continuation.yield(event)
            }
            gst_message_unref(message)
        }
        gst_object_unref(bus)
        continuation.finish()
        finished.signal()
    }

    private static func event(from message: UnsafeMutablePointer<GstMessage>, pipeline: UnsafeMutablePointer<GstElement>) -> PipelineEvent? {
        let source = String(cString: cascade_message_source_name(message))
        switch Int(cascade_message_type(message)) {
        case CASCADE_MESSAGE_EOS:
            return .endOfStream
        case CASCADE_MESSAGE_ERROR:
            let (text, debug) = parseProblem(message, parse: gst_message_parse_error)
            return .error(element: source, message: text, debug: debug)
        case CASCADE_MESSAGE_WARNING:
            let (text, debug) = parseProblem(message, parse: gst_message_parse_warning)
            return .warning(element: source, message: text, debug: debug)
        case CASCADE_MESSAGE_STATE_CHANGED:
            guard cascade_message_is_from(message, pipeline) != 0 else { return nil }
            var old = GST_STATE_VOID_PENDING, new = GST_STATE_VOID_PENDING, pending = GST_STATE_VOID_PENDING
            gst_message_parse_state_changed(message, &old, &new, &pending)
            return .stateChanged(from: String(cString: gst_element_state_get_name(old)), to: String(cString: gst_element_state_get_name(new)))
        case CASCADE_MESSAGE_ELEMENT:
            var peak = 0.0
            if cascade_level_peak(message, &peak) == 1 { return .audioLevel(peakDecibels: peak) }
            if let part = partMessage(message) { return part }
            var name: UnsafePointer<CChar>?
            guard let fields = cascade_message_structure_string(message, &name) else { return nil }
            defer { g_free(fields) }
            return .element(source: source, name: name.map { String(cString: $0) } ?? "", fields: String(cString: fields))
        default:
            return nil
        }
    }

    /// splitmuxsink's `splitmuxsink-fragment-opened` / `-closed`, read from the message's fields.
    private static func partMessage(_ message: UnsafeMutablePointer<GstMessage>) -> PipelineEvent? {
        guard let structure = gst_message_get_structure(message), let name = gst_structure_get_name(structure) else { return nil }
        let kind = String(cString: name)
        guard kind == "splitmuxsink-fragment-opened" || kind == "splitmuxsink-fragment-closed",
              let location = gst_structure_get_string(structure, "location") else { return nil }
        let path = String(cString: location)
        return kind.hasSuffix("opened") ? .partOpened(path: path) : .partClosed(path: path)
    }

    private static func parseProblem(
        _ message: UnsafeMutablePointer<GstMessage>,
        parse: (UnsafeMutablePointer<GstMessage>?, UnsafeMutablePointer<UnsafeMutablePointer<GError>?>?, UnsafeMutablePointer<UnsafeMutablePointer<gchar>?>?) -> Void
    ) -> (String, String) {
        var error: UnsafeMutablePointer<GError>?
        var debug: UnsafeMutablePointer<gchar>?
        parse(message, &error, &debug)
        let text = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown error"
        let details = debug.map { String(cString: $0) } ?? ""
        if let error { g_error_free(error) }
        g_free(debug)
        return (text, details)
    }
}
