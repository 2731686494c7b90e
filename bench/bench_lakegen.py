"""``generate --to-lake`` of this tree against a baseline tree, run after run, same parameters.

Usage::

    python bench/bench_lakegen.py --baseline-src ../main-worktree/src --scale 1 --jobs 2
        [--rounds 2] [--out /tmp/lakes]

Each round runs ``shopdb generate --to-lake`` once with the baseline's sources and once
with this tree's (alternating which goes first), each into a new folder that is removed
afterwards. Printed per run: rows, wall seconds, rows per second, the CPU seconds of the
whole process tree (polled from ``/proc`` every 0.25 s: workers and the fork server
included), the CPU seconds of its busiest process, and the load average before and
after. The two lakes of a round must hold the same rows: their manifests' table digests
(all but ``generation_runs``, which records the run's own times) are compared.

On a shared machine the wall time follows the load; the CPU seconds and the ratio of
two runs back to back are the figures to compare. ``--jobs`` is 2 by default: on two
cores, 3 or 4 workers cost more CPU in total for no better balance (docs/scale.md,
"lakegen2"); they finish sooner only on a machine others load, by taking a larger share.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "src"
TICK = os.sysconf("SC_CLK_TCK")
POLL_S = 0.25
"""How often the process tree is read: a scan of /proc costs CPU on a busy machine too."""


def _cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[1])
    found, todo = {root}, [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found.add(child)
                todo.append(child)
    return found


def run(src: Path, folder: Path, args: argparse.Namespace) -> dict[str, float]:
    """One generation into ``folder`` with the sources at ``src``: its figures."""
    command = [sys.executable, "-c", "from shopdb.cli import main; main()"]
    command += ["generate", "--to-lake", str(folder), "--scale", str(args.scale)]
    command += ["--seed", str(args.seed), "--end", args.end, "--jobs", str(args.jobs)]
    env = {**os.environ, "PYTHONPATH": str(src)}
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    seen: dict[int, float] = {}
    while process.poll() is None:
        for pid in _descendants(process.pid):
            cpu = _cpu(pid)
            if cpu is not None:
                seen[pid] = max(cpu, seen.get(pid, 0.0))
        time.sleep(POLL_S)
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"generate failed with {src}: exit {process.returncode}")
    manifest = json.loads((folder / "manifest.json").read_text())
    rows = sum(t["row_count"] for t in manifest["tables"].values())
    # generation_runs holds the run's own times: every other table must be equal
    digests = {n: t["digest"] for n, t in manifest["tables"].items() if n != "generation_runs"}
    return {
        "rows": rows,
        "wall": wall,
        "cpu": sum(seen.values()),
        "largest": max(seen.values()),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "digests": digests,  # type: ignore[dict-item]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end", default="2026-12-01")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="folder for the lakes")
    args = parser.parse_args()
    trees = {"baseline": args.baseline_src.resolve(), "this": HERE}
    print(f"SF {args.scale:g} jobs={args.jobs} seed={args.seed} end={args.end}")
    header = f"{'round':>5} {'code':<9} {'rows':>12} {'wall s':>8} {'rows/s':>11} "
    print(header + f"{'CPU s':>7} {'max/proc':>8} load")
    with tempfile.TemporaryDirectory(prefix="lakegen-", dir=args.out) as tmp:
        for round_ in range(args.rounds):
            order = ["baseline", "this"] if round_ % 2 == 0 else ["this", "baseline"]
            results = {}
            for name in order:
                folder = Path(tmp) / name
                results[name] = r = run(trees[name], folder, args)
                shutil.rmtree(folder)
                print(
                    f"{round_ + 1:>5} {name:<9} {r['rows']:>12,.0f} {r['wall']:>8.1f} "
                    f"{r['rows'] / r['wall']:>11,.0f} {r['cpu']:>7.1f} {r['largest']:>8.1f} "
                    f"{r['load_before']:.1f} -> {r['load_after']:.1f}",
                    flush=True,
                )
            same = results["baseline"]["digests"] == results["this"]["digests"]
            ratio = results["baseline"]["wall"] / results["this"]["wall"]
            cpu = results["baseline"]["cpu"] / results["this"]["cpu"]
            print(f"      same rows: {same}; speed-up {ratio:.2f}x wall, {cpu:.2f}x CPU")


if __name__ == "__main__":
    main()
