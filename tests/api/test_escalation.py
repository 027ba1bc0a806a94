"""Escalation over HTTP: agencies, agency and legal cases (/escalations) with
recoveries, stages, documents, costs and case files, and write-offs with
approval. Roles, another tenant's ids, field paths and the audit rows."""
import base64
import json
import unittest

from harness import ApiTest, Client


class EscalationTest(ApiTest):
    demo_customers = 40
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"))
        cls.collector = Client(cls.server, cls.server.api_key("collector"))
        cls.manager = Client(cls.server, cls.server.api_key("manager", name="manager-esc"), language="en")
        cls.manager_es = Client(cls.server, cls.server.api_key("manager"), language="es")
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"))
        rows = cls.server.query(
            "SELECT c.external_id, COUNT(*) FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND "
            "c.id = i.customer_id WHERE i.tenant_id = 1 AND i.open_minor > 0 GROUP BY c.external_id "
            "HAVING COUNT(*) >= 2 ORDER BY c.external_id")
        cls.owing = [row[0] for row in rows]
        assert len(cls.owing) >= 7, rows

    def open_invoices(self, customer):
        rows = self.server.query(
            "SELECT i.external_id, i.open_minor, i.currency FROM invoices i JOIN customers c ON c.tenant_id = "
            f"i.tenant_id AND c.id = i.customer_id WHERE i.tenant_id = 1 AND c.external_id = '{customer}' AND "
            "i.open_minor > 0 ORDER BY i.due_date, i.id")
        return [(row[0], int(row[1]), row[2]) for row in rows]

    def agency(self, name, commission="15"):
        answer = self.manager.post("/api/v1/agencies", {"name": name, "commission_percent": commission,
                                                         "contact": "cobros@agencia.example"})
        self.assertEqual(answer.status, 201, answer.body)
        return answer.json

    def audit(self, entity):
        return self.admin.get(f"/api/v1/audit?entity={entity}").json["data"]

    # --- agencies and agency cases ---

    def test_agency_case_recovery_with_commission_and_recall(self):
        agency = self.agency("Cobranzas Uno", "12.5")
        self.assertEqual(agency["commission_percent"], "12.50")
        listed = self.viewer.get("/api/v1/agencies")
        self.assertEqual(listed.status, 200, listed.body)
        self.assertIn(agency["id"], [a["id"] for a in listed.json["data"]])

        customer = self.owing[0]
        invoices = self.open_invoices(customer)
        chosen, open_minor, currency = invoices[0]
        opened = self.manager.post(f"/api/v1/customers/{customer}/escalations",
                                   {"kind": "agency", "agency_id": agency["id"], "invoice_ids": [chosen],
                                    "note": "sin respuesta en 90 días"})
        self.assertEqual(opened.status, 201, opened.body)
        case = opened.json
        self.assertEqual(case["kind"], "agency")
        self.assertEqual(case["status"], "open")
        self.assertEqual(case["agency"], {"id": agency["id"], "name": "Cobranzas Uno"})
        self.assertEqual([i["external_id"] for i in case["invoices"]], [chosen])
        self.assertTrue(case["invoices"][0]["held"])
        held = self.server.query(f"SELECT held FROM escalation_invoices WHERE case_id = {case['id']}")
        self.assertEqual([int(r[0]) for r in held], [1])

        # A recovery of a third of the invoice: the commission is 12.5 % of it, half up.
        exponent = 0 if currency in ("CLP", "JPY") else 2
        part = open_minor // 3
        amount = f"{part // 10**exponent}.{part % 10**exponent:0{exponent}d}" if exponent else str(part)
        recovered = self.manager.post(f"/api/v1/escalations/{case['id']}/recoveries",
                                      {"reference": "AG-1", "date": "2026-11-18", "amount": amount})
        self.assertEqual(recovered.status, 201, recovered.body)
        expected_commission = (part * 1250 + 5000) // 10000
        got = recovered.json["commission"]["amount"].replace(".", "")
        self.assertEqual(int(got), expected_commission, recovered.json)
        self.assertEqual(recovered.json["commission_percent"], "12.50")
        self.assertEqual(recovered.json["amount"], {"amount": amount, "currency": currency})
        self.assertEqual(self.open_invoices(customer)[0][1] if self.open_invoices(customer)[0][0] == chosen
                         else None, open_minor - part)
        payment = self.server.query(
            f"SELECT method, amount_minor FROM payments WHERE external_id = 'agency-{case['id']}-AG-1'")
        self.assertEqual((payment[0][0], int(payment[0][1])), ("agency", part))
        again = self.manager.post(f"/api/v1/escalations/{case['id']}/recoveries",
                                  {"reference": "AG-1", "date": "2026-11-18", "amount": "1"})
        problem = self.assertProblem(again, 409, 1300)
        self.assertEqual([e["field"] for e in problem["errors"]], ["/reference"])
        too_much = self.manager.post(f"/api/v1/escalations/{case['id']}/recoveries",
                                     {"reference": "AG-2", "date": "2026-11-18", "amount": "999999999999"})
        problem = self.assertProblem(too_much, 422, 1000)
        self.assertEqual([e["field"] for e in problem["errors"]], ["/amount"])
        self.assertTrue(any(e["entity_id"] == recovered.json["id"] and e["action"] == "create"
                            for e in self.audit("agency_recovery")))

        csv = self.manager.get(f"/api/v1/escalations/{case['id']}/case-file.csv")
        self.assertEqual(csv.status, 200, csv.body[:300])
        self.assertTrue(csv.header("content-type").startswith("text/csv"))
        text = csv.body.decode() if isinstance(csv.body, bytes) else csv.body
        self.assertTrue(text.startswith("section,date,reference,description,currency,amount,status,detail\n"))
        self.assertIn(f"invoice,", text)
        self.assertIn(f",{chosen},", text)
        self.assertIn("recovery,2026-11-18,AG-1,", text)
        pdf = self.manager.get(f"/api/v1/escalations/{case['id']}/case-file.pdf")
        self.assertEqual(pdf.status, 200)
        self.assertEqual(pdf.header("content-type"), "application/pdf")
        body = pdf.body if isinstance(pdf.body, bytes) else pdf.body.encode()
        self.assertTrue(body.startswith(b"%PDF-"))

        recalled = self.manager.post(f"/api/v1/escalations/{case['id']}/recall")
        self.assertEqual(recalled.status, 200, recalled.body)
        self.assertEqual(recalled.json["status"], "recalled")
        self.assertFalse(recalled.json["invoices"][0]["held"])
        self.assertIsNotNone(recalled.json["ended_at"])
        self.assertProblem(self.manager.post(f"/api/v1/escalations/{case['id']}/recall"), 409, 1300)
        listed = self.viewer.get(f"/api/v1/escalations?customer={customer}&status=recalled")
        self.assertEqual(listed.status, 200, listed.body)
        self.assertEqual([c["id"] for c in listed.json["data"]], [case["id"]])

    def test_roles(self):
        customer = self.owing[1]
        self.assertProblem(self.collector.post("/api/v1/agencies", {"name": "X", "commission_percent": "10"}), 403, 1101)
        self.assertProblem(self.viewer.post(f"/api/v1/customers/{customer}/escalations", {"kind": "legal"}), 403, 1101)
        self.assertProblem(self.collector.post(f"/api/v1/customers/{customer}/write-offs", {"reason": "x"}), 403, 1101)
        self.assertProblem(self.viewer.get("/api/v1/escalations/1/case-file.csv"), 403, 1101)
        self.assertProblem(self.manager.post("/api/v1/write-offs/1/approve", {}), 403, 1101)
        self.assertEqual(self.viewer.get("/api/v1/escalations").status, 200)

    def test_bad_input_names_the_field(self):
        customer = self.owing[2]
        cases = [
            ({"kind": "court"}, "/kind", 422),
            ({"kind": "agency"}, "/agency_id", 422),
            ({"kind": "agency", "agency_id": 999999}, "/agency_id", 422),
            ({"kind": "legal", "agency_id": 1}, "/agency_id", 422),
            ({"kind": "legal", "invoice_ids": ["no-such-invoice"]}, "/invoice_ids", 422),
            ({"kind": "legal", "surprise": 1}, "/surprise", 422),
            ({"kind": 7}, "/kind", 422),
        ]
        for body, field, status in cases:
            answer = self.manager.post(f"/api/v1/customers/{customer}/escalations", body, validate=False)
            problem = self.assertProblem(answer, status)
            self.assertIn(field, [e["field"] for e in problem["errors"]], (body, problem))
        problem = self.assertProblem(self.manager.post("/api/v1/agencies", {"name": "Y", "commission_percent": "101"}),
                                     422, 1000)
        self.assertEqual(problem["errors"][0]["field"], "/commission_percent")
        problem = self.assertProblem(self.manager_es.post("/api/v1/agencies", {"name": "Y", "commission_percent": "1,5"}),
                                     422, 1000)
        self.assertIn("porcentaje", problem["errors"][0]["detail"])
        self.assertProblem(self.manager.post("/api/v1/customers/no-such-customer/escalations", {"kind": "legal"}), 404)
        self.assertEqual(self.server.query(
            f"SELECT COUNT(*) FROM escalation_cases e JOIN customers c ON c.id = e.customer_id "
            f"WHERE c.external_id = '{customer}'")[0][0] in (0, "0"), True)

    # --- legal cases ---

    def test_legal_case_stages_documents_costs(self):
        customer = self.owing[3]
        opened = self.manager.post(f"/api/v1/customers/{customer}/escalations", {"kind": "legal"})
        self.assertEqual(opened.status, 201, opened.body)
        case = opened.json
        self.assertEqual(case["stage"], "demand_letter")
        self.assertIsNone(case["agency"])
        self.assertEqual(len(case["invoices"]), len(self.open_invoices(customer)))
        skip = self.manager.post(f"/api/v1/escalations/{case['id']}/stage", {"stage": "judgment"})
        problem = self.assertProblem(skip, 409, 1300)
        self.assertEqual(problem["errors"][0]["field"], "/stage")
        moved = self.manager.post(f"/api/v1/escalations/{case['id']}/stage", {"stage": "filed", "note": "radicado"})
        self.assertEqual(moved.status, 200, moved.body)
        self.assertEqual(moved.json["stage"], "filed")
        content = b"%PDF-1.4 demanda\x00\xff"
        added = self.manager.post(f"/api/v1/escalations/{case['id']}/documents",
                                  {"name": "demanda.pdf", "content_type": "application/pdf",
                                   "content_base64": base64.b64encode(content).decode()})
        self.assertEqual(added.status, 201, added.body)
        document = added.json["documents"][0]
        self.assertEqual((document["name"], document["size_bytes"]), ("demanda.pdf", len(content)))
        fetched = self.manager.get(f"/api/v1/escalations/{case['id']}/documents/{document['id']}", validate=False)
        self.assertEqual(fetched.status, 200)
        self.assertEqual(fetched.body if isinstance(fetched.body, bytes) else fetched.body.encode("latin-1"), content)
        bad = self.manager.post(f"/api/v1/escalations/{case['id']}/documents",
                                {"name": "x", "content_type": "application/pdf", "content_base64": "%%%"})
        self.assertEqual(self.assertProblem(bad, 422)["errors"][0]["field"], "/content_base64")
        cost = self.manager.post(f"/api/v1/escalations/{case['id']}/costs",
                                 {"date": "2026-11-19", "amount": "150000.00", "currency": "COP",
                                  "description": "arancel judicial"})
        self.assertEqual(cost.status, 201, cost.body)
        self.assertEqual(cost.json["costs"][0]["amount"], {"amount": "150000.00", "currency": "COP"})
        bad_cost = self.manager.post(f"/api/v1/escalations/{case['id']}/costs",
                                     {"date": "2026-11-19", "amount": "1.00", "currency": "XXZ", "description": "x"})
        self.assertEqual(self.assertProblem(bad_cost, 422)["errors"][0]["field"], "/currency")
        self.assertProblem(self.manager.post(f"/api/v1/escalations/{case['id']}/recall"), 409, 1300)
        closed = self.manager.post(f"/api/v1/escalations/{case['id']}/stage", {"stage": "closed"})
        self.assertEqual(closed.status, 200, closed.body)
        self.assertEqual(closed.json["status"], "closed")
        self.assertTrue(all(not i["held"] for i in closed.json["invoices"]))
        self.assertTrue(any(e["entity_id"] == case["id"] and e["after"].get("stage") == "filed"
                            for e in self.audit("escalation_case")))

    # --- write-offs ---

    def test_write_off_approval_credit_notes_and_export(self):
        customer = self.owing[4]
        invoices = self.open_invoices(customer)
        proposed = self.manager.post(f"/api/v1/customers/{customer}/write-offs",
                                     {"reason": "cliente liquidado", "invoice_ids": [invoices[0][0]]})
        self.assertEqual(proposed.status, 201, proposed.body)
        write_off = proposed.json
        self.assertEqual(write_off["status"], "proposed")
        self.assertEqual(write_off["invoices"][0]["invoice_external_id"], invoices[0][0])
        # An admin who proposed cannot approve their own proposal.
        own = self.admin.post(f"/api/v1/customers/{self.owing[5]}/write-offs", {"reason": "propio"})
        self.assertEqual(own.status, 201, own.body)
        self.assertProblem(self.admin.post(f"/api/v1/write-offs/{own.json['id']}/approve", {}), 409, 1300)

        approved = self.admin.post(f"/api/v1/write-offs/{write_off['id']}/approve", {"note": "ok"})
        self.assertEqual(approved.status, 200, approved.body)
        self.assertEqual(approved.json["status"], "approved")
        note_id = approved.json["invoices"][0]["credit_note_id"]
        self.assertIsNotNone(note_id)
        self.assertNotIn(invoices[0][0], [i[0] for i in self.open_invoices(customer)])
        notes = self.server.query(f"SELECT amount_minor, attributes FROM credit_notes WHERE id = {note_id}")
        self.assertEqual(int(notes[0][0]), invoices[0][1])
        self.assertEqual(json.loads(notes[0][1])["kind"], "write_off")
        self.assertProblem(self.admin.post(f"/api/v1/write-offs/{write_off['id']}/reject", {}), 409, 1300)

        exported = self.manager.get("/api/v1/write-offs/export.csv")
        self.assertEqual(exported.status, 200, exported.body[:300])
        text = exported.body.decode() if isinstance(exported.body, bytes) else exported.body
        lines = text.splitlines()
        self.assertEqual(lines[0], "customer,tax_id,invoice,number,currency,amount,date,approver,proposer,reason,write_off_id")
        self.assertTrue(any(line.startswith(f"{customer},") and f",{invoices[0][0]}," in line for line in lines[1:]), lines)
        listed = self.manager.get("/api/v1/write-offs?status=approved")
        self.assertIn(write_off["id"], [w["id"] for w in listed.json["data"]])
        self.assertTrue(any(e["entity_id"] == write_off["id"] and e["after"].get("status") == "approved"
                            for e in self.audit("write_off")))

    # --- credit bureau ---

    def test_bureau_report_list(self):
        listed = self.manager.get("/api/v1/bureau/report-list?as_of=2026-11-20")
        self.assertEqual(listed.status, 200, listed.body)
        self.assertEqual(listed.json["as_of"], "2026-11-20")
        entries = listed.json["data"]
        self.assertTrue(entries, "the demo has customers in default")
        entry = entries[0]
        self.assertIn(entry["status"], ("reportable", "waiting", "notice_needed", "paid"))
        if entry["status"] != "paid":
            self.assertGreater(entry["days_in_default"], 0)
            self.assertGreaterEqual(entry["notices_required"], 1)
        if entry["status"] == "notice_needed":
            self.assertIsNone(entry["earliest_report_date"])
        one = self.viewer.get(f"/api/v1/customers/{entry['customer_external_id']}/bureau?as_of=2026-11-20")
        self.assertEqual(one.status, 200, one.body)
        strip = lambda e: {k: v for k, v in e.items() if k != "note"}  # the note is in the caller's language
        self.assertIn(strip(entry), [strip(e) for e in one.json["data"]])
        csv = self.manager.get("/api/v1/bureau/report-list?as_of=2026-11-20&format=csv")
        self.assertEqual(csv.status, 200)
        text = csv.body.decode() if isinstance(csv.body, bytes) else csv.body
        self.assertTrue(text.startswith("customer,name,tax_id,country,currency,overdue,"))
        self.assertEqual(len(text.strip().splitlines()), len(entries) + 1)
        waiting = self.manager.get("/api/v1/bureau/report-list?as_of=2026-11-20&status=notice_needed")
        self.assertTrue(all(e["status"] == "notice_needed" for e in waiting.json["data"]))
        problem = self.assertProblem(self.manager.get("/api/v1/bureau/report-list?status=sometimes"), 400, 1008)
        self.assertEqual(problem["errors"][0]["field"], "?status")
        problem = self.assertProblem(self.manager.get("/api/v1/bureau/report-list?as_of=2026-13-01"), 400, 1008)
        self.assertProblem(self.collector.get("/api/v1/bureau/report-list"), 403, 1101)
        if self.beta is not None:
            self.assertProblem(self.beta.get(f"/api/v1/customers/{entry['customer_external_id']}/bureau"), 404)
            self.assertEqual(self.beta.get("/api/v1/bureau/report-list").json["data"], [])
        # The CLI gives the same list.
        done = self.server.cli("bureau", "list", "--as-of", "2026-11-20", "--format", "csv")
        self.assertEqual(done.stdout.strip().splitlines(), text.strip().splitlines())

    # --- tenants ---

    def test_another_tenants_ids_are_not_found(self):
        if self.beta is None:
            self.skipTest("tenant create is not available")
        customer = self.owing[5]
        opened = self.manager.post(f"/api/v1/customers/{customer}/escalations", {"kind": "legal",
                                                                                  "invoice_ids": [self.open_invoices(customer)[-1][0]]})
        self.assertEqual(opened.status, 201, opened.body)
        case_id = opened.json["id"]
        for method, path, body in [("get", f"/api/v1/escalations/{case_id}", None),
                                   ("post", f"/api/v1/escalations/{case_id}/recall", None),
                                   ("post", f"/api/v1/escalations/{case_id}/stage", {"stage": "filed"}),
                                   ("get", f"/api/v1/escalations/{case_id}/case-file.csv", None),
                                   ("post", f"/api/v1/customers/{customer}/escalations", {"kind": "legal"})]:
            answer = getattr(self.beta, method)(path, body) if body is not None else getattr(self.beta, method)(path)
            self.assertProblem(answer, 404)
        self.assertEqual(self.beta.get("/api/v1/escalations").json["data"], [])
        proposal = self.manager.post(f"/api/v1/customers/{self.owing[6]}/write-offs", {"reason": "aislamiento"})
        self.assertEqual(proposal.status, 201, proposal.body)
        self.assertProblem(self.beta.get(f"/api/v1/write-offs/{proposal.json['id']}"), 404)
        self.assertProblem(self.beta.post(f"/api/v1/write-offs/{proposal.json['id']}/approve", {}), 404)
        self.assertEqual(self.beta.get("/api/v1/write-offs").json["data"], [])
        self.assertEqual(self.server.query(f"SELECT status FROM write_offs WHERE id = {proposal.json['id']}")[0][0],
                         "proposed")
        self.assertEqual(self.beta.get("/api/v1/agencies").json["data"], [])


if __name__ == "__main__":
    unittest.main()
