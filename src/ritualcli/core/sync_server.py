"""Talking to the CalDAV server: list one calendar's ETags, put and delete resources.

The HTTP goes through the ``caldav`` library's ``DAVClient`` (and the niquests
session it brings): it negotiates Basic or Digest login, keeps the connection
open between requests and verifies TLS. Its higher-level ``save()`` is not used:
by default it rewrites what it is given (``vcal.fix``, SEQUENCE + 1) and, on
some servers, searches for the UID before a PUT; a sync must send the builder's
bytes unchanged, with exactly the ``If-Match`` / ``If-None-Match`` it chose, and
know how many requests it makes (the README promises a number). So each request
here is one ``DAVClient.request``, and a no-change sync is one PROPFIND.

Every failure becomes one ``WorkError`` line naming the calendar's URL (which
never holds credentials: ``checks.calendar_url`` refuses them) and, for a
refused login, the user; never the password. caldav's own log records go
nowhere, and its ``PYTHON_CALDAV_COMMDUMP`` debugging switch (which writes every
request, credentials included, under /tmp) is turned off.

caldav (with lxml and niquests: about 200 ms here) is imported in ``connect`` only: no
other command loads it.

``sync.ca_cert`` (``ca_file``) is given to ``DAVClient(ssl_verify_cert=path)``, which
passes it to niquests as ``verify=path``: then the certificates in that file are the
only ones trusted, *instead of* the system's store (niquests loads it as the
connection's ``ca_certs`` and leaves out the system bundle; ``$REQUESTS_CA_BUNDLE``
is not consulted either). The host name is still checked against the certificate,
and verification is never turned off.
"""

from __future__ import annotations

import os
import ssl
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn
from urllib.parse import unquote, urlsplit

from .errors import UsageError, WorkError, describe
from .preferences import Sync

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

