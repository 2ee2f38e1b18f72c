"""Search warm-up at start-up and what /readyz says meanwhile (no model: fake steps)."""

from __future__ import annotations

import threading
import time

from yescount.search.warmup import Warmup, remember_vectors
from yescount.services.readiness import Check, ReadinessReport
from yescount.web.health import readiness_body

REQUIRED_OK = ReadinessReport([Check("database", "ok", "sqlite reachable")])


def test_readyz_says_warming_until_every_step_ran() -> None:
    release = threading.Event()
    ran: list[str] = []
    warmup = Warmup((("model", lambda: release.wait(30)), ("index", lambda: ran.append("index"))))
    warmup.start()
    body, code = readiness_body(REQUIRED_OK, warmup)
    assert (code, body["status"], body["ready"]) == (503, "warming", False)
    assert ran == []
    release.set()
    assert warmup.wait(30)
    body, code = readiness_body(REQUIRED_OK, warmup)
    assert (code, body["status"], body["ready"]) == (200, "ok", True)
    assert ran == ["index"]
    checks = {c["name"]: c["status"] for c in body["checks"]}
    assert checks["search_warmup"] == "ok"


def test_a_failing_step_degrades_but_never_blocks_readiness() -> None:
    def broken() -> None:
        raise RuntimeError("model files missing")

    warmup = Warmup((("model", broken), ("index", lambda: None)))
    warmup.start()
    warmup.start()  # starting twice runs once
    assert warmup.wait(30)
    assert warmup.state.status == "degraded"
    assert "model: model files missing" in warmup.state.detail
    body, code = readiness_body(REQUIRED_OK, warmup)
    assert (code, body["status"]) == (200, "degraded")


def test_a_failed_required_check_wins_over_warming() -> None:
    failed = ReadinessReport([Check("database", "failed", "unreachable")])
    warmup = Warmup((("model", lambda: threading.Event().wait(0.01)),))
    body, code = readiness_body(failed, warmup)
    assert (code, body["ready"], body["status"]) == (503, False, "failed")


def test_vectors_are_remembered_in_the_background_when_the_index_keeps_them() -> None:
    release = threading.Event()
    done: list[int] = []

    class Remembering:
        def remember_vectors(self) -> int:
            release.wait(30)
            done.append(1)
            return 1

    thread = remember_vectors(Remembering())
    assert thread is not None
    assert done == []  # returned before the vectors were read
    release.set()
    thread.join(30)
    assert done == [1]

    class Broken:
        def remember_vectors(self) -> int:
            raise RuntimeError("chroma went away")

    broken = remember_vectors(Broken())
    assert broken is not None
    broken.join(30)  # logged, not raised
    assert remember_vectors(object()) is None  # pgvector: nothing kept in memory


def test_steps_given_again_repeat_until_stopped_or_they_fail() -> None:
    counted: list[int] = []
    flaky: list[int] = []
    twice = threading.Event()

    def count() -> None:
        counted.append(1)
        if len(counted) >= 3:
            twice.set()

    def fails_when_repeated() -> None:
        flaky.append(1)
        if len(flaky) > 1:
            raise RuntimeError("database gone")

    warmup = Warmup(
        (("counts", count), ("flaky", fails_when_repeated)),
        again=(("counts", count), ("flaky", fails_when_repeated)),
        every_s=0.01,
    )
    warmup.start()
    assert warmup.wait(30)
    assert warmup.state.status == "ready"  # a failing repeat never degrades readiness
    assert twice.wait(30)  # once at warm-up, then repeated
    warmup.stop()
    time.sleep(0.1)  # a repeat under way ends; none starts after
    settled = len(counted)
    time.sleep(0.1)
    assert len(counted) == settled
    assert len(flaky) == 2  # warm-up, then one repeat that failed: not run again
