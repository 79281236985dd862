"""Local servers and a fake resolver for the LLM egress tests (tests/engine/test_egress_*.py, tests/security/).

Listener counts TCP connections on one port of several local addresses. ScriptedEndpoint answers every
request with one status, body and headers. FakeDNS plays a resolver: a name can answer one address first and
another one later (DNS rebinding)."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator


class Listener:
    """Accepts TCP connections on `port` (0: a free one) of every address given, counts them, closes them."""

    def __init__(self, addresses: tuple[str, ...] = ("127.0.0.1", "::1"), port: int = 0) -> None:
        self.connections: list[str] = []
        self._sockets: list[socket.socket] = []
        self.port = port
        for address in addresses:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((address, self.port))
            self.port = sock.getsockname()[1]
            sock.listen(16)
            self._sockets.append(sock)
            threading.Thread(target=self._accept, args=(sock, address), daemon=True).start()

    def _accept(self, sock: socket.socket, address: str) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            self.connections.append(address)
            conn.close()

    def close(self) -> None:
        for sock in self._sockets:
            sock.close()


class ScriptedEndpoint:
    """An HTTP server on 127.0.0.1 that answers every request with the same status, JSON body and headers."""

    def __init__(self, status: int, body: dict | str, headers: dict[str, str] | None = None) -> None:
        self.requests: list[str] = []
        outer = self
        payload = (body if isinstance(body, str) else json.dumps(body)).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append(f"{self.command} {self.path}")
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def chat_reply(content: str) -> dict:
    """A chat completion whose message is `content`."""
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "fake-model",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}


class FakeDNS:
    """Replaces socket.getaddrinfo: each name answers its addresses in turn (the last one from then on);
    every other host is resolved as usual. `asked` lists the names looked up, in order."""

    def __init__(self, monkeypatch, answers: dict[str, list[list[str]]]) -> None:
        self.answers = {name: iter(steps) for name, steps in answers.items()}
        self.last: dict[str, list[str]] = {}
        self.asked: list[str] = []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            name = host.decode() if isinstance(host, bytes) else host
            flags = kwargs.get("flags", args[3] if len(args) > 3 else 0)
            if name not in self.answers or flags & socket.AI_NUMERICHOST:  # a numeric parse, not a lookup
                return real(host, port, *args, **kwargs)
            self.asked.append(name)
            self.last[name] = next(self.answers[name], None) or self.last[name]
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                     (a, port, 0, 0) if ":" in a else (a, port)) for a in self.last[name]]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def counting_connects(monkeypatch) -> list[tuple]:
    """Every outgoing TCP connection attempt (socket.create_connection), refused at once so that no packet
    leaves this machine."""
    attempts: list[tuple] = []

    def create_connection(address, *args, **kwargs):
        attempts.append(address)
        raise ConnectionRefusedError(111, "refused by the test")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return attempts


def chunks(text: str, size: int = 8) -> Iterator[str]:
    """Every `size`-character piece of a text: a truncated copy is still a leak."""
    return (text[i:i + size] for i in range(len(text) - size + 1))
