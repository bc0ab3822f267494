import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a recorded MP4 part really holds, counted from its samples rather than trusted from its header.
public struct MP4Summary: Sendable, Equatable {
    /// Video sample entry, e.g. "avc1".
    public var videoCodec: String?
    /// Audio sample entry, e.g. "mp4a".
    public var audioCodec: String?
    /// Picture width in pixels.
    public var width: Int?
    /// Picture height in pixels.
    public var height: Int?
    /// Video frames in complete fragments (or in the sample table of an unfragmented file).
    public var videoFrames: Int
    /// Their summed duration in seconds.
    public var videoSeconds: Double
    /// Where the last complete box ends: bytes past it belong to a fragment cut short.
    public var completeBytes: Int64
    /// The file's size.
    public var fileBytes: Int64
    /// Whether the file is fragmented (moof boxes).
    public var isFragmented: Bool
}

/// Reads the box structure of an MP4 file (fragmented or not) without loading its media data.
///
/// A recording killed mid-part leaves a fragmented MP4 whose last fragment may be cut short and whose
/// header says nothing about the length: the duration is the sum of the sample durations of every
/// fragment whose media data is complete.
public enum MP4Inspector {
    /// Inspects the file at `path`; throws ``MediaError`` when it is not an MP4 file at all.
    public static func inspect(path: String) throws(MediaError) -> MP4Summary {
        guard let file = FileHandle(forReadingAtPath: path) else { throw MediaError(.protocolViolation, "cannot open \(path)") }
        defer { try? file.close() }
        let size = Int64((try? file.seekToEnd()) ?? 0)
        var summary = MP4Summary(videoFrames: 0, videoSeconds: 0, completeBytes: 0, fileBytes: size, isFragmented: false)
        var tracks: [UInt32: Track] = [:]
        var pending: [(trackId: UInt32, frames: Int, duration: UInt64)] = []
        var offset: Int64 = 0
        var sawMovie = false
        while offset + 8 <= size {
            guard let (type, boxSize, headerSize) = boxHeader(file, at: offset, fileSize: size) else { break }  // cut short: stop here
            switch type {
            case "moov":
                guard let body = read(file, at: offset + headerSize, count: Int(boxSize - headerSize)) else { break }
                tracks = parseMovie(body, into: &summary)
                sawMovie = true
            case "moof":
                guard let body = read(file, at: offset + headerSize, count: Int(boxSize - headerSize)) else { break }
                summary.isFragmented = true
                pending = parseFragment(body, tracks: tracks)
            case "mdat":
                // A fragment counts once its media data is complete.
                for run in pending where tracks[run.trackId]?.isVideo == true {
                    summary.videoFrames += run.frames
                    summary.videoSeconds += Double(run.duration) / Double(max(tracks[run.trackId]?.timescale ?? 1, 1))
                }
                pending = []
            default:
                break
            }
            offset += boxSize
            summary.completeBytes = offset
        }
        guard sawMovie else { throw MediaError(.protocolViolation, "\(path) has no MP4 movie header") }
        if !summary.isFragmented {
            for track in tracks.values where track.isVideo {
                summary.videoFrames += track.tableFrames
                summary.videoSeconds += Double(track.tableDuration) / Double(max(track.timescale, 1))
            }
        }
        return summary
    }

    private struct Track {
        var timescale: UInt32 = 1
        var isVideo = false
        var defaultDuration: UInt32 = 0
        var tableFrames = 0
        var tableDuration: UInt64 = 0
    }

    private static func parseMovie(_ body: Data, into summary: inout MP4Summary) -> [UInt32: Track] {
        var tracks: [UInt32: Track] = [:]
        var defaults: [UInt32: UInt32] = [:]
        for (type, trak) in boxes(in: body) {
            if type == "mvex" {
                for (childType, trex) in boxes(in: trak) where childType == "trex" && trex.count >= 16 {
                    defaults[trex.uint32(at: 4)] = trex.uint32(at: 12)
                }
            }
            guard type == "trak" else { continue }
            var track = Track()
            var trackId: UInt32 = 0
            for (childType, child) in boxes(in: trak) {
                if childType == "tkhd", child.count >= 24 {
                    trackId = child[child.startIndex] == 1 ? child.uint32(at: 20) : child.uint32(at: 12)
                }
                guard childType == "mdia" else { continue }
                for (mediaType, media) in boxes(in: child) {
                    switch mediaType {
                    case "mdhd" where media.count >= 24:
                        track.timescale = media[media.startIndex] == 1 ? media.uint32(at: 20) : media.uint32(at: 12)
                    case "hdlr" where media.count >= 12:
                        track.isVideo = media.fourCC(at: 8) == "vide"
                    case "minf":
                        inspectSampleTable(media, track: &track, summary: &summary)
                    default: break
                    }
                }
            }
            tracks[trackId] = track
        }
        for (id, duration) in defaults { tracks[id]?.defaultDuration = duration }
        return tracks
    }

