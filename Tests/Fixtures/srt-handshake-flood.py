#!/usr/bin/env python3
"""Sends SRT handshakes with random stream ids to a relay's port, as a hostile network would: real
libsrt callers (through ctypes, nothing of Cascade's), each connecting without waiting and closed
shortly after, at most a few hundred at once. Prints how many it sent and how long it took.
Usage: srt-handshake-flood.py HOST PORT COUNT SECONDS"""
import ctypes
import os
import socket
import struct
import sys
import time

SRTO_SNDSYN, SRTO_RCVSYN, SRTO_REUSEADDR, SRTO_CONNTIMEO, SRTO_STREAMID = 1, 2, 15, 36, 46


class SockaddrIn(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("port", ctypes.c_ushort), ("addr", ctypes.c_uint32), ("zero", ctypes.c_char * 8)]


def main():
    host, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    srt = ctypes.CDLL("libsrt-gnutls.so.1.5")
    srt.srt_startup()
    srt.srt_setloglevel(2)  # errors only: every refusal is expected
    address = SockaddrIn(socket.AF_INET, socket.htons(port), struct.unpack("<I", socket.inet_aton(host))[0], b"")
    # Every caller binds one local port: they share one UDP socket (libsrt's multiplexer), so the flood
    # costs a socket id per handshake, not a UDP socket and its threads.
    local = SockaddrIn(socket.AF_INET, socket.htons(0), struct.unpack("<I", socket.inet_aton("127.0.0.1"))[0], b"")
    no, yes = ctypes.c_int(0), ctypes.c_int(1)
    timeout = ctypes.c_int(1000)
    open_sockets = []
    started = time.monotonic()
    for index in range(count):
        sock = srt.srt_create_socket()
        srt.srt_setsockflag(sock, SRTO_RCVSYN, ctypes.byref(no), 4)
        srt.srt_setsockflag(sock, SRTO_SNDSYN, ctypes.byref(no), 4)
        srt.srt_setsockflag(sock, SRTO_CONNTIMEO, ctypes.byref(timeout), 4)
        srt.srt_setsockflag(sock, SRTO_REUSEADDR, ctypes.byref(yes), 4)
        srt.srt_bind(sock, ctypes.byref(local), ctypes.sizeof(local))
        if local.port == 0:
            bound = SockaddrIn()
            length = ctypes.c_int(ctypes.sizeof(bound))
            srt.srt_getsockname(sock, ctypes.byref(bound), ctypes.byref(length))
            local.port = bound.port
        stream_id = os.urandom(12).hex().encode()
        srt.srt_setsockflag(sock, SRTO_STREAMID, stream_id, len(stream_id))
        srt.srt_connect(sock, ctypes.byref(address), ctypes.sizeof(address))
        open_sockets.append((time.monotonic(), sock))
        # Spread the handshakes over the time given; keep a bounded number open.
        while open_sockets and (len(open_sockets) > 200 or time.monotonic() - open_sockets[0][0] > 0.2):
            srt.srt_close(open_sockets.pop(0)[1])
        lag = started + seconds * (index + 1) / count - time.monotonic()
        if lag > 0:
            time.sleep(lag)
    for _, sock in open_sockets:
        srt.srt_close(sock)
    print(f"{count} handshakes in {time.monotonic() - started:.1f} s", flush=True)
    srt.srt_cleanup()


main()
