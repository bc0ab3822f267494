import Foundation

/// Folds text for search: case, diacritics and đ/Đ → d, so "dak nong" finds "Đắk Nông".
public enum VietnameseFolding {
    /// The folded form of `text`.
    public static func fold(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining marks: the tones and vowel marks
            case 0x0110, 0x0111: result.append("d")  // Đ đ do not decompose
            default: result.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            }
        }
        return String(result)
    }
}
