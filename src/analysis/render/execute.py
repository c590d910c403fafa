"""Run a parameterized notebook with papermill (parameters injected after the cell tagged ``parameters``),
in a fresh kernel or on a :class:`~analysis.render.kernel.WarmKernel`.

In: the notebook, where to write the executed copy, parameters. Out: the executed notebook, written
atomically; a BuildError naming the cell that raised (the executed notebook with its traceback kept).
"""

from __future__ import annotations

import functools
from pathlib import Path

import nbformat
import papermill as pm
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.log import logger as papermill_logger

from analysis.errors import BuildError, ParameterError
from analysis.files import aside, replace_synced
from analysis.render import deadlines
from analysis.render.kernel import VenvKernelManager, WarmKernel

WARM_ENGINE = "analysis-warm"  # papermill engine name for runs on a WarmKernel


IOPUB_TIMEOUT = 60  # seconds


class _WarmEngine(NBClientEngine):
    """papermill engine: NBClientEngine, but on a WarmKernel's kernel AND client (``km=``, ``kc=``).

    papermill forwards extra keyword arguments to the engine; nbclient accepts ``km`` but starts a new
    client per notebook (~0.2 s), and papermill builds and runs its client inside this one method, so the
    method is restated with the client set: NBClientEngine.execute_managed_notebook of papermill 2.6-2.7
    (pinned in ``pyproject.toml``; ``tests/render/test_pins.py`` checks the signature it mirrors).
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, *,
                                 km, kc, **kwargs):
        kwargs.pop("input_path", None)
        kwargs.pop("startup_timeout", None)
        kwargs.pop("timeout", None)
        client = PapermillNotebookClient(
            nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=papermill_logger, log_output=log_output, stdout_file=stdout_file,
            stderr_file=stderr_file, **kwargs,
        )
        client.kc = kc
        return client.execute()


papermill_engines.register(WARM_ENGINE, _WarmEngine)


def _check_parameters(notebook: Path, parameters: dict) -> None:
    declared = pm.inspect_notebook(str(notebook))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ParameterError(
            f"{notebook}: unknown parameter(s) {', '.join(unknown)}; "
            f"its parameters cell declares {', '.join(sorted(declared)) or 'none'}"
        )


def execute(
    notebook: Path,
    output: Path,
    parameters: dict,
    *,
    kernel: WarmKernel | None = None,
    cwd: Path | None = None,
    timeout: int = 300,
) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters`` and write the executed notebook to ``output`` (atomically).

    In: the notebook path, where to write, parameters (names must be declared in its ``parameters``
    cell, else ParameterError before any kernel runs), an optional WarmKernel (default: a fresh kernel
    of this venv's python), the kernel's working directory (default: this process's), and a per-cell
    timeout in seconds. Out: the executed notebook. If a cell raises, the executed notebook with the
    traceback is still written to ``output`` and BuildError is raised naming the cell and that path.
    """
    notebook, output = Path(notebook), Path(output)
    _check_parameters(notebook, parameters)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = aside(output)
    options = dict(
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,  # one write at the end: per-cell saves cost time
        execution_timeout=timeout,
        # nbclient waits 4 s by default for a cell's output messages after its reply, and papermill turns
        # that wait into an error: on a loaded machine (a catalogue run, CI) 4 s is not enough.
        iopub_timeout=IOPUB_TIMEOUT,
        cwd=str(cwd) if cwd else None,
    )
    limit = deadlines.seconds("execute")
    # A warm kernel is ours to kill when the whole run passes the deadline; a fresh one (papermill's own) is held to
    # it cell by cell.
    dog = deadlines.Watchdog(limit, kernel.kill_now) if kernel is not None else None
    options["execution_timeout"] = timeout if dog else min(timeout, limit)
    try:
        if kernel is None:
            nb = pm.execute_notebook(str(notebook), str(tmp), kernel_manager_class=VenvKernelManager,
                                     **options)
        else:
            with dog:
                nb = kernel.run(functools.partial(pm.execute_notebook, str(notebook), str(tmp),
                                                  engine_name=WARM_ENGINE, **options), cwd)
    except PapermillExecutionError as err:
        replace_synced(tmp, output)  # papermill wrote the notebook with the traceback to tmp
        evalue = (str(err.evalue).strip().splitlines() or [""])[0][:200]
        raise BuildError(
            f"{notebook.name}: cell In [{err.exec_count}] raised {err.ename}: {evalue} "
            f"(executed notebook: {output})"
        ) from err
    except Exception as err:  # timeout, dead kernel: papermill wrote nothing usable
        tmp.unlink(missing_ok=True)
        if kernel is not None:
            kernel.restart()  # stopped mid-cell (or dead): its state is unknown
        if dog is not None and dog.expired:
            raise deadlines.timed_out("execute", limit, notebook.name) from err
        raise BuildError(
            f"{notebook.name}: execution did not finish ({type(err).__name__}: {str(err)[:200]}); "
            f"no executed notebook written to {output}"
        ) from err
    replace_synced(tmp, output)
    return nb
