#!/usr/bin/env python3
"""A UDP proxy that drops and delays packets in both directions: a poor district link for tests
(these machines have no tc netem). Usage: impairment-proxy.py --listen H:P --upstream H:P --drop 0.02 --delay-ms 30"""
import argparse
import heapq
import random
import selectors
import socket
import time


def address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--drop", type=float, default=0.02)
    parser.add_argument("--delay-ms", type=float, default=30)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    near = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    near.bind(address(options.listen))
    far = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    far.connect(address(options.upstream))
    selector = selectors.DefaultSelector()
    selector.register(near, selectors.EVENT_READ, "to-upstream")
    selector.register(far, selectors.EVENT_READ, "to-client")
    client, pending, sequence = None, [], 0
    while True:
        timeout = max(0.0, pending[0][0] - time.monotonic()) if pending else None
        for key, _ in selector.select(timeout):
            try:
                data, source = key.fileobj.recvfrom(65536)
            except OSError:
                continue
            if key.data == "to-upstream":
                client = source
            if rng.random() < options.drop:
                continue
            sequence += 1
            heapq.heappush(pending, (time.monotonic() + options.delay_ms / 1000, sequence, key.data, data))
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, direction, data = heapq.heappop(pending)
            try:
                if direction == "to-upstream":
                    far.send(data)
                elif client is not None:
                    near.sendto(data, client)
            except OSError:
                pass


if __name__ == "__main__":
    main()
