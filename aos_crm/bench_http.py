"""What `manage.py bench_pages` needs to measure pages as a browser sees them: the app served by
gunicorn on loopback (a subprocess, production settings) and a minimal browser (cookies, CSRF
token, htmx header) on the standard library's HTTP client.

Why not locust or requests: locust patches the whole process with gevent when imported (this
process also holds the database connection the benchmark prepares and cleans up with), and both
would add packages for what one `http.client` connection per request does. Gunicorn's sync workers
close the connection after every response, so a browser would reconnect each time too; the
timings include that connect, for the floor and the pages alike."""

from __future__ import annotations

import http.client
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float  # from sending the request to the last byte of the body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def kb(self) -> float:
        return len(self.body) / 1024


class Browser:
    """One associate's browser tab: keeps the cookies the server sets and the CSRF token of the
    last page that had one, and sends what htmx sends (`HX-Request`, `X-CSRFToken`). Secure
    cookies are sent back over plain HTTP: loopback stands in for the TLS a proxy would end."""

    def __init__(self, port: int, *, timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""

    def get(self, path: str, *, params: dict | None = None, htmx: bool = False) -> Response:
        if params:
            path = f"{path}?{urlencode(params)}"
        return self.request("GET", path, htmx=htmx)

    def post(self, path: str, data: dict, *, htmx: bool = True) -> Response:
        return self.request("POST", path, data=data, htmx=htmx)

    def request(self, method: str, path: str, *, data: dict | None = None, htmx: bool = False) -> Response:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "aos-crm-bench-pages", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if method == "POST":
            body = urlencode(data or {}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
            if self.csrf_token:
                headers["X-CSRFToken"] = self.csrf_token
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            ms = (time.perf_counter() - started) * 1000
        finally:
            connection.close()
        self._keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        return Response(answer.status, answer.headers, content, ms)

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database this process uses (under pytest, the test database)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or HOST
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


class Server:
    """The app under gunicorn as `make serve-production` runs it (sync workers, recycled after
    MAX_REQUESTS + jitter), with DEBUG off, a throwaway secret key, the static files collected to a
    temporary folder and the floor view on. `start()` returns once it answers; `stop()` ends it and
    removes the folder. Its error log is kept there meanwhile (`log_tail()`)."""

    def __init__(self, *, database_url: str, workers: int = 2, port: int | None = None):
        self.port = port or free_port()
        self.workers = workers
        self.folder = Path(tempfile.mkdtemp(prefix="aos-bench-pages-"))
        self.log = self.folder / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "aos_crm.settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": HOST,
            # Plain HTTP on loopback: no redirect to HTTPS (a proxy would end TLS in production).
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": str(self.folder / "static"),
            "BENCH_FLOOR_VIEW": "true",
        }
        # The pages measured never read the replica; a test's replica URL names another database.
        self.env.pop("DATABASE_REPLICA_URL", None)
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "aos_crm.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--worker-class",
            "sync",
            "--workers",
            str(workers),
            "--max-requests",
            os.environ.get("MAX_REQUESTS", "500"),
            "--max-requests-jitter",
            os.environ.get("MAX_REQUESTS_JITTER", "50"),
            "--error-logfile",
            str(self.log),
        ]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        collect = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if collect.returncode != 0:
            self._remove_folder()
            raise RuntimeError(f"collectstatic failed: {collect.stderr[-2000:]}")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            self.command, cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            self._wait_until_answering(timeout=60)
        except BaseException:
            self.stop()
            raise

    def _wait_until_answering(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if Browser(self.port, timeout=5).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on port {self.port} within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: master and workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self._remove_folder()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no gunicorn log)"

    def _remove_folder(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers of a master process (Linux /proc; empty elsewhere)."""
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB, from /proc (None when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95: `fraction=0.95`)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]
