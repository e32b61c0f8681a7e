"""A provider stub for the gateway's tests: it replays recorded provider
bodies and streams (Ollama NDJSON, OpenAI-style SSE, DashScope's compatible
mode) byte for byte, in small random write sizes, over chunked HTTP/1.1 on
127.0.0.1, and records the requests it receives.

The reply is chosen by the request's path and its body's `model`:

- a model naming a recording (see RECORDINGS below) replays it;
- `fail-STATUS` answers STATUS with the provider's error body;
- `garbage` answers 200 with a body that is not JSON;
- `close-mid-stream` sends half a stream and closes the connection;
- `stall-mid-stream` sends half a stream and goes silent;
- `long-stream` streams LONG_STREAM_CHUNKS chunks (the load test's);
- `huge-stream` streams HUGE_STREAM_CHUNKS chunks (for a slow client);
- any other model replays the path's default recording.
"""
import json
import random
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LONG_STREAM_CHUNKS = 200
HUGE_STREAM_CHUNKS = 100_000


def ndjson(payloads):
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in payloads).encode()


def sse(payloads):
    return "".join(f"data: {p if isinstance(p, str) else json.dumps(p, ensure_ascii=False)}\n\n" for p in payloads).encode()


def ollama_chunk(content, done=False, **extra):
    chunk = {"model": "qwen3:0.6b", "created_at": "2025-03-11T06:38:36.1349763Z",
             "message": {"role": "assistant", "content": content}, "done": done}
    if done:
        chunk.update(done_reason="stop", total_duration=123456, prompt_eval_count=9, eval_count=3)
    chunk.update(extra)
    return chunk


