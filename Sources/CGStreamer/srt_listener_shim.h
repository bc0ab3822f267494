// The SRT listener every call-in hall connects to, on libsrt directly. GStreamer's srtsink gives
// no handle on a connected caller; here each hall's connection is its own socket, so a hall removed
// from a relay is cut at once, and its statistics are its own. The relay's output pipeline ends in
// an appsink whose buffers are sent to every connected hall without blocking: a hall whose send
// buffer is full loses that buffer alone.
//
// Events are queued as lines for the relay to read on its own schedule (the callbacks run on SRT
// threads): "connecting\tSTREAMID\tADDRESS", "refused\tSTREAMID\tADDRESS", "added\tSTREAMID\tADDRESS",
// "removed\tSTREAMID\tADDRESS".
#ifndef CASCADE_SRT_LISTENER_SHIM_H
#define CASCADE_SRT_LISTENER_SHIM_H

#include <gst/gst.h>
#include <gio/gio.h>
#include <netinet/in.h>
#include <srt/srt.h>
#include <srt/access_control.h>
#include "relay_shim.h"

typedef struct {
    SRTSOCKET socket;
    char *stream_id;
    char *address;
} CascadeSRTCaller;

typedef struct {
    GMutex lock;
    SRTSOCKET socket;
    gboolean closing;
    GHashTable *allowed;
    GPtrArray *callers;
    GQueue events;
    GThread *acceptor;
    char *error;
} CascadeSRTListener;

static void cascade_srt_caller_free(gpointer data) {
    CascadeSRTCaller *caller = data;
    g_free(caller->stream_id);
    g_free(caller->address);
    g_free(caller);
}

static inline void cascade_srt_listener_push(CascadeSRTListener *listener, const char *kind, const char *stream_id, const char *address) {
    g_queue_push_tail(&listener->events, g_strdup_printf("%s\t%s\t%s", kind, stream_id, address));
}

static inline char *cascade_srt_peer(const struct sockaddr *peer) {
    if (!peer) return g_strdup("");
    gsize length = peer->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    GSocketAddress *address = g_socket_address_new_from_native((gpointer)peer, length);
    char *text = cascade_address_string(address);
    if (address) g_object_unref(address);
    return text;
}

/// Admits known stream ids (with the hall's own passphrase, when it has one) during the handshake.
static int cascade_srt_listener_admit(void *data, SRTSOCKET socket, int version, const struct sockaddr *peer, const char *stream_id) {
    CascadeSRTListener *listener = data;
    const char *id = stream_id ? stream_id : "";
    char *address = cascade_srt_peer(peer);
    g_mutex_lock(&listener->lock);
    const char *passphrase = g_hash_table_lookup(listener->allowed, id);
    gboolean allowed = passphrase != NULL && !listener->closing;
    if (allowed && passphrase[0]) srt_setsockflag(socket, SRTO_PASSPHRASE, passphrase, (int)strlen(passphrase));
    cascade_srt_listener_push(listener, allowed ? "connecting" : "refused", id, address);
    g_mutex_unlock(&listener->lock);
    g_free(address);
    if (!allowed) srt_setrejectreason(socket, SRT_REJX_FORBIDDEN);
    return allowed ? 0 : -1;
}

