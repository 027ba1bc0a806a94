"""The strategy editor's preview (issue 16): POST /api/v1/simulations with a
proposed strategy (checked as POST /api/v1/strategy/validate checks it,
nothing stored), what the law would block per day and in total, the script
check's problems at the JSON Pointer of the action, and the company's portal
base URL."""
import copy
import datetime
import json
import unittest

from harness import NOW, ApiTest

TODAY = NOW[:10]
CHANNELS = ("email", "sms", "whatsapp", "call", "letter")


class SimulationPreviewTest(ApiTest):
    demo_customers = 40
    serve_args = ("--rate-limit", "0", "--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.client(cls, "manager")
        cls.viewer = cls.client(cls, "viewer")
        cls.collector = cls.client(cls, "collector")
        cls.english = cls.client(cls, "manager", language="en")
        cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                       "--time-zone", "America/Bogota")
        cls.beta = cls.client(cls, "admin", tenant="beta")

    def cli_json(self, *args, tenant=None):
        return json.loads(self.server.cli(*args, tenant=tenant).stdout)

    def audit_count(self):
        return len(self.cli_json("audit", "--limit", "100000", "--format", "json"))

    def simulate(self, client=None, **body):
        answer = (client or self.manager).post("/api/v1/simulations", dict({"as_of": TODAY}, **body))
        self.assertEqual(answer.status, 200, answer.body[:500])
        return answer.json

    def assertConsistent(self, simulation, days):
        """The per-day counts add up to the totals, and to the contact list."""
        per_day = simulation["per_day"]
        self.assertGreaterEqual(len(per_day), days)
        self.assertEqual(per_day[0]["day"], TODAY)
        self.assertEqual([d["day"] for d in per_day], sorted({d["day"] for d in per_day}))
        totals = simulation["totals"]
        for channel in CHANNELS:
            self.assertEqual(sum(d["contacts"][channel] for d in per_day), totals["contacts"][channel], channel)
            self.assertEqual(totals["contacts"][channel],
                             sum(1 for c in simulation["data"] if c["channel"] == channel), channel)
        for day in per_day:
            self.assertEqual(sum(1 for c in simulation["data"] if c["day"] == day["day"]),
                             sum(day["contacts"].values()), day["day"])
        for kind in ("blocked", "deferred"):
            self.assertEqual(sum(d[kind]["count"] for d in per_day), totals[kind]["count"], kind)
            reasons = {}
            for day in per_day:
                self.assertEqual(sum(day[kind]["by_reason"].values()), day[kind]["count"], (kind, day))
                for code, count in day[kind]["by_reason"].items():
                    reasons[code] = reasons.get(code, 0) + count
            self.assertEqual(reasons, totals[kind]["by_reason"], kind)
            self.assertEqual(sum(reasons.values()), totals[kind]["count"], kind)

    def with_sms_stage(self, strategy):
        """The strategy with one more stage: an SMS three days past due."""
        proposed = copy.deepcopy(strategy)
        proposed["name"] = "Vista previa"
        index = next(i for i, stage in enumerate(proposed["stages"]) if stage["day"] > 3)
        proposed["stages"].insert(index, {"key": "overdue_3", "day": 3, "actions": [
            {"type": "message", "channel": "sms", "template": "overdue_1", "tone": "cordial"}]})
        return proposed

    # --- the preview -----------------------------------------------------------

    def test_saved_strategy_preview_has_counts(self):
        simulation = self.simulate(days=30)
        self.assertEqual((simulation["object"], simulation["has_more"]), ("list", False))
        self.assertFalse(simulation["proposed"])
        self.assertEqual(simulation["strategy_name"], self.viewer.get("/api/v1/strategy").json["name"])
        # Every simulated day, in order; after them only days a deferral
        # moved a contact to.
        days = [d["day"] for d in simulation["per_day"]]
        self.assertEqual(days[:30], [(datetime.date.fromisoformat(TODAY) + datetime.timedelta(days=n)).isoformat()
                                     for n in range(30)])
        self.assertTrue(all(sum(d["contacts"].values()) > 0 for d in simulation["per_day"][30:]))
        self.assertGreater(len(simulation["data"]), 0)
        # The contacts stay the ones `cartera simulate` prints.
        self.assertEqual(simulation["data"],
                         self.cli_json("simulate", "--days", "30", "--as-of", TODAY, "--format", "json"))
        self.assertConsistent(simulation, 30)
        # Over a month of demo portfolio the law stops something (closed days
        # and hours at least), and says why.
        stopped = simulation["totals"]["blocked"]["count"] + simulation["totals"]["deferred"]["count"]
        self.assertGreater(stopped, 0, simulation["totals"])
        for kind in ("blocked", "deferred"):
            for code in simulation["totals"][kind]["by_reason"]:
                self.assertRegex(code, r"^[a-z_]+$")

    def test_proposed_strategy_with_more_sms_is_previewed_not_saved(self):
        got = self.viewer.get("/api/v1/strategy")
        saved, etag = got.json, got.header("etag")
        audits = self.audit_count()
        before = self.simulate(days=90)
        proposed = self.with_sms_stage(saved)
        after = self.simulate(days=90, strategy=proposed)
        self.assertTrue(after["proposed"])
        self.assertEqual(after["strategy_name"], "Vista previa")
        self.assertConsistent(after, 90)
        self.assertGreater(after["totals"]["contacts"]["sms"], before["totals"]["contacts"]["sms"])
        self.assertTrue(any(c["stage"] == "overdue_3" and c["channel"] == "sms" for c in after["data"]))
        self.assertFalse(any(c["stage"] == "overdue_3" for c in before["data"]))
        # Nothing stored: the strategy, its tag, the outbox and the audit log as they were.
        again = self.viewer.get("/api/v1/strategy")
        self.assertEqual((again.json, again.header("etag")), (saved, etag))
        self.assertEqual(json.loads(self.server.cli("policy", "export").stdout), saved)
        self.assertEqual(self.viewer.get("/api/v1/outbox").json["data"], [])
        self.assertEqual(self.audit_count(), audits)
        # The same body without a strategy is the saved one's simulation again.
        self.assertEqual(self.simulate(days=90), before)
        # Another tenant previews over its own (empty) portfolio.
        beta = self.simulate(self.beta, days=10, strategy=proposed)
        self.assertEqual((beta["data"], beta["totals"]["contacts"]["sms"], beta["strategy_name"]),
                         ([], 0, "Vista previa"))
        self.assertEqual(self.beta.get("/api/v1/strategy").json["name"], "default")

    def test_invalid_proposed_strategy_is_refused_at_its_pointers(self):
        saved = self.viewer.get("/api/v1/strategy").json
        broken = copy.deepcopy(saved)
        broken["stages"][1]["actions"][0]["channel"] = "fax"
        problem = self.assertProblem(self.manager.post("/api/v1/simulations",
                                                       {"days": 10, "strategy": broken}), 422, 1000)
        self.assertEqual(problem["errors"][0]["field"], "/strategy/stages/1/actions/0/channel")
        # The same problem POST /api/v1/strategy/validate reports, under /strategy.
        checked = self.manager.post("/api/v1/strategy/validate", broken).json
        self.assertEqual(checked["problems"][0]["field"], "/stages/1/actions/0/channel")
        self.assertEqual(checked["problems"][0]["detail"], problem["errors"][0]["detail"])
        # A tone no script is written in: the action's tone.
        toneless = copy.deepcopy(saved)
        toneless["stages"][4]["actions"][0]["tone"] = "severo"
        problem = self.assertProblem(self.english.post("/api/v1/simulations",
                                                       {"days": 10, "strategy": toneless}), 422, 1000)
        self.assertEqual(problem["errors"][0]["field"], "/strategy/stages/4/actions/0/tone")
        self.assertIn("no script", problem["errors"][0]["detail"])
        # An unknown script: the action's template.
        unscripted = copy.deepcopy(saved)
        unscripted["stages"][2]["actions"][0]["template"] = "recordatorio"
        problem = self.assertProblem(self.manager.post("/api/v1/simulations",
                                                       {"days": 10, "strategy": unscripted}), 422, 1000)
        self.assertEqual(problem["errors"][0]["field"], "/strategy/stages/2/actions/0/template")
        # No stages at all; not an object.
        problem = self.assertProblem(self.manager.post("/api/v1/simulations",
                                                       {"days": 10, "strategy": {"name": "x", "stages": []}}), 422)
        self.assertTrue(problem["errors"][0]["field"].startswith("/strategy"), problem)
        problem = self.assertProblem(self.manager.post("/api/v1/simulations", {"days": 10, "strategy": []}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/strategy")
        # Body problems are still the body's.
        problem = self.assertProblem(self.manager.post("/api/v1/simulations", {"strategy": saved}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/days")
        # Roles: a collector cannot simulate, with or without a strategy.
        self.assertProblem(self.collector.post("/api/v1/simulations", {"days": 5, "strategy": saved}), 403, 1101)
        self.assertProblem(self.viewer.post("/api/v1/simulations", {"days": 5}), 403, 1101)

    def test_validation_points_at_the_action_of_a_script_problem(self):
        saved = self.viewer.get("/api/v1/strategy").json
        toneless = copy.deepcopy(saved)
        toneless["stages"][4]["actions"][0]["tone"] = "severo"
        checked = self.english.post("/api/v1/strategy/validate", toneless).json
        self.assertFalse(checked["valid"])
        self.assertEqual(checked["problems"][0]["field"], "/stages/4/actions/0/tone")
        self.assertIn("no script overdue_7 in tone 'severo'", checked["problems"][0]["detail"])
        refused = self.assertProblem(self.manager.put("/api/v1/strategy", toneless,
                                                      headers={"If-Match": self.viewer.get("/api/v1/strategy")
                                                               .header("etag")}), 422, 1000)
        self.assertEqual(refused["errors"][0]["field"], "/stages/4/actions/0/tone")
        self.assertIn("no hay guion", refused["errors"][0]["detail"])
        broken_promise = copy.deepcopy(saved)
        broken_promise["broken_promise"]["actions"][1]["tone"] = "severo"
        checked = self.manager.post("/api/v1/strategy/validate", broken_promise).json
        self.assertEqual(checked["problems"][0]["field"], "/broken_promise/actions/1/tone")
        self.assertEqual(self.viewer.get("/api/v1/strategy").json, saved)

    # --- the company's portal base URL -----------------------------------------

    def test_company_portal_base_url(self):
        got = self.viewer.get("/api/v1/company")
        self.assertEqual(got.json["portal_base_url"], "")
        self.assertEqual(got.json, self.cli_json("company", "show", "--format", "json"))
        # What `cartera channel set-portal` stores is what the profile shows.
        self.server.cli("channel", "set-portal", "--base-url", "https://cobros.andina.co/")
        got = self.viewer.get("/api/v1/company")
        self.assertEqual(got.json["portal_base_url"], "https://cobros.andina.co")
        patched = self.admin.patch("/api/v1/company", {"portal_base_url": "https://pagos.andina.co/cartera/"},
                                   headers={"If-Match": got.header("etag")})
        self.assertEqual(patched.status, 200, patched.body)
        self.assertEqual(patched.json["portal_base_url"], "https://pagos.andina.co/cartera")
        self.assertNotEqual(patched.header("etag"), got.header("etag"))
        self.assertEqual(self.viewer.get("/api/v1/company").json, patched.json)
        self.assertEqual(self.cli_json("company", "show", "--format", "json")["portal_base_url"],
                         "https://pagos.andina.co/cartera")
        # Portal links are built on it.
        link = self.server.cli("portal", "link", self.cli_json("customers", "--format", "json")[0]["external_id"])
        self.assertTrue(link.stdout.strip().startswith("https://pagos.andina.co/cartera/p/"), link.stdout)
        rows = [row for row in self.cli_json("audit", "--entity", "channel", "--limit", "1000", "--format", "json")
                if row["after"] and row["after"].get("channel") == "portal"]
        self.assertEqual(rows[0]["after"]["base_url"], "https://pagos.andina.co/cartera")
        self.assertEqual(rows[0]["before"]["base_url"], "https://cobros.andina.co")
        # Bad URLs, at the field; nothing changes.
        for bad in ("ftp://cobros.andina.co", "cobros.andina.co", "https://cobros.andina.co/?ref=1",
                    "https://cobros.andina.co/#pago", "https://", "https://cobros andina.co", "", 7):
            problem = self.assertProblem(self.admin.patch("/api/v1/company", {"portal_base_url": bad}), 422)
            self.assertEqual([e["field"] for e in problem["errors"]], ["/portal_base_url"], bad)
        # A change the profile refuses stores no URL either.
        self.assertProblem(self.admin.patch("/api/v1/company", {"name": "", "portal_base_url": "https://otra.co"}), 422)
        # An admin's setting: a manager is refused.
        self.assertProblem(self.manager.patch("/api/v1/company", {"portal_base_url": "https://x.co"}), 403, 1101)
        self.assertEqual(self.viewer.get("/api/v1/company").json["portal_base_url"], "https://pagos.andina.co/cartera")
        # Another tenant's is its own.
        self.assertEqual(self.beta.get("/api/v1/company").json["portal_base_url"], "")
        answer = self.beta.patch("/api/v1/company", {"portal_base_url": "http://127.0.0.1:8080"})
        self.assertEqual(answer.json["portal_base_url"], "http://127.0.0.1:8080")
        self.assertEqual(self.viewer.get("/api/v1/company").json["portal_base_url"], "https://pagos.andina.co/cartera")


if __name__ == "__main__":
    unittest.main()
