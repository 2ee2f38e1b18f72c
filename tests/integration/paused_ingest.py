"""Run ``ingest --from-dir`` like the CLI, stopping inside one source's write transaction.

Used by test_ingest_sigkill.py as a subprocess: ``python paused_ingest.py PAGES AS_OF
SOURCE``. When SOURCE's first event is stored (its transaction still open) it prints
``paused source=SOURCE`` and waits for its stdin to close — the test kills it there.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from yescount.bootstrap import build
from yescount.ingest.pages import SavedPages
from yescount.services.ingestion import run_ingestion


def main() -> None:
    pages, as_of, paused_source = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), sys.argv[3]

    def on_stored(source: str, index: int) -> None:
        if source == paused_source and index == 0:
            print(f"paused source={source}", flush=True)
            sys.stdin.read()  # blocks until the test closes the pipe (or kills us)

    container = build()
    try:
        run_ingestion(
            container.ingestion(), pages=SavedPages(pages), as_of=as_of, on_stored=on_stored
        )
    finally:
        container.close()


if __name__ == "__main__":
    main()
