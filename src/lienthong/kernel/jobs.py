"""Work a screen starts and then follows with a progress line (an Excel import).

A :class:`Job` runs in its own thread and reports ``(phase, done, total)``; the page polls
its state. Jobs live in the server's memory (per web app, see :func:`jobs_of`): a restart
forgets them, which loses only the progress line, never the work's own transactions.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lienthong.kernel.auth import Principal
from lienthong.kernel.problems import Problem, ServerError

KEEP = 50  # finished jobs remembered per server


@dataclass
class Job:
    id: str
    tenant_id: str
    user_code: str
    state: str = "running"  # running | succeeded | failed
    phase: str = "check"
    done: int = 0
    total: int | None = None
    result: Any = None
    problem: Problem | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def progress(self, phase: str, done: int, total: int | None) -> None:
        with self.lock:
            self.phase, self.done, self.total = phase, done, total

    def end(self, state: str, result: Any = None, problem: Problem | None = None) -> None:
        with self.lock:
            self.state, self.result, self.problem = state, result, problem

    def view(self) -> dict:
        """The job as it is now, all at once (the thread may end while a page renders)."""
        with self.lock:
            return {"id": self.id, "state": self.state, "phase": self.phase, "done": self.done, "total": self.total, "result": self.result, "problem": self.problem}


class Jobs:
    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, principal: Principal, work: Callable[[Callable], Any], *, background: bool = True) -> Job:
        """Run ``work(progress)`` in a thread; its result or its Problem ends the job."""
        job = Job(uuid.uuid4().hex, principal.tenant_id, principal.user_code)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)

        def run() -> None:
            try:
                job.end("succeeded", result=work(job.progress))
            except Problem as problem:
                job.end("failed", problem=problem)
            except Exception:  # noqa: BLE001 - the line says it failed; the server logs the rest
                job.end("failed", problem=ServerError("internal_error"))
                raise

        if background:
            threading.Thread(target=run, daemon=True).start()
        else:
            run()
        return job

    def get(self, principal: Principal, job_id: str) -> Job | None:
        """The job, if this principal's tenant and user started it."""
        job = self._jobs.get(job_id)
        if job is None or job.tenant_id != principal.tenant_id or job.user_code != principal.user_code:
            return None
        return job


def jobs_of(app) -> Jobs:
    """The web app's jobs (made at its first job)."""
    if not hasattr(app.state, "jobs"):
        app.state.jobs = Jobs()
    return app.state.jobs
