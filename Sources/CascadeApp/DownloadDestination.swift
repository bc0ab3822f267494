import Foundation

/// Where `cascade archive download` writes: never where a server's `Content-Disposition` points.
///
/// The offered name is a hint, not a path: only its last component is kept, with anything that
/// could climb out or hide (`..`, a leading dot, slashes, control characters) taken out, and it lands
/// in the working directory. `-o` is the user's own choice and is taken as given. Either way an
/// existing file is replaced only with `--force`.
public enum DownloadDestination {
    /// The path to write, or a one-line refusal.
    public static func resolve(output: String?, offered: String?, meetingId: String, force: Bool,
                               fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) throws(APIClient.Failure) -> String {
        let destination = output ?? safeName(offered) ?? safeName("\(meetingId).mp4") ?? "meeting.mp4"
        if fileExists(destination), !force {
            throw APIClient.Failure(status: 0, problemJSON: Data(), description: "\(destination) already exists; give --force to replace it or -o to write elsewhere")
        }
        return destination
    }

    /// The offered file name cut to a harmless last component, or `nil` when nothing usable is left.
    static func safeName(_ offered: String?) -> String? {
        guard let offered else { return nil }
        let last = offered.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })
        while name.hasPrefix(".") { name.removeFirst() }
        name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= 255 else { return nil }
        return name
    }
}
