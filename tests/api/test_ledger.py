"""The ledger and its reports: customers, contact points and consent,
invoices, CSV imports, aging, statements, the summary and the audit log."""
import json
import unittest

from harness import NOW, ApiTest, Client


class LedgerTest(ApiTest):
    demo_customers = 40

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"))
        cls.collector = Client(cls.server, cls.server.api_key("collector"))
        cls.manager = Client(cls.server, cls.server.api_key("manager"))
        # Tenant B, for the "another tenant's id is a 404" checks.
        cls.beta = None
        created = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                                 "--time-zone", "America/Bogota", check=False)
        if created.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"))

    def cli_json(self, *args):
        return json.loads(self.server.cli(*args, "--format", "json").stdout)

    def a_debtor(self):
        rows = self.cli_json("customers", "--status", "with_balance", "--limit", "1")
        return rows[0]["external_id"]

    # Customers.

    def test_customer_list_is_the_cli_list_paged(self):
        cli = self.cli_json("customers", "--limit", "5")
        first = self.viewer.get("/api/v1/customers?limit=5")
        self.assertEqual(first.status, 200, first.body)
        self.assertEqual(first.json["object"], "list")
        self.assertEqual(first.json["data"], cli)
        self.assertTrue(first.json["has_more"])
        after = cli[-1]["external_id"]
        second = self.viewer.get(f"/api/v1/customers?limit=5&starting_after={after}")
        self.assertEqual(second.json["data"], self.cli_json("customers", "--limit", "5", "--starting-after", after))
        self.assertNotIn(after, [row["external_id"] for row in second.json["data"]])

    def test_customer_list_filters_and_sort(self):
        owing = self.viewer.get("/api/v1/customers?status=with_balance&sort=balance&currency=COP&limit=100")
        self.assertEqual(owing.status, 200, owing.body)
        self.assertEqual(owing.json["data"], self.cli_json("customers", "--status", "with_balance", "--sort", "balance",
                                                           "--currency", "COP", "--limit", "100"))
        self.assertTrue(all(row["open_invoices"] > 0 for row in owing.json["data"]))

    def test_customer_list_bad_parameters_name_the_parameter(self):
        english = Client(self.server, self.viewer.key, language="en")
        for query, field in [("sort=shoe_size", "?sort"), ("limit=0", "?limit"), ("limit=101", "?limit"),
                             ("currency=XXQ", "?currency"), ("min_amount=10", "?min_amount"),
                             ("as_of=2026-13-01", "?as_of"), ("status=late", "?status"), ("country=colombia", "?country")]:
            problem = self.assertProblem(english.get(f"/api/v1/customers?{query}"), 400, 1008)
            self.assertEqual(problem["errors"][0]["field"], field, query)
        self.assertProblem(english.get("/api/v1/customers?starting_after=NOPE-1"), 404, 1200)

    def test_one_customer_with_balances_contacts_and_etag(self):
        debtor = self.a_debtor()
        answer = self.viewer.get(f"/api/v1/customers/{debtor}")
        self.assertEqual(answer.status, 200, answer.body)
        record = answer.json
        self.assertEqual(record["external_id"], debtor)
        self.assertGreater(record["open_invoices"], 0)
        row = self.cli_json("customers", "--starting-after", "", "--limit", "100")
        listed = [r for r in row if r["external_id"] == debtor]
        self.assertEqual(record["balances"][0]["open"], listed[0]["open"])
        self.assertTrue(record["contact_points"])
        self.assertTrue(answer.header("etag").startswith('"'))
        self.assertProblem(self.viewer.get("/api/v1/customers/NOPE-404"), 404, 1200)

    def test_patch_customer_with_if_match_and_audit(self):
        target = "CLI-000003"
        current = self.manager.get(f"/api/v1/customers/{target}")
        etag = current.header("etag")
        # A stale tag is a 412.
        self.assertProblem(self.manager.patch(f"/api/v1/customers/{target}", {"name": "X"},
                                              headers={"If-Match": '"stale"'}), 412, 1303)
        changed = self.manager.patch(f"/api/v1/customers/{target}",
                                     {"name": "Farmacia Renombrada S.A.S.", "address": "Calle 1 # 2-3"},
                                     headers={"If-Match": etag})
        self.assertEqual(changed.status, 200, changed.body)
        self.assertEqual(changed.json["name"], "Farmacia Renombrada S.A.S.")
        self.assertEqual(changed.json["address"], "Calle 1 # 2-3")
        self.assertNotEqual(changed.header("etag"), etag)
        self.assertEqual(self.viewer.get(f"/api/v1/customers/{target}").json["name"], "Farmacia Renombrada S.A.S.")
        # The old tag no longer matches.
        self.assertProblem(self.manager.patch(f"/api/v1/customers/{target}", {"name": "Y"},
                                              headers={"If-Match": etag}), 412, 1303)
        events = self.viewer.get(f"/api/v1/audit?entity=customer&id={target}&limit=5").json["data"]
        self.assertEqual(events[0]["action"], "update")
        self.assertEqual(events[0]["after"]["name"], "Farmacia Renombrada S.A.S.")
        self.assertTrue(events[0]["actor"].startswith("key:") or "api" in events[0]["source"], events[0])
        # null clears an optional field.
        cleared = self.manager.patch(f"/api/v1/customers/{target}", {"address": None})
        self.assertIsNone(cleared.json["address"])

    def test_patch_customer_refuses_bad_fields_with_their_pointers(self):
        english = Client(self.server, self.manager.key, language="en")
        problem = self.assertProblem(english.patch("/api/v1/customers/CLI-000004",
                                                   {"country": "Colombia", "shoe_size": 42}), 422)
        fields = {e["field"] for e in problem["errors"]}
        self.assertIn("/shoe_size", fields)
        problem = self.assertProblem(english.patch("/api/v1/customers/CLI-000004", {"country": "ZZZ"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/country", problem)
        self.assertProblem(english.patch("/api/v1/customers/CLI-000004", {"name": None}), 422)
        self.assertProblem(english.patch("/api/v1/customers/CLI-000004", {"time_zone": "Mars/Olympus"}), 422)
        spanish = Client(self.server, self.manager.key, language="es")
        problem = self.assertProblem(spanish.patch("/api/v1/customers/CLI-000004", {"country": "ZZ1"}), 422)
        self.assertIn("país", problem["errors"][0]["detail"])
        self.assertProblem(self.manager.patch("/api/v1/customers/NOPE-404", {"name": "x"}), 404, 1200)

    def test_contact_point_and_consent(self):
        target = "CLI-000005"
        added = self.manager.post(f"/api/v1/customers/{target}/contact-points",
                                  {"channel": "email", "value": "pagos@ejemplo.co", "consent": "granted"})
        self.assertEqual(added.status, 201, added.body)
        point = [p for p in added.json["contact_points"] if p["value"] == "pagos@ejemplo.co"][0]
        self.assertEqual(point["channel"], "email")
        self.assertTrue(point["primary"])
        self.assertEqual(point["consent"], "granted")
        # The debtor opts out (a collector records it).
        revoked = self.collector.put(f"/api/v1/customers/{target}/consent",
                                     {"channel": "email", "value": "pagos@ejemplo.co", "consent": "revoked"})
        self.assertEqual(revoked.status, 200, revoked.body)
        point = [p for p in revoked.json["contact_points"] if p["value"] == "pagos@ejemplo.co"][0]
        self.assertEqual(point["consent"], "revoked")
        self.assertEqual(point["consent_source"], "debtor")
        events = self.viewer.get("/api/v1/audit?entity=contact_point&limit=5").json["data"]
        self.assertEqual(events[0]["after"]["consent"], "revoked")
        self.assertEqual(events[0]["after"]["via"], "api")
        # And grants it again.
        granted = self.collector.put(f"/api/v1/customers/{target}/consent",
                                     {"channel": "email", "value": "pagos@ejemplo.co", "consent": "granted"})
        point = [p for p in granted.json["contact_points"] if p["value"] == "pagos@ejemplo.co"][0]
        self.assertEqual(point["consent"], "granted")
        # Bad input and unknown addresses.
        english = Client(self.server, self.manager.key, language="en")
        problem = self.assertProblem(english.post(f"/api/v1/customers/{target}/contact-points",
                                                  {"channel": "fax", "value": "123"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/channel")
        problem = self.assertProblem(english.post(f"/api/v1/customers/{target}/contact-points",
                                                  {"channel": "email", "value": "not an address"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/value")
        problem = self.assertProblem(english.put(f"/api/v1/customers/{target}/consent",
                                                 {"channel": "email", "value": "nobody@x.co", "consent": "revoked"}), 404)
        self.assertEqual(problem["errors"][0]["field"], "/value")
        self.assertProblem(english.put(f"/api/v1/customers/{target}/consent",
                                       {"channel": "email", "value": "pagos@ejemplo.co", "consent": "maybe"}), 422)

    def test_roles(self):
        self.assertProblem(self.viewer.patch("/api/v1/customers/CLI-000001", {"name": "x"}), 403, 1101)
        self.assertProblem(self.collector.patch("/api/v1/customers/CLI-000001", {"name": "x"}), 403, 1101)
        self.assertProblem(self.collector.post("/api/v1/customers/CLI-000001/contact-points",
                                               {"channel": "email", "value": "a@b.co"}), 403, 1101)
        self.assertProblem(self.viewer.put("/api/v1/customers/CLI-000001/consent",
                                           {"channel": "email", "value": "a@b.co", "consent": "revoked"}), 403, 1101)
        self.assertProblem(self.collector.post("/api/v1/imports/customers", raw="external_id\n"), 403, 1101)

    # Invoices.

    def test_invoice_list_and_one_invoice(self):
        cli = self.cli_json("invoices", "--status", "unpaid", "--sort", "days_past_due", "--limit", "10")
        page = self.viewer.get("/api/v1/invoices?status=unpaid&sort=days_past_due&limit=10")
        self.assertEqual(page.status, 200, page.body)
        self.assertEqual(page.json["data"], cli)
        one = self.viewer.get(f"/api/v1/invoices/{cli[0]['external_id']}")
        self.assertEqual(one.json, cli[0])
        customer = cli[0]["customer_external_id"]
        theirs = self.viewer.get(f"/api/v1/invoices?customer={customer}&limit=100").json["data"]
        self.assertTrue(theirs and all(i["customer_external_id"] == customer for i in theirs))
        self.assertProblem(self.viewer.get("/api/v1/invoices/NOPE-1"), 404, 1200)
        self.assertProblem(self.viewer.get("/api/v1/invoices?status=late"), 400, 1008)

    # Imports.

    def test_import_dry_run_then_real(self):
        csv = ("external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
               "API-INV-1,CLI-000001,API-1,2026-11-01,2026-12-01,COP,1250000.50\n")
        dry = self.manager.post("/api/v1/imports/invoices?dry_run=true", raw=csv)
        self.assertEqual(dry.status, 200, dry.body)
        self.assertEqual(dry.json["dry_run"], True)
        self.assertEqual(dry.json["created"], 1)
        self.assertProblem(self.viewer.get("/api/v1/invoices/API-INV-1"), 404, 1200)
        done = self.manager.post("/api/v1/imports/invoices", raw=csv)
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual((done.json["rows"], done.json["created"], done.json["dry_run"]), (1, 1, False))
        invoice = self.viewer.get("/api/v1/invoices/API-INV-1").json
        self.assertEqual(invoice["amount"], {"amount": "1250000.50", "currency": "COP"})
        again = self.manager.post("/api/v1/imports/invoices", raw=csv)
        self.assertEqual((again.json["created"], again.json["unchanged"]), (0, 1))
        events = self.viewer.get("/api/v1/audit?entity=invoice&id=API-INV-1").json["data"]
        self.assertEqual(events[-1]["action"], "create")
        # The day-first format and decimal comma of the CLI flags.
        csv = ("external_id;customer_external_id;number;issue_date;due_date;currency;amount\n"
               "API-INV-2;CLI-000001;API-2;01/11/2026;01/12/2026;COP;99,5\n")
        dmy = self.manager.post("/api/v1/imports/invoices?date_format=dmy&decimal_comma=true", raw=csv)
        self.assertEqual(dmy.status, 200, dmy.body)
        self.assertEqual(self.viewer.get("/api/v1/invoices/API-INV-2").json["due_date"], "2026-12-01")

    def test_import_rejected_lists_every_bad_line(self):
        csv = ("external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
               "API-BAD-1,CLI-000001,B-1,2026-11-01,2026-10-01,COP,10\n"
               "API-BAD-2,NOPE-1,B-2,2026-11-01,2026-12-01,COP,10\n"
               "API-BAD-3,CLI-000001,B-3,2026-11-01,2026-12-01,XYZ,abc\n")
        english = Client(self.server, self.manager.key, language="en")
        problem = self.assertProblem(english.post("/api/v1/imports/invoices", raw=csv), 422, 1009)
        fields = [e["field"] for e in problem["errors"]]
        self.assertIn("line 2: due_date", fields)
        self.assertIn("line 3: customer_external_id", fields)
        self.assertIn("line 4: currency", fields)
        self.assertTrue(all(e["code"] == 1009 for e in problem["errors"]))
        self.assertIn("nothing was imported", problem["detail"])
        self.assertProblem(self.viewer.get("/api/v1/invoices/API-BAD-1"), 404, 1200)
        spanish = Client(self.server, self.manager.key, language="es")
        problem = self.assertProblem(spanish.post("/api/v1/imports/invoices", raw=csv), 422, 1009)
        self.assertIn("no se importó nada", problem["detail"])
        # A file without a required column, an unknown entity, a bad flag.
        problem = self.assertProblem(english.post("/api/v1/imports/invoices", raw="external_id\nX\n"), 422, 1009)
        self.assertIn("missing required column", problem["errors"][0]["detail"])
        self.assertProblem(english.post("/api/v1/imports/widgets", raw="a\n"), 404, 1200)
        self.assertProblem(english.post("/api/v1/imports/invoices?date_format=mdy", raw=csv), 400, 1008)
        self.assertProblem(english.post("/api/v1/imports/invoices", raw=csv, content_type="application/pdf"), 415)

    # Reports.

    def test_aging_is_the_cli_report(self):
        cli = json.loads(self.server.cli("aging", "--format", "json", "--as-of", "2026-11-20",
                                         "--buckets", "30,60").stdout)
        answer = self.viewer.get("/api/v1/aging?as_of=2026-11-20&buckets=30,60")
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["object"], "list")
        self.assertEqual(answer.json["as_of"], "2026-11-20")
        self.assertEqual(answer.json["buckets"], ["not_due", "1_30", "31_60", "over_60"])
        # The totals are the whole report's on every page.
        self.assertEqual(answer.json["totals"], cli["totals"])
        self.assertEqual(len(answer.json["totals"][0]["buckets"]), 4)
        # A page holds at most 25 customers by default; the pages, walked
        # with the cursor, are the CLI's lines in its order, nothing twice.
        customers = {line["customer"]["external_id"] for line in answer.json["data"]}
        self.assertLessEqual(len(customers), 25)
        lines, after, pages = [], None, 0
        while True:
            query = "as_of=2026-11-20&buckets=30,60&limit=7" + (f"&starting_after={after}" if after else "")
            page = self.viewer.get(f"/api/v1/aging?{query}")
            self.assertEqual(page.status, 200, page.body)
            self.assertEqual(page.json["totals"], cli["totals"])
            self.assertLessEqual(len({line["customer"]["external_id"] for line in page.json["data"]}), 7)
            lines += page.json["data"]
            pages += 1
            if not page.json["has_more"]:
                break
            self.assertTrue(page.json["data"])
            after = page.json["data"][-1]["customer"]["external_id"]
        self.assertEqual(lines, cli["customers"])
        self.assertGreater(pages, 2)
        self.assertEqual(answer.json["data"], cli["customers"][:len(answer.json["data"])])
        # A cursor past the end: an empty last page.
        last = self.viewer.get("/api/v1/aging?starting_after=~").json
        self.assertEqual((last["data"], last["has_more"]), ([], False))
        default = self.viewer.get("/api/v1/aging").json
        self.assertEqual(default["as_of"], "customer_today")
        self.assertEqual(default["buckets"], ["not_due", "1_30", "31_60", "61_90", "91_180", "over_180"])
        self.assertProblem(self.viewer.get("/api/v1/aging?buckets=60,30"), 400, 1008)
        self.assertProblem(self.viewer.get("/api/v1/aging?currency=cop"), 400, 1008)
        self.assertProblem(self.viewer.get("/api/v1/aging?limit=101"), 400, 1008)
        self.assertProblem(self.viewer.get("/api/v1/aging?limit=0"), 400, 1008)

    def test_statement_json_and_pdf(self):
        debtor = self.a_debtor()
        cli = json.loads(self.server.cli("statement", debtor, "--format", "json", "--as-of", "2026-11-20").stdout)
        answer = self.viewer.get(f"/api/v1/customers/{debtor}/statement?as_of=2026-11-20")
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json, cli)
        pdf = self.viewer.get(f"/api/v1/customers/{debtor}/statement?format=pdf")
        self.assertEqual(pdf.status, 200, pdf.body[:300])
        self.assertEqual(pdf.header("content-type"), "application/pdf")
        self.assertTrue(pdf.body.startswith(b"%PDF-"))
        by_accept = self.viewer.get(f"/api/v1/customers/{debtor}/statement?paper=letter",
                                    headers={"Accept": "application/pdf"})
        self.assertTrue(by_accept.body.startswith(b"%PDF-"))
        self.assertProblem(self.viewer.get("/api/v1/customers/NOPE-1/statement"), 404, 1200)
        self.assertProblem(self.viewer.get(f"/api/v1/customers/{debtor}/statement?format=doc"), 400, 1008)

    def test_summary(self):
        answer = self.viewer.get("/api/v1/summary")
        self.assertEqual(answer.status, 200, answer.body)
        summary = answer.json
        self.assertGreaterEqual(summary["customers"], 40)
        self.assertGreater(summary["invoices"], 0)
        aging = json.loads(self.server.cli("aging", "--format", "json").stdout)
        self.assertEqual(summary["aging"]["totals"], aging["totals"])
        self.assertLessEqual(len(summary["top_debtors"]), 10)
        totals = [float(d["total"]["amount"]) for d in summary["top_debtors"]]
        self.assertEqual(totals, sorted(totals, reverse=True))
        self.assertEqual(summary["plan"]["business_date"], "2026-11-20")

    def test_audit_filters(self):
        events = self.viewer.get("/api/v1/audit?limit=3")
        self.assertEqual(events.status, 200, events.body)
        self.assertEqual(events.json["data"], self.cli_json("audit", "--limit", "3"))
        self.assertProblem(self.viewer.get("/api/v1/audit?id=CLI-000001"), 400, 1008)
        self.assertProblem(self.viewer.get("/api/v1/audit?limit=0"), 400, 1008)
        self.assertProblem(self.viewer.get("/api/v1/audit?entity=Robert');DROP"), 400, 1008)

    # Tenants.

    def test_another_tenants_ids_are_404(self):
        if self.beta is None:
            self.skipTest("`cartera tenant create` is not there yet")
        self.assertEqual(self.beta.get("/api/v1/customers").json["data"], [])
        self.assertProblem(self.beta.get("/api/v1/customers/CLI-000001"), 404, 1200)
        self.assertProblem(self.beta.patch("/api/v1/customers/CLI-000001", {"name": "x"}), 404, 1200)
        self.assertProblem(self.beta.post("/api/v1/customers/CLI-000001/contact-points",
                                          {"channel": "email", "value": "a@b.co"}), 404, 1200)
        self.assertProblem(self.beta.put("/api/v1/customers/CLI-000001/consent",
                                         {"channel": "email", "value": "a@b.co", "consent": "revoked"}), 404, 1200)
        self.assertProblem(self.beta.get("/api/v1/customers/CLI-000001/statement"), 404, 1200)
        self.assertProblem(self.beta.get("/api/v1/customers/CLI-000001/statement?format=pdf"), 404, 1200)
        invoice = self.cli_json("invoices", "--limit", "1")[0]["external_id"]
        self.assertProblem(self.beta.get(f"/api/v1/invoices/{invoice}"), 404, 1200)
        self.assertEqual(self.beta.get("/api/v1/aging").json["data"], [])
        self.assertEqual(self.beta.get("/api/v1/summary").json["customers"], 0)
        self.assertEqual(self.beta.get("/api/v1/audit?entity=invoice").json["data"], [])
        # Tenant B's import cannot name tenant A's customers.
        csv = ("external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
               "B-INV-1,CLI-000001,B-1,2026-11-01,2026-12-01,COP,10\n")
        problem = self.assertProblem(self.beta.post("/api/v1/imports/invoices", raw=csv), 422, 1009)
        self.assertEqual(problem["errors"][0]["field"], "line 2: customer_external_id")


class SummaryTodayTest(ApiTest):
    """The dashboard's day: what the run deferred and blocked and why, and
    delivery health, checked against the CLI's timeline and outbox."""
    demo_customers = 40
    # Nothing runs or sends by itself: the outbox holds what the test did.
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"))
        cls.today = NOW[:10]
        cls.run_report = json.loads(cls.server.cli("run", "--as-of", cls.today, "--format", "json").stdout)
        # What the delivery worker would have done to a few messages, and
        # the email server refusing three in a row (delivery/channel_pause.h).
        outbox = json.loads(cls.server.cli("outbox", "--limit", "100000", "--format", "json").stdout)
        messages = [item["id"] for item in outbox if item["channel"] in ("email", "sms", "whatsapp")]
        cls.assert_enough = len(messages) >= 4
        statements = [f"UPDATE outbox SET status = 'sent' WHERE id IN ({messages[0]}, {messages[1]})",
                      f"UPDATE outbox SET status = 'failed' WHERE id = {messages[2]}",
                      f"UPDATE outbox SET status = 'unknown' WHERE id = {messages[3]}",
                      "INSERT INTO channel_pauses (tenant_id, channel, refusals_in_row, last_reply, last_refusal_at, "
                      "paused_at) VALUES (1, 'email', 3, '550 5.7.1 Relaying denied', '2026-11-20T14:59:00Z', "
                      "'2026-11-20T14:59:00Z')"]
        for statement in statements:
            cls.server.query(statement)

    def summary(self):
        answer = self.viewer.get("/api/v1/summary")
        self.assertEqual(answer.status, 200, answer.body)
        return answer.json

    def test_deferred_and_blocked_by_reason_are_the_timelines(self):
        expected = {"deferred": set(), "blocked": set()}
        customers = json.loads(self.server.cli("customers", "--limit", "100", "--format", "json").stdout)
        for customer in customers:
            external_id = customer["external_id"]
            timeline = json.loads(self.server.cli("timeline", external_id, "--format", "json").stdout)
            for entry in timeline:
                if entry["source"] == "engine" and entry["date"] == self.today and entry["kind"] in expected:
                    expected[entry["kind"]].add((external_id, entry["stage"], entry["action"], entry["code"]))
        plan = self.summary()["plan"]
        for kind in ("deferred", "blocked"):
            counts = {}
            for _, _, _, code in expected[kind]:
                counts[code] = counts.get(code, 0) + 1
            self.assertEqual({row["reason"]: row["count"] for row in plan[kind]}, counts, kind)
            self.assertEqual([row["count"] for row in plan[kind]], sorted(counts.values(), reverse=True))
        self.assertTrue(plan["deferred"], "the demo's run defers something (frequency_cap)")
        # The run's own totals agree.
        self.assertEqual(sum(row["count"] for row in plan["deferred"]), self.run_report["deferred"])
        self.assertEqual(sum(row["count"] for row in plan["blocked"]), self.run_report["blocked"])

    def test_delivery_health_is_the_outboxs_day(self):
        self.assertTrue(self.assert_enough)
        outbox = json.loads(self.server.cli("outbox", "--limit", "100000", "--format", "json").stdout)
        expected = {}
        for item in outbox:
            if item["business_date"] == self.today and item["channel"] in ("email", "sms", "whatsapp", "letter"):
                if item["status"] != "merged":
                    expected[item["status"]] = expected.get(item["status"], 0) + 1
        delivery = self.summary()["delivery"]
        self.assertEqual({k: v for k, v in delivery["statuses"].items() if v}, expected)
        self.assertEqual(delivery["statuses"]["sent"], 2)
        self.assertEqual(delivery["statuses"]["failed"], 1)
        self.assertEqual(delivery["statuses"]["unknown"], 1)
        self.assertEqual(delivery["paused_channels"], [
            {"channel": "email", "since": "2026-11-20T14:59:00Z", "reason": "server_refusals", "refusals_in_row": 3,
             "last_reply": "550 5.7.1 Relaying denied"}])

    def test_a_row_kept_by_an_older_build_is_built_again(self):
        self.summary()
        old = json.dumps({"customers": 0, "invoices": 0, "open_balances": 0, "aging": {"as_of": "customer_today",
                          "totals": []}, "top_debtors": [], "plan": {"business_date": self.today, "items": []},
                          "computed_at": "2026-11-20T15:00:00Z"}).replace("'", "''")
        self.server.query(f"UPDATE summary_cache SET summary_json = '{old}'")
        summary = self.summary()
        self.assertGreaterEqual(summary["customers"], 40)
        self.assertEqual(summary["delivery"]["paused_channels"][0]["channel"], "email")


if __name__ == "__main__":
    unittest.main()
