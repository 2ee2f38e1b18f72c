"""API load test: 50 concurrent clients through join, vote, availability and recommendations.

Starts ``yescount serve`` on a free loopback port over a fresh database (SQLite
by default, or ``--database-url postgresql://…``) with 40 events in the plan
window, creates one plan per 10 clients (the participant cap), then lets every
client join and loop vote → availability → recommendations until the time is
up. Prints requests/s, p50/p95/p99 latency and errors per route and overall.

Targets: vote p95 ≤ 50 ms at 50 clients with 0 errors.

    .venv/bin/python benchmarks/api_load.py [--clients 50] [--seconds 20]
        [--database-url postgresql://postgres@127.0.0.1:5432/yescount_bench]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.factories.events import event_record  # noqa: E402
from yescount.config import normalize_database_url  # noqa: E402
from yescount.domain import newyork  # noqa: E402
from yescount.ports import system_clock  # noqa: E402
from yescount.storage import migrate  # noqa: E402
from yescount.storage.engine import make_engine  # noqa: E402
from yescount.storage.uow import UnitOfWork  # noqa: E402

PLAN_SIZE = 9  # friends per plan: the cap of 10 includes the organizer
WINDOW_DAYS = 14
EVENTS = 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_database(url: str) -> None:
    """Migrate and store EVENTS website events across the next two weeks."""
    engine = make_engine(normalize_database_url(url))
    migrate.migrate_to(engine, "head")
    start = newyork.today(system_clock) + timedelta(days=1)
    with UnitOfWork(engine) as uow:
        for i in range(EVENTS):
            record = replace(
                event_record(), source_id=f"bench-{i}", date_start=start + timedelta(i % 14)
            )
            uow.events.upsert(record, now=system_clock())
        uow.commit()
    engine.dispose()


def start_server(url: str, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url if url.startswith("postgres") else "",
        "SQLITE_DB_PATH": url.removeprefix("sqlite:///") if url.startswith("sqlite") else "",
        "CHROMA_PERSIST_DIR": str(workdir / "chroma"),
        "BASE_URL": base,
        "INGESTION_AUTO_REFRESH": "false",
        "LOG_LEVEL": "INFO",  # the default: one JSON log line per use case
        # Plenty of preview budget: this measures the journey, not the limiter.
        "PREVIEW_RATE_LIMIT_PER_MINUTE": "100000",
        "SEARCH_RATE_LIMIT_PER_MINUTE": "100000",
        "CREATE_RATE_LIMIT_PER_MINUTE": "100000",
        "JOIN_RATE_LIMIT_PER_MINUTE": "100000",
    }
    log = (workdir / "server.log").open("wb")
    command = [str(Path(sys.executable).parent / "yescount"), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start: " + (workdir / "server.log").read_text()[-2000:])


class Connection:
    """One keep-alive HTTP/1.1 connection per client (httpx's async pool would be the
    bottleneck at 50 concurrent clients, measuring the load generator, not the server)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        payload = b"" if body is None else json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head.append(f"Content-Length: {len(payload)}")
        if body is not None:
            head.append("Content-Type: application/json")
        if token:
            head.append(f"Authorization: Bearer {token}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length, chunked = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if not chunked:
            return status, await self.reader.readexactly(length)
        data = b""
        while size := int((await self.reader.readline()).strip(), 16):
            data += await self.reader.readexactly(size + 2)
        await self.reader.readline()
        return status, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


class Recorder:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    async def call(
        self, conn: Connection, route: str, method: str, path: str, **kw: Any
    ) -> tuple[int, bytes] | None:
        started = time.perf_counter()
        try:
            status, data = await conn.request(method, path, **kw)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.errors[route] += 1
            await conn.close()
            conn.writer = None
            return None
        self.latencies[route].append((time.perf_counter() - started) * 1000)
        if status >= 400:
            self.errors[route] += 1
        return status, data


async def make_plans(conn: Connection, clients: int) -> list[tuple[str, list[int]]]:
    start = newyork.today(system_clock) + timedelta(days=1)
    plans = []
    for n in range((clients + PLAN_SIZE - 1) // PLAN_SIZE):
        body = {
            "name": f"Bench plan {n}",
            "organizer_name": f"Org{n}",
            "date_start": start.isoformat(),
            "date_end": (start + timedelta(days=WINDOW_DAYS - 1)).isoformat(),
        }
        _, created = await conn.request("POST", "/api/v1/sessions", body)
        sid = json.loads(created)["session_id"]
        _, cards = await conn.request("GET", f"/api/v1/sessions/{sid}/cards")
        plans.append((sid, [c["event_id"] for c in json.loads(cards)]))
    return plans


async def run_client(
    conn: Connection,
    rec: Recorder,
    index: int,
    plan: tuple[str, list[int]],
    deadline: float,
    think_s: float,
) -> None:
    sid, event_ids = plan
    rng = random.Random(index)

    async def pause() -> None:
        if think_s:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)

    await pause()
    joined = await rec.call(
        conn, "join", "POST", f"/api/v1/sessions/{sid}/participants", body={"name": f"F{index}"}
    )
    if joined is None or joined[0] != 201:
        return
    token = json.loads(joined[1])["participant_token"]
    start = newyork.today(system_clock) + timedelta(days=1)
    while time.monotonic() < deadline:
        await pause()
        vote = {"interested": rng.random() < 0.7}
        path = f"/api/v1/sessions/{sid}/votes/{rng.choice(event_ids)}"
        await rec.call(conn, "vote", "PUT", path, body=vote, token=token)
        await pause()
        days = {(start + timedelta(days=rng.randrange(WINDOW_DAYS))).isoformat() for _ in range(4)}
        path = f"/api/v1/sessions/{sid}/availability"
        await rec.call(
            conn, "availability", "PUT", path, body={"available": sorted(days)}, token=token
        )
        await pause()
        await rec.call(conn, "recommendations", "GET", f"/api/v1/sessions/{sid}/recommendations")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(rec: Recorder, elapsed: float, title: str) -> float:
    """Print the table of one profile; returns the vote p95 in ms."""
    print(title)
    columns = ("requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
    print(f"  {'route':<16}" + "".join(f"{c:>9}" for c in columns))
    everything: list[float] = []
    for route in ("join", "vote", "availability", "recommendations", "all"):
        values = everything if route == "all" else rec.latencies.get(route, [])
        errors = sum(rec.errors.values()) if route == "all" else rec.errors.get(route, 0)
        if route != "all":
            everything += values
        if not values:
            continue
        print(
            f"  {route:<16}{len(values):>9}{len(values) / elapsed:>9.1f}{pct(values, 0.5):>9.1f}"
            f"{pct(values, 0.95):>9.1f}{pct(values, 0.99):>9.1f}{errors:>9}"
        )
    return pct(rec.latencies["vote"], 0.95) if rec.latencies["vote"] else float("inf")


async def drive(base: str, clients: int, seconds: float, think_s: float) -> tuple[Recorder, float]:
    host, port = base.removeprefix("http://").split(":")
    setup = Connection(host, int(port))
    plans = await make_plans(setup, clients)
    await setup.close()
    rec = Recorder()
    conns = [Connection(host, int(port)) for _ in range(clients)]
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(
            run_client(conns[i], rec, i, plans[i // PLAN_SIZE], deadline, think_s)
            for i in range(clients)
        )
    )
    elapsed = time.monotonic() - started
    for conn in conns:
        await conn.close()
    return rec, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="per profile")
    parser.add_argument(
        "--think-ms", type=float, default=250.0, help="mean pause between a client's requests"
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    profiles = [("steady", args.think_ms / 1000), ("stress", 0.0)]
    with tempfile.TemporaryDirectory(prefix="yescount-load-") as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'load.db'}"
        prepare_database(url)
        process, base = start_server(url, workdir)
        backend = "postgresql" if url.startswith("postgres") else "sqlite"
        results = {}
        try:
            for name, think in profiles:
                rec, elapsed = asyncio.run(drive(base, args.clients, args.seconds, think))
                pause = f"{think * 1000:.0f} ms think time" if think else "no think time"
                title = (
                    f"{name}: {args.clients} clients, {pause}, {elapsed:.1f} s, {backend}, loopback"
                )
                results[name] = (report(rec, elapsed, title), sum(rec.errors.values()))
        finally:
            process.terminate()
            process.wait(timeout=20)
    vote_p95, errors = results["steady"]
    ok = vote_p95 <= 50 and errors == 0
    print(
        f"target (steady profile): vote p95 ≤ 50 ms with 0 errors — "
        f"{'MET' if ok else 'MISSED'} (p95 {vote_p95:.1f} ms, {errors} errors)"
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
