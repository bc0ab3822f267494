/// A single `Range: bytes=…` request, resolved against a file's size.
enum ByteRange {
    /// The outcome of reading a Range header.
    enum Resolution: Equatable {
        /// No Range header: the whole file.
        case whole
        /// These bytes, inclusive.
        case part(first: Int64, last: Int64)
        /// Cannot be served from this file (416).
        case unsatisfiable(String)
        /// Not a byte range at all (400).
        case malformed(String)
    }

    /// Resolves `header` for a file of `size` bytes.
    static func resolve(_ header: String?, size: Int64) -> Resolution {
        guard let header else { return .whole }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes=") else { return .malformed("only byte ranges are served (Range: bytes=first-last)") }
        let spec = trimmed.dropFirst(6)
        if spec.contains(",") { return .unsatisfiable("only a single range is served per request") }
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard bounds.count == 2 else { return .malformed("a range is first-last, first- or -suffix") }
        switch (Int64(bounds[0]), Int64(bounds[1]), bounds[0].isEmpty, bounds[1].isEmpty) {
        case (nil, let suffix?, true, false):
            guard suffix > 0 else { return .unsatisfiable("an empty suffix range") }
            guard size > 0 else { return .unsatisfiable("the file is empty") }
            return .part(first: max(0, size - suffix), last: size - 1)
        case (let first?, nil, false, true):
            guard first < size else { return .unsatisfiable("the file has \(size) bytes") }
            return .part(first: first, last: size - 1)
        case (let first?, let last?, false, false):
            guard first <= last else { return .malformed("the range ends before it starts") }
            guard first < size else { return .unsatisfiable("the file has \(size) bytes") }
            return .part(first: first, last: min(last, size - 1))
        default:
            return .malformed("a range is first-last, first- or -suffix, in bytes")
        }
    }
}
