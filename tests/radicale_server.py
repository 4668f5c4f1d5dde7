"""A real Radicale CalDAV server for tests, and a plain-HTTP client to talk to it.

`running_radicale(folder)` starts `python -m radicale` on a free loopback port
with its storage in `folder`, one user (`ritual`, password `sesame-for-tests`, from a plain
htpasswd file: `ritual sync` is tested logging in, and failing to), each user
owning the collections under their own path, no web interface, and stops it on
exit. It logs every request (level info): `requests_since()` counts them. tests/conftest.py starts one per test session (`radicale` fixture):
a start costs about a second, a calendar collection a few milliseconds, so each
test makes its own collection with `new_calendar()`.

The client is deliberately plain HTTP (urllib, xml.etree): the tests check
what the server stores and expands, not what a CalDAV library makes of it.

Radicale reads calendars with vobject, which keeps the first VTIMEZONE it reads
for a TZID for the rest of the process (for every user and collection). Tests
that send different VTIMEZONEs under one TZID to the same server therefore see
the first one; ritual's are open-ended yearly rules, so for a zone whose rules
do not change that is the same zone.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import icalendar

USER = "ritual"
PASSWORD = "sesame-for-tests"
_DAV = "DAV:"
_CALDAV = "urn:ietf:params:xml:ns:caldav"
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 10.0

_CONFIG = """\
[server]
hosts = 127.0.0.1:{port}
{tls}
[auth]
type = htpasswd
htpasswd_filename = {users}
htpasswd_encryption = plain
# A wrong password is answered at once (the default waits a second).
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = {storage}

[web]
type = none

[logging]
level = {level}
mask_passwords = True
"""


class Response(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes


class Instance(NamedTuple):
    """One instance of the server's `<C:expand>` answer."""

    uid: str
    start: dt.datetime  # aware, UTC (RFC 4791 §9.6.5: expanded instances are in UTC)
    end: dt.datetime
    summary: str
    status: str  # "" when the instance has no STATUS


class Radicale:
    """A running server: its base URL and the requests the tests need."""

    def __init__(
        self, base: str, process: subprocess.Popen[bytes], log: Path, cafile: Path | None = None
    ) -> None:
        self.base = base
        self.process = process
        self.log = log
        self.cafile = cafile  # over https: the certificate it serves, the only one trusted
        self._tls = ssl.create_default_context(cafile=str(cafile)) if cafile else None
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        self._auth = f"Basic {token}"

    def request(
        self, method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Response:
        req = urllib.request.Request(url, data=body or None, method=method)
        req.add_header("Authorization", self._auth)
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=30, context=self._tls) as answer:
                return Response(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, dict(exc.headers.items()), exc.read())

    def new_calendar(self, name: str | None = None) -> str:
        """Create a calendar collection (MKCALENDAR) and return its URL, ending in '/'."""
        url = f"{self.base}/{USER}/{name or uuid.uuid4().hex}/"
        answer = self.request("MKCALENDAR", url)
        if answer.status != 201:
            raise RuntimeError(f"MKCALENDAR {url}: {answer.status} {answer.body[:500]!r}\n{self.tail()}")
        return url

    def put(self, calendar: str, name: str, data: bytes) -> str:
        """PUT one calendar object resource; return its ETag."""
        url = calendar + urllib.parse.quote(name)
        answer = self.request("PUT", url, data, {"Content-Type": "text/calendar; charset=utf-8"})
        if answer.status not in (201, 204):
            raise RuntimeError(f"PUT {url}: {answer.status} {answer.body[:500]!r}\n{self.tail()}")
        return answer.headers.get("ETag", "")

    def get(self, calendar: str, name: str) -> bytes:
        answer = self.request("GET", calendar + urllib.parse.quote(name))
        if answer.status != 200:
            raise RuntimeError(f"GET {calendar}{name}: {answer.status}")
        return answer.body

    def expand(self, calendar: str, start: dt.datetime, end: dt.datetime) -> list[Instance]:
        """The server's own expansion of every event in [start, end): a calendar-query
        REPORT with `<C:expand>` (RFC 4791 §9.6.5), sorted by start then UID."""
        span = f'start="{_utc(start)}" end="{_utc(end)}"'
        body = f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data><C:expand {span}/></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range {span}/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>""".encode()
        headers = {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
        answer = self.request("REPORT", calendar, body, headers)
        if answer.status != 207:
            raise RuntimeError(f"REPORT {calendar}: {answer.status} {answer.body[:500]!r}\n{self.tail()}")
        found: list[Instance] = []
        for data in ET.fromstring(answer.body).iter(f"{{{_CALDAV}}}calendar-data"):
            if not (data.text or "").strip():
                continue
            for event in icalendar.Calendar.from_ical(data.text).walk("VEVENT"):
                found.append(_instance(event))
        return sorted(found, key=lambda i: (i.start, i.uid))

    def log_mark(self) -> int:
        """Where the log ends now: ``requests_since(mark)`` lists what came after."""
        return self.log.stat().st_size

    def requests_since(self, mark: int) -> list[tuple[str, str]]:
        """(method, path) of every request the server received after ``mark``, from its log.

        Radicale logs a request as it receives it, before it answers: once a client
        has its answer, the line is in the file."""
        with self.log.open("rb") as fh:
            fh.seek(mark)
            text = fh.read().decode("utf-8", errors="replace")
        return [(m[1], m[2]) for m in _REQUEST_LINE.finditer(text)]

    def tail(self, lines: int = 40) -> str:
        """The end of the server's log, for a failure message."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "--- radicale log\n" + "\n".join(text.splitlines()[-lines:])


