import Foundation

/// The pipelines of a relay worker.
///
/// The root hop is split in two pipelines joined by GStreamer's inter elements: the *input* decodes
/// the source to raw pictures and sound and may fail, stall or be rebuilt at any time; the *output*
/// never stops — it encodes whatever is selected (live pictures or the slate) once, to H.264 + AAC in
/// MPEG-TS aligned for SRT, and fans it out. Audio needs no switch: the inter audio source plays
/// silence when nothing arrives.
enum RelayRecipes {
    static let slateText = "Mất tín hiệu — đang kết nối lại"
    /// Input-selector pads: the slate is linked first, so it is active until the input is live.
    static let slatePad = "sink_0"
    static let livePad = "sink_1"
    static let inputWatch = "vin"
    static let listenerSink = "halls"
    static let lanSink = "lan"
    static let callSink = "hall"

    static func videoCaps(_ canvas: RelayCanvas) -> String {
        "video/x-raw,format=I420,width=\(canvas.width),height=\(canvas.height),framerate=\(canvas.framerate)/1,pixel-aspect-ratio=1/1"
    }

    static let audioCaps = "audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=2"

    static func channel(_ spec: RelaySpec) -> String { "cascade-relay-\(spec.relayId)" }

    /// Decodes the source into the relay's inter channels.
    static func input(_ spec: RelaySpec, source: RelaySource) -> PipelineRecipe {
        let channel = channel(spec)
        let videoTail = "videoconvert ! videoscale add-borders=true ! videorate ! \(videoCaps(spec.canvas)) "
            + "! intervideosink name=\(inputWatch) channel=\(channel)-v sync=false"
        // The sound is metered where it enters (a `level` every 250 ms): silence is an alarm on the readiness board.
        let audioTail = "audioconvert ! audioresample ! \(audioCaps) ! level interval=250000000 ! interaudiosink channel=\(channel)-a sync=false"
        if case .demo = source {
            return PipelineRecipe("""
            videotestsrc is-live=true pattern=ball ! video/x-raw,width=\(spec.canvas.width),height=\(spec.canvas.height),framerate=\(spec.canvas.framerate)/1 \
            ! textoverlay text="Cascade demo" valignment=top halignment=left font-desc="Sans 16" ! \(videoTail) \
            audiotestsrc is-live=true wave=sine freq=440 volume=0.2 ! \(audioTail)
            """)
        }
        return source.decodingHead + PipelineRecipe("""
        src. ! video/x-raw ! queue max-size-time=500000000 leaky=downstream ! \(videoTail) \
        src. ! audio/x-raw ! queue max-size-time=500000000 leaky=downstream ! \(audioTail)
        """)
    }

    /// Encodes the selected picture and the sound once and fans the stream out to every hall.
    static func output(_ spec: RelaySpec, udpClients: [String]) -> PipelineRecipe {
        let canvas = spec.canvas
        let channel = channel(spec)
        return PipelineRecipe("""
        \(slatePicture(spec)) ! select.\(slatePad) \
        intervideosrc channel=\(channel)-v timeout=3600000000000 ! \(videoCaps(canvas)) ! select.\(livePad) \
        input-selector name=select sync-streams=false ! videoconvert \
        ! x264enc tune=zerolatency speed-preset=superfast bitrate=\(canvas.videoKbps) key-int-max=\(canvas.framerate) \
        ! h264parse config-interval=-1 ! queue max-size-time=1000000000 ! mux. \
        interaudiosrc channel=\(channel)-a ! \(audioCaps) ! audioconvert ! avenc_aac bitrate=\(canvas.audioKbps * 1000) ! aacparse \
        ! queue max-size-time=1000000000 ! mux. \
        mpegtsmux name=mux alignment=7 ! \(fanOut(spec))
        """, settings: settings(spec, udpClients: udpClients))
    }

    /// The element that writes the loss notice and the meeting title on the slate.
    static let slateTextElement = "slatetext"

    /// The slate as raw pictures: black, with the text set on ``slateTextElement``, repeated live.
    private static func slatePicture(_ spec: RelaySpec) -> String {
        """
        videotestsrc pattern=black num-buffers=1 ! \(videoCaps(spec.canvas)) \
        ! textoverlay name=\(slateTextElement) valignment=center halignment=center line-alignment=center font-desc="Sans 20" \
        ! imagefreeze is-live=true
        """
    }

    /// The values an output takes from people and configuration: the slate's text (the meeting title)
    /// and the LAN halls' addresses.
    private static func settings(_ spec: RelaySpec, udpClients: [String]) -> [ElementSetting] {
        [
            ElementSetting(element: slateTextElement, property: "text", value: "\(slateText)\n\(spec.title)"),
            ElementSetting(element: lanSink, property: "clients", value: udpClients.joined(separator: ",")),
        ]
    }

    // MARK: - Pass-through hops

