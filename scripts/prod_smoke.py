"""The production smoke test: Jinzhi started as it runs in production, checked
over real HTTP.

    DATABASE_URL=postgres://.../jinzhi_smoke REDIS_URL=redis://127.0.0.1:6379/3 \
        .venv/bin/python scripts/prod_smoke.py

What it does, in the order of the README's "Deploying" section:
- prepares with DEBUG=false: collectstatic (manifest storage), migrate,
  load_catalogs, `check --deploy`, and seed_demo for the accounts;
- starts two gunicorn instances on two free loopback ports (two "nodes")
  over the same PostgreSQL, Redis and media directory, a Celery worker and
  Celery beat;
- logs in as each role and opens every page of that role's navigation, each
  page through the other node than the one before; every page must answer
  200 and link its stylesheets, which must be served;
- registers a case through the intake form on node A with an evidence file,
  moves it one stage, reads the case and downloads the evidence through node
  B, waits for the worker to render the intake form and downloads its PDF;
- downloads a filing package as the discipline liaison.
Any 5xx, a page without its stylesheet, a document that never renders or a
process that dies fails it (exit 1, with the servers' logs). The database
should be a fresh one: the demo data is seeded into it.
"""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEMO_PASSWORD = "jinzhi-demo-2026"  # noqa: S105 - accounts.demo.DEMO_PASSWORD
# One demo account per role (accounts/demo.py).
ROLE_ACCOUNTS = (
    "ta_inspector",
    "ta_investigator",
    "ta_expert",
    "ta_leader",
    "ta_chair",
    "ta_liaison",
    "ta_admin",
    "ta_personnel",
)
DOCUMENT_TIMEOUT = 90
PDF_MAGIC = b"%PDF-"
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + uuid.uuid4().hex.encode()


