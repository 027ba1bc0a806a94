"""Tenant isolation sweep and the permission matrix, both driven by the
server's own route table (`cartera openapi --routes`), so every route added
later is swept too.

Isolation: tenant B's admin walks every route with tenant A's ids. A read or
delete of A's record is a 404, exactly as for an id that does not exist
(never a 403, which would say it exists); a write answers B as it answers a
made-up id; and no answer to B carries any of A's values.

Matrix: every route x every role: a role below the route's least role is a
403 with code 1101, every other role is let through (never 401/403)."""
import json
import re
import unittest

from harness import ApiTest, Client, route_table

# Path parameters that name something every tenant has its own of (a channel,
# a template key, a provider's webhook): not another tenant's record.
TENANT_NEUTRAL = {"channel", "key", "entity", "tenant", "token"}
FAKE = {"numeric": "987654321", "text": "ZZ-NO-SUCH-9999"}


def fill(path, value):
    return re.sub(r"\{[^}]+\}", value, path)


def params(path):
    return re.findall(r"\{([^}]+)\}", path)


class IsolationTest(ApiTest):
    demo_customers = 30
    serve_args = ("--rate-limit", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = cls.server
        server.cli("tenant", "create", "Beta", "--country", "CO", "--currency", "COP", "--time-zone", "America/Bogota")
        cls.beta = Client(server, server.api_key("admin", tenant="beta"))
        # Tenant A's values, from A's own answers.
        cls.a_ids = set()
        cls.a_ids_by_kind = {}
        cls.a_values = set()
        a = cls.admin
        for path, id_field, value_fields in [
            ("/api/v1/customers?limit=100", "external_id", ["external_id", "name", "tax_id"]),
            ("/api/v1/invoices?limit=100", "external_id", ["external_id", "number"]),
            ("/api/v1/users", "id", ["email"]),
            ("/api/v1/api-keys", "id", ["prefix"]),
            ("/api/v1/promises?limit=100", "id", []),
            ("/api/v1/disputes?limit=100", "id", []),
            ("/api/v1/outbox?limit=100", "id", []),
            ("/api/v1/worklist", "id", []),
        ]:
            answer = a.get(path, validate=False)
            if answer.status != 200:
                continue
            kind = path.split("?")[0].rsplit("/", 1)[-1]
            for index, item in enumerate(answer.json.get("data", [])):
                if item.get(id_field) is not None and index < 4:  # a few of each kind
                    cls.a_ids.add(str(item[id_field]))
                    cls.a_ids_by_kind.setdefault(kind, set()).add(str(item[id_field]))
                for field in value_fields:
                    if isinstance(item.get(field), str) and len(item[field]) >= 6:
                        cls.a_values.add(item[field])
        server.cli("user", "add", "alpha-only@empresa.co", "--role", "viewer")
        cls.a_values.add("alpha-only@empresa.co")

    def assertNoAlphaValue(self, response, where, sent=None):
        body = response.body.decode("utf-8", "replace")
        # The id B sent may come back in the problem ("no customer 'X'"): that is B's own input.
        leaked = [value for value in self.a_values if value in body and value != sent]
        self.assertEqual(leaked, [], f"{where}: tenant A's values in tenant B's answer")

    def test_a_has_data_to_protect(self):
        self.assertGreaterEqual(len(self.a_ids), 8)
        self.assertGreater(len(self.a_values), 30)

    def test_every_route_with_a_ids_is_404_for_b(self):
        checked = 0
        for route in route_table():
            names = params(route["path"])
            if not names or route["access"] == "public" or set(names) & TENANT_NEUTRAL:
                continue
            method = route["method"]
            body = {} if method in ("POST", "PUT", "PATCH") else None
            made_up = {kind: self.beta.request(method, fill(route["path"], fake), body=body, validate=False).status
                       for kind, fake in FAKE.items()}
            # The ids of the kind the path names ("/api/v1/promises/{id}" takes
            # promise ids; numeric ids of other kinds could be B's own).
            kind = route["path"].split("/")[3]
            kind = {"worklist": "worklist", "tasks": "worklist"}.get(kind, kind)
            ids = self.a_ids_by_kind.get(kind)
            if ids is None:
                ids = {i for i in self.a_ids if not i.isdigit()}
            for a_id in sorted(ids):
                answer = self.beta.request(method, fill(route["path"], a_id), body=body, validate=False)
                where = f"{method} {route['path']} with A's id {a_id}"
                self.assertNotEqual(answer.status, 403, where)
                self.assertFalse(200 <= answer.status < 300, f"{where}: {answer.status} {answer.body[:300]!r}")
                if method in ("GET", "DELETE"):
                    self.assertEqual(answer.status, 404, f"{where}: {answer.body[:300]!r}")
                else:
                    # A write answers A's id as it answers an id nobody has.
                    self.assertIn(answer.status, (404, made_up["numeric" if a_id.isdigit() else "text"]), where)
                self.assertNoAlphaValue(answer, where, sent=a_id)
                checked += 1
        self.assertGreater(checked, 0)

    def test_no_list_or_report_shows_b_anything_of_a(self):
        checked = 0
        for route in route_table():
            if route["method"] != "GET" or params(route["path"]) or route["access"] == "public":
                continue
            answer = self.beta.get(route["path"], validate=False)
            self.assertNotIn(answer.status, (401, 403), route["path"])
            self.assertNoAlphaValue(answer, f"GET {route['path']}")
            checked += 1
        self.assertGreater(checked, 3)


class PermissionMatrixTest(ApiTest):
    demo_customers = 5
    serve_args = ("--rate-limit", "0")
    ROLES = ["viewer", "collector", "manager", "admin"]

    def test_every_route_for_every_role(self):
        clients = {role: Client(self.server, self.server.api_key(role)) for role in self.ROLES}
        refused = allowed = 0
        for route in route_table():
            if route["method"] == "DELETE" and "session" in route["path"]:
                continue  # signs the key out of nothing; covered in test_access
            path = fill(route["path"], "1")
            body = {} if route["method"] in ("POST", "PUT", "PATCH") else None
            for role in self.ROLES:
                answer = clients[role].request(route["method"], path, body=body, validate=False)
                where = f"{role} {route['method']} {route['path']}: {answer.status} {answer.body[:200]!r}"
                below = route["access"] == "role" and self.ROLES.index(role) < self.ROLES.index(route["least_role"])
                if below:
                    self.assertEqual(answer.status, 403, where)
                    self.assertEqual(answer.json["code"], 1101, where)
                    refused += 1
                else:
                    self.assertNotIn(answer.status, (401, 403), where)
                    allowed += 1
        self.assertGreater(refused, 0)
        self.assertGreater(allowed, 0)


if __name__ == "__main__":
    unittest.main()
