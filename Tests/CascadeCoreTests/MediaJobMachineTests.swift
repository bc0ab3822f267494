import CascadeCore
import Foundation
import Testing

/// The job machine on a clock that exists only in the test: every step is an input at a time in
/// milliseconds, and the expected effects beside it.
struct MediaJobMachineTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ milliseconds: Int) -> Date { Date(timeIntervalSince1970: Double(1_800_000_000_000 + milliseconds) / 1000) }
    static func worker(_ attempt: Int) -> JobWorkerID { JobWorkerID(.relay(7), attempt: attempt) }
    static func exit(_ termination: ProcessTermination, error: String? = nil) -> WorkerOutcome {
        WorkerOutcome(kind: termination == .exited(code: 0) ? .completed : .crashed, termination: termination, reachedEndOfStream: false, lastError: error)
    }

    static let relayPolicy = MediaJobMachine.Policy(
        restartBackoff: [.milliseconds(200), .seconds(1), .seconds(2)], silenceLimit: .seconds(6), maxFailedStarts: 3, stopTimeout: .seconds(3),
        silenceStopTimeout: .seconds(1)
    )
    static let recordingPolicy = MediaJobMachine.Policy(
        restartBackoff: [.milliseconds(500), .seconds(1)], silenceLimit: .seconds(5), watchesSilenceAfterProgress: false,
        firstProgressDeadline: .seconds(15), lackOfProgress: "no media from the source", stopTimeout: .seconds(10),
        silenceStopTimeout: .seconds(2)
    )

    typealias Step = (input: MediaJobMachine.Input, effects: [MediaJobMachine.Effect])

    /// Runs the steps and checks each step's effects, then the final state.
    static func run(_ policy: MediaJobMachine.Policy, _ steps: [Step], endsIn state: MediaJobMachine.State, sourceLocation: SourceLocation = #_sourceLocation) {
        var machine = MediaJobMachine(job: .relay(7), policy: policy, at: at(0))
        for (number, step) in steps.enumerated() {
            #expect(machine.handle(step.input) == step.effects, "step \(number + 1): \(step.input)", sourceLocation: sourceLocation)
        }
        #expect(machine.state == state, sourceLocation: sourceLocation)
    }

    @Test func aNewJobLaunchesAtOnceAndRunsWhileItReports() {
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.tick(at: Self.at(500)), []),
            (.progressed(worker: Self.worker(0), at: Self.at(1000)), []),
            (.progressed(worker: Self.worker(0), at: Self.at(6000)), []),
            (.tick(at: Self.at(11_999)), []),
        ], endsIn: .running(worker: Self.worker(0), lastProgress: Self.at(6000)))
    }

    @Test func aCrashedWorkerIsSettledThenReplacedAfterTheFirstBackoff() {
        let crash = Self.exit(.signaled(signal: 11))
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.progressed(worker: Self.worker(0), at: Self.at(1000)), []),
            (.workerExited(worker: Self.worker(0), outcome: crash, at: Self.at(4000)), [.settle(crash)]),
            (.tick(at: Self.at(4100)), []),
            (.settled(at: Self.at(4100)), [.restart(reason: "signal 11 (SIGSEGV)", at: Self.at(4300))]),
            (.tick(at: Self.at(4299)), []),
            (.tick(at: Self.at(4300)), [.launch(Self.worker(1))]),
        ], endsIn: .running(worker: Self.worker(1), lastProgress: Self.at(4300)))
    }

    @Test func workersThatNeverReportBackOffLongerAndTheJobGivesUp() {
        let failed = Self.exit(.exited(code: 1), error: "srtsrc: connection refused")
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.workerExited(worker: Self.worker(0), outcome: failed, at: Self.at(100)), [.settle(failed)]),
            (.settled(at: Self.at(100)), [.restart(reason: "srtsrc: connection refused", at: Self.at(1100))]),
            (.tick(at: Self.at(1099)), []),
            (.tick(at: Self.at(1100)), [.launch(Self.worker(1))]),
            (.workerExited(worker: Self.worker(1), outcome: failed, at: Self.at(1200)), [.settle(failed)]),
            (.settled(at: Self.at(1200)), [.restart(reason: "srtsrc: connection refused", at: Self.at(3200))]),
            (.tick(at: Self.at(3200)), [.launch(Self.worker(2))]),
            (.workerExited(worker: Self.worker(2), outcome: failed, at: Self.at(3300)), [.settle(failed)]),
            (.settled(at: Self.at(3300)), [.finish(.failed(reason: "giving up after 3 failed starts: srtsrc: connection refused"))]),
            (.tick(at: Self.at(9000)), []),
        ], endsIn: .finished(.failed(reason: "giving up after 3 failed starts: srtsrc: connection refused")))
    }

    @Test func progressForgivesEarlierFailedStarts() {
        let failed = Self.exit(.exited(code: 1))
        var machine = MediaJobMachine(job: .relay(7), policy: Self.relayPolicy, at: Self.at(0))
        _ = machine.handle(.tick(at: Self.at(0)))
        _ = machine.handle(.workerExited(worker: Self.worker(0), outcome: failed, at: Self.at(100)))
        _ = machine.handle(.settled(at: Self.at(100)))
        #expect(machine.handle(.tick(at: Self.at(1100))) == [.launch(Self.worker(1))])
        _ = machine.handle(.progressed(worker: Self.worker(1), at: Self.at(1500)))
        _ = machine.handle(.workerExited(worker: Self.worker(1), outcome: failed, at: Self.at(2000)))
        #expect(machine.handle(.settled(at: Self.at(2000))) == [.restart(reason: "exit code 1", at: Self.at(2200))], "back to the first backoff")
        #expect(machine.restarts == 2)
    }

    @Test func aSilentWorkerIsEndedThenReplaced() {
        let killed = WorkerOutcome(kind: .killed, termination: .signaled(signal: 9), reachedEndOfStream: false, lastError: nil)
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.progressed(worker: Self.worker(0), at: Self.at(1000)), []),
            (.tick(at: Self.at(6999)), []),
            (.tick(at: Self.at(7000)), [.endWorker(Self.worker(0), timeout: .seconds(1))]),
            (.tick(at: Self.at(8000)), []),
            (.workerExited(worker: Self.worker(0), outcome: killed, at: Self.at(10_000)), [.settle(killed)]),
            (.settled(at: Self.at(10_000)), [.restart(reason: "the worker stopped reporting for 6.0 seconds", at: Self.at(10_200))]),
        ], endsIn: .waiting(until: Self.at(10_200)))
    }

    @Test func aRecorderWithoutMediaIsStartedAfreshThenTheRecordingFails() {
        let ended = Self.exit(.exited(code: 0))
        Self.run(Self.recordingPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.reportedError(worker: Self.worker(0), message: "srtsrc: no peer"), []),
            (.tick(at: Self.at(5000)), [.endWorker(Self.worker(0), timeout: .seconds(2))]),
            (.workerExited(worker: Self.worker(0), outcome: ended, at: Self.at(5100)), [.settle(ended)]),
            (.settled(at: Self.at(5100)), [.restart(reason: "no media from the source for 5.0 seconds", at: Self.at(6100))]),
            (.tick(at: Self.at(6100)), [.launch(Self.worker(1))]),
            (.tick(at: Self.at(11_100)), [.endWorker(Self.worker(1), timeout: .seconds(2))]),
            (.workerExited(worker: Self.worker(1), outcome: ended, at: Self.at(11_200)), [.settle(ended)]),
            (.settled(at: Self.at(11_200)), [.restart(reason: "no media from the source for 5.0 seconds", at: Self.at(12_200))]),
            (.tick(at: Self.at(12_200)), [.launch(Self.worker(2))]),
            (.tick(at: Self.at(15_000)), [.endWorker(Self.worker(2), timeout: .seconds(2))]),
            (.workerExited(worker: Self.worker(2), outcome: ended, at: Self.at(15_100)), [.settle(ended)]),
            (.settled(at: Self.at(15_100)), [.finish(.failed(reason: "no media from the source within 15.0 seconds: no media from the source for 5.0 seconds"))]),
        ], endsIn: .finished(.failed(reason: "no media from the source within 15.0 seconds: no media from the source for 5.0 seconds")))
    }

    @Test func aRecorderThatHasMediaIsNotWatchedForSilence() {
        Self.run(Self.recordingPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.progressed(worker: Self.worker(0), at: Self.at(2000)), []),
            (.tick(at: Self.at(600_000)), []),
        ], endsIn: .running(worker: Self.worker(0), lastProgress: Self.at(2000)))
    }

    @Test func aStopEndsTheWorkerAndFinishesOnceItsLeftoversAreSettled() {
        let ended = Self.exit(.exited(code: 0))
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.progressed(worker: Self.worker(0), at: Self.at(1000)), []),
            (.stopRequested(reason: nil, actor: "kt1", at: Self.at(2000)), [.endWorker(Self.worker(0), timeout: .seconds(3))]),
            (.stopRequested(reason: "again", actor: "kt2", at: Self.at(2100)), []),
            (.tick(at: Self.at(60_000)), []),
            (.workerExited(worker: Self.worker(0), outcome: ended, at: Self.at(2500)), [.settle(ended)]),
            (.settled(at: Self.at(2600)), [.finish(.stopped(reason: nil, actor: "kt1"))]),
            (.stopRequested(reason: nil, actor: "kt3", at: Self.at(2700)), []),
        ], endsIn: .finished(.stopped(reason: nil, actor: "kt1")))
    }

    @Test func aStopRacingAnExitIsCarriedOutAfterTheSettling() {
        let crash = Self.exit(.signaled(signal: 9))
        Self.run(Self.recordingPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.progressed(worker: Self.worker(0), at: Self.at(1000)), []),
            (.workerExited(worker: Self.worker(0), outcome: crash, at: Self.at(3000)), [.settle(crash)]),
            (.stopRequested(reason: nil, actor: "kt1", at: Self.at(3001)), []),
            (.stopRequested(reason: nil, actor: "kt2", at: Self.at(3002)), []),
            (.tick(at: Self.at(3500)), []),
            (.settled(at: Self.at(4000)), [.finish(.stopped(reason: nil, actor: "kt1"))]),
        ], endsIn: .finished(.stopped(reason: nil, actor: "kt1")))
    }

    @Test func aStopWhileWaitingToRestartFinishesAtOnce() {
        let crash = Self.exit(.signaled(signal: 6))
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.workerExited(worker: Self.worker(0), outcome: crash, at: Self.at(10)), [.settle(crash)]),
            (.settled(at: Self.at(10)), [.restart(reason: "signal 6 (SIGABRT)", at: Self.at(1010))]),
            (.stopRequested(reason: "meeting ended", actor: "scheduler", at: Self.at(100)), [.finish(.stopped(reason: "meeting ended", actor: "scheduler"))]),
            (.tick(at: Self.at(1010)), []),
        ], endsIn: .finished(.stopped(reason: "meeting ended", actor: "scheduler")))
    }

    @Test func aShutdownSuspendsTheJobButAnEarlierStopWins() {
        let ended = Self.exit(.exited(code: 0))
        Self.run(Self.recordingPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.suspendRequested(at: Self.at(100)), [.endWorker(Self.worker(0), timeout: .seconds(10))]),
            (.workerExited(worker: Self.worker(0), outcome: ended, at: Self.at(200)), [.settle(ended)]),
            (.settled(at: Self.at(200)), [.finish(.suspended)]),
        ], endsIn: .finished(.suspended))
        Self.run(Self.recordingPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.stopRequested(reason: "disk", actor: "system", at: Self.at(50)), [.endWorker(Self.worker(0), timeout: .seconds(10))]),
            (.suspendRequested(at: Self.at(100)), []),
            (.workerExited(worker: Self.worker(0), outcome: ended, at: Self.at(200)), [.settle(ended)]),
            (.settled(at: Self.at(200)), [.finish(.stopped(reason: "disk", actor: "system"))]),
        ], endsIn: .finished(.stopped(reason: "disk", actor: "system")))
    }

    @Test func anOperatorReplacesAWorkerThroughItsJob() {
        let ended = Self.exit(.exited(code: 0))
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.progressed(worker: Self.worker(0), at: Self.at(1000)), []),
            (.replaceRequested(worker: Self.worker(3), at: Self.at(1500)), []),
            (.replaceRequested(worker: Self.worker(0), at: Self.at(2000)), [.endWorker(Self.worker(0), timeout: .seconds(3))]),
            (.workerExited(worker: Self.worker(0), outcome: ended, at: Self.at(2100)), [.settle(ended)]),
            (.settled(at: Self.at(2100)), [.restart(reason: "replaced at an operator's request", at: Self.at(2300))]),
            (.tick(at: Self.at(2300)), [.launch(Self.worker(1))]),
        ], endsIn: .running(worker: Self.worker(1), lastProgress: Self.at(2300)))
    }

    @Test func replacingAStartingWorkerIsNoFailedStart() {
        var machine = MediaJobMachine(job: .relay(7), policy: Self.relayPolicy, at: Self.at(0))
        for attempt in 0..<4 {
            #expect(machine.handle(.tick(at: Self.at(attempt * 1000))) == [.launch(Self.worker(attempt))])
            #expect(machine.handle(.replaceRequested(worker: Self.worker(attempt), at: Self.at(attempt * 1000 + 10))) == [.endWorker(Self.worker(attempt), timeout: .seconds(3))])
            _ = machine.handle(.workerExited(worker: Self.worker(attempt), outcome: Self.exit(.exited(code: 0)), at: Self.at(attempt * 1000 + 20)))
            #expect(machine.handle(.settled(at: Self.at(attempt * 1000 + 20))) == [.restart(reason: "replaced at an operator's request", at: Self.at(attempt * 1000 + 220))])
        }
    }

    @Test func reportsFromAnEarlierWorkerAreIgnored() {
        let crash = Self.exit(.signaled(signal: 11))
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.workerExited(worker: Self.worker(0), outcome: crash, at: Self.at(10)), [.settle(crash)]),
            (.settled(at: Self.at(10)), [.restart(reason: "signal 11 (SIGSEGV)", at: Self.at(1010))]),
            (.tick(at: Self.at(1010)), [.launch(Self.worker(1))]),
            (.progressed(worker: Self.worker(0), at: Self.at(1100)), []),
            (.workerExited(worker: Self.worker(0), outcome: crash, at: Self.at(1200)), []),
            (.launchFailed(worker: Self.worker(0), reason: "late", at: Self.at(1200)), []),
            (.replaceRequested(worker: Self.worker(0), at: Self.at(1300)), []),
        ], endsIn: .running(worker: Self.worker(1), lastProgress: Self.at(1010)))
    }

    @Test func aLaunchThatFailsOutrightCountsAsAFailedStart() {
        Self.run(Self.relayPolicy, [
            (.tick(at: Self.at(0)), [.launch(Self.worker(0))]),
            (.launchFailed(worker: Self.worker(0), reason: "no such executable", at: Self.at(5)), [.restart(reason: "no such executable", at: Self.at(1005))]),
        ], endsIn: .waiting(until: Self.at(1005)))
    }

    @Test func anAdoptedWorkerRunsAndIsWatchedFromTheMomentOfAdoption() {
        var machine = MediaJobMachine(job: .relay(7), policy: Self.relayPolicy, adopting: Self.worker(4), at: Self.at(0))
        #expect(machine.workerHasProgressed)
        #expect(machine.handle(.tick(at: Self.at(5999))) == [])
        #expect(machine.handle(.tick(at: Self.at(6000))) == [.endWorker(Self.worker(4), timeout: .seconds(1))])
        let crash = Self.exit(.signaled(signal: 9))
        _ = machine.handle(.workerExited(worker: Self.worker(4), outcome: crash, at: Self.at(6100)))
        _ = machine.handle(.settled(at: Self.at(6100)))
        #expect(machine.handle(.tick(at: Self.at(6300))) == [.launch(Self.worker(5))], "the next attempt follows the adopted one")
    }
}
