@testable import CascadeHTTP
import Testing

/// CSV cells a spreadsheet could run as a formula are written as text.
@Suite struct AttendanceCSVTests {
    @Test("cells", arguments: [
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"), ("\r=1+1", "\"'\r=1+1\""), ("Nguyễn Văn An", "Nguyễn Văn An"), ("a,b", "\"a,b\""),
    ])
    func formulaCellsAreNeutralised(field: String, written: String) {
        #expect(AttendanceCSV.quoted(field) == written)
    }
}
