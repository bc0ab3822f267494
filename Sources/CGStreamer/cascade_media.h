// The C half of Cascade's media module: what Swift calls in GStreamer and libsrt that needs real C
// (threads, locks, pad probes, the libsrt accept loop, the keyframe splice). The code lives in the
// C target Sources/CCascadeMedia (relay.c, splice.c, srt_listener.c), where SwiftPM tracks edits;
// only these declarations live here, in the system library Swift imports.
#ifndef CASCADE_MEDIA_H
#define CASCADE_MEDIA_H

#include <gst/gst.h>

/// One SRT connection's counters, from srtsink's `stats`.
typedef struct {
    guint64 bytes_sent;
    gint64 packets_lost;
    gint64 packets_retransmitted;
    double rtt_ms;
    double send_rate_mbps;
} CascadeSRTStats;

/// What the listener saw of a hall's connection.
typedef enum {
    CASCADE_LISTENER_CONNECTING = 1,
    CASCADE_LISTENER_REFUSED = 2,
    CASCADE_LISTENER_ADDED = 3,
    CASCADE_LISTENER_REMOVED = 4,
} CascadeListenerEventKind;

/// One listener event; its strings are owned by it (see cascade_listener_event_clear).
typedef struct {
    CascadeListenerEventKind kind;
    char *stream_id;
    char *address;
} CascadeListenerEvent;

/// A relay's SRT listener for halls that call in (srt_listener.c).
typedef struct CascadeSRTListener CascadeSRTListener;
/// Moves parsed H.264/AAC from a pass-through hop's input into its output, retimed (splice.c).
typedef struct CascadeBridge CascadeBridge;
/// Switches a pass-through hop's output between slate and live at keyframes (splice.c).
typedef struct CascadeSplice CascadeSplice;

// relay.c: flow watches, input switching, properties, srtsink statistics.
int cascade_watch_flow(GstElement *pipeline, const char *element_name, gint64 *stamp);
gint64 cascade_read_stamp(gint64 *stamp);
gint64 cascade_monotonic_us(void);
int cascade_select_input(GstElement *pipeline, const char *selector_name, const char *pad_name);
int cascade_set_property(GstElement *pipeline, const char *element_name, const char *property, const char *value);
int cascade_set_string_property(GstElement *pipeline, const char *element_name, const char *property, const char *value);
int cascade_srt_stats(GstElement *pipeline, const char *element_name, CascadeSRTStats *out, int capacity);

// splice.c: pass-through hops.
CascadeBridge *cascade_bridge_new(void);
void cascade_bridge_free(CascadeBridge *bridge);
void cascade_bridge_reset(CascadeBridge *bridge);
int cascade_bridge_attach(GstElement *input, const char *sink_name, GstElement *output, const char *source_name, CascadeBridge *bridge);
CascadeSplice *cascade_splice_new(GstElement *pipeline, const char *video_name, const char *audio_name, const char *gate_name, const char *encoder_name);
void cascade_splice_free(CascadeSplice *splice);
void cascade_splice_want(CascadeSplice *splice, int live);
int cascade_splice_showing(CascadeSplice *splice);

// srt_listener.c: the halls' SRT listener.
CascadeSRTListener *cascade_srt_listener_new(int port, int latency_ms, const char *passphrase);
int cascade_srt_listener_listen(CascadeSRTListener *listener);
const char *cascade_srt_listener_error(CascadeSRTListener *listener);
void cascade_srt_listener_allow(CascadeSRTListener *listener, const char *stream_id, const char *passphrase, int allowed);
void cascade_srt_listener_kick(CascadeSRTListener *listener, const char *stream_id);
/// Takes the oldest event into `out`: 1, or 0 when there is none. Clear it after use.
int cascade_srt_listener_pop(CascadeSRTListener *listener, CascadeListenerEvent *out);
void cascade_listener_event_clear(CascadeListenerEvent *event);
int cascade_srt_listener_stats(CascadeSRTListener *listener, const char *stream_id, CascadeSRTStats *out);
int cascade_srt_listener_attach(GstElement *pipeline, const char *sink_name, CascadeSRTListener *listener);
void cascade_srt_listener_free(CascadeSRTListener *listener);

/// The loudest channel's peak (dB) of a `level` element message: 1, or 0 when the message is not one.
int cascade_level_peak(GstMessage *message, double *peak_db);

#endif
