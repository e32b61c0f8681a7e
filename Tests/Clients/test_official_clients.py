"""The built-in rules' client-facing outputs, judged by the official clients.

Every output a client receives (a `*_from_aog` conversion, or a two-hop
conversion toward a client flavor) is validated with the models of that
flavor's official Python client: the openai SDK's for the OpenAI-style
flavors, the ollama client's for ollama. The inputs are the fixtures of
Tests/Fixtures and the realistic provider bodies below, each converted by
`rulecheck run` (the binary named by $RULECHECK).

    Tests/Clients/run        # installs the pinned clients, runs this file
"""
import json
import os
import pathlib
import subprocess

import ollama
import openai.types as openai_types
import openai.types.chat as openai_chat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULECHECK = os.environ.get("RULECHECK", str(ROOT / ".build/debug/rulecheck"))
OPENAI_STYLE = {"openai", "deepseek", "aliyun", "baidu", "tencent", "openvino"}
# The services whose outputs the official clients have models for.
CLIENT_SERVICES = {"chat", "generate", "embed", "models"}


# MARK: - Judging one payload


def validate_openai(service, kind, payload):
    if isinstance(payload, dict) and "error" in payload:
        # The SDK raises an APIError with the event's message.
        assert isinstance(payload["error"], dict) and isinstance(payload["error"].get("message"), str), payload
        return
    if service == "chat":
        model = openai_chat.ChatCompletionChunk if kind == "stream" else openai_chat.ChatCompletion
        model.model_validate(payload, strict=False)
        choices = payload["choices"]
        assert choices or kind == "stream", "a whole completion has choices"
    elif service == "generate":
        if kind == "stream":
            # OpenAI's own completion streams send finish_reason null until
            # the last chunk, which the SDK's one Completion type does not
            # spell: null is accepted there, anything else is judged.
            payload = dict(payload, choices=[dict(c, finish_reason=c.get("finish_reason") or "stop") for c in payload["choices"]])
        openai_types.Completion.model_validate(payload)
    elif service == "embed":
        openai_types.CreateEmbeddingResponse.model_validate(payload)
    elif service == "models":
        assert isinstance(payload.get("data"), list), payload
        for item in payload["data"]:
            openai_types.Model.model_validate(item)


def validate_ollama(service, kind, payload):
    if isinstance(payload, dict) and "error" in payload:
        # The client raises a ResponseError with the line's text.
        assert isinstance(payload["error"], str), payload
        return
    model = {
        "chat": ollama.ChatResponse,
        "generate": ollama.GenerateResponse,
        "embed": ollama.EmbedResponse,
        "models": ollama.ListResponse,
    }[service]
    model.model_validate(payload)


def validate(client, service, kind, payload):
    if client in OPENAI_STYLE:
        validate_openai(service, kind, payload)
    else:
        validate_ollama(service, kind, payload)


# MARK: - Running a conversion


def framed(payloads, content_type):
    """The bytes of a stream of payloads, framed as its Content-Type says."""
    frames = []
    for payload in payloads:
        text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
        frames.append(f"data: {text}\n\n" if "event-stream" in content_type else text + "\n")
    return "".join(frames).encode()


def stream_payloads(output):
    """The payloads of a converted stream, read as the clients read them:
    SSE data fields, or NDJSON split with str.splitlines (the ollama
    client's way, which also breaks on U+2028, U+2029 and U+0085)."""
    text = output.decode()
    if text.startswith("data:") or "\ndata:" in text:
        payloads = []
        for event in text.split("\n\n"):
            data = [line[5:].lstrip() for line in event.split("\n") if line.startswith("data:")]
            if data:
                payloads.append("\n".join(data))
        return [p for p in payloads if p != "[DONE]"]
    return [line for line in text.splitlines() if line.strip()]


