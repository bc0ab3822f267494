// Relay helpers: a buffer-flow watch, input switching and an srtsink's SRT statistics.
#include "cascade_media.h"

#include <gst/gst.h>
#include <gio/gio.h>
#include <string.h>

static GstPadProbeReturn cascade_flow_probe(GstPad *pad, GstPadProbeInfo *info, gpointer data) {
    __atomic_store_n((gint64 *)data, g_get_monotonic_time(), __ATOMIC_RELAXED);
    return GST_PAD_PROBE_OK;
}

/// Stamps `stamp` with the monotonic time (µs) of every buffer reaching the sink pad of `element_name`.
int cascade_watch_flow(GstElement *pipeline, const char *element_name, gint64 *stamp) {
    GstElement *element = gst_bin_get_by_name(GST_BIN(pipeline), element_name);
    if (!element) return 0;
    GstPad *pad = gst_element_get_static_pad(element, "sink");
    if (pad) {
        gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, cascade_flow_probe, stamp, NULL);
        gst_object_unref(pad);
    }
    gst_object_unref(element);
    return pad != NULL;
}

gint64 cascade_read_stamp(gint64 *stamp) { return __atomic_load_n(stamp, __ATOMIC_RELAXED); }

gint64 cascade_monotonic_us(void) { return g_get_monotonic_time(); }

/// Makes `pad_name` the active pad of the input-selector `selector_name`.
int cascade_select_input(GstElement *pipeline, const char *selector_name, const char *pad_name) {
    GstElement *selector = gst_bin_get_by_name(GST_BIN(pipeline), selector_name);
    if (!selector) return 0;
    GstPad *pad = gst_element_get_static_pad(selector, pad_name);
    if (pad) {
        g_object_set(selector, "active-pad", pad, NULL);
        gst_object_unref(pad);
    }
    gst_object_unref(selector);
    return pad != NULL;
}

/// Sets a property from its string form (as gst-launch would).
int cascade_set_property(GstElement *pipeline, const char *element_name, const char *property, const char *value) {
    GstElement *element = gst_bin_get_by_name(GST_BIN(pipeline), element_name);
    if (!element) return 0;
    gst_util_set_object_arg(G_OBJECT(element), property, value);
    gst_object_unref(element);
    return 1;
}

/// Sets the string property `property` of the element named `element_name` to `value` as it is,
/// with g_object_set: the value is never parsed (no quotes, escapes or structure syntax).
/// Returns 1 when set, 0 when the element does not exist, -1 when it has no such string property.
int cascade_set_string_property(GstElement *pipeline, const char *element_name, const char *property, const char *value) {
    GstElement *element = gst_bin_get_by_name(GST_BIN(pipeline), element_name);
    if (!element) return 0;
    GParamSpec *spec = g_object_class_find_property(G_OBJECT_GET_CLASS(element), property);
    int result = -1;
    if (spec && G_PARAM_SPEC_VALUE_TYPE(spec) == G_TYPE_STRING && (spec->flags & G_PARAM_WRITABLE)) {
        g_object_set(G_OBJECT(element), property, value, NULL);
        result = 1;
    }
    gst_object_unref(element);
    return result;
}


static void cascade_srt_stats_from(const GstStructure *s, CascadeSRTStats *out) {
    guint64 bytes = 0; gint lost = 0, retransmitted = 0; gdouble rtt = 0, rate = 0;
    gst_structure_get_uint64(s, "bytes-sent", &bytes);
    gst_structure_get_int(s, "packets-sent-lost", &lost);
    gst_structure_get_int(s, "packets-retransmitted", &retransmitted);
    gst_structure_get_double(s, "rtt-ms", &rtt);
    gst_structure_get_double(s, "send-rate-mbps", &rate);
    out->bytes_sent = bytes; out->packets_lost = lost; out->packets_retransmitted = retransmitted;
    out->rtt_ms = rtt; out->send_rate_mbps = rate;
}

/// Reads the statistics of the srtsink `element_name`: one entry per connected caller for a
/// listener (newest first), one entry for a caller. Returns how many entries were written, or -1.
int cascade_srt_stats(GstElement *pipeline, const char *element_name, CascadeSRTStats *out, int capacity) {
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipeline), element_name);
    if (!sink) return -1;
    GstStructure *stats = NULL;
    g_object_get(sink, "stats", &stats, NULL);
    gst_object_unref(sink);
    if (!stats) return 0;
    int count = 0;
    const GValue *callers = gst_structure_get_value(stats, "callers");
    // srtsink reports its callers as a GValueArray (deprecated in GLib, still what GStreamer 1.22 gives).
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    if (callers && G_VALUE_TYPE(callers) == g_type_from_name("GValueArray")) {
        GValueArray *array = g_value_get_boxed(callers);
        for (guint i = 0; array && i < array->n_values && count < capacity; i++) {
            const GValue *item = g_value_array_get_nth(array, i);
            if (GST_VALUE_HOLDS_STRUCTURE(item)) cascade_srt_stats_from(gst_value_get_structure(item), &out[count++]);
        }
G_GNUC_END_IGNORE_DEPRECATIONS
    } else if (gst_structure_has_field(stats, "bytes-sent") && capacity > 0) {
        cascade_srt_stats_from(stats, &out[count++]);
    }
    gst_structure_free(stats);
    return count;
}


/* The loudest channel's peak of a `level` element message, in dB; 0 when the message is not one. */
int cascade_level_peak(GstMessage *message, double *peak_db) {
    const GstStructure *structure = gst_message_get_structure(message);
    if (!structure || !gst_structure_has_name(structure, "level")) return 0;
    const GValue *peaks = gst_structure_get_value(structure, "peak");
    if (!peaks) return 0;
    double loudest = -700.0;
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    if (G_VALUE_HOLDS(peaks, G_TYPE_VALUE_ARRAY)) {
        GValueArray *array = (GValueArray *) g_value_get_boxed(peaks);
        for (guint i = 0; array && i < array->n_values; i++) {
            double value = g_value_get_double(g_value_array_get_nth(array, i));
            if (value > loudest) loudest = value;
        }
    }
    G_GNUC_END_IGNORE_DEPRECATIONS
    *peak_db = loudest;
    return 1;
}
