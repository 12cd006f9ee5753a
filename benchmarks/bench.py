"""Benchmark of batch runs: parse cost and our overhead, the cache, codebook size, memory, jobs.

Not part of the test suite. Run from the repository root:

    /work/venv/bin/python benchmarks/bench.py                   # fallback + stand-in, ~15 min
    /work/venv/bin/python benchmarks/bench.py --pipeline fallback --scales 1 10
    /work/venv/bin/python benchmarks/bench.py --write docs/benchmarks.md

It builds larger corpora by replicating the sample interviews (1×, 10×, 50×) with light,
deterministic variation (a new id, reordered sentences, swapped place names, an added filler),
so no two interviews share a text and the cache cannot cheat. Every measurement runs in a fresh
worker process (`bench.py _worker ...`), so each one starts cold (no lookup tables, pipeline or
cache in memory) and its peak RSS is its own. Words are whitespace-separated words of the turn
texts fed to the model.
"""

from __future__ import annotations

import argparse
import compileall
import json
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_interviews"
CODEBOOK = REPO / "codebooks" / "integrering.yaml"
# ../shared beside the checkout (or beside the folder of worktrees)
SHARED = next((p / "shared" for p in REPO.parents if (p / "shared").is_dir()), REPO / "shared")
STAND_IN = SHARED / "models" / "nb_mimres_sm"
STORTING = SHARED / "data" / "dev-storting"  # real text; never copied into the repository
PLACES = ("Sel", "Vågå", "Nordre Land", "Otta", "Dokka", "Lom", "Gjøvik", "Lillehammer")
FILLERS = ("Altså, ", "Ja, ", "Og ", "Men ")


# --------------------------------------------------------------------------- corpora


def build_corpus(target: Path, scale: int) -> Path:
    """Write `scale` varied copies of every sample interview into `target`."""
    if target.is_dir():
        return target
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for source in sorted(p for p in SAMPLE.glob("*.md") if p.stem.lower() != "readme"):
        text = source.read_text(encoding="utf-8")
        front, body = _split(text)
        for copy in range(scale):
            rng = random.Random(f"{source.stem}/{copy}")
            new_front = re.sub(r"(?m)^id: (.+)$", rf"id: \1_r{copy:03d}", front)
            new_body = body if copy == 0 else _vary(body, rng)
            (staging / f"{source.stem}_r{copy:03d}.md").write_text(
                f"---\n{new_front}---\n{new_body}", encoding="utf-8"
            )
    staging.rename(target)
    return target


def build_real_corpus(target: Path, words: int) -> Path:
    """Copies of the dev-storting exchanges (real parliamentary text), varied as the sample's
    copies are, until the corpus holds at least `words` words of turn text. Written to a
    temporary folder at benchmark time, never into the repository."""
    if target.is_dir():
        return target
    sources = sorted(STORTING.glob("*.txt"))
    if not sources:
        raise SystemExit(f"no real-text corpus at {STORTING}")
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    total, copy = 0, 0
    while total < words:
        for source in sources:
            front, body = _split(source.read_text(encoding="utf-8"))
            rng = random.Random(f"{source.stem}/{copy}")
            new_front = re.sub(r'(?m)^id: "?([^"\n]+?)"?$', rf'id: "\1-r{copy:03d}"', front)
            new_body = body if copy == 0 else _vary(body, rng)
            (staging / f"{source.stem}-r{copy:03d}.txt").write_text(
                f"---\n{new_front}---\n{new_body}", encoding="utf-8"
            )
            total += sum(len(line.partition(": ")[2].split()) for line in new_body.splitlines())
            if total >= words:
                break
        copy += 1
    staging.rename(target)
    return target


def _split(text: str) -> tuple[str, str]:
    _, front, body = text.split("---\n", 2)
    return front, body


