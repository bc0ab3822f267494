import CascadeMedia

extension RelaySource {
    /// `source` parsed for a relay: any source for a root hop, an MPEG-TS stream for a pass-through hop.
    static func relayable(_ source: String, passThrough: Bool) throws(RelayError) -> RelaySource {
        let parsed: RelaySource
        do {
            parsed = try RelaySource(parsing: source)
        } catch {
            throw RelayError(.invalidSource, error.message)
        }
        switch parsed {
        case .rtsp, .demo:
            if passThrough { throw RelayError(.invalidSource, "a pass-through hop needs an MPEG-TS source (srt://, udp:// or rtp://)") }
        case .srt, .udp, .rtp:
            break
        }
        return parsed
    }
}
