// Pass-through hop helpers. A hop below the root never decodes, so its slate is spliced in as
// encoded H.264 + AAC: a *bridge* moves the parsed elementary streams from the input pipeline's
// appsinks into the output pipeline's appsrcs, retimed onto the output's clock, and a *splice*
// switches the output's input-selectors between slate and live only at a keyframe of the stream
// switched to, so a decoder never gets pictures that refer to frames it has not seen.
#include "cascade_media.h"

#include <gst/gst.h>

/// The timing of one input session: input running time + offset = output running time, anchored
/// at the session's first buffer and again whenever the two part by more than a second.
struct CascadeBridge {
    GMutex lock;
    gboolean anchored;
    GstClockTimeDiff offset;
};

CascadeBridge *cascade_bridge_new(void) {
    CascadeBridge *bridge = g_new0(CascadeBridge, 1);
    g_mutex_init(&bridge->lock);
    return bridge;
}

void cascade_bridge_free(CascadeBridge *bridge) {
    g_mutex_clear(&bridge->lock);
    g_free(bridge);
}

/// A new input session starts: its first buffer is placed at the output's present moment.
void cascade_bridge_reset(CascadeBridge *bridge) {
    g_mutex_lock(&bridge->lock);
    bridge->anchored = FALSE;
    g_mutex_unlock(&bridge->lock);
}

/// One appsink → appsrc leg of a bridge (video or audio); owned by the appsink's signal handler.
typedef struct {
    CascadeBridge *bridge;
    GstElement *appsrc;
    GstCaps *caps;
} CascadeBridgeLeg;

static void cascade_bridge_leg_free(gpointer data, GClosure *closure) {
    CascadeBridgeLeg *leg = data;
    gst_object_unref(leg->appsrc);
    if (leg->caps) gst_caps_unref(leg->caps);
    g_free(leg);
}

static GstClockTime cascade_retimed(const GstSegment *segment, GstClockTime time, GstClockTimeDiff offset) {
    if (!GST_CLOCK_TIME_IS_VALID(time)) return GST_CLOCK_TIME_NONE;
    guint64 running = gst_segment_to_running_time(segment, GST_FORMAT_TIME, time);
    if (running == GST_CLOCK_TIME_NONE || (GstClockTimeDiff)running + offset < 0) return GST_CLOCK_TIME_NONE;
    return (GstClockTime)((GstClockTimeDiff)running + offset);
}

static GstFlowReturn cascade_bridge_on_sample(GstElement *appsink, gpointer data) {
    CascadeBridgeLeg *leg = data;
    GstSample *sample = NULL;
    g_signal_emit_by_name(appsink, "pull-sample", &sample);
    if (!sample) return GST_FLOW_OK;
    GstBuffer *buffer = gst_sample_get_buffer(sample);
    const GstSegment *segment = gst_sample_get_segment(sample);
    GstClock *clock = gst_element_get_clock(leg->appsrc);
    if (!buffer || !segment || segment->format != GST_FORMAT_TIME || !clock) goto done;
    GstClockTime now = gst_clock_get_time(clock) - gst_element_get_base_time(leg->appsrc);
    GstClockTime first = cascade_retimed(segment, GST_BUFFER_DTS_OR_PTS(buffer), 0);
    if (!GST_CLOCK_TIME_IS_VALID(first)) goto done;

    g_mutex_lock(&leg->bridge->lock);
    // A source that restarted its clock (or drifted far) is placed at the present moment again.
    GstClockTimeDiff drift = (GstClockTimeDiff)first + leg->bridge->offset - (GstClockTimeDiff)now;
    if (!leg->bridge->anchored || drift > GST_SECOND || drift < -GST_SECOND) {
        leg->bridge->offset = (GstClockTimeDiff)now - (GstClockTimeDiff)first;
        leg->bridge->anchored = TRUE;
    }
    GstClockTimeDiff offset = leg->bridge->offset;
    g_mutex_unlock(&leg->bridge->lock);

    GstBuffer *retimed = gst_buffer_copy(buffer);
    GST_BUFFER_PTS(retimed) = cascade_retimed(segment, GST_BUFFER_PTS(buffer), offset);
    GST_BUFFER_DTS(retimed) = cascade_retimed(segment, GST_BUFFER_DTS(buffer), offset);
    if (!GST_BUFFER_PTS_IS_VALID(retimed) && !GST_BUFFER_DTS_IS_VALID(retimed)) {
        gst_buffer_unref(retimed);
        goto done;
    }
    GstCaps *caps = gst_sample_get_caps(sample);
    if (caps && (!leg->caps || !gst_caps_is_equal(caps, leg->caps))) {
        g_object_set(leg->appsrc, "caps", caps, NULL);
        gst_caps_replace(&leg->caps, caps);
    }
    GstFlowReturn pushed = GST_FLOW_OK;
    g_signal_emit_by_name(leg->appsrc, "push-buffer", retimed, &pushed);
    gst_buffer_unref(retimed);
done:
    if (clock) gst_object_unref(clock);
    gst_sample_unref(sample);
    return GST_FLOW_OK;
}

