"""Configuration and inbound webhooks: the strategy, the message templates,
the channels (secrets write-only, a test message through a server that
answers like Twilio), the company, and the providers' webhooks signed the
way Twilio and Meta sign them."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.parse
import unittest

from harness import BACKEND, ApiTest, Client, Server, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
DELIVERY = os.path.join(HERE, "..", "delivery")
PORTAL = "https://cobros.ferreteria.co"
TWILIO_SID, TWILIO_TOKEN = "ACtest0123", "tok-s3cr3t"
APP_SECRET, VERIFY_TOKEN = "app-s3cret", "verify-me-42"


def sql(server, query):
    """Rows of a query on the server's database, as lists of text."""
    if BACKEND == "sqlite":
        import sqlite3
        with sqlite3.connect(server.db) as connection:
            return [[None if v is None else str(v) for v in row] for row in connection.execute(query).fetchall()]
    done = subprocess.run(["psql", server.db, "-tA", "-F", "\t", "-c", query], capture_output=True, text=True, check=True)
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def twilio_signature(token, url, params):
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def hub_signature(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def meta_messages(messages):
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp",
                                       "metadata": {"display_phone_number": "15550783881",
                                                    "phone_number_id": "106540352242922"},
                                       "messages": messages}}]}]}).encode()


def audit(server, entity, tenant=None):
    done = server.cli("audit", "--format", "json", tenant=tenant)
    return [row for row in json.loads(done.stdout) if row["entity"] == entity]


# No scheduler or worker in the server: what is sent is what a test sends.
QUIET_SERVER = ("--rate-limit", "0", "--no-scheduler", "--no-delivery")


