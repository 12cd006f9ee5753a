"""The examples/slurm job array and merge job, submitted to a real single-node Slurm.

The test starts munge (where it is not running), slurmctld and slurmd on localhost with a
slurm.conf of its own (free ports, state in a temporary folder), submits examples/slurm/submit.sh
and compares the merged results with one run, byte for byte. It needs root and Debian's
slurm-wlm and munge packages (.ci/run installs them where it can); elsewhere it skips and
says why. The daemons it started are stopped by their process ids when it ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mimres_cli.cli import app

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_interviews"
CODEBOOK = REPO / "codebooks" / "integrering.yaml"
EXAMPLES = REPO / "examples" / "slurm"
TABLES = ["codes.csv", "findings.csv", "interviews.csv", "segments.csv", "units.csv"]
PROGRAMS = ("sbatch", "squeue", "sinfo", "slurmctld", "slurmd", "munged", "munge", "unmunge")
MUNGE_KEY = Path("/etc/munge/munge.key")
WAIT = 300  # seconds for the whole job array and the merge, on a busy 2-core machine

SLURM_CONF = """\
ClusterName=mimrestest
SlurmctldHost={host}
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation={tmp}/state
SlurmdSpoolDir={tmp}/spool
SlurmctldPidFile={tmp}/slurmctld.pid
SlurmdPidFile={tmp}/slurmd.pid
SlurmctldLogFile={tmp}/slurmctld.log
SlurmdLogFile={tmp}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
NodeName={host} CPUs={cpus} RealMemory={memory} State=UNKNOWN
PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""


def _why_not() -> str:
    """Why a local Slurm cannot be started here ("" when it can)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "starting slurmctld, slurmd and munged needs root"
    missing = [name for name in PROGRAMS if shutil.which(name) is None]
    if missing:
        return f"{', '.join(missing)} not installed (apt-get install slurm-wlm munge)"
    if not MUNGE_KEY.is_file():
        return f"no munge key at {MUNGE_KEY}"
    if (os.cpu_count() or 1) < 2:
        return "examples/slurm/code.sbatch asks for 2 CPUs per task; this machine has 1"
    return ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _available_mb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) // 1024
    return 1000


def _munge_works() -> bool:
    made = subprocess.run(["munge", "-n"], capture_output=True)
    if made.returncode != 0:
        return False
    return subprocess.run(["unmunge"], input=made.stdout, capture_output=True).returncode == 0


@pytest.fixture()
def slurm(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A running single-node Slurm: the environment in which its commands reach it."""
    reason = _why_not()
    if reason:
        pytest.skip(f"no local Slurm: {reason}")
    # munged is machine-wide: a second test run on the same machine (two checkouts) would stop
    # the munged this one uses when it ends, so the runs take turns.
    with Path("/tmp/mimres-slurm-test.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _local_slurm(tmp_path)


def _local_slurm(tmp_path: Path) -> Iterator[dict[str, str]]:
    started: list[subprocess.Popen] = []
    munged_pid = None
    if not _munge_works():
        Path("/run/munge").mkdir(parents=True, exist_ok=True)
        shutil.chown("/run/munge", "munge", "munge")
        subprocess.run(["runuser", "-u", "munge", "--", "munged"], check=False)
        pid_file = Path("/run/munge/munged.pid")
        munged_pid = int(pid_file.read_text()) if pid_file.is_file() else None
        if not _munge_works():
            pytest.skip("no local Slurm: munged does not start (munge -n | unmunge fails)")
    state = tmp_path / "slurm"
    for folder in ("state", "spool"):
        (state / folder).mkdir(parents=True)
    memory = _available_mb() * 9 // 10  # a node claiming more than it has is drained
    host = socket.gethostname().split(".")[0]
    conf = state / "slurm.conf"
    ports = {"ctld_port": _free_port(), "slurmd_port": _free_port()}
    conf.write_text(SLURM_CONF.format(host=host, tmp=state, cpus=os.cpu_count(), memory=memory,
                                      **ports))  # fmt: skip
    env = {**os.environ, "SLURM_CONF": str(conf)}
    try:
        for daemon in ("slurmctld", "slurmd"):  # -D: in the foreground, so ours to stop
            started.append(subprocess.Popen([daemon, "-D", "-f", str(conf)], env=env,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))  # fmt: skip
        if not _wait(lambda: "idle" in _run(["sinfo", "-h", "-o", "%t"], env), 30):
            log = (state / "slurmctld.log").read_text(errors="replace")[-2000:]
            pytest.skip(f"no local Slurm: the node did not become idle in 30 s\n{log}")
        yield env
    finally:
        for daemon in reversed(started):
            daemon.terminate()
            try:
                daemon.wait(timeout=15)
            except subprocess.TimeoutExpired:
                daemon.kill()
        if munged_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(munged_pid, signal.SIGTERM)


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else ""


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return False


def test_the_example_job_array_and_merge_job_on_a_real_slurm(
    slurm: dict[str, str], tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    one = ["code", "--corpus", str(SAMPLE), "-c", str(CODEBOOK), "--no-cache", "-q"]
    single = CliRunner().invoke(app, [*one, "--out", str(tmp_path / "one")])
    assert single.exit_code == 0, single.output
    # SBATCH_MEM_PER_NODE overrides the scripts' --mem: the test node may have less
    mimres = f"{shlex.quote(sys.executable)} -m mimres_cli"
    env = {**slurm, "SHARDS": "3", "SBATCH_MEM_PER_NODE": "500", "CORPUS": str(SAMPLE),
           "CODEBOOK": str(CODEBOOK), "MIMRES": mimres}  # fmt: skip
    submitted = subprocess.run([str(EXAMPLES / "submit.sh")], env=env, cwd=work,
                               capture_output=True, text=True)  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    assert submitted.stdout.startswith("coding: job array ")

    def finished() -> bool:
        return _run(["squeue", "-h", "-o", "%i %T %r"], slurm).strip() == ""

    def logs() -> str:
        queue = _run(["squeue", "-h", "-o", "%i %T %r"], slurm)
        texts = [f"{p.name}:\n{p.read_text(errors='replace')}" for p in sorted(work.glob("*.out"))]
        return f"queue:\n{queue}\n" + "\n".join(texts)

    assert _wait(finished, WAIT), f"the jobs did not finish in {WAIT} s\n{logs()}"
    assert (work / "results" / "manifest.json").is_file(), logs()
    assert sorted(p.name for p in (work / "parts").iterdir()) == ["1", "2", "3"]
    shards = [json.loads((work / "parts" / i / "manifest.json").read_text())["shard"]
              for i in ("1", "2", "3")]  # fmt: skip
    assert shards == ["1/3", "2/3", "3/3"]  # each task read its id and the count of tasks
    assert len(list(work.glob("mimres-code-*_*.out"))) == 3  # one log per array task
    assert sorted(p.name for p in (work / ".mimres-cache").iterdir()) == [
        "task-1", "task-2", "task-3",
    ]  # fmt: skip
    for name in TABLES:
        assert (work / "results" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
