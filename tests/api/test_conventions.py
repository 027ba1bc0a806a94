"""The conventions every route shares: problem+json, strict bodies,
idempotency keys, request ids, the OpenAPI document itself."""
import json
import re
import unittest

from harness import ApiTest, Client, openapi_document, route_table


class ConventionsTest(ApiTest):
    demo_customers = 5

    def test_every_route_is_in_the_document_and_every_documented_route_exists(self):
        document = openapi_document()
        served = {(r["method"].lower(), r["path"]) for r in route_table()}
        documented = {(method, path) for path, item in document["paths"].items() for method in item
                      if method in ("get", "post", "put", "patch", "delete")}
        self.assertEqual(sorted(served - documented), [], "routes the document does not describe")
        self.assertEqual(sorted(documented - served), [], "documented routes the server does not have")
        self.assertEqual(document["openapi"], "3.1.0")

    def test_the_document_is_well_formed(self):
        document = openapi_document()
        operation_ids = []
        for path, item in document["paths"].items():
            names = set(re.findall(r"\{([^}]+)\}", path))
            for method, operation in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                where = f"{method.upper()} {path}"
                self.assertIn("operationId", operation, where)
                operation_ids.append(operation["operationId"])
                self.assertTrue(operation.get("summary"), where)
                declared = {p["name"] for p in operation.get("parameters", []) + item.get("parameters", [])
                            if p.get("in") == "path"}
                self.assertEqual(declared, names, f"{where}: path parameters")
                self.assertTrue(any(code.startswith("2") for code in operation["responses"]), where)
                self.assertIn("default", operation["responses"], f"{where}: errors (problem+json) undocumented")
        self.assertEqual(len(operation_ids), len(set(operation_ids)), "operationIds repeat")
        # Every $ref resolves.
        text = json.dumps(document)
        for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
            node = document
            for part in ref.split("/"):
                self.assertIn(part, node, f"unresolved $ref #/{ref}")
                node = node[part]

    def test_served_document_is_the_built_one(self):
        served = Client(self.server).get("/api/v1/openapi.json")
        self.assertEqual(served.json, openapi_document())

    def test_request_id_is_returned_and_kept_when_sane(self):
        answer = Client(self.server).get("/healthz", headers={"X-Request-Id": "abc-123"})
        self.assertEqual(answer.header("x-request-id"), "abc-123")
        generated = Client(self.server).get("/healthz", headers={"X-Request-Id": "bad id with spaces"})
        self.assertNotEqual(generated.header("x-request-id"), "bad id with spaces")
        self.assertTrue(generated.header("x-request-id"))

    def test_malformed_json_wrong_types_unknown_fields_invalid_utf8(self):
        admin = self.admin
        self.assertProblem(admin.request("POST", "/api/v1/api-keys", raw=b'{"name": ', content_type="application/json"),
                           400, 1001)
        self.assertProblem(admin.request("POST", "/api/v1/api-keys", raw=b'{"name": "\xff\xfe", "role": "viewer"}',
                                         content_type="application/json"), 400, 1006)
        self.assertProblem(admin.request("POST", "/api/v1/api-keys", raw=b'[1, 2]', content_type="application/json"),
                           422, 1002)
        problem = self.assertProblem(admin.post("/api/v1/api-keys", {"name": 5, "role": "viewer", "colour": "red"}), 422,
                                     1000)
        fields = {e["field"]: e["code"] for e in problem["errors"]}
        self.assertEqual(fields, {"/name": 1002, "/colour": 1003})
        self.assertProblem(admin.post("/api/v1/api-keys", {"role": "viewer"}), 422, 1004)
        self.assertProblem(admin.request("POST", "/api/v1/api-keys", raw=b'name=x', content_type="text/plain"), 415, 1007)

    def test_oversized_body_is_413(self):
        big = json.dumps({"name": "x" * (2 << 20), "role": "viewer"})
        self.assertProblem(self.admin.request("POST", "/api/v1/api-keys", raw=big, content_type="application/json"), 413,
                           1005)

    def test_unknown_route_and_method(self):
        self.assertProblem(self.admin.get("/api/v1/nothing-here", validate=False), 404, 1200)
        self.assertProblem(self.admin.request("PUT", "/api/v1/me", body={}), 405, 1201)

    def test_idempotency_key_replays_and_refuses_another_body(self):
        headers = {"Idempotency-Key": "key-create-1"}
        first = self.admin.post("/api/v1/api-keys", {"name": "idem", "role": "viewer"}, headers=headers)
        self.assertEqual(first.status, 201, first.body)
        again = self.admin.post("/api/v1/api-keys", {"name": "idem", "role": "viewer"}, headers=headers)
        self.assertEqual(again.status, 201)
        self.assertEqual(again.json, first.json)
        self.assertEqual(again.header("idempotent-replayed"), "true")
        names = [k["name"] for k in self.admin.get("/api/v1/api-keys").json["data"]]
        self.assertEqual(names.count("idem"), 1)
        self.assertProblem(self.admin.post("/api/v1/api-keys", {"name": "other", "role": "viewer"}, headers=headers), 422,
                           1301)

    def test_rate_limit_answers_429_with_retry_after(self):
        key = self.server.api_key("viewer")
        client = Client(self.server, key)
        statuses = [client.get("/api/v1/me").status for _ in range(150)]
        self.assertIn(429, statuses)
        limited = client.get("/api/v1/me")
        if limited.status == 429:
            self.assertGreaterEqual(int(limited.header("retry-after")), 1)

    def test_health_ready_metrics(self):
        anonymous = Client(self.server)
        self.assertEqual(anonymous.get("/healthz").json, {"status": "ok"})
        self.assertEqual(anonymous.get("/readyz").json["status"], "ready")
        self.admin.get("/api/v1/me")
        metrics = anonymous.get("/metrics").body.decode()
        self.assertIn('cartera_http_requests_total{method="GET",route="/api/v1/me",status="200"}', metrics)
        self.assertIn("cartera_http_request_duration_seconds_bucket", metrics)
        self.assertIn("cartera_outbox_items", metrics)
        self.assertNotIn("ck_", metrics)

    def test_logs_are_json_lines_without_secrets(self):
        key = self.server.api_key("admin")
        Client(self.server, key).post("/api/v1/users", {"email": "log@empresa.co", "role": "viewer",
                                                         "password": "a secret password"})
        lines = [line for line in self.server.logs().splitlines() if line.strip()]
        for line in lines:
            entry = json.loads(line)
            self.assertIn("ts", entry)
        text = "\n".join(lines)
        self.assertNotIn(key, text)
        self.assertNotIn("a secret password", text)
        self.assertTrue(any(json.loads(l).get("route") == "/api/v1/users" for l in lines))


if __name__ == "__main__":
    unittest.main()