def run(rule, arguments, variables, headers, body):
    command = [RULECHECK, "run", rule] + arguments
    for name, value in variables.items():
        command += ["--var", f"{name}={value if isinstance(value, str) else json.dumps(value)}"]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    result = subprocess.run(command, input=body, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


# MARK: - The cases


def fixture_cases():
    """Client-facing cases of the fixtures: (id, rule, client, kind, arguments, vars, headers, body)."""
    cases = []
    for path in sorted((ROOT / "Tests/Fixtures").glob("*/*.json")):
        flavor, service = path.parent.name, path.stem
        if service not in CLIENT_SERVICES:
            continue
        for case in json.loads(path.read_text())["cases"]:
            expect = case.get("expect", {})
            if "error" in expect or "dropped" in expect:
                continue
            if "client" in case:
                if case["kind"] == "request":
                    continue
                client, kind = case["client"], case["kind"]
                if client == flavor:
                    continue  # between a flavor and itself nothing converts
                arguments = ["--client", client, "--kind", kind]
            else:
                conversion = case["conversion"]
                if conversion not in ("response_from_aog", "stream_response_from_aog"):
                    continue
                client, kind, arguments = flavor, conversion.removesuffix("_from_aog"), [conversion]
            if client == "aog":
                continue
            given = case["input"]
            headers = given.get("headers", {})
            if "body" in given:
                body = json.dumps(given["body"], ensure_ascii=False).encode()
            elif "text" in given:
                body = given["text"].encode()
            else:
                body = framed(given["events"], headers.get("Content-Type", ""))
            rule = f"{flavor}:{service}"
            cases.append(pytest.param(rule, client, kind, arguments, case.get("vars", {}), headers, body,
                                      id=f"{rule} -> {client} {kind}: {case['name']}"))
    return cases


OLLAMA_CHAT = {
    "model": "qwen3:0.6b", "created_at": "2025-03-11T06:38:36.1349763Z",
    "message": {"role": "assistant", "content": "Grüße 👋 — line\u2028separator, 12345678901234567890"},
    "done_reason": "stop", "done": True, "prompt_eval_count": 9, "eval_count": 3,
}
OLLAMA_TOOL_CALLS = dict(OLLAMA_CHAT, message={"role": "assistant", "content": "", "tool_calls": [
    {"function": {"name": "get_weather", "arguments": {"city": "Paris", "days": 3}}},
    {"function": {"name": "get_time", "arguments": {}}},
]})
OPENAI_CHAT = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1741675116, "model": "gpt-4o",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello \u2029 world"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
}
OPENAI_CHUNKS = [
    {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
     "choices": [{"index": 0, "delta": {"role": "assistant", "content": "He"}, "finish_reason": None}]},
    {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
     "choices": [{"index": 0, "delta": {"content": "llo"}, "finish_reason": None}]},
    {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
     "choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]},
    {"error": {"message": "overloaded", "type": "server_error", "code": "503"}},
    "[DONE]",
]

# Parallel tool calls as OpenAI-style providers stream them: a call's id,
# type and name in its first fragment, the arguments in pieces.
OPENAI_TOOL_CHUNKS = [
    dict(OPENAI_CHUNKS[0], choices=[{"index": 0, "finish_reason": None, "delta": {"role": "assistant", "content": None, "tool_calls": [
        {"index": 0, "id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": ""}}]}}]),
    dict(OPENAI_CHUNKS[0], choices=[{"index": 0, "finish_reason": None, "delta": {"tool_calls": [
        {"index": 0, "function": {"arguments": "{\"city\": \"Pa"}}]}}]),
    dict(OPENAI_CHUNKS[0], choices=[{"index": 0, "finish_reason": None, "delta": {"tool_calls": [
        {"index": 0, "function": {"arguments": "ris\u2028\", \"n\": 12345678901234567890}"}}]}}]),
    dict(OPENAI_CHUNKS[0], choices=[{"index": 0, "finish_reason": None, "delta": {"tool_calls": [
        {"index": 1, "id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]}}]),
    dict(OPENAI_CHUNKS[0], choices=[{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]),
    dict(OPENAI_CHUNKS[0], choices=[], usage={"prompt_tokens": 5, "completion_tokens": 9, "total_tokens": 14}),
    "[DONE]",
]

def realistic_cases():
    """Realistic provider bodies through every provider and client of the services above
    (but a flavor to itself, where nothing converts)."""
    cases = []
    variables = {"id": "chatcmpl-9"}
    ndjson = {"Content-Type": "application/x-ndjson"}
    sse = {"Content-Type": "text/event-stream"}
    for client in ["openai", "ollama", "deepseek", "aliyun"]:
        for name, body in [("text with unicode and a big integer", OLLAMA_CHAT), ("parallel tool calls", OLLAMA_TOOL_CALLS),
                           ("done_reason load", dict(OLLAMA_CHAT, done_reason="load"))]:
            arguments = ["--client", client, "--kind", "response"]
            cases.append(pytest.param("ollama:chat", client, "response", arguments, variables, {}, json.dumps(body).encode(),
                                      id=f"ollama:chat -> {client} response: {name}"))
        stream = [dict(OLLAMA_CHAT, done=False, done_reason=None, message={"role": "assistant", "content": "a"}),
                  dict(OLLAMA_TOOL_CALLS, done=False), {"error": "model runner crashed"}, OLLAMA_CHAT]
        cases.append(pytest.param("ollama:chat", client, "stream_response", ["--client", client, "--kind", "stream_response"],
                                  variables, ndjson, framed(stream, "ndjson"), id=f"ollama:chat -> {client} stream: chunks, tool call, error"))
        for provider in ["openai", "deepseek", "aliyun", "baidu", "tencent", "openvino"]:
            cases.append(pytest.param(f"{provider}:chat", client, "response", ["--client", client, "--kind", "response"], variables,
                                      {}, json.dumps(OPENAI_CHAT).encode(), id=f"{provider}:chat -> {client} response: text"))
            cases.append(pytest.param(f"{provider}:chat", client, "stream_response", ["--client", client, "--kind", "stream_response"],
                                      variables, sse, framed(OPENAI_CHUNKS, "event-stream"),
                                      id=f"{provider}:chat -> {client} stream: deltas without role, finish, error"))
            cases.append(pytest.param(f"{provider}:chat", client, "stream_response", ["--client", client, "--kind", "stream_response"],
                                      variables, sse, framed(OPENAI_TOOL_CHUNKS, "event-stream"),
                                      id=f"{provider}:chat -> {client} stream: parallel tool calls in fragments, usage"))
    for dimensions in [1, 4096]:
        vector = [round(0.001 * i - 1, 6) for i in range(dimensions)]
        ollama_embed = {"model": "all-minilm", "embeddings": [vector, vector], "prompt_eval_count": 4}
        openai_embed = {"object": "list", "model": "text-embedding-v3", "data": [{"object": "embedding", "index": 0, "embedding": vector}],
                        "usage": {"prompt_tokens": 4, "total_tokens": 4}}
        for client in ["ollama", "aliyun", "tencent", "baidu", "openvino"]:
            arguments = ["--client", client, "--kind", "response"]
            cases.append(pytest.param("ollama:embed", client, "response", arguments, variables, {}, json.dumps(ollama_embed).encode(),
                                      id=f"ollama:embed -> {client}: {dimensions} dimensions"))
            for provider in ["aliyun", "tencent", "baidu", "openvino"]:
                cases.append(pytest.param(f"{provider}:embed", client, "response", arguments, variables, {},
                                          json.dumps(openai_embed).encode(), id=f"{provider}:embed -> {client}: {dimensions} dimensions"))
    ollama_tags = {"models": [{"name": "qwen3:0.6b", "model": "qwen3:0.6b", "modified_at": "2025-05-01T10:00:00.123456789-07:00",
                               "size": 522653767, "digest": "7df6b6e09427",
                               "details": {"format": "gguf", "family": "qwen3", "parameter_size": "751.63M", "quantization_level": "Q4_K_M"}}]}
    openai_models = {"object": "list", "data": [{"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"}]}
    for client in ["openai", "ollama", "aliyun", "tencent"]:
        arguments = ["--client", client, "--kind", "response"]
        cases.append(pytest.param("ollama:models", client, "response", arguments, {}, {}, json.dumps(ollama_tags).encode(),
                                  id=f"ollama:models -> {client}"))
        for provider in ["openai", "aliyun", "tencent"]:
            cases.append(pytest.param(f"{provider}:models", client, "response", arguments, {}, {}, json.dumps(openai_models).encode(),
                                      id=f"{provider}:models -> {client}"))
    return cases


def converting(cases):
    return [case for case in cases if case.values[0].split(":")[0] != case.values[1]]


@pytest.mark.parametrize("rule, client, kind, arguments, variables, headers, body", fixture_cases() + converting(realistic_cases()))
def test_the_official_client_accepts_the_output(rule, client, kind, arguments, variables, headers, body):
    service = rule.split(":")[1]
    output = run(rule, arguments, variables, headers, body)
    if kind.startswith("stream"):
        payloads = stream_payloads(output)
        assert payloads, "a stream with no payload"
        for payload in payloads:
            validate(client, service, "stream", json.loads(payload))
    else:
        validate(client, service, "response", json.loads(output))


@pytest.mark.parametrize("provider", sorted(OPENAI_STYLE))
def test_an_ollama_client_gets_whole_tool_calls_from_fragments(provider):
    output = run(f"{provider}:chat", ["--client", "ollama", "--kind", "stream_response"], {}, {"Content-Type": "text/event-stream"},
                 framed(OPENAI_TOOL_CHUNKS, "event-stream"))
    parts = [ollama.ChatResponse.model_validate_json(line) for line in stream_payloads(output)]
    calls = [(call.function.name, dict(call.function.arguments)) for part in parts for call in part.message.tool_calls or []]
    # The arguments text becomes an object through JSONata, whose numbers
    # are doubles (as JavaScript's JSON.parse gives them): an integer past
    # 2**53 arrives rounded to the nearest double.
    assert calls == [("get_weather", {"city": "Paris\u2028", "n": 12345678901234567000}), ("get_time", {})]
    assert parts[-1].done and parts[-1].prompt_eval_count == 5 and parts[-1].eval_count == 9
