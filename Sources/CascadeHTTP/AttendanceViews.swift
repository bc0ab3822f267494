import CascadeCore
import Foundation

/// One hall's measured attendance: its connections over the rehearsal and the meeting.
public struct HallAttendanceView: Codable, Sendable {
    public var hallId: String
    public var hallName: String
    public var unitId: String
    public var measurable: Bool
    public var connected: Bool
    public var connectedSeconds: Double
    public var rehearsalSeconds: Double
    public var liveShare: Double
    public var firstJoin: Date?
    public var lastLeave: Date?
    public var drops: Int
    public var longestOutageSeconds: Double
    public var intervals: [HallAttendance.Interval]
    public var lostPackets: Int64
    public var retransmittedPackets: Int64
    public var maxRttMs: Double?
}

/// A meeting's attendance in numbers.
public struct AttendanceSummaryView: Codable, Sendable {
    public var invited: Int
    public var connected: Int
    public var absent: Int
    public var notMeasurable: Int
    /// Delegates by roll-call state.
    public var delegates: [String: Int]
}

/// A meeting's attendance as the API shows it (and the command line reads it): every hall's
/// connections, the roll call and the summary.
public struct AttendanceView: Codable, Sendable {
    public var meetingId: String
    public var title: String
    public var rehearsalStart: Date
    public var start: Date
    public var end: Date
    public var halls: [HallAttendanceView]
    public var delegates: [Delegate]
    public var summary: AttendanceSummaryView
}

/// How a unit (or a series) took part over a period, as the API shows it (and the command line reads it).
public struct AttendanceReportView: Codable, Sendable {
    public var unitId: String
    public var seriesId: String?
    public var from: Date
    public var to: Date
    public var meetings: [MeetingLine]
    public var attended: Int
    public var attendanceRate: Double
    public var lateJoins: Int
    public var absencesWithReason: Int
    public var absencesWithoutReason: Int

    /// One meeting of the period.
    public struct MeetingLine: Codable, Sendable {
        public var meetingId: String
        public var title: String
        public var start: Date
        public var hallsInvited: Int
        public var hallsConnected: Int
        public var hallsNotMeasurable: Int
        /// Halls whose first connection came more than a minute after the start.
        public var lateHalls: [String]
        public var delegates: [String: Int]
        public var absences: [Absence]
        /// A hall of the unit connected, or one of its delegates took part.
        public var attended: Bool
    }

    /// A delegate who did not take part.
    public struct Absence: Codable, Sendable {
        public var name: String
        public var position: String
        public var reason: String?
    }
}
