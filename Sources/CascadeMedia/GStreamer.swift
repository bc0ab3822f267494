import CGStreamer

/// Process-wide GStreamer facts: initialisation, version and installed elements.
public enum GStreamer {
    private static let initialized: Bool = {
        gst_init(nil, nil)
        return true
    }()

    /// Initialises GStreamer once per process; safe to call from any thread, any number of times.
    public static func initialize() {
        _ = initialized
    }

    /// The runtime version, e.g. "GStreamer 1.22.0".
    public static var version: String {
        initialize()
        guard let text = gst_version_string() else { return "GStreamer (unknown version)" }
        defer { g_free(text) }
        return String(cString: text)
    }

    /// The names in `elements` that no installed plugin provides, in the order given.
    public static func missingElements(_ elements: [String]) -> [String] {
        initialize()
        return elements.filter { cascade_has_element($0) == 0 }
    }

    /// The elements Cascade's pipelines use: /healthz reports any that are missing.
    public static let requiredElements = [
        "videotestsrc", "audiotestsrc", "textoverlay", "clockoverlay", "videoconvert", "videoscale",
        "audioconvert", "audioresample", "x264enc", "h264parse", "avenc_aac", "aacparse",
        "mpegtsmux", "tsdemux", "tsparse", "srtsrc", "srtsink", "mp4mux", "splitmuxsink", "filesink",
        "queue", "tee", "input-selector", "udpsrc", "udpsink", "multiudpsink", "rtspsrc",
    ]
}
