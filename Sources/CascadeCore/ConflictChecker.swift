import Foundation

/// Computes every conflict of a booking against the meetings already booked: halls taken twice,
/// links over capacity, relay nodes over budget. Pure: the caller loads the meetings.
public struct ConflictChecker: Sendable {
    /// The tree that gives halls their units, links and nodes.
    public let tree: UnitTree

    /// Creates a checker.
    public init(tree: UnitTree) { self.tree = tree }

    /// What the rules need of a candidate apart from its time, computed once when many times are tried.
    public struct Shape: Sendable {
        let sortedHalls: [String]
        let uplinks: [String]
        let relayNodes: [String]
    }

    /// The candidate's halls, and its links and nodes that have a limit.
    public func shape(of candidate: Occupancy) -> Shape {
        Shape(
            sortedHalls: candidate.hallIds.sorted(),
            uplinks: sortedInTreeOrder(uplinks(of: candidate)).filter { tree.unit($0)?.uplinkKbps != nil },
            relayNodes: sortedInTreeOrder(relayNodes(of: candidate)).filter { tree.unit($0)?.relayBudget != nil }
        )
    }

    /// Every conflict of `candidate` with `existing` (which may include meetings that do not overlap).
    public func conflicts(of candidate: Occupancy, against existing: [Occupancy]) -> [Conflict] {
        conflicts(of: candidate, shaped: shape(of: candidate), against: existing)
    }

    /// Every conflict, with the candidate's shape already computed.
    public func conflicts(of candidate: Occupancy, shaped shape: Shape, against existing: [Occupancy]) -> [Conflict] {
        let overlapping = existing.filter { $0.meetingId != candidate.meetingId && $0.window.intersection(candidate.window) != nil }
        var found: [Conflict] = []
        for other in overlapping {
            for hallId in candidate.hallIds.intersection(other.hallIds).sorted() {
                found.append(Conflict(
                    kind: .hallBusy, hallId: hallId, unitId: nil,
                    otherMeetings: [.init(id: other.meetingId, title: other.title)],
                    overlap: candidate.window.intersection(other.window)!,
                    reason: "hall \(hallId) is already booked for \"\(other.title)\"", meetingId: candidate.meetingId
                ))
            }
        }
        for hallId in shape.sortedHalls {
            if let hall = tree.hall(hallId), candidate.bitrateKbps > hall.capacityKbps {
                found.append(Conflict(
                    kind: .linkOverCapacity, hallId: hallId, unitId: nil, otherMeetings: [], overlap: candidate.window,
                    reason: "the \(candidate.bitrateKbps) kbit/s stream exceeds hall \(hallId)'s \(hall.capacityKbps) kbit/s link",
                    meetingId: candidate.meetingId
                ))
            }
        }
        let crossing = shape.uplinks.isEmpty ? [] : overlapping.map { ($0, uplinks(of: $0)) }
        for unitId in shape.uplinks {
            guard let capacity = tree.unit(unitId)?.uplinkKbps else { continue }
            let sharing = crossing.filter { $0.1.contains(unitId) }.map(\.0)
            let peak = Self.peak(of: sharing, within: candidate.window) { $0.bitrateKbps }
            if peak.load + candidate.bitrateKbps > capacity {
                found.append(Conflict(
                    kind: .linkOverCapacity, hallId: nil, unitId: unitId, otherMeetings: peak.meetings, overlap: peak.window,
                    reason: "the link to \(unitId) would carry \(peak.load + candidate.bitrateKbps) kbit/s, over its \(capacity) kbit/s",
                    meetingId: candidate.meetingId
                ))
            }
        }
        let relaying = shape.relayNodes.isEmpty ? [] : overlapping.map { ($0, relayNodes(of: $0)) }
        for unitId in shape.relayNodes {
            guard let budget = tree.unit(unitId)?.relayBudget else { continue }
            let sharing = relaying.filter { $0.1.contains(unitId) }.map(\.0)
            let peak = Self.peak(of: sharing, within: candidate.window) { _ in 1 }
            if peak.load + 1 > budget {
                found.append(Conflict(
                    kind: .nodeOverBudget, hallId: nil, unitId: unitId, otherMeetings: peak.meetings, overlap: peak.window,
                    reason: "node \(unitId) would run \(peak.load + 1) relays at once, over its budget of \(budget)",
                    meetingId: candidate.meetingId
                ))
            }
        }
        return found
    }

