import CascadeCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where recordings are written: one folder per recording under one directory, and the free space
/// below which no recording starts or goes on.
public struct RecordingFolders: Sendable {
    /// The directory holding one folder per recording.
    public let directory: String
    let floorBytes: Int64
    let floorFraction: Double

    /// The folder of recording `id`.
    public func directory(of id: Int64) -> String {
        (directory as NSString).appendingPathComponent("r\(id)")
    }

    /// The file of part `index` of recording `id`.
    func path(of id: Int64, part index: Int) -> String {
        (directory(of: id) as NSString).appendingPathComponent(RecordingPart.fileName(index))
    }

    /// Free space below the floor (after `extraBytes` more are written), described; `nil` when there is enough.
    public func diskShortage(after extraBytes: Int64 = 0) -> String? {
        var stats = statvfs()
        guard statvfs(directory, &stats) == 0 || statvfs((directory as NSString).deletingLastPathComponent, &stats) == 0 else { return nil }
        let free = Int64(stats.f_bavail) * Int64(stats.f_frsize) - extraBytes
        let total = Int64(stats.f_blocks) * Int64(stats.f_frsize)
        let floor = min(floorBytes, Int64(Double(total) * floorFraction))
        guard free < floor else { return nil }
        return "\(free >> 20) MiB free, below the floor of \(floor >> 20) MiB"
    }

    /// Removes part files that hold nothing (a recorder that never got media leaves an empty one).
    func removeEmptyParts(of id: Int64) {
        let folder = directory(of: id)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where RecordingPart.index(ofFileName: name) != nil {
            let path = (folder as NSString).appendingPathComponent(name)
            if ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 1) == 0 {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}