def openai_chunk(delta, finish_reason=None, **extra):
    chunk = {"id": "chatcmpl-42", "object": "chat.completion.chunk", "created": 1741675116, "model": "gpt-4o",
             "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
    chunk.update(extra)
    return chunk


OLLAMA_CHAT = dict(ollama_chunk("Bonjour 👋 — line\u2028separator", done=True))
OLLAMA_TOOLS = dict(OLLAMA_CHAT, message={"role": "assistant", "content": "", "tool_calls": [
    {"function": {"name": "get_weather", "arguments": {"city": "Paris", "days": 3}}}]})
OPENAI_CHAT = {"id": "chatcmpl-42", "object": "chat.completion", "created": 1741675116, "model": "gpt-4o",
               "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello \u2029 world"},
                            "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}
OPENAI_TOOLS = dict(OPENAI_CHAT, choices=[{"index": 0, "finish_reason": "tool_calls", "message": {
    "role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {
        "name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]}}])

# A few bytes of a WAV file: binary, with bytes that are not UTF-8.
AUDIO = b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\xbb\x00\x00" + bytes(range(256)) * 8

# (content type, body) per recording.
RECORDINGS = {
    "ollama-chat": ("application/json", json.dumps(OLLAMA_CHAT, ensure_ascii=False).encode()),
    "ollama-chat-tools": ("application/json", json.dumps(OLLAMA_TOOLS).encode()),
    "ollama-chat-stream": ("application/x-ndjson", ndjson(
        [ollama_chunk("Bon"), ollama_chunk("jour"), ollama_chunk(" 👋\u2028"), ollama_chunk("", done=True)])),
    "ollama-chat-stream-error": ("application/x-ndjson", ndjson(
        [ollama_chunk("Bon"), {"error": "model runner crashed"}])),
    "ollama-generate-stream": ("application/x-ndjson", ndjson([
        {"model": "qwen3:0.6b", "created_at": "2025-03-11T06:38:36Z", "response": "Hi", "done": False},
        {"model": "qwen3:0.6b", "created_at": "2025-03-11T06:38:37Z", "response": "!", "done": True,
         "done_reason": "stop", "prompt_eval_count": 4, "eval_count": 2}])),
    "ollama-embed": ("application/json", json.dumps(
        {"model": "bge-m3", "embeddings": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], "prompt_eval_count": 4}).encode()),
    "ollama-tags": ("application/json", json.dumps({"models": [
        {"name": "qwen3:0.6b", "model": "qwen3:0.6b", "modified_at": "2025-05-01T10:00:00.000000Z", "size": 522653767,
         "digest": "7df6b6e09427", "details": {"format": "gguf", "family": "qwen3", "parameter_size": "751.63M",
                                               "quantization_level": "Q4_K_M"}}]}).encode()),
    "openai-chat": ("application/json", json.dumps(OPENAI_CHAT, ensure_ascii=False).encode()),
    "openai-chat-tools": ("application/json", json.dumps(OPENAI_TOOLS).encode()),
    "openai-chat-stream": ("text/event-stream", sse([
        openai_chunk({"role": "assistant", "content": ""}), openai_chunk({"content": "Hel"}),
        openai_chunk({"content": "lo \u2028"}), openai_chunk({}, "stop"),
        dict(openai_chunk({}), choices=[], usage={"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}),
        "[DONE]"])),
    # Two parallel tool calls as OpenAI streams them: id, type and name in
    # a call's first fragment, its arguments in pieces, then the finish.
    "openai-chat-stream-tools": ("text/event-stream", sse([
        openai_chunk({"role": "assistant", "content": None, "tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                                                                             "function": {"name": "get_weather", "arguments": ""}}]}),
        openai_chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{\"city\": \"Par"}}]}),
        openai_chunk({"tool_calls": [{"index": 0, "function": {"arguments": "is\", \"days\": 3}"}}]}),
        openai_chunk({"tool_calls": [{"index": 1, "id": "call_b", "type": "function",
                                      "function": {"name": "get_time", "arguments": "{}"}}]}),
        openai_chunk({}, "tool_calls"), "[DONE]"])),
    "openai-chat-stream-error": ("text/event-stream", sse([
        openai_chunk({"role": "assistant", "content": "Hel"}),
        {"error": {"message": "overloaded", "type": "server_error", "code": "503"}}])),
    "openai-embeddings": ("application/json", json.dumps({"object": "list", "model": "text-embedding-v3", "data": [
        {"object": "embedding", "index": 0, "embedding": [0.1, -0.2, 0.3]}],
        "usage": {"prompt_tokens": 2, "total_tokens": 2}}).encode()),
    "openai-models": ("application/json", json.dumps({"object": "list", "data": [
        {"id": "qwen-plus", "object": "model", "created": 1741675116, "owned_by": "system"}]}).encode()),
    "garbage": ("application/json", b"<html>502 Bad Gateway</html>"),
}

# The recording a path replays when the model names none: (whole, stream).
DEFAULTS = {
    "/api/chat": ("ollama-chat", "ollama-chat-stream"),
    "/api/generate": (None, "ollama-generate-stream"),
    "/api/embed": ("ollama-embed", None),
    "/api/tags": ("ollama-tags", None),
    "/v1/chat/completions": ("openai-chat", "openai-chat-stream"),
    "/compatible-mode/v1/chat/completions": ("openai-chat", "openai-chat-stream"),
    "/v1/embeddings": ("openai-embeddings", None),
    "/compatible-mode/v1/embeddings": ("openai-embeddings", None),
    "/v1/models": ("openai-models", None),
    "/compatible-mode/v1/models": ("openai-models", None),
}

ERROR_BODIES = {
    "ollama": lambda status: json.dumps({"error": f"model 'missing' not found (status {status})"}).encode(),
    "openai": lambda status: json.dumps({"error": {"message": f"The model does not exist (status {status})",
                                                   "type": "invalid_request_error", "param": None,
                                                   "code": "model_not_found"}}).encode(),
}


def long_stream(path, count=LONG_STREAM_CHUNKS):
    if path.startswith("/api/"):
        chunks = [ollama_chunk(f"token {i} ") for i in range(count - 1)] + [ollama_chunk("", done=True)]
        return "application/x-ndjson", ndjson(chunks)
    chunks = [openai_chunk({"role": "assistant", "content": ""})]
    chunks += [openai_chunk({"content": f"token {i} "}) for i in range(count - 2)]
    chunks += [openai_chunk({}, "stop"), "[DONE]"]
    return "text/event-stream", sse(chunks)


class StubProvider:
    """The stub server, started on a free port of 127.0.0.1 in a thread of its own."""

    def __init__(self, seed=1, write_per_payload=False):
        """With `write_per_payload`, a stream is written one payload per write
        (as a provider generates them), else in random small pieces."""
        self.write_per_payload = write_per_payload
        self.requests = []
        self.aborted_writes = 0
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *arguments):
                pass

            def do_GET(self):
                stub.answer(self, b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                stub.answer(self, self.rfile.read(length))

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 1024

            def handle_error(self, request, client_address):
                pass  # a peer that went away (the faults the tests make)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, handler, body):
        path = handler.path.split("?")[0]
        try:
            request = json.loads(body) if body else {}
        except ValueError:
            request = {}
        with self.lock:
            self.requests.append({"method": handler.command, "path": handler.path,
                                  "headers": dict(handler.headers.items()), "body": request})
        model = request.get("model", "") if isinstance(request, dict) else ""
        streaming = bool(request.get("stream")) if isinstance(request, dict) else False
        dialect = "ollama" if path.startswith("/api/") else "openai"
        if model.startswith("fail-"):
            status = int(model.removeprefix("fail-"))
            return self.send(handler, status, "application/json", ERROR_BODIES[dialect](status))
        if model == "garbage":
            return self.send(handler, 200, *RECORDINGS["garbage"])
        if model == "long-stream":
            return self.send(handler, 200, *long_stream(path), piece_size=512)
        if model == "huge-stream":
            return self.send(handler, 200, *long_stream(path, HUGE_STREAM_CHUNKS), piece_size=16384)
        if path == "/v3/audio/speech":
            return self.send(handler, 200, "audio/wav", AUDIO)
        if model in ("close-mid-stream", "stall-mid-stream"):
            content_type, stream = long_stream(path)
            return self.send(handler, 200, content_type, stream, cut=model)
        if model in RECORDINGS:
            return self.send(handler, 200, *RECORDINGS[model])
        whole, stream = DEFAULTS.get(path, (None, None))
        name = stream if streaming and stream else whole or stream
        if name is None:
            return self.send(handler, 404, "application/json", ERROR_BODIES[dialect](404))
        self.send(handler, 200, *RECORDINGS[name])

    def pieces(self, body, content_type, piece_size):
        if self.write_per_payload:
            delimiter = b"\n\n" if content_type == "text/event-stream" else b"\n"
            return [payload + delimiter for payload in body.split(delimiter) if payload] or [body]
        pieces, position = [], 0
        while position < len(body):
            size = self.random.randint(1, piece_size)
            pieces.append(body[position:position + size])
            position += size
        return pieces

    def send(self, handler, status, content_type, body, cut=None, piece_size=64):
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            handler.wfile.flush()
            end = len(body) // 2 if cut else len(body)
            for piece in self.pieces(body[:end], content_type, piece_size):
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                handler.wfile.flush()
            if cut == "close-mid-stream":
                handler.close_connection = True
                return
            if cut == "stall-mid-stream":
                # Silent until the gateway gives up and closes (or a minute passes).
                handler.connection.settimeout(60)
                try:
                    handler.rfile.read(1)
                except OSError:
                    pass
                handler.close_connection = True
                return
            handler.wfile.write(b"0\r\n\r\n")
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            with self.lock:
                self.aborted_writes += 1
            handler.close_connection = True
