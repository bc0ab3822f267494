import CascadeCore
import CascadeMedia
import Foundation

/// A stretch of a meeting's recording as one MP4 file, made on the fly from its parts: where it
/// starts on the meeting's timeline, how long it is, where it holds no media, and its bytes.
public struct MeetingDownload: Sendable {
    /// Where the file starts on the meeting's timeline, in seconds.
    public let startSeconds: Double
    /// The gaps inside the file, on the file's own clock.
    public let gaps: [MeetingTimeline.Gap]
    let joiner: MP4Joiner

    /// The size of the file's header (the movie box): the rest is the parts' own bytes.
    public var headerBytes: Int { joiner.header.count }

    /// The file's length in seconds.
    public var durationSeconds: Double { joiner.durationSeconds }

    /// The file's bytes, in order, in chunks of about `chunkBytes`, each read only when asked for.
    public func chunks(chunkBytes: Int = 1 << 20) -> Chunks { Chunks(base: joiner.chunks(chunkBytes: chunkBytes)) }

    /// The file's bytes, read on a queue of their own.
    public struct Chunks: AsyncSequence, Sendable {
        public typealias Element = Data
        let base: MP4Joiner.Chunks

        public func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator()) }

        /// Reads the next chunk when asked.
        public struct Iterator: AsyncIteratorProtocol {
            var base: MP4Joiner.Chunks.Iterator
            public mutating func next() async throws -> Data? { try await base.next() }
        }
    }
}
