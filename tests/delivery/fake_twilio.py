#!/usr/bin/python3
"""A local server that answers like Twilio's Messages API, for the tests.

POST /2010-04-01/Accounts/{AccountSid}/Messages.json with basic auth and the
form fields To, From, Body. It checks what Twilio checks (the credentials,
the account in the path, the fields, E.164 numbers, the whatsapp: prefix on
both numbers or neither) and answers 201 with a message SID, or Twilio's
error JSON. Every accepted message is appended to LOG as one JSON line.
A To number ending in 0000 is "not a valid phone number" (21211); --busy
answers 429 to everything. Prints READY when it listens.

  fake_twilio.py PORT LOG ACCOUNT_SID AUTH_TOKEN [--busy]
"""
import argparse
import base64
import json
import re
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("log")
    parser.add_argument("account")
    parser.add_argument("token")
    parser.add_argument("--busy", action="store_true")
    args = parser.parse_args()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real API

        def log_message(self, *unused):
            pass

        def setup(self):
            super().setup()
            # Headers and body leave as one segment: without this, Nagle's
            # algorithm and the client's delayed ACK add 40 ms per request.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self._headers_buffer.append(b"\r\n" + data)  # one write with the headers
            self.flush_headers()

        def error(self, status, code, message):
            self.answer(status, {"code": code, "message": message, "status": status,
                                 "more_info": f"https://www.twilio.com/docs/errors/{code}"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
            if args.busy:
                return self.error(429, 20429, "Too Many Requests")
            expected = "Basic " + base64.b64encode(f"{args.account}:{args.token}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self.error(401, 20003, "Authenticate")
            if self.path != f"/2010-04-01/Accounts/{args.account}/Messages.json":
                return self.error(404, 20404, "The requested resource was not found")
            if "application/x-www-form-urlencoded" not in self.headers.get("Content-Type", ""):
                return self.error(400, 21000, "Content-Type must be form encoded")
            for field in ("To", "From", "Body"):
                if not form.get(field):
                    return self.error(400, 21602 if field == "Body" else 21604, f"A '{field}' is required.")
            to, sender = form["To"], form["From"]
            if to.startswith("whatsapp:") != sender.startswith("whatsapp:"):
                return self.error(400, 63007, "Twilio could not find a Channel with the specified From address")
            number = to.removeprefix("whatsapp:")
            if not E164.match(number) or number.endswith("0000"):
                return self.error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
            sid = "SM" + uuid.uuid4().hex
            with lock, open(args.log, "a", encoding="utf-8") as log:
                log.write(json.dumps({"sid": sid, "to": to, "from": sender, "body": form["Body"]},
                                     ensure_ascii=False) + "\n")
            self.answer(201, {"sid": sid, "status": "queued", "to": to, "from": sender, "body": form["Body"],
                              "account_sid": args.account, "num_segments": "1"})

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("READY", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
