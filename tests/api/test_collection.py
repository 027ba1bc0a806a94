"""The collection work: runs, the outbox, the worklist and call outcomes,
promises, disputes, segments, explain, timeline and the simulator."""
import json
import sqlite3
import subprocess
import unittest

from harness import BACKEND, NOW, ApiTest

TODAY = NOW[:10]


class CollectionTest(ApiTest):
    demo_customers = 40
    # No scheduled run and no delivery: what the outbox holds is what the tests did.
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.client(cls, "manager")
        cls.collector = cls.client(cls, "collector")
        cls.viewer = cls.client(cls, "viewer")
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = cls.client(cls, "admin", tenant="beta")

    def run_once(self):
        answer = self.manager.post("/api/v1/runs", {"as_of": TODAY})
        self.assertEqual(answer.status, 200, answer.body)
        return answer.json

    def cli_json(self, *args):
        return json.loads(self.server.cli(*args).stdout)

    def audit(self, entity, entity_id):
        """The entity's audit events, oldest first."""
        events = self.cli_json("audit", "--entity", entity, "--limit", "1000", "--format", "json")
        return [e for e in reversed(events) if str(e["entity_id"]) == str(entity_id)]

    def other_tenant(self):
        if self.beta is None:
            self.skipTest("`cartera tenant create` is not there yet: the other tenant's part is not checked")
        return self.beta

    def set_outbox_status(self, item_id, status):
        """What a worker that died mid-send leaves: no route sets it."""
        if BACKEND == "sqlite":
            with sqlite3.connect(self.server.db) as database:
                database.execute("UPDATE outbox SET status = ? WHERE id = ?", (status, int(item_id)))
        else:
            subprocess.run(["psql", "-q", "-d", self.server.db, "-c",
                            f"UPDATE outbox SET status = '{status}' WHERE id = {int(item_id)}"],
                           check=True, capture_output=True)

    def owing_customer(self):
        rows = self.admin.get(f"/api/v1/segments?as_of={TODAY}").json["data"]
        return rows[0]["external_id"]

    # --- runs ---

    def test_run_plans_then_runs_once(self):
        dry = self.manager.post("/api/v1/runs", {"as_of": TODAY, "dry_run": True})
        self.assertEqual(dry.status, 200, dry.body)
        self.assertTrue(dry.json["dry_run"])
        self.assertEqual(len(dry.json["plan"]), dry.json["planned"])
        self.assertGreater(dry.json["customers"], 0)
        # The plan is the one `cartera run --dry-run --format json` prints.
        self.assertEqual(dry.json, self.cli_json("run", "--dry-run", "--as-of", TODAY, "--format", "json"))
        first = self.run_once()
        self.assertFalse(first["dry_run"])
        self.assertNotIn("plan", first)
        outbox = self.admin.get("/api/v1/outbox?limit=100").json["data"]
        self.assertGreater(len(outbox), 0)
        # Idempotent: running the same day again adds nothing.
        again = self.run_once()
        self.assertEqual(again["added"], 0)
        self.assertEqual(len(self.admin.get("/api/v1/outbox?limit=100").json["data"]), len(outbox))

    def test_run_refuses_bad_input_and_lower_roles(self):
        problem = self.assertProblem(self.manager.post("/api/v1/runs", {"as_of": "2026-13-01", "dry_run": "yes",
                                                                         "everyone": True}), 422)
        fields = {error["field"] for error in problem["errors"]}
        self.assertEqual(fields, {"/as_of", "/dry_run", "/everyone"})
        self.assertProblem(self.collector.post("/api/v1/runs", {"dry_run": True}), 403, 1101)
        self.assertProblem(self.viewer.post("/api/v1/runs", {"dry_run": True}), 403, 1101)

    def test_another_tenant_runs_its_own_portfolio(self):
        self.run_once()
        beta = self.other_tenant()
        answer = beta.post("/api/v1/runs", {"dry_run": True})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["customers"], 0)
        self.assertEqual(beta.get("/api/v1/outbox").json["data"], [])

    # --- the simulator ---

    def test_simulation_is_the_clis(self):
        answer = self.manager.post("/api/v1/simulations", {"days": 5, "as_of": TODAY})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertGreater(len(answer.json["data"]), 0)
        self.assertEqual(answer.json["data"],
                         self.cli_json("simulate", "--days", "5", "--as-of", TODAY, "--format", "json"))
        self.assertTrue(all(row["day"] >= TODAY for row in answer.json["data"]))
        problem = self.assertProblem(self.manager.post("/api/v1/simulations", {"days": 0}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/days")
        problem = self.assertProblem(self.manager.post("/api/v1/simulations", {"as_of": TODAY}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/days")
        self.assertProblem(self.manager.post("/api/v1/simulations", {"days": 5000}), 422)
        self.assertProblem(self.collector.post("/api/v1/simulations", {"days": 5}), 403, 1101)

    # --- the outbox ---

    def test_outbox_filters_and_pages(self):
        self.run_once()
        everything = self.viewer.get("/api/v1/outbox?limit=100").json["data"]
        first = self.viewer.get("/api/v1/outbox?limit=5")
        self.assertEqual(len(first.json["data"]), 5)
        self.assertTrue(first.json["has_more"])
        second = self.viewer.get(f"/api/v1/outbox?limit=5&starting_after={first.json['data'][-1]['id']}")
        self.assertEqual([item["id"] for item in first.json["data"] + second.json["data"]],
                         [item["id"] for item in everything[:10]])
        # The same items `cartera outbox --format json` lists.
        self.assertEqual(everything, self.cli_json("outbox", "--format", "json", "--limit", "100")[:100])
        calls = self.viewer.get("/api/v1/outbox?channel=call&limit=100").json["data"]
        self.assertTrue(calls and all(item["channel"] == "call" for item in calls))
        queued = self.viewer.get("/api/v1/outbox?status=open&limit=100").json["data"]
        self.assertTrue(all(item["status"] == "open" for item in queued))
        customer = everything[0]["customer_external_id"]
        mine = self.viewer.get(f"/api/v1/outbox?customer={customer}").json["data"]
        self.assertTrue(mine and all(item["customer_external_id"] == customer for item in mine))
        for query, field in (("status=lost", "?status"), ("channel=fax", "?channel"), ("limit=0", "?limit")):
            problem = self.assertProblem(self.viewer.get(f"/api/v1/outbox?{query}"), 400, 1008)
            self.assertEqual(problem["errors"][0]["field"], field)

    def test_outbox_resolve(self):
        self.run_once()
        item = self.admin.get("/api/v1/outbox?status=queued&limit=1").json["data"][0]
        # Only an item whose delivery is unknown can be settled.
        self.assertProblem(self.manager.post(f"/api/v1/outbox/{item['id']}/resolve", {"resolution": "sent"}), 409, 1300)
        problem = self.assertProblem(self.manager.post(f"/api/v1/outbox/{item['id']}/resolve", {"resolution": "maybe"}),
                                     422)
        self.assertEqual(problem["errors"][0]["field"], "/resolution")
        self.assertProblem(self.collector.post(f"/api/v1/outbox/{item['id']}/resolve", {"resolution": "sent"}), 403,
                           1101)
        self.assertProblem(self.manager.post("/api/v1/outbox/999999/resolve", {"resolution": "sent"}), 404, 1200)
        self.assertProblem(self.manager.post("/api/v1/outbox/abc/resolve", {"resolution": "sent"}), 404, 1200)
        self.set_outbox_status(item["id"], "unknown")
        if self.beta is not None:
            self.assertProblem(self.beta.post(f"/api/v1/outbox/{item['id']}/resolve", {"resolution": "sent"}), 404, 1200)
        answer = self.manager.post(f"/api/v1/outbox/{item['id']}/resolve", {"resolution": "resend"})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["id"], item["id"])
        self.assertEqual(answer.json["status"], "queued")
        events = self.audit("message", item["id"])
        self.assertTrue(events, "the resolution is in the audit log")

    # --- the worklist and call outcomes ---

    def test_worklist_and_task_outcomes(self):
        self.run_once()
        tasks = self.viewer.get("/api/v1/worklist?limit=100").json["data"]
        self.assertGreater(len(tasks), 0)
        self.assertEqual(tasks, self.cli_json("worklist", "--format", "json", "--limit", "100"))
        impacts = [float(task["expected_impact"]["amount"]) for task in tasks]
        self.assertEqual(impacts, sorted(impacts, reverse=True))
        one = self.viewer.get("/api/v1/worklist?limit=1").json
        self.assertEqual(len(one["data"]), 1)
        self.assertEqual(one["has_more"], len(tasks) > 1)
        task = tasks[-1]["task_id"]
        self.assertProblem(self.viewer.post(f"/api/v1/tasks/{task}/outcome", {"outcome": "contacted"}), 403, 1101)
        problem = self.assertProblem(self.collector.post(f"/api/v1/tasks/{task}/outcome", {"outcome": "promise"}), 422)
        self.assertEqual({e["field"] for e in problem["errors"]}, {"/promise_date", "/promise_amount"})
        problem = self.assertProblem(self.collector.post(f"/api/v1/tasks/{task}/outcome", {"outcome": "dispute"}), 422)
        self.assertEqual([e["field"] for e in problem["errors"]], ["/reason"])
        self.assertProblem(self.collector.post(f"/api/v1/tasks/{task}/outcome", {"outcome": "shouted"}), 422, 1000)
        if self.beta is not None:
            self.assertProblem(self.beta.post(f"/api/v1/tasks/{task}/outcome", {"outcome": "contacted"}), 404, 1200)
        done = self.collector.post(f"/api/v1/tasks/{task}/outcome", {"outcome": "contacted"})
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual((done.json["id"], done.json["status"], done.json["action"]), (str(task), "done", "call_task"))
        self.assertProblem(self.collector.post(f"/api/v1/tasks/{task}/outcome", {"outcome": "contacted"}), 422, 1000)
        self.assertNotIn(task, [t["task_id"] for t in self.viewer.get("/api/v1/worklist?limit=100").json["data"]])
        events = self.audit("task", task)
        self.assertTrue(events and events[-1]["source"] == "api", events)

    def test_task_outcome_promise_is_recorded(self):
        self.run_once()
        task = self.viewer.get("/api/v1/worklist?limit=100").json["data"][0]
        before = len(self.viewer.get("/api/v1/promises").json["data"])
        done = self.collector.post(f"/api/v1/tasks/{task['task_id']}/outcome",
                                   {"outcome": "promise", "promise_date": "2026-12-01", "promise_amount": "1000"})
        self.assertEqual(done.status, 200, done.body)
        promises = self.viewer.get(f"/api/v1/promises?customer={task['customer_external_id']}").json["data"]
        self.assertEqual(len(self.viewer.get("/api/v1/promises").json["data"]), before + 1)
        self.assertIn(f"task {task['task_id']}", [p["source"] for p in promises])

    def test_assign_task(self):
        self.run_once()
        task = self.viewer.get("/api/v1/worklist?limit=100").json["data"][1]["task_id"]
        self.assertProblem(self.collector.post(f"/api/v1/tasks/{task}/assign", {"collector": "ana"}), 403, 1101)
        problem = self.assertProblem(self.manager.post(f"/api/v1/tasks/{task}/assign", {}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/collector")
        self.assertEqual(self.manager.post(f"/api/v1/tasks/{task}/assign", {"collector": "ana"}).status, 200)
        mine = self.viewer.get("/api/v1/worklist?collector=ana").json["data"]
        self.assertEqual([t["task_id"] for t in mine], [task])
        self.assertEqual(mine[0]["assignee"], "ana")
        if self.beta is not None:
            self.assertProblem(self.beta.post(f"/api/v1/tasks/{task}/assign", {"collector": "x"}), 404, 1200)

    # --- promises ---

    def test_promises(self):
        customer = self.owing_customer()
        self.assertProblem(self.viewer.post("/api/v1/promises", {"customer": customer, "date": "2026-12-05",
                                                                 "amount": "1000"}), 403, 1101)
        problem = self.assertProblem(self.collector.post("/api/v1/promises", {"customer": customer, "date": "mañana",
                                                                              "amount": "mucho"}), 422)
        self.assertEqual({e["field"] for e in problem["errors"]}, {"/date", "/amount"})
        problem = self.assertProblem(self.collector.post("/api/v1/promises", {"customer": customer,
                                                                              "date": "2026-11-01", "amount": "1000"}),
                                     422, 1000)
        self.assertIn("2026-11-01", problem["detail"])
        self.assertProblem(self.collector.post("/api/v1/promises", {"customer": "NADIE", "date": "2026-12-05",
                                                                    "amount": "1000"}), 404, 1200)
        added = self.collector.post("/api/v1/promises", {"customer": customer, "date": "2026-12-05",
                                                         "amount": "1250.50", "note": "llamó\nel gerente"})
        self.assertEqual(added.status, 201, added.body)
        promise = added.json
        self.assertEqual((promise["customer_external_id"], promise["promised_date"], promise["amount"],
                          promise["status"], promise["source"], promise["note"]),
                         (customer, "2026-12-05", {"amount": "1250.50", "currency": "COP"}, "open", "api",
                          "llamó\nel gerente"))
        listed = self.viewer.get(f"/api/v1/promises?customer={customer}&status=open").json["data"]
        self.assertIn(promise, listed)
        self.assertIn(promise, self.cli_json("promise", "list", "--format", "json"))
        self.assertEqual(self.viewer.get(f"/api/v1/promises/{promise['id']}").json, promise)
        self.assertProblem(self.viewer.get("/api/v1/promises?status=forgotten"), 400, 1008)
        beta = self.beta
        if beta is not None:
            self.assertProblem(beta.get(f"/api/v1/promises/{promise['id']}"), 404, 1200)
            self.assertProblem(beta.post(f"/api/v1/promises/{promise['id']}/cancel"), 404, 1200)
            self.assertProblem(beta.post("/api/v1/promises", {"customer": customer, "date": "2026-12-05",
                                                              "amount": "1000"}), 404, 1200)
            self.assertEqual(beta.get("/api/v1/promises").json["data"], [])
        self.assertProblem(self.viewer.post(f"/api/v1/promises/{promise['id']}/cancel"), 403, 1101)
        cancelled = self.collector.post(f"/api/v1/promises/{promise['id']}/cancel")
        self.assertEqual(cancelled.status, 200, cancelled.body)
        self.assertEqual(cancelled.json["status"], "cancelled")
        self.assertProblem(self.collector.post(f"/api/v1/promises/{promise['id']}/cancel"), 422, 1000)
        events = self.audit("promise", promise["id"])
        self.assertEqual([e["action"] for e in events], ["create", "update"], events)
        self.assertEqual({e["source"] for e in events}, {"api"})

    def test_messages_follow_accept_language(self):
        spanish = self.client("collector", language="es")
        problem = self.assertProblem(spanish.post("/api/v1/promises", {"customer": "NADIE", "date": "2026-12-05",
                                                                       "amount": "1000"}), 404, 1200)
        self.assertIn("no hay un cliente", problem["detail"])
        english = self.client("collector", language="en")
        problem = self.assertProblem(english.post("/api/v1/disputes/999999/resolve", {"outcome": "rejected",
                                                                                      "resolution": "x"}), 404, 1200)
        self.assertIn("no dispute", problem["detail"])

    # --- disputes ---

    def test_disputes(self):
        invoices = [i for i in self.cli_json("invoices", "--format", "json") if i["status"] != "paid"]
        invoice = invoices[-1]["external_id"]
        self.assertProblem(self.viewer.post("/api/v1/disputes", {"invoice": invoice, "reason": "other"}), 403, 1101)
        problem = self.assertProblem(self.collector.post("/api/v1/disputes", {"invoice": invoice}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/reason")
        self.assertProblem(self.collector.post("/api/v1/disputes", {"invoice": "NO-EXISTE", "reason": "other"}), 404, 1200)
        opened = self.collector.post("/api/v1/disputes", {"invoice": invoice, "reason": "not_received",
                                                          "text": "no recibió la mercancía"})
        self.assertEqual(opened.status, 201, opened.body)
        dispute = opened.json
        self.assertEqual((dispute["invoice_external_id"], dispute["reason"], dispute["text"], dispute["status"],
                          dispute["resolution"]), (invoice, "not_received", "no recibió la mercancía", "open", ""))
        self.assertEqual(dispute["opened_at"], NOW)
        self.assertProblem(self.collector.post("/api/v1/disputes", {"invoice": invoice, "reason": "other"}), 422, 1000)
        self.assertIn(dispute, self.viewer.get("/api/v1/disputes?status=open").json["data"])
        self.assertNotIn(dispute["id"], [d["id"] for d in self.viewer.get("/api/v1/disputes?status=resolved").json["data"]])
        self.assertIn(dispute["id"], [d["id"] for d in self.cli_json("dispute", "list", "--format", "json")])
        beta = self.beta
        if beta is not None:
            self.assertProblem(beta.get(f"/api/v1/disputes/{dispute['id']}"), 404, 1200)
            self.assertProblem(beta.post(f"/api/v1/disputes/{dispute['id']}/resolve", {"outcome": "rejected",
                                                                                      "resolution": "x"}), 404, 1200)
            self.assertProblem(beta.post("/api/v1/disputes", {"invoice": invoice, "reason": "other"}), 404, 1200)
        problem = self.assertProblem(self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                                         {"outcome": "rejected"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/resolution")
        resolved = self.collector.post(f"/api/v1/disputes/{dispute['id']}/resolve",
                                       {"outcome": "rejected", "resolution": "entregada"})
        self.assertEqual(resolved.status, 200, resolved.body)
        self.assertEqual((resolved.json["dispute"]["status"], resolved.json["dispute"]["resolution"]),
                         ("resolved", "entregada"))
        self.assertEqual(self.viewer.get(f"/api/v1/disputes/{dispute['id']}").json, resolved.json["dispute"])
        events = self.audit("dispute", dispute["id"])
        self.assertEqual([e["action"] for e in events], ["create", "update"], events)

    # --- segments, explain, timeline ---

    def test_segments(self):
        rows = self.viewer.get(f"/api/v1/segments?as_of={TODAY}").json["data"]
        self.assertGreater(len(rows), 10)
        self.assertEqual(rows, self.cli_json("segments", "--as-of", TODAY, "--format", "json"))
        risky = self.viewer.get(f"/api/v1/segments?as_of={TODAY}&segment=high_risk").json["data"]
        self.assertEqual(risky, [r for r in rows if r["segment"] == "high_risk"])
        problem = self.assertProblem(self.viewer.get("/api/v1/segments?as_of=ayer"), 400, 1008)
        self.assertEqual(problem["errors"][0]["field"], "?as_of")
        self.assertProblem(self.viewer.get("/api/v1/segments?segment=vip"), 400, 1008)
        if self.beta is not None:
            self.assertEqual(self.beta.get(f"/api/v1/segments?as_of={TODAY}").json["data"], [])

    def test_explain(self):
        customer = self.owing_customer()
        answer = self.viewer.get(f"/api/v1/customers/{customer}/explain?as_of={TODAY}")
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["customer"]["external_id"], customer)
        self.assertEqual([c["channel"] for c in answer.json["channels"]], ["email", "sms", "whatsapp", "call", "letter"])
        self.assertTrue(answer.json["rulebook"].startswith("CO "))
        cli = json.loads(self.server.cli("--lang", "en", "explain", customer, "--as-of", TODAY, "--format",
                                         "json").stdout)
        english = self.client("viewer", language="en").get(f"/api/v1/customers/{customer}/explain?as_of={TODAY}")
        self.assertEqual(english.json, cli)
        self.assertProblem(self.viewer.get("/api/v1/customers/NADIE/explain"), 404, 1200)
        self.assertProblem(self.viewer.get(f"/api/v1/customers/{customer}/explain?as_of=2026-02-30"), 400, 1008)
        if self.beta is not None:
            self.assertProblem(self.beta.get(f"/api/v1/customers/{customer}/explain"), 404, 1200)

    def test_explain_words_follow_accept_language(self):
        # A Sunday: the law defers some contacts, and the reason is a sentence.
        sunday = "2026-11-22"
        plan = self.manager.post("/api/v1/runs", {"as_of": sunday, "dry_run": True}).json
        spanish_client = self.client("viewer", language="es")
        english_client = self.client("viewer", language="en")
        for row in self.viewer.get(f"/api/v1/segments?as_of={sunday}").json["data"]:
            spanish = spanish_client.get(f"/api/v1/customers/{row['external_id']}/explain?as_of={sunday}").json
            if any(entry["detail"] for entry in spanish["log"]):
                english = english_client.get(f"/api/v1/customers/{row['external_id']}/explain?as_of={sunday}").json
                self.assertNotEqual([e["detail"] for e in spanish["log"]], [e["detail"] for e in english["log"]])
                return
        self.skipTest(f"no customer with a logged reason (plan: deferred {plan['deferred']}, blocked "
                      f"{plan['blocked']}, skipped {plan['skipped']})")

    def test_timeline(self):
        self.run_once()
        customer = self.admin.get("/api/v1/outbox?limit=1").json["data"][0]["customer_external_id"]
        answer = self.viewer.get(f"/api/v1/customers/{customer}/timeline")
        self.assertEqual(answer.status, 200, answer.body)
        self.assertTrue(any(entry["source"] == "outbox" for entry in answer.json["data"]))
        self.assertEqual(answer.json["data"], self.cli_json("timeline", customer, "--format", "json"))
        self.assertProblem(self.viewer.get("/api/v1/customers/NADIE/timeline"), 404, 1200)
        if self.beta is not None:
            self.assertProblem(self.beta.get(f"/api/v1/customers/{customer}/timeline"), 404, 1200)


if __name__ == "__main__":
    unittest.main()
