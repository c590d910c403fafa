"""Jupyter kernels for reports: this venv's python on private IPC sockets, and a warm kernel reused across
reports and reset between them.

In: what to preload (e.g. ``"import analysis.sections.report"``). Out: a :class:`WarmKernel` whose
``run(fn)`` resets the kernel to its post-preload state and calls ``fn(km=…, kc=…)``; or, for one-off runs,
:class:`VenvKernelManager`.
"""

from __future__ import annotations

import atexit
import copy
import inspect
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_core.utils import run_sync
from traitlets import default

from analysis.errors import BuildError

SOCKET_PATH_MAX = 107  # bytes in a Unix socket path, less its terminating NUL (Linux sun_path)
IPC_NAME_BYTES = len("/ak-12345678/k-65535")  # what _ip_default and ZMQ add to the temp folder's path

class VenvKernelSpecManager(KernelSpecManager):
    """'python3' is always this interpreter (this venv), whatever kernelspecs are installed."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name in ("python3", "python"):
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                      # no history database: nothing to lock when many kernels run at once
                      "--HistoryManager.enabled=False"],
                display_name=f"Python 3 ({sys.executable})",
                language="python",
            )
        return super().get_kernel_spec(kernel_name)


class VenvKernelManager(AsyncKernelManager):
    """Kernel manager for reports: this venv's python, IPC sockets in a private folder.

    TCP ports are picked in the parent and bound later by the kernel, so kernels started at the same
    time can collide ("Address already in use", papermill issue #511); IPC socket files in a folder
    of their own cannot. Clients made through :meth:`client` are remembered so that the warm kernel
    can close the ones nbclient leaves open when it does not own the kernel.
    """

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        return VenvKernelSpecManager(data_dir=self.data_dir)

    @default("transport")
    def _transport_default(self) -> str:
        # Unix sockets in the temp folder (no ports, nothing another user can reach), unless the temp
        # folder's path is so long that a socket path in it would pass the kernel's 108-byte limit
        # (sun_path): then TCP on 127.0.0.1.
        return "ipc" if len(os.fsencode(tempfile.gettempdir())) + IPC_NAME_BYTES <= SOCKET_PATH_MAX else "tcp"

    def _ip_default(self) -> str:  # ipc "ip" is a socket path prefix; keep it short (108-byte limit)
        if self.transport != "ipc":
            return super()._ip_default()
        self._ipc_dir = tempfile.mkdtemp(prefix="ak-")
        return os.path.join(self._ipc_dir, "k")

    def client(self, **kwargs: Any):
        kc = super().client(**kwargs)
        # Clients share the manager's session id, which is also their ZMQ identity: a second client with
        # the same identity steals (or loses) the kernel's replies. One fresh identity per client.
        kc.session.session = uuid.uuid4().hex
        self.__dict__.setdefault("_clients", []).append(kc)
        return kc

    def close_clients(self) -> None:
        for kc in self.__dict__.pop("_clients", []):
            kc.stop_channels()

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and getattr(self, "_ipc_dir", None):
            shutil.rmtree(self._ipc_dir, ignore_errors=True)

    # AsyncKernelManager binds the base function object, so re-point the public name at the override
    cleanup_resources = _async_cleanup_resources

    async def _async_interrupt_kernel(self) -> None:
        # jupyter_client 8 interrupts (SIGINT) every kernel it shuts down, first; a kernel busy with a message
        # then logs "ERROR | KeyboardInterrupt caught in kernel." into our stderr for no reason (it is going
        # away). So no interrupt while shutting down; a real interrupt (a cell's timeout) still goes through.
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel  # the async manager's public name is the coroutine itself


# The two functions below run INSIDE the kernel: WarmKernel sends their source (inspect.getsource) into
# a private module there, so they are linted here but import nothing from this package in the kernel.
def _k_snapshot() -> None:
    """(kernel) Record the state a report may change, just after the preload ran. matplotlib's pyplot and its
    inline backend are recorded only if the preload imported them (the career report does not: ~0.2 s of every
    kernel's start saved); if a notebook imports them later, the reset closes its figures and drops the
    backend's settings back to their defaults."""
    import gc
    import os
    import sys
    import warnings

    from IPython import get_ipython

    state = globals()
    ip = get_ipython()
    if "matplotlib" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rc = sys.modules["matplotlib"].rcParams
            state["rc"] = {k: copy.deepcopy(rc[k]) for k in rc}
    if "matplotlib.pyplot" in sys.modules:
        from matplotlib_inline.config import InlineBackend

        cfg = InlineBackend.instance()
        state["inline"] = {n: copy.deepcopy(getattr(cfg, n))
                           for n in ("figure_formats", "print_figure_kwargs", "close_figures", "rc")}
    state["formatters"] = {mime: (f.enabled, dict(f.type_printers), dict(f.deferred_printers))
                           for mime, f in ip.display_formatter.formatters.items()}
    state["warnings"] = list(warnings.filters)
    state["sys_path"] = list(sys.path)
    state["environ"] = dict(os.environ)
    # What exists now (modules, preloaded tables) lives as long as the kernel: keep it out of every later
    # garbage collection. IPython's reset runs a full one before each report: 64 ms, then 2 ms.
    gc.freeze()


def _k_reset(cwd: str) -> None:
    """(kernel) Put the kernel back to the snapshot: namespace, counters, figures, rcParams, options."""
    import os
    import sys
    import warnings

    from IPython import get_ipython

    state = globals()
    ip = get_ipython()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    ip.reset(new_session=False)  # user namespace, In/Out, _ ; keeps sys.modules (imports stay paid)
    ip.execution_count = 1
    if "matplotlib" in sys.modules:
        rc = sys.modules["matplotlib"].rcParams
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if "rc" in state:
                changed = {k: v for k, v in state["rc"].items() if rc[k] != v}
                rc.update(copy.deepcopy(changed))
            else:  # imported by a report after the snapshot: back to matplotlib's defaults
                rc.update(sys.modules["matplotlib"].rcParamsDefault)
    if "matplotlib_inline.config" in sys.modules:
        InlineBackend = sys.modules["matplotlib_inline.config"].InlineBackend  # a class, named as one
        if "inline" in state:
            cfg = InlineBackend.instance()
            for name, value in state["inline"].items():
                if getattr(cfg, name) != value:
                    setattr(cfg, name, copy.deepcopy(value))
        else:  # first activated by a report after the snapshot: its settings start afresh next time
            InlineBackend.clear_instance()
    for mime, (enabled, printers, deferred) in state["formatters"].items():
        f = ip.display_formatter.formatters[mime]
        f.enabled = enabled
        f.type_printers.clear()
        f.type_printers.update(printers)
        f.deferred_printers.clear()
        f.deferred_printers.update(deferred)
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option("all")
    warnings.filters[:] = state["warnings"]
    getattr(warnings, "_filters_mutated", lambda: None)()  # invalidate the "already warned" caches
    sys.path[:] = state["sys_path"]
    for key in set(os.environ) - set(state["environ"]):
        del os.environ[key]
    os.environ.update(state["environ"])
    os.chdir(cwd)


class WarmKernel:
    """One python3 kernel (this venv) started once and reused for many reports, reset between them.

    ``preload`` runs once after start (e.g. ``"import analysis.report"``) so imports are paid once.
    Before every report the kernel is reset to the state right after preload: user namespace and
    In/Out history cleared, execution count back to 1, figures closed, matplotlib rcParams, inline
    backend settings and display formatters restored, pandas options reset, warnings filters,
    ``sys.path``, ``os.environ`` and the working directory restored. Imported modules are KEPT.

    Assumption (to record in docs/assumptions.md): modules imported by reports are
    stateless, or cache only pure functions of files that do not change during a build. Module-level
    state a report mutates (e.g. a global list in a module, ``random``/numpy seeds) is not reset.
    If a run times out or the kernel dies, the kernel is restarted (and preloaded) before the next one.
    """

    def __init__(self, preload: str = "", *, startup_timeout: int = 60, start_attempts: int = 3):
        self.preload = preload
        self.startup_timeout = startup_timeout
        self.start_attempts = start_attempts
        self.km: VenvKernelManager | None = None
        self.kc: AsyncKernelClient | None = None
        self.reports_run = 0
        self.restarts = 0  # new kernel processes since the first (one died, or a run passed its deadline)
        self._start()
        atexit.register(self.close)

    # -- lifecycle
    def _start(self) -> None:
        for attempt in range(1, self.start_attempts + 1):
            km = VenvKernelManager(kernel_name="python3")
            try:
                run_sync(km.start_kernel)()
                # One client for the kernel's whole life: preload/reset go through it and papermill gets
                # it too (see _WarmEngine), which saves nbclient's ~0.2 s client start-up per report.
                kc = km.client()
                kc.start_channels()
                run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
            except (RuntimeError, OSError) as err:  # ZMQ/port trouble or a kernel that died at start
                km.close_clients()
                run_sync(km.shutdown_kernel)(now=True)
                if attempt == self.start_attempts:
                    raise BuildError(f"kernel did not start after {attempt} attempts: {err}") from err
                time.sleep(0.2 * attempt)
                continue
            self.km, self.kc = km, kc
            break
        if self.preload:
            self._run(self.preload, "preload")
        src = "\n\n".join(inspect.getsource(f) for f in (_k_snapshot, _k_reset))
        self._run(
            "import copy, sys, types\n"
            "_m = types.ModuleType('_analysis_warm')\n"
            "_m.copy = copy\n"
            f"exec({src!r}, _m.__dict__)\n"
            "sys.modules['_analysis_warm'] = _m\n"
            "_m._k_snapshot()\n",
            "snapshot",
        )
        self.reports_run = 0

    def close(self) -> None:
        """Shut the kernel down (idempotent)."""
        self.kc = None
        if self.km is not None:
            self.km.close_clients()
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None
        atexit.unregister(self.close)

    def kill_now(self) -> None:
        """SIGKILL the kernel process at once: for a signal handler, where no event loop may run and nothing
        may wait. Its temp files go with the run's temp folder."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()

    def restart(self) -> None:
        """A new kernel process (used when a run timed out or the kernel died)."""
        self.close()
        self._start()
        atexit.register(self.close)
        self.restarts += 1

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_alive(self) -> bool:
        return self.km is not None and run_sync(self.km.is_alive)()

    # -- running
    def _run(self, code: str, what: str, timeout: int = 120) -> None:
        assert self.kc is not None
        reply = run_sync(self.kc.execute_interactive)(
            code, silent=True, store_history=False, timeout=timeout, output_hook=lambda msg: None
        )
        content = reply["content"]
        if content["status"] != "ok":
            raise BuildError(f"warm kernel {what} failed: {content.get('ename')}: {content.get('evalue')}")

    def reset(self, cwd: Path | str | None = None) -> None:
        """Reset to the post-preload state and chdir to ``cwd`` (default: this process's cwd)."""
        if not self.is_alive():
            self.restart()
        cwd = str(Path(cwd).resolve() if cwd else Path.cwd())
        self._run(f"__import__('sys').modules['_analysis_warm']._k_reset({cwd!r})", "reset")

    def run(self, fn: Callable[..., Any], cwd: Path | str | None = None) -> Any:
        """Reset, then ``fn(km=…, kc=…)`` (papermill with the 'analysis-warm' engine); out: what fn returns."""
        self.reset(cwd)
        try:
            return fn(km=self.km, kc=self.kc)
        finally:
            self.reports_run += 1
