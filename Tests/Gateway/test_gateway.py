"""The gateway host end to end: the official openai and ollama Python
clients talk to `rulegateway` over real HTTP on 127.0.0.1, and the gateway
calls a stub provider (stub_provider.py) that replays recorded provider
bodies and streams in small random write sizes.

    Tests/Gateway/run        # builds rulegateway and rulecheck, runs this file
"""
import asyncio
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import tempfile
import time

import httpx
import ollama
import openai
import pytest

from stub_provider import LONG_STREAM_CHUNKS, RECORDINGS, StubProvider

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("BIN_PATH", ROOT / ".build/debug"))
RULEGATEWAY = str(BIN / "rulegateway")
RULECHECK = str(BIN / "rulecheck")
KEY = "sk-test-7f3a9c"  # the provider key the gateway reads from its environment
MESSAGES = [{"role": "user", "content": "Say hello"}]


class Gateway:
    """A rulegateway process on a free port, its log in a file."""

    def __init__(self, *arguments, environment=None):
        self.log = tempfile.NamedTemporaryFile(prefix="rulegateway-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [RULEGATEWAY, "--listen", "127.0.0.1:0", *arguments], stdout=subprocess.PIPE, stderr=self.log,
            env=dict(os.environ, PROVIDER_KEY=KEY, **(environment or {})))
        line = self.process.stdout.readline().decode()
        assert line.startswith("rulegateway listening on"), self.log_text() + line
        self.port = int(line.rsplit(":", 1)[1])

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}{path}"

    def status(self, field):
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def open_files(self):
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def log_text(self):
        return pathlib.Path(self.log.name).read_text()

    def close(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture(scope="module")
def stub():
    provider = StubProvider()
    yield provider
    provider.close()


@pytest.fixture(scope="module")
def ollama_gateway(stub):
    """Every service served by an Ollama provider."""
    gateway = Gateway("--provider", f"ollama@{stub.url()}", "--upstream-read-timeout", "2")
    yield gateway
    gateway.close()


@pytest.fixture(scope="module")
def openai_gateway(stub):
    """Chat and models served by OpenAI, embeddings by DashScope's compatible mode."""
    gateway = Gateway("--provider", f"openai@{stub.url('/v1')}", "--provider", f"embed=aliyun@{stub.url('/compatible-mode/v1')}",
                      "--key-env", "PROVIDER_KEY")
    yield gateway
    gateway.close()


@pytest.fixture(scope="module")
def dashscope_gateway(stub):
    gateway = Gateway("--provider", f"aliyun@{stub.url('/compatible-mode/v1')}", "--key-env", "PROVIDER_KEY")
    yield gateway
    gateway.close()


def openai_client(gateway, flavor="openai"):
    return openai.OpenAI(base_url=gateway.url(f"/aog/v0.2/api_flavors/{flavor}/v1"), api_key="sk-client", max_retries=0)


def last_request(stub, path):
    return [r for r in stub.requests if r["path"].split("?")[0] == path][-1]


# MARK: - What the rules produce, to compare with what the clients get


def stream_payloads(data):
    """The payloads of a stream, as the clients split them (SSE data fields, or NDJSON lines)."""
    text = data.decode()
    if text.startswith("data:"):
        return ["\n".join(line[5:].lstrip() for line in event.split("\n") if line.startswith("data:"))
                for event in text.split("\n\n") if event.strip()]
    return [line for line in text.splitlines() if line.strip()]


def expected_stream(rule, client, recording):
    """The payloads `rulecheck run` makes of a recording, with the id ID."""
    content_type, body = RECORDINGS[recording]
    result = subprocess.run([RULECHECK, "run", rule, "--client", client, "--kind", "stream_response", "--var", "id=ID",
                             "--header", f"Content-Type: {content_type}"], input=body, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    return stream_payloads(result.stdout)


def assert_same_payloads(received, expected):
    """Equal payloads, in order; the gateway's one id per stream stands for ID."""
    assert len(received) == len(expected), (received, expected)
    ids = set()
    for got, want in zip(received, expected):
        pattern = "^" + re.escape(want).replace("ID", "(\\d+)") + "$"
        match = re.match(pattern, got)
        assert match, (got, want)
        ids.update(match.groups())
    assert len(ids) <= 1, ids


# MARK: - The openai SDK


def test_openai_chat_served_by_ollama(ollama_gateway, stub):
    completion = openai_client(ollama_gateway).chat.completions.create(model="qwen3:0.6b", messages=MESSAGES)
    assert completion.choices[0].message.content == "Bonjour 👋 — line\u2028separator"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.total_tokens == 12
    sent = last_request(stub, "/api/chat")
    assert sent["body"]["model"] == "qwen3:0.6b" and sent["body"]["messages"] == MESSAGES and sent["body"]["stream"] is False
    assert "sk-client" not in json.dumps(sent["headers"]), "the client's key never reaches the provider"


def test_openai_stream_served_by_ollama_gets_exactly_the_rules_payloads(ollama_gateway):
    with httpx.stream("POST", ollama_gateway.url("/aog/v0.2/api_flavors/openai/v1/chat/completions"),
                      json={"model": "ollama-chat-stream", "stream": True, "messages": MESSAGES}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        received = stream_payloads(response.read())
    assert_same_payloads(received, expected_stream("ollama:chat", "openai", "ollama-chat-stream"))
    chunks = list(openai_client(ollama_gateway).chat.completions.create(model="qwen3:0.6b", messages=MESSAGES, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Bonjour 👋\u2028"
    assert len({c.id for c in chunks}) == 1, "one id per stream"


def test_openai_stream_helper_and_tool_calls(ollama_gateway):
    client = openai_client(ollama_gateway)
    with client.chat.completions.stream(model="qwen3:0.6b", messages=MESSAGES) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.content == "Bonjour 👋\u2028"
    completion = client.chat.completions.create(model="ollama-chat-tools", messages=MESSAGES)
    call = completion.choices[0].message.tool_calls[0]
    assert call.type == "function" and call.id and json.loads(call.function.arguments) == {"city": "Paris", "days": 3}
    assert completion.choices[0].finish_reason == "tool_calls"


def test_openai_embeddings_and_models(ollama_gateway, openai_gateway):
    embedding = openai_client(ollama_gateway, "aliyun").embeddings.create(model="bge-m3", input=["a", "b"])
    assert [item.embedding for item in embedding.data] == [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]
    models = openai_client(ollama_gateway).models.list()
    assert [model.id for model in models.data] == ["qwen3:0.6b"] and models.data[0].owned_by == "ollama"
    embedding = openai_client(openai_gateway, "aliyun").embeddings.create(model="text-embedding-v3", input="a")
    assert embedding.data[0].embedding == [0.1, -0.2, 0.3]


def test_openai_client_served_by_dashscope(dashscope_gateway, stub):
    client = openai_client(dashscope_gateway)
    text = "".join(c.choices[0].delta.content or "" for c in
                   client.chat.completions.create(model="qwen-plus", messages=MESSAGES, stream=True) if c.choices)
    assert text == "Hello \u2028"
    sent = last_request(stub, "/compatible-mode/v1/chat/completions")
    assert sent["headers"]["Authorization"] == f"Bearer {KEY}"
    assert sent["body"]["stream"] is True


def test_openai_errors_raise_the_sdks_errors(ollama_gateway):
    client = openai_client(ollama_gateway)
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="fail-404", messages=MESSAGES)
    assert "model 'missing' not found" in raised.value.message
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="fail-500", messages=MESSAGES)
    with pytest.raises(openai.APIError) as raised:
        for _ in client.chat.completions.create(model="ollama-chat-stream-error", messages=MESSAGES, stream=True):
            pass
    assert "model runner crashed" in str(raised.value)


# MARK: - The ollama client


def test_ollama_client_served_by_openai(openai_gateway, stub):
    client = ollama.Client(host=openai_gateway.url())
    response = client.chat(model="gpt-4o", messages=MESSAGES)
    assert response.message.role == "assistant" and response.message.content == "Hello \u2029 world"
    parts = list(client.chat(model="openai-chat-stream", messages=MESSAGES, stream=True))
    assert all(part.message.role == "assistant" for part in parts), "every part carries its role"
    assert "".join(part.message.content or "" for part in parts) == "Hello \u2028"
    assert parts[-1].done
    sent = last_request(stub, "/v1/chat/completions")
    assert sent["headers"]["Authorization"] == f"Bearer {KEY}"
    assert [m.model for m in client.list().models] == ["qwen-plus"]
    assert client.embed(model="text-embedding-v3", input="a").embeddings == [[0.1, -0.2, 0.3]]


def test_ollama_stream_gets_exactly_the_rules_payloads(openai_gateway):
    with httpx.stream("POST", openai_gateway.url("/api/chat"),
                      json={"model": "openai-chat-stream", "stream": True, "messages": MESSAGES}) as response:
        assert response.headers["content-type"].startswith("application/x-ndjson")
        received = stream_payloads(response.read())
    assert_same_payloads(received, expected_stream("openai:chat", "ollama", "openai-chat-stream"))


def test_ollama_client_gets_whole_tool_calls_from_openai_fragments(openai_gateway):
    client = ollama.Client(host=openai_gateway.url())
    parts = list(client.chat(model="openai-chat-stream-tools", messages=MESSAGES, tools=TOOLS, stream=True))
    calls = [(call.function.name, dict(call.function.arguments)) for part in parts for call in part.message.tool_calls or []]
    assert calls == [("get_weather", {"city": "Paris", "days": 3}), ("get_time", {})]
    assert parts[-1].done and parts[-1].done_reason == "stop"
    with httpx.stream("POST", openai_gateway.url("/api/chat"),
                      json={"model": "openai-chat-stream-tools", "stream": True, "messages": MESSAGES}) as response:
        received = stream_payloads(response.read())
    assert_same_payloads(received, expected_stream("openai:chat", "ollama", "openai-chat-stream-tools"))
    whole = client.chat(model="openai-chat-tools", messages=MESSAGES, tools=TOOLS)
    assert [(c.function.name, dict(c.function.arguments)) for c in whole.message.tool_calls] == [("get_weather", {"city": "Paris"})]


def test_ollama_client_errors(openai_gateway, ollama_gateway):
    client = ollama.Client(host=openai_gateway.url())
    with pytest.raises(ollama.ResponseError) as raised:
        client.chat(model="fail-404", messages=MESSAGES)
    assert raised.value.status_code == 404 and raised.value.error == "The model does not exist (status 404)"
    with pytest.raises(ollama.ResponseError) as raised:
        for _ in client.chat(model="openai-chat-stream-error", messages=MESSAGES, stream=True):
            pass
    assert raised.value.error == "overloaded"
    # Between ollama and itself the bytes pass unchanged, raw routes included.
    native = ollama.Client(host=ollama_gateway.url())
    assert native.chat(model="qwen3:0.6b", messages=MESSAGES).message.content == "Bonjour 👋 — line\u2028separator"
    assert [p.response for p in native.generate(model="qwen3:0.6b", prompt="hi", stream=True)] == ["Hi", "!"]


# MARK: - AOG's own API and operations


def test_aog_api_and_health(ollama_gateway, stub):
    assert httpx.get(ollama_gateway.url("/health")).json() == {"status": "ok"}
    response = httpx.post(ollama_gateway.url("/aog/v0.2/services/chat"), json={"model": "qwen3:0.6b", "messages": MESSAGES})
    assert response.status_code == 200 and response.json()["message"]["content"] == "Bonjour 👋 — line\u2028separator"
    response = httpx.get(ollama_gateway.url("/aog/v0.2/services/models"))
    assert response.json()["models"][0]["name"] == "qwen3:0.6b"
    assert httpx.get(ollama_gateway.url("/nowhere")).status_code == 404


def test_binary_bodies_pass_unchanged(ollama_gateway, stub):
    gateway = Gateway("--provider", f"text-to-speech=openvino@{stub.url()}")
    try:
        response = httpx.post(gateway.url("/aog/v0.2/services/text-to-speech"), json={"model": "tts", "text": "hi", "voice": "female"})
        assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
        from stub_provider import AUDIO
        assert response.content == AUDIO
    finally:
        gateway.close()


def test_logs_name_the_call_and_never_a_key_or_a_body(openai_gateway):
    ollama.Client(host=openai_gateway.url()).chat(model="gpt-4o", messages=MESSAGES)
    log = openai_gateway.log_text()
    assert "status=200" in log and "client_flavor=ollama" in log and "provider_flavor=openai" in log
    assert KEY not in log and "Say hello" not in log and "world" not in log


def test_unconfigured_and_unimplemented_services_say_what_is_missing(ollama_gateway):
    response = httpx.post(ollama_gateway.url("/aog/v0.2/services/text-to-image"), json={"prompt": "a cat"})
    assert response.status_code == 503 and "text-to-image" in response.json()["error"]["message"]
    response = httpx.get(ollama_gateway.url("/aog/v0.2/services/speech-to-text-ws"))
    assert response.status_code == 501 and "WebSocket" in response.json()["error"]["message"]


def test_a_missing_key_is_refused_with_its_variable(stub):
    gateway = Gateway("--provider", f"chat=openai@{stub.url('/v1')}", "--key-env", "chat=NOT_SET_ANYWHERE")
    try:
        response = httpx.post(gateway.url("/v1/chat/completions"), json={"model": "m", "messages": MESSAGES})
        assert response.status_code == 503 and "NOT_SET_ANYWHERE" in response.json()["error"]["message"]
    finally:
        gateway.close()


def test_reload_on_sighup_keeps_the_last_good_version(stub, tmp_path):
    template = tmp_path / "openai.yaml"
    def write(expression):
        template.write_text(
            "name: openai\nservices:\n  chat:\n    endpoints: [\"POST /v1/chat/completions\"]\n    install_raw_routes: true\n"
            f"    response_to_aog:\n      conversion:\n        - converter: jsonata\n          config: '{expression}'\n")
    write('{"message": {"role": "assistant", "content": "version 1"}, "finished": true}')
    gateway = Gateway("--provider", f"chat=openai@{stub.url('/v1')}", "--key-env", "PROVIDER_KEY", "--templates", str(tmp_path))
    try:
        client = ollama.Client(host=gateway.url())
        assert client.chat(model="gpt-4o", messages=MESSAGES).message.content == "version 1"
        write('{"message": {"role": "assistant", "content": "version 2"}, "finished": true}')
        gateway.process.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while client.chat(model="gpt-4o", messages=MESSAGES).message.content != "version 2":
            assert time.time() < deadline, gateway.log_text()
            time.sleep(0.1)
        write('{"message": ')  # does not compile: the service keeps version 2
        gateway.process.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while "openai.yaml" not in gateway.log_text():
            assert time.time() < deadline
            time.sleep(0.1)
        assert client.chat(model="gpt-4o", messages=MESSAGES).message.content == "version 2"
    finally:
        gateway.close()


# MARK: - Limits and faults


def test_limits_answer_with_clear_errors(stub):
    gateway = Gateway("--provider", f"ollama@{stub.url()}", "--max-request-bytes", "1000", "--max-upstream-calls", "1",
                      "--upstream-read-timeout", "3")
    try:
        client = openai_client(gateway)
        with pytest.raises(openai.APIStatusError) as raised:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x" * 2000}])
        assert raised.value.status_code == 413 and "1000 bytes" in raised.value.message
        with httpx.stream("POST", gateway.url("/api/chat"), json={"model": "stall-mid-stream", "stream": True}) as stalled:
            pieces = stalled.iter_bytes()  # held: a generator that goes away closes the response
            next(pieces)
            with pytest.raises(openai.APIStatusError) as raised:
                client.chat.completions.create(model="m", messages=MESSAGES)
            assert raised.value.status_code == 503 and "limit" in raised.value.message
    finally:
        gateway.close()


def test_faults_leave_the_gateway_serving_and_leak_nothing(ollama_gateway, stub):
    client = openai_client(ollama_gateway)
    client.chat.completions.create(model="qwen3:0.6b", messages=MESSAGES)
    open_files = ollama_gateway.open_files()
    for _ in range(3):
        # The provider closes mid-stream: the client gets an error event.
        with pytest.raises(openai.APIError):
            for _ in client.chat.completions.create(model="close-mid-stream", messages=MESSAGES, stream=True):
                pass
        # The provider stalls: after the read timeout (2 s) the client gets an error event.
        started = time.time()
        with pytest.raises(openai.APIError) as raised:
            for _ in client.chat.completions.create(model="stall-mid-stream", messages=MESSAGES, stream=True):
                pass
        assert time.time() - started < 10 and "broke off" in str(raised.value)
        # The provider answers garbage with 200, or cannot be reached.
        with pytest.raises(openai.APIStatusError) as raised:
            client.chat.completions.create(model="garbage", messages=MESSAGES)
        assert raised.value.status_code == 502
        # The client goes away mid-stream: the provider call is cancelled.
        aborted = stub.aborted_writes
        with httpx.stream("POST", ollama_gateway.url("/aog/v0.2/api_flavors/openai/v1/chat/completions"),
                          json={"model": "huge-stream", "stream": True, "messages": MESSAGES}) as response:
            next(response.iter_bytes())
        deadline = time.time() + 10
        while stub.aborted_writes == aborted:
            assert time.time() < deadline, "the provider call goes on after the client left"
            time.sleep(0.05)
    unreachable = Gateway("--provider", f"ollama@http://127.0.0.1:{free_port()}")
    try:
        with pytest.raises(openai.APIStatusError) as raised:
            openai_client(unreachable).chat.completions.create(model="m", messages=MESSAGES)
        assert raised.value.status_code == 502 and "could not be reached" in raised.value.message
    finally:
        unreachable.close()
    assert client.chat.completions.create(model="qwen3:0.6b", messages=MESSAGES).choices[0].message.content
    time.sleep(0.5)
    assert ollama_gateway.open_files() <= open_files + 2, "connections of failed calls are closed"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_slow_client_does_not_make_the_gateway_buffer(ollama_gateway):
    before = ollama_gateway.status("VmRSS")
    with httpx.stream("POST", ollama_gateway.url("/aog/v0.2/api_flavors/openai/v1/chat/completions"),
                      json={"model": "huge-stream", "stream": True, "messages": MESSAGES}) as response:
        stream = response.iter_raw(1024)
        next(stream)
        time.sleep(3)  # the provider has ~20 MB to send; the client reads nothing
        grown = ollama_gateway.status("VmRSS") - before
        received = sum(len(piece) for piece in stream)
    assert grown < 16 * 1024, f"the gateway grew by {grown} KiB while its client did not read"
    assert received > 10_000_000


# MARK: - Load


async def one_stream(client, url, started):
    first = None
    tokens = []
    async with client.stream("POST", url, json={"model": "long-stream", "stream": True, "messages": MESSAGES}) as response:
        assert response.status_code == 200, (await response.aread()).decode()
        buffer = ""
        async for text in response.aiter_text():
            if first is None:
                first = time.perf_counter() - started
            buffer += text
        for payload in stream_payloads(buffer.encode()):
            if payload != "[DONE]":
                tokens.append(json.loads(payload)["choices"][0]["delta"].get("content") or "")
    return first, tokens


def test_load_200_concurrent_streams_of_200_chunks(stub, capsys):
    """200 OpenAI-client streams of 200 chunks through the gateway (Ollama
    NDJSON converted to OpenAI SSE), and the same load on the stub directly
    (its OpenAI SSE as it is) as the baseline the same client and machine give."""
    gateway = Gateway("--provider", f"ollama@{stub.url()}")
    try:
        through = load(gateway.url("/aog/v0.2/api_flavors/openai/v1/chat/completions"), tokens=LONG_STREAM_CHUNKS - 1)
        peak = gateway.status("VmHWM")
    finally:
        gateway.close()
    direct = load(stub.url("/v1/chat/completions"), tokens=LONG_STREAM_CHUNKS - 2)
    with capsys.disabled():
        print(f"\nload through the gateway: {through}; gateway peak memory {peak / 1024:.1f} MiB")
        print(f"load on the stub directly: {direct}")
    assert peak < 512 * 1024


def load(url, tokens):
    async def run():
        limits = httpx.Limits(max_connections=250, max_keepalive_connections=250)
        async with httpx.AsyncClient(limits=limits, timeout=120) as client:
            started = time.perf_counter()
            results = await asyncio.gather(*[one_stream(client, url, time.perf_counter()) for _ in range(200)])
            return results, time.perf_counter() - started

    results, elapsed = asyncio.run(run())
    expected = [f"token {i} " for i in range(tokens)]
    for _, received in results:
        assert [t for t in received if t] == expected, "every stream complete and in order"
    first_bytes = sorted(first for first, _ in results)
    return (f"200 streams x {LONG_STREAM_CHUNKS} chunks in {elapsed:.2f} s, {200 * LONG_STREAM_CHUNKS / elapsed:.0f} chunks/s, "
            f"time to first byte p50 {first_bytes[100] * 1000:.1f} ms, p99 {first_bytes[197] * 1000:.1f} ms")


# MARK: - Requests as the providers' own SDKs send them

TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "The weather in a city",
                                           "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                                          "required": ["city"]}}}]
CONVERSATION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Weather in Paris?"},
    {"role": "assistant", "content": "", "tool_calls": [
        {"id": "call_0_0", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
    {"role": "tool", "tool_call_id": "call_0_0", "content": "sunny"},
]


def test_requests_to_openai_are_what_its_sdk_sends(stub, openai_gateway):
    """The openai SDK's own request body, and the hub request for the same call through the gateway."""
    direct = openai.OpenAI(base_url=stub.url("/v1"), api_key="sk-x", max_retries=0)
    for _ in direct.chat.completions.create(model="gpt-4o", messages=CONVERSATION, tools=TOOLS, temperature=0.2,
                                            max_tokens=50, stream=True, stream_options={"include_usage": True}):
        pass
    sent_by_sdk = last_request(stub, "/v1/chat/completions")["body"]
    with httpx.stream("POST", openai_gateway.url("/aog/v0.2/services/chat"), json={
            "model": "gpt-4o", "messages": CONVERSATION, "tools": TOOLS, "temperature": 0.2, "max_tokens": 50,
            "stream": True, "stream_options": {"include_usage": True}}) as response:
        response.read()
    assert last_request(stub, "/v1/chat/completions")["body"] == sent_by_sdk


def test_requests_to_ollama_are_what_its_client_sends(stub, ollama_gateway):
    """The ollama client's own request body, and the hub request for the same call through the gateway."""
    conversation = [dict(m) for m in CONVERSATION]
    conversation[2] = {"role": "assistant", "content": "", "tool_calls": [
        {"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]}
    conversation[3] = {"role": "tool", "tool_name": "get_weather", "content": "sunny"}
    ollama.Client(host=stub.url()).chat(model="qwen3:0.6b", messages=conversation, tools=TOOLS,
                                        options={"temperature": 0.2, "num_predict": 50})
    sent_by_client = last_request(stub, "/api/chat")["body"]
    httpx.post(ollama_gateway.url("/aog/v0.2/services/chat"), json={
        "model": "qwen3:0.6b", "messages": CONVERSATION, "tools": TOOLS, "temperature": 0.2, "max_tokens": 50})
    sent_through_gateway = last_request(stub, "/api/chat")["body"]
    assert sent_through_gateway == sent_by_client, json.dumps([sent_through_gateway, sent_by_client], indent=1)
