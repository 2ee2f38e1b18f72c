"""Time to 413 and server memory for a 200 MB POST (issue 8 §2). Prints figures, asserts nothing.

Starts ``yescount serve`` on a free loopback port over a fresh SQLite file, then sends
200 MB to ``POST /api/v1/sessions`` twice over raw sockets: once with a Content-Length
header, once chunked. For each it prints the time from the end of the request headers
to the first byte of the answer, the answer's status line, how much of the body the
server took before answering, and the server's RSS before and after.

    .venv/bin/python benchmarks/request_limits.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
TOTAL = 200 * 1024 * 1024
CHUNK = 64 * 1024


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def settled_rss_mb(pid: int, *, seconds: float = 90) -> float:
    """RSS once start-up work (a background model warm-up) has finished: stable for 3 s."""
    deadline = time.monotonic() + seconds
    last = rss_mb(pid)
    while time.monotonic() < deadline:
        time.sleep(3)
        now = rss_mb(pid)
        if abs(now - last) < 1:
            return now
        last = now
    return last


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(root: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": "",
        "SQLITE_DB_PATH": str(root / "bench.db"),
        "CHROMA_PERSIST_DIR": str(root / "chroma"),
        "INGESTION_AUTO_REFRESH": "false",
        "YESCOUNT_ENV": "development",
        "HF_HUB_OFFLINE": "1",
        "LOG_LEVEL": "ERROR",
    }
    cli = str(Path(sys.executable).parent / "yescount")
    subprocess.run([cli, "migrate"], cwd=REPO, env=env, check=True, capture_output=True)
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(
        [cli, "serve", "--port", str(port)], cwd=REPO, env=env, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.25)
    process.kill()
    raise SystemExit("server did not start; see " + str(root / "server.log"))


def post_200_mb(port: int, *, chunked: bool) -> tuple[float, str, int]:
    """(seconds to the first answer byte, status line, body bytes sent before it)."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {TOTAL}"
    head = (
        f"POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\n\r\n"
    ).encode()
    piece = b"x" * CHUNK
    if chunked:
        piece = f"{CHUNK:x}\r\n".encode() + piece + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head)
        started = time.perf_counter()
        sock.setblocking(False)
        answer = b""
        while sent < TOTAL:
            try:
                answer = sock.recv(4096)
                break
            except BlockingIOError:
                pass
            try:
                sent += max(sock.send(piece), 0)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                time.sleep(0.0005)
        sock.setblocking(True)
        sock.settimeout(30)
        if not answer:
            answer = sock.recv(4096)
        elapsed = time.perf_counter() - started
    return elapsed, answer.split(b"\r\n", 1)[0].decode(errors="replace"), sent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp), port)
        try:
            before = settled_rss_mb(server.pid)
            print(f"server RSS before: {before:.0f} MB")
            for chunked in (False, True):
                elapsed, status, sent = post_200_mb(port, chunked=chunked)
                kind = "chunked" if chunked else "Content-Length"
                print(
                    f"200 MB POST ({kind}): {status!r} after {elapsed * 1000:.1f} ms, "
                    f"{sent / 1024:.0f} KB of the body sent before the answer, "
                    f"RSS now {rss_mb(server.pid):.0f} MB"
                )
            after = settled_rss_mb(server.pid)
            print(f"server RSS after: {after:.0f} MB (growth {after - before:+.0f} MB)")
        finally:
            server.terminate()
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
