"""Folding the change logs in the background while the shop serves requests.

Readers are exact whatever the logs hold (they add the deltas not yet folded), but each
reads every pending delta of its range: left alone, the logs and the readers' work grow
with every order. ``shopdb serve`` runs a ``Refresher``, which calls ``build.refresh``
every ``interval`` seconds on a thread of its own (so does ``bench oltp`` while its
clients run, so that its audit covers folds racing the services). A fold is a transaction per batch
that deletes what it folds, so two processes folding at once (several workers) fold
each delta once; a failed fold (a lost connection, say) is logged and leaves the logs
as they were, for the next round.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from sqlalchemy.engine import Engine

from shopdb.rollups.build import refresh

log = logging.getLogger(__name__)


class Refresher:
    """A daemon thread folding ``engine``'s change logs every ``interval`` seconds, from
    entering the context to leaving it (which waits for a fold under way to finish);
    ``interval`` 0 folds never. ``folded`` counts the deltas its folds took."""

    def __init__(self, engine: Engine, interval: float) -> None:
        if interval < 0:
            raise ValueError(f"a fold interval cannot be negative, got {interval}")
        self.engine = engine
        self.interval = interval
        self.folded = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shopdb-refresher", daemon=True)

    def __enter__(self) -> Refresher:
        if self.interval > 0:
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.folded += refresh(self.engine)
            except Exception:  # the server keeps serving; the next round tries again
                log.exception("folding the rollups' change logs failed")
