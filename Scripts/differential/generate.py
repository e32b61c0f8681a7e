#!/usr/bin/env python3
"""Differential testing of the expression language against a reference
JSONata engine, run as a black box.

Generates random expressions (every operator, path step, predicate, binding,
constructor, lambda and most built-in functions, with arguments of every
type) and documents, asks the reference for each result through ORACLE (a
command that reads one JSON case per line, {"expr", "input", "bindings"},
and prints one JSON line per case: {"value": ...}, {"undefined": true} or
{"code": ..., "message": ...}; inside a value, a function is "<function>",
an undefined array element "<undefined>" and an infinity "<nonfinite ...>",
which JSON cannot carry and which are skipped), writes the cases in the JSONata suite's
layout, and runs `rulecheck jsonata-suite` on them: every failure is a
divergence.

    Scripts/differential/generate.py --oracle 'node ~/oracle/driver.js' --cases 100000 --out /tmp/differential
    Scripts/differential/generate.py --oracle '...' --cases 0 --suite ../shared/jsonata-suite --mutations 20000

Divergences are listed in OUT/divergences.json; record the ones fixed as
regression cases with record.py.

The reference is not part of this repository; CI does not need it.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys

FIELDS = ["a", "b", "c", "name", "price", "items", "x"]
STRINGS = ["", "a", "abc", "Hello World", "a,b,,c", "  spaced  out ", "Ünïcödé", "12", "-3.5e2", "true", "2025-03-11T06:38:36.134Z"]
NUMBERS = ["0", "1", "-1", "2", "3.5", "-0.5", "10", "100", "1e3", "0.1", "123456789", "1e21", "1.5e-7"]
FUNCTIONS = {
    "string": [["any"], ["any", "bool"]], "number": [["any"]], "length": [["str"]], "substring": [["str", "num"], ["str", "num", "num"]],
    "substringBefore": [["str", "str"]], "substringAfter": [["str", "str"]], "uppercase": [["str"]], "lowercase": [["str"]],
    "trim": [["str"]], "pad": [["str", "num"], ["str", "num", "str"]], "contains": [["str", "str"]], "split": [["str", "str"], ["str", "str", "num"]],
    "join": [["arr"], ["arr", "str"]], "replace": [["str", "str", "str"], ["str", "str", "str", "num"]],
    "abs": [["num"]], "floor": [["num"]], "ceil": [["num"]], "round": [["num"], ["num", "num"]], "power": [["num", "num"]],
    "sqrt": [["num"]], "formatNumber": [["num", "pic"]], "formatBase": [["num"], ["num", "num"]], "formatInteger": [["num", "ipic"]],
    "parseInteger": [["str", "ipic"]], "sum": [["arr"]], "max": [["arr"]], "min": [["arr"]], "average": [["arr"]], "count": [["any"]],
    "boolean": [["any"]], "not": [["any"]], "exists": [["any"]], "type": [["any"]], "append": [["any", "any"]], "reverse": [["arr"]],
    "distinct": [["arr"]], "sort": [["arr"]], "zip": [["arr", "arr"]], "keys": [["any"]], "lookup": [["any", "str"]], "spread": [["any"]],
    "merge": [["arr"]], "each": [["obj", "fn2"]], "sift": [["obj", "fn2"]], "map": [["arr", "fn1"]], "filter": [["arr", "fn1"]],
    "reduce": [["arr", "fn2"], ["arr", "fn2", "any"]], "single": [["arr"], ["arr", "fn1"]], "fromMillis": [["num"], ["num", "dpic"]],
    "toMillis": [["str"]], "shuffle": None, "random": None, "now": None, "millis": None,
    "base64encode": [["str"]], "base64decode": [["str"]], "encodeUrlComponent": [["str"]], "decodeUrlComponent": [["str"]],
    "match": [["str", "regex"], ["str", "regex", "num"]], "assert": [["any", "str"]], "error": [["str"]],
    "encodeUrl": [["str"]], "decodeUrl": [["str"]], "sortBy": None, "eval": [["estr"], ["estr", "any"]],
    "toMillisPicture": None, "replaceRegex": None, "splitRegex": None, "containsRegex": None,
}
# Calls whose name differs from the entry above (a second form of one function).
EXTRA_CALLS = {
    "sortBy": ("sort", [["arr", "fn2"]]), "toMillisPicture": ("toMillis", [["str", "dpic"]]),
    "replaceRegex": ("replace", [["str", "regex", "str"], ["str", "regex", "fn1"]]),
    "splitRegex": ("split", [["str", "regex"], ["str", "regex", "num"]]), "containsRegex": ("contains", [["str", "regex"]]),
}
PICTURES = ['"#,##0.00"', '"0.000e0"', '"#%"', '"000"', '"#.#"']
INTEGER_PICTURES = ['"I"', '"w"', '"A"', '"0001"', '"#,##0"', '"1;o"']
DATE_PICTURES = ['"[Y0001]-[M01]-[D01]"', '"[H01]:[m01]"', '"[FNn], [D1o] [MNn]"']
REGEXES = ["/a/", "/[a-c]+/i", "/(\\w)(\\w)/", "/^a/m", "/\\d+/"]


class Generator:
    def __init__(self, rng):
        self.rng = rng

    def choice(self, items):
        return self.rng.choice(items)

    def value(self, depth=0):
        r = self.rng.random()
        if depth > 3 or r < 0.35:
            return self.choice([0, 1, -2, 3.5, 10, 100, "a", "b", "abc", "", True, False, None, 2.5e10])
        if r < 0.65:
            return {self.choice(FIELDS): self.value(depth + 1) for _ in range(self.rng.randint(0, 4))}
        return [self.value(depth + 1) for _ in range(self.rng.randint(0, 4))]

    def document(self):
        return {field: self.value(1) for field in FIELDS if self.rng.random() < 0.6}

    def literal(self):
        r = self.rng.random()
        if r < 0.4:
            return self.choice(NUMBERS)
        if r < 0.8:
            return json.dumps(self.choice(STRINGS), ensure_ascii=False)
        return self.choice(["true", "false", "null", "[]", "{}"])

    def path(self, depth):
        steps = [self.choice(FIELDS + ["*", "$", "**"]) for _ in range(self.rng.randint(1, 3))]
        text = ".".join(steps)
        r = self.rng.random()
        if r < 0.15:
            text += "[" + self.choice(["0", "1", "-1", "-2", "[0,1]"]) + "]"
        elif r < 0.3:
            text += "[" + self.expression(depth + 1) + "]"
        elif r < 0.38:
            text += "#$i"
            if self.rng.random() < 0.5:
                text += "[$i " + self.choice(["<", ">", "="]) + " 1]"
        elif r < 0.44:
            text += "@$v"
        elif r < 0.52:
            text += "^(" + self.choice(["", ">"]) + self.choice(FIELDS + ["$"]) + ")"
        elif r < 0.56:
            text += "[]"
        elif r < 0.6:
            text += "{" + self.expression(depth + 1) + ": " + self.expression(depth + 1) + "}"
        return text

    def function_call(self, depth):
        name = self.choice([n for n, forms in FUNCTIONS.items() if forms or n in EXTRA_CALLS])
        forms = FUNCTIONS[name]
        if name in EXTRA_CALLS:
            name, forms = EXTRA_CALLS[name]
        form = self.choice(forms)
        arguments = [self.argument(kind, depth + 1) for kind in form]
        if self.rng.random() < 0.1 and arguments:
            arguments.pop()
        return "$" + name + "(" + ", ".join(arguments) + ")"

    def argument(self, kind, depth):
        if self.rng.random() < 0.15:
            return self.expression(depth)  # any type: signature errors too
        if kind == "num":
            return self.choice(NUMBERS + [self.path(depth)])
        if kind == "str":
            return self.choice([json.dumps(self.choice(STRINGS), ensure_ascii=False), self.path(depth)])
        if kind == "arr":
            return self.choice(["[1, 2, 3]", "[3, 1, 2]", '["b", "a"]', "[]", "[1..5]", self.path(depth), "[" + self.expression(depth) + "]"])
        if kind == "obj":
            return self.choice(['{"a": 1, "b": 2}', "$", self.path(depth)])
        if kind == "bool":
            return self.choice(["true", "false"])
        if kind == "pic":
            return self.choice(PICTURES)
        if kind == "ipic":
            return self.choice(INTEGER_PICTURES)
        if kind == "dpic":
            return self.choice(DATE_PICTURES)
        if kind == "regex":
            return self.choice(REGEXES)
        if kind == "estr":
            return json.dumps(self.choice(["1 + 2", "a", "$count($)", "[1,2][0]", "(", "$x"]))
        if kind == "fn1":
            return "function($v, $i) {" + self.expression(depth) + "}"
        if kind == "fn2":
            return "function($a, $b) {" + self.expression(depth) + "}"
        return self.expression(depth)

    def expression(self, depth=0):
        if depth > 3:
            return self.choice([self.literal(), self.path(depth), "$v", "$a", "$b", "$i"])
        r = self.rng.random()
        if r < 0.15:
            return self.literal()
        if r < 0.35:
            return self.path(depth)
        if r < 0.55:
            operator = self.choice(["+", "-", "*", "/", "%", "&", "=", "!=", "<", "<=", ">", ">=", "and", "or", "in", "??", "?:"])
            return "(" + self.expression(depth + 1) + " " + operator + " " + self.expression(depth + 1) + ")"
        if r < 0.7:
            return self.function_call(depth)
        if r < 0.76:
            return self.expression(depth + 1) + " ? " + self.expression(depth + 1) + " : " + self.expression(depth + 1)
        if r < 0.82:
            return "{" + ", ".join(json.dumps(self.choice(FIELDS)) + ": " + self.expression(depth + 1) for _ in range(self.rng.randint(0, 3))) + "}"
        if r < 0.87:
            return "[" + ", ".join(self.expression(depth + 1) for _ in range(self.rng.randint(0, 3))) + "]"
        if r < 0.92:
            return "($x := " + self.expression(depth + 1) + "; " + self.expression(depth + 1).replace("$v", "$x") + ")"
        if r < 0.95:
            return "-" + self.expression(depth + 1)
        if r < 0.955:
            return "[" + self.choice(["1", "0", "-2"]) + ".." + self.choice(["3", "0", "5"]) + "]"
        if r < 0.965:
            return self.lambda_use(depth)
        if r < 0.972:
            return "($ ~> |" + self.path(depth + 1) + "|" + self.choice(['{"x": 1}', '{"a": ' + self.expression(depth + 1) + '}', "{}"]) + \
                self.choice(["", ', "a"', ', ["b", "c"]']) + "|)"
        if r < 0.978:
            return self.path(depth + 1) + ".%" + self.choice(["", ".%", "." + self.choice(FIELDS)])
        if r < 0.985:
            return self.path(depth + 1) + "{" + self.choice(["$string($)", "$type($)", json.dumps(self.choice(FIELDS))]) + ": " + \
                self.choice(["$", "$count($)", "$sum($.*)", self.expression(depth + 1)]) + "}"
        if r < 0.99:
            return self.choice(["1e300", "-0", "9007199254740993", "1.7976931348623157e308", "5e-324", "0.1 + 0.2", '"\\u00e9"', '"\\ud83d\\ude00"'])
        return "(" + self.expression(depth + 1) + " ~> $" + self.choice(["string", "count", "type", "exists", "boolean", "uppercase", "sum", "keys"]) + ")"

    def lambda_use(self, depth):
        body = self.expression(depth + 1)
        r = self.rng.random()
        if r < 0.3:
            return "(function($v, $i){" + body + "})(" + self.expression(depth + 1) + ", " + self.choice(NUMBERS) + ")"
        if r < 0.5:
            signature = self.choice(["<n:n>", "<s-:s>", "<a<n>:n>", "<x?:x>", "<n-n?:n>", "<(sn)b?:x>", "<o:a>", "<f:x>"])
            return "(function($v)" + signature + "{" + body + "})(" + self.expression(depth + 1) + ")"
        if r < 0.65:
            return "$substring(?, " + self.choice(["0", "1", "-1"]) + ")(" + self.expression(depth + 1) + ")"
        if r < 0.8:
            return "($f := function($n){$n <= 1 ? 1 : $n * $f($n - 1)}; $f(" + self.choice(["0", "3", "5", "-1", '"a"']) + "))"
        return "($compose := function($f, $g){function($x){$g($f($x))}}; $compose($string, $length)(" + self.expression(depth + 1) + "))"


def ask(oracle, cases):
    """The oracle's answers to `cases`; a batch that crashes the oracle or
    runs too long (a hostile case: a huge range, runaway recursion, a loop
    in the reference itself) is split in eight until the case to blame is
    alone, and that case gets no answer ({})."""
    # Its own process group, so that a timeout stops the oracle and not only its shell.
    process = subprocess.Popen(oracle, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        output, _ = process.communicate("\n".join(json.dumps(c) for c in cases) + "\n", timeout=10)
        answers = [json.loads(line) for line in output.splitlines()]
        if process.returncode == 0 and len(answers) == len(cases):
            return answers
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    except ValueError:
        pass
    if len(cases) == 1:
        return [{}]
    size = (len(cases) + 7) // 8
    return [answer for start in range(0, len(cases), size) for answer in ask(oracle, cases[start:start + size])]


MUTATIONS = [
    (r"\b(\d+)\b", lambda m, rng: rng.choice(["0", "1", "-1", "2", "1.5", "1e21"])),
    (r"(?<![=!<>])(=|!=|<=|>=|<|>)(?![=>])", lambda m, rng: rng.choice(["=", "!=", "<", "<=", ">", ">="])),
    (r"(?<![+\-*/%])([+\-*/%])(?![>*])", lambda m, rng: rng.choice(["+", "-", "*", "/", "%"])),
    (r"\[(\d+)\]", lambda m, rng: rng.choice(["[-1]", "[0]", "[1]", "[]", "[[0,1]]", "[$]"])),
    (r"\b(and|or)\b", lambda m, rng: rng.choice(["and", "or"])),
    (r"\$(\w+)\(", lambda m, rng: "$" + rng.choice([n for n, f in FUNCTIONS.items() if f]) + "("),
    (r"\^\((<|>)?", lambda m, rng: "^(" + rng.choice(["", "<", ">"])),
    (r'"[^"\\]*"', lambda m, rng: rng.choice(['""', '"a"', '"Hello"', '"1"', '"\\u00e9"'])),
]


def suite_cases(folder, rng, count):
    """Mutations of the visible suite's expressions, each on its own case's input."""
    import glob
    import re
    originals = []
    for path in sorted(glob.glob(os.path.join(folder, "groups", "*", "*.json"))):
        try:
            with open(path) as file:
                content = json.load(file)
        except (ValueError, UnicodeDecodeError):
            continue
        for case in content if isinstance(content, list) else [content]:
            if "expr" not in case or "timelimit" in case or "depth" in case:
                continue
            if case.get("dataset"):
                try:
                    with open(os.path.join(folder, "datasets", case["dataset"] + ".json")) as file:
                        data = json.load(file)
                except (OSError, ValueError):
                    continue
            else:
                data = case.get("data")
            originals.append((case["expr"], data, case.get("bindings", {})))
    cases = []
    while originals and len(cases) < count:
        expr, data, bindings = rng.choice(originals)
        for _ in range(rng.randint(1, 2)):
            pattern, replace = rng.choice(MUTATIONS)
            matches = list(re.finditer(pattern, expr))
            if matches:
                match = rng.choice(matches)
                expr = expr[:match.start()] + replace(match, rng) + expr[match.end():]
        cases.append({"expr": expr, "input": data, "bindings": bindings})
    return cases


NO_JSON_MARKERS = ("<function>", "<nonfinite", "<undefined>")


def has_json_answer(answer):
    """Whether the reference answered with something a suite case can hold:
    a value JSON can carry, undefined, or an error with a code (an error
    without one is the host's, a stack overflow or a crash)."""
    if not ("value" in answer or answer.get("undefined") or answer.get("code")):
        return False
    text = json.dumps(answer)
    return not any(marker in text for marker in NO_JSON_MARKERS)


def expectation(answer):
    """The suite case's expected outcome for the reference's answer."""
    if "code" in answer:
        return {"code": answer["code"]}
    if answer.get("undefined"):
        return {"undefinedResult": True}
    return {"result": answer["value"]}


def area(failure):
    """A divergence's kind: which side fails, or what differs."""
    expected, actual = str(failure["expected"]), str(failure["actual"])
    if expected.startswith("error") and actual.startswith("error"):
        return "both fail, with different codes"
    if expected.startswith("error"):
        return "the reference fails, this engine does not"
    if actual.startswith("error"):
        return "this engine fails, the reference does not"
    if "undefined" in (expected, actual):
        return "undefined on one side"
    return "different values"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--oracle", required=True, help="command that evaluates cases with the reference engine")
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="/tmp/differential")
    parser.add_argument("--rulecheck", default=".build/release/rulecheck")
    parser.add_argument("--suite", help="also mutate the expressions of the JSONata suite in this folder")
    parser.add_argument("--mutations", type=int, default=0, help="how many suite mutations (with --suite)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    generator = Generator(rng)
    cases = [{"expr": generator.expression(), "input": generator.document(), "bindings": {}} for _ in range(args.cases)]
    if args.suite:
        cases += suite_cases(args.suite, rng, args.mutations)
    answers = []
    for start in range(0, len(cases), 200):
        answers += ask(args.oracle, cases[start:start + 200])
        print(f"\r{len(answers)} of {len(cases)} answered by the reference", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    group = os.path.join(args.out, "groups", "generated")
    os.makedirs(group, exist_ok=True)
    os.makedirs(os.path.join(args.out, "datasets"), exist_ok=True)
    written = skipped = 0
    for index, (case, answer) in enumerate(zip(cases, answers)):
        if not has_json_answer(answer):
            skipped += 1
            continue
        suite_case = {"expr": case["expr"], "data": case["input"], "bindings": case["bindings"], "timelimit": 1000, "depth": 200}
        suite_case.update(expectation(answer))
        text = json.dumps(suite_case, ensure_ascii=False)
        try:
            encoded = text.encode("utf-8")
        except UnicodeEncodeError:
            skipped += 1  # a lone surrogate: no Swift string can carry one
            continue
        with open(os.path.join(group, f"case{index:06d}.json"), "wb") as file:
            file.write(encoded)
        written += 1
    report = subprocess.run([args.rulecheck, "jsonata-suite", args.out, "--json"], capture_output=True, text=True)
    result = json.loads(report.stdout)
    print(f"{written} cases compared ({skipped} without a JSON answer skipped): {result['passed']} agree, {result['failed']} diverge")
    with open(os.path.join(args.out, "divergences.json"), "w") as file:
        json.dump(result["failures"], file, indent=1, ensure_ascii=False)
    areas = {}
    for failure in result["failures"]:
        areas.setdefault(area(failure), []).append(failure)
    print("divergences by kind:")
    for name, failures in sorted(areas.items(), key=lambda item: -len(item[1])):
        print(f"  {len(failures):6d}  {name}")
    for failure in result["failures"][:40]:
        print(f"  {failure['expr']}\n    reference: {failure['expected']}\n    this engine: {failure['actual']}")


if __name__ == "__main__":
    main()