class SmokeFailure(Exception):
    pass


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[smoke {time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the production environment ----------------------------------------------------------------


def production_env(media_root: Path, static_root: Path) -> dict:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis"):
        raise SmokeFailure("set DATABASE_URL (PostgreSQL) and REDIS_URL (Redis) for the smoke")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "DJANGO_READ_DOT_ENV": "false",  # no developer .env: only what production has
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
        # TLS ends at the proxy in front of gunicorn; the smoke plays the proxy
        # by sending X-Forwarded-Proto: https, so the secure settings stay on.
        "SECURE_SSL_REDIRECT": "true",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SmokeFailure(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n"
            f"{result.stderr}"
        )
    return result.stdout


class Processes:
    """The servers, each logging to a file; all stopped at the end."""

    def __init__(self, env: dict, log_dir: Path):
        self.env, self.log_dir, self.running = env, log_dir, []

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log_file = (self.log_dir / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append((name, process))
        return process

    def check_alive(self) -> None:
        for name, process in self.running:
            if process.poll() is not None:
                raise SmokeFailure(f"{name} exited with {process.returncode}")

    def stop(self) -> None:
        for _, process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def dump_logs(self) -> None:
        for name, _ in self.running:
            text = (self.log_dir / f"{name}.log").read_text(errors="replace")
            print(f"----- {name} (last 60 lines) -----\n" + "\n".join(text.splitlines()[-60:]))


# --- an HTTP client as a browser behind the TLS proxy ------------------------------------------


class Response:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept by hand: they are Secure (DEBUG=false), which urllib's
    cookie jar would not send over the loopback's plain HTTP."""

    opener = urllib.request.build_opener(NoRedirect)

    def __init__(self, name: str):
        self.name, self.cookies = name, {}

    def request(self, node: str, path: str, data: bytes | None = None, headers=None) -> Response:
        url = node + path
        origin = "https://" + urllib.parse.urlsplit(node).netloc
        headers = {
            "X-Forwarded-Proto": "https",
            "Accept-Language": "zh-CN",
            "Origin": origin,
            "Referer": origin + path,
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as answer:
                response = Response(answer.status, answer.headers, answer.read(), url)
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read(), url)
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        if response.status >= 500:
            raise SmokeFailure(f"{self.name}: {url} answered {response.status}")
        return response

    def get(self, node: str, path: str, expect: int = 200) -> Response:
        response = self.request(node, path)
        for _ in range(5):  # follow redirects within the node, as a browser would
            location = response.headers.get("Location", "")
            if response.status not in (301, 302) or not location.startswith("/"):
                break
            if location.startswith("/accounts/login/") and self.cookies.get("sessionid"):
                raise SmokeFailure(f"{self.name}: {node}{path} sent a logged-in user to log in")
            response = self.request(node, location)
        if response.status != expect:
            raise SmokeFailure(
                f"{self.name}: GET {node}{path} answered {response.status}, not {expect}"
            )
        return response

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def post(self, node: str, path: str, fields: dict, files: dict | None = None) -> Response:
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        response = self.request(node, path, body, {"Content-Type": content_type})
        if response.status not in (200, 302):
            raise SmokeFailure(
                f"{self.name}: POST {node}{path} answered {response.status}:\n"
                f"{response.text[:2000]}"
            )
        return response


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- the checks ------------------------------------------------------------------------------


STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
served_stylesheets: set[str] = set()


def check_page(browser: Browser, node: str, page: Response) -> None:
    """A full page links the hashed (manifest) stylesheets, and they are served."""
    sheets = STYLESHEET.findall(page.text)
    if not sheets:
        raise SmokeFailure(f"{page.url}: the page links no stylesheet")
    admin = urllib.parse.urlsplit(page.url).path.startswith("/admin/")
    if not admin and not any("bootstrap" in href for href in sheets):
        raise SmokeFailure(f"{page.url}: the page links no Bootstrap stylesheet")
    for href in sheets:
        if not re.search(r"\.[0-9a-f]{12}\.css$", href):
            raise SmokeFailure(f"{page.url}: stylesheet {href} is not from the manifest")
        if href not in served_stylesheets:
            sheet = browser.get(node, href)
            if "text/css" not in sheet.headers.get("Content-Type", "") or not sheet.body:
                raise SmokeFailure(f"{href} is not served as CSS")
            served_stylesheets.add(href)


def login(browser: Browser, node: str, username: str) -> None:
    browser.get(node, "/accounts/login/")
    answer = browser.post(
        node, "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
    )
    if answer.status != 302:
        raise SmokeFailure(f"{username} could not log in through {node}")


def nav_links(page: Response) -> list[str]:
    # The administrators (三员分立) land on the Django admin, which has no
    # navigation bar of ours: their home page is their one page here.
    if "<nav" not in page.text:
        return []
    nav = page.text.split("<nav", 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="(/[^"#]*)"', nav)
    return [link for link in dict.fromkeys(links) if not link.startswith("/static/")]


def visit_role_pages(nodes: list[str]) -> int:
    visited = 0
    for index, username in enumerate(ROLE_ACCOUNTS):
        browser = Browser(username)
        login(browser, nodes[index % 2], username)
        home = browser.get(nodes[(index + 1) % 2], "/")
        check_page(browser, nodes[(index + 1) % 2], home)
        for number, link in enumerate(nav_links(home)):
            node = nodes[number % 2]
            check_page(browser, node, browser.get(node, link))
            visited += 1
        log(f"{username}: home and {len(nav_links(home))} navigation pages answered 200")
    return visited


def select_options(html: str, name: str) -> list[str]:
    match = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    if not match:
        raise SmokeFailure(f"no <select name={name}> on the page")
    return [value for value in re.findall(r'<option value="([^"]+)"', match.group(1)) if value]


def register_case(browser: Browser, node: str) -> str:
    """The intake wizard, as the inspector fills it in; returns the case's path."""
    start = browser.get(node, "/cases/new/")
    check_page(browser, node, start)
    unit = select_options(start.text, "unit")[0]
    incident = {
        "unit": unit,
        "incident_date": "2026-03-05",
        "incident_place": "泰安市泰山区",
        "field": "food",
        "activity_kind": "inspection",
        "lead_source": "complaint",
        "incident_summary": "生产环境冒烟测试：某食品经营者被举报销售过期食品，执法人员检查时未发现。",
        "action": "next",
    }
    officers_path = browser.post(node, "/cases/new/", incident).headers["Location"]
    officers_page = browser.get(node, officers_path)
    officer = select_options(officers_page.text, "officers-0-officer")[0]
    allegation_path = browser.post(
        node,
        officers_path,
        {
            "officers-TOTAL_FORMS": "1",
            "officers-INITIAL_FORMS": "0",
            "officers-MIN_NUM_FORMS": "1",
            "officers-MAX_NUM_FORMS": "10",
            "officers-0-officer": officer,
            "officers-0-part": "handler",
            "action": "next",
        },
    ).headers["Location"]
    evidence_path = browser.post(
        node,
        allegation_path,
        {"allegation": "执法人员未能发现过期食品，涉嫌未履行监督检查职责。", "action": "next"},
    ).headers.get("Location")
    if not evidence_path or not evidence_path.endswith("/evidence/"):
        raise SmokeFailure(
            f"the allegation step did not lead to the evidence step: {evidence_path}"
        )
    uploaded = browser.post(
        node,
        evidence_path,
        {"action": "upload", "description": "检查记录"},
        {"file": ("检查记录.pdf", EVIDENCE, "application/pdf")},
    )
    if uploaded.status != 302:
        raise SmokeFailure(f"the evidence upload was refused:\n{uploaded.text[:2000]}")
    review_path = browser.post(node, evidence_path, {"action": "next"}).headers["Location"]
    check_page(browser, node, browser.get(node, review_path))
    case_path = browser.post(node, review_path, {"action": "submit"}).headers["Location"]
    if not re.fullmatch(r"/cases/\d+/", case_path):
        raise SmokeFailure(f"submitting the intake did not open the case: {case_path}")
    return case_path


def move_one_stage(browsers: list[Browser], node: str, case_path: str) -> str:
    """The first forward move that one of these users may make now (the
    inspector, else the investigator): withdrawing is no progress."""
    form = re.compile(
        rf'<form method="post" action="({re.escape(case_path)}move/(\w+)/)"(.*?)</form>', re.S
    )
    for browser in browsers:
        page = browser.get(node, case_path)
        for action, name, body in form.findall(page.text):
            if name == "withdraw" or " disabled" in body:
                continue
            moved = browser.post(node, action, {})
            after = browser.get(node, case_path).text
            if moved.status != 302 or f"move/{name}/" in after:
                raise SmokeFailure(f"moving {case_path} by {name} did not happen")
            return f"{name}, by {browser.name}"
    raise SmokeFailure(f"{case_path}: nobody may move the registered case forward")


def wait_for_document(browser: Browser, node: str, case_path: str, processes) -> bytes:
    deadline = time.monotonic() + DOCUMENT_TIMEOUT
    while time.monotonic() < deadline:
        processes.check_alive()
        panel = browser.get(node, case_path + "documents/").text
        if "status-failed" in panel:
            raise SmokeFailure(f"{case_path}: a document failed to render")
        links = re.findall(rf'href="({re.escape(case_path)}documents/\d+/download/)"', panel)
        if links:
            pdf = browser.get(node, links[0]).body
            if not pdf.startswith(PDF_MAGIC):
                raise SmokeFailure(f"{links[0]} is not a PDF")
            return pdf
        time.sleep(0.5)
    raise SmokeFailure(f"{case_path}: no document rendered within {DOCUMENT_TIMEOUT}s")


def check_other_node(browser: Browser, node: str, case_path: str) -> None:
    """The case and its evidence file, registered on one node, from the other."""
    page = browser.get(node, case_path)
    check_page(browser, node, page)
    evidence = re.findall(rf'href="({re.escape(case_path)}evidence/\d+/download/)[^"]*"', page.text)
    if not evidence:
        raise SmokeFailure(f"{node}{case_path}: the evidence is not listed on the other node")
    if browser.get(node, evidence[0]).body != EVIDENCE:
        raise SmokeFailure(f"{node}{evidence[0]}: not the file uploaded through the other node")


def download_filing_package(nodes: list[str]) -> int:
    browser = Browser("ta_liaison")
    login(browser, nodes[0], "ta_liaison")
    inbox = browser.get(nodes[1], "/filings/")
    check_page(browser, nodes[1], inbox)
    links = re.findall(r'href="(/filings/\d+/download/)"', inbox.text)
    if not links:
        raise SmokeFailure("the liaison's filing inbox lists no package to download")
    package = browser.get(nodes[0], links[0]).body
    if not package.startswith(b"PK"):
        raise SmokeFailure(f"{links[0]} is not a ZIP file")
    return len(package)


def wait_until_up(node: str, processes: Processes, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        try:
            Browser("probe").get(node, "/accounts/login/")
            return
        except (OSError, SmokeFailure):
            time.sleep(0.3)
    raise SmokeFailure(f"{node} did not answer within {timeout}s")


def run(workdir: Path) -> None:
    started = time.monotonic()
    env = production_env(workdir / "media", workdir / "static")
    log("preparing with DEBUG=false: collectstatic, migrate, load_catalogs, seed_demo")
    # collectstatic needs no database: it runs beside the database steps.
    collect = subprocess.Popen(  # noqa: S603 - fixed arguments
        [PYTHON, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    manage(env, "migrate", "--no-input")
    manage(env, "load_catalogs")
    manage(env, "seed_demo")
    output, _ = collect.communicate()
    if collect.returncode != 0:
        raise SmokeFailure(f"manage.py collectstatic exited {collect.returncode}:\n{output}")
    manage(env, "check", "--deploy", "--fail-level", "ERROR")
    log("static files collected, database migrated and seeded, check --deploy passed")

    processes = Processes(env, workdir)
    nodes = []
    try:
        for name in ("web-a", "web-b"):
            port = free_port()
            processes.start(
                name,
                PYTHON, "-m", "gunicorn", "config.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
            )  # fmt: skip
            nodes.append(f"http://127.0.0.1:{port}")
        processes.start(
            "worker",
            PYTHON, "-m", "celery", "-A", "config", "worker",
            "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
        )  # fmt: skip
        processes.start(
            "beat",
            PYTHON, "-m", "celery", "-A", "config", "beat",
            "--loglevel=INFO", f"--schedule={workdir / 'celerybeat-schedule'}",
        )  # fmt: skip
        for node in nodes:
            wait_until_up(node, processes)
        log(f"two web nodes up ({', '.join(nodes)}), worker and beat started")

        pages = visit_role_pages(nodes)
        log(f"{len(ROLE_ACCOUNTS)} roles, {pages} navigation pages, all with their stylesheets")

        inspector = Browser("ta_inspector")
        login(inspector, nodes[0], "ta_inspector")
        case_path = register_case(inspector, nodes[0])
        log(f"registered {case_path} through {nodes[0]} with an evidence upload")
        investigator = Browser("ta_investigator")
        login(investigator, nodes[1], "ta_investigator")
        move = move_one_stage([inspector, investigator], nodes[0], case_path)
        log(f"moved {case_path} one stage ({move})")
        check_other_node(inspector, nodes[1], case_path)
        log(f"the case and its evidence file are served by {nodes[1]}")
        pdf = wait_for_document(inspector, nodes[1], case_path, processes)
        log(f"the worker rendered the intake form: {len(pdf)} bytes of PDF")
        size = download_filing_package(nodes)
        log(f"the liaison downloaded a filing package: {size} bytes")
        processes.check_alive()
    except BaseException:
        processes.stop()
        processes.dump_logs()
        raise
    processes.stop()
    log(f"passed in {time.monotonic() - started:.0f}s")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="jinzhi-smoke-") as workdir:
        try:
            run(Path(workdir))
        except SmokeFailure as failure:
            print(f"[smoke] FAILED: {failure}", file=sys.stderr, flush=True)
            print("smoke: 0 passed, 1 failed", flush=True)
            return 1
    print("smoke: 1 passed, 0 failed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
