import CascadeCore
import CascadeMedia
import Foundation

/// A recording as a kind of media job: its recorder writes parts from the next index on, a part
/// opening proves it has media, and the parts an ended recorder leaves are measured before anything else.
extension RecordingService {
    public func workerSpec(job id: Int64, worker: JobWorkerID) -> WorkerSpec? {
        guard let recording = recordings[id] else { return nil }
        let pipeline = PipelineRecipes.recording(from: recording.source, into: directory(of: id), partDuration: .seconds(recording.partSeconds), firstPart: recording.nextPart)
        return WorkerSpec(id: worker.description, purpose: "recording", pipeline: pipeline)
    }

    public func workerSpawned(job id: Int64, worker: JobWorkerID, pid: Int32) {}

    public func interpret(_ report: WorkerReport, job id: Int64, at now: Date) async -> MediaJobReport {
        switch report {
        case .partOpened(let partIndex, _):
            let startedAt = clock.now
            if let open = recordings[id]?.openPart { recordings[id]?.closingParts[open.index] = open.startedAt }
            recordings[id]?.openPart = (partIndex, startedAt)
            recordings[id]?.hasMedia = true
            recordings[id]?.nextPart = partIndex + 1
            record { try index.partOpened(recording: id, index: partIndex, at: startedAt) }
            return .progress
        case .partClosed(let partIndex, _):
            if let startedAt = recordings[id]?.closingParts.removeValue(forKey: partIndex) {
                await finishPart(id, partIndex: partIndex, startedAt: startedAt, endedNormally: true)
            } else if let open = recordings[id]?.openPart, open.index == partIndex {
                recordings[id]?.openPart = nil
                await finishPart(id, partIndex: partIndex, startedAt: open.startedAt, endedNormally: true)
            }
            return .other
        case .error(let element, let message, _):
            return .error("\(element): \(message)")
        default:
            return .other
        }
    }

    /// The recorder is gone: every part it was still finalising is as complete as it will be.
    public func settle(job id: Int64, outcome: WorkerOutcome) async {
        guard var recording = recordings[id] else { return }
        var pending = recording.closingParts.map { (index: $0.key, startedAt: $0.value, endedNormally: true) }
        if let open = recording.openPart { pending.append((open.index, open.startedAt, outcome.reachedEndOfStream)) }
        recording.openPart = nil
        recording.closingParts = [:]
        recording.lastOutcome = outcome
        recordings[id] = recording
        for part in pending.sorted(by: { $0.index < $1.index }) {
            await finishPart(id, partIndex: part.index, startedAt: part.startedAt, endedNormally: part.endedNormally)
        }
        folders.removeEmptyParts(of: id)
    }

    /// A crash or a lost source: bridged by a gap, and a new part once the next recorder has media.
    public func restarting(job id: Int64, reason: String) {
        guard let recording = recordings[id], recording.hasMedia else { return }
        let why = recording.lastOutcome?.kind == .crashed ? "recorder crashed (\(reason))" : "source lost (\(reason))"
        record { try index.openGap(recording: id, at: clock.now, reason: why) }
    }

    public func finished(job id: Int64, ending: MediaJobMachine.Ending) {
        switch ending {
        case .stopped(let reason, let actor):
            record { try index.finishRecording(id, state: .stopped, reason: reason, actor: actor) }
        case .failed(let reason):
            logger.warning("recording failed", metadata: ["recording.id": "\(id)", "reason": "\(reason)"])
            record { try index.finishRecording(id, state: .failed, reason: reason, actor: "system") }
        case .suspended:
            record { try index.openGap(recording: id, at: clock.now, reason: "server stopped") }
        }
        recordings[id] = nil
    }

    /// Stops every recording before the disk fills.
    public func tick(at now: Date) async {
        guard let shortage = folders.diskShortage() else { return }
        for (id, recording) in recordings where !recording.diskAlarmRaised {
            recordings[id]?.diskAlarmRaised = true
            logger.error("disk space alarm: stopping recording", metadata: ["recording.id": "\(id)"])
            record { try index.appendAudit(actor: "system", action: "recording.disk-alarm", target: "r\(id)", details: shortage) }
            await driver.requestStop(id, reason: "stopped before the disk filled: \(shortage)", actor: "system")
        }
    }
}
