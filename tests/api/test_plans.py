"""Payment plans for the business (docs/payment-plans.md): propose on a
customer's balance (POST /customers/{id}/plans), accept on the debtor's
behalf, cancel, list, read and the terms PDF; bad input by field, another
tenant's plan not found, roles, the audit rows, and the CLI's `plan` commands
on the same plans."""
import datetime
import hashlib
import json

from harness import ApiTest, Client


class PlansTest(ApiTest):
    demo_customers = 40
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = Client(cls.server, cls.server.api_key("collector"), language="en")
        cls.collector_es = Client(cls.server, cls.server.api_key("collector"), language="es")
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"), language="en")
        rows = json.loads(cls.server.cli("customers", "--status", "with_balance", "--format", "json").stdout)
        cls.owing = sorted({row["external_id"] for row in rows})
        cls.first_date = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"))
        cls.next = 0

    def customer(self):
        """An owing customer no other test of this class has used."""
        customer = self.owing[PlansTest.next]
        PlansTest.next += 1
        return customer

    def propose(self, customer, client=None, **fields):
        body = {"installments": 3, "frequency": "monthly", "first_date": self.first_date}
        body.update(fields)
        return (client or self.collector).post(f"/api/v1/customers/{customer}/plans", body)

    def audit(self, entity_id):
        events = self.admin.get("/api/v1/audit?entity=payment_plan&limit=100").json["data"]
        return [e for e in events if e["entity_id"] == entity_id]

    def test_propose_splits_the_balance_to_the_cent_and_is_audited(self):
        customer = self.customer()
        made = self.propose(customer, down_payment="1000.00", installments=7)
        self.assertEqual(made.status, 201, made.body)
        plan = made.json
        self.assertEqual(plan["object"], "payment_plan")
        self.assertEqual(plan["status"], "proposed")
        self.assertEqual(plan["customer"]["external_id"], customer)
        self.assertEqual(plan["source"], "user")
        self.assertEqual(plan["down_payment"]["amount"], "1000.00")
        cents = lambda money: round(float(money["amount"]) * 100)  # noqa: E731 (test arithmetic only)
        self.assertEqual(cents(plan["financed"]), cents(plan["balance"]) - 100000)
        self.assertEqual(sum(cents(i["amount"]) for i in plan["installments"]), cents(plan["financed"]))
        self.assertEqual(cents(plan["total"]), cents(plan["balance"]))
        self.assertEqual(len(plan["installments"]), 7)
        self.assertEqual(plan["installments"][0]["due_date"], self.first_date)
        amounts = [cents(i["amount"]) for i in plan["installments"]]
        self.assertLessEqual(max(amounts) - min(amounts), 1)
        self.assertIsNone(plan["acceptance"])
        # The same on GET; the audit has the creation by the key.
        self.assertEqual(self.viewer.get(f"/api/v1/plans/{plan['id']}").json, plan)
        created = [e for e in self.audit(plan["id"]) if e["action"] == "create"]
        self.assertEqual(len(created), 1)
        self.assertTrue(created[0]["actor"].startswith("key:"), created[0])
        self.assertEqual(created[0]["after"]["status"], "proposed")

    def test_bad_input_names_the_field(self):
        customer = self.customer()
        cases = [
            ({"installments": 0}, "/installments"),
            ({"frequency": "daily"}, "/frequency"),
            ({"first_date": "2020-01-01"}, "/first_date"),
            ({"down_payment": "999999999999.00"}, "/down_payment"),
            ({"invoices": ["NO-SUCH-INVOICE"]}, "/invoices/0"),
            ({"annual_interest_rate": "35", "interest_cap": "28.04"}, "/annual_interest_rate"),
            ({"annual_interest_rate": "abc"}, "/annual_interest_rate"),
            ({"missed_to_break": 9}, "/missed_to_break"),
            ({"color": "blue"}, "/color"),
        ]
        for fields, pointer in cases:
            with self.subTest(fields=fields):
                answer = self.propose(customer, **fields)
                problem = self.assertProblem(answer, 422)
                self.assertIn(pointer, [e["field"] for e in problem.get("errors", [])], answer.body)
        spanish = self.propose(customer, client=self.collector_es, installments=2, missed_to_break=3)
        problem = self.assertProblem(spanish, 422)
        self.assertIn("missed_to_break: debe estar entre 1 y el número de cuotas", problem["errors"][0]["detail"])
        self.assertProblem(self.propose("NO-SUCH-CUSTOMER"), 404)
        self.assertEqual(self.admin.get(f"/api/v1/plans?customer={customer}").json["data"], [],
                         "nothing half written")

    def test_accept_records_the_terms_hash_and_holds_the_invoices(self):
        customer = self.customer()
        plan = self.propose(customer).json
        refused = self.collector.post(f"/api/v1/plans/{plan['id']}/accept", {"channel": "portal"})
        self.assertIn("/channel", [e["field"] for e in self.assertProblem(refused, 422)["errors"]])
        accepted = self.collector.post(f"/api/v1/plans/{plan['id']}/accept",
                                       {"channel": "in_person", "accepted_by": "Ana at the office"})
        self.assertEqual(accepted.status, 200, accepted.body)
        self.assertEqual(accepted.json["status"], "active")
        acceptance = accepted.json["acceptance"]
        self.assertEqual(acceptance["channel"], "in_person")
        self.assertEqual(acceptance["accepted_by"], "Ana at the office")
        self.assertIsNotNone(accepted.json["accepted_on"])
        terms = self.viewer.get(f"/api/v1/plans/{plan['id']}/terms.pdf")
        self.assertEqual(terms.status, 200)
        self.assertEqual(terms.header("Content-Type"), "application/pdf")
        self.assertTrue(terms.body.startswith(b"%PDF"))
        self.assertEqual(acceptance["terms_sha256"], hashlib.sha256(terms.body).hexdigest())
        # One active plan per invoice; accepting twice is a conflict.
        self.assertProblem(self.propose(customer), 409)
        self.assertProblem(self.collector.post(f"/api/v1/plans/{plan['id']}/accept", {"channel": "phone"}), 409)
        updates = [e for e in self.audit(plan["id"]) if e["action"] == "update"]
        self.assertEqual(updates[-1]["after"]["status"], "active")
        self.assertEqual(updates[-1]["after"]["terms_sha256"], acceptance["terms_sha256"])
        # The CLI shows the same plan.
        shown = json.loads(self.server.cli("plan", "show", str(plan["id"]), "--format", "json").stdout)
        self.assertEqual(shown["acceptance"]["terms_sha256"], acceptance["terms_sha256"])

    def test_cancel_needs_a_reason_and_only_once(self):
        customer = self.customer()
        plan = self.propose(customer).json
        missing = self.collector.post(f"/api/v1/plans/{plan['id']}/cancel", {})
        self.assertIn("/reason", [e["field"] for e in self.assertProblem(missing, 422)["errors"]])
        done = self.collector.post(f"/api/v1/plans/{plan['id']}/cancel", {"reason": "The debtor paid in full"})
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.json["status"], "cancelled")
        self.assertEqual(done.json["cancel_reason"], "The debtor paid in full")
        self.assertProblem(self.collector.post(f"/api/v1/plans/{plan['id']}/cancel", {"reason": "again"}), 409)
        # Its invoices are free for a new plan.
        self.assertEqual(self.propose(customer).status, 201)

    def test_list_filters_and_pages(self):
        customer = self.customer()
        first = self.propose(customer).json
        self.collector.post(f"/api/v1/plans/{first['id']}/cancel", {"reason": "redo"})
        second = self.propose(customer, installments=2).json
        mine = self.viewer.get(f"/api/v1/plans?customer={customer}")
        self.assertEqual([p["id"] for p in mine.json["data"]], [first["id"], second["id"]])
        cancelled = self.viewer.get(f"/api/v1/plans?customer={customer}&status=cancelled").json["data"]
        self.assertEqual([p["id"] for p in cancelled], [first["id"]])
        page = self.viewer.get(f"/api/v1/plans?customer={customer}&limit=1").json
        self.assertTrue(page["has_more"])
        rest = self.viewer.get(f"/api/v1/plans?customer={customer}&limit=1&starting_after={first['id']}").json
        self.assertEqual([p["id"] for p in rest["data"]], [second["id"]])
        self.assertFalse(rest["has_more"])
        self.assertProblem(self.viewer.get("/api/v1/plans?status=open"), 400)
        self.assertProblem(self.viewer.get("/api/v1/plans?customer=NO-SUCH"), 400)

    def test_roles_and_other_tenants(self):
        customer = self.customer()
        self.assertProblem(self.propose(customer, client=self.viewer), 403)
        plan = self.propose(customer).json
        self.assertProblem(self.viewer.post(f"/api/v1/plans/{plan['id']}/accept", {"channel": "phone"}), 403)
        self.assertProblem(self.viewer.post(f"/api/v1/plans/{plan['id']}/cancel", {"reason": "x"}), 403)
        self.assertProblem(self.viewer.get("/api/v1/plans/999999"), 404)
        self.assertProblem(self.viewer.get("/api/v1/plans/abc"), 404)
        if self.beta is None:
            self.skipTest("tenant create is not available")
        self.assertProblem(self.beta.get(f"/api/v1/plans/{plan['id']}"), 404)
        self.assertProblem(self.beta.get(f"/api/v1/plans/{plan['id']}/terms.pdf"), 404)
        self.assertProblem(self.beta.post(f"/api/v1/plans/{plan['id']}/accept", {"channel": "phone"}), 404)
        self.assertProblem(self.beta.post(f"/api/v1/plans/{plan['id']}/cancel", {"reason": "x"}), 404)
        self.assertEqual(self.beta.get("/api/v1/plans").json["data"], [])
        self.assertEqual(self.viewer.get(f"/api/v1/plans/{plan['id']}").json["status"], "proposed")


if __name__ == "__main__":
    import unittest
    unittest.main()