static gpointer cascade_srt_listener_accept_loop(gpointer data) {
    CascadeSRTListener *listener = data;
    for (;;) {
        struct sockaddr_storage peer;
        int length = sizeof peer;
        SRTSOCKET socket = srt_accept(listener->socket, (struct sockaddr *)&peer, &length);
        g_mutex_lock(&listener->lock);
        gboolean closing = listener->closing;
        g_mutex_unlock(&listener->lock);
        if (closing) {
            if (socket != SRT_INVALID_SOCK) srt_close(socket);
            return NULL;
        }
        if (socket == SRT_INVALID_SOCK) {
            g_usleep(100000);
            continue;
        }
        char stream_id[513] = {0};
        int id_length = sizeof stream_id - 1;
        if (srt_getsockflag(socket, SRTO_STREAMID, stream_id, &id_length) != 0) id_length = 0;
        stream_id[id_length] = 0;
        int blocking = 0;
        srt_setsockflag(socket, SRTO_SNDSYN, &blocking, sizeof blocking);
        CascadeSRTCaller *caller = g_new0(CascadeSRTCaller, 1);
        caller->socket = socket;
        caller->stream_id = g_strdup(stream_id);
        caller->address = cascade_srt_peer((struct sockaddr *)&peer);
        g_mutex_lock(&listener->lock);
        if (g_hash_table_contains(listener->allowed, stream_id)) {
            g_ptr_array_add(listener->callers, caller);
            cascade_srt_listener_push(listener, "added", caller->stream_id, caller->address);
            caller = NULL;
        }
        g_mutex_unlock(&listener->lock);
        if (caller) {  // revoked while it was connecting
            srt_close(socket);
            cascade_srt_caller_free(caller);
        }
    }
}

/// Listens on UDP `port` (all addresses). On failure the listener is returned with `error` set.
static inline CascadeSRTListener *cascade_srt_listener_new(int port, int latency_ms, const char *passphrase) {
    CascadeSRTListener *listener = g_new0(CascadeSRTListener, 1);
    g_mutex_init(&listener->lock);
    listener->allowed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    listener->callers = g_ptr_array_new_with_free_func(cascade_srt_caller_free);
    g_queue_init(&listener->events);
    srt_startup();
    listener->socket = srt_create_socket();
    int yes = 1, key_length = 32;
    srt_setsockflag(listener->socket, SRTO_LATENCY, &latency_ms, sizeof latency_ms);
    if (passphrase && passphrase[0]) {
        srt_setsockflag(listener->socket, SRTO_PASSPHRASE, passphrase, (int)strlen(passphrase));
        srt_setsockflag(listener->socket, SRTO_PBKEYLEN, &key_length, sizeof key_length);
    }
    srt_setsockflag(listener->socket, SRTO_REUSEADDR, &yes, sizeof yes);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    if (srt_bind(listener->socket, (struct sockaddr *)&address, sizeof address) == SRT_ERROR
        || srt_listen_callback(listener->socket, cascade_srt_listener_admit, listener) == SRT_ERROR
        || srt_listen(listener->socket, 64) == SRT_ERROR) {
        listener->error = g_strdup_printf("SRT listener on port %d: %s", port, srt_getlasterror_str());
        srt_close(listener->socket);
        listener->socket = SRT_INVALID_SOCK;
        return listener;
    }
    listener->acceptor = g_thread_new("cascade-srt-accept", cascade_srt_listener_accept_loop, listener);
    return listener;
}

static inline const char *cascade_srt_listener_error(CascadeSRTListener *listener) { return listener->error; }

/// Lets `stream_id` call in (with its own `passphrase`, or the listener's when empty), or stops it.
static inline void cascade_srt_listener_allow(CascadeSRTListener *listener, const char *stream_id, const char *passphrase, int allowed) {
    g_mutex_lock(&listener->lock);
    if (allowed) g_hash_table_replace(listener->allowed, g_strdup(stream_id), g_strdup(passphrase ? passphrase : ""));
    else g_hash_table_remove(listener->allowed, stream_id);
    g_mutex_unlock(&listener->lock);
}

static inline void cascade_srt_listener_drop(CascadeSRTListener *listener, guint index) {
    CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, index);
    srt_close(caller->socket);
    cascade_srt_listener_push(listener, "removed", caller->stream_id, caller->address);
    g_ptr_array_remove_index(listener->callers, index);
}

/// Cuts every connection of `stream_id`.
static inline void cascade_srt_listener_kick(CascadeSRTListener *listener, const char *stream_id) {
    g_mutex_lock(&listener->lock);
    for (guint i = listener->callers->len; i > 0; i--) {
        CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, i - 1);
        if (strcmp(caller->stream_id, stream_id) == 0) cascade_srt_listener_drop(listener, i - 1);
    }
    g_mutex_unlock(&listener->lock);
}

