#!/usr/bin/python3
"""A local server that answers like Meta's WhatsApp Business Cloud API, for the tests.

POST /{version}/{phone_number_id}/messages with "Authorization: Bearer TOKEN"
and a JSON body. It checks what the Cloud API checks: the token, the phone
number id in the path, messaging_product, a "to" of digits only, and:
  - type "template": the template must be approved (its name starts with
    "cartera_"), the language code given, and the body must carry exactly
    5 text parameters, none empty (error 132000 otherwise);
  - type "text": only inside the 24-hour customer-service window: the number
    must be listed in the WINDOW file (error 131047 otherwise).
A number ending in 0000 is not on WhatsApp (131026). Accepted messages are
appended to LOG as JSON lines and answered with a "wamid." id.

Modes for failure tests: --busy answers 429 (130429), --down answers 500,
--malformed answers 200 with a body that is not JSON, --slow S waits S
seconds, then accepts (and logs) the message anyway.

  fake_whatsapp_cloud.py PORT LOG WINDOW PHONE_NUMBER_ID TOKEN [mode]
"""
import json
import os
import re
import threading
import time
import uuid

import fake_provider

DIGITS = re.compile(r"^[1-9][0-9]{6,14}$")


def main():
    args = fake_provider.arguments("window", "phone_number_id", "token")
    lock = threading.Lock()

    class Handler(fake_provider.Handler):
        def error(self, status, code, message, details=""):
            body = {"error": {"message": message, "type": "OAuthException", "code": code,
                              "error_data": {"messaging_product": "whatsapp", "details": details or message},
                              "fbtrace_id": "A" + uuid.uuid4().hex[:20]}}
            self.answer(status, json.dumps(body).encode())

        def check(self, body):
            if body.get("messaging_product") != "whatsapp":
                return (400, 100, "(#100) The parameter messaging_product is required.")
            to = body.get("to", "")
            if not DIGITS.match(to):
                return (400, 100, f"(#100) Invalid parameter: to '{to}'")
            if to.endswith("0000"):
                return (400, 131026, "Message undeliverable", "the recipient is not a WhatsApp user")
            kind = body.get("type")
            if kind == "text":
                window = open(args.window).read().split() if os.path.exists(args.window) else []
                if to not in window:
                    return (400, 131047, "Re-engagement message",
                            "more than 24 hours have passed since the recipient last replied")
                if not body.get("text", {}).get("body"):
                    return (400, 100, "(#100) The parameter text['body'] is required.")
                return None
            if kind != "template":
                return (400, 131051, f"Unsupported message type: {kind}")
            template = body.get("template", {})
            if not template.get("name", "").startswith("cartera_"):
                return (404, 132001, "Template name does not exist in the translation")
            if not template.get("language", {}).get("code"):
                return (400, 100, "(#100) The parameter template['language']['code'] is required.")
            bodies = [c for c in template.get("components", []) if c.get("type") == "body"]
            parameters = bodies[0].get("parameters", []) if bodies else []
            if len(parameters) != 5 or any(p.get("type") != "text" or not p.get("text") for p in parameters):
                return (400, 132000, "Number of parameters does not match the expected number of params")
            for p in parameters:
                if "\n" in p["text"] or "\t" in p["text"] or "     " in p["text"]:
                    return (400, 132018, "There was an issue with the parameters in your template.")
            return None

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            if args.busy:
                return self.error(429, 130429, "Rate limit hit")
            if args.down:
                return self.error(500, 1, "An unknown error occurred")
            if self.headers.get("Authorization") != f"Bearer {args.token}":
                return self.error(401, 190, "Invalid OAuth access token")
            if not re.match(rf"^/v[0-9.]+/{args.phone_number_id}/messages$", self.path):
                return self.error(400, 100, "Unsupported post request")
            if "application/json" not in self.headers.get("Content-Type", ""):
                return self.error(400, 100, "Content-Type must be application/json")
            try:
                body = json.loads(raw)
            except ValueError:
                return self.error(400, 100, "The request body is not JSON")
            problem = self.check(body)
            if problem:
                return self.error(*problem)
            wamid = "wamid." + uuid.uuid4().hex
            with lock, open(args.log, "a", encoding="utf-8") as log:
                log.write(json.dumps({"id": wamid, "request": body}, ensure_ascii=False) + "\n")
            if args.slow:
                time.sleep(args.slow)
            if args.malformed:
                return self.garbage(200)
            self.answer(200, json.dumps({"messaging_product": "whatsapp",
                                         "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                         "messages": [{"id": wamid}]}).encode())

    fake_provider.serve(args.port, Handler)


if __name__ == "__main__":
    main()
