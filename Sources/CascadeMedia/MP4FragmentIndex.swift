import Foundation

/// One fragment of a fragmented MP4 part: a `moof` and its `mdat`, holding samples of one track.
public struct MP4Fragment: Sendable, Hashable {
    /// Where the `moof` starts in the file.
    public var offset: Int64
    /// The `moof` and `mdat` together.
    public var length: Int64
    /// The track it carries.
    public var trackId: UInt32
    /// The decode time of its first sample, in the track's timescale (`tfdt`).
    public var decodeTime: UInt64
    /// The summed duration of its samples, in the track's timescale.
    public var duration: UInt64
    /// Whether its first sample can be decoded on its own (a keyframe; always true for audio).
    public var startsWithSync: Bool
    /// Where the `mfhd` sequence number lies, from `offset`.
    public var sequenceNumberPosition: Int
    /// Where the `tfdt` decode time lies, from `offset`.
    public var decodeTimePosition: Int
    /// Whether that decode time takes 8 bytes (`tfdt` version 1) rather than 4.
    public var hasWideDecodeTime: Bool
}

/// A track of a part, as its `moov` describes it.
public struct MP4Track: Sendable, Hashable {
    /// `tkhd` track id.
    public var id: UInt32
    /// Ticks per second of its sample times.
    public var timescale: UInt32
    /// Whether it is the picture.
    public var isVideo: Bool
    /// Its sample description (`stsd` payload): two parts can be joined only when these match.
    public var sampleDescription: Data = Data()

    /// The codec as a media type's `codecs` parameter names it (`avc1.64001f`, `mp4a.40.2`), when known.
    public var codecName: String? {
        let bytes = [UInt8](sampleDescription)
        guard bytes.count >= 16 else { return nil }
        let entry = String(decoding: bytes[12..<16], as: UTF8.self)
        if entry.hasPrefix("avc"), let at = find("avcC", in: bytes), at + 8 <= bytes.count {
            return entry + "." + bytes[(at + 5)...(at + 7)].map { String(format: "%02x", $0) }.joined()
        }
        if entry == "mp4a" { return "mp4a.40.2" }
        return entry
    }

    /// What decoding depends on: the sample entry, the picture size and `avcC` (video) or the channels
    /// and sample rate (audio).
    var format: [UInt8] {
        let bytes = [UInt8](sampleDescription)
        guard bytes.count >= 16 else { return bytes }
        var key = Array(bytes[12..<16])
        if isVideo {
            if bytes.count >= 44 { key += bytes[40..<44] }
            if let at = find("avcC", in: bytes), at >= 4 {
                let size = Int(bytes[at - 4]) << 24 | Int(bytes[at - 3]) << 16 | Int(bytes[at - 2]) << 8 | Int(bytes[at - 1])
                if at - 4 + size <= bytes.count, size >= 8 { key += bytes[(at - 4)..<(at - 4 + size)] }
            }
        } else if bytes.count >= 44 {
            key += bytes[32..<34] + bytes[40..<44]
        }
        return key
    }

