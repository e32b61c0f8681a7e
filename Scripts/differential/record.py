#!/usr/bin/env python3
"""Records regression cases with the reference engine's answers, in the
JSONata suite's layout, under Tests/RuleDSLTests/Conformance/Differential
(run by `swift test`, no reference needed).

Each case is an expression, optionally with its input: a line of a JSON
Lines file {"expr": ..., "data": ...}, or --expr/--data on the command
line. ORACLE is a command that reads {"expr", "input", "bindings"} per line
and prints {"value"}, {"undefined": true} or {"code", "message"} per line
(see generate.py). A case the reference answers without a JSON result (a
function, an infinity, a host error) is refused.

    Scripts/differential/record.py --oracle 'node ~/oracle/driver.js' --group sorting cases.jsonl
    Scripts/differential/record.py --oracle '...' --group wildcards --expr '*' --data '{"a": [1, [2]]}'
"""
import argparse
import json
import os
import subprocess
import sys

from generate import expectation, has_json_answer

FOLDER = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "RuleDSLTests", "Conformance", "Differential", "groups")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oracle", required=True)
    parser.add_argument("--group", required=True, help="the area, a folder name")
    parser.add_argument("--expr")
    parser.add_argument("--data", help="the input as JSON; none when omitted")
    parser.add_argument("cases", nargs="?", help="a JSON Lines file of {expr, data}")
    args = parser.parse_args()

    cases = []
    if args.cases:
        with open(args.cases) as file:
            cases = [json.loads(line) for line in file if line.strip()]
    if args.expr:
        case = {"expr": args.expr}
        if args.data is not None:
            case["data"] = json.loads(args.data)
        cases.append(case)
    questions = [{"expr": c["expr"], **({"input": c["data"]} if "data" in c else {}), "bindings": {}} for c in cases]
    run = subprocess.run(args.oracle, shell=True, input="".join(json.dumps(q) + "\n" for q in questions),
                         capture_output=True, text=True, check=True)
    answers = [json.loads(line) for line in run.stdout.splitlines()]

    group = os.path.join(FOLDER, args.group)
    os.makedirs(group, exist_ok=True)
    number = len([name for name in os.listdir(group) if name.startswith("case")])
    for case, answer in zip(cases, answers):
        text = json.dumps(answer)
        if not has_json_answer(answer):
            print(f"refused (no JSON answer): {case['expr']}: {text}", file=sys.stderr)
            continue
        suite_case = {"expr": case["expr"]}
        if "data" in case:
            suite_case["data"] = case["data"]
        suite_case["bindings"] = {}
        suite_case.update(expectation(answer))
        path = os.path.join(group, f"case{number:03d}.json")
        with open(path, "w") as file:
            json.dump(suite_case, file, ensure_ascii=False, indent=2)
            file.write("\n")
        print(f"{path}: {case['expr']} -> {text[:100]}")
        number += 1


if __name__ == "__main__":
    main()
