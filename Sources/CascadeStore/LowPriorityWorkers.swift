import Foundation
import Synchronization

/// A few threads of their own, at a low CPU priority, for work that takes whole cores (bcrypt): it
/// runs when nothing else wants the CPU, so requests served meanwhile stay fast. On Linux the nice
/// value is a per-thread attribute; these threads keep theirs for the life of the process.
///
/// Two lanes: urgent jobs (a sign-in from someone with no recent failure) are taken before the
/// others, so a burst of guesses queued from elsewhere does not stand between a colleague and their
/// sign-in. Each lane holds at most `waitingLimit` jobs.
final class LowPriorityWorkers: Sendable {
    private struct Lanes {
        var urgent: [@Sendable () -> Void] = []
        var other: [@Sendable () -> Void] = []
    }

    private let jobs = Mutex(Lanes())
    private let available = DispatchSemaphore(value: 0)
    /// Jobs that may wait at once; more are refused rather than queued behind minutes of work.
    let waitingLimit: Int

    /// Starts `count` threads named `name-N` at nice value `nice`, with at most `waitingLimit` jobs waiting.
    init(count: Int, name: String, nice: Int32, waitingLimit: Int = .max) {
        self.waitingLimit = waitingLimit
        for index in 0..<count {
            let thread = Thread { [self] in
                setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
                while true {
                    available.wait()
                    let job = jobs.withLock { lanes in lanes.urgent.isEmpty ? lanes.other.removeFirst() : lanes.urgent.removeFirst() }
                    job()
                }
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `job` on one of the threads, in submission order within its lane; `false` (and `job`
    /// never runs) when `waitingLimit` jobs already wait in that lane.
    func submit(isUrgent: Bool = false, _ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = jobs.withLock { lanes in
            guard (isUrgent ? lanes.urgent.count : lanes.other.count) < waitingLimit else { return false }
            if isUrgent { lanes.urgent.append(job) } else { lanes.other.append(job) }
            return true
        }
        if accepted { available.signal() }
        return accepted
    }
}
