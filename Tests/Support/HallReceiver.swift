import Foundation

/// A hall's decoder stand-in that is not Cascade code: `gst-launch-1.0` receiving SRT or UDP
/// MPEG-TS into a file, optionally inside a network namespace.
public final class HallReceiver: @unchecked Sendable {
    /// Where the received MPEG-TS goes.
    public let path: String
    private let arguments: [String]
    private var process: Process?

    /// Calls `uri` (an SRT caller URL, or an SRT listener URL for a hall that listens) into `path`.
    public init(srt uri: String, path: String, namespace: String? = nil) {
        self.path = path
        arguments = Self.prefix(namespace) + ["gst-launch-1.0", "-q", "srtsrc", "uri=\(uri)", "!", "filesink", "location=\(path)", "sync=false"]
    }

    /// Receives UDP MPEG-TS on `port` into `path`.
    public init(udpPort port: Int, path: String, namespace: String? = nil) {
        self.path = path
        arguments = Self.prefix(namespace) + ["gst-launch-1.0", "-q", "udpsrc", "port=\(port)", "buffer-size=2097152", "!", "filesink", "location=\(path)", "sync=false"]
    }

    private static func prefix(_ namespace: String?) -> [String] {
        namespace.map { ["ip", "netns", "exec", $0] } ?? []
    }

    /// Starts receiving.
    public func start() throws {
        let receiver = Process()
        receiver.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        receiver.arguments = arguments
        receiver.standardOutput = FileHandle.nullDevice
        receiver.standardError = FileHandle.nullDevice
        try receiver.run()
        process = receiver
    }

    /// Stops receiving. SIGKILL: MPEG-TS needs no finalising, and a test runner may pass on an
    /// ignored SIGTERM to its children.
    public func stop() {
        guard let receiver = process else { return }
        kill(receiver.processIdentifier, SIGKILL)
        receiver.waitUntilExit()
        process = nil
    }

    /// Bytes received so far.
    public var bytes: Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    deinit { stop() }
}