    private func find(_ fourCC: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(fourCC.utf8)
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

/// Where every fragment of a fragmented MP4 part lies and what time it starts at, read from the box
/// headers alone: what playback (segments of an HLS playlist) and the one-file download (fragments
/// re-timed onto the meeting's timeline) need. Only fragments whose media data is complete count.
public struct MP4FragmentIndex: Sendable, Hashable {
    /// The `ftyp` and `moov` (and anything before the first fragment): the part's initialisation section.
    public var initialisation: Range<Int64>
    /// Ticks per second of the movie header (`mvhd`).
    public var movieTimescale: UInt32
    /// The tracks by id.
    public var tracks: [UInt32: MP4Track]
    /// The complete fragments in file order.
    public var fragments: [MP4Fragment]
    /// The file's size when indexed.
    public var fileBytes: Int64

    /// The `codecs` parameter of the part's media type, e.g. `avc1.42c01e,mp4a.40.2`.
    public var codecs: String { tracks.values.sorted { $0.id < $1.id }.compactMap(\.codecName).joined(separator: ",") }

    /// Whether fragments of `other` can follow this part's in one file: the same tracks and timescales,
    /// and the same codec configuration (bitrate fields, which differ from part to part, do not count).
    public func canJoin(_ other: MP4FragmentIndex) -> Bool {
        tracks.count == other.tracks.count && tracks.allSatisfy { id, track in
            guard let theirs = other.tracks[id] else { return false }
            return track.timescale == theirs.timescale && track.isVideo == theirs.isVideo && track.format == theirs.format
        }
    }

    /// The picture's track, or the first track when there is no picture.
    public var mainTrack: MP4Track? { tracks.values.first(where: \.isVideo) ?? tracks.values.min { $0.id < $1.id } }

    /// The first decode time of the main track, in seconds: where the part's own clock starts.
    public var startSeconds: Double {
        guard let main = mainTrack, let first = fragments.first(where: { $0.trackId == main.id }) else { return 0 }
        return Double(first.decodeTime) / Double(max(main.timescale, 1))
    }

    /// The main track's media time covered by complete fragments, in seconds.
    public var durationSeconds: Double {
        guard let main = mainTrack else { return 0 }
        let own = fragments.filter { $0.trackId == main.id }
        guard let first = own.first, let last = own.last else { return 0 }
        return max(0, (Double(last.decodeTime) + Double(last.duration) - Double(first.decodeTime)) / Double(max(main.timescale, 1)))
    }

    /// `fragment`'s start on the part's own clock, in seconds.
    public func seconds(_ fragment: MP4Fragment) -> Double {
        Double(fragment.decodeTime) / Double(max(tracks[fragment.trackId]?.timescale ?? 1, 1))
    }

    /// Indexes the part at `path`; throws when it is not a fragmented MP4 file.
    public static func read(path: String) throws(MediaError) -> MP4FragmentIndex {
        guard let file = FileHandle(forReadingAtPath: path) else { throw MediaError(.protocolViolation, "cannot open \(path)") }
        defer { try? file.close() }
        let size = Int64((try? file.seekToEnd()) ?? 0)
        var index = MP4FragmentIndex(initialisation: 0..<0, movieTimescale: 1, tracks: [:], fragments: [], fileBytes: size)
        var offset: Int64 = 0
        var pending: MP4Fragment?
        var sawMovie = false
        while offset + 8 <= size {
            guard let (type, boxSize, headerSize) = MP4Inspector.boxHeader(file, at: offset, fileSize: size) else { break }  // cut short: stop here
            switch type {
            case "moov":
                guard let body = MP4Inspector.read(file, at: offset + headerSize, count: Int(boxSize - headerSize)) else { break }
                (index.movieTimescale, index.tracks) = parseMovie(body)
                sawMovie = true
            case "moof":
                if index.initialisation.isEmpty { index.initialisation = 0..<offset }
                guard headerSize == 8, let body = MP4Inspector.read(file, at: offset + 8, count: Int(boxSize - 8)) else { break }
                pending = parseFragment(body, at: offset, tracks: index.tracks)
            case "mdat":
                if var fragment = pending, fragment.offset < offset {
                    fragment.length = offset + boxSize - fragment.offset
                    index.fragments.append(fragment)
                }
                pending = nil
            default:
                break
            }
            offset += boxSize
        }
        guard sawMovie else { throw MediaError(.protocolViolation, "\(path) has no MP4 movie header") }
        guard !index.initialisation.isEmpty else { throw MediaError(.protocolViolation, "\(path) is not a fragmented MP4 file") }
        return index
    }

    private static func parseMovie(_ body: Data) -> (UInt32, [UInt32: MP4Track]) {
        var movieTimescale: UInt32 = 1
        var tracks: [UInt32: MP4Track] = [:]
        for (type, box) in MP4Inspector.boxes(in: body) {
            if type == "mvhd", box.count >= 24 {
                movieTimescale = box[box.startIndex] == 1 ? box.uint32(at: 20) : box.uint32(at: 12)
            }
            guard type == "trak" else { continue }
            var track = MP4Track(id: 0, timescale: 1, isVideo: false)
            for (childType, child) in MP4Inspector.boxes(in: box) {
                if childType == "tkhd", child.count >= 24 {
                    track.id = child[child.startIndex] == 1 ? child.uint32(at: 20) : child.uint32(at: 12)
                }
                guard childType == "mdia" else { continue }
                for (mediaType, media) in MP4Inspector.boxes(in: child) {
                    if mediaType == "mdhd", media.count >= 24 {
                        track.timescale = media[media.startIndex] == 1 ? media.uint32(at: 20) : media.uint32(at: 12)
                    } else if mediaType == "hdlr", media.count >= 12 {
                        track.isVideo = media.fourCC(at: 8) == "vide"
                    } else if mediaType == "minf" {
                        for (tableType, table) in MP4Inspector.boxes(in: media) where tableType == "stbl" {
                            for (entryType, entry) in MP4Inspector.boxes(in: table) where entryType == "stsd" { track.sampleDescription = entry }
                        }
                    }
                }
            }
            tracks[track.id] = track
        }
        return (movieTimescale, tracks)
    }

    /// A `moof` body (starting 8 bytes into the box at `offset`): its track, decode time, duration and first sample's flags.
    private static func parseFragment(_ body: Data, at offset: Int64, tracks: [UInt32: MP4Track]) -> MP4Fragment? {
        var fragment = MP4Fragment(offset: offset, length: 0, trackId: 0, decodeTime: 0, duration: 0, startsWithSync: true,
                                   sequenceNumberPosition: 0, decodeTimePosition: 0, hasWideDecodeTime: false)
        var position = 8  // inside the moof, past its header
        var sawDecodeTime = false
        for (type, box) in MP4Inspector.boxes(in: body) {
            defer { position += box.count + 8 }
            if type == "mfhd", box.count >= 8 {
                fragment.sequenceNumberPosition = position + 8 + 4
            }
            guard type == "traf" else { continue }
            var childPosition = position + 8
            var defaultDuration: UInt32 = 0
            var defaultFlags: UInt32 = 0
            for (childType, child) in MP4Inspector.boxes(in: box) {
                defer { childPosition += child.count + 8 }
                switch childType {
                case "tfhd" where child.count >= 8:
                    let flags = child.uint32(at: 0) & 0xFFFFFF
                    fragment.trackId = child.uint32(at: 4)
                    var at = 8
                    if flags & 0x1 != 0 { at += 8 }
                    if flags & 0x2 != 0 { at += 4 }
                    if flags & 0x8 != 0, at + 4 <= child.count { defaultDuration = child.uint32(at: at); at += 4 }
                    if flags & 0x10 != 0 { at += 4 }
                    if flags & 0x20 != 0, at + 4 <= child.count { defaultFlags = child.uint32(at: at) }
                case "tfdt" where child.count >= 8:
                    let wide = child[child.startIndex] == 1
                    guard child.count >= (wide ? 12 : 8) else { continue }
                    fragment.decodeTime = wide ? child.uint64(at: 4) : UInt64(child.uint32(at: 4))
                    fragment.hasWideDecodeTime = wide
                    fragment.decodeTimePosition = childPosition + 8 + 4
                    sawDecodeTime = true
                case "trun" where child.count >= 8:
                    let flags = child.uint32(at: 0) & 0xFFFFFF
                    let count = Int(child.uint32(at: 4))
                    var at = 8
                    if flags & 0x1 != 0 { at += 4 }
                    var firstFlags = defaultFlags
                    if flags & 0x4 != 0, at + 4 <= child.count { firstFlags = child.uint32(at: at); at += 4 }
                    let fields = [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count
                    // A damaged box may claim more samples than it holds: read only what is there.
                    let listed = fields == 0 ? 0 : min(count, max(0, child.count - at) / (fields * 4))
                    if flags & 0x100 == 0 {
                        fragment.duration &+= UInt64(min(count, 1 << 24)) &* UInt64(defaultDuration)
                    }
                    for sample in 0..<listed {
                        let entry = at + sample * fields * 4
                        if flags & 0x100 != 0 { fragment.duration &+= UInt64(child.uint32(at: entry)) }
                        if sample == 0, flags & 0x4 == 0, flags & 0x400 != 0 {
                            let flagsAt = entry + (flags & 0x100 != 0 ? 4 : 0) + (flags & 0x200 != 0 ? 4 : 0)
                            if flagsAt + 4 <= child.count { firstFlags = child.uint32(at: flagsAt) }
                        }
                    }
                    // sample_is_non_sync_sample is bit 16 of the sample flags.
                    if tracks[fragment.trackId]?.isVideo == true { fragment.startsWithSync = firstFlags & 0x10000 == 0 }
                default:
                    break
                }
            }
        }
        return sawDecodeTime && fragment.sequenceNumberPosition > 0 ? fragment : nil
    }
}