/// Feeds every sample of the appsink `sink_name` in `input` to the appsrc `source_name` in `output`.
/// Returns 0 when either element is missing.
int cascade_bridge_attach(GstElement *input, const char *sink_name, GstElement *output, const char *source_name, CascadeBridge *bridge) {
    GstElement *sink = gst_bin_get_by_name(GST_BIN(input), sink_name);
    GstElement *source = gst_bin_get_by_name(GST_BIN(output), source_name);
    if (!sink || !source) {
        if (sink) gst_object_unref(sink);
        if (source) gst_object_unref(source);
        return 0;
    }
    CascadeBridgeLeg *leg = g_new0(CascadeBridgeLeg, 1);
    leg->bridge = bridge;
    leg->appsrc = source;
    g_object_set(sink, "emit-signals", TRUE, NULL);
    g_signal_connect_data(sink, "new-sample", G_CALLBACK(cascade_bridge_on_sample), leg, cascade_bridge_leg_free, 0);
    gst_object_unref(sink);
    return 1;
}

/// The two input-selectors of a pass-through output and which of their pads is shown.
/// Pads: index 0 is the slate, 1 the live stream.
struct CascadeSplice {
    GstElement *video;
    GstElement *audio;
    GstPad *video_pads[2];
    GstPad *audio_pads[2];
    /// The valve in front of the slate encoder (shut while live is shown) and the encoder's output.
    GstElement *gate;
    GstPad *encoder_src;
    gint wanted;
    gint showing;
    /// The latest decoding time sent on by each selector (video, audio).
    GstClockTime sent[2];
};

static GstPadProbeReturn cascade_splice_probe(GstPad *pad, GstPadProbeInfo *info, gpointer data) {
    CascadeSplice *splice = data;
    gint wanted = __atomic_load_n(&splice->wanted, __ATOMIC_ACQUIRE);
    if (wanted == __atomic_load_n(&splice->showing, __ATOMIC_ACQUIRE) || pad != splice->video_pads[wanted]) return GST_PAD_PROBE_OK;
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER(info);
    if (!buffer || GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT)) return GST_PAD_PROBE_OK;
    g_object_set(splice->audio, "active-pad", splice->audio_pads[wanted], NULL);
    g_object_set(splice->video, "active-pad", pad, NULL);
    __atomic_store_n(&splice->showing, wanted, __ATOMIC_RELEASE);
    if (wanted == 1) g_object_set(splice->gate, "drop", TRUE, NULL);
    return GST_PAD_PROBE_OK;
}

/// Keeps each selector's output in decoding order across a switch: the two streams' clocks may
/// differ by a few milliseconds, and a decoder must never see time run backwards. Compared in running
/// time: the slate encoder's segment starts 1000 hours in, the live stream's at zero.
static GstPadProbeReturn cascade_splice_order_probe(GstPad *pad, GstPadProbeInfo *info, gpointer data) {
    GstClockTime *sent = data;
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER(info);
    GstEvent *event = gst_pad_get_sticky_event(pad, GST_EVENT_SEGMENT, 0);
    if (!buffer || !event) {
        if (event) gst_event_unref(event);
        return GST_PAD_PROBE_OK;
    }
    const GstSegment *segment = NULL;
    gst_event_parse_segment(event, &segment);
    GstClockTime time = GST_BUFFER_DTS_OR_PTS(buffer);
    GstClockTime running = GST_CLOCK_TIME_IS_VALID(time) && segment->format == GST_FORMAT_TIME
        ? gst_segment_to_running_time(segment, GST_FORMAT_TIME, time) : GST_CLOCK_TIME_NONE;
    gst_event_unref(event);
    if (!GST_CLOCK_TIME_IS_VALID(running)) return GST_PAD_PROBE_OK;
    if (GST_CLOCK_TIME_IS_VALID(*sent) && running <= *sent) {
        GstClockTime shift = *sent + GST_MSECOND - running;
        buffer = gst_buffer_make_writable(buffer);
        if (GST_BUFFER_PTS_IS_VALID(buffer)) GST_BUFFER_PTS(buffer) += shift;
        if (GST_BUFFER_DTS_IS_VALID(buffer)) GST_BUFFER_DTS(buffer) += shift;
        GST_PAD_PROBE_INFO_DATA(info) = buffer;
        running += shift;
    }
    *sent = running;
    return GST_PAD_PROBE_OK;
}

