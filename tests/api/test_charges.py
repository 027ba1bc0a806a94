"""The charges calculator (GET /api/v1/charges/quote, `cartera charges quote`)
and the tenant's legal rate rows (GET/POST /api/v1/charges/rates, `cartera
charges rate add|list`). The amounts are the hand-computed worked examples of
src/compliance/charges_quote_test.cc."""
import json

from harness import ApiTest, Client


def query(**params):
    return "&".join(f"{key}={value}" for key, value in params.items())


class ChargesTest(ApiTest):
    demo_customers = 10
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = Client(cls.server, cls.server.api_key("viewer"), language="en")
        cls.viewer_es = Client(cls.server, cls.server.api_key("viewer"), language="es")
        cls.collector = Client(cls.server, cls.server.api_key("collector"), language="en")
        cls.manager = Client(cls.server, cls.server.api_key("manager"), language="en")
        cls.beta = None
        done = cls.server.cli("tenant", "create", "Beta Charges", "--country", "CO", "--currency", "COP",
                              "--time-zone", "America/Bogota", check=False)
        if done.returncode == 0:
            cls.beta = Client(cls.server, cls.server.api_key("manager", tenant="beta-charges"), language="en")

    def quote(self, client=None, **params):
        return (client or self.viewer).get("/api/v1/charges/quote?" + query(**params))

    # --- quote ---

    def test_colombia_two_months_agreed_rate_cut_to_usury(self):
        # 11 days of January 2024 at 34.98% EA and 10 of February at 34.97% (40% agreed is cut):
        # 9,080.77 + 8,249.80 = 17,330.57.
        answer = self.quote(country="CO", amount="1000000", **{"from": "2024-01-20"}, to="2024-02-10",
                            annual_rate="40")
        self.assertEqual(answer.status, 200, answer.body)
        body = answer.json
        self.assertEqual(body["object"], "charges_quote")
        self.assertEqual(body["amount"], {"amount": "1000000.00", "currency": "COP"})
        self.assertEqual(body["days"], 21)
        self.assertEqual(body["rate_basis"], "effective_annual_compound_365")
        self.assertEqual(body["rounding"], "half_up_per_line")
        self.assertEqual(body["interest"], {"amount": "17330.57", "currency": "COP"})
        self.assertEqual(body["total"], {"amount": "17330.57", "currency": "COP"})
        january, february = body["periods"]
        self.assertEqual((january["first_day"], january["last_day"], january["days"]), ("2024-01-21", "2024-01-31", 11))
        self.assertEqual((january["agreed_rate"], january["annual_rate"], january["cap"]), ("40.00", "34.98", "34.98"))
        self.assertTrue(january["capped"])
        self.assertIn("above the usury rate certified for 2024-01", january["cap_reason"])
        self.assertIn("Resolución 2331 de 2023", january["cap_source"])
        self.assertEqual(january["interest"], {"amount": "9080.77", "currency": "COP"})
        self.assertEqual(february["annual_rate"], "34.97")
        self.assertIn("Resolución 0150 de 2024", february["cap_source"])
        self.assertEqual(february["interest"], {"amount": "8249.80", "currency": "COP"})
        # The CLI answers the same JSON.
        cli = json.loads(self.server.cli("--lang", "en", "charges", "quote", "--country", "CO", "--amount", "1000000",
                                         "--from", "2024-01-20", "--to", "2024-02-10", "--annual-rate", "40",
                                         "--format", "json").stdout)
        self.assertEqual(cli, body)

    def test_spain_half_years_and_forty_euros(self):
        answer = self.quote(country="ES", amount="10000", currency="EUR", **{"from": "2024-06-15"}, to="2024-07-15",
                            invoices="3")
        self.assertEqual(answer.status, 200, answer.body)
        body = answer.json
        self.assertEqual([p["annual_rate"] for p in body["periods"]], ["12.50", "12.25"])
        self.assertEqual(body["interest"]["amount"], "101.71")
        self.assertEqual(body["compensation"]["amount"], "120.00")
        self.assertEqual(body["compensation_lines"][0]["count"], 3)
        self.assertEqual(body["total"]["amount"], "221.71")
        self.assertIn("BOE-A-2023-26709", body["periods"][0]["rate_source"])

    def test_chile_bands_and_the_twenty_days(self):
        answer = self.quote(country="CL", amount="2400000", **{"from": "2025-03-01"}, to="2025-03-31",
                            uf_value="40000")
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual([line["amount"]["amount"] for line in answer.json["fee_lines"]], ["36000", "96000", "12000"])
        self.assertEqual(answer.json["fees"], {"amount": "144000", "currency": "CLP"})
        self.assertEqual(answer.json["uf_value"], "40000.00")
        early = self.quote(country="CL", amount="2400000", **{"from": "2025-03-01"}, to="2025-03-21")
        self.assertEqual(early.status, 200, early.body)
        self.assertEqual(early.json["fee_lines"], [])
        self.assertIn("cl_collection_costs_after_20_days", [n["code"] for n in early.json["notes"]])

    def test_mexico_default_six_percent(self):
        answer = self.quote(country="MX", amount="100000", **{"from": "2025-01-01"}, to="2025-04-11")
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["interest"], {"amount": "1643.84", "currency": "MXN"})
        self.assertEqual(answer.json["periods"][0]["legal_rate"], "6.00")

    def test_bad_input_names_the_parameter_in_the_callers_language(self):
        cases = [
            ({"amount": "1000", "from": "2024-01-01", "to": "2024-01-10"}, "?country"),
            ({"country": "AR", "amount": "1000", "from": "2024-01-01", "to": "2024-01-10"}, "?country"),
            ({"country": "CO", "amount": "1,5", "from": "2024-01-01", "to": "2024-01-10"}, "?amount"),
            ({"country": "CO", "amount": "1000", "currency": "ABC", "from": "2024-01-01", "to": "2024-01-10"},
             "?currency"),
            ({"country": "CO", "amount": "1000", "from": "2024-02-30", "to": "2024-03-10"}, "?from"),
            ({"country": "CO", "amount": "1000", "from": "2024-03-10", "to": "2024-03-01"}, "?to"),
            ({"country": "CO", "amount": "1000", "from": "2024-01-01", "to": "2024-01-10", "annual_rate": "x"},
             "?annual_rate"),
            ({"country": "PE", "amount": "1000", "from": "2024-01-01", "to": "2024-01-10"}, "?annual_rate"),
            ({"country": "CL", "amount": "1000", "from": "2024-01-01", "to": "2024-03-10"}, "?uf_value"),
            ({"country": "ES", "amount": "1000", "from": "2024-01-01", "to": "2024-01-10", "invoices": "0"},
             "?invoices"),
        ]
        for params, field in cases:
            problem = self.assertProblem(self.quote(**params), 400, 1008)
            self.assertEqual([e["field"] for e in problem["errors"]], [field], (params, problem))
        spanish = self.assertProblem(self.quote(self.viewer_es, country="CO", amount="1,5", **{"from": "2024-01-01"},
                                                to="2024-01-10"), 400, 1008)
        self.assertIn("no es un monto", spanish["errors"][0]["detail"])

    def test_month_without_certified_rate_says_how_to_add_it(self):
        problem = self.assertProblem(self.quote(country="CO", amount="1000", **{"from": "2026-09-20"},
                                                to="2026-10-05"), 422, 1000)
        self.assertIn("no certified usury rate for 2026-10", problem["detail"])
        self.assertIn("cartera charges rate add --country CO --kind usury", problem["detail"])

    # --- rate rows ---

    def test_rates_add_list_audit_roles_and_isolation(self):
        row = {"country": "US", "kind": "us_state_cap", "valid_from": "2020-01-01", "valid_to": "2030-12-31",
               "rate": "16", "source": "State usury statute (test)"}
        # US needs the state's cap before any quote.
        refused = self.assertProblem(self.quote(country="US", amount="5000", **{"from": "2025-03-01"},
                                                to="2025-03-31", annual_rate="24"), 422, 1000)
        self.assertIn("no state cap for US", refused["detail"])
        # Viewers and collectors read but do not add.
        self.assertProblem(self.viewer.post("/api/v1/charges/rates", row), 403, 1101)
        self.assertProblem(self.collector.post("/api/v1/charges/rates", row), 403, 1101)
        added = self.manager.post("/api/v1/charges/rates", row)
        self.assertEqual(added.status, 201, added.body)
        self.assertEqual(added.json["origin"], "tenant")
        self.assertEqual(added.json["rate"], "16.00")
        self.assertTrue(added.json["created_by"].startswith("key:"))
        # The quote now cuts 24% to 16%: 5,000 x 16% x 30/365 = 65.75.
        answer = self.quote(country="US", amount="5000", **{"from": "2025-03-01"}, to="2025-03-31", annual_rate="24")
        self.assertEqual(answer.status, 200, answer.body)
        self.assertTrue(answer.json["periods"][0]["capped"])
        self.assertEqual(answer.json["interest"], {"amount": "65.75", "currency": "USD"})
        # An overlapping row is a conflict.
        self.assertProblem(self.manager.post("/api/v1/charges/rates", dict(row, valid_from="2025-01-01")), 409, 1300)
        # Listed with the shipped rows; filters.
        listed = self.viewer.get("/api/v1/charges/rates?country=US")
        self.assertEqual(listed.status, 200, listed.body)
        self.assertEqual([(r["kind"], r["rate"], r["origin"]) for r in listed.json["data"]],
                         [("us_state_cap", "16.00", "tenant")])
        shipped = self.viewer.get("/api/v1/charges/rates?country=ES&kind=ecb_reference").json["data"]
        self.assertEqual(len(shipped), 8)
        self.assertTrue(all(r["origin"] == "shipped" and r["id"] is None for r in shipped))
        # Audited with the row.
        events = self.admin.get("/api/v1/audit?entity=charge_rate").json["data"]
        self.assertTrue(any(e["entity_id"] == added.json["id"] and e["action"] == "create"
                            and e["after"]["rate"] == "16.00" for e in events), events[:3])
        # Another tenant sees none of it and still needs its own cap.
        self.assertIsNotNone(self.beta, "the second tenant was not created")
        if self.beta is not None:
            theirs = self.beta.get("/api/v1/charges/rates?tenant_only=true")
            self.assertEqual(theirs.status, 200, theirs.body)
            self.assertEqual(theirs.json["data"], [])
            self.assertProblem(self.quote(self.beta, country="US", amount="5000", **{"from": "2025-03-01"},
                                          to="2025-03-31", annual_rate="24"), 422, 1000)
        # The CLI lists it too.
        cli = json.loads(self.server.cli("charges", "rate", "list", "--country", "US", "--format", "json").stdout)
        self.assertEqual(cli, listed.json["data"])

    def test_rate_bad_input_names_the_field(self):
        good = {"country": "CO", "kind": "usury", "valid_from": "2026-11-01", "valid_to": "2026-11-30",
                "rate": "28.5", "source": "Resolución (test)"}
        cases = [
            (dict(good, country="AR"), "/country", 422),
            (dict(good, kind="interest"), "/kind", 422),
            (dict(good, valid_from="2026-11-31"), "/valid_from", 422),
            (dict(good, valid_from="2026-11-02"), "/valid_from", 422),
            (dict(good, rate="28,5"), "/rate", 422),
            (dict(good, source=" "), "/source", 422),
        ]
        for body, field, status in cases:
            problem = self.assertProblem(self.manager.post("/api/v1/charges/rates", body), status)
            self.assertEqual([e["field"] for e in problem["errors"]], [field], (body, problem))
        missing = self.assertProblem(self.manager.post("/api/v1/charges/rates", {"country": "CO"}), 422)
        self.assertIn("/kind", [e["field"] for e in missing["errors"]])
        unknown = self.assertProblem(self.manager.post("/api/v1/charges/rates", dict(good, extra=1)), 422, 1003)
        self.assertEqual([e["field"] for e in unknown["errors"]], ["/extra"])
        self.assertProblem(self.viewer.get("/api/v1/charges/rates?kind=interest"), 400, 1008)
        self.assertEqual(self.viewer.get("/api/v1/charges/rates?country=CO&kind=usury&tenant_only=true").json["data"],
                         [])


if __name__ == "__main__":
    import unittest
    unittest.main()
