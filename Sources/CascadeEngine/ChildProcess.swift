import CascadeCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Spawning and reaping worker processes with `posix_spawn`.
enum ChildProcess {
    /// Starts `executable` with `arguments` in its own process group, stdin from /dev/null,
    /// stdout and stderr shared with this process. Every descriptor Cascade opens is close-on-exec,
    /// so the worker inherits nothing else.
    static func spawn(executable: String, arguments: [String]) throws(EngineError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group: a Ctrl-C at the server's terminal reaches the server, which stops
        // workers gracefully, instead of killing every worker mid-file.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw EngineError(.spawnFailed, "could not start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits for `pid` on a dedicated thread and calls `onExit` the moment it ends (reaping it).
    static func watch(_ pid: pid_t, onExit: @escaping @Sendable (ProcessTermination) -> Void) {
        let thread = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                if errno != EINTR {
                    onExit(.exited(code: -1))
                    return
                }
            }
            onExit(termination(fromWaitStatus: status))
        }
        thread.name = "cascade-reaper"
        thread.start()
    }

    static func termination(fromWaitStatus status: Int32) -> ProcessTermination {
        let signal = status & 0x7f
        if signal == 0 { return .exited(code: (status >> 8) & 0xff) }
        return .signaled(signal: signal)
    }
}
