// Helpers for the parts of GStreamer's C API that Swift cannot import: macros,
// varargs and GValue handling. Everything here is a thin static inline wrapper.
#ifndef CASCADE_GSTREAMER_SHIM_H
#define CASCADE_GSTREAMER_SHIM_H

#include <gst/gst.h>
#include <string.h>
#include "cascade_media.h"

static inline int cascade_message_type(GstMessage *message) {
    return (int)GST_MESSAGE_TYPE(message);
}

static inline const char *cascade_message_source_name(GstMessage *message) {
    GstObject *source = GST_MESSAGE_SRC(message);
    return source ? GST_OBJECT_NAME(source) : "";
}

static inline int cascade_message_is_from(GstMessage *message, GstElement *element) {
    return GST_MESSAGE_SRC(message) == GST_OBJECT(element);
}

static inline GstBin *cascade_as_bin(GstElement *element) { return GST_BIN(element); }

static inline GstObject *cascade_as_object(GstElement *element) { return GST_OBJECT(element); }

enum {
    CASCADE_MESSAGE_EOS = GST_MESSAGE_EOS,
    CASCADE_MESSAGE_ERROR = GST_MESSAGE_ERROR,
    CASCADE_MESSAGE_WARNING = GST_MESSAGE_WARNING,
    CASCADE_MESSAGE_STATE_CHANGED = GST_MESSAGE_STATE_CHANGED,
    CASCADE_MESSAGE_ELEMENT = GST_MESSAGE_ELEMENT,
};

/// Pops the next message of interest, waiting up to timeout_ms.
static inline GstMessage *cascade_bus_pop(GstBus *bus, guint64 timeout_ms) {
    return gst_bus_timed_pop_filtered(bus, timeout_ms * GST_MSECOND,
        (GstMessageType)(GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING |
                         GST_MESSAGE_STATE_CHANGED | GST_MESSAGE_ELEMENT));
}

/// The element message's structure name and serialised fields (caller frees with g_free).
static inline char *cascade_message_structure_string(GstMessage *message, const char **name) {
    const GstStructure *structure = gst_message_get_structure(message);
    if (!structure) { *name = ""; return g_strdup(""); }
    *name = gst_structure_get_name(structure);
    return gst_structure_to_string(structure);
}

/// A property value reduced to what the worker protocol carries.
typedef struct {
    int kind;            // 0 missing, 1 bool, 2 signed, 3 unsigned, 4 double, 5 string
    gint64 signed_value;
    guint64 unsigned_value;
    double double_value;
    char *string_value;  // kind 5 only; free with g_free
} CascadePropertyValue;

/// Reads `property` of the element named `element_name` inside `pipeline`.
static inline CascadePropertyValue cascade_read_property(GstElement *pipeline, const char *element_name,
                                                         const char *property) {
    CascadePropertyValue result;
    memset(&result, 0, sizeof result);
    GstElement *element = gst_bin_get_by_name(GST_BIN(pipeline), element_name);
    if (!element) return result;
    GParamSpec *spec = g_object_class_find_property(G_OBJECT_GET_CLASS(element), property);
    if (!spec || !(spec->flags & G_PARAM_READABLE)) { gst_object_unref(element); return result; }
    GValue value = G_VALUE_INIT;
    g_value_init(&value, spec->value_type);
    g_object_get_property(G_OBJECT(element), property, &value);
    switch (G_TYPE_FUNDAMENTAL(G_VALUE_TYPE(&value))) {
    case G_TYPE_BOOLEAN: result.kind = 1; result.signed_value = g_value_get_boolean(&value); break;
    case G_TYPE_INT: result.kind = 2; result.signed_value = g_value_get_int(&value); break;
    case G_TYPE_LONG: result.kind = 2; result.signed_value = g_value_get_long(&value); break;
    case G_TYPE_INT64: result.kind = 2; result.signed_value = g_value_get_int64(&value); break;
    case G_TYPE_ENUM: result.kind = 2; result.signed_value = g_value_get_enum(&value); break;
    case G_TYPE_UINT: result.kind = 3; result.unsigned_value = g_value_get_uint(&value); break;
    case G_TYPE_ULONG: result.kind = 3; result.unsigned_value = g_value_get_ulong(&value); break;
    case G_TYPE_UINT64: result.kind = 3; result.unsigned_value = g_value_get_uint64(&value); break;
    case G_TYPE_FLOAT: result.kind = 4; result.double_value = g_value_get_float(&value); break;
    case G_TYPE_DOUBLE: result.kind = 4; result.double_value = g_value_get_double(&value); break;
    case G_TYPE_STRING: {
        const char *text = g_value_get_string(&value);
        result.kind = 5; result.string_value = g_strdup(text ? text : "");
        break;
    }
    default:
        if (G_VALUE_HOLDS(&value, GST_TYPE_STRUCTURE)) {
            const GstStructure *structure = gst_value_get_structure(&value);
            result.kind = 5;
            result.string_value = structure ? gst_structure_to_string(structure) : g_strdup("");
        } else {
            result.kind = 5;
            result.string_value = g_strdup_value_contents(&value);
        }
    }
    g_value_unset(&value);
    gst_object_unref(element);
    return result;
}

/// Whether an element factory of this name is installed.
static inline int cascade_has_element(const char *name) {
    GstElementFactory *factory = gst_element_factory_find(name);
    if (!factory) return 0;
    gst_object_unref(factory);
    return 1;
}

/// The pipeline's position in nanoseconds, or -1 when unknown.
static inline gint64 cascade_position_ns(GstElement *pipeline) {
    gint64 position = -1;
    if (!gst_element_query_position(pipeline, GST_FORMAT_TIME, &position)) return -1;
    return position;
}

#endif
