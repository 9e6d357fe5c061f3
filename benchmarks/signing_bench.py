"""What signing costs (issue 17), on a realistic filed Tai'an case.

    python benchmarks/signing_bench.py [--runs 15] [--rounds 12]

In a throw-away SQLite database and a throw-away demo PKI (ECDSA P-256, as
make_demo_pki makes), a case is taken through every stage with signing
configured, so its stage documents are signed as they are issued (the
publication notice of the decided scope and the evidence catalogue with the
decision). Then, after a warm-up, it times (median of the runs, wall and
process CPU time; CPU is what to read when other work loads the machine):
the PAdES signature of each document of the package (an incremental update of
its PDF/A), the manifest's detached CMS signature, the whole package as at
filing (the notice rendered and signed, every other document taken as issued,
case.json, the manifest signed), the same unsigned, and the receiver's
verification of that package. It counts the PDFs the package renders (a spy
on the renderer).

The package is also timed A/B against the way it was built before (`before`:
the publication notice and the evidence catalogue rendered and signed for the
package, every file deflated, case.json read through the case page's
selector), interleaved: each round times both, in alternating order, so load
from other processes falls on both alike; the paired differences are
reported too. Writes benchmarks/results/signing.txt. Targets: signing adds
<= 30 ms per document; the package as at filing <= 300 ms.
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "signing.txt"


def _timed(function, runs: int):
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, result


@contextlib.contextmanager
def _built_as(label: str):
    """`before`: the package built as it was before the publication notice and
    the evidence catalogue were issued with the decision (both rendered and
    signed for the package), with every file deflated and case.json read
    through the case page's selector; `after`: as it is."""
    if label == "after":
        yield
        return
    import zipfile

    from cases.selectors import case_detail
    from documents import services
    from documents.kinds import DocumentKind
    from filing import export
    from filing.services import filing

    # Not issued before: neither found as issued nor as rendered from the same inputs.
    not_issued = {DocumentKind.PUBLICATION_NOTICE, DocumentKind.EVIDENCE_CATALOGUE}
    issued_pdf, rendered_with = filing.document_issued_pdf, services._rendered_with
    saved = issued_pdf, rendered_with, filing._compress_type, export._case_for_export
    filing.document_issued_pdf = lambda case, kind, **options: (
        None if kind in not_issued else issued_pdf(case, kind, **options)
    )
    services._rendered_with = lambda case, kind, options, input_hash: (
        None if kind in not_issued else rendered_with(case, kind, options, input_hash)
    )
    filing._compress_type = lambda name: zipfile.ZIP_DEFLATED
    export._case_for_export = case_detail
    try:
        yield
    finally:
        (
            filing.document_issued_pdf,
            services._rendered_with,
            filing._compress_type,
            export._case_for_export,
        ) = saved


