"""Document rendering speed and size, on a realistic filed Tai'an case.

    python benchmarks/documents_bench.py [--runs 15]

Builds a throw-away SQLite database in a temporary folder (migrations, the
catalogues, a case taken through every stage by the services), warms the
process up, then times: the filing notice alone (median of the runs), every
document of the filing package, and the whole package (every PDF, evidence,
manifest and case.json), both with every document rendered afresh and as at
filing (stage documents already rendered in the background). Wall and CPU
time are both printed: CPU time shows the cost when other work loads the
machine. Prints the figures and writes them to
benchmarks/results/documents.txt. Targets (issue 5): filing notice <= 100 ms
median, whole package <= 1 s, each PDF <= 200 KB with every font embedded and
subset.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_catalogs", verbosity=0)


def _timed_cpu(function, runs: int) -> tuple[float, float, object]:
    """Median wall time, median CPU time of this process, last result. The CPU
    time shows what the work costs when other processes load the machine."""
    times, cpu_times, result = [], [], None
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return statistics.median(times), statistics.median(cpu_times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        _setup(folder)
        from documents.kinds import DocumentKind
        from documents.rendering import render_pdf
        from documents.services import document_builder
        from reviews.services.filing import PACKAGE_DOCUMENTS, package_bytes
        from tests.documents.pdf import fonts_of, read_pdf
        from tests.flows import taian_case_at

        flow = taian_case_at("filed")
        case = flow.reload()
        actor = flow.staff.inspector
        template, builder = document_builder(DocumentKind.FILING_NOTICE)
        render_pdf(template, builder(case))  # warm: fonts, templates, caches

        notice_wall, notice_cpu, _ = _timed_cpu(lambda: render_pdf(template, builder(case)), runs)
        # Every document rendered afresh; then as at filing, when the stage
        # documents were rendered in the background as their stages ended and
        # only what changed since (the filing and publication notices) is.
        package_runs = max(5, runs // 3)
        cold_wall, cold_cpu, _ = _timed_cpu(
            lambda: package_bytes(case=case, actor=actor, version=1, reuse=False), package_runs
        )
        filing_wall, filing_cpu, (content, manifest) = _timed_cpu(
            lambda: package_bytes(case=case, actor=actor, version=1), package_runs
        )
        documents = []
        for kind in PACKAGE_DOCUMENTS:
            template, builder = document_builder(kind)
            try:
                context = builder(case)
            except ValueError:
                continue
            wall, cpu, pdf = _timed_cpu(lambda t=template, c=context: render_pdf(t, c), 5)
            fonts = fonts_of(read_pdf(pdf.content))
            ok = all(f.embedded and f.subset for f in fonts)
            documents.append(
                f"  {kind.label:<14} {pdf.page_count:2d} pp  {len(pdf.content) / 1024:6.1f} KB  "
                f"{wall * 1000:6.1f} ms  {cpu * 1000:6.1f} ms CPU  "
                f"fonts {'embedded+subset' if ok else 'NOT SUBSET'}"
            )
        lines = [
            "Official documents: WeasyPrint, warm process, median of timed runs",
            f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
            f"python: {platform.python_version()}, machine: {platform.machine()}, "
            f"nproc {os.cpu_count()}, load average (1 min) at the end: {os.getloadavg()[0]:.2f}",
            "",
            "                                 median wall   median CPU",
            f"filing notice alone             {notice_wall * 1000:7.1f} ms  "
            f"{notice_cpu * 1000:7.1f} ms   (target <= 100 ms)",
            f"whole package, all rendered     {cold_wall * 1000:7.1f} ms  "
            f"{cold_cpu * 1000:7.1f} ms   (target <= 1000 ms)",
            f"whole package, as at filing     {filing_wall * 1000:7.1f} ms  "
            f"{filing_cpu * 1000:7.1f} ms   (stage documents already rendered)",
            f"package: {len(manifest['files'])} files, {len(content) / 1024:.0f} KB zipped",
            "",
            "each document (target <= 200 KB, fonts embedded and subset):",
            *documents,
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    results = ROOT / "benchmarks" / "results" / "documents.txt"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text)


if __name__ == "__main__":
    main()