    static let videoSelector = "vselect"
    static let audioSelector = "aselect"
    static let liveVideo = "vlive"
    static let liveAudio = "alive"
    static let inputAudio = "ain"
    static let slateGate = "slategate"
    static let slateEncoder = "slateenc"
    private static let h264 = "video/x-h264,stream-format=byte-stream,alignment=au"
    private static let adts = "audio/mpeg,mpegversion=4,stream-format=adts"

    /// A hop further down the tree takes the stream apart into H.264 and AAC (parsed, never decoded)
    /// for the output's live pads; the stream was normalised by the root.
    static func passThroughInput(_ spec: RelaySpec, source: RelaySource) -> PipelineRecipe {
        let sink = "sync=false async=false enable-last-sample=false max-buffers=200 drop=true"
        return source.transportStreamHead.replacingDescription { head in """
        \(head) ! queue max-size-time=1000000000 ! tsdemux name=demux \
        demux. ! video/x-h264 ! queue max-size-time=1000000000 ! h264parse ! \(h264) ! appsink name=\(inputWatch) \(sink) \
        demux. ! audio/mpeg ! queue max-size-time=1000000000 ! aacparse ! \(adts) ! appsink name=\(inputAudio) \(sink)
        """ }
    }

    /// The output of a pass-through hop: the live H.264 and AAC as they came, or an encoded slate
    /// (with silence) while the link above is down, switched at keyframes, muxed again and fanned out.
    /// The slate's keyframe every half second bounds how long a switch to it waits; while the halls see
    /// the live stream the slate is not encoded at all (its valve is shut).
    static func passThroughOutput(_ spec: RelaySpec, udpClients: [String]) -> PipelineRecipe {
        let canvas = spec.canvas
        // Latency set explicitly: left at its defaults, the live appsrc made the audio selector's latency
        // query fail ("minimum latency bigger than maximum latency") and the muxer's with it.
        let live = "is-live=true format=time min-latency=0 max-latency=-1 max-bytes=0 max-time=1000000000 leaky-type=downstream"
        return PipelineRecipe("""
        \(slatePicture(spec)) ! valve name=\(slateGate) drop=false ! videoconvert ! video/x-raw,format=I420 \
        ! x264enc name=\(slateEncoder) tune=zerolatency speed-preset=superfast bitrate=\(min(canvas.videoKbps, 400)) key-int-max=\(max(canvas.framerate / 2, 1)) \
        ! h264parse ! \(h264) ! \(videoSelector).\(slatePad) \
        appsrc name=\(liveVideo) \(live) ! \(videoSelector).\(livePad) \
        input-selector name=\(videoSelector) sync-streams=false ! h264parse config-interval=-1 ! queue max-size-time=1000000000 ! mux. \
        audiotestsrc wave=silence is-live=true ! \(audioCaps) ! audioconvert ! avenc_aac bitrate=\(canvas.audioKbps * 1000) ! aacparse ! \(adts) \
        ! \(audioSelector).\(slatePad) \
        appsrc name=\(liveAudio) \(live) ! \(audioSelector).\(livePad) \
        input-selector name=\(audioSelector) sync-streams=false ! queue max-size-time=1000000000 ! mux. \
        mpegtsmux name=mux alignment=7 ! \(fanOut(spec))
        """, settings: settings(spec, udpClients: udpClients))
    }

    /// The tee to every hall: the appsink feeding the SRT listener for halls that call in (and call
    /// legs; see ``HallListener``), the LAN sender.
    private static func fanOut(_ spec: RelaySpec) -> String {
        let branch = "queue leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=1000000000"
        return """
        tee name=fanout allow-not-linked=true \
        fanout. ! \(branch) ! appsink name=\(listenerSink) sync=false max-buffers=1000 drop=true \
        fanout. ! \(branch) ! multiudpsink name=\(lanSink) auto-multicast=true loop=false ttl-mc=\(spec.multicastTTL ?? 8) sync=false
        """
    }

    /// One hall that listens: a leg that takes the stream from the relay's own listener over loopback
    /// and calls the hall, so a hall that is down or slow only ever fails its own leg.
    static func callLeg(_ spec: RelaySpec, streamId: String, hallURI: String) -> PipelineRecipe {
        let loopback = SRTAddress(host: "127.0.0.1", port: spec.listener.port, mode: .caller, latencyMs: 120, passphrase: spec.listener.passphrase, streamId: streamId)
        return PipelineRecipe("""
        srtsrc name=loopback auto-reconnect=false \
        ! queue leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=1000000000 \
        ! srtsink name=\(callSink) wait-for-connection=false auto-reconnect=false sync=false
        """, settings: [
            ElementSetting(element: "loopback", property: "uri", value: loopback.uri),
            ElementSetting(element: callSink, property: "uri", value: hallURI),
        ])
    }
}
