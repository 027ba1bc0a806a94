"""The collector rule: a customer may be assigned to one collector; a user whose
role is collector acts (promises, disputes, task outcomes, consent) only on the
customers assigned to them or to no one, managers and admins on every one."""
import json
import unittest

from harness import NOW, ApiTest, Client

TODAY = NOW[:10]
ANA, BETO = "ana@empresa.co", "beto@empresa.co"
PASSWORD = "una clave larga de cobro"


class CollectorRuleTest(ApiTest):
    demo_customers = 40
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.env["COLLECTOR_PASSWORD"] = PASSWORD
        cls.server.cli("user", "add", ANA, "--role", "collector", "--password-env", "COLLECTOR_PASSWORD")
        cls.server.cli("user", "add", BETO, "--role", "collector", "--password-env", "COLLECTOR_PASSWORD")
        cls.server.cli("user", "add", "vera@empresa.co", "--role", "viewer", "--password-env", "COLLECTOR_PASSWORD")
        cls.ana = cls.sign_in(ANA)
        cls.beto = cls.sign_in(BETO)
        cls.manager = Client(cls.server, cls.server.api_key("manager"))
        cls.collector_key = Client(cls.server, cls.server.api_key("collector"), language="en")
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"))
        owing = cls.admin.get("/api/v1/customers?status=with_balance&limit=100").json["data"]
        cls.owing = sorted({row["external_id"] for row in owing})
        answer = cls.manager.post("/api/v1/runs", {"as_of": TODAY})
        assert answer.status == 200, answer.body

    @classmethod
    def sign_in(cls, email, language="en"):
        browser = Client(cls.server, language=language)
        signed_in = browser.post("/api/v1/session", {"email": email, "password": PASSWORD})
        assert signed_in.status == 201, signed_in.body
        browser.csrf = signed_in.json["csrf_token"]
        return browser

    def assign(self, customer, collector):
        answer = self.manager.put(f"/api/v1/customers/{customer}/collector", {"collector": collector})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["collector"], collector.lower() if collector else None)
        return answer

    def promise(self, client, customer, amount="1000"):
        return client.post("/api/v1/promises", {"customer": customer, "date": "2026-12-05", "amount": amount})

    def refused(self, response, language="en"):
        problem = self.assertProblem(response, 403, 1101)
        if language == "en":
            self.assertIn("assigned to another collector", problem["detail"])
        else:
            self.assertIn("asignad", problem["detail"])
        # Never who: the other collector's e-mail is not told.
        self.assertNotIn(ANA, response.body.decode())
        self.assertNotIn(BETO, response.body.decode())
        return problem

    # --- assigning ---

    def test_assign_shows_audits_and_refuses_bad_input(self):
        customer = self.owing[0]
        before = self.admin.get(f"/api/v1/customers/{customer}")
        self.assertIsNone(before.json["collector"])
        # A stale If-Match is a lost update.
        self.assertProblem(self.manager.put(f"/api/v1/customers/{customer}/collector", {"collector": ANA},
                                            headers={"If-Match": '"stale"'}), 412, 1303)
        assigned = self.manager.put(f"/api/v1/customers/{customer}/collector", {"collector": "Ana@Empresa.CO"},
                                    headers={"If-Match": before.header("etag")})
        self.assertEqual(assigned.status, 200, assigned.body)
        self.assertEqual(assigned.json["collector"], ANA)
        shown = self.admin.get(f"/api/v1/customers/{customer}")
        self.assertEqual(shown.json["collector"], ANA)
        self.assertEqual(shown.header("etag"), assigned.header("etag"))
        self.assertNotEqual(shown.header("etag"), before.header("etag"))
        events = self.admin.get(f"/api/v1/audit?entity=customer&id={customer}").json["data"]
        change = [e for e in events if e["after"] == {"collector": ANA}]
        self.assertEqual(len(change), 1, events)
        self.assertEqual((change[0]["action"], change[0]["before"], change[0]["source"]),
                         ("update", {"collector": None}, "api"))
        self.assertTrue(change[0]["actor"].startswith("key:"), change[0])
        # Unassigning is null.
        self.assign(customer, None)
        self.assertIsNone(self.admin.get(f"/api/v1/customers/{customer}").json["collector"])
        # Who may be assigned: a user of this tenant with the role collector or above.
        for who in ("nadie@empresa.co", "vera@empresa.co"):
            problem = self.assertProblem(self.manager.put(f"/api/v1/customers/{customer}/collector",
                                                          {"collector": who}), 422, 1000)
            self.assertEqual(problem["errors"][0]["field"], "/collector")
            self.assertIn(who, problem["detail"])
        problem = self.assertProblem(self.manager.put(f"/api/v1/customers/{customer}/collector", {}), 422, 1004)
        self.assertEqual(problem["errors"][0]["field"], "/collector")
        problem = self.assertProblem(self.manager.put(f"/api/v1/customers/{customer}/collector",
                                                      {"collector": 7, "extra": 1}), 422)
        self.assertEqual({e["field"] for e in problem["errors"]}, {"/collector", "/extra"})
        self.assertProblem(self.manager.put("/api/v1/customers/NADIE/collector", {"collector": ANA}), 404, 1200)
        # Only a manager assigns.
        self.assertProblem(self.ana.put(f"/api/v1/customers/{customer}/collector", {"collector": ANA}), 403, 1101)
        self.assertProblem(self.collector_key.put(f"/api/v1/customers/{customer}/collector", {"collector": ANA}),
                           403, 1101)
        self.assertIsNone(self.admin.get(f"/api/v1/customers/{customer}").json["collector"])

    def test_cli_assign_and_unassign(self):
        customer = self.owing[1]
        done = self.server.cli("--lang", "en", "customer", "assign", customer, "--collector", BETO)
        self.assertIn(f"Customer {customer} assigned to {BETO}", done.stdout)
        self.assertEqual(self.admin.get(f"/api/v1/customers/{customer}").json["collector"], BETO)
        events = json.loads(self.server.cli("audit", "--entity", "customer", "--format", "json").stdout)
        self.assertIn({"collector": BETO}, [e["after"] for e in events])
        self.server.cli("customer", "assign", customer, "--unassign")
        self.assertIsNone(self.admin.get(f"/api/v1/customers/{customer}").json["collector"])
        refused = self.server.cli("customer", "assign", customer, "--collector", "nadie@empresa.co", check=False)
        self.assertEqual(refused.returncode, 2, refused.stderr)
        self.assertEqual(self.server.cli("customer", "assign", customer, check=False).returncode, 2)
        self.assertEqual(self.server.cli("customer", "assign", "NADIE", "--unassign", check=False).returncode, 2)

    def test_another_tenant_cannot_assign_or_see(self):
        if self.beta is None:
            self.skipTest("`cartera tenant create` is not there yet: the other tenant's part is not checked")
        customer = self.owing[2]
        self.assertProblem(self.beta.put(f"/api/v1/customers/{customer}/collector", {"collector": None}), 404, 1200)
        self.assertProblem(self.promise(self.beta, customer), 404, 1200)
        # Tenant Beta's user cannot be assigned to this tenant's customer.
        self.server.cli("user", "add", "otra@beta.co", "--role", "collector", tenant="beta")
        problem = self.assertProblem(self.manager.put(f"/api/v1/customers/{customer}/collector",
                                                      {"collector": "otra@beta.co"}), 422, 1000)
        self.assertEqual(problem["errors"][0]["field"], "/collector")

    # --- the rule on promises ---

    def test_promises_follow_the_assignment(self):
        mine, free = self.owing[3], self.owing[4]
        self.assign(mine, ANA)
        self.refused(self.promise(self.beto, mine))
        spanish = self.sign_in(BETO, language="es")
        self.refused(self.promise(spanish, mine), language="es")
        # An API key has no e-mail: only the unassigned customers.
        self.refused(self.promise(self.collector_key, mine))
        self.assertEqual(self.promise(self.ana, mine, "100").status, 201)
        self.assertEqual(self.promise(self.manager, mine, "200").status, 201)
        self.assertEqual(self.promise(self.admin, mine, "300").status, 201)
        for client in (self.ana, self.beto, self.collector_key):
            added = self.promise(client, free, "400")
            self.assertEqual(added.status, 201, added.body)
            self.assertEqual(added.json["customer_external_id"], free)
        amounts = sorted(p["amount"]["amount"] for p in
                         self.admin.get(f"/api/v1/promises?customer={mine}").json["data"])
        self.assertEqual(amounts, ["100.00", "200.00", "300.00"])
        # Cancelling: the promise's customer decides.
        promise = self.promise(self.ana, mine, "500").json["id"]
        self.refused(self.beto.post(f"/api/v1/promises/{promise}/cancel"))
        cancelled = self.ana.post(f"/api/v1/promises/{promise}/cancel")
        self.assertEqual((cancelled.status, cancelled.json["status"]), (200, "cancelled"))
        # Reassigned to Beto, the rule turns around.
        self.assign(mine, BETO)
        self.refused(self.promise(self.ana, mine))
        self.assertEqual(self.promise(self.beto, mine, "600").status, 201)
        self.assign(mine, None)
        self.assertEqual(self.promise(self.ana, mine, "700").status, 201)
        # Unknown and other tenants' things are 404, as before the rule.
        self.assertProblem(self.promise(self.beto, "NADIE"), 404, 1200)
        self.assertProblem(self.beto.post("/api/v1/promises/999999/cancel"), 404, 1200)

    # --- disputes and consent ---

    def test_disputes_and_consent_follow_the_assignment(self):
        customer = self.owing[5]
        self.assign(customer, ANA)
        invoices = self.admin.get(f"/api/v1/invoices?customer={customer}&limit=100").json["data"]
        invoice = next(i["external_id"] for i in invoices if i["status"] != "paid")
        self.refused(self.beto.post("/api/v1/disputes", {"invoice": invoice, "reason": "not_received"}))
        opened = self.ana.post("/api/v1/disputes", {"invoice": invoice, "reason": "not_received"})
        self.assertEqual(opened.status, 201, opened.body)
        dispute = opened.json["id"]
        rejection = {"outcome": "rejected", "resolution": "entregada"}
        self.refused(self.beto.post(f"/api/v1/disputes/{dispute}/resolve", rejection))
        self.refused(self.collector_key.post(f"/api/v1/disputes/{dispute}/resolve", rejection))
        resolved = self.ana.post(f"/api/v1/disputes/{dispute}/resolve", rejection)
        self.assertEqual((resolved.status, resolved.json["dispute"]["status"]), (200, "resolved"))
        self.assertProblem(self.beto.post("/api/v1/disputes", {"invoice": "NO-EXISTE", "reason": "other"}), 404, 1200)
        # Consent on one of the customer's contact points.
        record = self.admin.get(f"/api/v1/customers/{customer}").json
        if not record["contact_points"]:
            self.skipTest("the demo customer has no contact point")
        point = record["contact_points"][0]
        change = {"channel": "phone" if point["channel"] == "phone" else point["channel"], "value": point["value"],
                  "consent": "revoked"}
        self.refused(self.beto.put(f"/api/v1/customers/{customer}/consent", change))
        self.refused(self.collector_key.put(f"/api/v1/customers/{customer}/consent", change))
        done = self.ana.put(f"/api/v1/customers/{customer}/consent", change)
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(done.json["collector"], ANA)
        changed = [p for p in done.json["contact_points"] if p["value"] == point["value"]]
        self.assertEqual(changed[0]["consent"], "revoked")

    # --- call tasks and the worklist ---

    def test_task_outcomes_and_my_worklist(self):
        tasks = self.admin.get("/api/v1/worklist?limit=100").json["data"]
        by_customer = {}
        for task in tasks:
            by_customer.setdefault(task["customer_external_id"], task)
        if len(by_customer) < 2:
            self.skipTest(f"the demo run made call tasks for {len(by_customer)} customers")
        (ana_customer, ana_task), (free_customer, free_task) = list(by_customer.items())[:2]
        self.assign(ana_customer, ANA)
        self.assign(free_customer, None)

        def worklist(client):
            return {t["task_id"] for t in client.get("/api/v1/worklist?mine=true&limit=100").json["data"]}

        # Ana's worklist: her customers' tasks and the unassigned; Beto's and a key's: never Ana's.
        self.assertTrue({ana_task["task_id"], free_task["task_id"]} <= worklist(self.ana))
        self.assertIn(free_task["task_id"], worklist(self.beto))
        self.assertNotIn(ana_task["task_id"], worklist(self.beto))
        self.assertNotIn(ana_task["task_id"], worklist(self.collector_key))
        self.assertIn(free_task["task_id"], worklist(self.collector_key))
        # Without mine=true everyone sees every task.
        everything = {t["task_id"] for t in self.beto.get("/api/v1/worklist?limit=100").json["data"]}
        self.assertIn(ana_task["task_id"], everything)
        self.assertProblem(self.ana.get("/api/v1/worklist?mine=perhaps"), 400, 1008)
        # A task of Ana's customer: Beto and a collector's key are refused.
        self.refused(self.beto.post(f"/api/v1/tasks/{ana_task['task_id']}/outcome", {"outcome": "contacted"}))
        self.refused(self.collector_key.post(f"/api/v1/tasks/{ana_task['task_id']}/outcome",
                                             {"outcome": "contacted"}))
        # A free-text assignee names no account and binds no one.
        self.assertEqual(self.manager.post(f"/api/v1/tasks/{free_task['task_id']}/assign",
                                           {"collector": "equipo norte"}).status, 200)
        self.assertIn(free_task["task_id"], worklist(self.ana))
        self.assertIn(free_task["task_id"], worklist(self.collector_key))
        # A task assigned to Beto on an unassigned customer: Ana is refused.
        assigned = self.manager.post(f"/api/v1/tasks/{free_task['task_id']}/assign", {"collector": BETO})
        self.assertEqual(assigned.status, 200, assigned.body)
        problem = self.assertProblem(
            self.ana.post(f"/api/v1/tasks/{free_task['task_id']}/outcome", {"outcome": "no_answer"}), 403, 1101)
        self.assertIn("task is assigned to another collector", problem["detail"])
        self.assertNotIn(BETO, json.dumps(problem))
        self.assertNotIn(free_task["task_id"], worklist(self.ana))
        self.assertIn(free_task["task_id"], worklist(self.beto))
        if self.beta is not None:
            self.assertProblem(self.beta.post(f"/api/v1/tasks/{ana_task['task_id']}/outcome",
                                              {"outcome": "contacted"}), 404, 1200)
        self.assertProblem(self.beto.post("/api/v1/tasks/999999/outcome", {"outcome": "contacted"}), 404, 1200)
        done = self.beto.post(f"/api/v1/tasks/{free_task['task_id']}/outcome", {"outcome": "contacted"})
        self.assertEqual((done.status, done.json["status"]), (200, "done"), done.body)
        done = self.ana.post(f"/api/v1/tasks/{ana_task['task_id']}/outcome", {"outcome": "contacted"})
        self.assertEqual((done.status, done.json["status"]), (200, "done"), done.body)
        events = self.admin.get(f"/api/v1/audit?entity=customer&id={ana_customer}").json["data"]
        self.assertIn({"collector": ANA}, [e["after"] for e in events])

    # --- the customer list by collector ---

    def test_customers_by_collector(self):
        customers = sorted(row[0] for row in self.server.query("SELECT external_id FROM customers WHERE tenant_id = 1"))
        self.assign(customers[-1], ANA)
        self.assign(customers[-2], ANA)
        self.assign(customers[-3], BETO)

        def listed(client, collector):
            answer = client.get(f"/api/v1/customers?collector={collector}&limit=100")
            self.assertEqual(answer.status, 200, answer.body)
            self.assertFalse(answer.json["has_more"])
            return sorted({row["external_id"] for row in answer.json["data"]})

        def assigned_to(email):
            where = f"collector = '{email}'" if email else "collector IS NULL"
            return sorted(row[0] for row in self.server.query(
                f"SELECT external_id FROM customers WHERE tenant_id = 1 AND {where}"))

        users = {user["email"]: user["id"] for user in self.admin.get("/api/v1/users").json["data"]}
        mine = listed(self.ana, "me")
        self.assertEqual(mine, assigned_to(ANA))
        self.assertIn(customers[-1], mine)
        self.assertNotIn(customers[-3], mine)
        self.assertEqual(listed(self.manager, users[ANA]), mine)
        self.assertEqual(listed(self.manager, users[BETO]), assigned_to(BETO))
        unassigned = listed(self.manager, "none")
        self.assertEqual(unassigned, assigned_to(None))
        self.assertNotIn(customers[-1], unassigned)
        self.assertEqual(len(unassigned) + len(assigned_to(ANA)) + len(assigned_to(BETO)), len(customers))
        # Filters combine, and the CLI gives the same customers.
        owing = self.manager.get("/api/v1/customers?collector=none&status=with_balance&limit=100").json["data"]
        self.assertTrue({row["external_id"] for row in owing} <= set(unassigned))
        cli = json.loads(self.server.cli("customers", "--collector", "Ana@Empresa.co", "--format", "json").stdout)
        self.assertEqual(sorted({row["external_id"] for row in cli}), mine)
        cli = json.loads(self.server.cli("customers", "--collector", "none", "--format", "json").stdout)
        self.assertEqual(sorted({row["external_id"] for row in cli}), unassigned)
        # Bad values, an API key's `me`, another tenant's or a made-up user.
        self.assertProblem(self.manager.get("/api/v1/customers?collector=ana"), 400, 1008)
        problem = self.assertProblem(self.collector_key.get("/api/v1/customers?collector=me"), 400, 1008)
        self.assertEqual(problem["errors"][0]["field"], "?collector")
        self.assertIn("API key", problem["detail"] + problem["errors"][0]["detail"])
        self.assertProblem(self.manager.get("/api/v1/customers?collector=999999"), 404, 1200)
        if self.beta is not None:
            self.assertEqual(self.beta.get("/api/v1/customers?collector=none").json["data"], [])
            self.assertProblem(self.beta.get(f"/api/v1/customers?collector={users[ANA]}"), 404, 1200)


if __name__ == "__main__":
    unittest.main()
