/// What a user is allowed to do, before the unit scope narrows it.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Manages users, tokens and everything else.
    case admin
    /// Books meetings, keeps attendance and minutes.
    case secretariat
    /// Runs rehearsals, relays and recordings.
    case technician
    /// Reads meetings and recordings.
    case viewer

    /// Whether this role carries `permission`.
    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .readTopology, .readMeetings: true
        case .manageMeetings: self == .admin || self == .secretariat
        case .operateMedia, .readWorkers: self == .admin || self == .technician
        case .manageUsers, .readAudit, .manageArchive, .reloadConfiguration: self == .admin
        }
    }
}

/// An action a route performs; each route names the one it needs.
public enum Permission: String, Sendable, CaseIterable {
    /// See units and halls.
    case readTopology
    /// See meetings and their records.
    case readMeetings
    /// Book, change and cancel meetings.
    case manageMeetings
    /// Start and stop relays, recordings and workers.
    case operateMedia
    /// See the supervised worker processes.
    case readWorkers
    /// Create users and issue tokens for others.
    case manageUsers
    /// Read the audit log.
    case readAudit
    /// Place legal holds, run retention and the integrity check.
    case manageArchive
    /// Read the units, halls and feeds of the configuration file again.
    case reloadConfiguration
}
