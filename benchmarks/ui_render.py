"""Server-side run time of the vote and results pages (Streamlit AppTest, real database).

A plan over the next two weeks with 40 stored events (so the vote page shows
the full 30 cards) and 10 participants who all voted and gave availability;
each page script is run repeatedly as the organizer (the heaviest view: progress
line, lock controls). "script" is the run of the page script itself (what the
server does per page view); "AppTest" adds the test harness around it (it scans
installed packages for components on every run). Target: script runs ≤ 300 ms.

    .venv/bin/python benchmarks/ui_render.py [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.factories.events import event_record  # noqa: E402
from yescount.bootstrap import Container, build  # noqa: E402
from yescount.config import Settings  # noqa: E402
from yescount.domain import newyork  # noqa: E402
from yescount.observability import configure_logging  # noqa: E402
from yescount.services import sessions, voting  # noqa: E402
from yescount.storage import migrate  # noqa: E402
from yescount.storage.uow import UnitOfWork  # noqa: E402
from yescount.web import app as web_app  # noqa: E402
from yescount.web import context  # noqa: E402

SCRIPT = ROOT / "src" / "yescount" / "web" / "streamlit_app.py"
EVENTS = 40
PEOPLE = 10
TARGET_MS = 300.0


def seed(c: Container) -> dict[str, str]:
    """Events, a plan, 10 participants with votes and availability; returns the URL params."""
    migrate.migrate_to(c.engine, "head")
    start = newyork.today(c.clock) + timedelta(days=1)
    ids = []
    with UnitOfWork(c.engine) as uow:
        for i in range(EVENTS):
            record = replace(
                event_record(), source_id=f"ui-{i}", date_start=start + timedelta(i % 14)
            )
            ids.append(uow.events.upsert(record, now=c.clock())[0])
        uow.commit()
    cmd = sessions.NewSession("Bench Night", "Ema", start, start + timedelta(days=13))
    plan = sessions.create_session(cmd, uow=c.uow(), clock=c.clock)
    tokens = [plan.participant_token]
    for n in range(PEOPLE - 1):
        joined = sessions.join_session(
            plan.session_id, f"Friend {chr(65 + n)}", uow=c.uow(), clock=c.clock
        )
        tokens.append(joined.participant_token)
    rng = random.Random(7)
    for token in tokens:
        for event_id in rng.sample(ids, 8):
            voting.cast_vote(plan.session_id, token, event_id, True, uow=c.uow(), clock=c.clock)
        days = sorted({start + timedelta(days=rng.randrange(14)) for _ in range(6)})
        voting.save_availability(plan.session_id, token, days, uow=c.uow(), clock=c.clock)
    return {
        "session": str(plan.session_id),
        "me": plan.participant_token,
        "org": plan.organizer_token,
    }


_script_ms: list[float] = []


def _timed_main() -> None:
    started = time.perf_counter()
    try:
        _real_main()
    finally:
        _script_ms.append((time.perf_counter() - started) * 1000)


_real_main = web_app.main
# The entry script does ``from yescount.web.app import main`` on every run.
web_app.main = _timed_main


def time_view(params: dict[str, str], view: str, runs: int) -> tuple[list[float], list[float]]:
    """(script ms, AppTest ms) of each run for ``view``, after one warm-up run."""
    script, total = [], []
    for attempt in range(runs + 1):
        app = AppTest.from_file(str(SCRIPT), default_timeout=60)
        app.query_params.update({**params, "view": view})
        _script_ms.clear()
        started = time.perf_counter()
        app.run()
        elapsed = (time.perf_counter() - started) * 1000
        if app.exception:
            raise SystemExit(f"{view} page failed: {app.exception[0].value}")
        if attempt:  # the first run pays for imports and caches
            script.append(sum(_script_ms))
            total.append(elapsed)
    return script, total


def _stats(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return ordered[len(ordered) // 2], p95, ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="yescount-ui-") as tmp:
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'ui.db'}",
            chroma_persist_dir=Path(tmp) / "chroma",
            ingestion_auto_refresh=False,
        )
        c = build(settings)
        params = seed(c)
        context.configure(settings, container=c)
        ok = True
        print(f"UI render: {EVENTS} events (30 cards), {PEOPLE} participants, organizer view")
        print(f"  {'page':<10}{'runs':>6}{'what':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for view in ("vote", "results"):
            script, total = time_view(params, view, args.runs)
            for label, values in (("script", script), ("AppTest", total)):
                p50, p95, worst = _stats(values)
                print(f"  {view:<10}{len(values):>6}{label:>9}{p50:>9.1f}{p95:>9.1f}{worst:>9.1f}")
            ok = ok and max(script) <= TARGET_MS
        c.close()
    print(f"target: every script run ≤ {TARGET_MS:.0f} ms — {'MET' if ok else 'MISSED'}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
