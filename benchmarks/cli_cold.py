"""Cold ``yescount search`` on the demo catalogue: wall and CPU seconds per fresh process.

    .venv/bin/python benchmarks/cli_cold.py            # 5 runs of "comedy"
    .venv/bin/python benchmarks/cli_cold.py --runs 3 --query "live jazz in brooklyn"

Builds a throwaway SQLite database and Chroma index with the demo events (the index
through the real model, once), then runs the console script as a user would, each
run a new process, and prints wall time, user+system CPU, peak RSS and the load
average beside each figure. It checks every run printed the same ranking and none
fell back to keywords only. Target (issue 12): < 3 s cold on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
# Before issue 12's performance work (commit ec84417: torch, transformers and chromadb
# loaded for one query), measured at load average 2.1 on 2 cores. After it, at the
# same load: 1.85-2.38 s wall, 1.8-2.3 s CPU, 264-271 MB, the same ranking printed.
BEFORE = "9.4-9.8 s wall, 9.2-9.6 s CPU, 540 MB RSS"


def _run(args: list[str], env: dict[str, str], tmp: str) -> tuple[float, float, int, str, str]:
    """Wall s, CPU s (user+sys), peak RSS MB, stdout and stderr of one child process."""
    with open(f"{tmp}/out", "w+") as out, open(f"{tmp}/err", "w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise SystemExit(f"{args} exited {child.returncode}")
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return wall, cpu, int(usage.ru_maxrss / 1024), out.read(), err.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="comedy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yescount-cold-") as tmp:
        env = os.environ | {
            "SQLITE_DB_PATH": f"{tmp}/yescount.db",
            "CHROMA_PERSIST_DIR": f"{tmp}/chroma",
            "DATABASE_URL": "",
            "VECTOR_BACKEND": "chroma",
            "LOG_LEVEL": "WARNING",
            "HF_HUB_OFFLINE": "1",
        }
        yescount = str(BIN / "yescount")
        for step in (["migrate"], ["demo", "load"]):
            subprocess.run([yescount, *step], env=env, capture_output=True, check=True)
        walls, cpus, outputs = [], [], set()
        print(f"cold `yescount search {args.query!r}`, {args.runs} fresh processes")
        for run in range(1, args.runs + 1):
            load = os.getloadavg()[0]
            wall, cpu, rss, out, err = _run([yescount, "search", args.query], env, tmp)
            if "keyword matches only" in err:
                raise SystemExit(f"run {run} degraded to keywords: {err.strip()}")
            walls.append(wall)
            cpus.append(cpu)
            outputs.add(out)
            print(f"  run {run}: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss} MB (load {load:.2f})")
        if len(outputs) != 1:
            raise SystemExit("runs printed different rankings")
    print(
        f"median {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
        f"(target < 3 s; before: {BEFORE}); load at end {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
