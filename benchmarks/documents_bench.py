"""Document rendering speed and size, on a realistic filed Tai'an case.

    python benchmarks/documents_bench.py [--runs 15]

Builds a throw-away SQLite database in a temporary folder (migrations, the
catalogues, a case taken through every stage by the services), warms the
process up, then times: the filing notice alone (median of the runs), every
document of the filing package, and the whole package (every PDF, evidence,
manifest and case.json). Prints the figures and writes them to
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


def _timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


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
        template, builder = document_builder(DocumentKind.FILING_NOTICE)
        render_pdf(template, builder(case))  # warm: fonts, templates, caches

        notice_median, _ = _timed(lambda: render_pdf(template, builder(case)), runs)
        package_median, (content, manifest) = _timed(
            lambda: package_bytes(case=case, actor=flow.staff.inspector, version=1),
            max(3, runs // 3),
        )
        lines = [
            "Official documents: WeasyPrint, warm process, median of timed runs",
            f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
            f"python: {platform.python_version()}, machine: {platform.machine()}, "
            f"nproc {os.cpu_count()}",
            "",
            f"filing notice alone      median {notice_median * 1000:7.1f} ms   (target <= 100 ms)",
            f"whole filing package     median {package_median * 1000:7.1f} ms   (target <= 1000 ms)",
            f"package: {len(manifest['files'])} files, {len(content) / 1024:.0f} KB zipped",
            "",
            "each document (target <= 200 KB, fonts embedded and subset):",
        ]
        for kind in PACKAGE_DOCUMENTS:
            template, builder = document_builder(kind)
            try:
                context = builder(case)
            except ValueError:
                continue
            median, pdf = _timed(lambda t=template, c=context: render_pdf(t, c), 3)
            fonts = fonts_of(read_pdf(pdf.content))
            ok = all(f.embedded and f.subset for f in fonts)
            lines.append(
                f"  {kind.label:<14} {pdf.page_count:2d} pp  {len(pdf.content) / 1024:6.1f} KB  "
                f"{median * 1000:6.1f} ms  fonts {'embedded+subset' if ok else 'NOT SUBSET'}"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    results = ROOT / "benchmarks" / "results" / "documents.txt"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text)


if __name__ == "__main__":
    main()
