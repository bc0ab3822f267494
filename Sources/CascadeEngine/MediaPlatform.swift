import CascadeMedia

/// What the machine's media platform offers, for health checks: the GStreamer version and which
/// elements Cascade's pipelines need are missing.
public enum MediaPlatform {
    /// The runtime version, e.g. "GStreamer 1.22.0".
    public static var version: String { GStreamer.version }

    /// The names in `elements` that no installed plugin provides, in the order given.
    public static func missingElements(_ elements: [String]) -> [String] { GStreamer.missingElements(elements) }
}
