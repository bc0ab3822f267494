import Foundation

/// Pipeline descriptions Cascade builds; callers never hand raw descriptions to a worker.
public enum PipelineRecipes {
    /// The synthetic central feed: a moving test pattern with a caption and a running clock, a 1 kHz
    /// tone, H.264 (1 s GOP, SPS/PPS on every keyframe) + AAC in MPEG-TS aligned to 1316-byte SRT payloads.
    /// The caption and the address are set on the named elements after parsing.
    public static func demoFeed(to output: SRTAddress, caption: String, width: Int = 640, height: Int = 360, videoKbps: Int = 1000) -> PipelineRecipe {
        let framerate = 25
        let description = """
        videotestsrc is-live=true pattern=smpte horizontal-speed=2 \
        ! video/x-raw,width=\(width),height=\(height),framerate=\(framerate)/1 \
        ! textoverlay name=\(captionElement) valignment=top halignment=left font-desc="Sans 16" shaded-background=true \
        ! clockoverlay time-format="%H:%M:%S" valignment=bottom halignment=right font-desc="Sans 16" shaded-background=true \
        ! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=\(videoKbps) key-int-max=\(framerate) \
        ! h264parse config-interval=-1 ! queue max-size-time=1000000000 ! mux. \
        audiotestsrc is-live=true wave=sine freq=1000 volume=0.3 ! audioconvert ! audioresample \
        ! audio/x-raw,rate=48000,channels=2 ! avenc_aac bitrate=128000 ! aacparse ! queue max-size-time=1000000000 ! mux. \
        mpegtsmux name=mux alignment=7 ! srtsink name=sink wait-for-connection=false
        """
        return PipelineRecipe(description, settings: [
            ElementSetting(element: captionElement, property: "text", value: caption),
            ElementSetting(element: "sink", property: "uri", value: output.uri),
        ])
    }

    /// The demo feed's caption overlay.
    public static let captionElement = "caption"

    /// Records a source without re-encoding into fragmented MP4 parts (`part-00000.mp4`, …) of at most
    /// `partDuration`, in half-second fragments: a killed recorder loses the fragment being written and
    /// the GOP splitmuxsink holds back to choose where to split (≈1.5 s at a 1 s GOP). Parts split at
    /// keyframes; `firstPart` continues a recording's numbering.
    /// splitmuxsink posts `splitmuxsink-fragment-opened` / `-closed` element messages for the index.
    public static func recording(from source: RelaySource, into directory: String, partDuration: Duration, firstPart: Int) -> PipelineRecipe {
        let nanoseconds = partDuration.components.seconds * 1_000_000_000 + partDuration.components.attoseconds / 1_000_000_000
        // splitmuxsink reads `location` as a printf format: a `%` in the directory must stay a `%`.
        let location = (directory.replacingOccurrences(of: "%", with: "%%") as NSString).appendingPathComponent("part-%05d.mp4")
        return source.recordingHead + PipelineRecipe("""
        splitmuxsink name=parts async-finalize=true muxer-factory=mp4mux \
        muxer-properties="properties,fragment-duration=500" max-size-time=\(nanoseconds) \
        start-index=\(firstPart)
        """, settings: [ElementSetting(element: "parts", property: "location", value: location)])
    }

    /// Records an SRT source; see ``recording(from:into:partDuration:firstPart:)-(RelaySource,_,_,_)``.
    public static func recording(from source: SRTAddress, into directory: String, partDuration: Duration, firstPart: Int) -> PipelineRecipe {
        recording(from: .srt(source), into: directory, partDuration: partDuration, firstPart: firstPart)
    }
}
