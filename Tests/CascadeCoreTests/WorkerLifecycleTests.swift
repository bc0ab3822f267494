import CascadeCore
import Testing

@Suite struct WorkerLifecycleTests {
    @Test func connectingSendsThePipeline() {
        var lifecycle = WorkerLifecycle()
        #expect(lifecycle.handle(.connected) == [.sendStart])
        #expect(lifecycle.handle(.pipelineStateChanged("PLAYING")).isEmpty)
        #expect(lifecycle.state == .running(pipelineState: "PLAYING"))
    }

    @Test func cleanEndIsCompleted() {
        var lifecycle = WorkerLifecycle()
        _ = lifecycle.handle(.connected)
        _ = lifecycle.handle(.endOfStream)
        let actions = lifecycle.handle(.processExited(.exited(code: 0)))
        #expect(actions == [.report(WorkerOutcome(kind: .completed, termination: .exited(code: 0), reachedEndOfStream: true, lastError: nil))])
    }

    @Test func stopSendsEndOfStreamThenKillsPastDeadline() {
        var lifecycle = WorkerLifecycle()
        _ = lifecycle.handle(.connected)
        #expect(lifecycle.handle(.stopRequested) == [.sendStop, .armStopDeadline])
        #expect(lifecycle.handle(.stopRequested).isEmpty)
        #expect(lifecycle.handle(.stopDeadlinePassed) == [.kill])
        let actions = lifecycle.handle(.processExited(.signaled(signal: 9)))
        guard case .report(let outcome) = actions.first else {
            Issue.record("no report")
            return
        }
        #expect(outcome.kind == .killed)
    }

    @Test func signalNobodySentIsACrash() {
        var lifecycle = WorkerLifecycle()
        _ = lifecycle.handle(.connected)
        guard case .report(let outcome) = lifecycle.handle(.processExited(.signaled(signal: 11))).first else {
            Issue.record("no report")
            return
        }
        #expect(outcome.kind == .crashed)
        #expect(outcome.termination.description == "signal 11 (SIGSEGV)")
    }

    @Test func pipelineErrorMakesTheExitAFailure() {
        var lifecycle = WorkerLifecycle()
        _ = lifecycle.handle(.connected)
        _ = lifecycle.handle(.pipelineError("srtsink0: could not bind"))
        guard case .report(let outcome) = lifecycle.handle(.processExited(.exited(code: 1))).first else {
            Issue.record("no report")
            return
        }
        #expect(outcome.kind == .failed)
        #expect(outcome.lastError == "srtsink0: could not bind")
    }

    @Test func stopBeforeConnectingKills() {
        var lifecycle = WorkerLifecycle()
        #expect(lifecycle.handle(.stopRequested) == [.kill])
    }

    @Test func deadlineAfterExitDoesNothing() {
        var lifecycle = WorkerLifecycle()
        _ = lifecycle.handle(.connected)
        _ = lifecycle.handle(.stopRequested)
        _ = lifecycle.handle(.processExited(.exited(code: 0)))
        #expect(lifecycle.handle(.stopDeadlinePassed).isEmpty)
        #expect(lifecycle.hasExited)
    }
}
