#!/usr/bin/env python3
"""Every example in JSONata's documentation, checked against the reference
engine and this one.

Reads the documentation's Markdown (the `docs` folder of jsonata-js),
collects each example: the `- \\`expression\\` => \\`result\\`` lines and the
expression/result pairs of the `jsonata-ex` blocks. An example runs on the
JSON sample shown last before it in its chapter (the Account sample for
expressions on `Account`, the chapter's first sample otherwise), or on no
input. The reference's answer is the expected result (the documentation's
own text can be out of date: where it differs from the reference, that is
listed too), the cases are written in the suite's layout and run with
`rulecheck jsonata-suite`.

    Scripts/differential/docs.py --oracle 'node ~/oracle/driver.js' --docs ~/jsonata/docs --out /tmp/docs

With --out Tests/RuleDSLTests/Conformance/Differential the cases become
regression cases that `swift test` runs.
"""
import argparse
import glob
import html
import json
import os
import re
import subprocess

from generate import ask, expectation, has_json_answer

EXAMPLE_LINE = re.compile(r"^\s*-?\s*`([^`]+)`\s*=>\s*`(.+)`\s*$")
EX_BLOCK = re.compile(r'<div class="jsonata-ex">\s*<div>(.*?)</div>\s*<div>(.*?)</div>', re.S)
JSON_BLOCK = re.compile(r"```json\s*\n(.*?)```", re.S)


def samples(text):
    """The JSON samples of a chapter with where each starts."""
    found = []
    for match in JSON_BLOCK.finditer(text):
        try:
            found.append((match.start(), json.loads(match.group(1))))
        except ValueError:
            continue
    return found


def examples(path):
    """(expression, documented result, samples shown before it) per example."""
    text = open(path, encoding="utf-8").read()
    chapter = samples(text)
    offset = 0
    for line in text.splitlines(keepends=True):
        match = EXAMPLE_LINE.match(line.rstrip("\n"))
        if match:
            yield match.group(1), match.group(2), [data for start, data in chapter if start < offset][::-1]
        offset += len(line)
    for match in EX_BLOCK.finditer(text):
        before = [data for start, data in chapter if start < match.start()][::-1]
        yield html.unescape(match.group(1)).strip(), html.unescape(match.group(2)).strip(), before


def documented_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def choose(candidates, answers, documented):
    """The input an example is meant for: the first whose answer is the
    documented result, else the first with a defined answer."""
    expected = documented_value(documented)
    for data, answer in zip(candidates, answers):
        if expected is not None and answer.get("value") == expected:
            return data, answer
    for data, answer in zip(candidates, answers):
        if "value" in answer:
            return data, answer
    return candidates[0], answers[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oracle", required=True)
    parser.add_argument("--docs", required=True, help="the documentation folder")
    parser.add_argument("--out", default="/tmp/docs")
    parser.add_argument("--rulecheck", default=".build/release/rulecheck")
    args = parser.parse_args()

    shared = []
    for path in sorted(glob.glob(os.path.join(args.docs, "*.md"))):
        for _, data in samples(open(path, encoding="utf-8").read()):
            if isinstance(data, dict) and ("Account" in data or "FirstName" in data) and data not in shared:
                shared.append(data)
    examples_found = []
    for path in sorted(glob.glob(os.path.join(args.docs, "*.md"))):
        chapter = os.path.splitext(os.path.basename(path))[0]
        for expression, documented, before in examples(path):
            candidates = before + [data for data in shared if data not in before] + [None]
            examples_found.append((chapter, expression, documented, candidates))
    questions = [{"expr": e, "input": d, "bindings": {}} for _, e, _, candidates in examples_found for d in candidates]
    flat = iter(ask(args.oracle, questions))
    datasets = []
    written = 0
    outdated = []
    for index, (chapter, expression, documented, candidates) in enumerate(examples_found):
        data, answer = choose(candidates, [next(flat) for _ in candidates], documented)
        if not has_json_answer(answer):
            continue
        case = {"expr": expression, "bindings": {}}
        if data is not None:
            if data not in datasets:
                datasets.append(data)
            case["dataset"] = f"documentation{datasets.index(data)}"
        case.update(expectation(answer))
        expected = documented_value(documented)
        if "value" in answer and expected is not None and expected != answer["value"]:
            outdated.append((chapter, expression, documented, answer["value"]))
        if re.search(r"\$(now|millis|random|shuffle)\(", expression):
            continue  # a different value on every call
        group = os.path.join(args.out, "groups", "documentation-" + chapter)
        os.makedirs(group, exist_ok=True)
        with open(os.path.join(group, f"case{index:03d}.json"), "w") as file:
            json.dump(case, file, ensure_ascii=False, indent=1)
            file.write("\n")
        written += 1
    os.makedirs(os.path.join(args.out, "datasets"), exist_ok=True)
    for number, data in enumerate(datasets):
        with open(os.path.join(args.out, "datasets", f"documentation{number}.json"), "w") as file:
            json.dump(data, file, ensure_ascii=False, indent=1)
            file.write("\n")
    report = json.loads(subprocess.run([args.rulecheck, "jsonata-suite", args.out, "--json"], capture_output=True, text=True).stdout)
    print(f"{len(examples_found)} documented examples, {written} with a repeatable JSON answer: {report['passed']} agree, {report['failed']} diverge")
    for failure in report["failures"]:
        print(f"  {failure['group']}: {failure['expr']}\n    reference: {failure['expected']}\n    this engine: {failure['actual']}")
    print(f"{len(outdated)} examples whose documented result is not the reference's:")
    for chapter, expression, documented, actual in outdated:
        print(f"  {chapter}: {expression}  documented {documented}, reference {json.dumps(actual)}")


if __name__ == "__main__":
    main()
