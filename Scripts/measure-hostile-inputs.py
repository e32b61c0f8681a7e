#!/usr/bin/env python3
"""Runs each hostile input the limits exist for through a rulecheck binary
and prints, per case, the outcome (first line of the error or result), the
wall time and the peak memory (maximum resident set of the process).

    swift build -c release --product rulecheck
    Scripts/measure-hostile-inputs.py .build/release/rulecheck

Expressions run under a 100 ms time limit, as a gateway would set one;
the other cases (templates, streams) have no time limit to rely on.
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

EXPRESSIONS = [
    "$fromMillis(1e16 * 1000)",
    "$fromMillis(1/0)",
    "$formatBase(1e300)",
    '$substring("abc", 1e300)',
    '$pad("x", 9.3e18)',
    "$round(1.5, 1e300)",
    '$formatInteger(1e300, "I")',
    '$split("a,b", ",", 1e300)',
    '$match("abc", /b/, 1e300)',
    '$replace("abc", "b", "x", 1e300)',
    "[1,2,3][1e300]",
    '"abc"[-1e300]',
    '$parseInteger("zzzzzzzzzzzzzzzz", "a")',
    '$toMillis("99999999999999999999", "[Y]")',
    "1/0",
    "1e308*10",
    "$string(1.7976931348623157e308)",
    '$reduce([1..100000], function($a, $v){{"a": $a}}, {})',
    '$match("aaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/)',
    '$replace("aaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/, "x")',
    '$contains("aaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/)',
    '$split("aaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/)',
    '$pad("", 100000000)',
    '$formatInteger(1e16, "I")',
    '$formatNumber(1, "' + "0" * 100000 + '")',
    "$string([1..10000000])",
    "[1..10000000].(1)",
    "[1..10000].[1..10000]",
    '$reduce([1..40], function($a, $v){$a & $a}, "x")',
    '$pad("x", 1e16)',
    "($f := function($s, $x) { $x > 0 ? $f([$s, $s], $x) : $s }; $f('a', 1))",
]


def run(arguments, stdin_path=None):
    """Runs rulecheck once; returns (outcome line, seconds, peak MiB). The
    caller is a process of its own per case, so the peak of its children
    is this case's."""
    start = time.monotonic()
    with open(stdin_path or os.devnull, "rb") as stdin:
        process = subprocess.run(arguments, stdin=stdin, capture_output=True, timeout=600)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    text = (process.stderr or process.stdout).decode("utf-8", "replace").strip().splitlines()
    outcome = text[0][:90] if text else f"exit {process.returncode}"
    return outcome, seconds, peak


def measure(label, arguments, stdin_path=None):
    pid = os.fork()
    if pid == 0:
        outcome, seconds, peak = run(arguments, stdin_path)
        print(f"| `{label[:70]}` | {outcome.replace('|', '/')} | {seconds:.2f} s | {peak:.0f} MiB |", flush=True)
        os._exit(0)
    os.waitpid(pid, 0)


def main():
    rulecheck = sys.argv[1] if len(sys.argv) > 1 else ".build/release/rulecheck"
    print("| case | outcome | time | peak memory |")
    print("|---|---|---|---|")
    for expression in EXPRESSIONS:
        measure(expression, [rulecheck, "eval", "--no-input", "--time-limit", "100", expression])
    with tempfile.TemporaryDirectory() as folder:
        deep = os.path.join(folder, "deep.yaml")
        with open(deep, "w") as file:
            file.write("x: " + "[" * 50000 + "]" * 50000 + "\n")
        measure("template nested 50,000 deep", [rulecheck, "lint", deep])
        keys = os.path.join(folder, "keys.yaml")
        with open(keys, "w") as file:
            file.write("".join(f"k{i}: {i}\n" for i in range(20000)))
        measure("template of 20,000 keys", [rulecheck, "lint", keys])
        quoted = os.path.join(folder, "quoted.yaml")
        with open(quoted, "w") as file:
            file.write('x: "' + "\\n" * 200000 + '"\n')
        measure("400 KB quoted scalar with escapes", [rulecheck, "lint", quoted])
        body = os.path.join(folder, "created.json")
        with open(body, "w") as file:
            file.write('{"id":"x","object":"chat.completion","created":1e16,"model":"m","choices":[]}')
        measure("created: 1e16 through openai:chat response_to_aog", [rulecheck, "run", "openai:chat", "response_to_aog"], body)
        # Written in pieces, so that this process never holds it (a child
        # forked from a large parent would report the parent's memory).
        line = os.path.join(folder, "line.sse")
        with open(line, "wb") as file:
            file.write(b"data: ")
            for _ in range(400):
                file.write(b"x" * 1_000_000)
        event_stream = ["--header", "Content-Type: text/event-stream"]
        measure("SSE line of 400 MB without a newline", [rulecheck, "run", "openai:chat", "stream_response_to_aog"] + event_stream, line)
        lines = os.path.join(folder, "lines.sse")
        with open(lines, "wb") as file:
            for _ in range(100):
                file.write(b"data: x\n" * 100_000)
        measure("10,000,000 data lines without a blank line", [rulecheck, "run", "openai:chat", "stream_response_to_aog"] + event_stream, lines)


if __name__ == "__main__":
    main()
