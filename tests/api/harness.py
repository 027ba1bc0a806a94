"""The API test harness: starts a real `cartera serve` on a free port
against a fresh database (SQLite, or PostgreSQL when CARTERA_API_BACKEND is
"postgres"), talks HTTP to it, and validates every answer against the
OpenAPI document the server serves (jsonschema, Draft 2020-12, the dialect
OpenAPI 3.1 uses). Runs under Debian's /usr/bin/python3 (python3-jsonschema).
"""
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

import jsonschema

CARTERA = os.environ.get("CARTERA_BIN", "cartera")
BACKEND = os.environ.get("CARTERA_API_BACKEND", "sqlite")
POSTGRES_URL = os.environ.get("CARTERA_TEST_POSTGRES_URL", "")
NOW = "2026-11-20T15:00:00Z"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(workdir):
    """A URL of an empty database of the backend under test."""
    if BACKEND == "sqlite":
        return os.path.join(workdir, "cartera.db")
    if not POSTGRES_URL:
        raise unittest.SkipTest("CARTERA_TEST_POSTGRES_URL is not set: PostgreSQL API tests skipped")
    name = "api_" + uuid.uuid4().hex[:12]
    # postgresql:///postgres?host=...&port=...&user=postgres
    match = re.match(r"postgresql://([^/]*)/([^?]*)(\?.*)?$", POSTGRES_URL)
    query = match.group(3) or ""
    params = dict(p.split("=", 1) for p in query[1:].split("&") if p)
    subprocess.run(["psql", "-h", params.get("host", "/tmp"), "-p", params.get("port", "5432"), "-U",
                    params.get("user", "postgres"), "-d", match.group(2) or "postgres", "-q", "-c",
                    f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return f"postgresql://{match.group(1)}/{name}{query}"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


class Server:
    """One `cartera serve` process over its own database and directory."""

    def __init__(self, extra_args=(), env=None, demo_customers=40):
        self.workdir = tempfile.mkdtemp(prefix="cartera-api-")
        self.db = fresh_database(self.workdir)
        self.env = dict(os.environ)
        self.env.update({"CARTERA_NOW": NOW, "LANG": "C.UTF-8",
                         "CARTERA_SECRET_KEY": "11" * 32})
        self.env.pop("CARTERA_TENANT", None)
        if env:
            self.env.update(env)
        if demo_customers:
            self.cli("demo", "--customers", str(demo_customers), "--seed", "7", "--as-of", NOW[:10])
        else:
            self.cli("init")
        self.before_serve()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.workdir, "serve.log"), "w+")
        self.process = self.spawn(self.port, extra_args, self.log)

    def before_serve(self):
        """Set-up a subclass does before the first process starts."""

    def spawn(self, port, extra_args, log):
        """Another `cartera serve` on this database; waits until it answers."""
        process = subprocess.Popen(
            [CARTERA, "--db", self.db, "serve", "--listen", f"127.0.0.1:{port}", *extra_args],
            env=self.env, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    return process
            except Exception:
                if process.poll() is not None:
                    log.flush()
                    raise RuntimeError(f"cartera serve exited with {process.returncode}")
                time.sleep(0.05)
        raise RuntimeError("cartera serve did not start")

    def query(self, sql):
        """Rows of a query on the server's database (sqlite3 or psql)."""
        if BACKEND == "sqlite":
            import sqlite3
            with sqlite3.connect(self.db) as connection:
                return connection.execute(sql).fetchall()
        match = re.match(r"postgresql://[^/]*/([^?]*)\?(.*)$", self.db)
        params = dict(p.split("=", 1) for p in match.group(2).split("&") if p)
        out = subprocess.run(["psql", "-h", params["host"], "-p", params["port"], "-U", params["user"], "-d",
                              match.group(1), "-At", "-F", "\t", "-c", sql], capture_output=True, text=True, check=True)
        return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]

    def cli(self, *args, tenant=None, check=True):
        command = [CARTERA, "--db", self.db]
        if tenant:
            command += ["--tenant", str(tenant)]
        done = subprocess.run(command + list(args), env=self.env, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {done.returncode}: {done.stderr}")
        return done

    def api_key(self, role="admin", tenant=None, name=None):
        done = self.cli("apikey", "create", name or f"{role}-{uuid.uuid4().hex[:6]}", "--role", role, tenant=tenant)
        return done.stdout.strip()

    def logs(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self, sig=15, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def close(self):
        self.stop()
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


_DOCUMENT = None


def openapi_document():
    global _DOCUMENT
    if _DOCUMENT is None:
        _DOCUMENT = json.loads(subprocess.run([CARTERA, "openapi"], capture_output=True, text=True, check=True).stdout)
    return _DOCUMENT


def route_table():
    return json.loads(subprocess.run([CARTERA, "openapi", "--routes"], capture_output=True, text=True,
                                     check=True).stdout)


def template_for(path):
    """The OpenAPI path template a concrete path matches, or None."""
    for template in openapi_document()["paths"]:
        pattern = "^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    return None


def validate_response(method, path, response):
    """Fails unless the answer is one the document describes, valid against its schema."""
    document = openapi_document()
    template = template_for(path.split("?")[0])
    if template is None:
        raise AssertionError(f"{method} {path}: no such path in the OpenAPI document")
    operation = document["paths"][template].get(method.lower())
    if operation is None:
        if response.status == 405:
            return
        raise AssertionError(f"{method} {template}: not in the OpenAPI document")
    responses = operation["responses"]
    described = responses.get(str(response.status)) or responses.get(f"{str(response.status)[0]}XX") or responses.get("default")
    if described is None:
        raise AssertionError(f"{method} {template}: status {response.status} is not described")
    if "$ref" in described:
        described = document["components"]["responses"][described["$ref"].split("/")[-1]]
    content = described.get("content")
    if not content:
        if response.body:
            raise AssertionError(f"{method} {template} {response.status}: a body where none is described")
        return
    content_type = (response.header("content-type") or "").split(";")[0].strip()
    media = content.get(content_type)
    if media is None:
        raise AssertionError(f"{method} {template} {response.status}: content type {content_type!r} "
                             f"not among {list(content)}")
    schema = media.get("schema")
    if schema is None or not content_type.endswith("json"):
        return
    resolver = jsonschema.RefResolver(base_uri="", referrer=document)
    try:
        jsonschema.Draft202012Validator(schema, resolver=resolver).validate(json.loads(response.body))
    except jsonschema.ValidationError as error:
        raise AssertionError(f"{method} {template} {response.status}: the answer does not match its schema: "
                             f"{error.message} at {list(error.absolute_path)}\n{response.body[:2000]!r}")


class Client:
    """HTTP to the server; every answer is validated against the document."""

    def __init__(self, server, key=None, language=None):
        self.server = server
        self.key = key
        self.language = language
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, body=None, headers=None, raw=None, content_type=None, validate=True):
        data = None
        all_headers = {}
        if self.key:
            all_headers["Authorization"] = f"Bearer {self.key}"
        if self.language:
            all_headers["Accept-Language"] = self.language
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.csrf and method not in ("GET", "HEAD"):
            all_headers["X-CSRF-Token"] = self.csrf
        if raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode()
            all_headers["Content-Type"] = content_type or "text/csv"
        elif body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        request = urllib.request.Request(self.server.url + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                response = Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
        except urllib.error.HTTPError as error:
            response = Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
        for value in ([response.headers.get("set-cookie")] if response.headers.get("set-cookie") else []):
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
        if validate:
            validate_response(method, path, response)
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body if body is not None else ({} if "raw" not in kw else None), **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class ApiTest(unittest.TestCase):
    """One server per test class (starting one takes a demo import)."""
    server = None
    demo_customers = 40
    serve_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=cls.serve_args, demo_customers=cls.demo_customers)
        cls.admin = Client(cls.server, cls.server.api_key("admin"))

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.close()

    def client(self, role="admin", tenant=None, language=None):
        return Client(self.server, self.server.api_key(role, tenant=tenant), language=language)

    def assertProblem(self, response, status, code=None):
        self.assertEqual(response.status, status, response.body[:500])
        self.assertEqual(response.header("content-type").split(";")[0], "application/problem+json")
        if code is not None:
            self.assertEqual(response.json["code"], code, response.body[:500])
        return response.json
