"""Offers within approval limits (docs/offers.md): POST /customers/{id}/offers,
the approval queue (GET /offers?status=pending_approval, POST
/offers/{id}/approve|reject), withdraw, accept, the limits (GET/PUT
/offer-limits) and the debtor's part in the portal. Each test works on its
own customer: an invoice is in one live offer at a time."""
import json
from decimal import ROUND_FLOOR, Decimal

from harness import ApiTest, Client


def cents(money):
    return int(Decimal(money["amount"]) * 100)


class OffersTest(ApiTest):
    demo_customers = 60
    serve_args = ("--no-scheduler", "--no-delivery", "--rate-limit", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = cls.server
        cls.collector = Client(server, server.api_key("collector", name="cobra-1"), language="en")
        cls.collector_es = Client(server, server.api_key("collector", name="cobra-es"), language="es")
        cls.other_collector = Client(server, server.api_key("collector", name="cobra-2"), language="en")
        cls.manager = Client(server, server.api_key("manager", name="jefe-1"), language="en")
        cls.other_manager = Client(server, server.api_key("manager", name="jefe-2"), language="en")
        cls.viewer = Client(server, server.api_key("viewer"), language="en")
        server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP", "--time-zone",
                   "America/Bogota")
        cls.beta = Client(server, server.api_key("admin", tenant="beta"), language="en")
        rows = json.loads(server.cli("customers", "--status", "with_balance", "--format", "json").stdout)
        cls.free = sorted({row["external_id"] for row in rows})
        cls.anon = Client(server)

    def customer(self):
        """A customer that owes something and no test used yet."""
        return self.free.pop(0)

    def offer(self, client, customer, percent, kind="early_payment_discount", **extra):
        body = {"type": kind, "percent": percent, "expires_on": "2026-12-15", **extra}
        return client.post(f"/api/v1/customers/{customer}/offers", body)

    def audit(self, offer_id):
        events = self.admin.get("/api/v1/audit?entity=offer&limit=100").json["data"]
        return [e for e in events if e["entity_id"] == offer_id]

    # --- making offers ---

    def test_within_the_collectors_limit_it_is_approved_at_once_with_exact_amounts(self):
        customer = self.customer()
        made = self.offer(self.collector, customer, "4.5")
        self.assertEqual(made.status, 201, made.body)
        offer = made.json
        self.assertEqual(offer["status"], "approved")
        self.assertEqual(offer["type"], "early_payment_discount")
        balance = cents(offer["balance"])
        # Rounded down to the cent: the business never forgives more than it said.
        expected = int((Decimal(balance) * Decimal("0.045")).to_integral_value(ROUND_FLOOR))
        self.assertEqual(cents(offer["forgiven"]), expected)
        self.assertEqual(cents(offer["due"]) + cents(offer["forgiven"]), balance)
        self.assertEqual(sum(cents(i["forgiven"]) for i in offer["invoices"]), expected)
        self.assertEqual(sum(cents(i["open"]) for i in offer["invoices"]), balance)
        self.assertEqual(offer["decided_by"], "key:cobra-1")
        created = [e for e in self.audit(offer["id"]) if e["action"] == "create"]
        self.assertEqual(len(created), 1)
        self.assertEqual(created[0]["actor"], "key:cobra-1")
        self.assertEqual(created[0]["after"]["granted_by"], "key:cobra-1")
        self.assertEqual(created[0]["after"]["role"], "collector")

    def test_the_quote_computes_without_saving(self):
        customer = self.customer()
        quote = self.collector.post(f"/api/v1/customers/{customer}/offers/quote",
                                    {"type": "settlement", "percent": "30", "expires_on": "2026-12-15"})
        self.assertEqual(quote.status, 200, quote.body)
        self.assertTrue(quote.json["needs_approval"])
        self.assertEqual(quote.json["your_limit"]["max_percent"], "5.00")
        listed = self.admin.get(f"/api/v1/offers?customer={customer}").json["data"]
        self.assertEqual(listed, [])

    def test_above_the_limit_it_waits_for_a_manager(self):
        customer = self.customer()
        made = self.offer(self.collector, customer, "10")
        self.assertEqual(made.status, 201, made.body)
        offer = made.json
        self.assertEqual(offer["status"], "pending_approval")
        self.assertIsNone(offer["decided_by"])
        queue = self.viewer.get("/api/v1/offers?status=pending_approval&limit=100").json["data"]
        self.assertIn(offer["id"], [o["id"] for o in queue])
        # A collector may not approve (the route is manager+).
        refused = self.other_collector.post(f"/api/v1/offers/{offer['id']}/approve", {})
        self.assertProblem(refused, 403, 1101)
        approved = self.manager.post(f"/api/v1/offers/{offer['id']}/approve", {"note": "buen pagador"})
        self.assertEqual(approved.status, 200, approved.body)
        self.assertEqual(approved.json["status"], "approved")
        self.assertEqual(approved.json["decided_by"], "key:jefe-1")
        self.assertEqual(approved.json["decision_note"], "buen pagador")
        update = [e for e in self.audit(offer["id"]) if e["action"] == "update"]
        self.assertEqual(update[-1]["actor"], "key:jefe-1")
        self.assertEqual(update[-1]["after"]["status"], "approved")
        self.assertEqual(update[-1]["after"]["approver_limit"]["max_percent"], "20.00")
        again = self.admin.post(f"/api/v1/offers/{offer['id']}/approve", {})
        self.assertProblem(again, 409)
        # A second live offer on the same invoices would forgive twice.
        twice = self.offer(self.collector, customer, "3")
        self.assertProblem(twice, 409)

    def test_nobody_approves_their_own_nor_above_their_limit(self):
        customer = self.customer()
        made = self.offer(self.manager, customer, "25", kind="settlement")
        self.assertEqual(made.status, 201, made.body)
        self.assertEqual(made.json["status"], "pending_approval")
        offer_id = made.json["id"]
        own = self.manager.post(f"/api/v1/offers/{offer_id}/approve", {})
        self.assertProblem(own, 403, 1101)
        above = self.other_manager.post(f"/api/v1/offers/{offer_id}/approve", {})
        self.assertProblem(above, 403, 1101)
        self.assertIn("20", above.json["detail"])
        approved = self.admin.post(f"/api/v1/offers/{offer_id}/approve", {})
        self.assertEqual(approved.status, 200, approved.body)
        self.assertEqual(approved.json["status"], "approved")

    def test_a_rejection_needs_a_note(self):
        customer = self.customer()
        offer_id = self.offer(self.collector, customer, "8").json["id"]
        missing = self.manager.post(f"/api/v1/offers/{offer_id}/reject", {})
        problem = self.assertProblem(missing, 422)
        self.assertEqual([e["field"] for e in problem["errors"]], ["/note"])
        rejected = self.manager.post(f"/api/v1/offers/{offer_id}/reject", {"note": "demasiado"})
        self.assertEqual(rejected.status, 200, rejected.body)
        self.assertEqual(rejected.json["status"], "rejected")
        self.assertEqual(rejected.json["decision_note"], "demasiado")

    def test_withdraw_by_its_maker_or_a_manager(self):
        customer = self.customer()
        offer_id = self.offer(self.collector, customer, "3").json["id"]
        refused = self.other_collector.post(f"/api/v1/offers/{offer_id}/withdraw", {})
        self.assertProblem(refused, 403, 1101)
        done = self.collector.post(f"/api/v1/offers/{offer_id}/withdraw", {"note": "el cliente pagó"})
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.json["status"], "withdrawn")
        # Its invoices are free again.
        self.assertEqual(self.offer(self.collector, customer, "3").status, 201)

    def test_accept_on_the_debtors_behalf(self):
        customer = self.customer()
        offer_id = self.offer(self.collector, customer, "2").json["id"]
        bad = self.collector.post(f"/api/v1/offers/{offer_id}/accept", {"channel": "portal"})
        problem = self.assertProblem(bad, 422)
        self.assertEqual([e["field"] for e in problem["errors"]], ["/channel"])
        done = self.collector.post(f"/api/v1/offers/{offer_id}/accept", {"channel": "phone"})
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.json["status"], "accepted")
        self.assertEqual(done.json["accepted_channel"], "phone")
        self.assertEqual(done.json["accepted_by"], "key:cobra-1")

    # --- bad input ---

    def test_bad_fields_are_named(self):
        customer = self.customer()
        cases = [
            ({"type": "discount", "percent": "5", "expires_on": "2026-12-15"}, "/type"),
            ({"type": "waiver", "percent": "5.123", "expires_on": "2026-12-15"}, "/percent"),
            ({"type": "waiver", "percent": "5", "amount": "10.00", "expires_on": "2026-12-15"}, "/amount"),
            ({"type": "waiver", "percent": "5", "expires_on": "2026-11-01"}, "/expires_on"),
            ({"type": "waiver", "percent": "5", "expires_on": "2026-12-15", "invoices": ["NOPE-1"]}, "/invoices/0"),
            ({"type": "waiver", "percent": "5", "expires_on": "2026-12-15", "surprise": 1}, "/surprise"),
            ({"type": "waiver", "percent": 5, "expires_on": "2026-12-15"}, "/percent"),
            ({"percent": "5", "expires_on": "2026-12-15"}, "/type"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=body):
                answer = self.collector.post(f"/api/v1/customers/{customer}/offers", body)
                problem = self.assertProblem(answer, 422)
                self.assertIn(field, [e["field"] for e in problem["errors"]], problem)
        spanish = self.collector_es.post(f"/api/v1/customers/{customer}/offers",
                                         {"type": "waiver", "percent": "5", "expires_on": "2026-11-01"})
        self.assertIn("vence", self.assertProblem(spanish, 422)["errors"][0]["detail"])
        self.assertEqual(self.admin.get(f"/api/v1/offers?customer={customer}").json["data"], [])
        unknown = self.collector.post("/api/v1/customers/NO-SUCH-CUSTOMER/offers",
                                      {"type": "waiver", "percent": "5", "expires_on": "2026-12-15"})
        self.assertProblem(unknown, 404)
        bad_status = self.viewer.get("/api/v1/offers?status=done")
        self.assertProblem(bad_status, 400)

    def test_a_viewer_makes_no_offers(self):
        answer = self.offer(self.viewer, self.free[0], "1")
        self.assertProblem(answer, 403, 1101)

    # --- limits ---

    def test_limits_are_read_by_all_and_changed_by_an_admin(self):
        limits = self.viewer.get("/api/v1/offer-limits")
        self.assertEqual(limits.status, 200, limits.body)
        by_role = {l["role"]: l for l in limits.json["limits"]}
        self.assertEqual(by_role["collector"]["max_percent"], "5.00")
        self.assertEqual(by_role["manager"]["max_percent"], "20.00")
        self.assertIsNone(by_role["admin"]["max_percent"])
        self.assertProblem(self.manager.put("/api/v1/offer-limits", {"limits": []}), 403, 1101)
        bad = self.admin.put("/api/v1/offer-limits", {"limits": [
            {"role": "admin", "max_percent": "5"},
            {"role": "collector", "max_percent": "101", "max_amounts": [{"amount": "-1", "currency": "COP"}]}]})
        fields = [e["field"] for e in self.assertProblem(bad, 422)["errors"]]
        self.assertIn("/limits/0/role", fields)
        self.assertIn("/limits/1/max_percent", fields)
        self.assertIn("/limits/1/max_amounts/0/amount", fields)
        try:
            changed = self.admin.put("/api/v1/offer-limits", {"limits": [
                {"role": "collector", "max_percent": "12", "max_amounts": [{"amount": "1.00", "currency": "COP"}]}]})
            self.assertEqual(changed.status, 200, changed.body)
            collector = {l["role"]: l for l in changed.json["limits"]}["collector"]
            self.assertEqual(collector["max_percent"], "12.00")
            self.assertEqual(collector["max_amounts"], [{"amount": "1.00", "currency": "COP"}])
            # 10 % is within 12 % but above the COP 1.00 cap: it waits.
            customer = self.customer()
            self.assertEqual(self.offer(self.collector, customer, "10").json["status"], "pending_approval")
            events = self.admin.get("/api/v1/audit?entity=offer_limits").json["data"]
            self.assertEqual(events[0]["after"]["limits"][0]["max_percent"], "12.00")
        finally:
            self.admin.put("/api/v1/offer-limits", {"limits": [{"role": "collector", "max_percent": "5"}]})

    # --- tenants ---

    def test_another_tenants_offers_do_not_exist(self):
        customer = self.customer()
        offer_id = self.offer(self.collector, customer, "9").json["id"]
        self.assertProblem(self.beta.get(f"/api/v1/offers/{offer_id}"), 404)
        self.assertProblem(self.beta.post(f"/api/v1/offers/{offer_id}/approve", {}), 404)
        self.assertProblem(self.beta.post(f"/api/v1/offers/{offer_id}/withdraw", {}), 404)
        self.assertEqual(self.beta.get("/api/v1/offers").json["data"], [])
        other = self.beta.post(f"/api/v1/customers/{customer}/offers",
                               {"type": "waiver", "percent": "1", "expires_on": "2026-12-15"})
        self.assertProblem(other, 404)
        self.assertEqual(self.admin.get(f"/api/v1/offers/{offer_id}").json["status"], "pending_approval")

    # --- the portal ---

    def link(self, customer):
        url = self.server.cli("portal", "link", customer).stdout.strip()
        return url.rsplit("/", 1)[1]

    def test_the_debtor_sees_only_approved_offers_and_accepts_one(self):
        customer = self.customer()
        token = self.link(customer)
        pending = self.offer(self.collector, customer, "15").json
        seen = self.anon.get(f"/api/v1/portal/{token}/offers")
        self.assertEqual(seen.status, 200, seen.body)
        self.assertEqual(seen.json["data"], [])
        self.assertProblem(self.anon.post(f"/api/v1/portal/{token}/offers/{pending['id']}/accept"), 404)
        self.manager.post(f"/api/v1/offers/{pending['id']}/approve", {})
        seen = self.anon.get(f"/api/v1/portal/{token}/offers").json["data"]
        self.assertEqual([o["id"] for o in seen], [pending["id"]])
        self.assertEqual(seen[0]["due"], pending["due"])
        self.assertNotIn("created_by", seen[0])
        # Another debtor's link cannot accept it.
        other_token = self.link(self.customer())
        self.assertProblem(self.anon.post(f"/api/v1/portal/{other_token}/offers/{pending['id']}/accept"), 404)
        accepted = self.anon.post(f"/api/v1/portal/{token}/offers/{pending['id']}/accept",
                                  headers={"User-Agent": "Prueba/1.0"})
        self.assertEqual(accepted.status, 200, accepted.body)
        self.assertEqual(accepted.json["status"], "accepted")
        offer = self.admin.get(f"/api/v1/offers/{pending['id']}").json
        self.assertEqual(offer["accepted_channel"], "portal")
        self.assertEqual(offer["accepted_by"], "portal")
        self.assertProblem(self.anon.get("/api/v1/portal/not-a-token/offers"), 404, 1202)


if __name__ == "__main__":
    import unittest

    unittest.main()
