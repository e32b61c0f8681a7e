#!/usr/bin/env python3
"""The gateway's added latency per call: the same calls made to the stub
provider directly and through `rulegateway`, one after the other, in
interleaved rounds, on two bodies:

- S1: an AOG chat request of 8 messages (about 2 KB) for an Ollama provider,
  answered with a whole response (request and response converted);
- S4: an Ollama client's streamed chat served by DashScope (an SSE stream of
  200 chunks, each converted, re-framed as NDJSON).

Run it with the official clients' environment and a release build:

    swift build -c release --product rulegateway
    .build-clients/venv/bin/python Scripts/gateway-latency.py .build/release/rulegateway
"""
import json
import pathlib
import statistics
import subprocess
import sys
import time

import httpx

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "Tests/Gateway"))
from stub_provider import StubProvider  # noqa: E402

ROUNDS = 300
MESSAGES = [{"role": "user" if i % 2 == 0 else "assistant",
             "content": f"Message {i}: " + "the quick brown fox jumps over the lazy dog; " * 5} for i in range(8)]


def start_gateway(binary, *arguments):
    process = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--log-level", "warning", *arguments],
                               stdout=subprocess.PIPE, env={"PROVIDER_KEY": "sk-bench"})
    line = process.stdout.readline().decode()
    return process, int(line.rsplit(":", 1)[1])


def timed(client, url, body):
    """Microseconds to the first byte and to the last."""
    started = time.perf_counter()
    first = None
    with client.stream("POST", url, json=body) as response:
        for _ in response.iter_raw():
            if first is None:
                first = time.perf_counter()
    return (first - started) * 1e6, (time.perf_counter() - started) * 1e6


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/rulegateway"
    stub = StubProvider(write_per_payload=True)
    ollama_gateway, ollama_port = start_gateway(binary, "--provider", f"ollama@{stub.url()}")
    dashscope_gateway, dashscope_port = start_gateway(
        binary, "--provider", f"aliyun@{stub.url('/compatible-mode/v1')}", "--key-env", "PROVIDER_KEY")
    s1_direct = {"model": "qwen3:0.6b", "stream": False, "messages": MESSAGES, "options": {}}
    s1_gateway = {"model": "qwen3:0.6b", "messages": MESSAGES}
    s4 = {"model": "long-stream", "stream": True, "messages": MESSAGES[:1]}
    scenarios = [
        ("S1 AOG chat request -> Ollama, whole response", stub.url("/api/chat"), s1_direct,
         f"http://127.0.0.1:{ollama_port}/aog/v0.2/services/chat", s1_gateway),
        ("S4 DashScope SSE, 200 chunks -> Ollama client", stub.url("/compatible-mode/v1/chat/completions"), s4,
         f"http://127.0.0.1:{dashscope_port}/api/chat", s4),
    ]
    try:
        with httpx.Client(timeout=60) as client:
            for name, direct_url, direct_body, gateway_url, gateway_body in scenarios:
                direct, through = [], []
                for _ in range(20):  # warm up connections and caches
                    timed(client, direct_url, direct_body)
                    timed(client, gateway_url, gateway_body)
                for _ in range(ROUNDS):
                    direct.append(timed(client, direct_url, direct_body))
                    through.append(timed(client, gateway_url, gateway_body))
                report = {"scenario": name, "rounds": ROUNDS}
                for index, what in enumerate(["first_byte", "last_byte"]):
                    added = [g[index] - d[index] for g, d in zip(through, direct)]
                    report[f"{what}_direct_median_us"] = round(statistics.median(d[index] for d in direct))
                    report[f"{what}_gateway_median_us"] = round(statistics.median(g[index] for g in through))
                    report[f"{what}_added_median_us"] = round(statistics.median(added))
                    report[f"{what}_added_p90_us"] = round(statistics.quantiles(added, n=10)[-1])
                print(json.dumps(report))
    finally:
        for process in (ollama_gateway, dashscope_gateway):
            process.terminate()
            process.wait()
        stub.close()


if __name__ == "__main__":
    main()
