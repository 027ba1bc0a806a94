#!/usr/bin/python3
"""Turns an exported strategy into one that says everything on one channel.

Every message and letter goes by CHANNEL (default email) and call tasks are
dropped, so a small demo portfolio yields many messages (delivery tests and
benchmarks).

  one_channel_policy.py IN.json OUT.json [CHANNEL]
"""
import json
import sys

CHANNEL = sys.argv[3] if len(sys.argv) > 3 else "email"


def email_only(stage):
    stage["actions"] = [a for a in stage["actions"] if a["type"] != "call_task"]
    for action in stage["actions"]:
        if action["type"] in ("message", "letter"):
            if action["type"] == "letter":
                action["tone"] = "cordial"  # a letter's tone may have no script on another channel
            action["type"], action["channel"] = "message", CHANNEL
            action.pop("fallback", None)


policy = json.load(open(sys.argv[1]))
for stage in policy["stages"]:
    email_only(stage)
email_only(policy["broken_promise"])
policy["name"] = "all-" + CHANNEL
json.dump(policy, open(sys.argv[2], "w"), ensure_ascii=False, indent=1)