class SettingsTest(ApiTest):
    demo_customers = 12
    serve_args = QUIET_SERVER

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = cls.server
        cls.viewer = Client(server, server.api_key("viewer"))
        cls.collector = Client(server, server.api_key("collector"))
        cls.manager = Client(server, server.api_key("manager"))
        cls.english = Client(server, server.api_key("admin"), language="en")
        server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP", "--time-zone", "America/Bogota")
        cls.beta = Client(server, server.api_key("admin", tenant="beta"))
        customers = json.loads(server.cli("customers", "--format", "json").stdout)
        cls.overdue = next(c["external_id"] for c in customers if c["max_days_past_due"] >= 1)

    # --- Strategy ------------------------------------------------------------------

    def test_strategy_get_validate_put(self):
        got = self.viewer.get("/api/v1/strategy")
        self.assertEqual(got.status, 200)
        strategy = got.json
        self.assertTrue(strategy["stages"])
        self.assertEqual(got.header("etag"), self.viewer.get("/api/v1/strategy").header("etag"))
        exported = json.loads(self.server.cli("policy", "export").stdout)
        self.assertEqual(strategy, exported)

        # Validate: the problems, nothing stored.
        changed = dict(strategy, name="Cobro API", description="desde la API")
        checked = self.manager.post("/api/v1/strategy/validate", changed)
        self.assertEqual(checked.json, {"valid": True, "name": "Cobro API", "stages": len(strategy["stages"]),
                                        "problems": []})
        broken = json.loads(json.dumps(changed))
        broken["stages"][1]["actions"][0]["channel"] = "fax"
        refused = self.manager.post("/api/v1/strategy/validate", broken).json
        self.assertFalse(refused["valid"])
        self.assertEqual(refused["problems"][0]["field"], "/stages/1/actions/0/channel")
        self.assertEqual(self.viewer.get("/api/v1/strategy").json["name"], strategy["name"])

        # Put: If-Match, the same checks, audited.
        etag = got.header("etag")
        bad = self.assertProblem(self.manager.put("/api/v1/strategy", broken, headers={"If-Match": etag}), 422, 1000)
        self.assertEqual(bad["errors"][0]["field"], "/stages/1/actions/0/channel")
        self.assertProblem(self.manager.put("/api/v1/strategy", changed, headers={"If-Match": '"stale"'}), 412, 1303)
        put = self.manager.put("/api/v1/strategy", changed, headers={"If-Match": etag})
        self.assertEqual(put.status, 200, put.body)
        self.assertEqual(put.json["name"], "Cobro API")
        self.assertNotEqual(put.header("etag"), etag)
        self.assertEqual(self.viewer.get("/api/v1/strategy").header("etag"), put.header("etag"))
        self.assertEqual(json.loads(self.server.cli("policy", "export").stdout)["description"], "desde la API")
        rows = audit(self.server, "strategy")
        self.assertEqual(rows[0]["action"], "update")
        self.assertEqual(rows[0]["after"]["name"], "Cobro API")
        self.assertTrue(rows[0]["actor"].startswith("key:") or "manager" in rows[0]["actor"], rows[0]["actor"])
        # The old tag no longer matches.
        self.assertProblem(self.manager.put("/api/v1/strategy", changed, headers={"If-Match": etag}), 412, 1303)
        # Another tenant keeps its own.
        self.assertNotEqual(self.beta.get("/api/v1/strategy").json["name"], "Cobro API")

    def test_strategy_bad_input_and_roles(self):
        self.assertProblem(self.manager.put("/api/v1/strategy", {"name": "x"}), 422, 1000)
        problem = self.assertProblem(self.manager.put("/api/v1/strategy", {"name": "x", "stages": [], "colour": 1}),
                                     422, 1000)
        self.assertTrue(problem["errors"][0]["field"].startswith("/"), problem)
        self.assertProblem(self.manager.request("PUT", "/api/v1/strategy", raw=b"{not json", content_type="application/json"),
                           400, 1001)
        self.assertProblem(self.viewer.put("/api/v1/strategy", {"name": "x"}), 403, 1101)
        self.assertProblem(self.collector.post("/api/v1/strategy/validate", {"name": "x"}), 403, 1101)

    # --- Templates -----------------------------------------------------------------

    def test_templates_list_and_get(self):
        listed = self.viewer.get("/api/v1/templates").json
        keys = [item["key"] for item in listed["data"]]
        self.assertIn("overdue_7", keys)
        self.assertIn("broken_promise", keys)
        overdue_7 = next(item for item in listed["data"] if item["key"] == "overdue_7")
        self.assertIn({"channel": "email", "language": "es", "tone": "cordial", "source": "default"},
                      overdue_7["variants"])
        got = self.viewer.get("/api/v1/templates/overdue_7")
        self.assertTrue(got.header("etag"))
        by = {(t["channel"], t["language"], t["tone"]): t for t in got.json["templates"]}
        email = by[("email", "es", "cordial")]
        self.assertTrue(email["subject"])
        self.assertIn("{{debtor_name}}", email["subject"] + email["body"])
        self.assertIsNone(by[("sms", "es", "cordial")]["subject"])
        self.assertProblem(self.viewer.get("/api/v1/templates/overdue_8"), 404, 1200)

    def test_template_preview(self):
        preview = self.viewer.post("/api/v1/templates/overdue_1/preview",
                                   {"customer": self.overdue, "channel": "sms", "as_of": "2026-11-20"})
        self.assertEqual(preview.status, 200, preview.body)
        body = preview.json
        self.assertEqual((body["stage"], body["channel"], body["language"], body["as_of"]),
                         ("overdue_1", "sms", "es", "2026-11-20"))
        self.assertIsNone(body["subject"])
        self.assertIn("Mi empresa", body["body"])
        self.assertGreaterEqual(body["sms"]["segments"], 1)
        cli = self.server.cli("template", "preview", "overdue_1", self.overdue, "--channel", "sms", "--as-of",
                              "2026-11-20").stdout
        self.assertIn(body["body"], cli)
        email = self.viewer.post("/api/v1/templates/overdue_1/preview", {"customer": self.overdue}).json
        self.assertEqual(email["format"], "html")
        self.assertTrue(email["subject"])
        self.assertIsNone(email["sms"])
        # Bad input, by field.
        missing = self.assertProblem(self.viewer.post("/api/v1/templates/overdue_1/preview", {}), 422, 1004)
        self.assertEqual(missing["errors"][0]["field"], "/customer")
        wrong = self.assertProblem(self.viewer.post("/api/v1/templates/overdue_1/preview",
                                                    {"customer": self.overdue, "channel": "fax", "as_of": "ayer"}), 422)
        self.assertEqual(sorted(e["field"] for e in wrong["errors"]), ["/as_of", "/channel"])
        self.assertProblem(self.viewer.post("/api/v1/templates/overdue_1/preview", {"customer": "NO-SUCH"}), 404, 1200)
        self.assertProblem(self.viewer.post("/api/v1/templates/nope/preview", {"customer": self.overdue}), 404, 1200)
        self.assertProblem(self.viewer.post("/api/v1/templates/overdue_1/preview",
                                            {"customer": self.overdue, "tone": "severo-inexistente"}), 422, 1000)
        # Tenant B cannot render A's customer.
        self.assertProblem(self.beta.post("/api/v1/templates/overdue_1/preview", {"customer": self.overdue}), 404, 1200)

    # --- Template overrides ---------------------------------------------------------

    SMS_OVERRIDE = "Hola {{debtor_name}}: su saldo con {{company_name}} es {{total_due}}. TEXTO PROPIO"

    def test_template_override_put_preview_list_delete(self):
        path = "/api/v1/templates/overdue_1"
        got = self.manager.get(path)
        etag = got.header("etag")
        shipped = next(t for t in got.json["templates"] if (t["channel"], t["language"], t["tone"]) == ("sms", "es", "cordial"))
        self.assertEqual((shipped["source"], shipped["updated_by"]), ("default", None))
        preview_body = {"customer": self.overdue, "channel": "sms", "as_of": "2026-11-20"}
        before = self.viewer.post(path + "/preview", preview_body).json
        self.assertEqual(before["source"], "default")

        put = self.manager.put(path, {"channel": "sms", "language": "es", "body": self.SMS_OVERRIDE},
                               headers={"If-Match": etag})
        self.assertEqual(put.status, 200, put.body)
        saved = put.json
        mine = next(t for t in saved["templates"] if (t["channel"], t["language"], t["tone"]) == ("sms", "es", "cordial"))
        self.assertEqual((mine["source"], mine["body"], mine["subject"]), ("tenant", self.SMS_OVERRIDE, None))
        self.assertTrue(mine["updated_by"])
        self.assertEqual(saved["warnings"], [])
        # Only that script changed; the ETag is the GET's.
        others = [t for t in saved["templates"] if t is not mine]
        self.assertTrue(others)
        self.assertEqual([(t["channel"], t["language"], t["tone"]) for t in others if t["source"] != "default"], [])
        after = self.manager.get(path)
        self.assertEqual(after.header("etag"), put.header("etag"))
        self.assertNotEqual(after.header("etag"), etag)
        self.assertEqual({k: v for k, v in put.json.items() if k != "warnings"}, after.json)

        # The preview (API and CLI) renders the tenant's text.
        preview = self.viewer.post(path + "/preview", preview_body).json
        self.assertEqual(preview["source"], "tenant")
        self.assertTrue(preview["body"].startswith("Hola "), preview["body"])
        self.assertTrue(preview["body"].endswith("TEXTO PROPIO"), preview["body"])
        self.assertIn("Mi empresa", preview["body"])
        cli = self.server.cli("template", "preview", "overdue_1", self.overdue, "--channel", "sms", "--as-of",
                              "2026-11-20").stdout
        self.assertIn(preview["body"], cli)
        # The list says whose each script is.
        listed = self.viewer.get("/api/v1/templates").json
        variants = next(item for item in listed["data"] if item["key"] == "overdue_1")["variants"]
        self.assertIn({"channel": "sms", "language": "es", "tone": "cordial", "source": "tenant"}, variants)
        self.assertIn({"channel": "email", "language": "es", "tone": "cordial", "source": "default"}, variants)

        # Another tenant keeps the shipped script.
        beta = self.beta.get(path).json
        self.assertEqual(next(t for t in beta["templates"] if (t["channel"], t["language"], t["tone"]) == ("sms", "es", "cordial")),
                         shipped)
        # A stale If-Match.
        self.assertProblem(self.manager.put(path, {"channel": "sms", "language": "es", "body": "Hola"},
                                            headers={"If-Match": etag}), 412, 1303)
        # Audited, before and after.
        rows = audit(self.server, "template_override")
        self.assertEqual(rows[0]["action"], "update")
        self.assertEqual(rows[0]["after"]["body"], self.SMS_OVERRIDE)
        self.assertEqual(rows[0]["before"]["source"], "default")
        self.assertEqual(audit(self.server, "template_override", tenant="beta"), [])

        # DELETE: back to the shipped script, for that tenant.
        query = "?channel=sms&language=es"
        self.assertProblem(self.manager.delete(path + query, headers={"If-Match": etag}), 412, 1303)
        self.assertProblem(self.beta.delete(path + query), 404, 1200)
        deleted = self.manager.delete(path + query, headers={"If-Match": after.header("etag")})
        self.assertEqual(deleted.status, 200, deleted.body)
        self.assertEqual(deleted.json, got.json)
        self.assertEqual(deleted.header("etag"), etag)
        self.assertEqual(self.viewer.post(path + "/preview", preview_body).json, before)
        self.assertEqual(audit(self.server, "template_override")[0]["action"], "delete")
        self.assertProblem(self.manager.delete(path + query), 404, 1200)

    def test_template_override_bad_input_and_roles(self):
        path = "/api/v1/templates/overdue_7"
        unknown = self.assertProblem(self.manager.put(path, {"channel": "sms", "language": "es", "body": "Hola {{deudor}}"}),
                                     422, 1000)
        self.assertEqual(unknown["errors"][0]["field"], "/body")
        self.assertIn("deudor", unknown["errors"][0]["detail"])
        syntax = self.assertProblem(self.manager.put(path, {"channel": "sms", "language": "es",
                                                            "body": "{{#overdue_invoices}}{{number}}"}), 422)
        self.assertEqual(syntax["errors"][0]["field"], "/body")
        no_subject = self.assertProblem(self.manager.put(path, {"channel": "email", "language": "en", "body": "<p>Hi</p>"}),
                                        422)
        self.assertEqual(no_subject["errors"][0]["field"], "/subject")
        bad_subject = self.assertProblem(self.manager.put(path, {"channel": "email", "language": "en", "body": "<p>Hi</p>",
                                                                 "subject": "{{nombre}}"}), 422)
        self.assertEqual(bad_subject["errors"][0]["field"], "/subject")
        tone = self.assertProblem(self.manager.put(path, {"channel": "sms", "language": "es", "tone": "sarcastic",
                                                          "body": "Hola"}), 422)
        self.assertEqual(tone["errors"][0]["field"], "/tone")
        letter = self.assertProblem(self.manager.put(path, {"channel": "letter", "language": "es", "subject": "x",
                                                            "body": "Hola"}), 422)
        self.assertEqual(letter["errors"][0]["field"], "/channel")
        fields = self.assertProblem(self.manager.put(path, {"channel": "fax", "language": "fr", "colour": 1}), 422)
        self.assertEqual(sorted(e["field"] for e in fields["errors"]), ["/body", "/channel", "/colour", "/language"])
        self.assertProblem(self.manager.put("/api/v1/templates/overdue_8", {"channel": "sms", "language": "es",
                                                                           "body": "Hola"}), 404, 1200)
        # Spanish by default, English when asked.
        english = Client(self.server, self.server.api_key("manager"), language="en")
        worded = self.assertProblem(english.put(path, {"channel": "sms", "language": "es", "tone": "sarcastic",
                                                       "body": "Hola"}), 422)
        self.assertIn("no shipped", worded["errors"][0]["detail"])
        # Roles: viewers and collectors read only.
        self.assertProblem(self.viewer.put(path, {"channel": "sms", "language": "es", "body": "Hola"}), 403, 1101)
        self.assertProblem(self.collector.put(path, {"channel": "sms", "language": "es", "body": "Hola"}), 403, 1101)
        self.assertProblem(self.viewer.delete(path + "?channel=sms&language=es"), 403, 1101)
        # Nothing was stored.
        self.assertTrue(all(t["source"] == "default" for t in self.viewer.get(path).json["templates"]))

    def test_template_override_is_what_the_worker_sends(self):
        from test_serve_process import SmtpSink, configure_email
        server = self.server
        server.cli("tenant", "create", "Gamma", "--country", "CO", "--currency", "COP", "--time-zone",
                   "America/Bogota", "--slug", "gamma")
        server.cli("-q", "demo", "--customers", "10", "--seed", "3", "--as-of", "2026-11-20", tenant="gamma")
        sink = SmtpSink(server.workdir)
        try:
            configure_email(server, sink, tenant="gamma")
            server.cli("run", tenant="gamma")
            outbox = json.loads(server.cli("outbox", "--format", "json", tenant="gamma").stdout)
            stages = sorted({row["template"] for row in outbox if row["channel"] == "email"})
            self.assertTrue(stages, outbox)
            gamma = Client(server, server.api_key("manager", tenant="gamma"))
            # Every email script of those stages, in every tone and language.
            for stage in stages:
                for script in gamma.get(f"/api/v1/templates/{stage}").json["templates"]:
                    if script["channel"] != "email":
                        continue
                    put = gamma.put(f"/api/v1/templates/{stage}", {
                        "channel": "email", "language": script["language"], "tone": script["tone"],
                        "subject": "Aviso propio para {{debtor_name}}",
                        "body": "<p>GAMMA-PROPIO: {{debtor_name}} debe {{total_due}}.</p>"})
                    self.assertEqual(put.status, 200, put.body)
            server.cli("deliver", "--once", tenant="gamma")
            received = sink.messages()
            self.assertTrue(received, "nothing was sent")
            import email
            from email.header import decode_header, make_header
            for name in received:
                with open(name, "rb") as raw:
                    message = email.message_from_binary_file(raw)
                self.assertTrue(str(make_header(decode_header(message["Subject"]))).startswith("Aviso propio para "),
                                message["Subject"])
                parts = [part.get_payload(decode=True).decode() for part in message.walk()
                         if part.get_content_type() in ("text/plain", "text/html")]
                self.assertEqual(len(parts), 2, name)
                for text in parts:
                    self.assertIn("GAMMA-PROPIO: ", text)
            # The default tenant's scripts of those stages are still the shipped ones.
            for stage in stages:
                self.assertTrue(all(t["source"] == "default" for t in self.viewer.get(f"/api/v1/templates/{stage}").json["templates"]))
        finally:
            sink.close()

    # --- Channels ------------------------------------------------------------------

    def twilio_change(self, base_url="https://api.twilio.com", **extra):
        return dict({"account_sid": TWILIO_SID, "sms_from": "+15005550006", "base_url": base_url}, **extra)

    def test_channels_secrets_are_write_only(self):
        listed = self.admin.get("/api/v1/channels").json["data"]
        self.assertEqual([c["channel"] for c in listed], ["email", "twilio", "whatsapp"])
        self.assertProblem(self.manager.get("/api/v1/channels"), 403, 1101)
        self.assertProblem(self.manager.put("/api/v1/channels/twilio", self.twilio_change()), 403, 1101)
        self.assertProblem(self.admin.get("/api/v1/channels/fax"), 404, 1200)

        # A first configuration needs its secret.
        missing = self.assertProblem(self.admin.put("/api/v1/channels/whatsapp", {"phone_number_id": "106540352242922"}),
                                     422, 1000)
        self.assertEqual(missing["errors"][0]["field"], "/access_token")
        bad = self.assertProblem(self.admin.put("/api/v1/channels/email", {"host": "smtp.x.co", "from_address": "nope"}),
                                 422, 1000)
        self.assertEqual(bad["errors"][0]["field"], "/from_address")
        unknown = self.assertProblem(self.admin.put("/api/v1/channels/email", {"host": "smtp.x.co",
                                                                               "from_address": "a@b.co", "pasword": "x"}),
                                     422, 1003)
        self.assertEqual(unknown["errors"][0]["field"], "/pasword")

        current = self.admin.get("/api/v1/channels/email")
        self.assertFalse(current.json["configured"])
        put = self.admin.put("/api/v1/channels/email", {"host": "smtp.empresa.co", "port": 465, "security": "tls",
                                                        "user": "cobros", "password": "pa55-w0rd-x",
                                                        "from_address": "cobros@empresa.co", "from_name": "Cobros"},
                             headers={"If-Match": current.header("etag")})
        self.assertEqual(put.status, 200, put.body)
        self.assertNotIn(b"pa55-w0rd-x", put.body)
        self.assertEqual(put.json["settings"]["port"], 465)
        self.assertEqual(put.json["secrets"], {"password": {"set": True}})
        # Left out, the secret is kept.
        kept = self.admin.put("/api/v1/channels/email", {"host": "smtp2.empresa.co", "user": "cobros",
                                                         "from_address": "cobros@empresa.co"},
                              headers={"If-Match": put.header("etag")})
        self.assertEqual(kept.status, 200, kept.body)
        self.assertEqual(kept.json["secrets"]["password"]["set"], True)
        self.assertEqual(kept.json["settings"]["host"], "smtp2.empresa.co")
        self.assertProblem(self.admin.put("/api/v1/channels/email", {"host": "h.co", "from_address": "a@b.co"},
                                          headers={"If-Match": put.header("etag")}), 412, 1303)
        for body in (self.admin.get("/api/v1/channels").body, self.server.cli("audit", "--format", "json").stdout.encode()):
            self.assertNotIn(b"pa55-w0rd-x", body)
        self.assertEqual(sql(self.server, "SELECT COUNT(*) FROM channel_settings WHERE settings LIKE '%pa55-w0rd%' "
                                          "OR sealed_secret LIKE '%pa55-w0rd%'"), [["0"]])
        rows = audit(self.server, "channel")
        self.assertEqual(rows[0]["action"], "update")
        self.assertEqual(rows[0]["after"]["secrets_changed"], [])
        self.assertEqual(rows[1]["after"]["secrets_changed"], ["password"])
        # Another tenant's channels are its own.
        self.assertFalse(self.beta.get("/api/v1/channels/email").json["configured"])
        self.assertProblem(self.admin.post("/api/v1/channels/email/resume"), 404, 1200)

    def test_channel_test_message_through_a_twilio_like_server(self):
        port = free_port()
        log = os.path.join(self.server.workdir, "twilio.jsonl")
        fake = subprocess.Popen(["/usr/bin/python3", os.path.join(DELIVERY, "fake_twilio.py"), str(port), log,
                                 TWILIO_SID, TWILIO_TOKEN], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertIn("READY", fake.stdout.readline())
            put = self.admin.put("/api/v1/channels/twilio",
                                 self.twilio_change(f"http://127.0.0.1:{port}", auth_token=TWILIO_TOKEN))
            self.assertEqual(put.status, 200, put.body)
            sent = self.english.post("/api/v1/channels/twilio/test", {"to": "+573001112233"})
            self.assertEqual(sent.status, 200, sent.body)
            self.assertEqual(sent.json["status"], "sent", sent.body)
            self.assertTrue(sent.json["provider_id"].startswith("SM"))
            with open(log) as lines:
                logged = [json.loads(line) for line in lines]
            self.assertEqual(len(logged), 1)
            self.assertEqual((logged[0]["to"], logged[0]["from"]), ("+573001112233", "+15005550006"))
            self.assertIn("Cartera test message", logged[0]["body"])
            # `cartera channel test` is the same use case.
            cli = self.server.cli("channel", "test", "twilio", "+573001112244")
            self.assertTrue(cli.stdout.startswith("sent: +573001112244 (SM"), cli.stdout)
            with open(log) as lines:
                self.assertEqual([json.loads(line)["to"] for line in lines], ["+573001112233", "+573001112244"])
            # A test changes nothing, so it writes no audit row.
            self.assertEqual(audit(self.server, "channel")[0]["after"]["secrets_changed"], ["auth_token"])
            bad = self.assertProblem(self.admin.post("/api/v1/channels/twilio/test", {"to": "3001112233"}), 422, 1000)
            self.assertEqual(bad["errors"][0]["field"], "/to")
            self.assertProblem(self.beta.post("/api/v1/channels/twilio/test", {"to": "+573001112233"}), 422, 1000)
            self.assertProblem(self.manager.post("/api/v1/channels/twilio/test", {"to": "+573001112233"}), 403, 1101)
        finally:
            fake.terminate()
            fake.wait()

    # --- Company -------------------------------------------------------------------

    def test_company_get_and_patch(self):
        got = self.viewer.get("/api/v1/company")
        self.assertEqual(got.json, json.loads(self.server.cli("company", "show", "--format", "json").stdout))
        self.assertProblem(self.manager.patch("/api/v1/company", {"city": "Cali"}), 403, 1101)
        bad = self.assertProblem(self.admin.patch("/api/v1/company", {"daily_run_time": "25:00", "city": 3}), 422)
        self.assertEqual(sorted(e["field"] for e in bad["errors"]), ["/city", "/daily_run_time"])
        self.assertProblem(self.admin.patch("/api/v1/company", {"name": ""}), 422, 1000)
        self.assertProblem(self.admin.patch("/api/v1/company", {"city": "Cali"}, headers={"If-Match": '"old"'}), 412, 1303)
        patched = self.admin.patch("/api/v1/company", {"city": "Medellín", "daily_run_time": "07:30",
                                                      "payment_instructions": "Banco de Bogotá\nCuenta 123"},
                                   headers={"If-Match": got.header("etag")})
        self.assertEqual(patched.status, 200, patched.body)
        self.assertEqual((patched.json["city"], patched.json["daily_run_time"]), ("Medellín", "07:30"))
        self.assertEqual(patched.json["payment_instructions"], "Banco de Bogotá\nCuenta 123")
        self.assertEqual(self.viewer.get("/api/v1/company").header("etag"), patched.header("etag"))
        shown = json.loads(self.server.cli("company", "show", "--format", "json").stdout)
        self.assertEqual((shown["city"], shown["daily_run_time"]), ("Medellín", "07:30"))
        self.assertTrue(any(row["after"] and row["after"].get("city") == "Medellín" for row in audit(self.server, "tenant")))
        beta = self.beta.get("/api/v1/company").json
        self.assertEqual((beta["name"], beta["city"], beta["daily_run_time"]), ("Beta", "", "08:00"))


class WebhookTest(ApiTest):
    """Inbound webhooks, signed as the providers sign them."""
    demo_customers = 12
    serve_args = QUIET_SERVER

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = cls.server
        server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP", "--time-zone", "America/Bogota")
        server.cli("channel", "set-portal", "--base-url", PORTAL)
        admin = cls.admin
        answer = admin.put("/api/v1/channels/twilio", {"account_sid": TWILIO_SID, "auth_token": TWILIO_TOKEN,
                                                       "sms_from": "+15005550006"})
        assert answer.status == 200, answer.body
        answer = admin.put("/api/v1/channels/whatsapp", {"phone_number_id": "106540352242922", "access_token": "wa-t0ken",
                                                         "app_secret": APP_SECRET, "verify_token": VERIFY_TOKEN})
        assert answer.status == 200, answer.body
        phones = sql(server, "SELECT p.value, p.customer_id FROM contact_points p JOIN customers c ON c.id = p.customer_id "
                             "WHERE c.tenant_id = 1 AND p.channel = 'phone' AND p.consent = 'granted' ORDER BY p.id")
        cls.phones = phones
        cls.anonymous = Client(server, language="en")

    def post_twilio(self, params, tenant="default", token=TWILIO_TOKEN, signed_path=None):
        path = f"/webhooks/{tenant}/twilio"
        signature = twilio_signature(token, PORTAL + (signed_path or path), params)
        return self.anonymous.request("POST", path, raw=urllib.parse.urlencode(params),
                                      content_type="application/x-www-form-urlencoded",
                                      headers={"X-Twilio-Signature": signature})

    def inbound_count(self):
        return int(sql(self.server, "SELECT COUNT(*) FROM inbound_messages")[0][0])

    def test_twilio_inbound_opt_out_signed(self):
        phone, customer = self.phones[0]
        params = {"MessageSid": "SMstop1", "From": phone, "To": "+15005550006", "Body": "BAJA",
                  "AccountSid": TWILIO_SID}
        before = self.inbound_count()
        # A wrong signature: 401, nothing recorded.
        forged = self.post_twilio(params, token="not-the-token")
        self.assertProblem(forged, 401, 1100)
        self.assertIn("X-Twilio-Signature", forged.json["detail"])
        spanish = Client(self.server, language="es-CO")
        signature = twilio_signature("otro", PORTAL + "/webhooks/default/twilio", params)
        refused = spanish.request("POST", "/webhooks/default/twilio", raw=urllib.parse.urlencode(params),
                                  content_type="application/x-www-form-urlencoded",
                                  headers={"X-Twilio-Signature": signature})
        self.assertIn("no coincide", self.assertProblem(refused, 401, 1100)["detail"])
        self.assertProblem(self.post_twilio(params, signed_path="/webhooks/other/twilio"), 401, 1100)
        self.assertEqual(self.inbound_count(), before)
        self.assertEqual(sql(self.server, f"SELECT consent FROM contact_points WHERE customer_id = {customer} "
                                          f"AND channel = 'phone' AND value = '{phone}'"), [["granted"]])
        # Signed as Twilio signs: the number opts out.
        done = self.post_twilio(params)
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.json["outcomes"][0]["kind"], "opt_out")
        self.assertEqual(self.inbound_count(), before + 1)
        self.assertEqual(sql(self.server, f"SELECT consent, consent_source FROM contact_points WHERE customer_id = "
                                          f"{customer} AND channel = 'phone' AND value = '{phone}'"),
                         [["revoked", "debtor"]])
        # The tenant by id works the same; an unknown tenant is a 404.
        reply = self.post_twilio({"MessageSid": "SMreply1", "From": self.phones[1][0], "To": "+15005550006",
                                  "Body": "Pago el viernes"}, tenant="1")
        self.assertEqual(reply.json["outcomes"][0]["kind"], "reply", reply.body)
        self.assertProblem(self.post_twilio(params, tenant="no-such-tenant"), 404, 1200)
        # Tenant B has no Twilio: A's request at B's URL records nothing.
        self.assertProblem(self.post_twilio(params, tenant="beta"), 422, 1000)
        self.assertEqual(self.inbound_count(), before + 2)

    def test_whatsapp_verification_handshake(self):
        query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
        ok = self.anonymous.get("/webhooks/default/whatsapp?" + urllib.parse.urlencode(query))
        self.assertEqual(ok.status, 200, ok.body)
        self.assertEqual(ok.header("content-type").split(";")[0], "text/plain")
        self.assertEqual(ok.body, b"1158201444")
        for wrong in ({"hub.verify_token": "guess"}, {"hub.mode": "unsubscribe"}):
            answer = self.anonymous.get("/webhooks/default/whatsapp?" + urllib.parse.urlencode(dict(query, **wrong)))
            self.assertProblem(answer, 403, 1101)
            self.assertNotIn(b"1158201444", answer.body)
        # Beta has no WhatsApp: for it the endpoint does not exist.
        self.assertProblem(self.anonymous.get("/webhooks/beta/whatsapp?" + urllib.parse.urlencode(query)), 404, 1200)

    def test_whatsapp_messages_signed(self):
        phone, customer = self.phones[2]
        body = meta_messages([{"from": phone.lstrip("+"), "id": "wamid.reply1", "timestamp": "1763650000",
                               "type": "text", "text": {"body": "Ya pagué, adjunto soporte"}}])
        before = self.inbound_count()
        for signature in (hub_signature("wrong-secret", body), "", "sha256=00"):
            answer = self.anonymous.request("POST", "/webhooks/default/whatsapp", raw=body,
                                            content_type="application/json",
                                            headers={"X-Hub-Signature-256": signature} if signature else {})
            self.assertProblem(answer, 401, 1100)
        self.assertEqual(self.inbound_count(), before)
        done = self.anonymous.request("POST", "/webhooks/default/whatsapp", raw=body, content_type="application/json",
                                      headers={"X-Hub-Signature-256": hub_signature(APP_SECRET, body)})
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual([o["kind"] for o in done.json["outcomes"]], ["reply"])
        self.assertEqual(sql(self.server, f"SELECT body FROM inbound_messages WHERE customer_id = {customer} "
                                          "AND channel = 'whatsapp'"), [["Ya pagué, adjunto soporte"]])
        # Signed, but not Meta's notification: refused, nothing recorded.
        junk = b'{"object": "page"}'
        self.assertProblem(self.anonymous.request("POST", "/webhooks/default/whatsapp", raw=junk,
                                                  content_type="application/json",
                                                  headers={"X-Hub-Signature-256": hub_signature(APP_SECRET, junk)}),
                           422, 1000)
        self.assertEqual(self.inbound_count(), before + 1)

    def test_forwarded_bounce(self):
        dsn = ("From: MAILER-DAEMON@mx.example.net\r\nTo: cobros@empresa.co\r\nSubject: Undelivered Mail\r\n"
               "Message-ID: <dsn1@mx.example.net>\r\nMIME-Version: 1.0\r\n"
               "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
               "--b1\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
               "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
               "Final-Recipient: rfc822; nobody@cliente.co\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
               "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <forged.123@empresa.co>\r\n"
               "From: cobros@empresa.co\r\nTo: nobody@cliente.co\r\n\r\n--b1--\r\n")
        usable_before = sql(self.server, "SELECT COUNT(*) FROM contact_points WHERE usable = 0")
        answer = self.anonymous.request("POST", "/webhooks/default/bounces", raw=dsn, content_type="message/rfc822")
        self.assertEqual(answer.status, 200, answer.body)
        # Not a Message-ID Cartera signed: read, and ignored.
        self.assertEqual([o["kind"] for o in answer.json["outcomes"]], ["ignored"], answer.body)
        self.assertEqual(sql(self.server, "SELECT COUNT(*) FROM contact_points WHERE usable = 0"), usable_before)
        self.assertProblem(self.anonymous.request("POST", "/webhooks/default/bounces", raw=b"{}",
                                                  content_type="application/json"), 415, 1007)
        self.assertProblem(self.anonymous.request("POST", "/webhooks/nobody/bounces", raw=dsn,
                                                  content_type="message/rfc822"), 404, 1200)


