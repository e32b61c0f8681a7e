"""Every built-in rule's request_from_aog, checked against the provider's SDK.

For each call, the official client (the openai SDK for the OpenAI-style
providers, the ollama client for ollama) sends its request to a local
server on 127.0.0.1, which records the body; the hub request for the same
call goes through `rulecheck run RULE request_from_aog`. The two bodies
must be the same JSON.

    Tests/Clients/run        # installs the pinned clients, runs this folder
"""
import base64
import http.server
import json
import threading

import ollama
import openai
import pytest

from test_official_clients import run

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(24)).decode()
TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "description": "The weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
# A conversation in the hub's (OpenAI's) shape: text, an image, a tool call
# and its result, unicode and a line separator.
CONVERSATION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": [{"type": "text", "text": "What is in the picture, and the weather in Paris?"},
                                 {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}]},
    {"role": "assistant", "content": "", "tool_calls": [{"id": "call_1", "type": "function",
                                                         "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "sunny, 21 \u00b0C\u2028"},
    {"role": "user", "content": "Thanks \u2014 and tomorrow?"},
]
RESPONSES = {
    "/chat/completions": {"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]},
    "/completions": {"id": "c", "object": "text_completion", "created": 1, "model": "m", "choices": [
        {"index": 0, "text": "ok", "finish_reason": "stop", "logprobs": None}]},
    "/embeddings": {"object": "list", "model": "m", "data": [{"object": "embedding", "index": 0, "embedding": [0.5]}],
                    "usage": {"prompt_tokens": 1, "total_tokens": 1}},
    "/api/chat": {"model": "m", "created_at": "2025-01-01T00:00:00Z", "message": {"role": "assistant", "content": "ok"},
                  "done": True, "done_reason": "stop"},
    "/api/generate": {"model": "m", "created_at": "2025-01-01T00:00:00Z", "response": "ok", "done": True},
    "/api/embed": {"model": "m", "embeddings": [[0.5]]},
}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Records each request's body and answers with a small valid response."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.bodies.append(body)
        ending = next(path for path in RESPONSES if self.path.endswith(path))
        answer = json.dumps(RESPONSES[ending]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *arguments):
        pass


@pytest.fixture(scope="module")
def recorder():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def sent(server, call):
    """The body that `call` (a client call) sent."""
    server.bodies.clear()
    call()
    assert len(server.bodies) == 1, server.bodies
    return server.bodies[0]


def converted(rule, hub_request, model, stream):
    output = run(rule, ["request_from_aog"], {"model": model, "stream": stream}, {"Content-Type": "application/json"},
                 json.dumps(hub_request).encode())
    return json.loads(output)


def openai_client(server):
    return openai.OpenAI(base_url=f"http://127.0.0.1:{server.server_port}/v1", api_key="sk-x", max_retries=0)


def as_documented(provider, parameters):
    """The call as each provider's API documents it: the SDK call that an
    app written for that provider makes. The rules send exactly those
    parameters; one the provider does not document is left out."""
    documented = dict(parameters)
    if provider == "baidu":
        # Qianfan's v2 chat API names the limit max_completion_tokens.
        documented["max_completion_tokens"] = documented.pop("max_tokens")
    if provider == "deepseek":
        documented.pop("seed")  # not a DeepSeek parameter
    if provider == "tencent":
        documented.pop("stream_options", None)  # Hunyuan streams its usage without it
    return documented


OPENAI_CHAT_PROVIDERS = ["aliyun", "baidu", "deepseek", "openai", "openvino", "tencent"]


@pytest.mark.parametrize("provider", OPENAI_CHAT_PROVIDERS)
@pytest.mark.parametrize("stream", [False, True])
def test_openai_style_chat_requests_are_what_the_sdk_sends(recorder, provider, stream):
    hub_request = {"model": "m", "messages": CONVERSATION, "tools": TOOLS, "temperature": 0.2, "top_p": 0.9,
                   "max_tokens": 50, "stop": ["\n\n"], "seed": 7, "stream": stream}
    if stream:
        hub_request["stream_options"] = {"include_usage": True}
    client = openai_client(recorder)
    by_sdk = sent(recorder, lambda: client.chat.completions.create(**as_documented(provider, hub_request)))
    assert converted(f"{provider}:chat", hub_request, "m", stream) == by_sdk


def test_no_tools_means_no_tools_field(recorder):
    client = openai_client(recorder)
    messages = [{"role": "user", "content": "hi"}]
    by_sdk = sent(recorder, lambda: client.chat.completions.create(model="m", messages=messages, stream=False))
    for provider in OPENAI_CHAT_PROVIDERS:
        assert converted(f"{provider}:chat", {"messages": messages, "tools": []}, "m", False) == by_sdk, provider


OPENAI_EMBED_PROVIDERS = ["aliyun", "baidu", "openvino", "tencent"]


@pytest.mark.parametrize("provider", OPENAI_EMBED_PROVIDERS)
def test_openai_style_embedding_requests_are_what_the_sdk_sends(recorder, provider):
    hub_request = {"model": "m", "input": ["Why is the sky blue?", "\u00e9t\u00e9\u2028"], "encoding_format": "float"}
    client = openai_client(recorder)
    by_sdk = sent(recorder, lambda: client.embeddings.create(**hub_request))
    assert converted(f"{provider}:embed", hub_request, "m", False) == by_sdk


def ollama_client(server):
    return ollama.Client(host=f"http://127.0.0.1:{server.server_port}")


def test_ollama_chat_requests_are_what_its_client_sends(recorder):
    """The hub conversation (OpenAI's shape) and the same conversation as
    the ollama client takes it: images as base64, tool calls with argument
    objects, a tool result naming its tool."""
    conversation = [
        CONVERSATION[0],
        {"role": "user", "content": "What is in the picture, and the weather in Paris?", "images": [PNG]},
        {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
        {"role": "tool", "tool_name": "get_weather", "content": CONVERSATION[3]["content"]},
        CONVERSATION[4],
    ]
    by_client = sent(recorder, lambda: ollama_client(recorder).chat(
        model="m", messages=conversation, tools=TOOLS, stream=False, keep_alive="5m",
        options={"temperature": 0.2, "top_p": 0.9, "num_predict": 50, "stop": ["\n\n"], "seed": 7}))
    hub_request = {"messages": CONVERSATION, "tools": TOOLS, "temperature": 0.2, "top_p": 0.9, "max_tokens": 50,
                   "stop": ["\n\n"], "seed": 7, "keep_alive": "5m"}
    assert converted("ollama:chat", hub_request, "m", False) == by_client


def test_ollama_generate_requests_are_what_its_client_sends(recorder):
    by_client = sent(recorder, lambda: ollama_client(recorder).generate(
        model="m", prompt="Why is the sky blue?\u2028", system="Be brief.", stream=False,
        options={"temperature": 0.2, "num_predict": 50}))
    hub_request = {"prompt": "Why is the sky blue?\u2028", "system": "Be brief.", "temperature": 0.2, "max_tokens": 50}
    assert converted("ollama:generate", hub_request, "m", False) == by_client


def test_ollama_embed_requests_are_what_its_client_sends(recorder):
    by_client = sent(recorder, lambda: ollama_client(recorder).embed(model="m", input=["Why is the sky blue?", "\u00e9t\u00e9"]))
    hub_request = {"input": ["Why is the sky blue?", "\u00e9t\u00e9"]}
    assert converted("ollama:embed", hub_request, "m", False) == by_client


@pytest.mark.parametrize("stream", [False, True])
def test_openvino_completion_requests_are_what_the_sdk_sends(recorder, stream):
    hub_request = {"model": "m", "prompt": "Why is the sky blue?\u2028", "max_tokens": 50, "temperature": 0.2, "stream": stream}
    client = openai_client(recorder)
    by_sdk = sent(recorder, lambda: client.completions.create(**hub_request))
    assert converted("openvino:generate", hub_request, "m", stream) == by_sdk
