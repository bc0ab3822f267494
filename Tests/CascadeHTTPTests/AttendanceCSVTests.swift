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

/// A player link's token is a credential: logs never hold it.
@Suite struct LoggedPathTests {
    @Test func aPlayerLinkTokenIsCutFromLoggedPaths() {
        #expect(ProblemMiddleware.loggable("/play/m12/cas_secret/r1/0.mp4") == "/play/m12/…/r1/0.mp4")
        #expect(ProblemMiddleware.loggable("/play/m12/cas_secret/media.m3u8") == "/play/m12/…/media.m3u8")
        #expect(ProblemMiddleware.loggable("/api/v1/meetings/m12") == "/api/v1/meetings/m12")
    }
}
