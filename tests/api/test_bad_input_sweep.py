"""Bad input on every route that takes a JSON body, driven by the route
table: malformed JSON, invalid UTF-8, a field no route takes, a body over the
limit, no credentials. Each answer is problem+json with its code, and none
of them writes anything (the audit log, where every change lands, does not
grow)."""
import json
import re
import unittest

from harness import ApiTest, Client, route_table


def fill(path):
    return re.sub(r"\{[^}]+\}", "1", path)


class BadInputSweepTest(ApiTest):
    demo_customers = 10
    serve_args = ("--rate-limit", "0")

    def audit_rows(self):
        return int(self.server.query("SELECT COUNT(*) FROM audit_log")[0][0])

    def test_every_json_route_refuses_bad_bodies_and_writes_nothing(self):
        before = self.audit_rows()
        routes = [r for r in route_table() if r["body"] == "json" and r["access"] != "public"]
        self.assertGreater(len(routes), 15)
        for route in routes:
            path, method = fill(route["path"]), route["method"]
            cases = [
                (b'{"a": ', 400, 1001),
                (b'{"name": "\xc3\x28"}', 400, 1006),
                (b'{"zz_not_a_field": 1}', 422, None),
                (b'[]', 422, 1002),
            ]
            for raw, status, code in cases:
                answer = self.admin.request(method, path, raw=raw, content_type="application/json", validate=False)
                where = f"{method} {route['path']} {raw!r}: {answer.status} {answer.body[:200]!r}"
                if route["path"].endswith("/validate") and answer.status == 200:
                    # Validation answers with its report: the field named, nothing stored.
                    self.assertFalse(json.loads(answer.body)["valid"], where)
                    continue
                self.assertEqual(answer.header("content-type").split(";")[0], "application/problem+json", where)
                problem = json.loads(answer.body)
                # A route may first find that "1" names nothing: 404 is a refusal too.
                self.assertIn(answer.status, (status, 404), where)
                if answer.status == status and code is not None:
                    self.assertEqual(problem["code"], code, where)
                if answer.status == 422 and code is None:
                    fields = [e["field"] for e in problem.get("errors", [])]
                    self.assertIn("/zz_not_a_field", fields, where)
            big = json.dumps({"x": "y" * (route["max_body_bytes"] + 1)})
            answer = self.admin.request(method, path, raw=big, content_type="application/json", validate=False)
            self.assertEqual(answer.status, 413, f"{method} {route['path']}")
            self.assertEqual(json.loads(answer.body)["code"], 1005)
            anonymous = Client(self.server).request(method, path, body={}, validate=False)
            self.assertEqual(anonymous.status, 401, f"{method} {route['path']}")
        self.assertEqual(self.audit_rows(), before, "a refused request wrote to the audit log")

    def test_tampered_session_cookie_and_key_are_401(self):
        browser = Client(self.server)
        browser.cookies["cartera_session"] = "forged-session-token"
        self.assertProblem(browser.get("/api/v1/me"), 401, 1100)
        key = self.server.api_key("viewer")
        tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
        self.assertProblem(Client(self.server, tampered).get("/api/v1/me"), 401, 1100)


if __name__ == "__main__":
    unittest.main()
