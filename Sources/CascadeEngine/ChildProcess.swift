import CascadeCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Spawning and reaping worker processes with `posix_spawn`.
enum ChildProcess {
    /// Starts `executable` with `arguments` in its own process group, stdin from /dev/null,
    /// stdout and stderr shared with this process, and no other descriptor: libraries do not all
    /// open theirs close-on-exec, and a relay worker that outlives the server must not keep the
    /// server's listening socket.
    static func spawn(executable: String, arguments: [String]) throws(EngineError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        closeInheritedDescriptors(&actions)
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

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does not
    /// export: every descriptor from 3 up is closed in the child.
    private static func closeInheritedDescriptors(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>) {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(actions, 3)
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

    /// Watches a process this one did not start (a worker adopted after a server restart): it
    /// cannot be waited for, so its existence is checked four times a second.
    static func watchAdopted(_ pid: pid_t, onExit: @escaping @Sendable (ProcessTermination) -> Void) {
        let thread = Thread {
            while kill(pid, 0) == 0 || errno == EPERM {
                usleep(250_000)
            }
            onExit(.exited(code: -1))
        }
        thread.name = "cascade-adopted"
        thread.start()
    }

    /// Whether `pid` is a live `cascade worker` with this id (and not a reused pid).
    static func isWorker(_ pid: pid_t, id: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.contains("worker") && zip(arguments, arguments.dropFirst()).contains { $0 == "--id" && $1 == id }
    }

    static func termination(fromWaitStatus status: Int32) -> ProcessTermination {
        let signal = status & 0x7f
        if signal == 0 { return .exited(code: (status >> 8) & 0xff) }
        return .signaled(signal: signal)
    }
}
