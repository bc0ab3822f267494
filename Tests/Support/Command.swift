import Foundation

/// Runs an outside program (ffprobe, the cascade binary) and captures what it prints.
public struct CommandResult: Sendable {
    /// Exit status.
    public var status: Int32
    /// Standard output.
    public var output: String
    /// Standard error.
    public var errorOutput: String
}

/// Running commands to completion.
public enum Command {
    /// Runs `executable` with `arguments` and waits for it.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil, timeout: Duration = .seconds(120)) throws -> CommandResult {
        let process = Process()
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self), errorOutput: String(decoding: errorData, as: UTF8.self))
    }
}

/// Independent checks of media files with ffprobe.
public enum MediaProbe {
    /// Frames ffprobe decodes per stream, as `[codec: count]`.
    public static func decodedFrames(_ path: String) throws -> [String: Int] {
        let result = try Command.run("ffprobe", ["-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", path])
        var frames: [String: Int] = [:]
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: ",")
            if fields.count >= 2, let count = Int(fields[1]) { frames[String(fields[0])] = count }
        }
        return frames
    }

    /// Stream descriptions: codec, width and height.
    public static func streams(_ path: String) throws -> [(codec: String, width: Int?, height: Int?)] {
        let result = try Command.run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path])
        return result.output.split(separator: "\n").map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (fields[0], fields.count > 1 ? Int(fields[1]) : nil, fields.count > 2 ? Int(fields[2]) : nil)
        }
    }
}

/// Facts about this process, for leak checks.
public enum ProcessFacts {
    /// Open file descriptors.
    public static var openDescriptors: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1 }

    /// Threads.
    public static var threads: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? -1 }

    /// Processes whose parent is this process (zombies included).
    public static var children: [Int32] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == me
        }
    }

    /// Whether a process with this id exists (and is not a zombie).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}

extension MediaProbe {
    /// Presentation times of the decoded video frames, in seconds.
    public static func videoFrameTimes(_ path: String) throws -> [Double] {
        let result = try Command.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0", path])
        return result.output.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces).split(separator: ",").first ?? "") }
    }

    /// The size of each decoded video frame, as "WIDTHxHEIGHT".
    public static func frameSizes(_ path: String) throws -> [String] {
        let result = try Command.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=width,height", "-of", "csv=p=0:s=x", path])
        return result.output.split(separator: "\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " x")) }.filter { !$0.isEmpty }
    }

    /// Average saturation of each decoded video frame (0 for the grey slate, high for colour bars).
    /// Frames are scaled to one size first: a pass-through hop's slate may differ in size from the feed.
    public static func frameSaturation(_ path: String) throws -> [Double] {
        let filter = "scale=320:180,format=yuv420p,signalstats,metadata=mode=print:key=lavfi.signalstats.SATAVG:file=-"
        let result = try Command.run("ffmpeg", ["-v", "error", "-nostdin", "-i", path, "-an", "-vf", filter, "-f", "null", "-"])
        return result.output.split(separator: "\n").compactMap { line in
            line.hasPrefix("lavfi.signalstats.SATAVG=") ? Double(line.split(separator: "=").last ?? "") : nil
        }
    }

    /// The longest step between consecutive frame times, and whether they only ever increase.
    public static func continuity(_ times: [Double]) -> (largestStep: Double, isMonotonic: Bool) {
        var largest = 0.0, monotonic = true
        for (earlier, later) in zip(times, times.dropFirst()) {
            largest = max(largest, later - earlier)
            if later <= earlier { monotonic = false }
        }
        return (largest, monotonic)
    }
}
