import CascadeCore
import Foundation

/// The `archive:` section: how long recordings are kept, who plays confidential media, how document
/// numbers look, how large an attachment may be.
extension ConfigurationLoader {
    static func archiveDefaults(_ section: Section) throws(ConfigurationError) -> ArchiveDefaults {
        try section.allowOnly(["retentionDays", "minimumFreeGigabytes", "lowSpaceMinimumAgeDays", "confidentialMediaRoles", "documentNumberPattern",
                               "attachmentMaximumMegabytes", "attachmentQuotaMegabytes"])
        var defaults = ArchiveDefaults()
        let days = try section.section("retentionDays")
        try days.allowOnly(Set(Classification.allCases.map(\.rawValue)))
        for classification in Classification.allCases {
            if let kept = try days.int(classification.rawValue, in: 1...36_500) { defaults.retention.keepDays[classification] = kept }
        }
        if let gigabytes = try section.int("minimumFreeGigabytes", in: 0...1_000_000) { defaults.retention.minimumFreeBytes = Int64(gigabytes) * 1_000_000_000 }
        if let age = try section.int("lowSpaceMinimumAgeDays", in: 0...3650) { defaults.retention.lowSpaceMinimumAgeDays = age }
        if section.values["confidentialMediaRoles"] != nil {
            var roles: Set<Role> = []
            for name in try section.strings("confidentialMediaRoles") {
                guard let role = Role(rawValue: name) else {
                    throw section.error("confidentialMediaRoles", "unknown role \"\(name)\" (admin, secretariat, technician or viewer)")
                }
                roles.insert(role)
            }
            defaults.confidentialMediaRoles = roles
        }
        if let pattern = try section.string("documentNumberPattern") {
            do throws(MinutesProblem) {
                defaults.minutesRules = try MinutesRules(documentNumberPattern: pattern)
            } catch {
                throw section.error("documentNumberPattern", error.reason)
            }
        }
        if let megabytes = try section.int("attachmentMaximumMegabytes", in: 1...1024) { defaults.attachmentMaximumBytes = megabytes << 20 }
        if let megabytes = try section.int("attachmentQuotaMegabytes", in: 1...100_000) { defaults.attachmentQuotaBytes = Int64(megabytes) << 20 }
        return defaults
    }
}
