"""The debtor portal's API: public routes whose credential is the signed token of
`cartera portal link` (docs/api.md, "The debtor portal API")."""
import base64
import hashlib
import hmac
import json
import os
import struct
import unittest
from datetime import datetime, timedelta, timezone

from harness import NOW, ApiTest, Client

AGENT = "PortalTest/1.0 (phone)"
SECRET = bytes.fromhex("11" * 32)  # the harness's CARTERA_SECRET_KEY


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def sign(purpose, claims, expires):
    """delivery/signed_token.cc in Python: libsodium's crypto_kdf (BLAKE2b) subkey per purpose, HMAC-SHA-256."""
    subkey = hashlib.blake2b(b"", digest_size=32, key=SECRET, salt=struct.pack("<Q", purpose) + bytes(8),
                             person=b"cartlink" + bytes(8)).digest()
    payload = dict(claims, exp=int(expires.timestamp()))
    body = b64url(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode())
    return body + "." + b64url(hmac.new(subkey, body.encode(), hashlib.sha256).digest())


def money(text):
    return round(float(text) * 100)


class PortalTest(ApiTest):
    demo_customers = 60

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anon = Client(cls.server)
        customers = json.loads(cls.server.cli("customers", "--format", "json").stdout)
        # Customers that owe something, each test its own (tokens share a rate limit).
        owing = [c["external_id"] for c in customers if c.get("open")]
        overdue = [c["external_id"] for c in customers if c.get("open") and c.get("max_days_past_due", 0) > 0]
        cls.owing = [c for c in owing if c not in overdue]
        # The dispute test needs a customer with one unpaid invoice that a run writes to on some day soon
        # (cls.run_day); it is kept out of the other tests.
        unpaid = json.loads(cls.server.cli("invoices", "--status", "unpaid", "--format", "json").stdout)
        count = {}
        for invoice in unpaid:
            count[invoice["customer_external_id"]] = count.get(invoice["customer_external_id"], 0) + 1
        cls.disputing = None
        for days in range(0, 60):
            cls.run_day = (datetime.fromisoformat(NOW[:10]) + timedelta(days=days)).date().isoformat()
            plan = json.loads(cls.server.cli("run", "--dry-run", "--as-of", cls.run_day, "--format", "json").stdout)
            single = [a["customer_external_id"] for a in plan.get("plan", [])
                      if a["action"] == "message" and count.get(a["customer_external_id"]) == 1]
            if single:
                cls.disputing = single[0]
                break
        cls.owing = [c for c in cls.owing if c != cls.disputing]
        cls.overdue = [c for c in overdue if c != cls.disputing]
        cls.server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP", "--time-zone",
                       "America/Bogota")

    def link(self, customer, *extra, tenant=None):
        done = self.server.cli("portal", "link", customer, *extra, tenant=tenant)
        url = done.stdout.strip()
        self.assertRegex(url, r"^https?://[^ ]+/p/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
        return url.rsplit("/", 1)[1]

    def portal(self, token, suffix="", language=None):
        return f"/api/v1/portal/{token}{suffix}" + (f"?lang={language}" if language else "")

    def call(self, method, token, suffix="", body=None, language=None, headers=None):
        return self.anon.request(method, self.portal(token, suffix, language), body=body,
                                 headers=dict({"User-Agent": AGENT}, **(headers or {})))

    def overview(self, token):
        answer = self.call("GET", token)
        self.assertEqual(answer.status, 200, answer.body[:500])
        return answer.json

    def unpaid(self, customer):
        return json.loads(self.server.cli("invoices", "--customer", customer, "--status", "unpaid", "--format",
                                          "json").stdout)

    # --- the link and the token ---

    def test_the_link_prints_the_portal_path_and_says_when_no_base_url_is_set(self):
        done = self.server.cli("portal", "link", self.owing[0])
        self.assertTrue(done.stdout.startswith("http://127.0.0.1:8080/p/"), done.stdout)
        self.assertIn("set-portal", done.stderr)
        # The token is the one delivery/signed_token.cc makes for that customer, 30 days.
        customer_id = int(self.server.query(
            f"SELECT id FROM customers WHERE tenant_id = 1 AND external_id = '{self.owing[0]}'")[0][0])
        now = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
        self.assertEqual(done.stdout.strip().rsplit("/", 1)[1],
                         sign(1, {"tenant": 1, "customer": customer_id}, now + timedelta(days=30)))
        missing = self.server.cli("portal", "link", "NO-SUCH-CUSTOMER", check=False)
        self.assertEqual(missing.returncode, 2, missing.stderr)

    def test_bad_altered_and_expired_tokens_are_404_in_the_callers_language(self):
        token = self.link(self.owing[1])
        body, signature = token.split(".")
        altered = body + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
        expired = self.link(self.owing[1], "--expires", "2026-11-01T00:00:00Z")
        # A payment-link token with another customer's claims and this signature.
        other = self.link(self.owing[2])
        swapped = other.split(".")[0] + "." + signature
        unsubscribe = sign(2, {"tenant": 1, "customer": 1, "channel": "email", "address": "x@y.co"},
                           datetime.now(timezone.utc) + timedelta(days=3650))
        for bad in [altered, expired, swapped, unsubscribe, "not-a-token", token + "x"]:
            for suffix, method, body in [("", "GET", None), ("/statement.pdf", "GET", None),
                                         ("/promises", "POST", {"date": NOW[:10], "amount": "1"}),
                                         ("/callback", "POST", {})]:
                answer = self.call(method, bad, suffix, body=body)
                self.assertProblem(answer, 404, 1202)
        spanish = self.call("GET", expired, headers={"Accept-Language": "es"}).json
        english = self.call("GET", expired, language="en").json
        self.assertIn("venció", spanish["detail"])
        self.assertIn("expired", english["detail"])
        self.assertEqual(english["title"], "The link is not valid or has expired")

    def test_another_tenants_customer_sees_only_its_own(self):
        csv = os.path.join(self.server.workdir, "beta-portal-customers.csv")
        with open(csv, "w") as out:
            out.write("external_id,name,tax_id,country\nPB-1,Cliente Beta Uno,900000001,CO\n")
        invoices = os.path.join(self.server.workdir, "beta-portal-invoices.csv")
        with open(invoices, "w") as out:
            out.write("external_id,customer_external_id,number,issue_date,due_date,currency,amount\n"
                      "PB-INV-1,PB-1,B-1,2026-09-01,2026-10-01,COP,500000.00\n")
        self.server.cli("import", "customers", csv, tenant="beta")
        self.server.cli("import", "invoices", invoices, tenant="beta")
        token = self.link("PB-1", tenant="beta")
        page = self.overview(token)
        self.assertEqual(page["customer"]["external_id"], "PB-1")
        self.assertEqual(page["company"]["name"], "Beta")
        self.assertEqual([i["id"] for i in page["invoices"]], ["PB-INV-1"])
        # Tenant A's invoice through B's link: not found; and B's own invoice through A's link.
        a_invoice = self.unpaid(self.owing[3])[0]["external_id"]
        answer = self.call("POST", token, "/disputes", body={"invoice": a_invoice, "reason": "other"})
        self.assertProblem(answer, 404, 1200)
        answer = self.call("POST", self.link(self.owing[3]), "/disputes", body={"invoice": "PB-INV-1", "reason": "other"})
        self.assertProblem(answer, 404, 1200)

    # --- what the debtor sees ---

    def test_the_page_shows_that_customer_and_its_open_invoices_only(self):
        customer = self.overdue[0]
        page = self.overview(self.link(customer))
        record = self.admin.get(f"/api/v1/customers/{customer}").json
        self.assertEqual(page["customer"], {"external_id": customer, "name": record["name"],
                                            "language": record["language"], "country": record["country"]})
        unpaid = self.unpaid(customer)
        self.assertEqual([(i["id"], i["number"], i["due_date"], i["open"], i["days_past_due"]) for i in page["invoices"]],
                         [(i["external_id"], i["number"], i["due_date"], i["open"], i["days_past_due"]) for i in unpaid])
        # Totals by currency equal the customer's balance, and the overdue part its late invoices'.
        for total in page["totals"]:
            [balance] = [b for b in record["balances"] if b["currency"] == total["currency"]]
            self.assertEqual(total["amount"], balance["open"])
            late = sum(money(i["open"]["amount"]) for i in unpaid
                       if i["days_past_due"] > 0 and i["currency"] == total["currency"])
            self.assertEqual(money(total["overdue"]["amount"]), late)
        self.assertGreater(money(page["totals"][0]["overdue"]["amount"]), 0)
        limits = page["promise_limits"]
        self.assertEqual(limits["earliest_date"], NOW[:10])
        self.assertEqual(limits["latest_date"], "2026-12-20")
        self.assertEqual(limits["max_amount"], record["balances"][0]["open"])
        self.assertEqual(limits["min_amount"]["amount"], "0.01")
        self.assertEqual([r["code"] for r in page["dispute_reasons"]],
                         ["not_received", "wrong_amount", "defective", "already_paid", "not_ordered", "other"])
        # Addresses are masked: no address of the customer appears whole.
        text = json.dumps(page)
        for point in record["contact_points"]:
            self.assertNotIn(point["value"], text)
        self.assertEqual(len(page["contact"]["channels"]), len(record["contact_points"]))
        # Nothing of another customer.
        others = json.loads(self.server.cli("customers", "--format", "json").stdout)
        for other in others:
            if other["external_id"] != customer:
                self.assertNotIn(f'"{other["external_id"]}"', text)
                self.assertNotIn(other["name"], text)

    def test_the_statement_is_the_customers_pdf(self):
        customer = self.overdue[1]
        answer = self.call("GET", self.link(customer), "/statement.pdf")
        self.assertEqual(answer.status, 200)
        self.assertEqual(answer.header("content-type"), "application/pdf")
        self.assertTrue(answer.body.startswith(b"%PDF"))
        self.assertIn(customer, answer.header("content-disposition"))
        self.assertEqual(answer.header("cache-control"), "no-store")

    # --- what the debtor does ---

    def test_a_promise_within_the_limits_is_recorded_and_one_outside_is_refused_by_field(self):
        customer = self.overdue[2]
        token = self.link(customer)
        limits = self.overview(token)["promise_limits"]
        for body, field in [({"date": "2026-11-19", "amount": "10.00"}, "/date"),
                            ({"date": "2026-12-21", "amount": "10.00"}, "/date"),
                            ({"date": "2026-12-01", "amount": "0"}, "/amount"),
                            ({"date": "2026-12-01", "amount": str(float(limits["max_amount"]["amount"]) + 1)}, "/amount"),
                            ({"date": "2026-12-01", "amount": "10.00", "currency": "EUR"}, "/currency"),
                            ({"amount": "10.00"}, "/date"),
                            ({"date": "2026-12-01", "amount": "10.00", "note": "x"}, "/note")]:
            problem = self.assertProblem(self.call("POST", token, "/promises", body=body, language="en"), 422)
            self.assertIn(field, [e["field"] for e in problem["errors"]], problem)
        answer = self.call("POST", token, "/promises", body={"date": "2026-12-20", "amount": "1000.50"})
        self.assertEqual(answer.status, 201, answer.body)
        promise = answer.json
        self.assertEqual((promise["customer_external_id"], promise["promised_date"], promise["amount"],
                          promise["source"], promise["status"]),
                         (customer, "2026-12-20", {"amount": "1000.50", "currency": limits["currency"]}, "portal", "open"))
        listed = self.admin.get(f"/api/v1/promises?customer={customer}").json["data"]
        self.assertIn(promise["id"], [p["id"] for p in listed])
        page = self.overview(token)
        self.assertEqual([p["id"] for p in page["open_promises"]], [promise["id"]])
        self.assertTrue(all(i["promised"] for i in page["invoices"] if i["open"]["currency"] == limits["currency"]))

    def test_a_dispute_of_an_own_invoice_pauses_it_and_anothers_is_not_found(self):
        customer = self.disputing
        token = self.link(customer)
        self.assertIsNotNone(customer, "no customer with one invoice that a run writes to")
        [invoice] = self.unpaid(customer)
        self.assertProblem(self.call("POST", token, "/disputes", body={"invoice": invoice["external_id"],
                                                                      "reason": "lost"}), 422)
        other = self.unpaid(self.overdue[4])[0]
        self.assertProblem(self.call("POST", token, "/disputes", body={"invoice": other["external_id"],
                                                                      "reason": "other"}), 404, 1200)
        self.assertProblem(self.call("POST", token, "/disputes", body={"invoice": other["number"],
                                                                      "reason": "other"}), 404, 1200)
        before = self.planned_for(customer)
        # By its number, as the debtor reads it on paper.
        answer = self.call("POST", token, "/disputes", body={"invoice": invoice["number"], "reason": "wrong_amount",
                                                             "text": "Me cobraron dos veces"})
        self.assertEqual(answer.status, 201, answer.body)
        dispute = answer.json
        self.assertEqual((dispute["invoice_external_id"], dispute["reason"], dispute["status"]),
                         (invoice["external_id"], "wrong_amount: Me cobraron dos veces", "open"))
        page = self.overview(token)
        [shown] = [i for i in page["invoices"] if i["id"] == invoice["external_id"]]
        self.assertTrue(shown["disputed"])
        self.assertEqual([d["id"] for d in page["open_disputes"]], [dispute["id"]])
        # The run leaves the disputed invoice out: with nothing else owed, nothing is planned for the customer.
        self.assertTrue(before, "the customer had something planned")
        self.assertEqual(self.planned_for(customer), [])
        # A second dispute of the same invoice is refused.
        self.assertProblem(self.call("POST", token, "/disputes", body={"invoice": invoice["external_id"],
                                                                      "reason": "other"}), 422)

    def planned_for(self, customer):
        plan = json.loads(self.server.cli("run", "--dry-run", "--as-of", self.run_day, "--format", "json").stdout)
        return [a for a in plan.get("plan", []) if a["customer_external_id"] == customer]

    def test_opting_out_revokes_consent_as_the_debtors_own_and_opting_in_restores_it(self):
        customer = self.owing[4] if len(self.owing) > 4 else self.overdue[5]
        token = self.link(customer)
        record = self.admin.get(f"/api/v1/customers/{customer}").json
        kinds = {p["channel"] for p in record["contact_points"]}
        self.assertIn("phone", kinds)
        answer = self.call("PUT", token, "/contact-preferences",
                           body={"preferred_channel": "whatsapp", "opt_out": ["sms"]})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["preferred_channel"], "whatsapp")
        page = self.overview(token)
        for channel in page["contact"]["channels"]:
            if channel["channel"] == "phone":
                self.assertEqual((channel["consent"], channel["by_debtor"]), ("revoked", True))
            else:
                self.assertEqual(channel["consent"], "granted")
            self.assertEqual(channel["preferred"], channel["channel"] == "whatsapp")
        record = self.admin.get(f"/api/v1/customers/{customer}").json
        for point in record["contact_points"]:
            if point["channel"] == "phone":
                self.assertEqual((point["consent"], point["consent_source"]), ("revoked", "debtor"))
        # Back in, and the preference cleared.
        answer = self.call("PUT", token, "/contact-preferences", body={"preferred_channel": None, "opt_in": ["phone"]})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertIsNone(answer.json["preferred_channel"])
        record = self.admin.get(f"/api/v1/customers/{customer}").json
        for point in record["contact_points"]:
            if point["channel"] == "phone":
                self.assertEqual((point["consent"], point["consent_source"]), ("granted", "portal"))
        for body, field in [({"preferred_channel": "pigeon"}, "/preferred_channel"),
                            ({"opt_out": ["fax"]}, "/opt_out/0"),
                            ({"opt_out": "sms"}, "/opt_out"),
                            ({"quiet_hours": "22-06"}, "/quiet_hours")]:
            problem = self.assertProblem(self.call("PUT", token, "/contact-preferences", body=body), 422)
            self.assertIn(field, [e["field"] for e in problem["errors"]], problem)
        self.assertProblem(self.call("PUT", token, "/contact-preferences", body={"opt_out": ["sms"], "opt_in": ["phone"]}),
                           422, 1000)

    def test_quiet_hours_narrow_the_law_and_the_run_schedules_inside_them(self):
        # A customer the run writes to at 08:00 on some weekday soon, kept out of the other tests.
        taken = set(self.owing[:6]) | set(self.overdue[:10]) | {self.disputing}
        messages = []
        for days in range(0, 30):
            day = datetime.fromisoformat(NOW[:10]) + timedelta(days=days)
            if day.weekday() >= 5:
                continue
            today = day.date().isoformat()
            plan = json.loads(self.server.cli("run", "--dry-run", "--as-of", today, "--format", "json").stdout)
            messages = [a for a in plan.get("plan", []) if a.get("channel") in ("email", "sms", "whatsapp")
                        and a["customer_external_id"] not in taken
                        and a["scheduled_local"].startswith(today + " 08:00")]
            if messages:
                break
        self.assertTrue(messages, "a message planned at 08:00 on a weekday")
        customer = messages[0]["customer_external_id"]
        token = self.link(customer)
        page = self.overview(token)
        contact = page["contact"]
        self.assertIsNone(contact["quiet_hours"])
        self.assertEqual(contact["time_zone"], "America/Bogota")
        # The law's window for this debtor (Colombia): none of it on Sunday.
        weekdays = ["mon", "tue", "wed", "thu", "fri"]
        self.assertIn(contact["legal_hours"], [
            [{"days": weekdays, "from": "07:00", "to": "19:00"}, {"days": ["sat"], "from": "08:00", "to": "15:00"}],
            [{"days": weekdays, "from": "08:00", "to": "19:00"}]])  # a person's rulebook, a company's
        answer = self.call("PUT", token, "/contact-preferences", body={"quiet_hours": {"from": "15:00", "to": "17:00"}})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["quiet_hours"], {"from": "15:00", "to": "17:00"})
        self.assertEqual(self.overview(token)["contact"]["quiet_hours"], {"from": "15:00", "to": "17:00"})
        # The engine honours it: today's message goes at the debtor's 15:00 (or waits), never before.
        plan = json.loads(self.server.cli("run", "--dry-run", "--as-of", today, "--format", "json").stdout)
        mine = [a for a in plan.get("plan", []) if a["customer_external_id"] == customer and a.get("channel")]
        self.assertTrue(mine, plan.get("plan", [])[:3])
        for action in mine:
            local = action["scheduled_local"]
            self.assertGreaterEqual(local[11:16], "15:00", action)
            self.assertLess(local[11:16], "17:00", action)
        self.assertIn(today + " 15:00", [a["scheduled_local"][:16] for a in mine])
        explained = json.loads(self.server.cli("explain", customer, "--as-of", today, "--format", "json").stdout)
        self.assertIn("debtor_quiet_hours", json.dumps(explained))
        # Audited as the debtor's change of the customer.
        rows = json.loads(self.server.cli("audit", "--format", "json", "--limit", "1000").stdout)
        changes = [r for r in rows if r["actor"] == "portal" and r["entity"] == "customer"
                   and (r["after"] or {}).get("quiet_hours") == {"from": "15:00", "to": "17:00"}]
        self.assertEqual(len(changes), 1, "an audit row of the quiet hours")
        self.assertEqual(changes[0]["before"], {"quiet_hours": None})
        self.assertRegex(changes[0]["source"], r"^portal ip=127\.0\.0\.1 ua=")
        # Bad input: each field by its pointer, nothing stored.
        for body, fields in [({"quiet_hours": {"from": "7:00", "to": "17:00"}}, ["/quiet_hours/from"]),
                             ({"quiet_hours": {"from": "15:00", "to": "24:30"}}, ["/quiet_hours/to"]),
                             ({"quiet_hours": {"from": "17:00", "to": "15:00"}}, ["/quiet_hours/to"]),
                             ({"quiet_hours": {"from": "15:00", "to": "15:30"}}, ["/quiet_hours/to"]),
                             ({"quiet_hours": {"from": "15:00"}}, ["/quiet_hours/to"]),
                             ({"quiet_hours": {"from": "15:00", "to": "17:00", "days": "mon"}},
                              ["/quiet_hours/days"]),
                             ({"quiet_hours": [15, 17]}, ["/quiet_hours"]),
                             ({"quiet_hours": {"from": 15, "to": "17:00"}, "preferred_channel": "pigeon"},
                              ["/preferred_channel", "/quiet_hours/from"]),
                             # Never within the law's hours (after 19:00 every day).
                             ({"quiet_hours": {"from": "20:00", "to": "22:00"}}, ["/quiet_hours"])]:
            problem = self.assertProblem(self.call("PUT", token, "/contact-preferences", body=body), 422)
            self.assertEqual(sorted(e["field"] for e in problem["errors"]), sorted(fields), (body, problem))
        problem = self.assertProblem(self.call("PUT", token, "/contact-preferences", language="en",
                                               body={"quiet_hours": {"from": "15:00", "to": "15:30"}}), 422)
        self.assertIn("at least one hour", problem["errors"][0]["detail"])
        self.assertEqual(self.overview(token)["contact"]["quiet_hours"], {"from": "15:00", "to": "17:00"})
        # No preference: cleared, and the run is back at 08:00.
        answer = self.call("PUT", token, "/contact-preferences", body={"quiet_hours": None})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertIsNone(answer.json["quiet_hours"])
        plan = json.loads(self.server.cli("run", "--dry-run", "--as-of", today, "--format", "json").stdout)
        mine = [a for a in plan.get("plan", []) if a["customer_external_id"] == customer and a.get("channel")]
        self.assertIn(today + " 08:00", [a["scheduled_local"][:16] for a in mine])

    def test_a_call_back_request_lands_in_the_worklist(self):
        customer = self.overdue[6]
        answer = self.call("POST", self.link(customer), "/callback",
                           body={"phone": "+57 300 123 4567", "preferred_time": "mañana 9-11", "note": "Llamen"})
        self.assertEqual(answer.status, 201, answer.body)
        task = answer.json
        self.assertEqual((task["phone"], task["preferred_time"], task["note"], task["status"]),
                         ("***4567", "mañana 9-11", "Llamen", "open"))
        worklist = self.admin.get("/api/v1/worklist?limit=100").json["data"]
        [listed] = [t for t in worklist if t["task_id"] == task["task_id"]]
        self.assertEqual((listed["customer_external_id"], listed["stage"]), (customer, "callback"))
        self.assertGreater(money(listed["open"]["amount"]), 0)
        problem = self.assertProblem(self.call("POST", self.link(customer), "/callback", body={"phone": "call me"}), 422)
        self.assertEqual(problem["errors"][0]["field"], "/phone")

    def test_every_action_is_audited_with_actor_portal_address_and_agent(self):
        customer = self.overdue[7]
        token = self.link(customer)
        invoice = self.unpaid(customer)[0]
        self.assertEqual(self.call("POST", token, "/promises", body={"date": "2026-12-01", "amount": "5.00"}).status, 201)
        self.assertEqual(self.call("POST", token, "/disputes",
                                   body={"invoice": invoice["external_id"], "reason": "defective"}).status, 201)
        self.assertEqual(self.call("PUT", token, "/contact-preferences", body={"opt_out": ["email"]}).status, 200)
        self.assertEqual(self.call("POST", token, "/callback", body={}).status, 201)
        rows = json.loads(self.server.cli("audit", "--format", "json", "--limit", "1000").stdout)
        portal = [r for r in rows if r["actor"] == "portal"]
        entities = {r["entity"] for r in portal if f"ua={AGENT}" in (r["source"] or "")}
        self.assertTrue({"promise", "dispute", "contact_point", "task"} <= entities, entities)
        for row in portal:
            self.assertRegex(row["source"], r"^portal ip=127\.0\.0\.1 ua=")
            self.assertTrue(row["at"])

    def test_the_unsubscribe_link_records_the_debtors_opt_out(self):
        customer = self.owing[5] if len(self.owing) > 5 else self.overdue[8]
        record = self.admin.get(f"/api/v1/customers/{customer}").json
        [email] = [p["value"] for p in record["contact_points"] if p["channel"] == "email"][:1]
        customer_id = int(self.server.query(
            f"SELECT id FROM customers WHERE tenant_id = 1 AND external_id = '{customer}'")[0][0])
        token = sign(2, {"tenant": 1, "customer": customer_id, "channel": "email", "address": email},
                     datetime.now(timezone.utc) + timedelta(days=3650))
        answer = self.anon.post(f"/api/v1/portal/unsubscribe/{token}", headers={"User-Agent": AGENT})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json["channel"], "email")
        self.assertTrue(answer.json["changed"])
        self.assertNotEqual(answer.json["address"], email)
        again = self.anon.post(f"/api/v1/portal/unsubscribe/{token}")
        self.assertFalse(again.json["changed"])
        [point] = [p for p in self.admin.get(f"/api/v1/customers/{customer}").json["contact_points"]
                   if p["value"] == email and p["channel"] == "email"]
        self.assertEqual((point["consent"], point["consent_source"]), ("revoked", "debtor"))
        # A payment-link token is not an unsubscribe token.
        self.assertProblem(self.anon.post(f"/api/v1/portal/unsubscribe/{self.link(customer)}"), 404, 1202)

    def test_mail_clients_one_click_unsubscribe_posts_to_the_link_itself(self):
        # RFC 8058: the List-Unsubscribe address, POSTed with a form body.
        customer = self.overdue[-1]
        record = self.admin.get(f"/api/v1/customers/{customer}").json
        [email] = [p["value"] for p in record["contact_points"] if p["channel"] == "email"][:1]
        customer_id = int(self.server.query(
            f"SELECT id FROM customers WHERE tenant_id = 1 AND external_id = '{customer}'")[0][0])
        token = sign(2, {"tenant": 1, "customer": customer_id, "channel": "email", "address": email},
                     datetime.now(timezone.utc) + timedelta(days=3650))
        answer = self.anon.post(f"/unsubscribe/{token}", raw="List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
        self.assertEqual(answer.status, 200, answer.body)
        self.assertTrue(answer.json["changed"])
        [point] = [p for p in self.admin.get(f"/api/v1/customers/{customer}").json["contact_points"]
                   if p["value"] == email and p["channel"] == "email"]
        self.assertEqual(point["consent"], "revoked")

    def test_a_flood_on_one_token_is_rate_limited(self):
        token = self.link(self.overdue[9])
        statuses = [self.call("GET", token, "/statement.pdf" if i % 2 else "").status for i in range(70)]
        self.assertIn(429, statuses)
        self.assertEqual(statuses[0], 200)
        limited = self.call("GET", token)
        self.assertProblem(limited, 429, 1400)
        self.assertGreaterEqual(int(limited.header("retry-after")), 1)
        # Another customer's link is not held back.
        self.assertEqual(self.call("GET", self.link(self.overdue[10])).status, 200)


if __name__ == "__main__":
    unittest.main()
