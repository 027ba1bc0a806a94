"""Disputes with reasons, owners and deadlines (issue 17): the reasons catalogue
(GET /dispute-reasons, PUT /dispute-reasons/{code}), opening from it (a bad code
is a field error at /reason), resolving (accepted: a credit note the balance
drops by exactly; rejected: a dispute_rejected message queued in the outbox),
overdue disputes in the list and the worklist, and the root-cause report
(GET /reports/disputes). Tenant isolation and roles on every route."""
import json
import unittest

from harness import ApiTest, Client, NOW

PASSWORD = "una clave larga de cobro"
CODES = ["not_received", "wrong_amount", "defective", "already_paid", "not_ordered", "other"]


class DisputesTest(ApiTest):
    demo_customers = 40
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.env["USER_PASSWORD"] = PASSWORD
        cls.server.cli("user", "add", "laura@empresa.co", "--role", "collector", "--password-env", "USER_PASSWORD")
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"), language="en")
        cls.collector = Client(cls.server, cls.server.api_key("collector"), language="en")
        cls.manager = Client(cls.server, cls.server.api_key("manager"), language="en")
        cls.manager_es = Client(cls.server, cls.server.api_key("manager"), language="es")
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"), language="en")
        invoices = json.loads(cls.server.cli("invoices", "--format", "json").stdout)
        # Open invoices of unassigned customers (an API key with the role collector acts only on those).
        assigned = {row[0] for row in cls.server.query(
            "SELECT external_id FROM customers WHERE collector IS NOT NULL")}
        cls.open = [i for i in invoices if i["status"] != "paid" and i["customer_external_id"] not in assigned]
        cls.next_invoice = 0

    def invoice(self):
        """An open invoice no test has disputed yet."""
        invoice = self.open[self.next_invoice]
        type(self).next_invoice += 1
        return invoice

    def open_dispute(self, reason="wrong_amount", text="", client=None):
        invoice = self.invoice()
        body = {"invoice": invoice["external_id"], "reason": reason}
        if text:
            body["text"] = text
        opened = (client or self.collector).post("/api/v1/disputes", body)
        self.assertEqual(opened.status, 201, opened.body)
        return invoice, opened.json

    def audit(self, entity, entity_id):
        events = json.loads(self.server.cli("audit", "--entity", entity, "--limit", "1000", "--format", "json").stdout)
        return [e for e in reversed(events) if str(e["entity_id"]) == str(entity_id)]

    # --- the catalogue ---

    def test_catalogue_defaults_change_and_roles(self):
        reasons = self.viewer.get("/api/v1/dispute-reasons")
        self.assertEqual(reasons.status, 200, reasons.body)
        self.assertEqual([r["code"] for r in reasons.json["data"]], CODES)
        other = next(r for r in reasons.json["data"] if r["code"] == "other")
        self.assertEqual((other["deadline_days"], other["owner"], other["customised"]), (30, None, False))
        self.assertTrue(other["label"]["es"] and other["label"]["en"])
        # Roles: a collector may not change it; a viewer sees it.
        self.assertProblem(self.collector.put("/api/v1/dispute-reasons/not_ordered", {"deadline_days": 3}), 403, 1101)
        changed = self.manager.put("/api/v1/dispute-reasons/not_ordered",
                                   {"deadline_days": 3, "owner": "Laura@Empresa.co"})
        self.assertEqual(changed.status, 200, changed.body)
        self.assertEqual((changed.json["deadline_days"], changed.json["owner"], changed.json["customised"]),
                         (3, "laura@empresa.co", True))
        events = self.audit("dispute_reason", 5)
        self.assertEqual(events[-1]["after"]["deadline_days"], 3)
        # Bad input names the field, in the caller's language.
        problem = self.assertProblem(self.manager.put("/api/v1/dispute-reasons/not_ordered", {"deadline_days": 0}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/deadline_days")
        problem = self.assertProblem(self.manager_es.put("/api/v1/dispute-reasons/not_ordered",
                                                         {"owner": "nadie@empresa.co"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/owner")
        self.assertIn("no es un usuario activo", problem["errors"][0]["detail"])
        self.assertProblem(self.manager.put("/api/v1/dispute-reasons/bad_mood", {"deadline_days": 3}), 404, 1200)
        self.assertProblem(self.manager.put("/api/v1/dispute-reasons/other", {"color": "red"}), 422)
        # The owner and deadline reach a dispute opened with that reason.
        _, dispute = self.open_dispute("not_ordered")
        self.assertEqual((dispute["owner"], dispute["deadline"]), ("laura@empresa.co", "2026-11-23"))
        # Null clears the owner.
        cleared = self.manager.put("/api/v1/dispute-reasons/not_ordered", {"owner": None})
        self.assertEqual(cleared.status, 200, cleared.body)
        self.assertIsNone(cleared.json["owner"])
        # Another tenant has its own catalogue, untouched.
        if self.beta is not None:
            beta = self.beta.get("/api/v1/dispute-reasons").json["data"]
            self.assertEqual(next(r for r in beta if r["code"] == "not_ordered")["deadline_days"], 15)
        # The portal's reasons come from the catalogue.
        self.assertEqual([r["code"] for r in self.viewer.get("/api/v1/dispute-reasons").json["data"]], CODES)

    # --- opening ---

    def test_open_with_a_code_of_the_catalogue(self):
        invoice = self.invoice()
        problem = self.assertProblem(self.collector.post("/api/v1/disputes", {"invoice": invoice["external_id"],
                                                                              "reason": "bad_mood"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/reason")
        self.assertIn("not_received", problem["errors"][0]["detail"])
        problem = self.assertProblem(self.collector.post("/api/v1/disputes", {"invoice": invoice["external_id"]}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/reason")
        self.assertProblem(self.viewer.post("/api/v1/disputes", {"invoice": invoice["external_id"],
                                                                 "reason": "other"}), 403, 1101)
        opened = self.collector.post("/api/v1/disputes", {"invoice": invoice["external_id"], "reason": "defective",
                                                          "text": "llegó rota"})
        self.assertEqual(opened.status, 201, opened.body)
        dispute = opened.json
        self.assertEqual((dispute["reason"], dispute["reason_code"], dispute["text"], dispute["status"]),
                         ("defective", "defective", "llegó rota", "open"))
        self.assertEqual(dispute["deadline"], "2026-12-10")  # 20 days from 2026-11-20 in Bogotá
        self.assertFalse(dispute["overdue"])
        self.assertEqual(dispute["held"], invoice["open"])
        self.assertIsNone(dispute["outcome"])
        self.assertEqual(dispute["opened_at"], NOW)
        self.assertEqual([e["action"] for e in self.audit("dispute", dispute["id"])], ["create"])
        if self.beta is not None:
            self.assertProblem(self.beta.get(f"/api/v1/disputes/{dispute['id']}"), 404, 1200)
            self.assertProblem(self.beta.post("/api/v1/disputes", {"invoice": invoice["external_id"],
                                                                   "reason": "other"}), 404, 1200)
            self.assertNotIn(dispute["id"], [d["id"] for d in self.beta.get("/api/v1/disputes").json["data"]])

    # --- resolving ---

    def test_accepted_with_a_partial_credit_note(self):
        invoice, dispute = self.open_dispute("wrong_amount", "el precio era otro")
        open_amount = invoice["open"]["amount"]
        too_much = f"{float(open_amount) + 1:.2f}"
        problem = self.assertProblem(self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                                         {"outcome": "accepted", "credit_amount": too_much}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/credit_amount")
        problem = self.assertProblem(self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                                         {"outcome": "maybe"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/outcome")
        self.assertProblem(self.viewer.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                            {"outcome": "accepted"}), 403, 1101)
        if self.beta is not None:
            self.assertProblem(self.beta.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                              {"outcome": "accepted"}), 404, 1200)
        resolved = self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                       {"outcome": "accepted", "credit_amount": "1000.50", "resolution": "lista vieja"})
        self.assertEqual(resolved.status, 200, resolved.body)
        body = resolved.json
        self.assertEqual((body["dispute"]["status"], body["dispute"]["outcome"]), ("resolved", "accepted"))
        self.assertEqual(body["dispute"]["credit"], {"amount": "1000.50", "currency": invoice["open"]["currency"]})
        self.assertIsNotNone(body["dispute"]["credit_note_id"])
        self.assertIsNone(body["notice"])
        # The balance drops by exactly the credit (minor units, no floats).
        def minor(money):
            whole, _, cents = money["amount"].partition(".")
            return int(whole) * 100 + int((cents + "00")[:2])
        rows = self.server.query(f"SELECT open_minor FROM invoices WHERE external_id = '{invoice['external_id']}'")
        self.assertEqual(int(rows[0][0]), minor(invoice["open"]) - 100050)
        notes = self.server.query(f"SELECT amount_minor, attributes FROM credit_notes WHERE id = "
                                  f"{body['dispute']['credit_note_id']}")
        self.assertEqual(int(notes[0][0]), 100050)
        self.assertIn('"kind":"dispute"', notes[0][1])
        events = self.audit("dispute", dispute["id"])
        self.assertEqual([e["action"] for e in events], ["create", "update"])
        self.assertEqual(events[-1]["after"]["outcome"], "accepted")
        # Not twice.
        self.assertProblem(self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                               {"outcome": "accepted"}), 422, 1000)

    def test_rejected_queues_the_notice_in_the_outbox(self):
        # A debtor with a usable e-mail address with consent.
        reachable = {row[0] for row in self.server.query(
            "SELECT c.external_id FROM customers c JOIN contact_points p ON p.tenant_id = c.tenant_id AND "
            "p.customer_id = c.id WHERE p.channel = 'email' AND p.usable = 1 AND p.consent = 'granted'")}
        index = next(i for i in range(self.next_invoice, len(self.open))
                     if self.open[i]["customer_external_id"] in reachable)
        self.open[self.next_invoice], self.open[index] = self.open[index], self.open[self.next_invoice]
        invoice, dispute = self.open_dispute("already_paid")
        problem = self.assertProblem(self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                                         {"outcome": "rejected"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/resolution")
        problem = self.assertProblem(self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                                         {"outcome": "rejected", "resolution": "no",
                                                          "credit_amount": "1.00"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/credit_amount")
        resolved = self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                       {"outcome": "rejected", "resolution": "el pago fue de otra factura"})
        self.assertEqual(resolved.status, 200, resolved.body)
        body = resolved.json
        self.assertEqual(body["dispute"]["outcome"], "rejected")
        self.assertIsNone(body["dispute"]["credit"])
        self.assertIsNotNone(body["notice"], body["notice_refusal"])
        self.assertIsNone(body["notice_refusal"])
        self.assertIn(body["notice"]["channel"], ("email", "sms", "whatsapp"))
        self.assertEqual(body["dispute"]["notice_id"], body["notice"]["id"])
        rows = self.server.query(f"SELECT template, status, action, payload FROM outbox WHERE id = "
                                 f"{body['notice']['id']}")
        self.assertEqual(rows[0][:3], ("dispute_rejected", "queued", "message"))
        self.assertEqual(json.loads(rows[0][3])["dispute_reason"], "el pago fue de otra factura")
        outbox = self.viewer.get(f"/api/v1/outbox?customer={invoice['customer_external_id']}")
        self.assertEqual(outbox.status, 200, outbox.body)
        # Nothing credited.
        rows = self.server.query(f"SELECT COUNT(*) FROM credit_notes WHERE external_id = 'CN-dispute:{dispute['id']}'")
        self.assertEqual(int(rows[0][0]), 0)

    # --- overdue, list filters, worklist ---

    def test_overdue_in_the_list_and_the_worklist(self):
        _, dispute = self.open_dispute("other")
        # Its deadline passes: moved to yesterday (the server's clock is fixed).
        self.set_deadline(dispute["id"], "2026-11-19")
        overdue = self.viewer.get("/api/v1/disputes?overdue=true&status=open")
        self.assertEqual(overdue.status, 200, overdue.body)
        listed = {d["id"]: d for d in overdue.json["data"]}
        self.assertIn(dispute["id"], listed)
        self.assertTrue(listed[dispute["id"]]["overdue"])
        self.assertTrue(all(d["overdue"] for d in overdue.json["data"]))
        not_overdue = self.viewer.get("/api/v1/disputes?overdue=false").json["data"]
        self.assertNotIn(dispute["id"], [d["id"] for d in not_overdue])
        by_reason = self.viewer.get("/api/v1/disputes?reason=other").json["data"]
        self.assertTrue(by_reason and all(d["reason"] == "other" for d in by_reason))
        self.assertProblem(self.viewer.get("/api/v1/disputes?reason=bad"), 400, 1008)
        self.assertProblem(self.viewer.get("/api/v1/disputes?overdue=maybe"), 400)
        worklist = self.viewer.get("/api/v1/worklist?limit=100")
        self.assertEqual(worklist.status, 200, worklist.body)
        items = [i for i in worklist.json["data"] if i.get("kind") == "dispute"]
        self.assertIn(dispute["id"], [i["dispute"]["id"] for i in items])
        item = next(i for i in items if i["dispute"]["id"] == dispute["id"])
        self.assertEqual((item["task_id"], item["days_past_due"], item["dispute"]["deadline"]), (0, 1, "2026-11-19"))
        # The other kinds keep their shape: every call task still has its task_id.
        self.assertTrue(all(i["task_id"] > 0 for i in worklist.json["data"] if i.get("kind", "call_task") == "call_task"))

    def set_deadline(self, dispute_id, deadline):
        self.server.query(f"UPDATE disputes SET deadline = '{deadline}' WHERE id = {dispute_id}")

    # --- the report ---

    def test_root_cause_report(self):
        _, first = self.open_dispute("not_received")
        invoice, second = self.open_dispute("not_received")
        resolved = self.collector.post(f"/api/v1/disputes/{second['id']}/resolve",
                                       {"outcome": "accepted", "credit_amount": "10.00"})
        self.assertEqual(resolved.status, 200, resolved.body)
        report = self.viewer.get("/api/v1/reports/disputes?by=reason")
        self.assertEqual(report.status, 200, report.body)
        rows = {r["key"]: r for r in report.json["rows"]}
        self.assertEqual(sorted(rows), sorted(CODES))
        received = rows["not_received"]
        disputes = [d for d in self.viewer.get("/api/v1/disputes?reason=not_received&limit=500").json["data"]]
        self.assertEqual(received["opened"], len(disputes))
        self.assertEqual(received["accepted"], len([d for d in disputes if d["outcome"] == "accepted"]))
        self.assertEqual(received["open"], len([d for d in disputes if d["status"] == "open"]))
        self.assertEqual(received["median_days_to_resolve"], 0)  # the server's clock does not move
        held = {}
        for d in disputes:
            whole, _, cents = d["held"]["amount"].partition(".")
            held[d["held"]["currency"]] = held.get(d["held"]["currency"], 0) + int(whole) * 100 + int(cents or 0)
        got = {m["currency"]: int(m["amount"].replace(".", "")) for m in received["held_back"]}
        self.assertEqual(got, held)
        self.assertEqual(report.json["total"]["opened"], sum(r["opened"] for r in report.json["rows"]))
        by_customer = self.viewer.get("/api/v1/reports/disputes?by=customer").json
        self.assertIn(invoice["customer_external_id"], [r["key"] for r in by_customer["rows"]])
        by_month = self.viewer.get("/api/v1/reports/disputes?by=month&from=2026-11-01&to=2026-11-30").json
        self.assertEqual([r["key"] for r in by_month["rows"]], ["2026-11"])
        empty = self.viewer.get("/api/v1/reports/disputes?from=2025-01-01&to=2025-01-31").json
        self.assertEqual(empty["total"]["opened"], 0)
        self.assertProblem(self.viewer.get("/api/v1/reports/disputes?by=weekday"), 400, 1008)
        self.assertProblem(self.viewer.get("/api/v1/reports/disputes?from=2026-12-01&to=2026-11-01"), 400, 1008)
        # The CLI prints the same figures.
        cli = json.loads(self.server.cli("disputes", "report", "--by", "reason", "--format", "json").stdout)
        strip = lambda rows: [{k: v for k, v in r.items() if k != "label"} for r in rows]  # noqa: E731 (its language)
        self.assertEqual(strip(cli["rows"]), strip(report.json["rows"]))
        csv = self.server.cli("disputes", "report", "--format", "csv").stdout.splitlines()
        self.assertTrue(csv[0].startswith("key,label,opened"))
        if self.beta is not None:
            self.assertEqual(self.beta.get("/api/v1/reports/disputes").json["total"]["opened"], 0)
        del first


if __name__ == "__main__":
    unittest.main()
