"""What the local provider servers (fake_twilio.py, fake_whatsapp_cloud.py)
share: keep-alive HTTP/1.1, one TCP segment per answer, the failure modes
the tests ask for, and READY once listening."""
import argparse
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def arguments(*names):
    """PORT LOG and the given positional names, plus the failure modes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("log")
    for name in names:
        parser.add_argument(name)
    parser.add_argument("--busy", action="store_true")
    parser.add_argument("--down", action="store_true")
    parser.add_argument("--malformed", action="store_true")
    parser.add_argument("--slow", type=float, default=0)
    return parser.parse_args()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real APIs

    def log_message(self, *unused):
        pass

    def setup(self):
        super().setup()
        # Headers and body leave as one segment: without this, Nagle's
        # algorithm and the client's delayed ACK add 40 ms per request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def answer(self, status, data, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self._headers_buffer.append(b"\r\n" + data)  # one write with the headers
        self.flush_headers()

    def garbage(self, status):
        """An answer a proxy in the way might give: not the provider's JSON."""
        self.answer(status, b"<html>502 Bad Gateway</html>", "text/html")


def serve(port, handler):
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    print("READY", flush=True)
    server.serve_forever()
