import Foundation

/// How long a hall was connected to a meeting, measured from the relays' own connection events.
public struct HallAttendance: Sendable, Equatable, Codable {
    /// Why a connection ended.
    public enum LeaveReason: String, Sendable, Codable {
        /// The hall's decoder hung up, or its link was lost.
        case hallLeft = "hall-left"
        /// A technician removed the hall from the relay.
        case removed = "removed-by-technician"
        /// The relay's worker died and was restarted (the halls call back in).
        case relayRestarted = "relay-restarted"
        /// The relay stopped (the meeting ended, or a technician stopped it).
        case relayStopped = "relay-stopped"
        /// The meeting ended: the scheduler stopped its relay.
        case meetingEnded = "meeting-ended"
    }

    /// One connection: from when the hall joined to when it left (`nil`: still connected).
    public struct Interval: Sendable, Equatable, Codable {
        /// When the hall joined.
        public var joinedAt: Date
        /// When it left, if it has.
        public var leftAt: Date?
        /// Why it left, if it has.
        public var leaveReason: LeaveReason?

        /// Creates an interval.
        public init(joinedAt: Date, leftAt: Date?, leaveReason: LeaveReason?) {
            self.joinedAt = joinedAt
            self.leftAt = leftAt
            self.leaveReason = leaveReason
        }
    }

    /// The hall.
    public var hallId: String
    /// False for halls that receive UDP multicast: nothing tells whether they received it.
    public var isMeasurable: Bool
    /// Every connection, in order.
    public var intervals: [Interval]
    /// Seconds connected during the rehearsal (before the start).
    public var rehearsalSeconds: Double
    /// Seconds connected from the start to the end.
    public var liveSeconds: Double
    /// `liveSeconds` over the meeting's length, 0…1.
    public var liveShare: Double
    /// The first join, if any.
    public var firstJoin: Date?
    /// The last leave (`nil` when never joined or still connected).
    public var lastLeave: Date?
    /// Connections lost before the end (the hall left or the relay restarted; not a technician's removal).
    public var drops: Int
    /// The longest time between two connections while the meeting was on, in seconds.
    public var longestOutageSeconds: Double

    /// Derives a hall's attendance from the events of every relay of a meeting (oldest first), for a
    /// meeting whose halls were taken from `rehearsalStart`, starting at `start` and ending at `end`.
    /// `relayEnds` are the times the relays stopped; connections still open then end there, and
    /// those open at `now` are counted up to `now`.
    public static func derive(
        hallId: String, isMeasurable: Bool, events: [RelayEventRecord], relayEnds: [Int64: Date],
        rehearsalStart: Date, start: Date, end: Date, now: Date
    ) -> HallAttendance {
        var intervals: [Interval] = []
        var open: [Int64: Date] = [:]  // relay → join time of this hall's open connection on it
        func close(_ relayId: Int64, at time: Date, _ reason: LeaveReason) {
            guard let joined = open.removeValue(forKey: relayId) else { return }
            intervals.append(Interval(joinedAt: joined, leftAt: max(time, joined), leaveReason: reason))
        }
        if isMeasurable {
            for event in events.sorted(by: { ($0.at, $0.relayId) < ($1.at, $1.relayId) }) {
                switch event.kind {
                case "hall-connected" where event.hallId == hallId:
                    if open[event.relayId] == nil { open[event.relayId] = event.at }
                case "hall-disconnected" where event.hallId == hallId:
                    close(event.relayId, at: event.at, Self.leaveReason(ofDisconnect: event.detail))
                case "hall-removed" where event.hallId == hallId:
                    if open[event.relayId] != nil {
                        close(event.relayId, at: event.at, .removed)
                    } else if let last = intervals.indices.last, intervals[last].leaveReason == .hallLeft,
                              let left = intervals[last].leftAt, event.at.timeIntervalSince(left) <= 2 {
                        // Removing a hall cuts its connection at once: the cut may be reported first.
                        intervals[last].leaveReason = .removed
                    }
                case "relay-restarting":
                    close(event.relayId, at: event.at, .relayRestarted)
                default:
                    break
                }
            }
            for (relayId, joined) in open {
                if let stopped = relayEnds[relayId] {
                    intervals.append(Interval(joinedAt: joined, leftAt: max(stopped, joined), leaveReason: .relayStopped))
                } else {
                    intervals.append(Interval(joinedAt: joined, leftAt: nil, leaveReason: nil))
                }
            }
            intervals.sort { $0.joinedAt < $1.joinedAt }
        }
        let spans = intervals.map { ($0.joinedAt, $0.leftAt ?? now) }
        func seconds(from lower: Date, to upper: Date) -> Double {
            Self.covered(spans, from: lower, to: upper)
        }
        let live = seconds(from: start, to: end)
        let length = max(end.timeIntervalSince(start), 1)
        // Outages while the meeting is on: gaps between the covered spans inside [start, min(end, now)].
        let meetingEnd = min(end, now)
        var outage = 0.0, cursor = start
        for (joined, left) in Self.merged(spans) where left > start && joined < meetingEnd {
            outage = max(outage, joined.timeIntervalSince(cursor))
            cursor = max(cursor, left)
        }
        if cursor < meetingEnd, !intervals.isEmpty { outage = max(outage, meetingEnd.timeIntervalSince(cursor)) }
        return HallAttendance(
            hallId: hallId, isMeasurable: isMeasurable, intervals: intervals,
            rehearsalSeconds: seconds(from: rehearsalStart, to: start), liveSeconds: live, liveShare: min(1, live / length),
            firstJoin: intervals.first?.joinedAt,
            lastLeave: intervals.contains { $0.leftAt == nil } ? nil : intervals.compactMap(\.leftAt).max(),
            drops: intervals.filter { interval in
                guard let left = interval.leftAt, let reason = interval.leaveReason else { return false }
                return (reason == .hallLeft || reason == .relayRestarted) && left < end
            }.count,
            longestOutageSeconds: max(0, outage)
        )
    }

    /// Spans merged where they overlap (two relays of one meeting both serving a hall), sorted.
    static func merged(_ spans: [(Date, Date)]) -> [(Date, Date)] {
        var result: [(Date, Date)] = []
        for span in spans.sorted(by: { $0.0 < $1.0 }) where span.1 > span.0 {
            if let last = result.last, span.0 <= last.1 {
                result[result.count - 1].1 = max(last.1, span.1)
            } else {
                result.append(span)
            }
        }
        return result
    }

    /// Seconds of `spans` inside `[lower, upper]`.
    static func covered(_ spans: [(Date, Date)], from lower: Date, to upper: Date) -> Double {
        merged(spans).reduce(0) { total, span in
            total + max(0, min(span.1, upper).timeIntervalSince(max(span.0, lower)))
        }
    }

    /// Why a hall's connection ended, from the relay's disconnect event: the relay service records the
    /// leaving of every connected hall when a relay stops or its worker ends, with these details.
    static func leaveReason(ofDisconnect detail: String) -> LeaveReason {
        if detail == "the meeting ended" { return .meetingEnded }
        if detail.hasPrefix("the relay was stopped") { return .relayStopped }
        if detail.hasPrefix("the relay restarted") { return .relayRestarted }
        return .hallLeft
    }
}
