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

    // MARK: - Bookkeeping

    func resumeAfterRestart() async {
        for saved in (try? ledger.runningRelayWorkers()) ?? [] {
            guard let text = saved.spec, let spec = try? JSONDecoder().decode(RelaySpec.self, from: Data(text.utf8)) else {
                record { try ledger.finishRelay(saved.relay, state: .failed, reason: "interrupted: the server stopped", actor: "system") }
                continue
            }
            relays[saved.relay] = Relay(spec: spec, meetingId: saved.meetingId, lastSummaryAt: clock.now)
            let worker = saved.workerId.flatMap(JobWorkerID.init)
            if let worker, let pid = saved.pid, (try? await host.adopt(WorkerSpec(id: worker.description, relay: spec), pid: pid)) != nil {
                relays[saved.relay]?.worker = worker
                relays[saved.relay]?.pid = pid
                await driver.adopt(saved.relay, worker: worker)
                logger.info("relay re-attached", metadata: ["relay.id": "\(saved.relay)", "pid": "\(pid)"])
            } else {
                logger.info("relay worker gone, restarting it", metadata: ["relay.id": "\(saved.relay)"])
                await driver.add(saved.relay, attempts: worker.map { $0.attempt + 1 } ?? 0)  // the halls call back in
            }
        }
    }

    /// Saves what the next server run needs to re-attach to this relay.
    func persist(_ id: Int64) {
        guard let relay = relays[id], let data = try? JSONEncoder().encode(relay.spec) else { return }
        record { try ledger.saveRelayWorker(relay: id, spec: String(decoding: data, as: UTF8.self), workerId: relay.worker?.description, pid: relay.pid) }
    }

    func publish(_ id: Int64, _ event: RelayEvent) {
        guard relays[id] != nil else { return }
        relays[id]?.recentEvents.append(event)
        if let count = relays[id]?.recentEvents.count, count > 50 { relays[id]?.recentEvents.removeFirst(count - 50) }
        let stored = RelayEventRecord(relayId: id, at: event.at, kind: event.kind.rawValue, hallId: event.hallId, detail: event.detail)
        record { try ledger.appendRelayEvents([stored]) }
        broadcast.send(stored)
    }

    func flushSummary(_ id: Int64) {
        guard let relay = relays[id] else { return }
        relays[id]?.lastSummaryAt = clock.now
        relays[id]?.connectedSeconds = [:]
        for hall in relay.statistics?.halls ?? [] {
            record {
                try ledger.updateRelayHall(
                    relay: id, hallId: hall.hallId, connectedSecondsAdded: relay.connectedSeconds[hall.hallId] ?? 0, bytes: Int64(clamping: hall.bytes),
                    lostPackets: hall.lostPackets ?? 0, retransmittedPackets: hall.retransmittedPackets ?? 0, rttMs: hall.rttMs
                )
            }
        }
    }

    func record(_ write: () throws -> Void) {
        do { try write() } catch { logger.error("relay ledger write failed", metadata: ["error": "\(error)"]) }
    }
}
