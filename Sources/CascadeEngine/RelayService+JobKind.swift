import CascadeCore
import CascadeMedia
import Foundation

/// A relay as a kind of media job: its worker runs the relay's current spec, its statistics prove it
/// works, and every hall it served is recorded leaving when it ends.
extension RelayService {
    public func workerSpec(job id: Int64, worker: JobWorkerID) -> WorkerSpec? {
        guard let spec = relays[id]?.spec else { return nil }
        relays[id]?.worker = worker
        relays[id]?.pid = nil
        return WorkerSpec(id: worker.description, relay: spec)
    }

    public func workerSpawned(job id: Int64, worker: JobWorkerID, pid: Int32) {
        relays[id]?.pid = pid
        persist(id)
    }

    public func interpret(_ report: WorkerReport, job id: Int64, at now: Date) -> MediaJobReport {
        switch report {
        case .relayEvent(let event):
            publish(id, event)
            return .other
        case .relayStatistics(let sample):
            relays[id]?.statistics = sample
            for hall in sample.halls where hall.connected { relays[id]?.connectedSeconds[hall.hallId, default: 0] += 1 }
            return .progress
        case .error(let element, let message, _):
            return .error("\(element): \(message)")
        default:
            return .other
        }
    }

    public func settle(job id: Int64, outcome: WorkerOutcome) {
        relays[id]?.pid = nil
        flushSummary(id)
    }

    public func restarting(job id: Int64, reason: String) {
        hallsLeft(id, because: "the relay restarted: \(reason)")
        publish(id, RelayEvent(at: clock.now, kind: .relayRestarting, detail: reason))
    }

    public func finished(job id: Int64, ending: MediaJobMachine.Ending) {
        switch ending {
        case .stopped(let reason, let actor):
            hallsLeft(id, because: actor == "scheduler" ? "the meeting ended" : "the relay was stopped by \(actor)")
            record { try ledger.finishRelay(id, state: .stopped, reason: reason, actor: actor) }
        case .failed(let reason):
            hallsLeft(id, because: reason)
            publish(id, RelayEvent(at: clock.now, kind: .relayRestarting, detail: reason))
            record { try ledger.finishRelay(id, state: .failed, reason: reason, actor: "system") }
        case .suspended:
            break  // relays are not suspended: their workers outlive the server
        }
        relays[id] = nil
    }

    public func tick(at now: Date) {
        for (id, relay) in relays where now >= relay.lastSummaryAt.adding(settings.summaryInterval) { flushSummary(id) }
    }

    /// The worker took its halls' connections with it, silently: record each hall leaving, and why.
    private func hallsLeft(_ id: Int64, because why: String) {
        for hall in relays[id]?.statistics?.halls ?? [] where hall.connected && addresses.halls[hall.hallId]?.endpoint.isSRT == true {
            publish(id, RelayEvent(at: clock.now, kind: .hallDisconnected, hallId: hall.hallId, detail: why))
        }
        relays[id]?.statistics = nil
    }
}
