"""What the web app asked of the lists (issue 16): customer search (`q`, and
`cartera customers --search`), promises and disputes of one customer, the
signed-in user's e-mail on /me, and the outbox by business date."""
import json
import os
import unittest
import urllib.parse

from harness import NOW, ApiTest, Client

TODAY = NOW[:10]
PASSWORD = "una clave larga de cobro"
ANA = "ana.search@empresa.co"

# Customers whose names try the search's edges: accents, LIKE's wildcards
# written by the person, an id inside a name, a tax id prefix.
SEARCH_CUSTOMERS = [
    ("SRCH-001", "Almacén 100% Ñandú", "900777001-1"),
    ("SRCH-002", "ALMACEN_DOS Ltda", "900777002-2"),
    ("SRCH-003", "Almacen Tres 100 pesos", "800999003-3"),
    ("QX-9", "Papelería srch-001 Norte", "700111222-4"),
]


def q(text):
    return urllib.parse.quote(text, safe="")


class ListFiltersTest(ApiTest):
    demo_customers = 40
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"), language="en")
        cls.collector = Client(cls.server, cls.server.api_key("collector"))
        cls.manager = Client(cls.server, cls.server.api_key("manager"))
        csv = os.path.join(cls.server.workdir, "search-customers.csv")
        with open(csv, "w") as out:
            out.write("external_id,name,tax_id,country\n")
            for external_id, name, tax_id in SEARCH_CUSTOMERS:
                out.write(f"{external_id},{name},{tax_id},CO\n")
        cls.server.cli("import", "customers", csv)
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            beta_csv = os.path.join(cls.server.workdir, "search-beta.csv")
            with open(beta_csv, "w") as out:
                out.write("external_id,name,tax_id,country\nSRCH-B1,Almacen Beta,900777009-9,CO\n")
            cls.server.cli("import", "customers", beta_csv, tenant="beta")
            cls.beta = Client(cls.server, cls.server.api_key("admin", tenant="beta"))
        # Two runs: the outbox then holds two business dates.
        for as_of in ("2026-11-16", TODAY):
            answer = cls.manager.post("/api/v1/runs", {"as_of": as_of})
            assert answer.status == 200, answer.body

    def cli_json(self, *args):
        return json.loads(self.server.cli(*args, "--format", "json").stdout)

    def search(self, text, extra="", client=None):
        answer = (client or self.viewer).get(f"/api/v1/customers?q={q(text)}{extra}")
        self.assertEqual(answer.status, 200, answer.body)
        return answer.json

    def ids(self, text, extra="", client=None):
        return [row["external_id"] for row in self.search(text, extra, client)["data"]]

    def owing(self):
        rows = self.cli_json("customers", "--status", "with_balance", "--limit", "100")
        return sorted({row["external_id"] for row in rows})

    # --- customer search ---

    def test_search_matches_id_and_tax_id_by_prefix_and_name_by_substring(self):
        # External id prefix in any case, and a name that contains the text.
        self.assertEqual(self.ids("srch"), ["QX-9", "SRCH-001", "SRCH-002", "SRCH-003"])
        self.assertEqual(self.ids("SRCH-00"), ["QX-9", "SRCH-001", "SRCH-002", "SRCH-003"])
        # The tax id by prefix only.
        self.assertEqual(self.ids("900777"), ["SRCH-001", "SRCH-002"])
        self.assertEqual(self.ids("777001"), [])
        # The name in any case, trimmed; accents are not ignored.
        self.assertEqual(self.ids("  almacen  "), ["SRCH-002", "SRCH-003"])
        self.assertEqual(self.ids("almacén"), ["SRCH-001"])
        self.assertEqual(self.ids("papelería"), ["QX-9"])
        # The whole row is the list's one shape.
        row = self.search("900777001")["data"]
        self.assertEqual(row, [{"external_id": "SRCH-001", "name": "Almacén 100% Ñandú", "tax_id": "900777001-1",
                                "country": "CO", "kind": "company", "segment": None, "currency": None, "open": None,
                                "open_invoices": 0, "max_days_past_due": 0, "credit": None, "balance": None,
                                "on_hold": False, "hold_reasons": []}])

    def test_search_text_is_not_a_pattern(self):
        # '%' and '_' are the person's characters, not LIKE's wildcards.
        self.assertEqual(self.ids("100%"), ["SRCH-001"])
        self.assertEqual(self.ids("100"), ["SRCH-001", "SRCH-003"])
        self.assertEqual(self.ids("almacen_dos"), ["SRCH-002"])
        self.assertEqual(self.ids("almacen_tres"), [])
        self.assertEqual(self.ids("%"), ["SRCH-001"])
        self.assertEqual(self.ids("_"), ["SRCH-002"])
        self.assertEqual(self.ids("\\"), [])

    def test_search_combines_with_filters_sort_and_cursor(self):
        debtors = self.owing()
        self.assertGreater(len(debtors), 3)
        prefix = debtors[0][:6]  # "CLI-00"
        owing = self.ids(prefix, "&status=with_balance&limit=100")
        self.assertEqual(owing, [d for d in debtors if d.startswith(prefix)])
        self.assertEqual(self.search(prefix, "&status=with_balance&sort=balance&currency=COP&limit=100")["data"],
                         self.cli_json("customers", "--search", prefix, "--status", "with_balance", "--sort",
                                       "balance", "--currency", "COP", "--limit", "100"))
        # Pages of the search, in two orders: together they are the whole search.
        for sort in ("external_id", "name"):
            whole = self.ids("a", f"&sort={sort}&limit=100")
            self.assertGreater(len(whole), 5, sort)
            pages, after = [], None
            while True:
                extra = f"&sort={sort}&limit=2" + (f"&starting_after={q(after)}" if after else "")
                page = self.search("a", extra)
                pages += [row["external_id"] for row in page["data"]]
                if not page["has_more"]:
                    break
                after = page["data"][-1]["external_id"]
            self.assertEqual(pages, whole, sort)
        # The cursor may name a customer the search leaves out: it is only a place in the order.
        self.assertEqual(self.ids("srch", "&starting_after=QX-9"), ["SRCH-001", "SRCH-002", "SRCH-003"])
        self.assertEqual(self.ids("srch", "&starting_after=CLI-000001"), ["QX-9", "SRCH-001", "SRCH-002", "SRCH-003"])

    def test_search_in_the_cli_is_the_same_list(self):
        self.assertEqual(self.search("almacen", "&limit=100")["data"],
                         self.cli_json("customers", "--search", "almacen"))
        done = self.server.cli("--lang", "en", "customers", "--search", "   ", check=False)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("the search is empty", done.stderr)

    def test_bad_search_names_the_parameter(self):
        for text in ["", "   ", "x" * 101, "ab\x01"]:
            problem = self.assertProblem(self.viewer.get(f"/api/v1/customers?q={q(text)}"), 400, 1008)
            self.assertEqual(problem["errors"][0]["field"], "?q", text)
        # 100 characters, each two bytes in UTF-8, are within the limit.
        self.assertEqual(self.ids("ñ" * 100), [])
        self.assertEqual(self.ids(" " * 10 + "x" * 100 + " " * 10), [])
        spanish = Client(self.server, self.viewer.key, language="es")
        problem = self.assertProblem(spanish.get(f"/api/v1/customers?q={q('x' * 101)}"), 400, 1008)
        self.assertIn("la búsqueda tiene 101 caracteres", problem["detail"])

    def test_search_sees_only_the_tenants_customers(self):
        self.assertEqual(self.ids("almacen beta"), [])
        if self.beta is None:
            self.skipTest("`cartera tenant create` is not there: the other tenant is not checked")
        self.assertEqual(self.ids("srch", client=self.beta), ["SRCH-B1"])
        self.assertEqual(self.ids("almacen", client=self.beta), ["SRCH-B1"])
        answer = self.beta.get("/api/v1/customers?q=srch&starting_after=SRCH-001")
        self.assertProblem(answer, 404, 1200)

    # --- promises and disputes of one customer ---

    def test_promises_and_disputes_of_one_customer(self):
        first, second = self.owing()[:2]
        promises = {}
        for customer in (first, second):
            added = self.collector.post("/api/v1/promises", {"customer": customer, "date": "2026-12-05",
                                                             "amount": "1000"})
            self.assertEqual(added.status, 201, added.body)
            promises[customer] = added.json
        listed = self.viewer.get(f"/api/v1/promises?customer={first}").json["data"]
        self.assertIn(promises[first], listed)
        self.assertEqual({p["customer_external_id"] for p in listed}, {first})
        self.assertEqual(listed, self.cli_json("promise", "list", "--customer", first))
        self.assertIn(promises[second], self.viewer.get("/api/v1/promises").json["data"])

        invoices = {}
        for customer in (first, second):
            open_invoices = [i for i in self.cli_json("invoices", "--customer", customer) if i["status"] != "paid"]
            invoices[customer] = open_invoices[0]["external_id"]
            opened = self.collector.post("/api/v1/disputes", {"invoice": invoices[customer], "reason": "not_received"})
            self.assertEqual(opened.status, 201, opened.body)
        disputes = self.viewer.get(f"/api/v1/disputes?customer={first}").json["data"]
        self.assertEqual([(d["customer_external_id"], d["invoice_external_id"]) for d in disputes],
                         [(first, invoices[first])])
        self.assertEqual(self.viewer.get(f"/api/v1/disputes?customer={first}&status=resolved").json["data"], [])
        self.assertEqual(self.viewer.get(f"/api/v1/disputes?customer={first}&status=open").json["data"], disputes)
        everyone = self.viewer.get("/api/v1/disputes").json["data"]
        self.assertEqual({d["customer_external_id"] for d in everyone} >= {first, second}, True)
        # The changes are in the audit log, by the key that made them.
        events = self.cli_json("audit", "--entity", "dispute", "--limit", "100")
        self.assertTrue(any(e["action"] == "create" and e["actor"].startswith("key:") for e in events), events)

        for route in ("promises", "disputes"):
            problem = self.assertProblem(self.viewer.get(f"/api/v1/{route}?customer=NADIE-1"), 404, 1200)
            self.assertIn("NADIE-1", problem["detail"])
            spanish = Client(self.server, self.viewer.key, language="es")
            problem = self.assertProblem(spanish.get(f"/api/v1/{route}?customer=NADIE-1"), 404, 1200)
            self.assertIn("no hay un cliente", problem["detail"])
            problem = self.assertProblem(self.viewer.get(f"/api/v1/{route}?customer="), 400, 1008)
            self.assertEqual(problem["errors"][0]["field"], "?customer")
            problem = self.assertProblem(self.viewer.get(f"/api/v1/{route}?customer=a%01b"), 400, 1008)
            self.assertEqual(problem["errors"][0]["field"], "?customer")
            if self.beta is not None:
                self.assertProblem(self.beta.get(f"/api/v1/{route}?customer={first}"), 404, 1200)
                self.assertEqual(self.beta.get(f"/api/v1/{route}?customer=SRCH-B1").json["data"], [])

    # --- who am I ---

    def test_me_has_the_users_email_and_null_for_a_key(self):
        me = self.viewer.get("/api/v1/me").json
        self.assertEqual((me["kind"], me["email"]), ("api_key", None))
        self.server.env["SEARCH_PASSWORD"] = PASSWORD
        self.server.cli("user", "add", "Ana.Search@Empresa.co", "--role", "collector",
                        "--password-env", "SEARCH_PASSWORD")
        browser = Client(self.server, language="en")
        signed_in = browser.post("/api/v1/session", {"email": ANA, "password": PASSWORD})
        self.assertEqual(signed_in.status, 201, signed_in.body)
        self.assertEqual(signed_in.json["principal"]["email"], ANA)
        browser.csrf = signed_in.json["csrf_token"]
        me = browser.get("/api/v1/me").json
        self.assertEqual((me["kind"], me["name"], me["email"], me["role"]), ("user", ANA, ANA, "collector"))
        # The e-mail is what a customer's `collector` holds: the web app tells hers apart.
        customer = self.owing()[-1]
        assigned = self.manager.put(f"/api/v1/customers/{customer}/collector", {"collector": "ANA.search@empresa.co"})
        self.assertEqual(assigned.status, 200, assigned.body)
        record = self.viewer.get(f"/api/v1/customers/{customer}").json
        self.assertEqual(record["collector"], me["email"])
        mine = browser.get("/api/v1/customers?collector=me&limit=100").json["data"]
        self.assertEqual({row["external_id"] for row in mine}, {customer})

    # --- the outbox by business date ---

    def outbox(self, extra, client=None):
        items, after = [], None
        while True:
            path = f"/api/v1/outbox?limit=7{extra}" + (f"&starting_after={after}" if after else "")
            answer = (client or self.viewer).get(path)
            self.assertEqual(answer.status, 200, answer.body)
            items += answer.json["data"]
            if not answer.json["has_more"]:
                return items
            after = answer.json["data"][-1]["id"]

    def test_outbox_by_business_date(self):
        everything = self.outbox("")
        dates = sorted({item["business_date"] for item in everything})
        self.assertEqual(dates, ["2026-11-16", TODAY])
        first_day = [i for i in everything if i["business_date"] == "2026-11-16"]
        last_day = [i for i in everything if i["business_date"] == TODAY]
        self.assertGreater(len(first_day), 7)  # more than one page
        self.assertEqual(self.outbox("&from=2026-11-16&to=2026-11-16"), first_day)
        self.assertEqual(self.outbox("&to=2026-11-19"), first_day)
        self.assertEqual(self.outbox("&from=2026-11-17"), last_day)
        self.assertEqual(self.outbox(f"&from={TODAY}&to={TODAY}"), last_day)
        self.assertEqual(self.outbox("&from=2026-11-01&to=2026-11-30"), everything)
        self.assertEqual(self.outbox("&from=2026-11-17&to=2026-11-19"), [])
        channel = next(i["channel"] for i in first_day if i["channel"] in ("email", "sms", "whatsapp", "call"))
        self.assertEqual(self.outbox(f"&to=2026-11-16&channel={channel}"),
                         [i for i in first_day if i["channel"] == channel])

        for query, field in [("from=2026-13-01", "?from"), ("to=ayer", "?to"), ("from=20261116", "?from"),
                             ("from=2026-11-20&to=2026-11-16", "?to")]:
            problem = self.assertProblem(self.viewer.get(f"/api/v1/outbox?{query}"), 400, 1008)
            self.assertEqual(problem["errors"][0]["field"], field, query)
        spanish = Client(self.server, self.viewer.key, language="es")
        problem = self.assertProblem(spanish.get("/api/v1/outbox?from=2026-11-20&to=2026-11-16"), 400, 1008)
        self.assertIn("anterior", problem["detail"])
        if self.beta is not None:
            self.assertEqual(self.outbox("&from=2026-11-01&to=2026-11-30", client=self.beta), [])


if __name__ == "__main__":
    unittest.main()
