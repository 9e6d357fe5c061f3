"""Time one full assessment of each catalogue with the pure engine (no Django).

Run from the project root: `python benchmarks/engine_bench.py`. Prints the median
and p95 in microseconds per full `assess` call and writes them, with the date,
the Python version and the machine, to benchmarks/results/engine.txt.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, the project root is not on sys.path; the engine needs no setup.
sys.path.insert(0, str(ROOT))

from exemptions.engine import assess, parse_catalog, parse_vocabulary  # noqa: E402

CATALOGS = ROOT / "exemptions" / "catalogs"
RESULTS = ROOT / "benchmarks" / "results" / "engine.txt"
SLUGS = ("taian-2020", "lianyungang-2022")
WARMUP, CALLS = 500, 5000

# Fact sets as they look at each stage: the allegation at intake, a half-done
# investigation, and a finished one where a fault was found and mitigated.
FACT_SETS = {
    "intake": (
        {"false_materials_provided": True, "consequence": "minor"},
        ["6.1", "8.8"],
    ),
    "investigation": (
        {
            "has_supervisory_duty": True,
            "clear_supervisory_level": False,
            "formal_review_only": True,
            "false_materials_provided": True,
            "review_duty_fulfilled": True,
            "unlicensed_operation": True,
            "report_received_before_harm": False,
            "consequence": "major",
            "intentional_violation": False,
        },
        ["6.1", "6.5", "8.8", "8.10"],
    ),
    "decided": (
        {
            "has_supervisory_duty": True,
            "clear_supervisory_level": True,
            "officer_at_responsible_level": True,
            "performed_per_responsibility_list": False,
            "formal_review_only": False,
            "false_materials_provided": False,
            "based_on_test_or_expert_report": False,
            "unlicensed_operation": False,
            "inspection_plan_followed": False,
            "new_evidence_changed_facts": False,
            "force_majeure": False,
            "fault_established": True,
            "intentional_violation": False,
            "gross_negligence": True,
            "consequence": "severe",
            "fault_minor": False,
            "self_corrected": True,
            "reported_and_remedied": True,
            "admitted_and_cooperated": True,
        },
        [],
    ),
}


def load_catalogs():
    vocabulary = parse_vocabulary(yaml.safe_load((CATALOGS / "facts.yaml").read_text("utf-8")))
    catalogs = {}
    for slug in SLUGS:
        path = CATALOGS / f"{slug}.yaml"
        catalogs[slug] = parse_catalog(
            yaml.safe_load(path.read_text("utf-8")), vocabulary, path.name
        )
    return catalogs


def time_calls(catalog, facts, claimed):
    """Microseconds for each of CALLS assessments, timed one by one."""
    refs = [ref for ref in claimed if ref in catalog.by_ref]
    for _ in range(WARMUP):
        assess(catalog, facts, refs)
    clock = time.perf_counter_ns
    samples = []
    for _ in range(CALLS):
        start = clock()
        assess(catalog, facts, refs)
        samples.append((clock() - start) / 1000)
    return samples


def summary(samples):
    p95 = statistics.quantiles(samples, n=20)[-1]
    return f"median {statistics.median(samples):7.1f} us   p95 {p95:7.1f} us"


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    catalogs = load_catalogs()
    lines = [
        "Clause engine: one full assess() per call (every clause, outcome and flags)",
        f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"machine: {platform.machine()}, {cpu_model()}, nproc {len(os.sched_getaffinity(0))}",
        f"calls: {CALLS} per fact set after {WARMUP} warm-up calls, timed one by one",
        "",
    ]
    for slug, catalog in catalogs.items():
        pooled = []
        lines.append(f"{slug} ({len(catalog.clauses)} clauses)")
        for name, (facts, claimed) in FACT_SETS.items():
            samples = time_calls(catalog, facts, claimed)
            pooled += samples
            outcome = assess(catalog, facts, [r for r in claimed if r in catalog.by_ref]).outcome
            lines.append(f"  {name:<14} {summary(samples)}   outcome {outcome}")
        lines.append(f"  {'all':<14} {summary(pooled)}")
        lines.append("")
    report = "\n".join(lines)
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
