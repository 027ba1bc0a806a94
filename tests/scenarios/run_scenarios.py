#!/usr/bin/python3
"""Data-driven scenarios for agreements and consequences (issue 17): promises,
payment plans, offers, disputes, charges and escalation, played through the
real `cartera` command line on a fresh database each.

Usage: run_scenarios.py PATH_TO_CARTERA [--backend sqlite|postgres] [SCENARIO.json ...]

Without scenario files it plays every tests/scenarios/*.json. The backend is
SQLite (a file in a temporary directory) unless --backend postgres, which needs
CARTERA_TEST_POSTGRES_URL (the cluster scripts/test.sh starts): each scenario
then gets a database of its own, created and dropped around it. Without the
variable the PostgreSQL run prints "SKIP: ..." and exits 0.

The format is described in tests/scenarios/README.md. Python 3 standard
library only.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))
# Shared material is read in place, as ../shared from the project.
SHARED = os.path.join(PROJECT, "..", "shared")


class ScenarioFailure(Exception):
    pass


# --- PostgreSQL: one database per scenario (as tests/api/harness.py does) ---

def _pg_params(url):
    match = re.match(r"postgresql://([^/]*)/([^?]*)(\?.*)?$", url)
    if not match:
        raise SystemExit(f"run_scenarios: cannot read CARTERA_TEST_POSTGRES_URL {url!r}")
    query = match.group(3) or ""
    params = dict(p.split("=", 1) for p in query[1:].split("&") if p)
    return match.group(1), match.group(2) or "postgres", query, params


def _psql(url, sql):
    _, dbname, _, params = _pg_params(url)
    command = ["psql", "-h", params.get("host", "/tmp"), "-p", params.get("port", "5432"),
               "-U", params.get("user", "postgres"), "-d", dbname, "-q", "-c", sql]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"run_scenarios: psql {sql!r}: {done.stderr.strip()}")


class Database:
    def __init__(self, backend, workdir):
        self.backend = backend
        self.name = None
        if backend == "sqlite":
            self.url = os.path.join(workdir, "cartera.db")
        else:
            server = os.environ["CARTERA_TEST_POSTGRES_URL"]
            host, _, query, _ = _pg_params(server)
            self.server = server
            self.name = "scenario_" + uuid.uuid4().hex[:12]
            _psql(server, f"CREATE DATABASE {self.name}")
            self.url = f"postgresql://{host}/{self.name}{query}"

    def drop(self):
        if self.name:
            _psql(self.server, f"DROP DATABASE IF EXISTS {self.name}")


# --- JSON paths -------------------------------------------------------------

def split_path(path):
    """'installments.0.status' or 'rows[collector=none].kept' into segments."""
    segments = []
    for part in re.findall(r"\[[^\]]*\]|[^.\[\]]+", path):
        segments.append(part[1:-1] if part.startswith("[") else part)
    return segments


def resolve(document, path):
    """The value at path; raises KeyError naming the segment that is missing."""
    value = document
    walked = []
    for segment in split_path(path) if path not in ("", "$") else []:
        walked.append(segment)
        if isinstance(value, list):
            if "=" in segment:
                key, wanted = segment.split("=", 1)
                found = [item for item in value if isinstance(item, dict) and str(item.get(key)) == wanted]
                if not found:
                    raise KeyError(f"no element with {key}={wanted} at {'.'.join(walked[:-1]) or '$'}")
                value = found[0]
            elif re.fullmatch(r"-?\d+", segment):
                index = int(segment)
                if not -len(value) <= index < len(value):
                    raise KeyError(f"index {index} out of range (length {len(value)}) at {'.'.join(walked)}")
                value = value[index]
            else:
                raise KeyError(f"'{segment}' on a list at {'.'.join(walked)}")
        elif isinstance(value, dict):
            if segment not in value:
                raise KeyError(f"no key '{segment}' at {'.'.join(walked)} (keys: {sorted(value)})")
            value = value[segment]
        else:
            raise KeyError(f"'{segment}' on a {type(value).__name__} at {'.'.join(walked)}")
    return value


def matches(expected, actual):
    """Expected dicts are subsets of actual ones; anything else is equal."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and matches(v, actual[k]) for k, v in expected.items())
    return expected == actual


