import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation

/// Real recorded parts made quickly: a test pattern and a tone encoded as fast as the machine can
/// (not in real time) through the recorder's own muxer settings (`splitmuxsink` with fragmented
/// `mp4mux`), then indexed like the recorder indexes them, with the wall-clock starts a test chooses.
public enum RecordedParts {
    /// Writes `count` parts of `seconds` each into `directory` (`part-00000.mp4`, …), one `mp4mux` with
    /// the recorder's fragment length per part. (`splitmuxsink` fed as fast as it can take now and then
    /// deadlocks at end of stream; fed live, as the recorder feeds it, it does not.)
    public static func make(in directory: String, count: Int, seconds: Int, width: Int = 320, height: Int = 180) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let audioBuffers = Int((Double(seconds) * 48_000 / 1024).rounded(.up))
        for index in 0..<count {
            let path = (directory as NSString).appendingPathComponent(RecordingPart.fileName(index))
            let result = try Command.run("gst-launch-1.0", ["-q", "-e",
                "videotestsrc", "num-buffers=\(seconds * 25)", "pattern=ball", "!", "video/x-raw,width=\(width),height=\(height),framerate=25/1",
                "!", "x264enc", "speed-preset=ultrafast", "tune=zerolatency", "key-int-max=25", "bitrate=300", "!", "h264parse", "!", "queue", "!", "mux.video_0",
                "audiotestsrc", "num-buffers=\(audioBuffers)", "samplesperbuffer=1024", "!", "audio/x-raw,rate=48000,channels=1",
                "!", "avenc_aac", "!", "aacparse", "!", "queue", "!", "mux.audio_0",
                "mp4mux", "name=mux", "fragment-duration=500", "!", "filesink", "location=\(path)"])
            guard result.status == 0 else { throw TestFailure("gst-launch failed: \(result.errorOutput)") }
        }
    }

    /// A recording of `meetingId` whose parts (made by ``make(in:count:seconds:width:height:)`` in the
    /// recording's folder under `recordingsDirectory`) began at `starts`; returns its id.
    public static func record(_ database: AppDatabase, recordingsDirectory: String, meetingId: String?, starts: [Date], seconds: Int) async throws -> Int64 {
        let id = try database.createRecording(meetingId: meetingId, source: "test pattern", sourceURI: "demo:", partSeconds: seconds, actor: "test")
        let directory = (recordingsDirectory as NSString).appendingPathComponent("r\(id)")
        try make(in: directory, count: starts.count, seconds: seconds)
        for (index, start) in starts.enumerated() {
            try database.partOpened(recording: id, index: index, at: start)
            let path = (directory as NSString).appendingPathComponent(RecordingPart.fileName(index))
            guard FileManager.default.fileExists(atPath: path) else { throw TestFailure("part \(index) was not written") }
            try database.partFinished(recording: id, part: await PartFinisher.measure(path: path, index: index, startedAt: start, endedNormally: true))
        }
        try database.finishRecording(id, state: .stopped, reason: nil, actor: "test")
        return id
    }
}