/// The next queued event line, or NULL; free with g_free.
static inline char *cascade_srt_listener_pop(CascadeSRTListener *listener) {
    g_mutex_lock(&listener->lock);
    char *line = g_queue_pop_head(&listener->events);
    g_mutex_unlock(&listener->lock);
    return line;
}

/// The counters of the newest connection of `stream_id`; 0 when it is not connected.
static inline int cascade_srt_listener_stats(CascadeSRTListener *listener, const char *stream_id, CascadeSRTStats *out) {
    int found = 0;
    g_mutex_lock(&listener->lock);
    for (guint i = listener->callers->len; i > 0 && !found; i--) {
        CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, i - 1);
        SRT_TRACEBSTATS perf;
        if (strcmp(caller->stream_id, stream_id) != 0 || srt_bstats(caller->socket, &perf, 0) != 0) continue;
        out->bytes_sent = perf.byteSentTotal;
        out->packets_lost = perf.pktSndLossTotal;
        out->packets_retransmitted = perf.pktRetransTotal;
        out->rtt_ms = perf.msRTT;
        out->send_rate_mbps = perf.mbpsSendRate;
        found = 1;
    }
    g_mutex_unlock(&listener->lock);
    return found;
}

/// Sends `data` to every connected hall, in SRT live-mode payloads; a broken connection is dropped.
static inline void cascade_srt_listener_send(CascadeSRTListener *listener, const guint8 *data, gsize size) {
    const gsize payload = 1316;
    g_mutex_lock(&listener->lock);
    for (guint i = listener->callers->len; i > 0; i--) {
        CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, i - 1);
        for (gsize offset = 0; offset < size; offset += payload) {
            int length = (int)MIN(payload, size - offset);
            if (srt_sendmsg2(caller->socket, (const char *)data + offset, length, NULL) != SRT_ERROR) continue;
            if (srt_getlasterror(NULL) != SRT_EASYNCSND) cascade_srt_listener_drop(listener, i - 1);
            break;
        }
    }
    g_mutex_unlock(&listener->lock);
}

static GstFlowReturn cascade_srt_listener_on_sample(GstElement *appsink, gpointer data) {
    GstSample *sample = NULL;
    g_signal_emit_by_name(appsink, "pull-sample", &sample);
    if (!sample) return GST_FLOW_OK;
    GstBuffer *buffer = gst_sample_get_buffer(sample);
    GstMapInfo map;
    if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
        cascade_srt_listener_send(data, map.data, map.size);
        gst_buffer_unmap(buffer, &map);
    }
    gst_sample_unref(sample);
    return GST_FLOW_OK;
}

/// Feeds the appsink `sink_name` of `pipeline` to the halls; 0 when there is no such element.
static inline int cascade_srt_listener_attach(GstElement *pipeline, const char *sink_name, CascadeSRTListener *listener) {
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipeline), sink_name);
    if (!sink) return 0;
    g_object_set(sink, "emit-signals", TRUE, NULL);
    g_signal_connect(sink, "new-sample", G_CALLBACK(cascade_srt_listener_on_sample), listener);
    gst_object_unref(sink);
    return 1;
}

/// Closes the listener and every connection; call after the pipeline feeding it has stopped.
static inline void cascade_srt_listener_free(CascadeSRTListener *listener) {
    g_mutex_lock(&listener->lock);
    listener->closing = TRUE;
    g_mutex_unlock(&listener->lock);
    if (listener->socket != SRT_INVALID_SOCK) srt_close(listener->socket);
    if (listener->acceptor) g_thread_join(listener->acceptor);
    g_mutex_lock(&listener->lock);
    while (listener->callers->len > 0) cascade_srt_listener_drop(listener, listener->callers->len - 1);
    g_mutex_unlock(&listener->lock);
    g_ptr_array_free(listener->callers, TRUE);
    g_hash_table_destroy(listener->allowed);
    g_queue_clear_full(&listener->events, g_free);
    g_mutex_clear(&listener->lock);
    g_free(listener->error);
    g_free(listener);
}

#endif
