#!/usr/bin/python3
"""An SMTP server for the delivery tests (aiosmtpd from Debian).

Every accepted message is stored as one file in MAILDIR/new. Recipients that
contain --reject are refused with 550 (a permanent failure); with --busy
every message is refused with 421 (a transient one); with --slow S each
message is stored, then answered S seconds later (a client that gives up
first cannot know it arrived); with --refuse-data REPLY every message is
refused after its DATA with that reply (a server's own policy, such as
"554 5.7.1 ... SPF"), and nothing is stored. Prints READY when it listens,
then runs until killed.

  smtp_sink.py PORT MAILDIR [--reject TEXT] [--busy] [--slow S] [--refuse-data REPLY]
"""
import argparse
import asyncio
import mailbox
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, maildir, reject, busy, slow, refuse_data):
        self.box = mailbox.Maildir(maildir, create=True)
        self.reject = reject
        self.busy = busy
        self.slow = slow
        self.refuse_data = refuse_data

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.busy:
            return "421 4.3.2 Service not available, try again later"
        if self.reject and self.reject in address:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        self.box.add(envelope.original_content)
        if self.slow:
            await asyncio.sleep(self.slow)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("maildir")
    parser.add_argument("--reject", default="")
    parser.add_argument("--busy", action="store_true")
    parser.add_argument("--slow", type=float, default=0)
    parser.add_argument("--refuse-data", default="")
    args = parser.parse_args()
    controller = Controller(Sink(args.maildir, args.reject, args.busy, args.slow, args.refuse_data),
                            hostname="127.0.0.1", port=args.port)
    controller.start()
    print("READY", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