void cascade_splice_free(CascadeSplice *splice) {
    for (int i = 0; i < 2; i++) {
        if (splice->video_pads[i]) gst_object_unref(splice->video_pads[i]);
        if (splice->audio_pads[i]) gst_object_unref(splice->audio_pads[i]);
    }
    if (splice->encoder_src) gst_object_unref(splice->encoder_src);
    if (splice->gate) gst_object_unref(splice->gate);
    if (splice->video) gst_object_unref(splice->video);
    if (splice->audio) gst_object_unref(splice->audio);
    g_free(splice);
}

/// Takes the selectors `video_name` and `audio_name` (pads sink_0 = slate, sink_1 = live) of
/// `pipeline`, the valve `gate_name` before the slate encoder `encoder_name`, showing the slate.
/// NULL when an element or pad is missing.
CascadeSplice *cascade_splice_new(GstElement *pipeline, const char *video_name, const char *audio_name, const char *gate_name, const char *encoder_name) {
    CascadeSplice *splice = g_new0(CascadeSplice, 1);
    splice->video = gst_bin_get_by_name(GST_BIN(pipeline), video_name);
    splice->audio = gst_bin_get_by_name(GST_BIN(pipeline), audio_name);
    splice->gate = gst_bin_get_by_name(GST_BIN(pipeline), gate_name);
    GstElement *encoder = gst_bin_get_by_name(GST_BIN(pipeline), encoder_name);
    if (encoder) {
        splice->encoder_src = gst_element_get_static_pad(encoder, "src");
        gst_object_unref(encoder);
    }
    if (!splice->video || !splice->audio || !splice->gate || !splice->encoder_src) {
        cascade_splice_free(splice);
        return NULL;
    }
    const char *names[2] = {"sink_0", "sink_1"};
    for (int i = 0; i < 2; i++) {
        splice->video_pads[i] = gst_element_get_static_pad(splice->video, names[i]);
        splice->audio_pads[i] = gst_element_get_static_pad(splice->audio, names[i]);
        if (!splice->video_pads[i] || !splice->audio_pads[i]) {
            cascade_splice_free(splice);
            return NULL;
        }
    }
    g_object_set(splice->video, "active-pad", splice->video_pads[0], NULL);
    g_object_set(splice->audio, "active-pad", splice->audio_pads[0], NULL);
    for (int i = 0; i < 2; i++) gst_pad_add_probe(splice->video_pads[i], GST_PAD_PROBE_TYPE_BUFFER, cascade_splice_probe, splice, NULL);
    GstElement *selectors[2] = {splice->video, splice->audio};
    for (int i = 0; i < 2; i++) {
        splice->sent[i] = GST_CLOCK_TIME_NONE;
        GstPad *out = gst_element_get_static_pad(selectors[i], "src");
        gst_pad_add_probe(out, GST_PAD_PROBE_TYPE_BUFFER, cascade_splice_order_probe, &splice->sent[i], NULL);
        gst_object_unref(out);
    }
    return splice;
}

/// Asks for the live stream (1) or the slate (0); the switch happens at that stream's next keyframe.
/// Asking for the slate opens its valve and has the encoder start with a keyframe.
void cascade_splice_want(CascadeSplice *splice, int live) {
    __atomic_store_n(&splice->wanted, live ? 1 : 0, __ATOMIC_RELEASE);
    if (live) return;
    g_object_set(splice->gate, "drop", FALSE, NULL);
    GstStructure *request = gst_structure_new("GstForceKeyUnit", "running-time", GST_TYPE_CLOCK_TIME, GST_CLOCK_TIME_NONE,
        "all-headers", G_TYPE_BOOLEAN, TRUE, "count", G_TYPE_UINT, 0, NULL);
    gst_pad_send_event(splice->encoder_src, gst_event_new_custom(GST_EVENT_CUSTOM_UPSTREAM, request));
}

/// What the halls are shown now: 1 live, 0 slate.
int cascade_splice_showing(CascadeSplice *splice) {
    return __atomic_load_n(&splice->showing, __ATOMIC_ACQUIRE);
}

