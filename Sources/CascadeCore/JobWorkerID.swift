/// The id of the worker process that runs one attempt of a relay or a recording: `rl7-2` is attempt 2
/// (counted from 0) of relay 7, `rec-3-0` the first attempt of recording 3. The services make and read
/// these ids here only; they are kept in the database, so a restarted server adopts the same workers.
public struct JobWorkerID: Hashable, Sendable, CustomStringConvertible {
    /// The job a worker runs.
    public enum Job: Hashable, Sendable {
        /// Relay `id` (shown as `rl<id>`).
        case relay(Int64)
        /// Recording `id` (shown as `r<id>`).
        case recording(Int64)

        /// The relay's or the recording's id.
        public var id: Int64 {
            switch self {
            case .relay(let id), .recording(let id): id
            }
        }
    }

    /// The job.
    public var job: Job
    /// Which start of the job this worker is, from 0.
    public var attempt: Int

    /// Names attempt `attempt` of `job`.
    public init(_ job: Job, attempt: Int) {
        self.job = job
        self.attempt = attempt
    }

    /// Reads an id made by ``description``; `nil` for anything else (another kind of worker, a
    /// damaged value).
    public init?(_ text: String) {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        let number = { (piece: Substring) -> Int64? in
            guard !piece.isEmpty, piece.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int64(piece)
        }
        switch pieces.count {
        case 2 where pieces[0].hasPrefix("rl"):
            guard let id = number(pieces[0].dropFirst(2)), let attempt = number(pieces[1]).flatMap({ Int(exactly: $0) }) else { return nil }
            self.init(.relay(id), attempt: attempt)
        case 3 where pieces[0] == "rec":
            guard let id = number(pieces[1]), let attempt = number(pieces[2]).flatMap({ Int(exactly: $0) }) else { return nil }
            self.init(.recording(id), attempt: attempt)
        default:
            return nil
        }
    }

    /// `rl<id>-<attempt>` or `rec-<id>-<attempt>`.
    public var description: String {
        switch job {
        case .relay(let id): "rl\(id)-\(attempt)"
        case .recording(let id): "rec-\(id)-\(attempt)"
        }
    }

    /// The relay's id, when the worker runs a relay.
    public var relayId: Int64? {
        if case .relay(let id) = job { id } else { nil }
    }

    /// The recording's id, when the worker runs a recording.
    public var recordingId: Int64? {
        if case .recording(let id) = job { id } else { nil }
    }
}