class BounceTest(ApiTest):
    """A real bounce: an email Cartera sent (through an SMTP server), returned
    by the mail server as a DSN and forwarded to the tenant's bounce URL."""
    demo_customers = 40
    serve_args = QUIET_SERVER

    def test_a_forwarded_hard_bounce_marks_the_message_and_the_address(self):
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            self.skipTest("python3-aiosmtpd is not installed (scripts/setup.sh installs it)")
        maildir = os.path.join(self.server.workdir, "mail")
        port = free_port()
        sink = subprocess.Popen(["/usr/bin/python3", os.path.join(DELIVERY, "smtp_sink.py"), str(port), maildir],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertIn("READY", sink.stdout.readline())
            put = self.admin.put("/api/v1/channels/email", {"host": "127.0.0.1", "port": port, "security": "none",
                                                            "from_address": "cobros@empresa.co"})
            self.assertEqual(put.status, 200, put.body)
            # Everything by email (tests/delivery/one_channel_policy.py), stored through the API.
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
            bounce = os.path.join(self.server.workdir, "bounce.eml")
            subprocess.run(["/usr/bin/python3", os.path.join(DELIVERY, "make_bounce.py"), received[0], bounce],
                           check=True)
            with open(received[0], "rb") as message:
                import email
                sent = email.message_from_binary_file(message)
            message_id = sent["Message-ID"]
            [[status, recipient]] = sql(self.server, "SELECT status, recipient FROM outbox "
                                                     f"WHERE provider_message_id = '{message_id}'")
            self.assertEqual(status, "sent")
            self.assertIn(recipient, sent["To"])
            with open(bounce, "rb") as raw:
                answer = self.client().request("POST", "/webhooks/default/bounces", raw=raw.read(),
                                               content_type="message/rfc822")
            self.assertEqual(answer.status, 200, answer.body)
            self.assertIn("status", [o["kind"] for o in answer.json["outcomes"]], answer.body)
            self.assertEqual(sql(self.server, f"SELECT status FROM outbox WHERE provider_message_id = '{message_id}'"),
                             [["bounced"]])
            self.assertEqual(sql(self.server, "SELECT usable FROM contact_points WHERE channel = 'email' "
                                              f"AND value = '{recipient}'"), [["0"]])
            # Tenant B's URL: B never sent it, so nothing of A changes there.
            with open(bounce, "rb") as raw:
                self.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                                "--time-zone", "America/Bogota")
                other = self.client().request("POST", "/webhooks/beta/bounces", raw=raw.read(),
                                              content_type="message/rfc822")
            self.assertEqual([o["kind"] for o in other.json["outcomes"]], ["ignored"], other.body)
        finally:
            sink.terminate()
            sink.wait()


class NoSecretKeyTest(unittest.TestCase):
    """A server started without its secret key says what to set (503), not "internal error"."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=("--no-delivery", "--no-scheduler"), env={"CARTERA_SECRET_KEY": ""},
                            demo_customers=5)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_routes_that_need_the_key_answer_not_configured_in_the_callers_language(self):
        for language, words in (("es", "CARTERA_SECRET_KEY"), ("en", "no secret key")):
            admin = Client(self.server, self.server.api_key("admin"), language=language)
            for path in ("/api/v1/channels", "/api/v1/channels/email"):
                answer = admin.get(path)
                self.assertEqual(answer.status, 503, answer.body)
                self.assertEqual(answer.json["code"], 1503)
                self.assertIn(words, answer.json["detail"])
        anonymous = Client(self.server, None)
        answer = anonymous.get("/api/v1/portal/eyJ0ZW5hbnQiOjF9.c2ln")
        self.assertEqual((answer.status, answer.json["code"]), (503, 1503))
