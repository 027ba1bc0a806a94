"""Outbound webhook endpoints over the API, and a real delivery: the server's
delivery loop (every 10 s; the harness passes no --no-delivery) posts a
`promise.created` event to a receiver this test runs on 127.0.0.1, signed
with the secret the API showed once."""
import calendar
import hashlib
import hmac
import http.server
import json
import os
import subprocess
import threading
import time
import unittest
import urllib.parse

from harness import ApiTest, Client, free_port
from test_settings import DELIVERY, PORTAL, QUIET_SERVER, TWILIO_SID, TWILIO_TOKEN, twilio_signature

TODAY = "2026-11-20"


class Receiver:
    """A local HTTP receiver: /ok answers 200, /fail answers 500; it keeps
    every POST (path, headers, body)."""

    def __init__(self):
        self.posts = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.posts.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status = 500 if self.path.startswith("/fail") else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, path):
        with self.lock:
            return [post for post in self.posts if post[0] == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def verify(secret, header, body):
    """What a receiver does: t=...,v1=HMAC-SHA256(secret, "t.body") in hex."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"]), int(parts["t"])


class WebhookEndpointsTest(ApiTest):
    demo_customers = 8
    serve_args = ("--rate-limit", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver()
        cls.viewer = cls.client_of("viewer")
        cls.collector = cls.client_of("collector")

    @classmethod
    def tearDownClass(cls):
        cls.receiver.close()
        super().tearDownClass()

    @classmethod
    def client_of(cls, role, tenant=None):
        return Client(cls.server, cls.server.api_key(role, tenant=tenant))

    @classmethod
    def beta(cls):
        """An admin of another tenant (made once), or a skip while `tenant create` is missing."""
        if getattr(cls, "_beta", None) is None:
            done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP", "--time-zone",
                                  "America/Bogota", check=False)
            if done.returncode != 0:
                raise unittest.SkipTest(f"tenant create is not ready: {done.stderr[:200]}")
            cls._beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"))
        return cls._beta

    def owing_customer(self):
        return self.admin.get(f"/api/v1/segments?as_of={TODAY}").json["data"][0]["external_id"]

    def register(self, path, events=("promise.created",), description=""):
        body = {"url": self.receiver.url(path), "events": list(events)}
        if description:
            body["description"] = description
        registered = self.admin.post("/api/v1/webhook-endpoints", body)
        self.assertEqual(registered.status, 201, registered.body)
        return registered

    def deliveries(self, endpoint_id, query=""):
        listed = self.admin.get(f"/api/v1/webhook-endpoints/{endpoint_id}/deliveries{query}")
        self.assertEqual(listed.status, 200, listed.body)
        return listed.json["data"]

    def wait_for(self, condition, seconds=40, what="the delivery loop"):
        deadline = time.time() + seconds
        while time.time() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.25)
        self.fail(f"{what} did not happen within {seconds} s; server log:\n{self.server.logs()[-3000:]}")

    # --- register, list, bad input, roles ---

    def test_register_shows_the_secret_once_and_lists_without_it(self):
        registered = self.register("/list", ("promise.created", "payment.received", "promise.created"), "ERP")
        self.assertEqual(registered.header("cache-control"), "no-store")
        endpoint = registered.json
        self.assertTrue(endpoint["secret"].startswith("whsec_"))
        self.assertEqual((endpoint["url"], endpoint["events"], endpoint["description"], endpoint["status"],
                          endpoint["disabled_at"]),
                         (self.receiver.url("/list"), ["promise.created", "payment.received"], "ERP", "enabled", None))
        listed = self.admin.get("/api/v1/webhook-endpoints").json
        self.assertEqual(listed["object"], "list")
        mine = [e for e in listed["data"] if e["id"] == endpoint["id"]]
        secretless = {k: v for k, v in endpoint.items() if k != "secret"}
        self.assertEqual(mine, [secretless])
        self.assertNotIn(endpoint["secret"], self.admin.get("/api/v1/webhook-endpoints").body.decode())
        # The same shape as the CLI's.
        cli = json.loads(self.server.cli("webhook-endpoint", "list", "--format", "json").stdout)
        self.assertIn(secretless, cli)
        # Audited, without the secret.
        audit = json.loads(self.server.cli("audit", "--entity", "webhook_endpoint", "--format", "json").stdout)
        created = [row for row in audit if row["entity_id"] == endpoint["id"] and row["action"] == "create"]
        self.assertEqual(len(created), 1)
        self.assertTrue(created[0]["actor"])
        self.assertNotIn(endpoint["secret"], json.dumps(audit))
        # Removed: disabled, still listed, removing twice changes nothing.
        removed = self.admin.delete(f"/api/v1/webhook-endpoints/{endpoint['id']}")
        self.assertEqual(removed.status, 200, removed.body)
        self.assertEqual(removed.json["status"], "disabled")
        self.assertIsNotNone(removed.json["disabled_at"])
        self.assertEqual(self.admin.delete(f"/api/v1/webhook-endpoints/{endpoint['id']}").json["status"], "disabled")
        self.assertIn(removed.json, self.admin.get("/api/v1/webhook-endpoints").json["data"])

    def test_bad_input_names_the_field(self):
        problem = self.assertProblem(self.admin.post("/api/v1/webhook-endpoints",
                                                     {"url": "http://example.com/hook", "events": ["promise.created"]}),
                                     422)
        self.assertEqual([e["field"] for e in problem["errors"]], ["/url"])
        self.assertIn("https://", problem["errors"][0]["detail"])
        problem = self.assertProblem(self.admin.post("/api/v1/webhook-endpoints",
                                                     {"url": "https://erp.example.com/hook",
                                                      "events": ["promise.created", "invoice.eaten"], "color": "red"}),
                                     422)
        self.assertEqual({e["field"] for e in problem["errors"]}, {"/events", "/color"})
        self.assertIn("invoice.eaten", json.dumps(problem))
        problem = self.assertProblem(self.admin.post("/api/v1/webhook-endpoints", {"events": "promise.created"}), 422)
        self.assertEqual({e["field"] for e in problem["errors"]}, {"/url", "/events"})
        self.assertProblem(self.admin.post("/api/v1/webhook-endpoints",
                                           {"url": "https://erp.example.com/hook", "events": []}), 422, 1000)
        spanish = Client(self.server, self.server.api_key("admin"), language="es")
        problem = self.assertProblem(spanish.post("/api/v1/webhook-endpoints",
                                                  {"url": "ftp://x", "events": ["promise.created"]}), 422)
        self.assertIn("debe empezar por https://", problem["errors"][0]["detail"])
        self.assertProblem(self.admin.get("/api/v1/webhook-endpoints/1/deliveries?status=lost"), 400, 1008)
        self.assertProblem(self.admin.get("/api/v1/webhook-endpoints/1/deliveries?limit=0"), 400, 1008)
        self.assertProblem(self.admin.delete("/api/v1/webhook-endpoints/abc"), 404, 1200)
        self.assertProblem(self.admin.post("/api/v1/webhook-deliveries/999999/replay"), 404, 1200)

    def test_below_admin_is_403(self):
        for client in (self.viewer, self.collector, self.client_of("manager")):
            self.assertProblem(client.get("/api/v1/webhook-endpoints"), 403, 1101)
            self.assertProblem(client.post("/api/v1/webhook-endpoints",
                                           {"url": "https://erp.example.com/h", "events": ["promise.created"]}),
                               403, 1101)
            self.assertProblem(client.delete("/api/v1/webhook-endpoints/1"), 403, 1101)
            self.assertProblem(client.get("/api/v1/webhook-endpoints/1/deliveries"), 403, 1101)
            self.assertProblem(client.post("/api/v1/webhook-deliveries/1/replay"), 403, 1101)

    def test_another_tenants_endpoint_and_delivery_are_404(self):
        beta = self.beta()
        theirs = beta.post("/api/v1/webhook-endpoints", {"url": "https://beta.example.com/h",
                                                         "events": ["promise.created"]})
        self.assertEqual(theirs.status, 201, theirs.body)
        their_id = theirs.json["id"]
        self.assertNotIn(their_id, [e["id"] for e in self.admin.get("/api/v1/webhook-endpoints").json["data"]])
        self.assertProblem(self.admin.get(f"/api/v1/webhook-endpoints/{their_id}/deliveries"), 404, 1200)
        self.assertProblem(self.admin.delete(f"/api/v1/webhook-endpoints/{their_id}"), 404, 1200)
        self.assertEqual([e["status"] for e in beta.get("/api/v1/webhook-endpoints").json["data"]], ["enabled"])
        # Ours are not theirs either.
        mine = self.register("/tenant")
        self.assertProblem(beta.get(f"/api/v1/webhook-endpoints/{mine.json['id']}/deliveries"), 404, 1200)
        self.assertProblem(beta.delete(f"/api/v1/webhook-endpoints/{mine.json['id']}"), 404, 1200)
        self.assertEqual(self.admin.get(f"/api/v1/webhook-endpoints/{mine.json['id']}/deliveries").status, 200)

    # --- a real delivery through the server's loop ---

    def test_promise_created_is_delivered_signed_and_failures_retry_and_replay(self):
        good = self.register("/ok").json
        bad = self.register("/fail").json
        customer = self.owing_customer()
        promise = self.collector.post("/api/v1/promises", {"customer": customer, "date": "2026-12-05",
                                                           "amount": "1250.50"})
        self.assertEqual(promise.status, 201, promise.body)
        # Queued in the promise's own transaction, for both endpoints.
        queued = self.deliveries(good["id"])
        self.assertEqual(len(queued), 1)
        self.assertEqual((queued[0]["event_type"], queued[0]["endpoint_id"]), ("promise.created", good["id"]))

        posts = self.wait_for(lambda: self.receiver.received("/ok"))
        self.wait_for(lambda: self.deliveries(good["id"], "?status=delivered"), what="delivered")
        failing = self.wait_for(lambda: [d for d in self.deliveries(bad["id"]) if d["attempts"] >= 1
                                         and d["status"] == "queued"], what="a failed attempt")
        # Exactly one POST to the good endpoint, signed with its secret.
        self.assertEqual(len(self.receiver.received("/ok")), 1)
        path, headers, body = posts[0]
        self.assertEqual(headers["content-type"].split(";")[0], "application/json")
        ok, signed_at = verify(good["secret"], headers["cartera-signature"], body)
        self.assertTrue(ok, headers["cartera-signature"])
        self.assertFalse(verify(bad["secret"], headers["cartera-signature"], body)[0])
        self.assertEqual(signed_at, calendar.timegm((2026, 11, 20, 15, 0, 0)))  # the harness's clock
        event = json.loads(body)
        self.assertEqual((event["object"], event["type"], event["id"]),
                         ("event", "promise.created", headers["cartera-event-id"]))
        self.assertTrue(event["id"].startswith("evt_"))
        self.assertIn(customer, json.dumps(event["data"]))
        delivered = self.deliveries(good["id"], "?status=delivered")[0]
        self.assertEqual((delivered["event_id"], delivered["attempts"]), (event["id"], 1))
        self.assertIsNotNone(delivered["delivered_at"])
        # Another tenant's delivery id is a 404.
        try:
            self.assertProblem(self.beta().post(f"/api/v1/webhook-deliveries/{delivered['id']}/replay"), 404, 1200)
        except unittest.SkipTest:
            pass
        # The same event went to the failing endpoint: it waits for a retry (queued, an attempt made, why).
        failed = failing[0]
        self.assertEqual(failed["event_id"], event["id"])
        self.assertIn("500", failed["last_error"])
        self.assertGreater(failed["next_attempt_at"], failed["attempted_at"])
        self.assertEqual(self.deliveries(bad["id"], "?status=delivered"), [])
        # A delivery waiting for its retry is not replayed; once out of attempts it is.
        self.assertProblem(self.admin.post(f"/api/v1/webhook-deliveries/{failed['id']}/replay"), 409, 1300)
        # The harness's clock stands still, so the retries never come due:
        # mark it out of attempts the way the sender does after the last one.
        self.server.query(f"UPDATE webhook_deliveries SET status = 'failed' WHERE id = {failed['id']}")
        self.assertEqual(self.deliveries(bad["id"], "?status=failed")[0]["id"], failed["id"])
        replayed = self.admin.post(f"/api/v1/webhook-deliveries/{failed['id']}/replay")
        self.assertEqual(replayed.status, 200, replayed.body)
        self.assertEqual((replayed.json["status"], replayed.json["attempts"], replayed.json["event_id"]),
                         ("queued", 0, event["id"]))
        # Replaying the delivered one posts the same event again, same id.
        again = self.admin.post(f"/api/v1/webhook-deliveries/{delivered['id']}/replay")
        self.assertEqual(again.status, 200, again.body)
        self.assertEqual(again.json["status"], "queued")
        second = self.wait_for(lambda: len(self.receiver.received("/ok")) >= 2 and self.receiver.received("/ok"))
        self.assertEqual(second[1][1]["cartera-event-id"], event["id"])
        self.assertEqual(second[1][2], body)
        audit = json.loads(self.server.cli("audit", "--entity", "webhook_delivery", "--format", "json").stdout)
        self.assertEqual({row["entity_id"] for row in audit if (row["after"] or {}).get("replayed")},
                         {failed["id"], delivered["id"]})
        # Paging: one at a time tells there is more.
        page = self.admin.get(f"/api/v1/webhook-endpoints/{good['id']}/deliveries?limit=1").json
        self.assertEqual((len(page["data"]), page["has_more"]), (1, False))
        # Removing the failing endpoint cancels what is queued for it; nothing is replayed to it.
        self.assertEqual(self.admin.delete(f"/api/v1/webhook-endpoints/{bad['id']}").status, 200)
        cancelled = self.deliveries(bad["id"], "?status=cancelled")
        if cancelled:  # unless the loop took it meanwhile
            self.assertProblem(self.admin.post(f"/api/v1/webhook-deliveries/{cancelled[0]['id']}/replay"), 409, 1300)


ALL_EVENTS = ["payment.received", "promise.created", "promise.broken", "dispute.opened", "dispute.resolved",
              "message.sent", "message.bounced", "message.replied", "customer.opted_out", "run.completed",
              "promise.kept"]


class QueuedEvents:
    """The events queued for a tenant's endpoints, read from the database
    (the server runs without delivery here, so they stay queued)."""

    def events(self, event_type, tenant_id=None):
        where = f"event_type = '{event_type}'" + (f" AND tenant_id = {tenant_id}" if tenant_id else "")
        rows = self.server.query(f"SELECT payload FROM webhook_deliveries WHERE {where} ORDER BY id")
        return [json.loads(row[0]) for row in rows]

    def subscribe(self, client, url="https://erp.example.com/cartera"):
        registered = client.post("/api/v1/webhook-endpoints", {"url": url, "events": ALL_EVENTS})
        self.assertEqual(registered.status, 201, registered.body)
        return registered.json


class EventsTest(QueuedEvents, ApiTest):
    """payment.received (imports, both load paths), customer.opted_out and
    message.replied (a provider's inbound webhook)."""
    demo_customers = 12
    serve_args = QUIET_SERVER

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = cls.server
        server.cli("channel", "set-portal", "--base-url", PORTAL)
        answer = cls.admin.put("/api/v1/channels/twilio", {"account_sid": TWILIO_SID, "auth_token": TWILIO_TOKEN,
                                                           "sms_from": "+15005550006"})
        assert answer.status == 200, answer.body
        cls.phones = server.query("SELECT p.value, c.external_id FROM contact_points p JOIN customers c ON "
                                  "c.id = p.customer_id WHERE c.tenant_id = 1 AND p.channel = 'phone' AND "
                                  "p.consent = 'granted' ORDER BY p.id")

    def setUp(self):
        if not getattr(type(self), "_subscribed", False):
            self.subscribe(self.admin)
            type(self)._subscribed = True

    def write(self, name, text):
        path = os.path.join(self.server.workdir, name)
        with open(path, "w") as out:
            out.write(text)
        return path

    def post_twilio(self, params):
        path = "/webhooks/default/twilio"
        signature = twilio_signature(TWILIO_TOKEN, PORTAL + path, params)
        anonymous = Client(self.server, language="en")
        return anonymous.request("POST", path, raw=urllib.parse.urlencode(params),
                                 content_type="application/x-www-form-urlencoded",
                                 headers={"X-Twilio-Signature": signature})

    def test_imported_payments_queue_payment_received_one_each(self):
        customer = self.phones[0][1]
        payments = self.write("payments.csv",
                              "external_id,customer_external_id,date,currency,amount,method,reference\n"
                              f"PAY-WH-1,{customer},2026-11-19,COP,150000.00,transfer,REF-1\n"
                              f"PAY-WH-2,{customer},2026-11-20,COP,2500.50,cash,\n")
        before = len(self.events("payment.received"))
        self.server.cli("import", "payments", payments, "--dry-run")
        self.assertEqual(len(self.events("payment.received")), before)
        self.server.cli("import", "payments", payments)
        queued = self.events("payment.received")[before:]
        self.assertEqual([e["data"]["payment"]["external_id"] for e in queued], ["PAY-WH-1", "PAY-WH-2"])
        first = queued[0]["data"]["payment"]
        self.assertEqual((first["customer_external_id"], first["date"], first["amount"], first["method"],
                          first["reference"], first["invoice_external_id"]),
                         (customer, "2026-11-19", {"amount": "150000.00", "currency": "COP"}, "transfer", "REF-1",
                          None))
        self.assertIsNone(queued[1]["data"]["payment"]["reference"])
        self.assertEqual(len({e["id"] for e in queued}), 2)  # an event each
        self.assertEqual({e["tenant_id"] for e in queued}, {1})
        # Imported again: nothing new was received.
        self.server.cli("import", "payments", payments)
        self.assertEqual(len(self.events("payment.received")), before + 2)

    def test_a_first_payments_load_queues_them_in_bulk(self):
        # A tenant without payments takes the direct (bulk) load path.
        done = self.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP", "--time-zone",
                               "America/Bogota", check=False)
        if done.returncode != 0:
            self.skipTest(f"tenant create is not ready: {done.stderr[:200]}")
        beta = Client(self.server, self.server.api_key("admin", tenant="beta"))
        self.subscribe(beta)
        beta_id = int(self.server.query("SELECT id FROM tenants WHERE slug = 'beta'")[0][0])
        customers = self.write("beta_customers.csv", "external_id,name,tax_id,country\n" +
                               "".join(f"B-{i},Cliente {i},900{i:06d},CO\n" for i in range(3)))
        rows = 2500  # more than one write of the batch
        payments = self.write("beta_payments.csv",
                              "external_id,customer_external_id,date,currency,amount,method\n" +
                              "".join(f"BP-{i},B-{i % 3},2026-11-1{i % 9},COP,{1000 + i}.00,transfer\n"
                                      for i in range(rows)))
        self.server.cli("import", "customers", customers, tenant="beta")
        self.server.cli("import", "payments", payments, tenant="beta")
        queued = self.events("payment.received", tenant_id=beta_id)
        self.assertEqual(len(queued), rows)
        self.assertEqual(len({e["id"] for e in queued}), rows)
        by_id = {e["data"]["payment"]["external_id"]: e["data"]["payment"] for e in queued}
        self.assertEqual((by_id["BP-7"]["customer_external_id"], by_id["BP-7"]["amount"]),
                         ("B-1", {"amount": "1007.00", "currency": "COP"}))
        # Tenant A's endpoints hear nothing of B's payments.
        self.assertNotIn("BP-7", json.dumps(self.events("payment.received", tenant_id=1)))

    def test_a_stop_reply_queues_customer_opted_out_and_a_reply_message_replied(self):
        phone, customer = self.phones[1]
        done = self.post_twilio({"MessageSid": "SMwhstop", "From": phone, "To": "+15005550006", "Body": "BAJA",
                                 "AccountSid": TWILIO_SID})
        self.assertEqual(done.json["outcomes"][0]["kind"], "opt_out", done.body)
        [opted] = [e for e in self.events("customer.opted_out") if e["data"]["opt_out"]["value"] == phone]
        self.assertEqual(opted["data"]["opt_out"], {"customer_external_id": customer, "channel": "phone",
                                                    "value": phone, "via": "reply 'BAJA'",
                                                    "at": "2026-11-20T15:00:00Z"})
        self.assertEqual(opted["created_at"], "2026-11-20T15:00:00Z")
        # The same webhook again (a provider's retry): recorded once, one event.
        self.post_twilio({"MessageSid": "SMwhstop", "From": phone, "To": "+15005550006", "Body": "BAJA",
                          "AccountSid": TWILIO_SID})
        self.assertEqual(len([e for e in self.events("customer.opted_out")
                              if e["data"]["opt_out"]["value"] == phone]), 1)
        other_phone, other = self.phones[2]
        reply = self.post_twilio({"MessageSid": "SMwhreply", "From": other_phone, "To": "+15005550006",
                                  "Body": "Pago el viernes", "AccountSid": TWILIO_SID})
        self.assertEqual(reply.json["outcomes"][0]["kind"], "reply", reply.body)
        [replied] = [e for e in self.events("message.replied") if e["data"]["reply"]["from"] == other_phone]
        self.assertEqual(replied["data"]["reply"], {"customer_external_id": other, "channel": "sms",
                                                    "from": other_phone, "body": "Pago el viernes",
                                                    "received_at": "2026-11-20T15:00:00Z"})
        self.assertIn("message", replied["data"])  # the message it answers, or null when none was sent
        # An opt-out is not a reply.
        self.assertEqual([e for e in self.events("message.replied") if e["data"]["reply"]["from"] == phone], [])


class SentAndBouncedTest(QueuedEvents, ApiTest):
    """message.sent when the worker records `sent`, message.bounced when the
    mail server's report comes back (the same flow as test_settings.BounceTest)."""
    demo_customers = 12
    serve_args = QUIET_SERVER

    def test_sent_then_bounced(self):
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            self.skipTest("python3-aiosmtpd is not installed (scripts/setup.sh installs it)")
        self.subscribe(self.admin)
        maildir = os.path.join(self.server.workdir, "mail")
        port = free_port()
        sink = subprocess.Popen(["/usr/bin/python3", os.path.join(DELIVERY, "smtp_sink.py"), str(port), maildir],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertIn("READY", sink.stdout.readline())
            put = self.admin.put("/api/v1/channels/email", {"host": "127.0.0.1", "port": port, "security": "none",
                                                            "from_address": "cobros@empresa.co"})
            self.assertEqual(put.status, 200, put.body)
            exported = os.path.join(self.server.workdir, "policy.json")
            email_only = os.path.join(self.server.workdir, "email.json")
            with open(exported, "w") as out:
                out.write(json.dumps(self.admin.get("/api/v1/strategy").json))
            subprocess.run(["/usr/bin/python3", os.path.join(DELIVERY, "one_channel_policy.py"), exported, email_only],
                           check=True)
            with open(email_only) as policy:
                self.assertEqual(self.admin.put("/api/v1/strategy", json.load(policy)).status, 200)
            self.server.cli("run")
            self.server.cli("deliver", "--once")
            received = sorted(os.path.join(maildir, "new", name) for name in os.listdir(os.path.join(maildir, "new")))
            self.assertTrue(received, "nothing was sent")
            sent_ids = [int(row[0]) for row in self.server.query("SELECT id FROM outbox WHERE status = 'sent'")]
            sent_events = self.events("message.sent")
            # One event per message recorded `sent`, naming it in the outbox's shape.
            self.assertEqual(sorted(int(e["data"]["message"]["id"]) for e in sent_events), sorted(sent_ids))
            self.assertEqual(len(sent_events), len(received))
            first = sent_events[0]["data"]
            self.assertEqual((first["message"]["status"], first["message"]["channel"]), ("sent", "email"))
            self.assertIn("@", first["recipient"])
            bounce = os.path.join(self.server.workdir, "bounce.eml")
            subprocess.run(["/usr/bin/python3", os.path.join(DELIVERY, "make_bounce.py"), received[0], bounce],
                           check=True)
            import email
            with open(received[0], "rb") as message:
                message_id = email.message_from_binary_file(message)["Message-ID"]
            [[outbox_id]] = self.server.query(f"SELECT id FROM outbox WHERE provider_message_id = '{message_id}'")
            with open(bounce, "rb") as raw:
                answer = self.admin.request("POST", "/webhooks/default/bounces", raw=raw.read(),
                                            content_type="message/rfc822")
            self.assertEqual(answer.status, 200, answer.body)
            [bounced] = self.events("message.bounced")
            self.assertEqual((bounced["data"]["message"]["id"], bounced["data"]["message"]["status"],
                              bounced["data"]["provider_status"], bounced["data"]["provider"]),
                             (str(outbox_id), "bounced", "bounced", "SMTP"))
            self.assertTrue(bounced["data"]["error_code"].startswith("5."))
        finally:
            sink.terminate()
            sink.wait()


if __name__ == "__main__":
    unittest.main()
