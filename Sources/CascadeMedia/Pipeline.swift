import CGStreamer
import Synchronization

/// A GStreamer pipeline built from a description, with its bus read on a dedicated thread.
///
/// Owns exactly one reference to the pipeline element and releases it in ``close()``
/// (or on deinit), after bringing the pipeline to NULL so every element frees its resources.
public final class Pipeline: Sendable {
    nonisolated(unsafe) private let element: UnsafeMutablePointer<GstElement>
    private let busReader: BusReader
    private let progress = ProgressRecord()
    /// Every bus event, in order; the stream ends when the pipeline is closed.
    public let events: AsyncStream<PipelineEvent>

    /// What the bus thread has seen, shared with callers.
    private final class ProgressRecord: Sendable {
        struct Progress {
            var reachedEndOfStream = false
            var firstError: String?
            var isClosed = false
            var isPlaying = false
            var audioPeak: (decibels: Double, at: ContinuousClock.Instant)?
        }

        let state = Mutex(Progress())

        func withLock<Result>(_ body: (inout Progress) -> Result) -> Result { state.withLock { body(&$0) } }
    }

    /// Parses `description` (gst-launch syntax); throws ``MediaError`` naming the problem.
    public init(description: String) throws(MediaError) {
        GStreamer.initialize()
        var parseError: UnsafeMutablePointer<GError>?
        let parsed = gst_parse_launch(description, &parseError)
        if let parseError {
            let message = parseError.pointee.message.map { String(cString: $0) } ?? "unparsable pipeline"
            g_error_free(parseError)
            if let parsed { gst_object_unref(parsed) }
            throw MediaError(.invalidPipeline, message)
        }
        guard let parsed else { throw MediaError(.invalidPipeline, "the description produced no pipeline") }
        // gst_parse_launch returns a floating reference: sink it once so we own it.
        gst_object_ref_sink(parsed)
        element = parsed
        let (stream, continuation) = AsyncStream.makeStream(of: PipelineEvent.self, bufferingPolicy: .bufferingNewest(4096))
        events = stream
        let progress = self.progress
        busReader = BusReader(pipeline: parsed, continuation: continuation) { event in
            progress.withLock { state in
                switch event {
                case .endOfStream: state.reachedEndOfStream = true
                case .stateChanged(_, let to): state.isPlaying = to == "PLAYING"
                case .error(let element, let message, _): if state.firstError == nil { state.firstError = "\(element): \(message)" }
                case .audioLevel(let decibels): state.audioPeak = (decibels, .now)
                default: break
                }
            }
        }
    }

    /// Parses the recipe's description, then sets each of its values on its named element; throws
    /// ``MediaError`` when the description does not parse or a setting names no such element or string property.
    public convenience init(recipe: PipelineRecipe) throws(MediaError) {
        try self.init(description: recipe.description)
        for setting in recipe.settings {
            let result = withElement { cascade_set_string_property($0, setting.element, setting.property, setting.value) }
            guard result == 1 else {
                close()
                throw MediaError(.invalidPipeline, result == 0
                    ? "the pipeline has no element named \(setting.element)"
                    : "element \(setting.element) has no writable string property \(setting.property)")
            }
        }
    }

    deinit { close() }

    /// Sets the pipeline playing; throws if an element refuses (the bus then carries the reason).
    public func play() throws(MediaError) {
        if gst_element_set_state(element, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE {
            throw MediaError(.startFailed, progress.withLock { $0.firstError } ?? "the pipeline refused to start")
        }
    }

    /// Whether end-of-stream has reached every sink.
    public var hasReachedEndOfStream: Bool { progress.withLock { $0.reachedEndOfStream } }

    /// The first error the bus reported, as "element: message".
    public var firstError: String? { progress.withLock { $0.firstError } }

    /// Asks the sources to end the stream; sinks finalise their output when it reaches them.
    /// Call it only once the pipeline is PLAYING (see ``finish(timeout:)``).
    public func sendEndOfStream() {
        _ = gst_element_send_event(element, gst_event_new_eos())
    }

    /// Whether the pipeline has reached PLAYING.
    public var isPlaying: Bool { progress.withLock { $0.isPlaying } }

    /// The sound's latest peak in dB from a `level` element, if one measured in the last two seconds.
    public var audioPeakDecibels: Double? {
        progress.withLock { state in state.audioPeak.flatMap { .now - $0.at < .seconds(2) ? $0.decibels : nil } }
    }

    /// Sends end-of-stream and waits until it reaches every sink, an error ends the pipeline, or
    /// `timeout` passes. Returns whether end-of-stream was reached.
    ///
    /// End-of-stream is sent only once the pipeline is PLAYING: sent while a live source is still
    /// starting, it is lost or (seen on GStreamer 1.22) deadlocks against the state change.
    public func finish(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !isPlaying {
            if clock.now >= deadline || firstError != nil || hasReachedEndOfStream { return hasReachedEndOfStream }
            try? await Task.sleep(for: .milliseconds(10))
        }
        sendEndOfStream()
        // Poll the bus thread's record: waiting costs a short sleep, never a pool thread.
        while clock.now < deadline {
            let (done, failed) = progress.withLock { ($0.reachedEndOfStream, $0.firstError != nil) }
            if done { return true }
            if failed { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return hasReachedEndOfStream
    }

    /// Reads `property` of the element named `elementName`; `nil` when either does not exist.
    public func readProperty(element elementName: String, property: String) -> PropertyValue? {
        let raw = cascade_read_property(element, elementName, property)
        defer { g_free(raw.string_value) }
        switch raw.kind {
        case 1: return .bool(raw.signed_value != 0)
        case 2: return .int(Int64(raw.signed_value))
        case 3: return .uint(UInt64(raw.unsigned_value))
        case 4: return .double(raw.double_value)
        case 5:
            return .string(raw.string_value.map { String(cString: $0) } ?? "")
        default: return nil
        }
    }

    /// Runs `body` with the pipeline element, for the media module's own C helpers.
    func withElement<Result>(_ body: (UnsafeMutablePointer<GstElement>) -> Result) -> Result {
        body(element)
    }

    /// Sets `property` of the element named `elementName` from its string form; false when the element does not exist.
    @discardableResult
    public func setProperty(element elementName: String, property: String, value: String) -> Bool {
        cascade_set_property(element, elementName, property, value) != 0
    }

    /// The stream position, when the pipeline knows it.
    public var position: Duration? {
        let nanoseconds = cascade_position_ns(element)
        return nanoseconds < 0 ? nil : .nanoseconds(nanoseconds)
    }

    /// Brings the pipeline to NULL, stops the bus thread and releases the pipeline. Idempotent.
    public func close() {
        let wasClosed = progress.withLock { state in
            defer { state.isClosed = true }
            return state.isClosed
        }
        if wasClosed { return }
        gst_element_set_state(element, GST_STATE_NULL)
        busReader.stop()
        gst_object_unref(element)
    }
}