    /// The halls whose meetings can conflict with `occupancy`: its own, and every hall below a link or
    /// node with a limit that it uses. `nil` when that is every hall (a limit at the root).
    public func relevantHalls(of occupancy: Occupancy) -> Set<String>? {
        var units: Set<String> = []
        for unitId in uplinks(of: occupancy) where tree.unit(unitId)?.uplinkKbps != nil { units.insert(unitId) }
        for unitId in relayNodes(of: occupancy) where tree.unit(unitId)?.relayBudget != nil {
            if tree.unit(unitId)?.parentId == nil { return nil }
            units.insert(unitId)
        }
        var halls = occupancy.hallIds
        for unitId in units {
            let subtree = tree.subtree(of: unitId)
            for hall in tree.halls where subtree.contains(hall.unitId) { halls.insert(hall.id) }
        }
        return halls
    }

    /// The units whose uplink the meeting's stream crosses: each hall's unit and its ancestors, not the root.
    public func uplinks(of occupancy: Occupancy) -> Set<String> {
        var units: Set<String> = []
        for hallId in occupancy.hallIds {
            guard let unitId = tree.hall(hallId)?.unitId else { continue }
            units.insert(unitId)
            units.formUnion(tree.ancestors(of: unitId))
        }
        return units.filter { tree.unit($0)?.parentId != nil }
    }

    /// The units whose node relays the meeting: every ancestor of a hall's unit, root included.
    public func relayNodes(of occupancy: Occupancy) -> Set<String> {
        var units: Set<String> = []
        for hallId in occupancy.hallIds {
            guard let unitId = tree.hall(hallId)?.unitId else { continue }
            units.formUnion(tree.ancestors(of: unitId))
        }
        return units
    }

    private func sortedInTreeOrder(_ ids: Set<String>) -> [String] {
        // Nearest the root first, so a province's link is reported before its districts'.
        ids.sorted { (tree.ancestors(of: $0).count, $0) < (tree.ancestors(of: $1).count, $1) }
    }

    /// The highest summed weight of the meetings at any instant inside `window`, when and who.
    static func peak(of meetings: [Occupancy], within window: Window, weight: (Occupancy) -> Int)
        -> (load: Int, window: Window, meetings: [Conflict.OtherMeeting])
    {
        var events: [(time: Date, delta: Int, meeting: Occupancy)] = []
        for meeting in meetings {
            guard let part = meeting.window.intersection(window) else { continue }
            events.append((part.start, weight(meeting), meeting))
            events.append((part.end, -weight(meeting), meeting))
        }
        // Ends sort before starts at the same instant: touching meetings do not add up.
        events.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var load = 0, best = 0
        var active: [String: Occupancy] = [:]
        var bestWindow = window
        var bestMeetings: [Occupancy] = []
        for (index, event) in events.enumerated() {
            load += event.delta
            if event.delta > 0 { active[event.meeting.meetingId] = event.meeting } else { active[event.meeting.meetingId] = nil }
            let nextTime = index + 1 < events.count ? events[index + 1].time : window.end
            if load > best && nextTime > event.time {
                best = load
                bestWindow = Window(start: event.time, end: nextTime)
                bestMeetings = active.values.sorted { $0.meetingId < $1.meetingId }
            }
        }
        return (best, bestWindow, bestMeetings.map { .init(id: $0.meetingId, title: $0.title) })
    }
}
