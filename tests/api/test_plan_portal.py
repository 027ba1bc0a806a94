"""Payment-plan limits, the debtor's plan builder in the portal and the approval of
plans outside the limits (docs/payment-plans.md, "Limits, the portal's plan builder
and approvals")."""
import json
import os
import unittest

from harness import ApiTest, Client

AGENT = "PlanPortalTest/1.0 (phone)"


class PlanPortalTest(ApiTest):
    demo_customers = 80

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anon = Client(cls.server)
        cls.admin = cls.client_for("admin")
        cls.manager = cls.client_for("manager")
        cls.collector = cls.client_for("collector")
        cls.viewer = cls.client_for("viewer")
        customers = json.loads(cls.server.cli("customers", "--format", "json").stdout)
        cls.owing = [c["external_id"] for c in customers if c.get("open")]
        cls.used = set()

    @classmethod
    def client_for(cls, role, tenant=None):
        return Client(cls.server, key=cls.server.api_key(role, tenant=tenant))

    # --- helpers ---

    def link(self, customer, tenant=None):
        url = self.server.cli("portal", "link", customer, tenant=tenant).stdout.strip()
        return url.rsplit("/", 1)[1]

    def call(self, method, token, suffix="", body=None, language=None):
        path = f"/api/v1/portal/{token}{suffix}" + (f"?lang={language}" if language else "")
        return self.anon.request(method, path, body=body, headers={"User-Agent": AGENT})

    def options(self, token):
        answer = self.call("GET", token, "/plan-options")
        self.assertEqual(answer.status, 200, answer.body[:500])
        return answer.json

    def debtor(self, wanted_installments=2):
        """A customer not used by another test whose options allow `wanted_installments` within the limits."""
        for customer in self.owing:
            if customer in self.used:
                continue
            token = self.link(customer)
            options = self.options(token)
            limits = options["limits"]
            if options["available"] and limits and limits["max_installments_at_min_down"] >= wanted_installments:
                self.used.add(customer)
                return customer, token, options
        self.fail("no demo customer fits")

    @staticmethod
    def within(options, installments=2):
        limits = options["limits"]
        return {"installments": installments, "frequency": "monthly", "first_date": limits["earliest_first_date"],
                "currency": options["currency"], "down_payment": limits["min_down_payment"]["amount"]}

    def audit(self, entity):
        return self.admin.get(f"/api/v1/audit?entity={entity}&limit=100").json["data"]

    # --- limits ---

    def test_limits_are_defaults_until_a_manager_replaces_them_with_if_match(self):
        answer = self.viewer.get("/api/v1/plan-limits")
        self.assertEqual(answer.status, 200, answer.body)
        limits = answer.json
        self.assertEqual(limits["source"], "default")
        self.assertIsNone(limits["updated_by"])
        cop = [r for r in limits["rules"] if r["currency"] == "COP"]
        self.assertEqual([(r["segment"], r["max_installments"], r["min_down_payment_percent"]) for r in cop],
                         [("high_risk", 4, 30), ("any", 6, 10), ("any", 12, 20)])
        self.assertEqual(cop[1]["balance_max"], "20000000.00")
        self.assertEqual(cop[0]["min_installment"], "50000.00")
        etag = answer.header("ETag")
        self.assertTrue(etag)
        # The CLI shows the same limits.
        self.assertEqual(json.loads(self.server.cli("plan", "limits", "--format", "json").stdout), limits)

        rules = [dict(cop[1], max_installments=8, balance_max=None)]
        # Roles: a collector may read, not change.
        self.assertProblem(self.collector.put("/api/v1/plan-limits", {"rules": rules}), 403)
        # A stale If-Match is a 412; bad rules name their field.
        self.assertProblem(self.manager.put("/api/v1/plan-limits", {"rules": rules}, headers={"If-Match": '"stale"'}),
                           412)
        bad = self.manager.put("/api/v1/plan-limits", {"rules": [dict(rules[0], currency="XYZ")]})
        problem = self.assertProblem(bad, 422)
        self.assertIn("/rules/0/currency", json.dumps(problem))
        bad = self.manager.put("/api/v1/plan-limits", {"rules": [dict(rules[0], min_down_payment_percent=100)]})
        self.assertIn("/rules/0/min_down_payment_percent", json.dumps(self.assertProblem(bad, 422)))
        bad = self.manager.put("/api/v1/plan-limits", {"rules": rules, "colour": "red"})
        self.assertIn("/colour", json.dumps(self.assertProblem(bad, 422)))

        saved = self.manager.put("/api/v1/plan-limits", {"rules": rules}, headers={"If-Match": etag})
        self.assertEqual(saved.status, 200, saved.body)
        self.assertEqual(saved.json["source"], "tenant")
        self.assertEqual(saved.json["rules"], rules)
        self.assertTrue(saved.json["updated_by"])
        self.assertNotEqual(saved.header("ETag"), etag)
        self.assertEqual(self.viewer.get("/api/v1/plan-limits").json["rules"], rules)
        events = [e for e in self.audit("plan_limits") if e["action"] == "update"]
        self.assertTrue(events, "the change is audited")
        self.assertEqual(events[0]["after"]["rules"], rules)

        # Back to the defaults (the other tests use them): DELETE, audited.
        reset = self.manager.delete("/api/v1/plan-limits", headers={"If-Match": saved.header("ETag")})
        self.assertEqual(reset.status, 200, reset.body)
        self.assertEqual(reset.json["source"], "default")
        self.assertEqual(reset.json["rules"], limits["rules"])
        self.assertTrue(any(e["action"] == "delete" for e in self.audit("plan_limits")))

    # --- the portal ---

    def test_a_plan_within_the_limits_is_active_at_once_with_the_debtors_acceptance(self):
        customer, token, options = self.debtor()
        self.assertIsNone(options["current_plan"])
        self.assertEqual(options["balance"]["currency"], options["currency"])
        body = self.within(options)
        preview = self.call("POST", token, "/plans/preview", body)
        self.assertEqual(preview.status, 200, preview.body)
        self.assertEqual(preview.json["result"], "preview")
        self.assertTrue(preview.json["within_limits"], preview.json["violations"])
        self.assertEqual(preview.json["plan"]["id"], 0)
        self.assertEqual(len(preview.json["plan"]["installments"]), 2)
        # The preview stored nothing.
        self.assertEqual(self.viewer.get(f"/api/v1/plans?customer={customer}").json["data"], [])
        # The terms of exactly those choices, before accepting.
        pdf = self.anon.request("GET", f"/api/v1/portal/{token}/plan-terms.pdf?installments=2&frequency=monthly"
                                       f"&first_date={body['first_date']}&currency={body['currency']}"
                                       f"&down_payment={body['down_payment']}")
        self.assertEqual(pdf.status, 200)
        self.assertEqual(pdf.header("Content-Type"), "application/pdf")
        self.assertTrue(pdf.body.startswith("%PDF") if isinstance(pdf.body, str) else pdf.body.startswith(b"%PDF"))

        # Without accepting the terms: refused, naming the field.
        refused = self.call("POST", token, "/plans", dict(body, terms_accepted=False), language="en")
        self.assertIn("/terms_accepted", json.dumps(self.assertProblem(refused, 422)))

        answer = self.call("POST", token, "/plans", dict(body, terms_accepted=True))
        self.assertEqual(answer.status, 201, answer.body)
        self.assertEqual(answer.json["result"], "active")
        plan = answer.json["plan"]
        self.assertEqual(plan["status"], "active")
        self.assertEqual(plan["source"], "portal")
        self.assertEqual(plan["down_payment"], options["limits"]["min_down_payment"])
        acceptance = plan["acceptance"]
        self.assertEqual(acceptance["accepted_by"], "debtor")
        self.assertEqual(acceptance["channel"], "portal")
        self.assertEqual(acceptance["user_agent"], AGENT)
        self.assertEqual(acceptance["ip"], "127.0.0.1")
        self.assertRegex(acceptance["terms_sha256"], r"^[0-9a-f]{64}$")
        # The business sees it active; the debtor sees it as their current plan.
        stored = self.viewer.get(f"/api/v1/plans/{plan['id']}")
        self.assertEqual(stored.json["status"], "active")
        again = self.options(token)
        self.assertFalse(again["available"])
        self.assertEqual(again["current_plan"]["id"], plan["id"])
        self.assertFalse(again["awaiting_approval"])
        # One plan per invoice: a second one is a conflict.
        self.assertProblem(self.call("POST", token, "/plans", dict(body, terms_accepted=True)), 409)
        # The debtor's own plan terms; nobody's else.
        terms = self.anon.request("GET", f"/api/v1/portal/{token}/plans/{plan['id']}/terms.pdf")
        self.assertEqual(terms.status, 200)
        other_token = self.debtor()[1]
        self.assertProblem(self.anon.request("GET", f"/api/v1/portal/{other_token}/plans/{plan['id']}/terms.pdf"), 404)
        # Audited with the debtor as the actor.
        events = [e for e in self.audit("payment_plan") if e["entity_id"] == plan["id"]]
        self.assertTrue(events)
        self.assertTrue(all(e["actor"] == "portal" for e in events), events)

    def test_a_plan_outside_the_limits_waits_until_a_manager_approves_it(self):
        customer, token, options = self.debtor()
        limits = options["limits"]
        body = dict(self.within(options), installments=limits["max_installments"] + 1, frequency="weekly",
                    terms_accepted=True)
        answer = self.call("POST", token, "/plans", body, language="en")
        self.assertEqual(answer.status, 201, answer.body)
        self.assertEqual(answer.json["result"], "awaiting_approval")
        self.assertFalse(answer.json["within_limits"])
        codes = [v["code"] for v in answer.json["violations"]]
        self.assertIn("installments_above_max", codes)
        self.assertEqual(answer.json["violations"][0]["field"], "installments")
        plan = answer.json["plan"]
        self.assertEqual(plan["status"], "proposed")
        self.assertIsNone(plan["acceptance"])
        waiting = self.options(token)
        self.assertTrue(waiting["awaiting_approval"])
        self.assertEqual(waiting["current_plan"]["id"], plan["id"])

        # The queue, for anyone who reads; the customer filter by external id.
        queue = self.viewer.get(f"/api/v1/plan-approvals?status=pending&customer={customer}")
        self.assertEqual(queue.status, 200, queue.body)
        [item] = queue.json["data"]
        self.assertEqual(item["plan_id"], plan["id"])
        self.assertEqual(item["status"], "pending")
        self.assertEqual(item["requested_user_agent"], AGENT)
        self.assertEqual(item["requested_ip"], "127.0.0.1")
        self.assertIn("installments_above_max", [v["code"] for v in item["violations"]])
        self.assertIsNone(item["decided_by"])
        self.assertIn(plan["id"], [a["plan_id"] for a in json.loads(
            self.server.cli("plan", "approvals", "--format", "json").stdout)])

        # Only a manager decides.
        self.assertProblem(self.collector.post(f"/api/v1/plans/{plan['id']}/approve", {}), 403)
        approved = self.manager.post(f"/api/v1/plans/{plan['id']}/approve", {"note": "Cliente de años"})
        self.assertEqual(approved.status, 200, approved.body)
        self.assertEqual(approved.json["status"], "approved")
        self.assertEqual(approved.json["decision_reason"], "Cliente de años")
        self.assertTrue(approved.json["decided_by"])
        active = approved.json["plan"]
        self.assertEqual(active["status"], "active")
        # The debtor already accepted the terms: the acceptance is theirs, from their address and browser.
        self.assertEqual(active["acceptance"]["accepted_by"], "debtor")
        self.assertEqual(active["acceptance"]["channel"], "portal")
        self.assertEqual(active["acceptance"]["user_agent"], AGENT)
        self.assertProblem(self.manager.post(f"/api/v1/plans/{plan['id']}/approve", {}), 409)
        self.assertEqual(self.viewer.get(f"/api/v1/plan-approvals?status=pending&customer={customer}").json["data"], [])
        events = [e for e in self.audit("plan_approval") if e["entity_id"] == plan["id"]]
        self.assertEqual(sorted(e["action"] for e in events), ["create", "update"])
        self.assertTrue(any(e["after"].get("status") == "approved" for e in events))

    def test_a_rejected_plan_is_cancelled_and_the_debtor_may_build_another(self):
        customer, token, options = self.debtor()
        body = dict(self.within(options), down_payment="0", terms_accepted=True)
        answer = self.call("POST", token, "/plans", body)
        self.assertEqual(answer.status, 201, answer.body)
        self.assertEqual(answer.json["result"], "awaiting_approval")
        self.assertIn("down_payment_below_min", [v["code"] for v in answer.json["violations"]])
        plan_id = answer.json["plan"]["id"]
        self.assertIn("/reason", json.dumps(self.assertProblem(
            self.manager.post(f"/api/v1/plans/{plan_id}/reject", {"reason": "  "}), 422)))
        rejected = self.manager.post(f"/api/v1/plans/{plan_id}/reject", {"reason": "Sin cuota inicial"})
        self.assertEqual(rejected.status, 200, rejected.body)
        self.assertEqual(rejected.json["status"], "rejected")
        self.assertEqual(rejected.json["plan"]["status"], "cancelled")
        self.assertProblem(self.manager.post(f"/api/v1/plans/{plan_id}/approve", {}), 409)
        self.assertTrue(self.options(token)["available"])
        decided = self.viewer.get("/api/v1/plan-approvals?status=rejected").json["data"]
        self.assertIn(plan_id, [a["plan_id"] for a in decided])

    def test_bad_choices_name_their_field(self):
        _, token, options = self.debtor()
        body = self.within(options)
        for change, field in [({"installments": 0}, "/installments"), ({"frequency": "daily"}, "/frequency"),
                              ({"currency": "XYZ"}, "/currency"), ({"down_payment": "-5"}, "/down_payment"),
                              ({"first_date": "2026-02-30"}, "/first_date"), ({"colour": "red"}, "/colour")]:
            answer = self.call("POST", token, "/plans/preview", dict(body, **change), language="en")
            self.assertIn(field, json.dumps(self.assertProblem(answer, 422)), change)
        missing = {k: v for k, v in body.items() if k != "currency"}
        self.assertIn("/currency", json.dumps(self.assertProblem(self.call("POST", token, "/plans/preview", missing), 422)))

    def test_invalid_and_other_tenants_tokens_are_the_portals_error(self):
        for suffix, method, body in [("/plan-options", "GET", None), ("/plans/preview", "POST", {}),
                                     ("/plans", "POST", {}), ("/plan-terms.pdf", "GET", None)]:
            self.assertProblem(self.call(method, "not-a-token", suffix, body), 404, 1202)
        _, token, _ = self.debtor()
        body, signature = token.split(".")
        self.assertProblem(self.call("GET", body + ".x" + signature[1:], "/plan-options"), 404, 1202)

        # Another tenant: its debtor sees its own balance; A's plans and approvals are not found from B.
        self.server.cli("tenant", "create", "Gamma", "--country", "CO", "--currency", "COP", "--time-zone",
                        "America/Bogota", check=False)
        csv = os.path.join(self.server.workdir, "gamma-customers.csv")
        with open(csv, "w") as out:
            out.write("external_id,name,tax_id,country\nPG-1,Cliente Gamma Uno,900000002,CO\n")
        invoices = os.path.join(self.server.workdir, "gamma-invoices.csv")
        with open(invoices, "w") as out:
            out.write("external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                      "PG-INV-1,PG-1,G-1,2026-09-01,2026-12-01,COP,3000000.00\n")
        self.server.cli("import", "customers", csv, tenant="gamma")
        self.server.cli("import", "invoices", invoices, tenant="gamma")
        gamma_token = self.link("PG-1", tenant="gamma")
        gamma = self.options(gamma_token)
        self.assertEqual(gamma["balance"], {"amount": "3000000.00", "currency": "COP"})
        a_customer, a_token, a_options = self.debtor()
        answer = self.call("POST", a_token, "/plans", dict(self.within(a_options), down_payment="0", terms_accepted=True))
        self.assertEqual(answer.status, 201, answer.body)
        a_plan = answer.json["plan"]["id"]
        gamma_manager = self.client_for("manager", tenant="gamma")
        self.assertProblem(gamma_manager.post(f"/api/v1/plans/{a_plan}/approve", {}), 404)
        self.assertProblem(gamma_manager.post(f"/api/v1/plans/{a_plan}/reject", {"reason": "x"}), 404)
        self.assertEqual(gamma_manager.get("/api/v1/plan-approvals").json["data"], [])
        self.assertProblem(self.anon.request("GET", f"/api/v1/portal/{gamma_token}/plans/{a_plan}/terms.pdf"), 404)


if __name__ == "__main__":
    unittest.main()
