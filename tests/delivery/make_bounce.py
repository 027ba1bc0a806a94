#!/usr/bin/python3
"""Wraps a message the SMTP sink received into the bounce a mail server
would send back for it (RFC 3464 multipart/report, as Postfix writes it).

  make_bounce.py RECEIVED_MESSAGE OUT [--status 5.1.1 | 4.4.1] [--headers-only] [--message-id ID]

--message-id replaces the returned message's Message-ID (an empty one
removes it): what a forger who never saw our message would write.
"""
import argparse
import email
import email.policy
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

parser = argparse.ArgumentParser()
parser.add_argument("received")
parser.add_argument("out")
parser.add_argument("--status", default="5.1.1")
parser.add_argument("--headers-only", action="store_true")
parser.add_argument("--message-id")
args = parser.parse_args()

original = email.message_from_binary_file(open(args.received, "rb"), policy=email.policy.compat32)
if args.message_id is not None:
    del original["Message-ID"]
    if args.message_id:
        original["Message-ID"] = args.message_id
recipient = original["To"].split("<")[-1].rstrip(">").strip()
failed = args.status.startswith("5")
report = MIMEMultipart("report", report_type="delivery-status")
report["From"] = "MAILER-DAEMON@mx.correo.com.co (Mail Delivery System)"
report["To"] = original["From"]
report["Subject"] = "Undelivered Mail Returned to Sender" if failed else "Delayed Mail (still being retried)"
report.attach(MIMEText("This is the mail system at host mx.correo.com.co.\n\n"
                       "I'm sorry to have to inform you that your message could not\n"
                       "be delivered to one or more recipients.\n"))
# Python writes message/delivery-status from one header block per Message.
per_message, per_recipient = Message(), Message()
per_message["Reporting-MTA"] = "dns; mx.correo.com.co"
per_message["X-Postfix-Queue-ID"] = "4BDE01C2"
per_message["Arrival-Date"] = "Fri, 20 Nov 2026 10:00:02 -0500 (COT)"
per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
per_recipient["Original-Recipient"] = f"rfc822;{recipient}"
per_recipient["Action"] = "failed" if failed else "delayed"
per_recipient["Status"] = args.status
per_recipient["Remote-MTA"] = "dns; mail.correo.com.co"
per_recipient["Diagnostic-Code"] = (f"smtp; 550 {args.status} <{recipient}>: Recipient address rejected: "
                                    "User unknown in virtual mailbox table")
status = MIMEBase("message", "delivery-status")
status.set_payload([per_message, per_recipient])
report.attach(status)
if args.headers_only:
    headers = MIMEText("".join(f"{k}: {v}\n" for k, v in original.items()), "rfc822-headers")
    report.attach(headers)
else:
    report.attach(MIMEMessage(original))
open(args.out, "wb").write(report.as_bytes())
