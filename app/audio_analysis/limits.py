"""Running an analysis in a forked child under CPU-time and memory limits (setrlimit)."""

import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable

from app.audio_analysis.decoding import AnalysisFailed

#: Wall-clock slack beyond the CPU limit before a child that waits (not computes) is killed.
WALL_FACTOR = 3.0
_KILLED = b"killed"  # what _read_all returns for a child it killed


def run_limited(
    func: Callable,
    *args,
    cpu_seconds: float,
    memory_bytes: int | None = None,
    wall_seconds: float | None = None,
    **kwargs,
):
    """func(*args, **kwargs) in a forked child under CPU and memory limits: its result.

    ``memory_bytes`` is the address space the child may add to what it inherited;
    ``wall_seconds`` (default 3 x CPU + 5 s) ends a child that waits instead of computing.
    The result (or the exception raised) must be picklable; generators (``transcode``) are not.
    """
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(writer, func, args, kwargs, cpu_seconds, memory_bytes)
    os.close(writer)
    if wall_seconds is None:
        wall_seconds = cpu_seconds * WALL_FACTOR + 5
    payload = _read_all(reader, pid, wall_seconds)
    _pid, status = os.waitpid(pid, 0)
    if payload is _KILLED:
        raise AnalysisFailed(f"ran over its wall-clock limit of {wall_seconds:g} s")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGXCPU, signal.SIGKILL) and payload is None:
            raise AnalysisFailed(f"ran over its CPU time limit of {cpu_seconds:g} s")
        raise AnalysisFailed(f"the analysis process died ({signal.Signals(sig).name})")
    if not payload:
        raise AnalysisFailed("the analysis process ended without a result")
    ok, value = pickle.loads(payload)  # noqa: S301 — written by our own forked child
    if ok:
        return value
    if isinstance(value, MemoryError):
        raise AnalysisFailed(f"ran over its memory limit of {memory_bytes} bytes")
    raise value


def _child(writer: int, func, args, kwargs, cpu_seconds: float, memory_bytes: int | None):
    """Set the limits, run, send (ok, value) back pickled, and exit without cleanup."""
    code = 0
    try:
        cpu = max(1, int(cpu_seconds + 0.999))  # a forked child's CPU time starts at 0
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        if memory_bytes is not None:
            limit = _address_space() + memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            result = (True, func(*args, **kwargs))
        except BaseException as error:  # any failure travels back to the parent
            result = (False, error)
        try:
            payload = pickle.dumps(result)
        except Exception as error:
            payload = pickle.dumps((False, AnalysisFailed(f"result not picklable: {error}")))
        view = memoryview(payload)
        while view:
            view = view[os.write(writer, view) :]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _address_space() -> int:
    """The current process's virtual memory size in bytes (from /proc)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _read_all(reader: int, pid: int, wall_seconds: float) -> bytes | None:
    """Everything the child writes (None if nothing); _KILLED if it ran past wall_seconds."""
    chunks = []
    ends = time.monotonic() + wall_seconds
    try:
        while True:
            left = ends - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                return _KILLED
            ready, _, _ = select.select([reader], [], [], left)
            if not ready:
                continue
            chunk = os.read(reader, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(reader)
    return b"".join(chunks) or None
