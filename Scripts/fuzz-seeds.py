#!/usr/bin/env python3
"""Writes the seed inputs of a fuzz target (Scripts/fuzz) into a folder:
expressions from the JSONata suite beside the project and from the built-in
templates, streams and C-interface calls from the fixture files."""
import glob
import json
import os
import re
import sys

kind, folder = sys.argv[1], sys.argv[2]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def write(index, data):
    with open(os.path.join(folder, f"seed-{index:05d}"), "wb") as file:
        file.write(data)


def fixture_cases():
    for path in sorted(glob.glob(os.path.join(root, "Tests/Fixtures/*/*.json"))):
        with open(path) as file:
            fixture = json.load(file)
        for case in fixture["cases"]:
            yield fixture.get("rule", ""), case


def stream_bytes(case):
    headers = {k.lower(): v for k, v in (case["input"].get("headers") or {}).items()}
    sse = "text/event-stream" in headers.get("content-type", "")
    if "text" in case["input"]:
        return sse, case["input"]["text"].encode()
    if "events" not in case["input"]:
        return sse, None
    text = ""
    for event in case["input"]["events"]:
        payload = event if isinstance(event, str) else json.dumps(event, separators=(",", ":"))
        text += "".join(f"data: {line}\n" for line in payload.split("\n")) + "\n" if sse else payload + "\n"
    return sse, text.encode()


count = 0
if kind == "expressions":
    suite = os.path.join(root, "../shared/jsonata-suite")
    datasets = {}
    for path in glob.glob(os.path.join(suite, "datasets/*.json")):
        with open(path) as file:
            datasets[os.path.basename(path)[:-5]] = file.read()
    for path in sorted(glob.glob(os.path.join(suite, "groups/*/case*.json"))):
        with open(path) as file:
            try:
                case = json.load(file)
            except ValueError:
                continue
        cases = case if isinstance(case, list) else [case]
        for item in cases:
            expression = item.get("expr")
            if not isinstance(expression, str) or "\n" in expression:
                continue
            data = json.dumps(item["data"]) if "data" in item else datasets.get(item.get("dataset") or "", "")
            write(count, (expression + "\n" + data).encode("utf-8", "surrogatepass"))
            count += 1
    for path in sorted(glob.glob(os.path.join(root, "Resources/templates/*.yaml"))):
        with open(path) as file:
            text = file.read()
        for block in re.findall(r"config: \|\n((?:\s{12,}.*\n)+)", text):
            expression = " ".join(line.strip() for line in block.splitlines())
            write(count, (expression + "\n{}").encode())
            count += 1
elif kind == "streams":
    for _, case in fixture_cases():
        sse, data = stream_bytes(case)
        if data is not None and (case.get("conversion", "").startswith("stream") or case.get("kind") == "stream_response"):
            write(count, bytes([1 if sse else 0, 7, 0, 0, 0]) + data)
            count += 1
elif kind == "c-interface":
    for _, case in fixture_cases():
        body = case["input"].get("text")
        body = body.encode() if body is not None else json.dumps(case["input"].get("body")).encode()
        headers = json.dumps(case["input"].get("headers") or {}).encode()
        variables = json.dumps(case.get("vars") or {}).encode()
        write(count, bytes([count % 256]) + headers + b"\0" + variables + b"\0" + body)
        count += 1
print(f"{count} seeds", file=sys.stderr)
