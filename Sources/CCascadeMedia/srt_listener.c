// The SRT listener every call-in hall connects to, on libsrt directly. GStreamer's srtsink gives
// no handle on a connected caller; here each hall's connection is its own socket, so a hall removed
// from a relay is cut at once, and its statistics are its own. The relay's output pipeline ends in
// an appsink whose buffers are sent to every connected hall without blocking: a hall whose send
// buffer is full loses that buffer alone.
//
// The listener's lock is only ever taken innermost: no libsrt call is made while it is held, since
// libsrt calls the admission hook with its own locks held (holding ours around a send or a close could
// deadlock against a hall's handshake).
//
// Events are queued as CascadeListenerEvent values for the relay to read on its own schedule (the
// callbacks run on SRT threads).
#include "cascade_media.h"

#include <gst/gst.h>
#include <gio/gio.h>
#include <netinet/in.h>
#include <srt/srt.h>
#include <srt/access_control.h>
#include <string.h>

/// "host:port" of a socket address (a GLib string to free).
static char *cascade_address_string(GSocketAddress *address) {
    if (!address || !G_IS_INET_SOCKET_ADDRESS(address)) return g_strdup("");
    GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS(address);
    char *host = g_inet_address_to_string(g_inet_socket_address_get_address(inet));
    char *text = g_strdup_printf("%s:%u", host, g_inet_socket_address_get_port(inet));
    g_free(host);
    return text;
}

typedef struct {
    SRTSOCKET socket;
    char *stream_id;
    char *address;
} CascadeSRTCaller;

struct CascadeSRTListener {
    GMutex lock;
    SRTSOCKET socket;
    gboolean closing;
    GHashTable *allowed;
    GPtrArray *callers;
    GQueue events;
    GThread *acceptor;
    int port;
    char *error;
    /// The sockets the current buffer goes to; used by the sending thread alone.
    GArray *sending;
};

static void cascade_srt_caller_free(gpointer data) {
    CascadeSRTCaller *caller = data;
    g_free(caller->stream_id);
    g_free(caller->address);
    g_free(caller);
}

static void cascade_srt_listener_push(CascadeSRTListener *listener, CascadeListenerEventKind kind, const char *stream_id, const char *address) {
    CascadeListenerEvent *event = g_new0(CascadeListenerEvent, 1);
    event->kind = kind;
    event->stream_id = g_strdup(stream_id);
    event->address = g_strdup(address);
    g_queue_push_tail(&listener->events, event);
}

