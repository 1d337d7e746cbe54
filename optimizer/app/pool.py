"""A process pool whose workers never outlive the run.

Workers die with their parent: on Linux the kernel sends them SIGTERM when the parent dies
(``prctl(PR_SET_PDEATHSIG)``), and everywhere a watchdog thread notices the parent is gone. They ignore
SIGINT (a Ctrl-C reaches the whole process group: the parent decides). When the parent is interrupted
(SIGINT, SIGTERM, SIGHUP) it cancels what is queued, terminates the workers and waits for them. A worker
that is writing a file finishes the write first (``files._signals_held``): no ``.dopt-*`` file is left.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5
STOP_SECONDS = 10.0  # how long the parent waits for terminated workers


class Interrupted(SystemExit):
    """The run was stopped by a signal: exit 128 + its number once the workers are gone."""


def _die_with(parent: int) -> None:
    """The pool's initializer: this worker exits when ``parent`` does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watchdog alone
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)
    # the watchdog thread starts with the signals blocked (a thread inherits the mask): a signal is then always
    # delivered to the main thread, which holds it while it writes a file
    stops = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        threading.Thread(target=_watchdog, args=(parent,), daemon=True, name="dopt-parent-watch").start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _watchdog(parent: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)  # held while a file is being written, then delivered
            return


def _stop(signum: int, frame: Any) -> None:
    raise Interrupted(128 + signum)


def pool_map(
    func: Callable[[T, Any], R], items: Iterable[T], arg: Any, workers: int, chunksize: int = 1
) -> Iterator[R]:
    """``func(item, arg)`` for every item in ``workers`` processes, results in order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_die_with, initargs=(os.getpid(),))
    main = threading.current_thread() is threading.main_thread()
    saved: dict[int, Any] = {}
    if main:
        for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if sig is not None:
                saved[sig] = signal.signal(sig, _stop)
    finished = False
    try:
        yield from pool.map(func, items, _repeat(arg), chunksize=chunksize)
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _terminate(pool)
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _repeat(value: Any) -> Iterator[Any]:
    while True:
        yield value


def _terminate(pool: Any) -> None:
    """Cancel the queue, SIGTERM every worker and wait (bounded) until they are gone."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1.0)
