extension AccessPolicy {
    /// Whether `principal` may read what names people or decisions of a confidential meeting — its
    /// minutes (every version) and its delegates — beyond its title and time: the roles that may play
    /// its media (`archive.confidentialMediaRoles`), or the secretariat that organises it (it writes
    /// them). Meetings that are not confidential are readable by whoever sees them.
    public func mayReadRecords(of meeting: Meeting, _ principal: Principal, confidentialRoles: Set<Role>) -> Bool {
        guard meeting.details.classification == .confidential else { return true }
        if confidentialRoles.contains(principal.role) { return true }
        return principal.role == .secretariat && decide(principal, .manageMeetings, onUnit: meeting.details.organiserUnitId) == .allowed
    }
}