def show(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def display_name(path):
    """tests/scenarios/x.json inside the project, else the path as given."""
    relative = os.path.relpath(os.path.abspath(path), PROJECT)
    return path if relative.startswith("..") else relative


# --- One scenario -----------------------------------------------------------

class Scenario:
    def __init__(self, cartera, path, backend, verbose):
        self.cartera = cartera
        self.path = path
        self.name = display_name(path)
        self.backend = backend
        self.verbose = verbose
        with open(path, encoding="utf-8") as f:
            self.spec = json.load(f)
        if not self.spec.get("description"):
            raise ScenarioFailure(f"{self.name}: no \"description\"")
        self.failures = []
        self.clock = None
        self.step_env = {}

    def env(self):
        env = dict(os.environ)
        env.pop("CARTERA_TENANT", None)
        # The CLI's actor is cli:<account>, the account from USER/LOGNAME: fixed here,
        # a step's "env" changes it (a write-off is approved by someone else).
        env.update({"CARTERA_DB": self.db.url, "CARTERA_LANG": "en", "LANG": "C.UTF-8",
                    "CARTERA_SECRET_KEY": "11" * 32, "USER": "operator", "LOGNAME": "operator"})
        env.update(self.step_env)
        if self.clock:
            env["CARTERA_NOW"] = self.clock
        return env

    def cli(self, args, where, expect_exit=0):
        command = [self.cartera, "--db", self.db.url] + [str(a) for a in args]
        done = subprocess.run(command, env=self.env(), capture_output=True, text=True, cwd=self.workdir)
        if self.verbose:
            print(f"  [{self.clock}] $ cartera {' '.join(str(a) for a in args)} -> {done.returncode}")
        if expect_exit is not None and done.returncode != expect_exit:
            raise ScenarioFailure(f"{where}: `cartera {' '.join(str(a) for a in args)}` exited "
                                  f"{done.returncode}, expected {expect_exit}\n    stdout: {done.stdout.strip()[:2000]}"
                                  f"\n    stderr: {done.stderr.strip()[:2000]}")
        return done

    def write_csv(self, name, lines):
        text = lines if isinstance(lines, str) else "\n".join(lines) + "\n"
        path = os.path.join(self.workdir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def set_clock(self, value):
        # A date alone is 15:00 UTC that day: the working day in the Americas and Europe.
        self.clock = value if "T" in value else f"{value}T15:00:00Z"

    def fail(self, where, message):
        self.failures.append(f"{where}: {message}")

    def play(self):
        self.workdir = tempfile.mkdtemp(prefix="cartera-scenario-")
        self.db = Database(self.backend, self.workdir)
        try:
            self.set_clock(self.spec.get("clock", "2026-03-02"))
            self.cli(["init"], f"{self.name}: init")
            ledger = self.spec.get("ledger", {})
            for kind in ("customers", "invoices", "payments", "credit-notes"):
                if kind in ledger:
                    csv = self.write_csv(f"ledger-{kind}.csv", ledger[kind])
                    self.cli(["import", kind, csv], f"{self.name}: ledger {kind}")
            for number, step in enumerate(self.spec.get("steps", []), start=1):
                where = f"{self.name} step {number}" + (f" ({step['note']})" if step.get("note") else "")
                try:
                    self.step(step, where, number)
                except ScenarioFailure as failure:
                    self.failures.append(str(failure))
                    break  # later steps depend on this one
        finally:
            self.db.drop()
            shutil.rmtree(self.workdir, ignore_errors=True)
        return self.failures

    def step(self, step, where, number):
        self.step_env = {k: str(v) for k, v in step.get("env", {}).items()}
        if "clock" in step:
            self.set_clock(step["clock"])
        if "rules_quote" in step:
            self.check_rules_quote(step["rules_quote"], where)
        if "run" in step:
            self.cli(step["run"], where, step.get("exit", 0))
        if "import" in step:
            csv = self.write_csv(f"step{number}-{step['import']}.csv", step["csv"])
            self.cli(["import", step["import"], csv], where, step.get("exit", 0))
        if "expect" in step:
            self.check_json(step, where)
        if "expect_outbox" in step:
            self.check_outbox(step, where)

    def check_rules_quote(self, quote, where):
        """The worked example the scenario reproduces is the one ../shared states."""
        rules = os.path.join(SHARED, quote.get("file", "compliance/RULES.md"))
        if not os.path.exists(rules):
            print(f"  note: {where}: {os.path.normpath(rules)} not found; the quoted text is not checked")
            return
        with open(rules, encoding="utf-8") as f:
            text = f.read()
        if quote["text"] not in text:
            self.fail(where, f"../shared/{quote.get('file', 'compliance/RULES.md')} no longer says "
                             f"{quote['text']!r}: the worked example changed, re-derive the numbers")

    def check_json(self, step, where):
        args = list(step["expect"])
        if "--format" not in args:
            args += ["--format", "json"]
        done = self.cli(args, where, step.get("exit", 0))
        try:
            document = json.loads(done.stdout)
        except json.JSONDecodeError as error:
            raise ScenarioFailure(f"{where}: `cartera {' '.join(args)}` did not print JSON ({error}): "
                                  f"{done.stdout[:500]}")
        for path, expected in step.get("values", {}).items():
            try:
                actual = resolve(document, path)
            except KeyError as error:
                self.fail(where, f"path {path}: {error.args[0]}; expected {show(expected)}")
                continue
            if not matches(expected, actual):
                self.fail(where, f"path {path}: expected {show(expected)}, actual {show(actual)}")
        for path, wanted in step.get("contains", {}).items():
            try:
                actual = resolve(document, path)
            except KeyError as error:
                self.fail(where, f"path {path}: {error.args[0]}; expected a list containing {show(wanted)}")
                continue
            if not isinstance(actual, list):
                self.fail(where, f"path {path}: expected a list containing {show(wanted)}, actual {show(actual)}")
                continue
            for item in wanted if isinstance(wanted, list) else [wanted]:
                if not any(matches(item, element) for element in actual):
                    self.fail(where, f"path {path}: expected the list to contain {show(item)}, actual {show(actual)}")
        for path in step.get("absent", []):
            try:
                actual = resolve(document, path)
                self.fail(where, f"path {path}: expected nothing there, actual {show(actual)}")
            except KeyError:
                pass

    def check_outbox(self, step, where):
        """How many outbox items match (template, stage, business_date, action, status...)."""
        wanted = step["expect_outbox"]
        done = self.cli(["outbox", "--limit", "100000", "--format", "json"], where)
        items = json.loads(done.stdout)
        found = [item for item in items if all(str(item.get(k)) == str(v) for k, v in wanted.items())]
        if len(found) != step.get("count", 1):
            described = ", ".join(f"{k}={v}" for k, v in wanted.items())
            seen = sorted({(i.get("business_date"), i.get("template"), i.get("stage"), i.get("action"))
                           for i in items})
            self.fail(where, f"outbox items with {described}: expected {step.get('count', 1)}, actual {len(found)}"
                             f" (the outbox holds (business_date, template, stage, action): {seen})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cartera")
    parser.add_argument("scenarios", nargs="*")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("-v", "--verbose", action="store_true")
    options = parser.parse_args()
    cartera = os.path.abspath(options.cartera)
    if options.backend == "postgres" and not os.environ.get("CARTERA_TEST_POSTGRES_URL"):
        print("SKIP: CARTERA_TEST_POSTGRES_URL is not set: the PostgreSQL scenarios need the cluster "
              "scripts/test.sh starts")
        return 0
    paths = options.scenarios or sorted(glob.glob(os.path.join(HERE, "*.json")))
    if not paths:
        print("run_scenarios: no scenario files", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        try:
            failures = Scenario(cartera, os.path.abspath(path), options.backend, options.verbose).play()
        except ScenarioFailure as failure:
            failures = [str(failure)]
        name = display_name(path)
        if failures:
            failed += 1
            print(f"FAIL {name} [{options.backend}]")
            for failure in failures:
                print(f"  {failure}")
        else:
            print(f"ok   {name} [{options.backend}]")
    print(f"{len(paths) - failed} of {len(paths)} scenarios passed on {options.backend}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
