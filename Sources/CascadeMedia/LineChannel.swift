import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One connected control socket carrying JSON objects, one per line, in both directions.
///
/// Reading happens on a dedicated thread that yields each line; writing is synchronous and
/// serialised, so a message is either written whole or the channel reports itself closed.
public final class LineChannel: Sendable {
    private let fd: Int32
    private let isOpen = Atomic<Bool>(true)
    private let writeLock = Mutex(())
    private let onLine: @Sendable (Data) -> Void
    private let onClose: @Sendable () -> Void

    /// Takes ownership of a connected socket and starts reading it on a dedicated thread:
    /// `onLine` gets each line without its newline, then `onClose` once when the peer is gone.
    public init(socket fd: Int32, onLine: @escaping @Sendable (Data) -> Void, onClose: @escaping @Sendable () -> Void = {}) {
        self.fd = fd
        self.onLine = onLine
        self.onClose = onClose
        let thread = Thread { [self] in readLines() }
        thread.name = "cascade-control"
        thread.start()
    }

    /// Decodes each line as `Message` and passes it on; lines that do not decode are skipped.
    public static func decoding<Message: Decodable & SendableMetatype>(
        _ type: Message.Type, socket fd: Int32,
        onMessage: @escaping @Sendable (Message) -> Void, onClose: @escaping @Sendable () -> Void = {}
    ) -> LineChannel {
        LineChannel(socket: fd, onLine: { line in
            if let message = try? JSONDecoder().decode(Message.self, from: line) { onMessage(message) }
        }, onClose: onClose)
    }

    /// Sends one message as a JSON line; returns `false` when the peer is gone.
    @discardableResult
    public func send(_ message: some Encodable) -> Bool {
        guard var data = try? JSONEncoder.lines.encode(message) else { return false }
        data.append(0x0a)
        return writeLock.withLock { _ in
            guard isOpen.load(ordering: .acquiring) else { return false }
            return data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if written < 0 && errno == EINTR { continue }
                    if written <= 0 { return false }
                    offset += written
                }
                return true
            }
        }
    }

    /// Shuts the connection down; the reading thread then closes the socket.
    public func close() {
        if isOpen.exchange(false, ordering: .acquiringAndReleasing) {
            shutdown(fd, Int32(SHUT_RDWR))
        }
    }

    private func readLines() {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: 0x0a) {
                let line = pending[pending.startIndex..<newline]
                if !line.isEmpty { onLine(Data(line)) }
                pending.removeSubrange(pending.startIndex...newline)
            }
            if pending.count > 4 << 20 { break }  // a peer that never ends its line is not speaking the protocol
        }
        writeLock.withLock { _ in
            isOpen.store(false, ordering: .releasing)
            Glibc.close(fd)
        }
        onClose()
    }
}

extension JSONEncoder {
    /// Compact, stable output: one object per line.
    static var lines: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
