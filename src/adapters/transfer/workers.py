"""Parts of a resource copied in forked processes, each written batch reported to the parent.

Each row costs Python work under one interpreter lock (read into an entity, its canonical line
and checksum, its row for the target), so parts copied in processes of their own use every core.
A fork inherits the ends and resources as they are (no pickling: a declared resource holds
tables and functions); each end drops the connections it inherited before it reads or writes.

A child ignores SIGINT: the parent, which the terminal's Ctrl-C reaches too, asks each child
to stop once its batch is committed and reported, and waits for them, so the journal holds
every batch a child reported.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
from collections.abc import Callable, Iterator, Mapping
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from adapters.transfer import collection
from adapters.transfer.parts import Part

Written = Callable[[str, int], None]  # a child's report of a committed batch: last id, rows


class WorkerFailed(Exception):
    """A worker process stopped before the end of its part, with no error of its own."""


class _Stopped(Exception):
    """The parent asked the child to stop after its batch."""


def _child(work: Callable[[Part, Written], Any], part: Part, channel: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collection.forked()

    def written(after: str, rows: int) -> None:
        channel.send(("batch", after, rows))
        if channel.poll():
            while channel.poll():
                channel.recv()  # read, so that closing its end leaves nothing unread
            raise _Stopped

    try:
        channel.send(("done", work(part, written)))
    except _Stopped:
        channel.send(("stopped", None))
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        channel.send(("failed", _portable(error)))


def _portable(error: BaseException) -> BaseException:
    """The error itself when it crosses a pipe intact, else its type and text."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any error of pickling means the same
        return WorkerFailed(f"{type(error).__name__}: {error}")
    return error


def in_processes(
    parts: Mapping[int, Part],
    *,
    work: Callable[[Part, Written], Any],
    record: Callable[[int, str, int], None],
    advance: Callable[[int], None],
    name: str,
) -> dict[int, Any]:
    """What `work` returns for each part, each run in a forked process.

    `record(index, after, rows)` runs for every batch a child commits, then `advance(rows)`.
    The first error (a child's own, a child that died, or one raised here by `advance`, such
    as KeyboardInterrupt) stops every child after its batch; their batches are recorded, then
    the error is raised.
    """
    context = multiprocessing.get_context("fork")
    channels: dict[Connection, int] = {}
    processes = {}
    for index, part in parts.items():
        mine, theirs = context.Pipe()
        process = context.Process(
            target=_child, args=(work, part, theirs), name=f"{name}-part-{index}", daemon=True
        )
        process.start()
        theirs.close()
        channels[mine], processes[index] = index, process
    results: dict[int, Any] = {}
    failure: BaseException | None = None
    try:
        for index, message in _messages(channels):
            if message is None:  # the child has gone: it said why, or it died
                if index not in results and failure is None:
                    processes[index].join()
                    failure = WorkerFailed(
                        f"{name}: a worker process stopped (exit code"
                        f" {processes[index].exitcode}) before the end of its part"
                    )
                    _stop(channels)
                continue
            kind, payload = message[0], message[1:]
            if kind == "batch":
                record(index, *payload)
                if failure is None:
                    advance(payload[1])
            elif kind == "done":
                results[index] = payload[0]
            elif kind == "failed" and failure is None:
                failure = payload[0]
                _stop(channels)
    except BaseException as error:
        failure = error
        _stop(channels)
        for index, message in _messages(channels):  # the batches committed before each stops
            if message is not None and message[0] == "batch":
                record(index, *message[1:])
    finally:
        for process in processes.values():
            process.join()
    if failure is not None:
        raise failure
    return results


def _messages(channels: dict[Connection, int]) -> Iterator[tuple[int, tuple[Any, ...] | None]]:
    """Each child's messages as they come, then None once it has closed its end."""
    while channels:
        for ready in wait(list(channels)):
            channel = cast(Connection, ready)
            try:
                message = channel.recv()
            except (EOFError, ConnectionResetError):  # reset: it left a "stop" unread
                yield channels.pop(channel), None
                continue
            yield channels[channel], message


def _stop(channels: Mapping[Connection, int]) -> None:
    for channel in channels:
        try:
            channel.send("stop")
        except OSError:
            pass  # that child has gone already
