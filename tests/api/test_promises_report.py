"""Promises kept, partially kept and broken by the run, and the promise-kept
report (docs/promises.md): GET /api/v1/reports/promises and the promise
JSON's outcome, covered amount and payments."""
import json
import os
import unittest

from harness import ApiTest, Client

COLLECTOR = "cobra@example.com"
PASSWORD = "cartera-test-2026-pw"


class PromiseOutcomeTest(ApiTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = cls.server
        server.env["COLLECTOR_PASSWORD"] = PASSWORD
        server.cli("user", "add", COLLECTOR, "--role", "collector", "--password-env", "COLLECTOR_PASSWORD")
        rows = server.query(
            "SELECT c.external_id FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id "
            "WHERE i.tenant_id = 1 AND i.currency = 'COP' AND i.open_minor > 0 GROUP BY c.external_id "
            "HAVING SUM(i.open_minor) >= 100000000 ORDER BY c.external_id")
        assert len(rows) >= 3, rows
        cls.kept, cls.partial, cls.broken = (row[0] for row in rows[:3])
        # The webhook endpoint hears both events.
        answer = cls.admin.post("/api/v1/webhook-endpoints",
                                {"url": "https://erp.example.com/cartera", "events": ["promise.kept", "promise.broken"]})
        assert answer.status == 201, answer.body
        # Promises made on 2026-11-20 (the server's clock) for 11-22; the
        # default strategy's 2 days of grace end on 11-24.
        cls.ids = {}
        for customer in (cls.kept, cls.partial, cls.broken):
            made = cls.admin.post("/api/v1/promises", {"customer": customer, "date": "2026-11-22", "amount": "400000.00",
                                                       "currency": "COP"})
            assert made.status == 201, made.body
            cls.ids[customer] = made.json["id"]
        payments = os.path.join(server.workdir, "promise-payments.csv")
        with open(payments, "w") as out:
            out.write("external_id,customer_external_id,date,currency,amount,method,reference\n"
                      f"PK-1,{cls.kept},2026-11-21,COP,250000.00,transfer,K1\n"
                      f"PK-2,{cls.kept},2026-11-24,COP,150000.00,transfer,K2\n"
                      f"PP-1,{cls.partial},2026-11-23,COP,100000.00,transfer,P1\n"
                      f"PB-1,{cls.broken},2026-11-25,COP,400000.00,transfer,B1\n")
        server.cli("import", "payments", payments)
        manager = Client(server, server.api_key("manager"))
        assigned = manager.put(f"/api/v1/customers/{cls.kept}/collector", {"collector": COLLECTOR})
        assert assigned.status == 200, assigned.body
        server.cli("run", "--as-of", "2026-11-26")
        cls.viewer = Client(server, server.api_key("viewer"))
        cls.beta = None
        done = server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                          "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = Client(server, server.api_key("admin", tenant="beta"))

    def report(self, query, client=None):
        answer = (client or self.viewer).get("/api/v1/reports/promises" + query)
        self.assertEqual(answer.status, 200, answer.body[:500])
        return answer.json

    def test_the_report_by_collector(self):
        report = self.report("?from=2026-11-01&to=2026-11-30")
        self.assertEqual((report["from"], report["to"], report["by"]), ("2026-11-01", "2026-11-30", "collector"))
        by_collector = {row["collector"]: row for row in report["rows"]}
        mine = by_collector[COLLECTOR]
        self.assertEqual((mine["kept"], mine["partially_kept"], mine["broken"], mine["open"]), (1, 0, 0, 0))
        self.assertEqual(mine["kept_rate"], 1.0)
        self.assertEqual(mine["amounts"], [{"currency": "COP", "promised": {"amount": "400000.00", "currency": "COP"},
                                            "received": {"amount": "400000.00", "currency": "COP"},
                                            "open": {"amount": "0.00", "currency": "COP"}}])
        unassigned = report["rows"][-1]
        self.assertIsNone(unassigned["collector"])
        self.assertEqual((unassigned["partially_kept"], unassigned["broken"]), (1, 1))
        self.assertEqual(unassigned["kept_rate"], 0.0)
        total = report["total"]
        self.assertEqual((total["kept"], total["partially_kept"], total["broken"]), (1, 1, 1))
        self.assertEqual(total["kept_rate"], 0.3333)
        self.assertEqual(total["amounts"][0]["received"]["amount"], "500000.00")

    def test_the_report_for_one_customer(self):
        report = self.report(f"?by=customer&customer={self.partial}&from=2026-11-01&to=2026-11-30")
        self.assertEqual(len(report["rows"]), 1)
        row = report["rows"][0]
        self.assertEqual(row["customer"], self.partial)
        self.assertEqual((row["kept"], row["partially_kept"], row["broken"]), (0, 1, 0))
        self.assertEqual(row["amounts"][0]["received"]["amount"], "100000.00")
        self.assertIsNone(row["collector"])

    def test_the_default_period_is_ninety_days_to_today(self):
        report = self.report("")
        self.assertEqual((report["from"], report["to"]), ("2026-08-23", "2026-11-20"))
        # The promises are for 11-22, after the default period.
        self.assertEqual(report["total"]["kept"], 0)

    def test_bad_parameters_name_the_field(self):
        for query, field in (("?by=month", "?by"), ("?from=2026-13-01", "?from"),
                             ("?from=2026-12-01&to=2026-11-01", "?to")):
            problem = self.assertProblem(self.viewer.get("/api/v1/reports/promises" + query), 400, 1008)
            self.assertIn(field, json.dumps(problem), query)
        es = Client(self.server, self.server.api_key("viewer"), language="es")
        problem = self.assertProblem(es.get("/api/v1/reports/promises?by=mes"), 400, 1008)
        self.assertIn("no es collector ni customer", json.dumps(problem, ensure_ascii=False))
        self.assertProblem(self.viewer.get("/api/v1/reports/promises?customer=NOBODY"), 404)

    def test_another_tenant_sees_only_its_own(self):
        if self.beta is None:
            self.skipTest("no second tenant")
        report = self.report("?from=2026-11-01&to=2026-11-30", client=self.beta)
        self.assertEqual(report["rows"], [])
        self.assertEqual(report["total"]["kept"], 0)
        self.assertProblem(self.beta.get(f"/api/v1/reports/promises?customer={self.kept}"), 404)
        self.assertProblem(self.beta.get(f"/api/v1/promises/{self.ids[self.kept]}"), 404)

    def test_signed_out_is_refused(self):
        self.assertProblem(Client(self.server).get("/api/v1/reports/promises"), 401)

    def test_a_promise_shows_its_outcome_and_the_payments_that_kept_it(self):
        kept = self.viewer.get(f"/api/v1/promises/{self.ids[self.kept]}").json
        self.assertEqual((kept["status"], kept["outcome"]), ("kept", "kept"))
        self.assertEqual(kept["covered"], {"amount": "400000.00", "currency": "COP"})
        self.assertEqual([(p["external_id"], p["date"], p["amount"]["amount"]) for p in kept["payments"]],
                         [("PK-1", "2026-11-21", "250000.00"), ("PK-2", "2026-11-24", "150000.00")])
        listed = self.viewer.get(f"/api/v1/promises?customer={self.partial}").json["data"]
        partial = [p for p in listed if p["id"] == self.ids[self.partial]][0]
        self.assertEqual((partial["status"], partial["outcome"]), ("broken", "partially_kept"))
        self.assertEqual(partial["covered"]["amount"], "100000.00")
        # Paid the day after the grace ended: broken, and that payment is not listed.
        broken = self.viewer.get(f"/api/v1/promises/{self.ids[self.broken]}").json
        self.assertEqual((broken["status"], broken["outcome"], broken["payments"]), ("broken", "broken", []))
        self.assertEqual(broken["covered"]["amount"], "0.00")

    def test_each_settlement_is_audited_and_announced(self):
        for customer, status in ((self.kept, "kept"), (self.partial, "broken"), (self.broken, "broken")):
            rows = self.server.query(
                "SELECT after_json FROM audit_log WHERE entity = 'promise' AND action = 'update' AND "
                f"entity_id = {self.ids[customer]}")
            self.assertEqual(len(rows), 1, customer)
            self.assertEqual(json.loads(rows[0][0])["status"], status)
        kept = self.server.query("SELECT payload FROM webhook_deliveries WHERE event_type = 'promise.kept'")
        self.assertEqual(len(kept), 1)
        self.assertEqual(json.loads(kept[0][0])["data"]["promise"]["customer_external_id"], self.kept)
        broken = [json.loads(row[0])["data"]["promise"] for row in
                  self.server.query("SELECT payload FROM webhook_deliveries WHERE event_type = 'promise.broken'")]
        self.assertEqual(sorted(p["outcome"] for p in broken), ["broken", "partially_kept"])
        # A second run the same day settles nothing again.
        self.server.cli("run", "--as-of", "2026-11-26")
        self.assertEqual(len(self.server.query("SELECT payload FROM webhook_deliveries WHERE event_type LIKE 'promise.%' "
                                               "AND event_type <> 'promise.created'")), 3)


if __name__ == "__main__":
    unittest.main()