def _vary(body: str, rng: random.Random) -> str:
    lines = []
    for line in body.splitlines():
        label, sep, rest = line.partition(": ")
        if not sep or len(label) > 40:
            label, sep, rest = "", "", line
        sentences = re.split(r"(?<=[.!?]) ", rest)
        if len(sentences) > 2 and rng.random() < 0.5:
            i = rng.randrange(len(sentences) - 1)
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        rest = " ".join(sentences)
        for place in PLACES[:3]:
            if place in rest and rng.random() < 0.5:
                rest = rest.replace(place, rng.choice(PLACES))
        if rest and rng.random() < 0.3:
            rest = rng.choice(FILLERS) + rest[0].lower() + rest[1:]
        lines.append(f"{label}{sep}{rest}")
    return "\n".join(lines) + "\n"


def build_codebook(target: Path, codes: int, seed: int = 7) -> Path:
    """A flat codebook of `codes` codes with 5 terms each: real lemmas of the corpus' words.

    Terms are drawn from Norsk Ordbank lemmas (spacy-lookups-data), a quarter of them
    two-word terms and one in ten a glob, so the matcher sees the shapes real codebooks have.
    """
    import gzip
    from importlib import resources

    table = json.loads(gzip.decompress(
        resources.files("spacy_lookups_data").joinpath("data/nb_lemma_exc.json.gz").read_bytes()
    ))  # fmt: skip
    lemmas = sorted({lemma for pos in table.values() for forms in pos.values() for lemma in forms
                     if lemma.isalpha() and len(lemma) > 3})  # fmt: skip
    rng = random.Random(seed)
    lines = ["codebook: bench", "language: nb", "codes:"]
    for number in range(codes):
        terms = []
        for _ in range(5):
            kind = rng.random()
            if kind < 0.25:
                terms.append(f'"{rng.choice(lemmas)} {rng.choice(lemmas)}"')
            elif kind < 0.35:
                terms.append(f'"{rng.choice(lemmas)}*"')
            else:
                terms.append(rng.choice(lemmas))
        lines += [f"  - id: kode_{number:04d}", f"    label: Kode {number}",
                  f"    terms: [{', '.join(terms)}]"]  # fmt: skip
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def changed_codebook(target: Path) -> Path:
    """The shipped codebook with one more term: a codebook change that keeps every parse."""
    text = CODEBOOK.read_text(encoding="utf-8")
    text = text.replace("terms: [jobb, jobbe,", "terms: [jobb, jobbe, sysselsetting,", 1)
    target.write_text(text, encoding="utf-8")
    return target


# --------------------------------------------------------------------------- worker


