@testable import CascadeCore
import Foundation
import Testing

/// Invitation lists from CSV: Vietnamese names survive, every bad line is named, nothing half-read.
@Suite struct DelegateListTests {
    static let tree = try! UnitTree(
        levels: ["province", "district"],
        units: [Unit(id: "dn", name: "Tỉnh ủy Đắk Nông", level: "province", parentId: nil), Unit(id: "cj", name: "Cư Jút", level: "district", parentId: "dn"),
                Unit(id: "gn", name: "Gia Nghĩa", level: "district", parentId: "dn")],
        halls: [Hall(id: "h-cj", name: "Hội trường Cư Jút", unitId: "cj", endpoint: .srtCaller(streamId: "h-cj"), capacityKbps: 6000, latencyMs: 500),
                Hall(id: "h-gn", name: "Hội trường Gia Nghĩa", unitId: "gn", endpoint: .srtCaller(streamId: "h-gn"), capacityKbps: 6000, latencyMs: 500)]
    )

    @Test func readsAListWithQuotesABomAndCRLF() throws {
        let text = "\u{FEFF}name,position,unit,hall\r\n\"Nguyễn Văn An\",\"Bí thư, Huyện ủy\",cj,h-cj\r\nĐỗ Thị Bình,Phó Bí thư,gn,h-gn\r\n"
        let entries = try DelegateList.parse(csv: Array(text.utf8), tree: Self.tree)
        #expect(entries == [
            DelegateEntry(name: "Nguyễn Văn An", position: "Bí thư, Huyện ủy", unitId: "cj", hallId: "h-cj"),
            DelegateEntry(name: "Đỗ Thị Bình", position: "Phó Bí thư", unitId: "gn", hallId: "h-gn"),
        ])
    }

    @Test(arguments: [
        ("name,position,unit\nA,B,cj\n", 1, ""),
        ("name,position,unit,hall\nA,B,cj\n", 2, "hall"),
        ("name,position,unit,hall\nA,B,xx,h-cj\n", 2, "unit"),
        ("name,position,unit,hall\nA,B,cj,h-xx\n", 2, "hall"),
        ("name,position,unit,hall\nA,B,cj,h-gn\n", 2, "hall"),
        ("name,position,unit,hall\nA,B,cj,h-cj\nB,C,cj,h-cj\nA,D,cj,h-cj\n", 4, "name"),
        ("name,position,unit,hall\n,B,cj,h-cj\n", 2, "name"),
        ("name,position,unit,hall\n\"A,B,cj,h-cj\n", 2, ""),
    ])
    func refusesNamingTheLine(csv: String, line: Int, field: String) {
        #expect(throws: DelegateListProblem.self) { try DelegateList.parse(csv: Array(csv.utf8), tree: Self.tree) }
        do {
            _ = try DelegateList.parse(csv: Array(csv.utf8), tree: Self.tree)
        } catch {
            #expect(error.line == line && error.field == field, "\(error)")
        }
    }

    @Test func refusesTextThatIsNotUTF8() {
        let latin1: [UInt8] = Array("name,position,unit,hall\nNguy".utf8) + [0xEA, 0x6E] + Array(",B,cj,h-cj\n".utf8)
        #expect(throws: DelegateListProblem.self) { try DelegateList.parse(csv: latin1, tree: Self.tree) }
    }
}
