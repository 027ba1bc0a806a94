"""Sign-in, sessions with CSRF, API keys, roles and the account routes."""
import time
import unittest

from harness import ApiTest, Client


class AccessTest(ApiTest):
    demo_customers = 5

    def test_no_credentials_is_401_in_the_callers_language(self):
        anonymous = Client(self.server, language="en")
        problem = self.assertProblem(anonymous.get("/api/v1/me"), 401, 1100)
        self.assertIn("API key", problem["detail"])
        spanish = Client(self.server, language="es-CO,es;q=0.9,en;q=0.5")
        self.assertIn("clave de API", self.assertProblem(spanish.get("/api/v1/me"), 401, 1100)["detail"])

    def test_wrong_and_revoked_keys_are_401(self):
        self.assertProblem(Client(self.server, "ck_nothing_here").get("/api/v1/me"), 401, 1100)
        key = self.server.api_key("viewer")
        me = Client(self.server, key).get("/api/v1/me")
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json["role"], "viewer")
        keys = self.admin.get("/api/v1/api-keys").json["data"]
        key_id = next(k["id"] for k in keys if key.startswith(k["prefix"] + "_"))
        self.assertEqual(self.admin.delete(f"/api/v1/api-keys/{key_id}").json["revoked"], True)
        self.assertProblem(Client(self.server, key).get("/api/v1/me"), 401, 1100)

    def test_role_below_the_route_is_403(self):
        viewer = self.client("viewer")
        self.assertProblem(viewer.get("/api/v1/users"), 403, 1101)
        self.assertProblem(viewer.post("/api/v1/api-keys", {"name": "x", "role": "admin"}), 403, 1101)

    def test_login_session_csrf_and_one_time_password(self):
        added = self.admin.post("/api/v1/users", {"email": "Laura@Empresa.co", "role": "collector"})
        self.assertEqual(added.status, 201, added.body)
        one_time = added.json["one_time_password"]
        self.assertEqual(added.json["email"], "laura@empresa.co")
        browser = Client(self.server, language="en")
        self.assertProblem(browser.post("/api/v1/session", {"email": "laura@empresa.co", "password": "wrong-password"}),
                           401, 1104)
        signed_in = browser.post("/api/v1/session", {"email": "laura@empresa.co", "password": one_time})
        self.assertEqual(signed_in.status, 201, signed_in.body)
        cookie = signed_in.header("set-cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        self.assertNotIn(one_time, signed_in.body.decode())
        # A one-time password must be changed before anything else.
        self.assertEqual(browser.get("/api/v1/me").json["must_change_password"], True)
        self.assertProblem(browser.get("/api/v1/users"), 403, 1103)
        # Without the CSRF token a state-changing request is refused.
        self.assertProblem(browser.post("/api/v1/me/password", {"current_password": one_time,
                                                                 "new_password": "una clave larga"}), 403, 1102)
        browser.csrf = signed_in.json["csrf_token"]
        self.assertEqual(browser.post("/api/v1/me/password", {"current_password": one_time,
                                                               "new_password": "una clave larga"}).status, 204)
        self.assertEqual(browser.get("/api/v1/me").json["must_change_password"], False)
        self.assertEqual(browser.delete("/api/v1/session").status, 204)
        self.assertProblem(browser.get("/api/v1/me"), 401, 1100)

    def test_unknown_user_takes_as_long_as_a_wrong_password(self):
        self.admin.post("/api/v1/users", {"email": "timing@empresa.co", "role": "viewer", "password": "a long password"})
        anonymous = Client(self.server)

        def timed(email):
            started = time.monotonic()
            self.assertProblem(anonymous.post("/api/v1/session", {"email": email, "password": "not the password"}),
                               401, 1104)
            return time.monotonic() - started
        known = min(timed("timing@empresa.co") for _ in range(3))
        unknown = min(timed(f"nobody{i}@empresa.co") for i in range(3))
        # Both pay for one Argon2id verification; an unknown e-mail is not answered early.
        self.assertGreater(unknown, known * 0.5, (known, unknown))

    def test_login_is_throttled(self):
        anonymous = Client(self.server)
        statuses = [anonymous.post("/api/v1/session", {"email": "throttle@empresa.co", "password": "x" * 12}).status
                    for _ in range(14)]
        self.assertIn(429, statuses)
        limited = anonymous.post("/api/v1/session", {"email": "throttle@empresa.co", "password": "x" * 12})
        self.assertProblem(limited, 429, 1400)
        self.assertGreaterEqual(int(limited.header("retry-after")), 1)

    def test_password_reset_token_from_the_cli(self):
        self.admin.post("/api/v1/users", {"email": "reset@empresa.co", "role": "viewer", "password": "first password"})
        token = self.server.cli("user", "reset", "reset@empresa.co").stdout.strip().splitlines()[-1]
        anonymous = Client(self.server)
        self.assertProblem(anonymous.post("/api/v1/password-reset", {"token": "forged", "new_password": "second password"}),
                           422, 1000)
        self.assertEqual(anonymous.post("/api/v1/password-reset", {"token": token, "new_password": "second password"}).status,
                         204)
        # One use only.
        self.assertProblem(anonymous.post("/api/v1/password-reset", {"token": token, "new_password": "third password"}),
                           422, 1000)
        self.assertEqual(anonymous.post("/api/v1/session", {"email": "reset@empresa.co",
                                                             "password": "second password"}).status, 201)

    def test_users_etag_and_if_match(self):
        added = self.admin.post("/api/v1/users", {"email": "etag@empresa.co", "role": "viewer", "password": "a long password"})
        user_id = added.json["id"]
        got = self.admin.get(f"/api/v1/users/{user_id}")
        etag = got.header("etag")
        self.assertTrue(etag)
        changed = self.admin.patch(f"/api/v1/users/{user_id}", {"role": "collector"}, headers={"If-Match": etag})
        self.assertEqual(changed.status, 200, changed.body)
        self.assertEqual(changed.json["role"], "collector")
        # The old tag is stale now: a lost update is refused.
        self.assertProblem(self.admin.patch(f"/api/v1/users/{user_id}", {"role": "manager"}, headers={"If-Match": etag}),
                           412, 1303)


if __name__ == "__main__":
    unittest.main()
