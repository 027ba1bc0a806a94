"""What API callers read names fields, not CLI flags, and strategy errors come
in the caller's language (Accept-Language), with the field's JSON Pointer."""
import json
import unittest

from harness import ApiTest, Client


class WordingTest(ApiTest):
    demo_customers = 40
    serve_args = ("--no-scheduler", "--no-delivery")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        key = cls.server.api_key("manager")
        cls.english = Client(cls.server, key, language="en")
        cls.spanish = Client(cls.server, key, language="es")

    def strategy(self):
        return self.english.get("/api/v1/strategy").json

    def problems(self, client, document):
        answer = client.post("/api/v1/strategy/validate", document)
        self.assertEqual(answer.status, 200, answer.body)
        self.assertFalse(answer.json["valid"])
        return answer.json["problems"]

    def test_strategy_errors_follow_the_callers_language(self):
        broken = self.strategy()
        broken["stages"][1]["actions"][0]["channel"] = "fax"
        [english] = self.problems(self.english, broken)
        [spanish] = self.problems(self.spanish, broken)
        self.assertEqual(english["field"], "/stages/1/actions/0/channel")
        self.assertEqual(spanish["field"], "/stages/1/actions/0/channel")
        self.assertEqual(english["detail"], "must be email, sms, whatsapp, call, letter or best")
        self.assertEqual(spanish["detail"], "debe ser email, sms, whatsapp, call, letter o best")
        # Unknown fields, ranges, duplicates, missing scripts: each in both languages.
        cases = [
            (dict(self.strategy(), colour="red"), "/colour", "unknown field", "campo desconocido"),
            (dict(self.strategy(), promise_grace_days=99), "/promise_grace_days", "must be between 0 and 60",
             "debe estar entre 0 y 60"),
            (dict(self.strategy(), stages=[]), "/stages", "must be a non-empty list", "debe ser una lista no vacía"),
        ]
        doubled = self.strategy()
        doubled["stages"].append(dict(doubled["stages"][0], day=doubled["stages"][0]["day"] + 1000))
        cases.append((doubled, "/stages", "appears twice", "aparece dos veces"))
        no_script = self.strategy()
        no_script["stages"][1]["actions"][0]["tone"] = "severo"
        cases.append((no_script, None, "no script", "no hay guion"))
        for document, field, english_words, spanish_words in cases:
            [english] = self.problems(self.english, document)
            [spanish] = self.problems(self.spanish, document)
            self.assertIn(english_words, english["detail"], document)
            self.assertIn(spanish_words, spanish["detail"], document)
            self.assertEqual(english["field"], spanish["field"])
            if field is not None:
                self.assertEqual(english["field"], field)
        # PUT answers a problem with the same words, and stores nothing.
        before = self.english.get("/api/v1/strategy")
        problem = self.assertProblem(self.spanish.put("/api/v1/strategy", broken,
                                                      headers={"If-Match": before.header("etag")}), 422, 1000)
        self.assertEqual(problem["errors"][0]["field"], "/stages/1/actions/0/channel")
        self.assertIn("debe ser email", problem["errors"][0]["detail"])
        self.assertEqual(self.english.get("/api/v1/strategy").header("etag"), before.header("etag"))
        # The CLI reads its own language.
        path = f"{self.server.workdir}/broken.json"
        with open(path, "w") as out:
            json.dump(broken, out)
        done = self.server.cli("--lang", "es", "policy", "validate", path, check=False)
        self.assertEqual(done.returncode, 2)
        self.assertIn("estrategia: stages[1].actions[0].channel: debe ser email", done.stderr)
        done = self.server.cli("--lang", "en", "policy", "validate", path, check=False)
        self.assertIn("strategy: stages[1].actions[0].channel: must be email", done.stderr)

    def test_promise_refusals_name_fields_not_flags(self):
        rows = json.loads(self.server.cli("customers", "--format", "json").stdout)
        settled = sorted(r["external_id"] for r in rows if r["currency"] is None)
        if not settled:
            self.skipTest("every demo customer owes something")
        body = {"customer": settled[0], "date": "2026-12-05", "amount": "1000"}
        for client, words in ((self.english, "give the promise's currency"),
                              (self.spanish, "indique la moneda (currency) de la promesa")):
            problem = self.assertProblem(client.post("/api/v1/promises", body), 422, 1000)
            text = json.dumps(problem, ensure_ascii=False)
            self.assertIn(words, text)
            self.assertNotIn("--", text)


if __name__ == "__main__":
    unittest.main()
