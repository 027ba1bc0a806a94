"""Payments and credit notes: the lists (newest first, cursor pages, filters)
and the single records with how each was applied; the same JSON as
`cartera payments` / `cartera credit-notes --format json`."""
import json
import unittest

from harness import ApiTest, Client


class PaymentsTest(ApiTest):
    demo_customers = 40

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"))
        cls.english = Client(cls.server, cls.viewer.key, language="en")
        cls.spanish = Client(cls.server, cls.viewer.key, language="es")
        # Tenant B, for the "another tenant's id is a 404" checks.
        cls.beta = None
        created = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                                 "--time-zone", "America/Bogota", check=False)
        if created.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"), language="en")

    def cli_json(self, *args):
        return json.loads(self.server.cli(*args, "--format", "json").stdout)

    def walk(self, path, limit):
        """Every page of a list, following starting_after; the rows and the page count."""
        rows, pages, after = [], 0, None
        while True:
            separator = "&" if "?" in path else "?"
            url = f"{path}{separator}limit={limit}" + (f"&starting_after={after}" if after else "")
            page = self.viewer.get(url)
            self.assertEqual(page.status, 200, page.body)
            pages += 1
            self.assertLess(pages, 200)
            rows += page.json["data"]
            if not page.json["has_more"]:
                return rows, pages
            self.assertEqual(len(page.json["data"]), limit)
            after = page.json["data"][-1]["external_id"]

    def assertNewestFirst(self, rows):
        dates = [row["date"] for row in rows]
        self.assertEqual(dates, sorted(dates, reverse=True))

    # Payments.

    def test_payment_list_is_the_cli_json_newest_first(self):
        cli = self.cli_json("payments", "--limit", "10")
        page = self.viewer.get("/api/v1/payments?limit=10")
        self.assertEqual(page.status, 200, page.body)
        self.assertEqual(page.json["object"], "list")
        self.assertTrue(page.json["has_more"])
        self.assertEqual(page.json["data"], cli)
        self.assertEqual(len(cli), 10)
        self.assertNewestFirst(cli)
        # The demo's payments: PAG-<invoice>, COP, money as decimal strings, a method and a reference.
        for row in cli:
            self.assertTrue(row["external_id"].startswith("PAG-"), row)
            self.assertEqual(row["currency"], "COP")
            self.assertEqual(row["amount"]["currency"], "COP")
            self.assertRegex(row["amount"]["amount"], r"^\d+\.\d\d$")
            self.assertTrue(row["method"])
            self.assertTrue(row["reference"].startswith("REF"))

    def test_one_payment_shows_how_it_was_applied(self):
        every = self.cli_json("payments")
        self.assertGreater(len(every), 20)
        total = int(self.server.query("SELECT COUNT(*) FROM payments WHERE tenant_id = 1")[0][0])
        self.assertEqual(len(every), total)
        applied = next(row for row in every if row["applied"])
        one = self.viewer.get(f"/api/v1/payments/{applied['external_id']}")
        self.assertEqual(one.status, 200, one.body)
        self.assertEqual(one.json, applied)
        # What was applied plus what was not is the payment.
        cents = lambda money: round(float(money["amount"]) * 100)
        self.assertEqual(sum(cents(a["amount"]) for a in one.json["applied"]) + cents(one.json["unapplied"]),
                         cents(one.json["amount"]))
        invoice = self.viewer.get(f"/api/v1/invoices/{one.json['applied'][0]['invoice_external_id']}").json
        self.assertEqual(invoice["number"], one.json["applied"][0]["invoice_number"])
        self.assertEqual(invoice["customer_external_id"], one.json["customer_external_id"])
        # The rows in the database say the same.
        rows = self.server.query(
            "SELECT i.external_id, a.amount_minor FROM allocations a JOIN payments p ON p.id = a.payment_id "
            "JOIN invoices i ON i.id = a.invoice_id WHERE p.tenant_id = 1 AND p.external_id = "
            f"'{applied['external_id']}' ORDER BY a.id")
        self.assertEqual([(r[0], int(r[1])) for r in rows],
                         [(a["invoice_external_id"], cents(a["amount"])) for a in one.json["applied"]])

    def test_payment_pages_walk_every_payment_once(self):
        every = self.cli_json("payments")
        rows, pages = self.walk("/api/v1/payments", 17)
        self.assertEqual(rows, every)
        self.assertEqual(pages, (len(every) + 16) // 17)
        self.assertEqual(len({row["external_id"] for row in rows}), len(rows))
        # The CLI's pages are the same pages.
        second = self.cli_json("payments", "--limit", "17", "--starting-after", rows[16]["external_id"])
        self.assertEqual(second, rows[17:34])
        # After the last one: an empty last page.
        last = self.viewer.get(f"/api/v1/payments?starting_after={rows[-1]['external_id']}")
        self.assertEqual((last.json["data"], last.json["has_more"]), ([], False))

    def test_payment_filters(self):
        every = self.cli_json("payments")
        customer = every[0]["customer_external_id"]
        theirs = self.viewer.get(f"/api/v1/payments?customer={customer}&limit=100").json["data"]
        self.assertEqual(theirs, [row for row in every if row["customer_external_id"] == customer])
        self.assertEqual(theirs, self.cli_json("payments", "--customer", customer))
        dates = sorted({row["date"] for row in every})
        low, high = dates[len(dates) // 4], dates[len(dates) // 2]
        ranged, _ = self.walk(f"/api/v1/payments?from={low}&to={high}", 25)
        self.assertEqual(ranged, [row for row in every if low <= row["date"] <= high])
        self.assertTrue(ranged)
        self.assertEqual(ranged, self.cli_json("payments", "--from", low, "--to", high))
        cop = self.viewer.get("/api/v1/payments?currency=COP&limit=5").json["data"]
        self.assertEqual(cop, every[:5])
        self.assertEqual(self.viewer.get("/api/v1/payments?currency=USD").json["data"], [])

    def test_payment_bad_parameters_name_the_parameter(self):
        for query, field in [("limit=0", "?limit"), ("limit=101", "?limit"), ("limit=ten", "?limit"),
                             ("from=2026-13-01", "?from"), ("to=yesterday", "?to"), ("currency=XXQ", "?currency"),
                             ("from=2026-06-01&to=2026-05-01", "?to"), ("customer=", "?customer")]:
            for path in ("/api/v1/payments", "/api/v1/credit-notes"):
                problem = self.assertProblem(self.english.get(f"{path}?{query}"), 400, 1008)
                self.assertEqual(problem["errors"][0]["field"], field, f"{path}?{query}")
        problem = self.assertProblem(self.english.get("/api/v1/payments?to=2026-02-30"), 400, 1008)
        self.assertEqual(problem["errors"][0]["detail"], "'to' must be a date YYYY-MM-DD")

    def test_unknown_payment_cursor_or_customer_is_404_in_the_callers_language(self):
        problem = self.assertProblem(self.english.get("/api/v1/payments/NOPE-1"), 404, 1200)
        self.assertEqual(problem["detail"], "no payment with external id 'NOPE-1'")
        problem = self.assertProblem(self.spanish.get("/api/v1/payments/NOPE-1"), 404, 1200)
        self.assertEqual(problem["detail"], "no hay un pago con el id externo 'NOPE-1'")
        problem = self.assertProblem(self.english.get("/api/v1/payments?starting_after=NOPE-2"), 404, 1200)
        self.assertEqual(problem["detail"], "no payment with external id 'NOPE-2'")
        problem = self.assertProblem(self.spanish.get("/api/v1/payments?customer=NOPE-3"), 404, 1200)
        self.assertEqual(problem["detail"], "no hay un cliente con el id externo 'NOPE-3'")

    # Credit notes.

    def test_credit_note_list_and_one_credit_note(self):
        every = self.cli_json("credit-notes")
        total = int(self.server.query("SELECT COUNT(*) FROM credit_notes WHERE tenant_id = 1")[0][0])
        self.assertEqual(len(every), total)
        self.assertGreater(total, 3)
        self.assertNewestFirst(every)
        page = self.viewer.get("/api/v1/credit-notes?limit=3")
        self.assertEqual(page.status, 200, page.body)
        self.assertEqual(page.json["data"], every[:3])
        self.assertTrue(page.json["has_more"])
        note = every[0]
        self.assertTrue(note["external_id"].startswith("NC-"))
        one = self.viewer.get(f"/api/v1/credit-notes/{note['external_id']}")
        self.assertEqual(one.status, 200, one.body)
        self.assertEqual(one.json, note)
        invoice = self.viewer.get(f"/api/v1/invoices/{note['invoice_external_id']}").json
        self.assertEqual(invoice["number"], note["invoice_number"])
        self.assertEqual(invoice["customer_external_id"], note["customer_external_id"])
        # A credit note pays only its own invoice.
        for application in note["applied"]:
            self.assertEqual(application["invoice_external_id"], note["invoice_external_id"])
        rows, pages = self.walk("/api/v1/credit-notes", 2)
        self.assertEqual(rows, every)
        self.assertEqual(pages, (len(every) + 1) // 2)
        customer = note["customer_external_id"]
        self.assertEqual(self.viewer.get(f"/api/v1/credit-notes?customer={customer}").json["data"],
                         [row for row in every if row["customer_external_id"] == customer])
        problem = self.assertProblem(self.english.get("/api/v1/credit-notes/NOPE-1"), 404, 1200)
        self.assertEqual(problem["detail"], "no credit note with external id 'NOPE-1'")
        problem = self.assertProblem(self.spanish.get("/api/v1/credit-notes?starting_after=NOPE-1"), 404, 1200)
        self.assertEqual(problem["detail"], "no hay una nota crédito con el id externo 'NOPE-1'")
        # A payment's id is not a credit note's.
        payment = self.cli_json("payments", "--limit", "1")[0]["external_id"]
        self.assertProblem(self.viewer.get(f"/api/v1/credit-notes/{payment}"), 404, 1200)

    # Access.

    def test_every_role_reads_and_nobody_without_credentials(self):
        for role in ("viewer", "collector", "manager", "admin"):
            client = self.client(role)
            self.assertEqual(client.get("/api/v1/payments?limit=1").status, 200, role)
            self.assertEqual(client.get("/api/v1/credit-notes?limit=1").status, 200, role)
        anonymous = Client(self.server)
        self.assertProblem(anonymous.get("/api/v1/payments"), 401)
        self.assertProblem(anonymous.get("/api/v1/credit-notes/NC-1"), 401)

    def test_another_tenants_payments_and_credit_notes_are_404(self):
        if self.beta is None:
            self.skipTest("`cartera tenant create` is not there yet")
        payment = self.cli_json("payments", "--limit", "1")[0]
        note = self.cli_json("credit-notes", "--limit", "1")[0]
        for path in (f"/api/v1/payments/{payment['external_id']}", f"/api/v1/credit-notes/{note['external_id']}",
                     f"/api/v1/payments?starting_after={payment['external_id']}",
                     f"/api/v1/credit-notes?starting_after={note['external_id']}",
                     f"/api/v1/payments?customer={payment['customer_external_id']}",
                     f"/api/v1/credit-notes?customer={note['customer_external_id']}"):
            answer = self.beta.get(path)
            self.assertProblem(answer, 404, 1200)
            self.assertNotIn(payment["customer_name"], answer.body.decode())
        for path in ("/api/v1/payments", "/api/v1/credit-notes"):
            empty = self.beta.get(path)
            self.assertEqual(empty.status, 200, empty.body)
            self.assertEqual((empty.json["data"], empty.json["has_more"]), ([], False))


if __name__ == "__main__":
    unittest.main()
