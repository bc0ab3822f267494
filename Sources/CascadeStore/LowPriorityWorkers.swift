import Foundation
import Synchronization

/// A few threads of their own, at a low CPU priority, for work that takes whole cores (bcrypt): it
/// runs when nothing else wants the CPU, so requests served meanwhile stay fast. On Linux the nice
/// value is a per-thread attribute; these threads keep theirs for the life of the process.
final class LowPriorityWorkers: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    /// Starts `count` threads named `name-N` at nice value `nice`.
    init(count: Int, name: String, nice: Int32) {
        for index in 0..<count {
            let thread = Thread { [self] in
                setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
                while true {
                    available.wait()
                    let job = jobs.withLock { $0.removeFirst() }
                    job()
                }
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `job` on one of the threads, in submission order.
    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        available.signal()
    }
}
