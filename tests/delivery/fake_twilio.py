#!/usr/bin/python3
"""A local server that answers like Twilio's Messages API, for the tests.

POST /2010-04-01/Accounts/{AccountSid}/Messages.json with basic auth and the
form fields To, From, Body. It checks what Twilio checks (the credentials,
the account in the path, the fields, E.164 numbers, the whatsapp: prefix on
both numbers or neither) and answers 201 with a message SID, or Twilio's
error JSON. Every accepted message is appended to LOG as one JSON line.
A To number ending in 0000 is "not a valid phone number" (21211); --busy
answers 429 to everything, --down 500, --malformed a 201 whose body is not
JSON, and --slow S accepts (and logs) each message S seconds before it
answers. Prints READY when it listens.

  fake_twilio.py PORT LOG ACCOUNT_SID AUTH_TOKEN [--busy | --down | --malformed | --slow S]
"""
import base64
import json
import re
import threading
import time
import uuid
from urllib.parse import parse_qs

import fake_provider

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def main():
    args = fake_provider.arguments("account", "token")
    lock = threading.Lock()

    class Handler(fake_provider.Handler):
        def error(self, status, code, message):
            self.answer(status, json.dumps({"code": code, "message": message, "status": status,
                                            "more_info": f"https://www.twilio.com/docs/errors/{code}"}).encode())

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
            if args.busy:
                return self.error(429, 20429, "Too Many Requests")
            if args.down:
                return self.error(500, 20500, "Internal Server Error")
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
            if args.slow:
                time.sleep(args.slow)
            if args.malformed:
                return self.garbage(201)
            self.answer(201, json.dumps({"sid": sid, "status": "queued", "to": to, "from": sender,
                                         "body": form["Body"], "account_sid": args.account,
                                         "num_segments": "1"}).encode())

    fake_provider.serve(args.port, Handler)


if __name__ == "__main__":
    main()