def measure(runs: int, rounds: int, folder: str) -> list[str]:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    os.environ["JINZHI_SIGNING_DIR"] = f"{folder}/pki/units"
    os.environ["JINZHI_TRUST_ANCHORS"] = f"{folder}/pki/demo-root.pem"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_catalogs", verbosity=0)

    from documents import pki, services
    from documents.archival import ArchivalMetadata
    from documents.package import package_items
    from documents.rendering import html_to_pdf, render_html
    from documents.services import document_builder
    from documents.signing import data_sign, pdf_sign
    from documents.verification import package_verify
    from filing.services.filing import package_bytes
    from tests.flows import taian_case_at, unit_for

    unit = unit_for("taian")
    root = pki.root_create()
    pki.root_write(Path(folder) / "pki", root)
    credentials = pki.unit_certificate_create(root, unit_name=unit.name)
    pki.unit_credentials_write(
        Path(folder) / "pki" / "units" / unit.abbreviation, root, credentials
    )

    flow = taian_case_at("filed", unit=unit)
    case = flow.reload()
    actor = flow.staff.inspector

    lines = []
    sign_cpus = []
    for item in package_items(case):
        template, builder = document_builder(item.kind)
        context = builder(case, **item.options)
        pdf = html_to_pdf(render_html(template, context), ArchivalMetadata.from_context(context))
        for _ in range(3):  # warm: keys, pyHanko's imports
            pdf_sign(pdf.content, unit=case.unit)
        wall, cpu, signed = _timed(lambda c=pdf.content: pdf_sign(c, unit=case.unit), runs)
        sign_cpus.append(cpu)
        lines.append(
            f"  sign {item.title:<14} {len(pdf.content) // 1024:>4} KB -> "
            f"{len(signed) // 1024:>4} KB  wall {wall:6.1f} ms  cpu {cpu:6.1f} ms"
        )
    _, _, (content, manifest) = _timed(lambda: package_bytes(case=case, actor=actor, version=1), 2)
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    cms = _timed(lambda: data_sign(manifest_bytes, unit=case.unit), runs)

    def build():
        return package_bytes(case=case, actor=actor, version=1)

    real_html_to_pdf = services.html_to_pdf

    def renders_of(label: str) -> int:
        """How many PDFs the package renders, built as `label`."""
        renders = []

        def counting_html_to_pdf(html, archival=None):
            renders.append(1)
            return real_html_to_pdf(html, archival)

        services.html_to_pdf = counting_html_to_pdf
        try:
            with _built_as(label):
                build()
        finally:
            services.html_to_pdf = real_html_to_pdf
        return len(renders)

    rendered = {label: renders_of(label) for label in ("before", "after")}

    ab = {"before": [], "after": []}
    for round_ in range(rounds):
        for label in ("before", "after") if round_ % 2 == 0 else ("after", "before"):
            with _built_as(label):
                start = time.process_time()
                build()
                ab[label].append((time.process_time() - start) * 1000)
    paired = [b - a for b, a in zip(ab["before"], ab["after"], strict=True)]
    package = _timed(build, max(5, runs // 3))
    content = package[2][0]
    from django.conf import settings

    signing_dir, settings.JINZHI_SIGNING_DIR = settings.JINZHI_SIGNING_DIR, ""
    unsigned = _timed(build, max(5, runs // 3))
    settings.JINZHI_SIGNING_DIR = signing_dir
    verify = _timed(lambda: package_verify(content), max(5, runs // 3))
    assert verify[2].ok, verify[2]
    lines.append(
        f"  package as at filing, A/B interleaved ({rounds} rounds, process CPU time, medians): "
        f"before {statistics.median(ab['before']):.1f} ms ({rendered['before']} PDFs rendered), "
        f"after {statistics.median(ab['after']):.1f} ms ({rendered['after']} rendered), "
        "paired difference "
        f"{statistics.median(paired):.1f} ms (range {min(paired):.1f} to {max(paired):.1f})"
    )
    return [
        *lines,
        f"  median signature of a document: cpu {statistics.median(sign_cpus):.1f} ms "
        f"(max {max(sign_cpus):.1f} ms; target <= 30 ms)",
        f"  manifest CMS signature: wall {cms[0]:.1f} ms  cpu {cms[1]:.1f} ms",
        f"  package as at filing (signed): wall {package[0]:.1f} ms  cpu {package[1]:.1f} ms "
        f"(target <= 300 ms); {len(content) // 1024} KB, {len(manifest['files'])} files, "
        f"{rendered['after']} PDF rendered",
        f"  the same package unsigned (JINZHI_SIGNING_DIR empty): wall {unsigned[0]:.1f} ms  "
        f"cpu {unsigned[1]:.1f} ms",
        f"  verification of that package: wall {verify[0]:.1f} ms  cpu {verify[1]:.1f} ms "
        f"({len(verify[2].documents)} document signatures)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=12, help="A/B rounds of the package")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        lines = measure(args.runs, args.rounds, folder)
    end = os.getloadavg()
    header = [
        f"signing_bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}, "
        f"at the end {end[0]:.1f}, {args.runs} runs, medians",
    ]
    text = "\n".join(header + lines) + "\n"
    print(text, end="")
    RESULTS.write_text(text + _notes(), encoding="utf-8")


def _notes() -> str:
    """The results file's notes (from a line "Notes" on), kept across runs."""
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    start = previous.find("\nNotes")
    return previous[start:] if start >= 0 else ""


if __name__ == "__main__":
    main()
