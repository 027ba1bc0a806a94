"""`cartera serve` as a process: the day runs by itself at the tenant's run
time, the worker delivers through a real SMTP server, SIGTERM leaves nothing
`sending`, SQLite has one owner, and on PostgreSQL two API nodes and two
worker nodes share one database without running a day twice or sending a
message twice."""
import email
import glob
import os
import signal
import socket
import subprocess
import time
import unittest

import harness
from harness import BACKEND, Client, Server, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
SINK = os.path.join(HERE, "..", "delivery", "smtp_sink.py")
ONE_CHANNEL = os.path.join(HERE, "..", "delivery", "one_channel_policy.py")


class SmtpSink:
    def __init__(self, directory):
        self.port = free_port()
        self.maildir = os.path.join(directory, "mail")
        self.process = subprocess.Popen(["/usr/bin/python3", SINK, str(self.port), self.maildir],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.process.stdout.readline()  # READY

    def messages(self):
        return sorted(glob.glob(os.path.join(self.maildir, "new", "*")))

    def close(self):
        self.process.kill()
        self.process.wait()


def configure_email(server, sink, tenant=None):
    """Email only (so every planned message can go), to the sink."""
    exported = os.path.join(server.workdir, f"policy-{tenant}.json")
    converted = os.path.join(server.workdir, f"policy-{tenant}-email.json")
    with open(exported, "w") as out:
        out.write(server.cli("policy", "export", tenant=tenant).stdout)
    subprocess.run(["/usr/bin/python3", ONE_CHANNEL, exported, converted, "email"], check=True)
    server.cli("-q", "policy", "import", converted, tenant=tenant)
    server.cli("-q", "channel", "set-email", "--host", "127.0.0.1", "--port", str(sink.port), "--security", "none",
               "--from", "cobranza@ferreteria.co", "--max-per-minute", "100000", tenant=tenant)


def wait_for(condition, seconds=60, what="condition"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class WorkerServer(Server):
    """A demo with email configured to a sink before the server starts."""
    tenants = ()

    def before_serve(self):
        self.sink = SmtpSink(self.workdir)
        configure_email(self, self.sink)
        for slug in self.tenants:
            self.cli("tenant", "create", slug.title(), "--country", "CO", "--currency", "COP", "--time-zone",
                     "America/Bogota", "--slug", slug)
            self.cli("-q", "demo", "--customers", "25", "--seed", str(len(slug)), "--as-of", harness.NOW[:10],
                     tenant=slug)
            configure_email(self, self.sink, tenant=slug)

    def close(self):
        super().close()
        self.sink.close()


class ServeProcessTest(unittest.TestCase):
    def test_the_day_runs_by_itself_and_is_delivered_then_sigterm_leaves_nothing_sending(self):
        server = WorkerServer(extra_args=("--rate-limit", "0"), demo_customers=30)
        try:
            # CARTERA_NOW is 10:00 in Bogotá, after the 08:00 run time: the day is due at start.
            rows = wait_for(lambda: server.query("SELECT tenant_id, run_date, finished_at, outcome FROM daily_runs"),
                            what="the scheduled run")
            wait_for(lambda: server.query("SELECT outcome FROM daily_runs WHERE outcome IS NOT NULL"),
                     what="the run to finish")
            rows = server.query("SELECT tenant_id, run_date, outcome FROM daily_runs")
            self.assertEqual([(str(r[0]), str(r[1]), r[2]) for r in rows], [("1", "2026-11-20", "ok")])
            sent = wait_for(lambda: int(server.query("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")[0][0]),
                            what="messages sent")
            wait_for(lambda: len(server.sink.messages()) >= sent, what="messages to arrive")
            self.assertEqual(server.stop(signal.SIGTERM), 0)
            self.assertEqual(int(server.query("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")[0][0]), 0)
            final_sent = int(server.query("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")[0][0])
            self.assertEqual(len(server.sink.messages()), final_sent)
            logs = server.logs()
            self.assertIn('"msg":"stopping"', logs)
            self.assertIn('"msg":"stopped"', logs)
        finally:
            server.close()

    @unittest.skipUnless(BACKEND == "sqlite", "SQLite only: one process owns the scheduler and the worker")
    def test_sqlite_has_one_owner_and_says_so(self):
        server = Server(demo_customers=5)
        try:
            second = subprocess.run([harness.CARTERA, "--db", server.db, "--lang", "en", "serve", "--listen",
                                     f"127.0.0.1:{free_port()}"], env=server.env, capture_output=True, text=True,
                                    timeout=30)
            self.assertNotEqual(second.returncode, 0)
            self.assertIn("another `cartera serve` already schedules runs and delivers", second.stderr)
            port = free_port()
            log = open(os.path.join(server.workdir, "api-only.log"), "w+")
            api_only = server.spawn(port, ("--no-scheduler", "--no-delivery"), log)
            try:
                key = server.api_key("viewer")
                answer = Client(type("S", (), {"url": f"http://127.0.0.1:{port}"})(), key).get("/api/v1/me")
                self.assertEqual(answer.status, 200)
            finally:
                api_only.terminate()
                api_only.wait()
                log.close()
        finally:
            server.close()

    @unittest.skipUnless(BACKEND == "postgres", "PostgreSQL only: several nodes share one database")
    def test_two_api_nodes_and_two_workers_share_one_postgresql(self):
        class ThreeTenants(WorkerServer):
            tenants = ("beta", "gamma")
        # The first process is an API node; then one more API node and two workers.
        server = ThreeTenants(extra_args=("--no-scheduler", "--no-delivery", "--rate-limit", "0"), demo_customers=25)
        nodes = []
        try:
            for args in [("--no-scheduler", "--no-delivery"), (), ()]:
                port = free_port()
                log = open(os.path.join(server.workdir, f"node-{port}.log"), "w+")
                nodes.append((server.spawn(port, args + ("--rate-limit", "0"), log), port, log))
            wait_for(lambda: len(server.query("SELECT 1 FROM daily_runs WHERE finished_at IS NOT NULL")) == 3,
                     what="three tenants' days")
            runs = server.query("SELECT tenant_id, run_date, node FROM daily_runs ORDER BY tenant_id")
            self.assertEqual(len(runs), 3)
            self.assertEqual(len({r[0] for r in runs}), 3, "a tenant's day ran twice")
            wait_for(lambda: int(server.query("SELECT COUNT(*) FROM outbox WHERE status = 'queued' "
                                              "AND scheduled_at <= '2026-11-20T15:00:00Z'")[0][0]) == 0,
                     seconds=120, what="every due message to go")
            # Both API nodes answer for every tenant.
            for port in (server.port, nodes[0][1]):
                node = type("S", (), {"url": f"http://127.0.0.1:{port}"})()
                for tenant in (None, "beta", "gamma"):
                    answer = Client(node, server.api_key("viewer", tenant=tenant)).get("/api/v1/me")
                    self.assertEqual(answer.status, 200)
            for process, _, _ in nodes:
                process.send_signal(signal.SIGTERM)
            for process, _, _ in nodes:
                self.assertEqual(process.wait(timeout=60), 0)
            sent = server.query("SELECT provider_message_id FROM outbox WHERE status = 'sent'")
            self.assertGreater(len(sent), 0)
            arrived = []
            for path in server.sink.messages():
                with open(path, "rb") as handle:
                    arrived.append(email.message_from_binary_file(handle)["Message-ID"])
            self.assertEqual(len(arrived), len(set(arrived)), "a message arrived twice")
            self.assertEqual(sorted(arrived), sorted(r[0] for r in sent))
            self.assertEqual(int(server.query("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")[0][0]), 0)
        finally:
            for process, _, log in nodes:
                if process.poll() is None:
                    process.kill()
                log.close()
            server.close()


if __name__ == "__main__":
    unittest.main()
