"""`mimres code --shard I/N` in separate processes and `mimres merge`: the results folder of
one run, byte for byte; bad shards and mismatched parts as one-line errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from mimres_cli.cli import app
from mimres_cli.coding.shards import comparable

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_interviews"
CODEBOOK = REPO / "codebooks" / "integrering.yaml"
TABLES = ["codes.csv", "findings.csv", "interviews.csv", "segments.csv", "units.csv"]

runner = CliRunner()


def _mimres(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "mimres_cli", *map(str, args)]


def _code(out: Path, *more: str | Path) -> list[str]:
    return _mimres("code", "--corpus", SAMPLE, "-c", CODEBOOK, "--quiet", "--out", out, *more)


def test_three_shard_processes_and_merge_write_what_one_run_writes(tmp_path: Path) -> None:
    single = runner.invoke(app, _code(tmp_path / "one", "--no-cache")[3:])  # in this process
    assert single.exit_code == 0, single.output
    # as a job array runs them: at the same time, one parse cache each
    tasks = [_task(tmp_path, i, 3) for i in (1, 2, 3)]
    for task in tasks:
        assert task.wait(timeout=300) == 0, task.stderr.read() if task.stderr else ""
    parts = [tmp_path / "parts" / str(i) for i in (1, 2, 3)]
    merged = subprocess.run(_mimres("merge", *parts, "--out", tmp_path / "merged"),
                            capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout == ""
    assert merged.stderr.strip() == (
        f"Merged 3 parts (18 interviews, {_rows(tmp_path / 'one' / 'segments.csv')} segments); "
        f"wrote 6 files to {tmp_path / 'merged'}"
    )
    for name in TABLES:
        one = (tmp_path / "one" / name).read_bytes()
        assert (tmp_path / "merged" / name).read_bytes() == one, name
    # the shards really split the work: each part holds some interviews, none holds all
    sizes = [_rows(part / "interviews.csv") for part in parts]
    assert sum(sizes) == 18 and all(0 < size < 18 for size in sizes)
    manifest = json.loads((tmp_path / "merged" / "manifest.json").read_text(encoding="utf-8"))
    one = json.loads((tmp_path / "one" / "manifest.json").read_text(encoding="utf-8"))
    assert comparable(manifest) == comparable(one)
    assert manifest["corpus"] == one["corpus"] and len(one["corpus"]["files"]) == 18
    assert manifest["parse_cache"] == {"hits": 0, "misses": 18, "rejected": 0}


def _task(tmp_path: Path, index: int, count: int) -> subprocess.Popen:
    out, cache = tmp_path / "parts" / str(index), tmp_path / f"cache-{index}"
    args = _code(out, "--shard", f"{index}/{count}", "--cache-dir", cache, "--jobs", "1")
    return subprocess.Popen(args, cwd=tmp_path, stderr=subprocess.PIPE, text=True)


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as stream:
        return sum(1 for _ in csv.reader(stream)) - 1


def test_a_bad_shard_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "part"
    args = ["code", "--corpus", str(SAMPLE), "-c", str(CODEBOOK), "--no-cache", "--out", str(out)]
    result = runner.invoke(app, [*args, "--shard", "4/3"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "mimres: error[E510]: shard 4/3 does not exist. Give the shard as I/N with 1 <= I <= N, "
        "e.g. --shard 2/3 (on Slurm: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)"
    ]
    assert not out.exists()
    result = runner.invoke(app, [*args, "--shard", "two"])
    assert result.exit_code == 2
    assert result.stderr.startswith("mimres: error[E510]: --shard 'two' is not I/N.")


def test_merge_with_a_part_missing_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    args = ["code", "--corpus", str(SAMPLE), "-c", str(CODEBOOK), "--no-cache", "-q"]
    for i in (1, 3):
        result = runner.invoke(app, [*args, "--shard", f"{i}/3", "--out", str(tmp_path / str(i))])
        assert result.exit_code == 0, result.output
    out = tmp_path / "merged"
    result = runner.invoke(app, ["merge", str(tmp_path / "1"), str(tmp_path / "3"),
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "mimres: error[E512]: shard(s) 2 of 3 are missing. Give the results folders of all 3 "
        "shards (a failed task: run it again, then merge)"
    ]
    assert not out.exists()
    result = runner.invoke(app, ["merge", "--out", str(out)])
    assert result.exit_code == 2 and "Missing argument 'PART...'" in result.stderr
