#!/usr/bin/python3
"""A seeded world around the real Cartera: the run, the delivery worker, a
local SMTP server and a letters folder, with a clock that advances hour by
hour over a generated multi-country portfolio. Runs come at random hours (a
day without one, two in a day, one at 02:00 in Bogota), the worker stops for
a weekend and for random hours, the mail server is busy for spells and
refuses some mailboxes, and debtors pay, promise, dispute and unsubscribe.

After every step it checks, from what actually arrived (the SMTP server's
mailbox and the printed letters), with rules read from rulebooks/*.json and
the holiday snapshots in ../shared/corpus, independently of Cartera's code:
  - every contact falls in the debtor's legal hours, not on a holiday;
  - no frequency cap and no Colombian channel switch is broken;
  - nothing arrives twice;
  - no message names an invoice disputed before it was sent;
and at the end that every debtor left alone (consented email, overdue for
ten days or more) heard from us.

A failure prints the seed and the command that replays it.

  simulate_world.py CARTERA [--seed N] [--days D] [--customers C] [--keep]
"""
import argparse
import datetime as dt
import email
import email.policy
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Public holidays only (the snapshots also list optional religious days).
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "holidays", "vacanza-holidays", "_derived",
                      "public-by-category")
START = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)  # a Monday
COUNTRIES = [  # country, kind, zone, currency, weight
    ("CO", "person", "America/Bogota", "COP", 40), ("CO", "company", "America/Bogota", "COP", 10),
    ("US", "person", "America/New_York", "USD", 15), ("MX", "person", "America/Mexico_City", "MXN", 10),
    ("CL", "person", "America/Santiago", "CLP", 10), ("PE", "person", "America/Lima", "PEN", 5),
    ("AR", "company", "America/Argentina/Buenos_Aires", "ARS", 10),
]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Violation(Exception):
    pass


