import Foundation

/// Why a booking cannot go ahead, with everything needed to resolve it.
public struct Conflict: Sendable, Hashable, Codable {
    /// The rule broken.
    public enum Kind: String, Sendable, Codable {
        /// A hall is already in another meeting.
        case hallBusy = "hall-busy"
        /// A link would carry more than its capacity.
        case linkOverCapacity = "link-over-capacity"
        /// A node would run more relays than its budget.
        case nodeOverBudget = "node-over-budget"
    }

    /// A meeting the booking collides with.
    public struct OtherMeeting: Sendable, Hashable, Codable {
        /// Its id.
        public var id: String
        /// Its title.
        public var title: String

        /// Creates a reference to a meeting in the way.
        public init(id: String, title: String) {
            self.id = id
            self.title = title
        }
    }

    /// The rule broken.
    public var kind: Kind
    /// The hall concerned (hall-busy, or a hall link over capacity).
    public var hallId: String?
    /// The unit whose uplink or relay node is concerned.
    public var unitId: String?
    /// The meetings collided with (empty when the booking alone exceeds a hall's link).
    public var otherMeetings: [OtherMeeting]
    /// When the collision happens.
    public var overlap: Window
    /// The conflict in words.
    public var reason: String
    /// The booking's own meeting (an occurrence id for a series).
    public var meetingId: String
}