static char *cascade_srt_peer(const struct sockaddr *peer) {
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
    const char *found = g_hash_table_lookup(listener->allowed, id);
    gboolean allowed = found != NULL && !listener->closing;
    char *passphrase = allowed && found[0] ? g_strdup(found) : NULL;
    cascade_srt_listener_push(listener, allowed ? CASCADE_LISTENER_CONNECTING : CASCADE_LISTENER_REFUSED, id, address);
    g_mutex_unlock(&listener->lock);
    g_free(address);
    if (passphrase) srt_setsockflag(socket, SRTO_PASSPHRASE, passphrase, (int)strlen(passphrase));
    g_free(passphrase);
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
            cascade_srt_listener_push(listener, CASCADE_LISTENER_ADDED, caller->stream_id, caller->address);
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
CascadeSRTListener *cascade_srt_listener_new(int port, int latency_ms, const char *passphrase) {
    CascadeSRTListener *listener = g_new0(CascadeSRTListener, 1);
    g_mutex_init(&listener->lock);
    listener->allowed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    listener->callers = g_ptr_array_new_with_free_func(cascade_srt_caller_free);
    listener->sending = g_array_new(FALSE, FALSE, sizeof(SRTSOCKET));
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
    listener->port = port;
    if (srt_bind(listener->socket, (struct sockaddr *)&address, sizeof address) == SRT_ERROR) {
        listener->error = g_strdup_printf("SRT listener on port %d: %s", port, srt_getlasterror_str());
        srt_close(listener->socket);
        listener->socket = SRT_INVALID_SOCK;
    }
    return listener;
}

/// Starts taking calls on the bound port. Called once the halls' stream ids are allowed, so a hall
/// that calls the moment its relay exists is admitted, never refused as unknown. Returns 0, or -1
/// with `cascade_srt_listener_error` set.
int cascade_srt_listener_listen(CascadeSRTListener *listener) {
    if (listener->socket == SRT_INVALID_SOCK) return -1;
    if (srt_listen_callback(listener->socket, cascade_srt_listener_admit, listener) == SRT_ERROR
        || srt_listen(listener->socket, 64) == SRT_ERROR) {
        listener->error = g_strdup_printf("SRT listener on port %d: %s", listener->port, srt_getlasterror_str());
        srt_close(listener->socket);
        listener->socket = SRT_INVALID_SOCK;
        return -1;
    }
    listener->acceptor = g_thread_new("cascade-srt-accept", cascade_srt_listener_accept_loop, listener);
    return 0;
}

const char *cascade_srt_listener_error(CascadeSRTListener *listener) { return listener->error; }

/// Lets `stream_id` call in (with its own `passphrase`, or the listener's when empty), or stops it.
void cascade_srt_listener_allow(CascadeSRTListener *listener, const char *stream_id, const char *passphrase, int allowed) {
    g_mutex_lock(&listener->lock);
    if (allowed) g_hash_table_replace(listener->allowed, g_strdup(stream_id), g_strdup(passphrase ? passphrase : ""));
    else g_hash_table_remove(listener->allowed, stream_id);
    g_mutex_unlock(&listener->lock);
}

/// Takes the caller at `index` out of the list, reporting it; returns its socket for the caller of this
/// function to close once the lock is released. Call with the lock held.
static SRTSOCKET cascade_srt_listener_take(CascadeSRTListener *listener, guint index) {
    CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, index);
    SRTSOCKET socket = caller->socket;
    cascade_srt_listener_push(listener, CASCADE_LISTENER_REMOVED, caller->stream_id, caller->address);
    g_ptr_array_remove_index(listener->callers, index);
    return socket;
}

/// Cuts every connection of `stream_id`.
void cascade_srt_listener_kick(CascadeSRTListener *listener, const char *stream_id) {
    GArray *closing = g_array_new(FALSE, FALSE, sizeof(SRTSOCKET));
    g_mutex_lock(&listener->lock);
    for (guint i = listener->callers->len; i > 0; i--) {
        CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, i - 1);
        if (strcmp(caller->stream_id, stream_id) != 0) continue;
        SRTSOCKET socket = cascade_srt_listener_take(listener, i - 1);
        g_array_append_val(closing, socket);
    }
    g_mutex_unlock(&listener->lock);
    for (guint i = 0; i < closing->len; i++) srt_close(g_array_index(closing, SRTSOCKET, i));
    g_array_free(closing, TRUE);
}

/// Drops the caller on `socket` if it is still listed (it broke while being sent to), and closes it.
static void cascade_srt_listener_drop_socket(CascadeSRTListener *listener, SRTSOCKET socket) {
    g_mutex_lock(&listener->lock);
    for (guint i = 0; i < listener->callers->len; i++) {
        CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, i);
        if (caller->socket != socket) continue;
        cascade_srt_listener_take(listener, i);
        break;
    }
    g_mutex_unlock(&listener->lock);
    srt_close(socket);
}

/// The next queued event line, or NULL; free with g_free.
int cascade_srt_listener_pop(CascadeSRTListener *listener, CascadeListenerEvent *out) {
    g_mutex_lock(&listener->lock);
    CascadeListenerEvent *event = g_queue_pop_head(&listener->events);
    g_mutex_unlock(&listener->lock);
    if (!event) return 0;
    *out = *event;
    g_free(event);
    return 1;
}