def utc(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Rules:
    """The contact rules of one rulebook that apply to a debtor kind."""

    def __init__(self, country, kind):
        path = os.path.join(ROOT, "rulebooks", f"{country}.json")
        book = json.load(open(path if os.path.exists(path) else os.path.join(ROOT, "rulebooks", "default.json")))
        self.rules = [rule for rule_set in book["rule_sets"] if rule_set["applies_to"] in ("both", {"person": "consumer", "company": "business"}[kind])
                      for rule in rule_set["rules"]]
        self.country = country

    def of(self, kind, channel):
        for rule in self.rules:
            channels = rule.get("channels", "all")
            if rule["type"] == kind and (channels == "all" or channel in channels):
                yield rule


def holidays(country):
    path = os.path.join(CORPUS, f"{country}_COMMON.public.json")
    return set(json.load(open(path))) if os.path.exists(path) else set()


def minutes(text):
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def check_contact(customer, channel, at, history):
    """Raises Violation when `at` breaks a rule, given earlier contacts."""
    rules = customer["rules"]
    local = at.astimezone(ZoneInfo(customer["zone"]))
    what = f"{customer['id']} ({customer['country']} {customer['kind']}) {channel} at {local:%a %Y-%m-%d %H:%M} local"
    for rule in rules.of("hours", channel):
        windows = rule["windows"][WEEKDAYS[local.weekday()]]
        now = local.hour * 60 + local.minute
        if not any(minutes(w.split("-")[0]) <= now < minutes(w.split("-")[1]) for w in windows):
            raise Violation(f"{what}: outside the hours of {rule['id']}")
    for rule in rules.of("holidays", channel):
        calendar = customer["country"] if rule["calendar"] == "debtor" else rule["calendar"]
        if local.date().isoformat() in holidays(calendar):
            raise Violation(f"{what}: a public holiday ({rule['id']})")
    # Periods are counted in the debtor's local calendar days, as the law
    # speaks of days ("7 consecutive days" is any seven local dates).
    def day_of(moment):
        return moment.astimezone(ZoneInfo(customer["zone"])).date()
    today = local.date()
    for rule in rules.of("frequency_cap", channel):
        counted = [c for c in history if rule.get("channels", "all") == "all" or c[0] in rule["channels"]]
        first = today if rule["period"] == "calendar_day" else today - dt.timedelta(days=rule["days"] - 1)
        same = [c for c in counted if first <= day_of(c[1]) <= today]
        if len(same) + 1 > rule["max"]:
            raise Violation(f"{what}: over the cap of {rule['id']} ({len(same) + 1} > {rule['max']})")
    for rule in rules.of("minimum_gap", channel):
        for earlier_channel, earlier_at in history:
            if rule.get("channels", "all") != "all" and earlier_channel not in rule["channels"]:
                continue
            if rule.get("per_channel") and earlier_channel != channel:
                continue
            if abs((today - day_of(earlier_at)).days) <= rule["clear_days"]:
                raise Violation(f"{what}: {earlier_channel} at {utc(earlier_at)} is too recent ({rule['id']})")
    for rule in rules.of("after_contact", channel):
        if rule["blocks"] != "other_channels":
            continue
        for earlier_channel, earlier_at in history:
            if earlier_channel != channel and day_of(earlier_at) <= today <= day_of(earlier_at) + dt.timedelta(
                    days=rule["days"] - 1):
                raise Violation(f"{what}: {earlier_channel} at {utc(earlier_at)} bars other channels ({rule['id']})")


class World:
    def __init__(self, cartera, seed, days, customers, work):
        self.cartera, self.seed, self.days, self.work = cartera, seed, days, work
        self.random = random.Random(seed)
        self.db = os.path.join(work, "world.db")
        self.mail = os.path.join(work, "mail")
        self.letters = os.path.join(work, "letters")
        os.makedirs(self.letters)
        self.customers = {}
        self.invoices = {}
        self.history = {}  # customer id -> [(channel, at)]
        self.seen_mail, self.seen_letters, self.message_ids = set(), set(), set()
        self.disputed = {}  # invoice number -> when
        self.touched = set()  # customers whose debt changed by an event (paid, promised, disputed, opted out)
        self.sink = None
        self.port = free_port()
        self.generate(customers)

    # --- the portfolio ---------------------------------------------------------
    def generate(self, count):
        weights = [c[4] for c in COUNTRIES]
        customers_csv = ["external_id,name,tax_id,country,kind,time_zone,email,consent_email,address"]
        invoices_csv = ["external_id,customer_external_id,number,issue_date,due_date,currency,amount"]
        for i in range(count):
            country, kind, zone, currency, _ = self.random.choices(COUNTRIES, weights)[0]
            cid = f"W-{i:04d}"
            consent = self.random.random() < 0.85
            mailbox = f"{'bounce-' if self.random.random() < 0.05 else ''}w{i}@example.test"
            address = f"Calle {i} # 1-{i}" if self.random.random() < 0.5 else ""
            self.customers[cid] = {"id": cid, "country": country, "kind": kind, "zone": zone, "email": mailbox,
                                   "consent": consent, "rules": Rules(country, kind), "invoices": []}
            customers_csv.append(f"{cid},Cliente {i},{9000 + i},{country},{kind},{zone},{mailbox},"
                                 f"{'yes' if consent else 'no'},{address}")
            for n in range(self.random.randint(1, 3)):
                # Colombian debtors sometimes owe in dollars too: two books, two messages a run.
                book = "USD" if country == "CO" and n == 1 and self.random.random() < 0.5 else currency
                number = f"INV{i:04d}X{n}"
                due = START.date() + dt.timedelta(days=self.random.randint(-50, 20))
                issue = due - dt.timedelta(days=30)
                amount = self.random.randint(50, 5000) * (1000 if book in ("COP", "CLP", "ARS") else 1)
                self.invoices[number] = {"customer": cid, "due": due, "currency": book, "amount": amount,
                                         "paid": False}
                self.customers[cid]["invoices"].append(number)
                invoices_csv.append(f"{number},{cid},{number},{issue},{due},{book},{amount}.00")
        self.write_and_import("customers", customers_csv)
        self.write_and_import("invoices", invoices_csv)

    def write_and_import(self, kind, lines, now=None):
        path = os.path.join(self.work, f"{kind}-{len(os.listdir(self.work))}.csv")
        open(path, "w").write("\n".join(lines) + "\n")
        self.cli(["import", kind, path], now or START)

    def cli(self, args, now, check=True):
        env = dict(os.environ, CARTERA_NOW=utc(now), CARTERA_LANG="en")
        done = subprocess.run([self.cartera, "-q", "--db", self.db] + args, env=env, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise Violation(f"cartera {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
        return done

    # --- the servers -----------------------------------------------------------
    def start_sink(self, busy=False):
        self.stop_sink()
        args = ["/usr/bin/python3", os.path.join(ROOT, "tests", "delivery", "smtp_sink.py"), str(self.port), self.mail,
                "--reject", "bounce-"] + (["--busy"] if busy else [])
        log = open(os.path.join(self.work, "sink.log"), "a")
        self.sink = subprocess.Popen(args, stdout=log, stderr=log)
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise Violation("the SMTP server did not start")

    def stop_sink(self):
        if self.sink:
            self.sink.kill()
            self.sink.wait()
            self.sink = None

    # --- what arrived ------------------------------------------------------------
    def collect(self, now):
        arrived = []
        new_dir = os.path.join(self.mail, "new")
        for name in sorted(os.listdir(new_dir)) if os.path.isdir(new_dir) else []:
            if name in self.seen_mail:
                continue
            self.seen_mail.add(name)
            message = email.message_from_binary_file(open(os.path.join(new_dir, name), "rb"), policy=email.policy.default)
            message_id = message["Message-ID"]
            if message_id in self.message_ids:
                raise Violation(f"message {message_id} arrived twice")
            self.message_ids.add(message_id)
            to = message["To"].addresses[0].addr_spec
            customer = next(c for c in self.customers.values() if c["email"].lower() == to.lower())
            body = "\n".join(part.get_content() for part in message.walk() if part.get_content_type() == "text/plain")
            arrived.append((customer, "email", body, message))
        for name in sorted(os.listdir(self.letters)):
            if name in self.seen_letters or not name.endswith(".pdf"):
                continue
            self.seen_letters.add(name)
            customer = next((c for c in self.customers.values() if f"-{c['id']}-" in name), None)
            if customer is None:
                raise Violation(f"letter {name} names no customer")
            arrived.append((customer, "letter", "", None))
        for customer, channel, body, message in arrived:
            history = self.history.setdefault(customer["id"], [])
            check_contact(customer, channel, now, history)
            for number, since in self.disputed.items():
                if since <= now and re.search(rf"\b{number}\b", body):
                    raise Violation(f"{customer['id']}: a message at {utc(now)} names {number}, disputed since {utc(since)}")
            history.append((channel, now))
        return arrived

    # --- the debtors' doings -------------------------------------------------------
    def events(self, now, arrived):
        rnd = self.random
        open_numbers = [n for n, i in self.invoices.items() if not i["paid"] and n not in self.disputed]
        if open_numbers and rnd.random() < 0.5:  # a payment in full
            number = rnd.choice(open_numbers)
            invoice = self.invoices[number]
            invoice["paid"] = True
            self.touched.add(invoice["customer"])
            today = now.astimezone(ZoneInfo(self.customers[invoice["customer"]]["zone"])).date()
            self.write_and_import("payments", [
                "external_id,customer_external_id,date,currency,amount,method,invoice_external_id",
                f"P-{number},{invoice['customer']},{today},{invoice['currency']},{invoice['amount']}.00,transfer,{number}"],
                now)
        if open_numbers and rnd.random() < 0.3:  # a dispute
            number = rnd.choice(open_numbers)
            self.cli(["dispute", "open", number, "--reason", "defective", "--text", "mercancía defectuosa"], now)
            self.disputed[number] = now
            self.touched.add(self.invoices[number]["customer"])
        if open_numbers and rnd.random() < 0.3:  # a promise for a part of one invoice, a few days out
            number = rnd.choice(open_numbers)
            invoice = self.invoices[number]
            customer = self.customers[invoice["customer"]]
            today = now.astimezone(ZoneInfo(customer["zone"])).date()
            if invoice["due"] < today:
                date = today + dt.timedelta(days=rnd.randint(1, 5))
                done = self.cli(["promise", "add", customer["id"], "--date", str(date), "--amount",
                                 f"{max(invoice['amount'] // 2, 1)}", "--currency", invoice["currency"]], now,
                                check=False)
                if done.returncode == 0:
                    self.touched.add(customer["id"])
        for customer, channel, _, message in arrived:  # some debtors unsubscribe from what they got
            if message is not None and message["List-Unsubscribe"] and rnd.random() < 0.1:
                link = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
                self.cli(["unsubscribe", link.rstrip("/").rsplit("/", 1)[1]], now)
                self.touched.add(customer["id"])

    # --- the clock -------------------------------------------------------------------
    def play(self):
        rnd = self.random
        self.start_sink()
        self.cli(["channel", "set-email", "--host", "127.0.0.1", "--port", str(self.port), "--security", "none",
                  "--from", "cobranza@ferreteria.test", "--max-per-minute", "6000"], START)
        self.cli(["channel", "set-portal", "--base-url", "https://cobros.ferreteria.test/"], START)
        weekend = rnd.randrange(0, max(self.days - 3, 1))  # the worker is down for about two days
        busy_until = None
        for day in range(self.days):
            runs = [] if rnd.random() < 0.1 else [rnd.randrange(24)]
            if rnd.random() < 0.15:
                runs.append(rnd.randrange(24))
            if rnd.random() < 0.1:
                runs.append(7)  # 02:00 in Bogota
            for hour in range(24):
                now = START + dt.timedelta(days=day, hours=hour)
                if hour in runs:
                    self.cli(["run"], now)
                if busy_until is None and rnd.random() < 0.01:
                    busy_until = now + dt.timedelta(hours=rnd.randint(1, 4))
                    self.start_sink(busy=True)
                elif busy_until is not None and now >= busy_until:
                    busy_until = None
                    self.start_sink()
                if weekend <= day < weekend + 2 or rnd.random() < 0.05:
                    continue
                self.cli(["deliver", "--once", "--letters-dir", self.letters], now)
                arrived = self.collect(now)
                if hour == 18:
                    self.events(now, arrived)
        self.stop_sink()
        self.check_reached()

    def check_reached(self):
        end = (START + dt.timedelta(days=self.days)).date()
        for customer in self.customers.values():
            if not customer["consent"] or customer["id"] in self.touched or customer["email"].startswith("bounce-"):
                continue
            overdue = [self.invoices[n] for n in customer["invoices"] if (end - self.invoices[n]["due"]).days >= 11]
            if overdue and not self.history.get(customer["id"]):
                raise Violation(f"{customer['id']} ({customer['country']} {customer['kind']}) owes invoices overdue "
                                f"since {min(i['due'] for i in overdue)} and was never contacted")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cartera")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--customers", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    work = tempfile.mkdtemp(prefix="cartera-world.")
    os.environ.setdefault("CARTERA_SECRET_KEY", subprocess.run([args.cartera, "secret-key"], capture_output=True,
                                                               text=True, check=True).stdout.strip())
    world = World(os.path.abspath(args.cartera), seed, args.days, args.customers, work)
    replay = f"{sys.argv[0]} {args.cartera} --seed {seed} --days {args.days} --customers {args.customers}"
    try:
        world.play()
    except Violation as violation:
        world.stop_sink()
        print(f"FAIL (seed {seed}): {violation}\nreplay: {replay}\nwork: {work}")
        return 1
    contacts = sum(len(h) for h in world.history.values())
    print(f"seed {seed}: {args.days} days, {len(world.customers)} customers, {contacts} contacts, "
          f"{len(world.disputed)} disputes, all rules kept")
    print("1 passed, 0 failed")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
