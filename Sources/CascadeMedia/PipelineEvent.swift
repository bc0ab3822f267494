/// A message from a running pipeline's bus, reduced to plain values.
public enum PipelineEvent: Sendable, Hashable {
    /// The pipeline itself changed state (names as GStreamer prints them: "NULL", "READY", "PAUSED", "PLAYING").
    case stateChanged(from: String, to: String)
    /// An element failed; the pipeline cannot go on.
    case error(element: String, message: String, debug: String)
    /// An element reported a problem it recovered from.
    case warning(element: String, message: String, debug: String)
    /// Every sink has received end-of-stream: outputs are finalised.
    case endOfStream
    /// An element posted an application-level message (e.g. splitmuxsink's fragment-closed).
    case element(source: String, name: String, fields: String)
    /// splitmuxsink opened a part file.
    case partOpened(path: String)
    /// splitmuxsink finished a part file (it is complete on disk).
    case partClosed(path: String)
    /// A `level` element measured the sound: the loudest channel's peak in dB (0 is full scale).
    case audioLevel(peakDecibels: Double)
}
