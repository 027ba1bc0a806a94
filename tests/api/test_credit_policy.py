"""Credit policy (docs/credit-policy.md): GET/PUT /credit-policy (ETag,
If-Match, manager, audited), the hold on the customer and in
GET /customers?on_hold=, and credit reviews (POST/GET
/customers/{id}/credit-reviews, manager). The run is what decides holds."""
import json
import unittest

from harness import ApiTest, Client

TODAY = "2026-11-20"


class CreditPolicyTest(ApiTest):
    demo_customers = 60
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"), language="en")
        cls.collector = Client(cls.server, cls.server.api_key("collector"), language="en")
        cls.manager = Client(cls.server, cls.server.api_key("manager"), language="en")
        cls.manager_es = Client(cls.server, cls.server.api_key("manager"), language="es")
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"), language="en")
        ran = cls.manager.post("/api/v1/runs", {"as_of": TODAY})
        assert ran.status in (200, 201), ran.body

    def held(self, on_hold):
        rows, after = [], None
        while True:
            path = f"/api/v1/customers?on_hold={'true' if on_hold else 'false'}&limit=100"
            if after:
                path += f"&starting_after={after}"
            answer = self.viewer.get(path)
            self.assertEqual(answer.status, 200, answer.body)
            rows += answer.json["data"]
            if not answer.json["has_more"]:
                return rows
            after = rows[-1]["external_id"]

    # --- the hold, as the run left it ---

    def test_on_hold_filter_matches_the_database_and_the_customer(self):
        stored = {row[0] for row in self.server.query(
            "SELECT c.external_id FROM customer_credit h JOIN customers c ON c.id = h.customer_id "
            "WHERE h.tenant_id = 1 AND h.on_hold = 1")}
        self.assertGreater(len(stored), 0)
        held = self.held(True)
        self.assertEqual({row["external_id"] for row in held}, stored)
        for row in held:
            self.assertTrue(row["on_hold"])
            self.assertTrue(set(row["hold_reasons"]) <= {"over_limit", "days_past_due"} and row["hold_reasons"])
        free = self.held(False)
        self.assertFalse({row["external_id"] for row in free} & stored)
        self.assertTrue(all(not row["on_hold"] and row["hold_reasons"] == [] for row in free))
        # The customer representation carries the same hold and its exposure.
        customer = sorted(stored)[0]
        answer = self.viewer.get(f"/api/v1/customers/{customer}?as_of={TODAY}")
        self.assertEqual(answer.status, 200, answer.body)
        credit = answer.json["credit"]
        self.assertTrue(credit["on_hold"])
        self.assertEqual(credit["hold_since"], TODAY)
        if "over_limit" in credit["hold_reasons"]:
            self.assertGreater(float(credit["exposure"]["amount"]), float(credit["limit"]["amount"]))
        # The CLI lists the same customers.
        cli = json.loads(self.server.cli("customers", "--on-hold", "--format", "json").stdout)
        self.assertEqual({row["external_id"] for row in cli}, stored)
        # A bad value names the parameter.
        problem = self.assertProblem(self.viewer.get("/api/v1/customers?on_hold=maybe"), 400, 1008)
        self.assertIn("on_hold", json.dumps(problem))

    # --- the policy ---

    def test_policy_get_put_etag_roles_and_audit(self):
        got = self.viewer.get("/api/v1/credit-policy")
        self.assertEqual(got.status, 200, got.body)
        rules = {rule["segment"]: rule for rule in got.json["rules"]}
        self.assertEqual(set(rules), {"habitual", "occasional", "high_risk", "new"})
        etag = got.header("etag")
        self.assertTrue(etag)
        body = {"rules": [{"segment": "occasional", "hold_over_limit": True, "hold_days_past_due": 50,
                           "review_months": 4}]}
        self.assertProblem(self.collector.put("/api/v1/credit-policy", body), 403, 1101)
        self.assertProblem(self.viewer.put("/api/v1/credit-policy", body), 403, 1101)
        self.assertProblem(self.manager.put("/api/v1/credit-policy", body, headers={"If-Match": '"stale"'}), 412, 1303)
        put = self.manager.put("/api/v1/credit-policy", body, headers={"If-Match": etag})
        self.assertEqual(put.status, 200, put.body)
        occasional = [r for r in put.json["rules"] if r["segment"] == "occasional"][0]
        self.assertEqual((occasional["hold_days_past_due"], occasional["review_months"], occasional["default"]),
                         (50, 4, False))
        self.assertNotEqual(put.header("etag"), etag)
        # The old tag is stale now.
        self.assertProblem(self.manager.put("/api/v1/credit-policy", body, headers={"If-Match": etag}), 412, 1303)
        # Lateness holds can be turned off (null).
        off = self.manager.put("/api/v1/credit-policy", {"rules": [
            {"segment": "habitual", "hold_over_limit": False, "hold_days_past_due": None, "review_months": 12}]})
        self.assertEqual(off.status, 200, off.body)
        habitual = [r for r in off.json["rules"] if r["segment"] == "habitual"][0]
        self.assertIsNone(habitual["hold_days_past_due"])
        events = self.admin.get("/api/v1/audit?entity=credit_policy").json["data"]
        self.assertGreaterEqual(len(events), 2)
        # The CLI shows what the API stored.
        cli = json.loads(self.server.cli("credit", "policy", "--format", "json").stdout)
        self.assertEqual(cli, self.viewer.get("/api/v1/credit-policy").json)

    def test_policy_bad_input_names_the_field(self):
        cases = [
            ({"rules": [{"segment": "vip", "hold_over_limit": True, "hold_days_past_due": 5, "review_months": 1}]},
             "/rules/0/segment"),
            ({"rules": [{"segment": "new", "hold_over_limit": True, "hold_days_past_due": 0, "review_months": 1}]},
             "/rules/0/hold_days_past_due"),
            ({"rules": [{"segment": "new", "hold_over_limit": True, "hold_days_past_due": 5, "review_months": 121}]},
             "/rules/0/review_months"),
            ({"rules": [{"segment": "new", "hold_over_limit": "yes", "hold_days_past_due": 5, "review_months": 1}]},
             "/rules/0/hold_over_limit"),
            ({"rules": [{"segment": "new", "hold_over_limit": True, "review_months": 1}]},
             "/rules/0/hold_days_past_due"),
            ({"rules": [{"segment": "new", "hold_over_limit": True, "hold_days_past_due": 5, "review_months": 1,
                         "x": 1}]}, "/rules/0/x"),
            ({"rules": []}, "/rules"),
            ({}, "/rules"),
        ]
        before = self.viewer.get("/api/v1/credit-policy").json
        for body, field in cases:
            problem = self.assertProblem(self.manager.put("/api/v1/credit-policy", body), 422)
            self.assertIn(field, [e["field"] for e in problem["errors"]], (body, problem))
        self.assertEqual(self.viewer.get("/api/v1/credit-policy").json, before)
        problem = self.assertProblem(self.manager_es.put("/api/v1/credit-policy", {"rules": [
            {"segment": "vip", "hold_over_limit": True, "hold_days_past_due": 5, "review_months": 1}]}), 422)
        self.assertIn("debe ser", problem["errors"][0]["detail"])

    # --- reviews ---

    def test_review_records_changes_the_limit_and_restarts_the_timer(self):
        customer = sorted(row["external_id"] for row in self.held(False))[0]
        before = self.viewer.get(f"/api/v1/customers/{customer}").json
        self.assertProblem(self.collector.post(f"/api/v1/customers/{customer}/credit-reviews", {"note": "x"}),
                           403, 1101)
        answer = self.manager.post(f"/api/v1/customers/{customer}/credit-reviews",
                                   {"note": "Annual review: pays on time", "limit": "12345678.90",
                                    "reviewed_on": TODAY})
        self.assertEqual(answer.status, 201, answer.body)
        review = answer.json
        self.assertEqual(review["customer_external_id"], customer)
        self.assertEqual(review["reviewed_on"], TODAY)
        self.assertEqual(review["limit_before"], before["credit_limit"])
        self.assertEqual(review["limit_after"], {"amount": "12345678.90", "currency": before["currency"]})
        after = self.viewer.get(f"/api/v1/customers/{customer}").json
        self.assertEqual(after["credit_limit"], review["limit_after"])
        self.assertEqual(after["credit"]["last_reviewed_on"], TODAY)
        self.assertFalse(after["credit"]["review_due"])
        listed = self.viewer.get(f"/api/v1/customers/{customer}/credit-reviews")
        self.assertEqual(listed.status, 200, listed.body)
        self.assertEqual(listed.json["data"][0], review)
        events = self.admin.get("/api/v1/audit?entity=credit_review").json["data"]
        self.assertTrue(any(e["entity_id"] == review["id"] and e["action"] == "create" for e in events), events[:3])
        # Without a limit the limit stays.
        again = self.manager.post(f"/api/v1/customers/{customer}/credit-reviews", {"note": "Checked again"})
        self.assertEqual(again.status, 201, again.body)
        self.assertEqual(again.json["limit_after"], review["limit_after"])

    def test_review_bad_input_and_isolation(self):
        customer = sorted(row["external_id"] for row in self.held(True))[0]
        path = f"/api/v1/customers/{customer}/credit-reviews"
        for body, field in [({"note": ""}, "/note"), ({}, "/note"), ({"note": "x", "limit": "abc"}, "/limit"),
                            ({"note": "x", "limit": "-5.00"}, "/limit"), ({"note": "x", "limit": 5}, "/limit"),
                            ({"note": "x", "reviewed_on": "2026-02-30"}, "/reviewed_on"),
                            ({"note": "x", "extra": True}, "/extra")]:
            problem = self.assertProblem(self.manager.post(path, body), 422)
            self.assertIn(field, [e["field"] for e in problem["errors"]], (body, problem))
        self.assertProblem(self.manager.post("/api/v1/customers/NOPE/credit-reviews", {"note": "x"}), 404, 1200)
        self.assertEqual(self.viewer.get(path).json["data"], [])
        if self.beta is None:
            self.skipTest("tenant create is not available")
        # Another tenant's customer is not found, and its policy is its own.
        self.assertProblem(self.beta.post(path, {"note": "x"}), 404, 1200)
        self.assertProblem(self.beta.get(path), 404, 1200)
        self.assertEqual(self.beta.get("/api/v1/customers?on_hold=true").json["data"], [])
        beta_policy = self.beta.get("/api/v1/credit-policy").json
        self.assertTrue(all(rule["default"] for rule in beta_policy["rules"]))


if __name__ == "__main__":
    unittest.main()
