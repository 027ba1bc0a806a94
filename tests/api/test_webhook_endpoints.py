"""Outbound webhook endpoints over the API, and a real delivery: the server's
delivery loop (every 10 s; the harness passes no --no-delivery) posts a
`promise.created` event to a receiver this test runs on 127.0.0.1, signed
with the secret the API showed once."""
import calendar
import hashlib
import hmac
import http.server
import json
import threading
import time
import unittest

from harness import ApiTest, Client

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


if __name__ == "__main__":
    unittest.main()