void cascade_listener_event_clear(CascadeListenerEvent *event) {
    g_clear_pointer(&event->stream_id, g_free);
    g_clear_pointer(&event->address, g_free);
}

/// The counters of the newest connection of `stream_id`; 0 when it is not connected.
int cascade_srt_listener_stats(CascadeSRTListener *listener, const char *stream_id, CascadeSRTStats *out) {
    SRTSOCKET socket = SRT_INVALID_SOCK;
    g_mutex_lock(&listener->lock);
    for (guint i = listener->callers->len; i > 0 && socket == SRT_INVALID_SOCK; i--) {
        CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, i - 1);
        if (strcmp(caller->stream_id, stream_id) == 0) socket = caller->socket;
    }
    g_mutex_unlock(&listener->lock);
    SRT_TRACEBSTATS perf;
    if (socket == SRT_INVALID_SOCK || srt_bstats(socket, &perf, 0) != 0) return 0;
    out->bytes_sent = perf.byteSentTotal;
    out->packets_lost = perf.pktSndLossTotal;
    out->packets_retransmitted = perf.pktRetransTotal;
    out->rtt_ms = perf.msRTT;
    out->send_rate_mbps = perf.mbpsSendRate;
    return 1;
}

/// Sends `data` to every connected hall, in SRT live-mode payloads; a broken connection is dropped.
/// Called from the output's streaming thread only.
static void cascade_srt_listener_send(CascadeSRTListener *listener, const guint8 *data, gsize size) {
    const gsize payload = 1316;
    g_array_set_size(listener->sending, 0);
    g_mutex_lock(&listener->lock);
    for (guint i = 0; i < listener->callers->len; i++) {
        CascadeSRTCaller *caller = g_ptr_array_index(listener->callers, i);
        g_array_append_val(listener->sending, caller->socket);
    }
    g_mutex_unlock(&listener->lock);
    for (guint i = 0; i < listener->sending->len; i++) {
        SRTSOCKET socket = g_array_index(listener->sending, SRTSOCKET, i);
        for (gsize offset = 0; offset < size; offset += payload) {
            int length = (int)MIN(payload, size - offset);
            if (srt_sendmsg2(socket, (const char *)data + offset, length, NULL) != SRT_ERROR) continue;
            if (srt_getlasterror(NULL) != SRT_EASYNCSND) cascade_srt_listener_drop_socket(listener, socket);
            break;
        }
    }
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
int cascade_srt_listener_attach(GstElement *pipeline, const char *sink_name, CascadeSRTListener *listener) {
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipeline), sink_name);
    if (!sink) return 0;
    g_object_set(sink, "emit-signals", TRUE, NULL);
    g_signal_connect(sink, "new-sample", G_CALLBACK(cascade_srt_listener_on_sample), listener);
    gst_object_unref(sink);
    return 1;
}

/// Closes the listener and every connection; call after the pipeline feeding it has stopped.
void cascade_srt_listener_free(CascadeSRTListener *listener) {
    g_mutex_lock(&listener->lock);
    listener->closing = TRUE;
    g_mutex_unlock(&listener->lock);
    if (listener->socket != SRT_INVALID_SOCK) srt_close(listener->socket);
    if (listener->acceptor) g_thread_join(listener->acceptor);
    for (guint i = 0; i < listener->callers->len; i++) {
        srt_close(((CascadeSRTCaller *)g_ptr_array_index(listener->callers, i))->socket);
    }
    g_ptr_array_free(listener->callers, TRUE);
    g_array_free(listener->sending, TRUE);
    g_hash_table_destroy(listener->allowed);
    CascadeListenerEvent event;
    while (cascade_srt_listener_pop(listener, &event)) cascade_listener_event_clear(&event);
    g_mutex_clear(&listener->lock);
    g_free(listener->error);
    g_free(listener);
}

