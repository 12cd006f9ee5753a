"""Peak memory of `mimres tag` on the sample corpus and on a corpus ten times its size.

Each measurement runs in a fresh Python process and reports that process's peak resident set
size (ru_maxrss), so the figures include Python, spaCy and the pipeline. If tokens stream,
the 10× corpus peaks at about the same memory as the 1× corpus; the "all in memory" row
shows what holding every token row at once would cost instead.

    /work/venv/bin/python benchmarks/bench_tag.py                       # fallback pipeline
    /work/venv/bin/python benchmarks/bench_tag.py --model ../shared/models/nb_mimres_sm
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_interviews"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from mimres_cli import tagging
corpus, model, fmt, target = sys.argv[1:5]
stream = tagging.open_tokens(Path(corpus), model=model or None)
started = time.perf_counter()
if fmt == "all-in-memory":
    rows = [row for chunk in stream.chunks() for row in chunk]
    count = len(rows)
else:
    count = tagging.write_tokens(stream, fmt, Path(target))
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": count, "seconds": seconds, "peak_mb": peak_mb}))
"""


def make_corpus(folder: Path, copies: int) -> int:
    """Write `copies` copies of every sample transcript, each with its own id; return words."""
    words = 0
    for path in sorted(SAMPLE.glob("*.md")):
        if path.stem.lower() == "readme":
            continue
        text = path.read_text(encoding="utf-8")
        for n in range(copies):
            copy = re.sub(r"(?m)^id: (\S+)", rf"id: \1_{n:02d}", text, count=1)
            (folder / f"{path.stem}_{n:02d}.md").write_text(copy, encoding="utf-8")
            words += len(copy.split())
    return words


def measure(corpus: Path, model: str, fmt: str, target: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(corpus), model, fmt, str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="", help="spaCy pipeline (default: as mimres picks)")
    parser.add_argument("--formats", default="csv,jsonl,conllu,parquet,all-in-memory")
    args = parser.parse_args()
    print(f"pipeline: {args.model or 'default (nb_core_news_sm, else the built-in fallback)'}")
    print("| corpus | words | format | token rows | seconds | peak RSS (MB) |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for copies in (1, 10):
            corpus = Path(tmp) / f"x{copies}"
            corpus.mkdir()
            words = make_corpus(corpus, copies)
            for fmt in args.formats.split(","):
                target = Path(tmp) / f"tokens_{copies}.{fmt}"
                got = measure(corpus, args.model, fmt, target)
                print(f"| sample ×{copies} | {words:,} | {fmt} | {got['rows']:,} | "
                      f"{got['seconds']:.1f} | {got['peak_mb']:.0f} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