    private static func inspectSampleTable(_ minf: Data, track: inout Track, summary: inout MP4Summary) {
        for (type, stbl) in boxes(in: minf) where type == "stbl" {
            for (tableType, table) in boxes(in: stbl) {
                if tableType == "stsd", table.count >= 16 {
                    let entryType = table.fourCC(at: 12)
                    if entryType.hasPrefix("avc") || entryType.hasPrefix("hvc") || entryType.hasPrefix("hev") {
                        summary.videoCodec = entryType
                        if table.count >= 8 + 8 + 36 {
                            summary.width = Int(table.uint16(at: 8 + 8 + 24))
                            summary.height = Int(table.uint16(at: 8 + 8 + 26))
                        }
                    } else if entryType == "mp4a" || entryType == "Opus" {
                        summary.audioCodec = entryType
                    }
                } else if tableType == "stts", table.count >= 8 {
                    let entries = Int(table.uint32(at: 4))
                    for index in 0..<entries where 8 + index * 8 + 8 <= table.count {
                        let count = Int(table.uint32(at: 8 + index * 8)), delta = UInt64(table.uint32(at: 12 + index * 8))
                        track.tableFrames += count
                        track.tableDuration += UInt64(count) * delta
                    }
                }
            }
        }
    }

    private static func parseFragment(_ body: Data, tracks: [UInt32: Track]) -> [(trackId: UInt32, frames: Int, duration: UInt64)] {
        var runs: [(trackId: UInt32, frames: Int, duration: UInt64)] = []
        for (type, traf) in boxes(in: body) where type == "traf" {
            var trackId: UInt32 = 0
            var defaultDuration: UInt32 = 0
            for (childType, child) in boxes(in: traf) {
                if childType == "tfhd", child.count >= 8 {
                    let flags = child.uint32(at: 0) & 0xFFFFFF
                    trackId = child.uint32(at: 4)
                    defaultDuration = tracks[trackId]?.defaultDuration ?? 0
                    var position = 8
                    if flags & 0x1 != 0 { position += 8 }
                    if flags & 0x2 != 0 { position += 4 }
                    if flags & 0x8 != 0, position + 4 <= child.count { defaultDuration = child.uint32(at: position) }
                } else if childType == "trun", child.count >= 8 {
                    let flags = child.uint32(at: 0) & 0xFFFFFF
                    let count = Int(child.uint32(at: 4))
                    var position = 8
                    if flags & 0x1 != 0 { position += 4 }
                    if flags & 0x4 != 0 { position += 4 }
                    let perSample = [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count * 4
                    // A damaged box may claim more samples than it holds: count only what is there.
                    let present = perSample == 0 ? min(count, 1 << 24) : min(count, max(0, child.count - position) / perSample)
                    var duration: UInt64 = 0
                    if flags & 0x100 != 0 {
                        for sample in 0..<present { duration &+= UInt64(child.uint32(at: position + sample * perSample)) }
                    } else {
                        duration = UInt64(present) &* UInt64(defaultDuration)
                    }
                    runs.append((trackId, present, duration))
                }
            }
        }
        return runs
    }

    /// The child boxes of a container's payload.
    static func boxes(in data: Data) -> [(String, Data)] {
        var result: [(String, Data)] = []
        var offset = 0
        while offset + 8 <= data.count {
            let size = Int(data.uint32(at: offset))
            guard size >= 8, offset + size <= data.count else { break }
            let type = data.fourCC(at: offset + 4)
            // Full boxes inside containers we descend into keep their version/flags at the payload start.
            result.append((type, data.subdata(in: data.startIndex + offset + 8..<data.startIndex + offset + size)))
            offset += size
        }
        return result
    }

    /// The box starting at `offset`: its type, whole size and header size; `nil` when its header is
    /// malformed or the box runs past the end of the file (a part cut short).
    static func boxHeader(_ file: FileHandle, at offset: Int64, fileSize size: Int64) -> (type: String, size: Int64, headerSize: Int64)? {
        guard let header = read(file, at: offset, count: 16), header.count >= 8 else { return nil }
        var boxSize = Int64(header.uint32(at: 0))
        var headerSize: Int64 = 8
        if boxSize == 1 {
            guard header.count >= 16, let wide = Int64(exactly: header.uint64(at: 8)) else { return nil }
            boxSize = wide
            headerSize = 16
        } else if boxSize == 0 {
            boxSize = size - offset
        }
        guard boxSize >= headerSize, boxSize <= size - offset else { return nil }
        return (header.fourCC(at: 4), boxSize, headerSize)
    }

    /// `count` bytes at `offset` (fewer at the end of the file), with one `pread`: indexing a part reads
    /// thousands of box headers, and a seek plus a read each doubles the system calls.
    static func read(_ file: FileHandle, at offset: Int64, count: Int) -> Data? {
        guard count >= 0, count <= 64 << 20, offset >= 0 else { return nil }
        var data = Data(count: count)
        let got = data.withUnsafeMutableBytes { buffer in pread(file.fileDescriptor, buffer.baseAddress, count, off_t(offset)) }
        guard got >= 0 else { return nil }
        if got < count { data.removeSubrange(got..<count) }
        return data
    }
}

extension Data {
    func uint32(at offset: Int) -> UInt32 {
        let base = startIndex + offset
        return UInt32(self[base]) << 24 | UInt32(self[base + 1]) << 16 | UInt32(self[base + 2]) << 8 | UInt32(self[base + 3])
    }

    func uint16(at offset: Int) -> UInt16 {
        let base = startIndex + offset
        return UInt16(self[base]) << 8 | UInt16(self[base + 1])
    }

    func uint64(at offset: Int) -> UInt64 { UInt64(uint32(at: offset)) << 32 | UInt64(uint32(at: offset + 4)) }

    func fourCC(at offset: Int) -> String {
        String(decoding: self[(startIndex + offset)..<(startIndex + offset + 4)], as: UTF8.self)
    }
}
