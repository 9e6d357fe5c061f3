"""What signing costs (issue 17), on a realistic filed Tai'an case.

    python benchmarks/signing_bench.py [--runs 15]

In a throw-away SQLite database and a throw-away demo PKI (ECDSA P-256, as
make_demo_pki makes), a case is taken through every stage with signing
configured, so its stage documents are signed as they are issued. Then,
after a warm-up, it times (median of the runs, wall and CPU; CPU shows the
cost when other work loads the machine): the PAdES signature of each
document of the package (an incremental update of its PDF/A), the manifest's
detached CMS signature, the whole package as at filing (notice and evidence
catalogue rendered and signed, stage documents taken as issued, manifest
signed), and the receiver's verification of that package. Writes
benchmarks/results/signing.txt. Targets: signing adds <= 30 ms per document;
the package as at filing <= 300 ms.
"""

import argparse
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


def measure(runs: int, folder: str) -> list[str]:
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

    from documents import pki
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
    package = _timed(lambda: package_bytes(case=case, actor=actor, version=1), max(5, runs // 3))
    content = package[2][0]
    from django.conf import settings

    signing_dir, settings.JINZHI_SIGNING_DIR = settings.JINZHI_SIGNING_DIR, ""
    unsigned = _timed(lambda: package_bytes(case=case, actor=actor, version=1), max(5, runs // 3))
    settings.JINZHI_SIGNING_DIR = signing_dir
    verify = _timed(lambda: package_verify(content), max(5, runs // 3))
    assert verify[2].ok, verify[2]
    return [
        *lines,
        f"  median signature of a document: cpu {statistics.median(sign_cpus):.1f} ms "
        f"(max {max(sign_cpus):.1f} ms; target <= 30 ms)",
        f"  manifest CMS signature: wall {cms[0]:.1f} ms  cpu {cms[1]:.1f} ms",
        f"  package as at filing (signed): wall {package[0]:.1f} ms  cpu {package[1]:.1f} ms "
        f"(target <= 300 ms); {len(content) // 1024} KB, {len(manifest['files'])} files",
        f"  the same package unsigned (JINZHI_SIGNING_DIR empty): wall {unsigned[0]:.1f} ms  "
        f"cpu {unsigned[1]:.1f} ms",
        f"  verification of that package: wall {verify[0]:.1f} ms  cpu {verify[1]:.1f} ms "
        f"({len(verify[2].documents)} document signatures)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        lines = measure(args.runs, folder)
    header = [
        f"signing_bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}, "
        f"{args.runs} runs, medians",
    ]
    text = "\n".join(header + lines) + "\n"
    print(text, end="")
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
