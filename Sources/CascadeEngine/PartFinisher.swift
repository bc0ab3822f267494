import CascadeCore
import CascadeMedia
import Foundation

/// Measures a part file (duration from its samples, codecs, SHA-256) on a dedicated thread: hashing a
/// 10-minute part takes seconds and must not hold one of the cooperative pool's two threads.
public enum PartFinisher {
    /// The part as the index should record it, given how it ended.
    public static func measure(path: String, index: Int, startedAt: Date, endedNormally: Bool) async -> RecordingPart {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: measureNow(path: path, index: index, startedAt: startedAt, endedNormally: endedNormally))
            }
            thread.name = "cascade-part"
            thread.start()
        }
    }

    static func measureNow(path: String, index: Int, startedAt: Date, endedNormally: Bool) -> RecordingPart {
        var part = RecordingPart(index: index, fileName: (path as NSString).lastPathComponent, startedAt: startedAt, state: .corrupt)
        part.bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        part.sha256 = FileDigest.sha256(path: path)
        guard let summary = try? MP4Inspector.inspect(path: path), summary.videoFrames > 0 else { return part }
        part.durationSeconds = summary.videoSeconds
        part.videoCodec = summary.videoCodec
        part.audioCodec = summary.audioCodec
        part.width = summary.width
        part.height = summary.height
        part.state = endedNormally && summary.completeBytes == summary.fileBytes ? .complete : .partial
        return part
    }
}
