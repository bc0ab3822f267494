#!/usr/bin/python3
"""A camera stand-in for tests: an RTSP server (libgstrtspserver) serving a live test pattern in
H.264 and a tone in AAC at rtsp://127.0.0.1:PORT/feed. Usage: rtsp-server.py PORT"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(sys.argv[1])
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    "( videotestsrc is-live=true pattern=smpte ! video/x-raw,width=640,height=360,framerate=25/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast bitrate=800 key-int-max=25 ! rtph264pay name=pay0 pt=96 "
    "audiotestsrc is-live=true wave=sine freq=1000 ! audioconvert ! audioresample ! avenc_aac bitrate=96000 "
    "! rtpmp4gpay name=pay1 pt=97 )"
)
factory.set_shared(True)
server.get_mount_points().add_factory("/feed", factory)
server.attach(None)
GLib.MainLoop().run()