_REQUEST_LINE = re.compile(r"\] ([A-Z]+) request for '([^']*)'")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _instance(event: icalendar.Event) -> Instance:
    start = event["DTSTART"].dt
    if "DTEND" in event:
        end = event["DTEND"].dt
    elif "DURATION" in event:
        end = start + event["DURATION"].dt
    else:
        end = start
    return Instance(
        uid=str(event["UID"]),
        start=start.astimezone(dt.UTC),
        end=end.astimezone(dt.UTC),
        summary=str(event.get("SUMMARY", "")),
        status=str(event.get("STATUS", "")),
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (two days), and its key:
    ``(cert.pem, key.pem)`` in ``folder``, made by the ``openssl`` program.

    Without ``openssl`` this raises (the tests that need it fail, they are not
    skipped): install it (Debian: ``apt-get install openssl``)."""
    program = shutil.which("openssl")
    if program is None:
        raise RuntimeError(
            "the https tests need the openssl program to make a self-signed certificate, "
            "and it is not on PATH: install it (Debian/Ubuntu: apt-get install openssl)"
        )
    cert, key = folder / "cert.pem", folder / "key.pem"
    done = subprocess.run(
        [program, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"openssl req failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return cert, key


def _start(folder: Path, attempt: int, tls: tuple[Path, Path] | None) -> Radicale | None:
    """Start a server (over https with ``tls``: certificate and key); None if the port
    was taken meanwhile (try another)."""
    port = _free_port()
    config = folder / f"config-{attempt}"
    log = folder / f"radicale-{attempt}.log"
    level = os.environ.get("RITUAL_RADICALE_LOG", "info")
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    config.write_text(
        _CONFIG.format(
            port=port,
            storage=folder / "collections",
            level=level,
            users=users,
            tls=f"ssl = True\ncertificate = {tls[0]}\nkey = {tls[1]}\n" if tls else "",
        ),
        encoding="utf-8",
    )
    # HOME points into the folder so no user or system configuration is read
    # besides ours (-C replaces the default configuration paths).
    env = {**os.environ, "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / ".config")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "-C", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
        )
    scheme = "https" if tls else "http"
    server = Radicale(f"{scheme}://127.0.0.1:{port}", process, log, tls[0] if tls else None)
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if "Address already in use" in log.read_text(errors="replace"):
                return None
            raise RuntimeError(f"radicale exited with {process.returncode}\n{server.tail()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pass
        except OSError:
            time.sleep(0.05)
            continue
        answer = server.request("OPTIONS", server.base + "/")
        if answer.status < 500:
            return server
    _stop(process)
    raise RuntimeError(f"radicale did not answer on port {port} within {_START_TIMEOUT:g} s\n{server.tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(_STOP_TIMEOUT)


@contextlib.contextmanager
def running_radicale(folder: Path, *, tls: bool = False) -> Iterator[Radicale]:
    """A Radicale server on loopback with its storage in ``folder``; stopped on exit.

    ``tls``: over https, with a self-signed certificate made for it (``server.cafile``)."""
    folder.mkdir(parents=True, exist_ok=True)
    pair = self_signed_certificate(folder) if tls else None
    for attempt in range(5):
        server = _start(folder, attempt, pair)
        if server is not None:
            break
    else:
        raise RuntimeError("radicale: no free loopback port after 5 attempts")
    try:
        yield server
    finally:
        _stop(server.process)