_DAV = "{DAV:}"
_CALDAV = "{urn:ietf:params:xml:ns:caldav}"
_PROPFIND = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getetag/></D:prop></D:propfind>"""
FIND_IT = (
    "sync.url must be a calendar collection's URL: Nextcloud shows it under the calendar's "
    '"..." menu > Copy internal link (CalDAV); see the README\'s "Both phones"'
)


class Changed(Exception):
    """A precondition failed (412): the resource is not the version ritual expected."""


class Refused(WorkError):
    """The server did not accept the login (401) or the user's rights (403)."""

    def __init__(self, message: str, status: int, *, hint: str) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class Server(NamedTuple):
    """One calendar collection on one server, and how ritual logs in there."""

    url: str  # the collection, ending in "/"
    username: str
    client: DAVClient
    counter: list[int]  # requests made, for the report and the benchmark
    ca_file: str = ""  # sync.ca_cert, resolved: the only certificates trusted ("" the system's)

    @property
    def requests(self) -> int:
        return self.counter[0]

    # ----------------------------------------------------------------------- requests

    def etags(self) -> dict[str, str]:
        """The collection's resources, by name, with their ETags (one PROPFIND, Depth 1).

        Fails clearly when the URL is not a calendar collection.
        """
        answer = self._request("PROPFIND", self.url, _PROPFIND, {"Depth": "1"}, "list the calendar")
        if answer.status == 404:
            raise WorkError(f"sync: there is nothing at {self.url} (404)", hint=FIND_IT)
        if answer.status != 207:
            self._fail("list the calendar", answer.status, answer.reason)
        return self._listing(answer.body)

    def put(self, name: str, data: bytes, *, if_match: str | None) -> str:
        """Create (``if_match`` None: only if nothing is there) or replace the version
        ``if_match``; the new ETag ("" when the server keeps it to itself)."""
        condition = _if_match(if_match) if if_match else {"If-None-Match": "*"}
        headers = {"Content-Type": "text/calendar; charset=utf-8", **condition}
        answer = self._request("PUT", self.url + name, data, headers, f"write {name}")
        if answer.status == 412:
            raise Changed(name)
        if answer.status not in (200, 201, 204):
            self._fail(f"write {name}", answer.status, answer.reason, answer.body)
        # A weak ETag is kept as the listing gives it, for comparing (see _if_match).
        return answer.headers.get("etag", "")

    def delete(self, name: str, *, if_match: str) -> None:
        answer = self._request("DELETE", self.url + name, b"", _if_match(if_match), f"remove {name}")
        if answer.status == 412:
            raise Changed(name)
        if answer.status not in (200, 204, 404):  # 404: gone already, as asked
            self._fail(f"remove {name}", answer.status, answer.reason, answer.body)

    # ----------------------------------------------------------------------- plumbing

    def _request(self, method: str, url: str, body: bytes, headers: dict[str, str], doing: str) -> _Answer:
        from caldav.lib import error
        from niquests.exceptions import RequestException

        self.counter[0] += 1
        try:
            # caldav types the body as str; it sends bytes as they are (to_wire).
            response = self.client.request(url, method, body, headers)  # type: ignore[arg-type]
        except error.AuthorizationError as exc:
            if any(p.endswith("}no-uid-conflict") for p in exc.preconditions):
                self._fail(doing, 403, "", b"<D:error xmlns:D='DAV:'><no-uid-conflict/></D:error>")
            self._refused(exc.status or 401)
        except error.RateLimitError:
            raise WorkError(
                f"sync: {self._host} is busy and asked to be left alone for a while "
                f"(while trying to {doing}): nothing is lost; run `ritual sync` later"
            ) from None
        except RequestException as exc:
            raise WorkError(self._transport(exc, doing)) from None
        except OSError as exc:
            # niquests opens sync.ca_cert itself, after ca_file() checked it: a file gone
            # (or replaced by a folder) in between surfaces here, unwrapped.
            where = f"sync.ca_cert ({self.ca_file})" if self.ca_file else self._host
            raise WorkError(
                f"sync: could not {doing}: {where}: {describe(exc)}; nothing was changed on the "
                "server by this request: run `ritual sync` again"
            ) from None
        except (error.DAVError, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
            raise WorkError(
                f"sync: {self._host} sent an answer ritual cannot read (while trying to {doing}: "
                f"{type(exc).__name__}); is {self.url} a CalDAV calendar?",
                hint=FIND_IT,
            ) from None
        raw = response._raw_body or (response._raw if isinstance(response._raw, bytes) else b"")
        headers = {str(k).lower(): str(v) for k, v in (response.headers or {}).items()}
        return _Answer(int(response.status), headers, str(response.reason or ""), raw)

    @property
    def _host(self) -> str:
        return urlsplit(self.url).netloc

    def _who(self) -> str:
        return f'user "{self.username}"' if self.username else "no user name (sync.username is empty)"

    def _refused(self, status: int) -> NoReturn:
        if status == 403:
            raise Refused(
                f"sync: {self.url} refused {self._who()} access (403)",
                403,
                hint="check that this user may write to that calendar (a shared calendar must be "
                "shared with write access)",
            ) from None
        raise Refused(
            f"sync: {self.url} did not accept the login of {self._who()} (401)",
            401,
            hint="check sync.username and the password (iCloud and Fastmail need an app password, "
            "not your account password)",
        ) from None

    def _fail(self, doing: str, status: int, reason: str, body: bytes = b"") -> NoReturn:
        if status in (401, 403):
            self._refused(status)
        if status == 404 or (status == 405 and doing == "list the calendar"):
            raise WorkError(f"sync: there is no calendar at {self.url} ({status})", hint=FIND_IT)
        said = f"{status} {reason}".strip()
        if status >= 500:
            raise WorkError(
                f"sync: {self._host} failed to {doing} ({said}): a fault on the server's side; "
                "nothing is lost: run `ritual sync` again later"
            )
        condition = _precondition(body)
        if condition == "no-uid-conflict":
            raise WorkError(
                f"sync: {self.url} already holds this event under another name (imported from a "
                "rituals.ics file?): delete that copy from the calendar, then run `ritual sync` again"
            )
        extra = f", {condition}" if condition else ""
        raise WorkError(f"sync: {self._host} refused to {doing} ({said}{extra})")

    def _transport(self, exc: BaseException, doing: str) -> str:
        from niquests.exceptions import Timeout

        host = urlsplit(self.url).hostname or self._host
        causes = _chain(exc)
        if isinstance(exc, Timeout) or any(isinstance(c, TimeoutError) for c in causes):
            return (
                f"sync: {self._host} did not answer within {self.client.timeout} s (while trying to "
                f"{doing}); try again later, or raise sync.timeout"
            )
        refused = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
        if refused is not None:
            return self._untrusted(refused)
        if any(isinstance(c, ssl.SSLError) for c in causes):
            return (
                f"sync: the TLS (https) connection to {self._host} failed; is it an https server "
                "on that port? (http://localhost needs no TLS)"
            )
        import socket

        if any(isinstance(c, socket.gaierror) for c in causes):
            return f"sync: cannot find the server {host} (DNS lookup failed): check sync.url and your network"
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return f"sync: cannot reach {self._host}: connection refused (is the server running?)"
        return f"sync: cannot reach {self._host} ({_last_words(causes)}): check your network, and try again later"

    def _untrusted(self, refused: ssl.SSLCertVerificationError) -> str:
        """The certificate check failed: why, and what would help (never a way around it)."""
        why = refused.verify_message or str(refused.reason or "verification failed")
        head = f"sync: the TLS certificate of {self.url} is not trusted"
        if refused.verify_code not in _UNKNOWN_ISSUER:
            # Expired, or made out to another name: trusting it by file would not help.
            return f"{head} ({why}); ritual will not send your password to it"
        if self.ca_file:
            return (
                f"{head}: it is neither the one in sync.ca_cert ({self.ca_file}) nor issued by it "
                f"({why}); has the server a new certificate? ritual will not send your password to it"
            )
        return (
            f"{head} ({why}): if it is your own server's (self-signed, or from your own CA), set "
            "sync.ca_cert to that certificate's PEM file (see the README's \"Both phones\"); "
            "ritual will not send your password to it"
        )

    def _listing(self, body: bytes) -> dict[str, str]:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            raise WorkError(
                f"sync: {self.url} answered with something other than a calendar listing", hint=FIND_IT
            ) from None
        own = urlsplit(self.url).path.rstrip("/")
        found: dict[str, str] = {}
        is_calendar = False
        for response in root.iter(f"{_DAV}response"):
            href = unquote(urlsplit((response.findtext(f"{_DAV}href") or "").strip()).path)
            parent, _, name = href.rstrip("/").rpartition("/")
            ok = [
                p.find(f"{_DAV}prop")
                for p in response.iter(f"{_DAV}propstat")
                if " 200" in (p.findtext(f"{_DAV}status") or "")
            ]
            props = [p for p in ok if p is not None]
            if href.rstrip("/") == unquote(own):
                is_calendar = any(p.find(f"{_DAV}resourcetype/{_CALDAV}calendar") is not None for p in props)
            elif parent == unquote(own) and not href.endswith("/"):
                etag = next(
                    (p.findtext(f"{_DAV}getetag") for p in props if p.find(f"{_DAV}getetag") is not None), ""
                )
                found[name] = (etag or "").strip()
        if not is_calendar:
            raise WorkError(
                f"sync: {self.url} is not a calendar (a CalDAV calendar collection)", hint=FIND_IT
            )
        return found


class _Answer(NamedTuple):
    status: int
    headers: dict[str, str]
    reason: str
    body: bytes


# OpenSSL's X509_V_ERR_*: the chain ends in a certificate that is not in the trusted set
# (unable to get issuer certificate, self-signed leaf, self-signed in chain, unable to
# get local issuer, unable to verify the first certificate).
_UNKNOWN_ISSUER = frozenset({2, 18, 19, 20, 21})
CA_CERT_MAX_BYTES = 10_000_000  # a bundle of every public CA is about 0.2 MB
_KEY = "sync.ca_cert"


def ca_file(settings: Sync, source: Path | None) -> str:
    """``sync.ca_cert`` as an absolute path, its file checked: "" when it is not set.

    ``~`` is expanded and a relative path is taken from the preferences file's folder
    (``source``; the working folder when there is no file). Checked when a sync
    starts, not when the preferences are read (``ritual plan`` never opens it): a
    path that names nothing, a folder, or a file holding no PEM certificate is a
    usage error (exit 2) naming the key and the path; a file the system will not
    let ritual read is a ``WorkError`` (exit 1), as ``filecheck`` has it.
    """
    written = settings.ca_cert
    if not written:
        return ""
    try:
        expanded = Path(written).expanduser()
    except RuntimeError:  # ~user of no such user, or no home to expand ~ to
        raise UsageError(f"sync: {_KEY} = {written!r}: cannot expand the ~ in it") from None
    base = source.parent if source is not None else Path.cwd()
    # Absolute: niquests reads a verify= string beginning "sha256_" as a fingerprint.
    path = os.path.abspath(base / expanded)
    _check_pem(_read_ca(path), path)
    return path


def _read_ca(path: str) -> bytes:
    """The file's bytes, read as ritual reads every file (``filecheck.read_bytes``: a
    regular file, without blocking, within a size). A path naming nothing, or a folder,
    is the setting's mistake (exit 2), said with the key."""
    from . import filecheck

    if not os.path.lexists(path):
        raise UsageError(f"sync: no certificate file at {path} ({_KEY})")
    if os.path.isdir(path):
        raise UsageError(f"sync: {path} ({_KEY}) is a folder, not a PEM file")
    return filecheck.read_bytes(Path(path), f"certificate file ({_KEY})", CA_CERT_MAX_BYTES)


def _check_pem(data: bytes, path: str) -> None:
    """At least one PEM certificate, and every one of them readable by OpenSSL (which
    reads the file itself: a bundle's comments may be in any encoding)."""
    if b"-----BEGIN CERTIFICATE-----" not in data:
        raise UsageError(
            f"sync: {path} ({_KEY}) holds no PEM certificate (-----BEGIN CERTIFICATE-----); "
            "a binary (DER) one converts with `openssl x509 -inform der -in FILE -out cert.pem`"
        )
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except (ssl.SSLError, ValueError):
        raise UsageError(
            f"sync: {path} ({_KEY}) holds a PEM certificate OpenSSL cannot read (cut short, or damaged?)"
        ) from None
    except OSError as exc:  # gone, or made unreadable, since it was read a moment ago
        raise WorkError(f"sync: cannot read {path} ({_KEY}): {describe(exc)}") from None


def connect(settings: Sync, password: str | None, ca_file: str = "") -> Server:
    """A client for the calendar at ``settings.url`` (no request is made yet), trusting
    the certificates in ``ca_file`` (checked by ``ca_file()``) instead of the system's."""
    import logging

    from caldav.davclient import DAVClient
    from caldav.lib import error

    # Our errors are one line each; the library's log records would add others (and
    # its debug dump writes credentials to files).
    logger = logging.getLogger("caldav")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    error.debug_dump_communication = False

    username = settings.username or None
    client = DAVClient(
        url=settings.url,
        username=username,
        password=password if username else None,
        timeout=settings.timeout,
        enable_rfc6764=False,  # the URL is the calendar: no DNS discovery, no extra request
        headers={"User-Agent": "ritual"},
        ssl_verify_cert=ca_file or True,  # a path: those certificates, not the system's
    )
    if username:
        # Basic at once (over TLS, or to this machine, or as sync.insecure allows), as
        # vdirsyncer does: no request is spent on a 401 to learn it. A server that wants
        # Digest says so on the first request, which is then repeated (see _negotiate).
        from niquests.auth import HTTPBasicAuth

        client.auth = HTTPBasicAuth(username, password or "")
    return Server(settings.url, settings.username, client, [0], ca_file)


def negotiate(server: Server) -> dict[str, str]:
    """The first request (the listing), retried once with the login scheme the server
    asks for if it refused the Basic one sent at once (a Digest-only server)."""
    try:
        return server.etags()
    except Refused as exc:
        if exc.status != 401 or server.client.auth is None or server.client.password is None:
            raise
        server.client.auth = None  # caldav then answers the server's challenge itself
        return server.etags()


def _if_match(etag: str) -> dict[str, str]:
    """If-Match for a strong ETag. A weak one never matches (RFC 9110 §13.1.1): a server
    that lists only weak ETags would refuse every update, so there the comparison with
    the listing made just before is the only check."""
    return {} if etag.startswith("W/") else {"If-Match": etag}


def _precondition(body: bytes) -> str:
    """The name of the DAV:error precondition in an error body (RFC 4918 §16), if any."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return ""
    if not root.tag.endswith("}error"):
        return ""
    for child in root:
        return child.tag.rpartition("}")[2]
    return ""


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _last_words(causes: list[BaseException]) -> str:
    """The innermost cause in a few words (an errno's text), never a whole repr."""
    inner = causes[-1]
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror.lower()
    return type(inner).__name__
