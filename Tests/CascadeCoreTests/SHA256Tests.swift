import CascadeCore
import Testing

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownVectors(_ input: String, _ digest: String) {
        #expect(SHA256.hexDigest(input) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hash = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 37) { hash.update(Array(bytes[chunk..<min(chunk + 37, bytes.count)])) }
        let incremental = hash.finalize()
        var whole = SHA256()
        whole.update(bytes)
        #expect(incremental == whole.finalize())
    }
}

@Suite struct HMACTests {
    /// RFC 4231-style checks against Python's hmac module.
    @Test(arguments: [
        ("key", "The quick brown fox jumps over the lazy dog", "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"),
        (String(repeating: "k", count: 100), "m", "0482265a92ce176b0374f2192380b21e2d40126432c52f865cc0957053ae7a14"),
    ])
    func matchesReference(key: String, message: String, expected: String) {
        #expect(SHA256.hmacHex(key: key, message: message) == expected)
    }
}