def worker(task: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in this (fresh) process; return seconds, words and peak RSS."""
    start = time.perf_counter()
    result = _raw_pipe(task) if task["kind"] == "raw" else _code(task)
    result["wall"] = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # parsing processes (--jobs 2)
    result["rss_mb"] = own.ru_maxrss / 1024
    result["cpu"] = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return result


def _nlp(model: str | None):
    """The spaCy Language to time: the built-in pipeline, a model, or "blank" spacy.blank("nb")."""
    if model == "blank":
        import spacy

        return spacy.blank("nb")
    from mimres_cli.nlp import build_fallback_pipeline, load_pipeline

    return (build_fallback_pipeline() if model is None else load_pipeline(model)).nlp


def _raw_pipe(task: dict[str, Any]) -> dict[str, Any]:
    """Raw `nlp.pipe` over the same turn texts `mimres code` parses, with the same pipeline."""
    from mimres_cli.corpus import load_corpus
    from mimres_cli.nlp import model_text

    begin = time.perf_counter()
    corpus = load_corpus(Path(task["corpus"]))
    texts = [model_text(turn.text) for item in corpus for turn in item.turns]
    nlp = _nlp(task.get("raw_model", task["model"]))
    words = sum(len(text.split()) for text in texts)
    tokens = 0
    parse_start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=64, n_process=task.get("jobs", 1)):
        tokens += len(doc)
    end = time.perf_counter()
    return {"seconds": end - begin, "parse": end - parse_start, "words": words, "tokens": tokens}


def _code(task: dict[str, Any]) -> dict[str, Any]:
    """`mimres code` as the command runs it: the results folder written while coding."""
    from mimres_cli import workflow

    if task.get("profile"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    begin = time.perf_counter()
    cache = Path(task["cache"]) if task.get("cache") else None
    with tempfile.TemporaryDirectory() as out:
        # as `mimres code --out` runs: the folder written while coding
        result = workflow.code(Path(task["corpus"]), [Path(p) for p in task["codebooks"]],
                               model=task["model"], jobs=task.get("jobs", 1),
                               cache_dir=cache, out=Path(out) / "results")  # fmt: skip
    end = time.perf_counter()
    answer = {
        "seconds": end - begin,
        "durations": result.durations,
        # mimres's words of every turn (no marks); the reports count raw nlp.pipe's words
        "words": int(result.units["words"].sum()),
        "segments": len(result.segments),
        "cache": result.manifest.parse_cache,
    }
    if task.get("profile"):
        profiler.disable()
        stats = pstats.Stats(profiler)
        rows = []
        for (file, line, name), (_, calls, _, cumulative, _) in stats.stats.items():
            rows.append((cumulative, calls, f"{Path(file).name}:{line}({name})"))
        rows.sort(reverse=True)
        tottime = sorted(((v[2], v[1], f"{Path(k[0]).name}:{k[1]}({k[2]})")
                          for k, v in stats.stats.items()), reverse=True)  # fmt: skip
        answer["profile_cumulative"] = rows[:25]
        answer["profile_tottime"] = tottime[:15]
    return answer


def measure(task: dict[str, Any], repeat: int = 1) -> dict[str, Any]:
    """Run `task` in a fresh worker process, `repeat` times; keep the fastest run.

    The fastest of several runs is the least disturbed by other load on the machine.
    """
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "_worker", json.dumps(task)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        process = time.perf_counter() - start  # the whole process: start-up and imports too
        if done.returncode != 0:
            raise RuntimeError(f"worker failed for {task}:\n{done.stderr[-3000:]}")
        runs.append({**json.loads(done.stdout.strip().splitlines()[-1]), "process": process})
    best = min(runs, key=lambda run: run["seconds"])
    best["runs"] = [round(run["seconds"], 2) for run in runs]
    return best


# --------------------------------------------------------------------------- suite


def run_suite(
    model: str | None, label: str, work: Path, scales: list[int], repeat: int, profile: bool
) -> dict[str, Any]:
    """Every measurement of the issue for one pipeline."""
    book = str(CODEBOOK)
    corpora = {scale: str(build_corpus(work / f"corpus_{scale}x", scale)) for scale in scales}
    mid = 10 if 10 in corpora else max(corpora)
    results: dict[str, Any] = {"label": label, "model": model or "fallback", "mid": mid}

    def fresh_cache(name: str) -> str:
        path = work / "caches" / f"{label}-{name}"
        shutil.rmtree(path, ignore_errors=True)
        return str(path)

    def step(name: str, task: dict[str, Any], times: int = repeat) -> dict[str, Any]:
        print(f"[{label}] {name} ...", file=sys.stderr, flush=True)
        answer = measure(task, times)
        print(f"[{label}] {name}: {answer['seconds']:.2f}s, rss {answer['rss_mb']:.0f} MB",
              file=sys.stderr, flush=True)  # fmt: skip
        results[name] = answer
        return answer

    base = {"model": model, "codebooks": [book]}
    # 1. cold `mimres code` versus raw nlp.pipe, same texts and pipeline, one process each
    step("raw_j1", {**base, "kind": "raw", "corpus": corpora[mid], "jobs": 1})

    def cold_step(name: str, task: dict[str, Any]) -> dict[str, Any]:
        """Like `step`, but every repetition starts from an empty cache: a run that reads
        the cache its predecessor filled is warm, and would win `measure`'s fastest-of."""
        best: dict[str, Any] | None = None
        for _ in range(repeat):
            answer = _checked(measure({**task, "cache": fresh_cache(name)}), "cold")
            if best is None or answer["seconds"] < best["seconds"]:
                best = answer
        assert best is not None
        results[name] = best
        print(f"[{label}] {name}: {best['seconds']:.2f}s, rss {best['rss_mb']:.0f} MB",
              file=sys.stderr)  # fmt: skip
        return best

    cold = {**base, "kind": "code", "corpus": corpora[mid], "jobs": 1}
    cold_step("cold_j1", cold)
    warm_cache = str(work / "caches" / f"{label}-cold_j1")  # the last cold run filled it
    step("nocache_j1", {**base, "kind": "code", "corpus": corpora[mid], "jobs": 1})
    # 2. warm re-run after a codebook change versus cold
    changed = str(changed_codebook(work / "integrering_changed.yaml"))
    warm = {**base, "kind": "code", "corpus": corpora[mid], "jobs": 1, "cache": warm_cache}
    _checked(step("warm_changed", {**warm, "codebooks": [changed]}), "warm")
    # 3. coding time, 10 versus 1,000 codes, on cached parses
    for codes in (10, 1000):
        path = str(build_codebook(work / f"codes_{codes}.yaml", codes))
        step(f"codes_{codes}", {**warm, "codebooks": [path]})
    # 4. peak memory of a cold run (cache on, one process) at every scale
    for scale, corpus in corpora.items():
        if scale == mid:
            results[f"rss_{scale}x"] = results["cold_j1"]
            continue
        cold_step(f"rss_{scale}x", {**base, "kind": "code", "corpus": corpus, "jobs": 1})
    # 5. --jobs 1 versus --jobs 2 (cold, cache on), and raw nlp.pipe with n_process=2
    cold_step("cold_j2", {**cold, "jobs": 2})
    step("raw_j2", {**base, "kind": "raw", "corpus": corpora[mid], "jobs": 2})
    # Profiles, run apart from the timings (cProfile slows Python code down unevenly)
    if profile:
        results["profile_cold"] = step(
            "profile_cold", {**cold, "cache": fresh_cache("profile"), "profile": True}, 1
        )
        results["profile_warm"] = step(
            "profile_warm", {**warm, "codebooks": [changed], "profile": True}, 1
        )
        path = str(work / "codes_1000.yaml")
        results["profile_codes_1000"] = step(
            "profile_codes_1000", {**warm, "codebooks": [path], "profile": True}, 1
        )
    return results


def run_real_suite(
    model: str | None, label: str, work: Path, sizes: list[int], repeat: int
) -> dict[str, Any]:
    """The issue-15 figures on real text, each against raw `nlp.pipe` with the same pipeline
    (and, for the built-in pipeline, against `spacy.blank("nb")`): cold, warm after a codebook
    change, the coding stage on cached parses, and peak memory."""
    results: dict[str, Any] = {"label": label, "model": model or "fallback", "sizes": sizes}
    changed = str(changed_codebook(work / "integrering_changed.yaml"))
    for words in sizes:
        corpus = str(build_real_corpus(work / f"storting_{words}", words))
        base = {"model": model, "codebooks": [str(CODEBOOK)], "corpus": corpus, "jobs": 1}
        tag = f"{label}, {words:,} real words"
        entry = {"raw": _step(tag, "raw", {**base, "kind": "raw"}, repeat)}
        if model is None:
            blank = {**base, "kind": "raw", "raw_model": "blank"}
            entry["raw_blank"] = _step(tag, "raw_blank", blank, repeat)
        cache = work / "caches" / f"{label}-real-{words}"
        cold = {**base, "kind": "code", "cache": str(cache)}
        runs = []
        for _ in range(repeat):  # each cold run from an empty cache; the last one fills it
            shutil.rmtree(cache, ignore_errors=True)
            runs.append(_checked(_step(tag, "cold", cold, 1), "cold"))
        entry["cold"] = min(runs, key=lambda run: run["seconds"])
        warm = _step(tag, "warm", {**cold, "codebooks": [changed]}, repeat)
        entry["warm"] = _checked(warm, "warm")
        results[f"real_{words}"] = entry
    return results


def _step(tag: str, name: str, task: dict[str, Any], repeat: int) -> dict[str, Any]:
    print(f"[{tag}] {name} ...", file=sys.stderr, flush=True)
    answer = measure(task, repeat)
    cache = answer.get("cache") or {}
    hits = f", cache hits {cache['hits']} / misses {cache['misses']}" if cache else ""
    print(f"[{tag}] {name}: process {answer['process']:.1f}s / CPU {answer['cpu']:.1f}s, "
          f"rss {answer['rss_mb']:.0f} MB{hits}", file=sys.stderr, flush=True)  # fmt: skip
    return answer


def _checked(answer: dict[str, Any], kind: str) -> dict[str, Any]:
    """`answer` if its parse cache was what a `kind` run needs: nothing read (cold) or
    nothing parsed (warm). A cold figure from a filled cache is a warm run's (the hand-run
    "cold 4.9 s" of 3 December read 388 of 388 entries), so it stops the benchmark."""
    cache = answer.get("cache") or {}
    wrong = cache.get("hits", 0) if kind == "cold" else cache.get("misses", 0)
    if not cache or wrong:
        raise SystemExit(f"the {kind} run was not {kind}: parse cache {cache or 'off'}")
    return answer


# --------------------------------------------------------------------------- report


def report_real(suites: list[dict[str, Any]]) -> str:
    """The real-text results: whole-process seconds, each over raw `nlp.pipe` with the same
    pipeline (the built-in pipeline also over `spacy.blank("nb")`)."""
    head = (
        "| pipeline | words | raw `nlp.pipe`: wall / CPU s (words/s) "
        "| cold `mimres code`: wall / CPU s (÷ raw) "
        "| warm, codebook changed: wall / CPU s (÷ raw) "
        "| coding stage on cached parses: s (words/s) "
        "| peak RSS cold / warm: MB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    text = head
    for suite in suites:
        for words in suite.get("sizes", []):
            entry = suite[f"real_{words}"]
            raw, cold, warm = entry["raw"], entry["cold"], entry["warm"]
            counted = raw["words"]
            raw_cell = f"{_wall_cpu(raw)} ({counted / raw['process']:,.0f})"
            if "raw_blank" in entry:
                raw_cell += f"; `spacy.blank('nb')`: {_wall_cpu(entry['raw_blank'])}"
            cold_cell = f"{_wall_cpu(cold)} ({_over(cold, raw)}"
            if "raw_blank" in entry:
                cold_cell += f"; ÷ blank {_over(cold, entry['raw_blank'])}"
            cold_cell += ")"
            warm_cell = f"{_wall_cpu(warm)} ({_over(warm, raw)})"
            code = warm["durations"].get("code", 0.0)
            code_cell = f"{code:.2f} ({counted / max(code, 1e-9):,.0f})"
            rss = f"{cold['rss_mb']:.0f} / {warm['rss_mb']:.0f}"
            text += (f"| {suite['label']} | {counted:,} | {raw_cell} | {cold_cell} | {warm_cell} "
                     f"| {code_cell} | {rss} |\n")  # fmt: skip
    return text


def report(suites: list[dict[str, Any]], machine: str) -> str:
    """The results as Markdown tables, one column per pipeline."""
    labels = [s["label"] for s in suites]
    head = "| measurement | " + " | ".join(labels) + " | target |\n"
    head += "| --- | " + " | ".join("---:" for _ in labels) + " | --- |\n"

    def row(name: str, cell, target: str = "") -> str:
        return f"| {name} | " + " | ".join(cell(s) for s in suites) + f" | {target} |\n"

    def wps(answer: dict[str, Any], words: int) -> str:
        return f"{words / answer['seconds']:,.0f}"

    def both(answer: dict[str, Any], words: int) -> str:
        return f"{answer['seconds']:.1f} / {answer['cpu']:.1f} ({wps(answer, words)})"

    def ratio(a: dict[str, Any], b: dict[str, Any]) -> str:
        return f"{a['seconds'] / b['seconds']:.2f}× / {a['cpu'] / b['cpu']:.2f}×"

    mid = suites[0]["mid"]
    text = f"Measured on {machine}.\n\n"
    text += head
    text += row(f"words in the {mid}× corpus", lambda s: f"{s['raw_j1']['words']:,}")
    text += row("raw `nlp.pipe`, 1 process: wall s / CPU s (words/s)",
                lambda s: both(s["raw_j1"], s["raw_j1"]["words"]))  # fmt: skip
    text += row("cold `mimres code`, cache on, `--jobs 1`: wall s / CPU s (words/s)",
                lambda s: both(s["cold_j1"], s["raw_j1"]["words"]))  # fmt: skip
    text += row("cold `mimres code --no-cache --jobs 1`: wall s / CPU s (words/s)",
                lambda s: both(s["nocache_j1"], s["raw_j1"]["words"]))  # fmt: skip
    text += row("**overhead**: cold `mimres code` ÷ raw `nlp.pipe` (wall / CPU)",
                lambda s: ratio(s["cold_j1"], s["raw_j1"]), "≤ 1.15×")  # fmt: skip
    text += row("… of which parse / code / other, s", lambda s: _stages(s["cold_j1"]))
    text += row("warm re-run, codebook changed: s",
                lambda s: f"{s['warm_changed']['seconds']:.2f}")  # fmt: skip
    text += row("… of which pipeline / parse (cache) / code / other, s",
                lambda s: _stages(s["warm_changed"], with_pipeline=True))  # fmt: skip
    text += row("**cold ÷ warm** (wall / CPU)",
                lambda s: ratio(s["cold_j1"], s["warm_changed"]), "≥ 20×")  # fmt: skip
    text += row("coding stage, 10 codes (cached parses): s",
                lambda s: f"{s['codes_10']['durations']['code']:.2f}")  # fmt: skip
    text += row("coding stage, 1,000 codes (cached parses): s",
                lambda s: f"{s['codes_1000']['durations']['code']:.2f}")  # fmt: skip
    text += row("**1,000 ÷ 10 codes**",
                lambda s: f"{s['codes_1000']['durations']['code'] / s['codes_10']['durations']['code']:.2f}×",  # noqa: E501
                "≤ 2×")  # fmt: skip
    scales = sorted(int(k[4:-1]) for k in suites[0] if k.startswith("rss_"))
    for scale in scales:
        text += row(f"peak RSS, cold run at {scale}×: MB",
                    lambda s, n=scale: f"{s[f'rss_{n}x']['rss_mb']:.0f}")  # fmt: skip
    if 10 in scales and 50 in scales:
        text += row("**peak RSS 50× ÷ 10×**",
                    lambda s: f"{s['rss_50x']['rss_mb'] / s['rss_10x']['rss_mb']:.2f}×",
                    "≤ 2×")  # fmt: skip
    text += row("cold `mimres code --jobs 2`: wall s / CPU s (words/s)",
                lambda s: both(s["cold_j2"], s["raw_j1"]["words"]))  # fmt: skip
    text += row("`--jobs 1` ÷ `--jobs 2` (wall / CPU)", lambda s: ratio(s["cold_j1"], s["cold_j2"]))
    text += row("raw `nlp.pipe`, 2 processes: wall s / CPU s (words/s)",
                lambda s: both(s["raw_j2"], s["raw_j1"]["words"]))  # fmt: skip
    return text


def _wall_cpu(answer: dict[str, Any]) -> str:
    """Whole-process wall and CPU seconds (the worker's CPU counts from its start)."""
    return f"{answer['process']:.1f} / {answer['cpu']:.1f}"


def _over(answer: dict[str, Any], raw: dict[str, Any]) -> str:
    return f"{answer['process'] / raw['process']:.2f}× / {answer['cpu'] / raw['cpu']:.2f}×"


def _stages(answer: dict[str, Any], *, with_pipeline: bool = False) -> str:
    d = answer["durations"]
    parse, code = d.get("parse", 0.0), d.get("code", 0.0)
    pipeline = d.get("pipeline", 0.0)
    other = answer["seconds"] - parse - code - (pipeline if with_pipeline else 0.0)
    if with_pipeline:
        return f"{pipeline:.2f} / {parse:.2f} / {code:.2f} / {other:.2f}"
    return f"{parse:.1f} / {code:.1f} / {other:.1f}"


def profiles(suites: list[dict[str, Any]]) -> str:
    """The top of the cProfile of the runs whose targets are most at risk."""
    text = ""
    for suite in suites:
        for name in ("profile_warm", "profile_codes_1000", "profile_cold"):
            answer = suite.get(name, {})
            if "profile_tottime" not in answer:
                continue
            text += f"\n#### {suite['label']}: `{name}` (cProfile, own time, top 15)\n\n"
            text += "| own s | calls | function |\n| ---: | ---: | --- |\n"
            for own, calls, where in answer["profile_tottime"]:
                text += f"| {own:.2f} | {calls:,} | `{where}` |\n"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipeline", choices=["fallback", "stand-in", "both"], default="both")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mimres-bench")
    parser.add_argument("--json", type=Path, help="Also write the raw results here.")
    parser.add_argument(
        "--repeat", type=int, default=2, help="Runs per timing; the fastest counts."
    )
    parser.add_argument("--no-profile", action="store_true", help="Skip the cProfile runs.")
    parser.add_argument("--real-words", type=int, nargs="*", default=[250_000, 4_000_000],
                        help="Sizes of the real-text corpora (dev-storting, replicated); none: "
                        "skip them.")  # fmt: skip
    parser.add_argument("--no-sample", action="store_true",
                        help="Only the real-text measurements.")  # fmt: skip
    parser.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        help="Only print the report of results saved earlier with --json.",
    )
    args = parser.parse_args()
    machine = f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}"
    if args.from_json:
        suites = [s for path in args.from_json for s in json.loads(path.read_text("utf-8"))]
        _print(suites, machine)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    compile_package()
    suites = []
    # The stand-in first: the targets are measured with it. Profiles explain the
    # targets that are missed; they are run for the trained pipeline only (they take long).
    pipelines: list[tuple[str | None, str]] = []
    if args.pipeline in ("stand-in", "both"):
        if STAND_IN.is_dir():
            pipelines.append((str(STAND_IN), "nb_mimres_sm"))
        else:
            print(f"stand-in pipeline not found at {STAND_IN}; skipped", file=sys.stderr)
    if args.pipeline in ("fallback", "both"):
        pipelines.append((None, "fallback"))
    for model, label in pipelines:
        if args.real_words:
            suites.append(run_real_suite(model, label, args.work, args.real_words, args.repeat))
        if not args.no_sample:
            suites.append(run_suite(model, label, args.work, args.scales, args.repeat,
                                    model is not None and not args.no_profile))  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(suites, indent=1), encoding="utf-8")
    _print(suites, machine)


def compile_package() -> None:
    """Write mimres_cli's bytecode, as `pip install` does for an installed package.

    An editable install under PYTHONDONTWRITEBYTECODE (set on some machines) compiles every
    module from source in every worker (about 0.4 s), which no user's installed copy pays.
    """
    import mimres_cli

    compileall.compile_dir(Path(mimres_cli.__file__).parent, quiet=1)


def _print(suites: list[dict[str, Any]], machine: str) -> None:
    real = [s for s in suites if "sizes" in s]
    sample = [s for s in suites if "sizes" not in s]
    if real:
        print(f"Real text, measured on {machine}.\n")
        print(report_real(real))
    if sample:
        print(report(sample, machine))
        print(profiles(sample))


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "_worker":
        print(json.dumps(worker(json.loads(sys.argv[2]))))
    else:
        main()
