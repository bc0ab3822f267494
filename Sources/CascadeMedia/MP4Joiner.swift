import Foundation

/// One part's run of fragments in a joined file, and how far its clock moves.
public struct MP4JoinPiece: Sendable, Hashable {
    /// The part file.
    public var path: String
    /// Its fragments to copy, consecutive in the file.
    public var fragments: [MP4Fragment]
    /// What to add to each track's decode times (in that track's timescale; may be negative).
    public var shift: [UInt32: Int64]

    /// Creates a piece.
    public init(path: String, fragments: [MP4Fragment], shift: [UInt32: Int64]) {
        self.path = path
        self.fragments = fragments
        self.shift = shift
    }
}

/// Joins fragmented MP4 parts into one fragmented MP4 without re-encoding: the first part's header,
/// then every fragment copied as it is, with its sequence number and decode time rewritten so the
/// parts follow each other on one clock (with the gaps between them kept as gaps).
public struct MP4Joiner: Sendable {
    /// The `ftyp` and `moov` of the joined file.
    public let header: Data
    /// The pieces in order.
    public let pieces: [MP4JoinPiece]
    /// The joined file's length on its clock, in seconds.
    public let durationSeconds: Double

    /// A joiner writing `pieces` after the header of the part at `headerPath` (indexed as `headerIndex`),
    /// announcing `durationSeconds` in the movie-extends header.
    public init(headerPath: String, headerIndex: MP4FragmentIndex, pieces: [MP4JoinPiece], durationSeconds: Double) throws(MediaError) {
        guard let file = FileHandle(forReadingAtPath: headerPath) else { throw MediaError(.protocolViolation, "cannot open \(headerPath)") }
        defer { try? file.close() }
        let range = headerIndex.initialisation
        guard var header = MP4Inspector.read(file, at: range.lowerBound, count: Int(range.upperBound - range.lowerBound)),
              header.count == range.upperBound - range.lowerBound else {
            throw MediaError(.protocolViolation, "cannot read the header of \(headerPath)")
        }
        let ticks = (durationSeconds * Double(headerIndex.movieTimescale)).rounded()
        Self.setFragmentDuration(in: &header, to: ticks.isFinite && ticks >= 0 && ticks < 1e18 ? UInt64(ticks) : 0)
        self.header = header
        self.pieces = pieces
        self.durationSeconds = durationSeconds
    }

    /// The joined file in chunks of about `chunkBytes`, each read only when asked for.
    public func chunks(chunkBytes: Int = 1 << 20) -> Chunks { Chunks(joiner: self, chunkBytes: chunkBytes) }

    /// The joined file's bytes, in order, read on a queue of their own (never on the cooperative pool).
    public struct Chunks: AsyncSequence, Sendable {
        public typealias Element = Data
        let joiner: MP4Joiner
        let chunkBytes: Int

        public func makeAsyncIterator() -> Iterator { Iterator(joiner: joiner, chunkBytes: chunkBytes) }

        /// Reads the next chunk when asked.
        public struct Iterator: AsyncIteratorProtocol {
            let joiner: MP4Joiner
            let chunkBytes: Int
            var sentHeader = false
            var piece = 0
            var fragment = 0
            var sequence: UInt32 = 1

            public mutating func next() async throws -> Data? {
                if !sentHeader {
                    sentHeader = true
                    return joiner.header
                }
                while piece < joiner.pieces.count, fragment >= joiner.pieces[piece].fragments.count {
                    piece += 1
                    fragment = 0
                }
                guard piece < joiner.pieces.count else { return nil }
                let current = joiner.pieces[piece]
                var last = fragment
                var bytes = current.fragments[fragment].length
                while last + 1 < current.fragments.count, bytes < chunkBytes,
                      current.fragments[last + 1].offset == current.fragments[last].offset + current.fragments[last].length {
                    last += 1
                    bytes += current.fragments[last].length
                }
                let batch = Array(current.fragments[fragment...last])
                let firstSequence = sequence
                fragment = last + 1
                sequence += UInt32(batch.count)
                return try await MP4Joiner.read(batch, of: current, firstSequence: firstSequence)
            }
        }
    }

    private static let queue = DispatchQueue(label: "cascade.mp4-joiner", attributes: .concurrent)

    /// Reads consecutive fragments of `piece` and rewrites their sequence numbers and decode times.
    static func read(_ fragments: [MP4Fragment], of piece: MP4JoinPiece, firstSequence: UInt32) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try readNow(fragments, of: piece, firstSequence: firstSequence))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func readNow(_ fragments: [MP4Fragment], of piece: MP4JoinPiece, firstSequence: UInt32) throws(MediaError) -> Data {
        guard let first = fragments.first, let last = fragments.last else { return Data() }
        guard let file = FileHandle(forReadingAtPath: piece.path) else { throw MediaError(.protocolViolation, "cannot open \(piece.path)") }
        defer { try? file.close() }
        let length = Int(last.offset + last.length - first.offset)
        guard var data = MP4Inspector.read(file, at: first.offset, count: length), data.count == length else {
            throw MediaError(.protocolViolation, "\(piece.path) is shorter than its index says")
        }
        for (number, fragment) in fragments.enumerated() {
            let base = Int(fragment.offset - first.offset)
            data.setUInt32(firstSequence + UInt32(number), at: base + fragment.sequenceNumberPosition)
            guard let decodeTime = Int64(exactly: fragment.decodeTime) else { throw MediaError(.protocolViolation, "a fragment of \(piece.path) has an impossible time") }
            let (shifted, overflow) = decodeTime.addingReportingOverflow(piece.shift[fragment.trackId] ?? 0)
            guard !overflow, shifted >= 0 else { throw MediaError(.protocolViolation, "a fragment of \(piece.path) would start before the file") }
            if fragment.hasWideDecodeTime {
                data.setUInt32(UInt32(UInt64(shifted) >> 32), at: base + fragment.decodeTimePosition)
                data.setUInt32(UInt32(UInt64(shifted) & 0xFFFF_FFFF), at: base + fragment.decodeTimePosition + 4)
            } else {
                guard shifted <= Int64(UInt32.max) else {
                    throw MediaError(.protocolViolation, "the joined file is too long for the 32-bit decode times of \(piece.path)")
                }
                data.setUInt32(UInt32(shifted), at: base + fragment.decodeTimePosition)
            }
        }
        return data
    }

    /// Sets the `mehd` fragment duration inside `moov` (so players show the whole file's length).
    private static func setFragmentDuration(in header: inout Data, to duration: UInt64) {
        var offset = 0
        while offset + 8 <= header.count {
            let size = Int(header.uint32(at: offset))
            guard size >= 8, offset + size <= header.count else { return }
            let type = header.fourCC(at: offset + 4)
            if type == "moov" || type == "mvex" {
                offset += 8  // descend
                continue
            }
            if type == "mehd", size >= 16 {
                if header[header.startIndex + offset + 8] == 1, size >= 20 {
                    header.setUInt32(UInt32(duration >> 32), at: offset + 12)
                    header.setUInt32(UInt32(duration & 0xFFFF_FFFF), at: offset + 16)
                } else {
                    header.setUInt32(UInt32(min(duration, UInt64(UInt32.max))), at: offset + 12)
                }
                return
            }
            offset += size
        }
    }
}

extension Data {
    mutating func setUInt32(_ value: UInt32, at offset: Int) {
        let base = startIndex + offset
        self[base] = UInt8(value >> 24)
        self[base + 1] = UInt8((value >> 16) & 0xFF)
        self[base + 2] = UInt8((value >> 8) & 0xFF)
        self[base + 3] = UInt8(value & 0xFF)
    }
}
