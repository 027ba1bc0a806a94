#!/usr/bin/python3
"""Turns an exported strategy into one that says everything by email.

Every message and letter goes by email and call tasks are dropped, so a small
demo portfolio yields many emails (delivery tests and benchmarks).

  email_only_policy.py IN.json OUT.json
"""
import json
import sys


def email_only(stage):
    stage["actions"] = [a for a in stage["actions"] if a["type"] != "call_task"]
    for action in stage["actions"]:
        if action["type"] in ("message", "letter"):
            action["type"], action["channel"] = "message", "email"
            action.pop("fallback", None)


policy = json.load(open(sys.argv[1]))
for stage in policy["stages"]:
    email_only(stage)
email_only(policy["broken_promise"])
policy["name"] = "all-email"
json.dump(policy, open(sys.argv[2], "w"), ensure_ascii=False, indent=1)
