"""What a collector does on one customer besides promises and disputes: a note
(POST /customers/{id}/notes, `cartera note add`) and the statement sent now
(POST /customers/{id}/statement/send). The collector rule applies to both."""
import email
import json
import os
import subprocess
import unittest

from harness import ApiTest, Client, free_port

DELIVERY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "delivery")

ANA, BETO = "ana@empresa.co", "beto@empresa.co"
PASSWORD = "una clave larga de cobro"


class CustomerActionsTest(ApiTest):
    demo_customers = 40
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.env["COLLECTOR_PASSWORD"] = PASSWORD
        cls.server.cli("user", "add", ANA, "--role", "collector", "--password-env", "COLLECTOR_PASSWORD")
        cls.server.cli("user", "add", BETO, "--role", "collector", "--password-env", "COLLECTOR_PASSWORD")
        cls.ana = cls.sign_in(ANA, "en")
        cls.ana_es = cls.sign_in(ANA, "es")
        cls.beto = cls.sign_in(BETO, "en")
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"))
        cls.manager = Client(cls.server, cls.server.api_key("manager"), language="en")
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"))
        rows = json.loads(cls.server.cli("customers", "--status", "with_balance", "--format", "json").stdout)
        cls.owing = sorted({row["external_id"] for row in rows})

    @classmethod
    def sign_in(cls, email, language):
        browser = Client(cls.server, language=language)
        signed_in = browser.post("/api/v1/session", {"email": email, "password": PASSWORD})
        assert signed_in.status == 201, signed_in.body
        browser.csrf = signed_in.json["csrf_token"]
        return browser

    def assign(self, customer, collector):
        answer = self.manager.put(f"/api/v1/customers/{customer}/collector", {"collector": collector})
        self.assertEqual(answer.status, 200, answer.body)

    def timeline(self, customer):
        answer = self.viewer.get(f"/api/v1/customers/{customer}/timeline")
        self.assertEqual(answer.status, 200, answer.body)
        return answer.json["data"]

    # --- notes ---

    def test_note_in_timeline_and_audit(self):
        customer = self.owing[0]
        self.assign(customer, ANA)
        added = self.ana.post(f"/api/v1/customers/{customer}/notes",
                              {"text": "Llamé: la contadora vuelve el lunes"})
        self.assertEqual(added.status, 201, added.body)
        note = added.json
        self.assertEqual(note["customer_external_id"], customer)
        self.assertEqual(note["text"], "Llamé: la contadora vuelve el lunes")
        self.assertEqual(note["author"], f"user:{ANA}")
        self.assertTrue(note["created_at"].endswith("Z"))
        notes = [e for e in self.timeline(customer) if e["source"] == "note"]
        self.assertEqual(notes[-1]["kind"], "note")
        self.assertEqual(notes[-1]["detail"], f"user:{ANA}: Llamé: la contadora vuelve el lunes")
        self.assertEqual(notes[-1]["date"], note["created_at"][:10])
        events = self.admin.get("/api/v1/audit?entity=note").json["data"]
        self.assertTrue(any(e["entity_id"] == note["id"] and e["action"] == "create" and e["actor"] == f"user:{ANA}"
                            and e["after"]["text"] == note["text"] for e in events), events[:3])
        # The CLI adds one too, and its timeline shows both.
        done = self.server.cli("note", "add", customer, "Envió soporte de pago por correo")
        self.assertRegex(done.stdout, r"(Note added|Nota agregada): \d+")
        cli = json.loads(self.server.cli("timeline", customer, "--format", "json").stdout)
        texts = [e["detail"] for e in cli if e["source"] == "note"]
        self.assertEqual(len(texts), len(notes) + 1)
        self.assertTrue(texts[-1].endswith(": Envió soporte de pago por correo"))
        self.assertEqual(cli, self.timeline(customer))

    def test_note_follows_the_collector_rule_and_refuses_bad_input(self):
        customer = self.owing[1]
        self.assign(customer, ANA)
        problem = self.assertProblem(self.beto.post(f"/api/v1/customers/{customer}/notes", {"text": "x"}), 403, 1101)
        self.assertNotIn(ANA, json.dumps(problem))
        self.assertProblem(self.viewer.post(f"/api/v1/customers/{customer}/notes", {"text": "x"}), 403, 1101)
        # A manager acts on every customer; an unassigned customer is anyone's.
        self.assertEqual(self.manager.post(f"/api/v1/customers/{customer}/notes", {"text": "ok"}).status, 201)
        self.assign(customer, None)
        self.assertEqual(self.beto.post(f"/api/v1/customers/{customer}/notes", {"text": "mine now"}).status, 201)
        # Bad input, with the field's pointer, in the caller's language.
        for body, code in (({}, 1004), ({"text": 5}, 1002), ({"text": "a", "x": 1}, 1003),
                           ({"text": "  "}, 1000), ({"text": "line\nbreak"}, 1000), ({"text": "x" * 2001}, 1000)):
            problem = self.assertProblem(self.ana.post(f"/api/v1/customers/{customer}/notes", body, validate=False),
                                         422, code)
            fields = [e["field"] for e in problem["errors"]]
            self.assertTrue(fields == ["/x"] if code == 1003 else fields == ["/text"], (body, problem))
        problem = self.assertProblem(self.ana_es.post(f"/api/v1/customers/{customer}/notes", {"text": " "},
                                                      validate=False), 422, 1000)
        self.assertIn("vacía", problem["errors"][0]["detail"])
        self.assertProblem(self.ana.post("/api/v1/customers/NOPE-1/notes", {"text": "x"}), 404, 1200)
        if self.beta is not None:
            self.assertProblem(self.beta.post(f"/api/v1/customers/{customer}/notes", {"text": "x"}), 404, 1200)
            self.assertProblem(self.beta.get(f"/api/v1/customers/{customer}/timeline"), 404, 1200)
        # Nothing was written by the refusals.
        texts = [e["detail"] for e in self.timeline(customer) if e["source"] == "note"]
        self.assertEqual([t.split(": ", 1)[1] for t in texts], ["ok", "mine now"])
        bad = self.server.cli("note", "add", customer, "", check=False)
        self.assertNotEqual(bad.returncode, 0)

    # --- the statement by e-mail now ---

    def email_of(self, customer):
        points = self.admin.get(f"/api/v1/customers/{customer}").json["contact_points"]
        return next(p["value"] for p in points if p["channel"] == "email")

    def test_statement_send_queues_an_email_with_the_pdf(self):
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            self.skipTest("python3-aiosmtpd is not installed (scripts/setup.sh installs it)")
        customer = self.owing[2]
        self.assign(customer, ANA)
        queued = self.ana.post(f"/api/v1/customers/{customer}/statement/send")
        self.assertEqual(queued.status, 202, queued.body)
        item = queued.json
        self.assertEqual((item["customer_external_id"], item["channel"], item["stage"], item["status"]),
                         (customer, "email", "statement_now", "queued"))
        self.assertIn(item["template"], ("overdue_1", "due_today", "before_due"))
        listed = self.viewer.get(f"/api/v1/outbox?customer={customer}&status=queued").json["data"]
        self.assertIn(item, listed)
        events = self.admin.get("/api/v1/audit?entity=message").json["data"]
        self.assertTrue(any(e["entity_id"] == int(item["id"]) and e["action"] == "create" and e["actor"] == f"user:{ANA}"
                            for e in events))
        # Another collector's customer, a viewer, another tenant, a made-up customer.
        self.assertProblem(self.beto.post(f"/api/v1/customers/{customer}/statement/send"), 403, 1101)
        self.assertProblem(self.viewer.post(f"/api/v1/customers/{customer}/statement/send"), 403, 1101)
        self.assertProblem(self.ana.post("/api/v1/customers/NOPE-1/statement/send"), 404, 1200)
        if self.beta is not None:
            self.assertProblem(self.beta.post(f"/api/v1/customers/{customer}/statement/send"), 404, 1200)
        # The worker sends it like any message: the statement PDF attached.
        maildir = os.path.join(self.server.workdir, "statement-mail")
        port = free_port()
        sink = subprocess.Popen(["/usr/bin/python3", os.path.join(DELIVERY, "smtp_sink.py"), str(port), maildir],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertIn("READY", sink.stdout.readline())
            put = self.admin.put("/api/v1/channels/email", {"host": "127.0.0.1", "port": port, "security": "none",
                                                            "from_address": "cobros@empresa.co"})
            self.assertEqual(put.status, 200, put.body)
            self.server.cli("deliver", "--once")
        finally:
            sink.terminate()
            sink.wait()
            sink.stdout.close()
        [[status]] = self.server.query(f"SELECT status FROM outbox WHERE id = {item['id']}")
        self.assertEqual(status, "sent")
        address = self.email_of(customer)
        found = []
        for name in os.listdir(os.path.join(maildir, "new")):
            with open(os.path.join(maildir, "new", name), "rb") as raw:
                message = email.message_from_binary_file(raw)
            if address in message["To"]:
                found.append(message)
        self.assertEqual(len(found), 1)
        attachments = [part.get_filename() for part in found[0].walk() if part.get_filename()]
        self.assertTrue(any(name.endswith(".pdf") for name in attachments), attachments)

    def test_statement_send_refused_without_email_consent(self):
        customer = self.owing[3]
        address = self.email_of(customer)
        revoked = self.manager.put(f"/api/v1/customers/{customer}/consent",
                                   {"channel": "email", "value": address, "consent": "revoked"})
        self.assertEqual(revoked.status, 200, revoked.body)
        before = self.server.query("SELECT COUNT(*) FROM outbox")
        problem = self.assertProblem(self.manager.post(f"/api/v1/customers/{customer}/statement/send"), 422, 1000)
        self.assertIn("no usable e-mail address with consent", problem["detail"])
        problem = self.assertProblem(self.ana_es.post(f"/api/v1/customers/{customer}/statement/send"), 422, 1000)
        self.assertIn("no tiene un correo utilizable con consentimiento", problem["detail"])
        self.assertEqual(self.server.query("SELECT COUNT(*) FROM outbox"), before)
        # A customer who owes nothing has no statement to send.
        rows = json.loads(self.server.cli("customers", "--format", "json").stdout)
        settled = sorted({r["external_id"] for r in rows} - set(self.owing))
        if settled:
            problem = self.assertProblem(self.manager.post(f"/api/v1/customers/{settled[0]}/statement/send"), 422, 1000)
            self.assertIn("no open, undisputed invoices", problem["detail"])


if __name__ == "__main__":
    unittest.main()
