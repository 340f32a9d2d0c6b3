"""Each request's handler in the worker process (worker process only): ``run`` (a step's code in
the lesson namespace, its questions, training data and forward values), ``preview`` (the forward
graph before the run, in a copy of the namespace), ``graph`` (the graph with the gradients of
the last run) and ``learner`` (learner code in a throwaway process of its own, judged here).
"""

from __future__ import annotations

import time
from typing import Any

from autograd_tutor.worker.lesson_namespace import LessonNamespace
from autograd_tutor.worker.protocol import QuestionValue, StepError, StepResult, TrainingData


class Worker(LessonNamespace):
    """The lesson worker: one handler per request that runs code (``run``, ``preview``,
    ``graph``, ``learner``), each returning a :class:`StepResult`."""

    # -- learner code, in a process of its own (contained.py) ---------------------------------
    def run_learner(self, request: dict[str, Any], pool: Any) -> StepResult:
        """Trusted prelude + learner code in a fresh process; judged here from its data. The
        lesson namespace is not touched."""
        from autograd_tutor.worker import contained, learner_channel

        rid = int(request["id"])
        probe = dict(request.get("probe") or {})
        exprs = [str(c.get("expr") or "") for c in probe.get("checks") or [] if c.get("expr")]
        training = request.get("training") or {}
        exprs += [str(training.get(k) or "") for k in ("loss", "x", "y")]
        for line in training.get("lines") or []:
            exprs += [str(line.get("slope", "")), str(line.get("intercept", ""))]
        run_request = {
            "prelude": [[str(c), int(n)] for c, n in request.get("prelude") or []],
            "code": str(request.get("code") or ""),
            "first_line": int(request.get("first_line") or 1),
            "seed": int(request.get("seed") or 0),
            "device": str(self.torch.get_default_device()),
            "probe": {
                **probe,
                "checks": [c for c in probe.get("checks") or [] if c.get("builtin")],
            },
            "names": learner_channel.names_read(e for e in exprs if e),
            "time_limit": float(request.get("time_limit") or 10.0),
            "memory_limit": int(request.get("memory_limit") or contained.default_memory_limit()),
        }
        delivery = pool.run(
            run_request,
            on_start=lambda pid: self.send({"event": "learner", "id": rid, "pid": pid}),
            on_loss=lambda batch: self.send({"event": "loss", "id": rid, "values": batch}),
        )
        return contained.judge(
            {"probe": probe, "training": request.get("training")}, delivery, self.torch
        )

    # -- running a step --------------------------------------------------------------------
    def run(self, request: dict[str, Any]) -> StepResult:
        code = str(request.get("code") or "")
        exprs = [str(e) for e in request.get("exprs") or []]
        first_line = int(request.get("first_line") or 1)
        training = request.get("training")
        self._run_id = int(request["id"])
        self.losses = []
        self._loss_sent = 0
        self._loss_last_send = 0.0
        started = time.monotonic()
        values: list[QuestionValue] = []
        error: StepError | None = None
        train_data: TrainingData | None = None
        forward: dict[str, Any] = {}
        self.recorder.start_step()
        self._before_run = {name: id(obj) for name, obj in self.namespace.items()}
        checks: list[Any] = []
        probe = None
        if request.get("probe"):
            from autograd_tutor.worker.exercise_probe import Probe

            probe = Probe(self.torch, self.namespace, self.record_loss, request["probe"])
            self.on_backward = probe.before_backward
        self._capture_start()
        try:
            # An exercise or training run draws no cut links: its loop runs unwatched.
            plain_run = probe is not None or training
            with self.graph_record.watching(self.witness, enabled=not plain_run):
                error = self._exec(code, first_line)
            self.on_backward = None
            if probe is not None:
                checks = probe.finish(error)
            if error is None:
                values = [self._question(expr)[0] for expr in exprs]
                if training:
                    train_data, error = self._training(training)
            forward = self._forward_values()
        finally:
            self.on_backward = None
            stdout = self._capture_end()
            self._flush_losses()
            self._run_id = None
        return StepResult(
            values=values,
            stdout=stdout,
            error=error,
            training=train_data,
            backward_calls=self.backward_calls,
            forward_values=forward,
            seconds=time.monotonic() - started,
            checks=checks,
        )

    def graph(self, request: dict[str, Any]) -> StepResult:
        """The graph of the step that ran last, with the gradients its backward() calls sent
        along it (recorded while they ran). Asked for after the run, when the learner opens
        the graph, so drawing costs a step's run nothing."""
        exprs = [str(e) for e in request.get("exprs") or []]
        graph_for = request.get("graph_for")
        wants_graph = [bool(g) for g in graph_for] if graph_for is not None else [True] * len(exprs)
        started = time.monotonic()
        graph: dict[str, Any] | None = None
        self._capture_start()
        try:
            if any(wants_graph):
                asked = [self._question(expr) for expr in exprs]
                graph = self._graph(
                    exprs, asked, wants_graph, self._before_run, with_gradients=True
                )
        finally:
            self._capture_end()
        return StepResult(
            values=[],
            stdout="",
            error=None,
            training=None,
            backward_calls=self.backward_calls,
            forward_values={},
            seconds=time.monotonic() - started,
            graph=graph,
        )

    def _graph(
        self,
        exprs: list[str],
        asked: list[tuple[QuestionValue, Any]],
        wants_graph: list[bool],
        before: dict[str, int],
        *,
        with_gradients: bool,
        also: dict[str, Any] | None = None,
        copied: dict[int, int] | None = None,
    ) -> dict[str, Any] | None:
        """The step's graph as plain data (None when nothing asked about is in a graph)."""
        rebound = [
            name
            for name, obj in self.namespace.items()
            if not name.startswith("__") and before.get(name) != id(obj)
        ]
        chosen = [
            (expr, obj)
            for expr, (_, obj), wanted in zip(exprs, asked, wants_graph, strict=False)
            if wanted
        ]
        try:
            return self.graph_capture.step_graph(
                self.namespace,
                chosen,
                recorder=self.recorder,
                witness=self.witness,
                rebound=rebound,
                with_gradients=with_gradients,
                also=also,
                copied=copied,
            )
        except Exception as exc:  # a graph torch cannot walk: the step's values still count
            return {
                "nodes": [],
                "edges": [],
                "roots": [],
                "gradients": False,
                "error": {"type": type(exc).__name__, "message": str(exc)[:500]},
            }

    def preview(self, request: dict[str, Any]) -> StepResult:
        """The step's forward graph before it runs: its code runs in a copy of the namespace
        with backward() a no-op and the random state put back afterwards, so the real run
        later sees exactly what it would have seen. Values: leaves only, no gradient."""
        code = str(request.get("code") or "")
        exprs = [str(e) for e in request.get("exprs") or []]
        graph_for = request.get("graph_for")
        wants_graph = [bool(g) for g in graph_for] if graph_for is not None else [True] * len(exprs)
        started = time.monotonic()
        torch = self.torch
        real = self.namespace
        rng = torch.random.get_rng_state()
        cuda_rng = torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None
        calls = self.backward_calls
        graph: dict[str, Any] | None = None
        error: StepError | None = None
        self._previewing = True
        # What the last run's backward() calls recorded stays for its graph (put back below).
        recorded = dict(vars(self.recorder))
        self.recorder.start_step()
        self.namespace, copied = self.convert.scratch_copy(real)
        before = {name: id(obj) for name, obj in self.namespace.items()}
        self._capture_start()
        watch = self.graph_record.watching(self.witness, copied)  # a copy is known as its original
        watch.__enter__()
        try:
            error = self._exec(code, int(request.get("first_line") or 1))
            # Code after backward() often reads what it computed (w.grad), which a preview
            # does not have: the graph built up to the failing line is still the forward one.
            if any(wants_graph):
                asked = [self._question(expr) for expr in exprs]
                graph = self._graph(
                    exprs,
                    asked,
                    wants_graph,
                    before,
                    with_gradients=False,
                    also=real,
                    copied=copied,
                )
            if error is not None and graph is not None and graph["nodes"]:
                graph["stopped_at_line"] = error.line  # the rest reads what backward() computes
                error = None
        finally:
            watch.__exit__(None, None, None)
            self._capture_end()
            self.namespace = real
            self._previewing = False
            vars(self.recorder).update(recorded)
            self.backward_calls = calls
            torch.random.set_rng_state(rng)
            if cuda_rng is not None:
                torch.cuda.set_rng_state_all(cuda_rng)
        return StepResult(
            values=[],
            stdout="",
            error=error,
            training=None,
            backward_calls=calls,
            forward_values={},
            seconds=time.monotonic() - started,
            graph=graph,
        )
