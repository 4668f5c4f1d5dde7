"""`ritual sync` against a real CalDAV server, driven as a person would drive it.

The session's one Radicale (tests/radicale_server.py, with a login) is the
server; each test makes its own calendar. What the server holds is read back
with a plain HTTP client of our own (REPORT with `<C:expand>`, GET, PROPFIND),
never through ritual's code, and the requests ritual made are counted from the
server's log.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest

from calendar_servers import COUPLES, plan_rows, server_rows
from radicale_server import PASSWORD, USER, Radicale
from tcp_relay import Relay

TODAY = "2026-11-20"
START = dt.date(2026, 11, 23)
WEEKS = 104  # two years


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RITUAL_TODAY", TODAY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    monkeypatch.setenv("RITUAL_SYNC_PASSWORD", PASSWORD)


def prefs_text(zone: str, body: str, url: str, sync: str = "") -> str:
    head = f'version = 1\n[couple]\npartners = ["Ana", "Ben"]\ntimezone = "{zone}"\nstart = {START}\n'
    table = f'\n[sync]\nurl = "{url}"\nusername = "{USER}"\n' + textwrap.dedent(sync)
    return head + textwrap.dedent(body) + table


@pytest.fixture
def couple(write_config: Callable[[str], Path]) -> Callable[..., Path]:
    """Write a couple's preferences syncing to ``url`` (``zone`` picks one of COUPLES)."""

    def write(url: str, zone: str = "Europe/London", sync: str = "", body: str | None = None) -> Path:
        return write_config(prefs_text(zone, COUPLES[zone] if body is None else body, url, sync))

    return write


def listing(server: Radicale, url: str) -> dict[str, str]:
    """name -> ETag of every resource in the calendar, by a PROPFIND of our own."""
    body = b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>'
    answer = server.request("PROPFIND", url, body, {"Depth": "1", "Content-Type": "application/xml"})
    assert answer.status == 207, answer
    out = {}
    own = urllib.parse.urlsplit(url).path
    for response in ET.fromstring(answer.body).iter("{DAV:}response"):
        href = urllib.parse.unquote(response.findtext("{DAV:}href") or "")
        if href.rstrip("/") != own.rstrip("/"):
            out[href.rsplit("/", 1)[1]] = response.findtext(".//{DAV:}getetag") or ""
    return out


def writes_since(server: Radicale, mark: int) -> list[tuple[str, str]]:
    return [r for r in server.requests_since(mark) if r[0] in ("PUT", "DELETE", "PROPPATCH", "MKCOL")]


def snapshot(config: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(config.parent.glob("*-state.toml"))}


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("error: sync: "), stderr
    return lines[0]


# --------------------------------------------------------------------------- what the server shows


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London"])
def test_the_first_sync_expands_on_the_server_as_plan_prints_for_two_years(
    zone: str, cli: Any, couple: Any, radicale: Radicale
) -> None:
    url = radicale.new_calendar()
    couple(url, zone, sync="agendas = 3\n")
    result = cli("sync")
    assert "2 created" in result.stdout
    expected = plan_rows(cli, START, WEEKS)
    assert len(expected) > 100
    assert server_rows(radicale, url, zone, START, WEEKS) == expected, radicale.tail()
    # One resource per UID, without METHOD, the master first and its agenda instances.
    names = listing(radicale, url)
    assert len(names) == 2
    for name in names:
        stored = icalendar.Calendar.from_ical(radicale.get(url, name))
        assert "METHOD" not in stored
        assert len({str(e["UID"]) for e in stored.walk("VEVENT")}) == 1
    described = [
        e for name in names for e in icalendar.Calendar.from_ical(radicale.get(url, name)).walk("VEVENT")
    ]
    assert sum("RECURRENCE-ID" in e for e in described) == 3  # sync.agendas
    assert all(str(e["CLASS"]) == "PRIVATE" for e in described)


def test_a_second_sync_with_nothing_changed_writes_nothing(cli: Any, couple: Any, radicale: Radicale) -> None:
    url = radicale.new_calendar()
    couple(url, sync="agendas = 2\n")
    cli("sync")
    before = listing(radicale, url)
    mark = radicale.log_mark()
    result = cli("sync")
    assert radicale.requests_since(mark) == [("PROPFIND", urllib.parse.urlsplit(url).path)]
    assert listing(radicale, url) == before
    assert "nothing to change" in result.stdout


def test_a_time_change_a_new_skip_and_a_disabled_date_night_each_show_after_one_sync(
    cli: Any, couple: Any, radicale: Radicale
) -> None:
    url = radicale.new_calendar()
    body = COUPLES["America/New_York"]
    couple(url, "America/New_York", body=body)
    cli("sync")

    def check() -> list[Any]:
        expected = plan_rows(cli, START, WEEKS)
        assert server_rows(radicale, url, "America/New_York", START, WEEKS) == expected, radicale.tail()
        return expected

    body = body.replace('time = "19:00"', 'time = "20:15"')
    couple(url, "America/New_York", body=body)
    cli("sync")
    rows = check()
    assert {
        r[1].astimezone(dt.timezone(dt.timedelta(hours=-5))).strftime("%H:%M")
        for r in rows
        if r[0] == "checkin" and r[1].month == 1
    } == {"20:15"}

    body = body.replace("dates = [2028-11-05]", "dates = [2028-11-05, 2027-01-10]")
    couple(url, "America/New_York", body=body)
    cli("sync")
    rows = check()
    assert not [r for r in rows if r[1].date() == dt.date(2027, 1, 11) and r[0] == "checkin"]
    assert not [
        r for r in rows if r[1].astimezone(dt.timezone(dt.timedelta(hours=-5))).date() == dt.date(2027, 1, 10)
    ]

    body = body.replace("[date_night]", "[date_night]\nenabled = false")
    couple(url, "America/New_York", body=body)
    result = cli("sync")
    assert "1 removed" in result.stdout
    rows = check()
    assert {r[0] for r in rows} == {"checkin"}
    assert len(listing(radicale, url)) == 1  # the date night's resource is gone


def test_an_event_put_there_by_another_client_survives_every_sync(
    cli: Any, couple: Any, radicale: Radicale
) -> None:
    url = radicale.new_calendar()
    foreign = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:dentist-1@phone\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261203T090000Z\r\n"
        b"DURATION:PT1H\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    etag = radicale.put(url, "dentist.ics", foreign)
    stored = radicale.get(url, "dentist.ics")  # as the server keeps it
    config = couple(url)
    cli("sync")
    text = config.read_text()
    config.write_text(text.replace("[date_night]", "[date_night]\nenabled = false"))
    cli("sync")
    cli("sync", "--force")
    config.write_text(text)
    cli("sync")
    assert listing(radicale, url)["dentist.ics"] == etag
    assert radicale.get(url, "dentist.ics") == stored


def test_after_the_calendar_state_starts_over_the_old_events_are_replaced_not_doubled(
    cli: Any, couple: Any, radicale: Radicale
) -> None:
    url = radicale.new_calendar()
    config = couple(url)
    cli("sync")
    old = set(listing(radicale, url))
    (config.parent / "calendar-state.toml").unlink()  # "delete it to start over": new UIDs
    result = cli("sync")
    assert "2 created" in result.stdout and "2 removed" in result.stdout
    now = set(listing(radicale, url))
    assert len(now) == 2 and not now & old
    assert server_rows(radicale, url, "Europe/London", START, 26) == plan_rows(cli, START, 26)


# --------------------------------------------------------------------------- edits made elsewhere


def test_an_event_edited_on_the_server_is_left_alone_until_force(
    cli: Any, couple: Any, radicale: Radicale
) -> None:
    url = radicale.new_calendar()
    config = couple(url)
    cli("sync")
    name = next(n for n in listing(radicale, url) if b"Check-in" in radicale.get(url, n))
    edited = radicale.get(url, name).replace(b"SUMMARY:Check-in", b"SUMMARY:Check-in (moved by Ben)")
    radicale.put(url, name, edited)
    config.write_text(config.read_text().replace('time = "09:00"', 'time = "09:30"'))

    mark = radicale.log_mark()
    result = cli("sync", code=1)
    assert "check-in series from" in result.stderr and name in result.stderr
    assert "--force" in result.stderr and "Traceback" not in result.stderr
    assert ("PUT", urllib.parse.urlsplit(url).path + name) not in radicale.requests_since(mark)
    assert b"moved by Ben" in radicale.get(url, name)

    cli("sync", "--force")
    stored = radicale.get(url, name)
    assert b"moved by Ben" not in stored and b"T093000" in stored
    assert "nothing to change" in cli("sync").stdout


def test_an_event_deleted_on_the_server_is_reported_and_force_puts_it_back(
    cli: Any, couple: Any, radicale: Radicale
) -> None:
    url = radicale.new_calendar()
    couple(url)
    cli("sync")
    name = sorted(listing(radicale, url))[0]
    assert radicale.request("DELETE", url + name).status in (200, 204)
    result = cli("sync", code=1)
    assert "deleted from the calendar" in result.stderr
    assert name not in listing(radicale, url)
    cli("sync", "--force")
    assert name in listing(radicale, url)


# --------------------------------------------------------------------------- export ics beside sync


def test_export_and_sync_side_by_side_do_not_rewrite_each_other(
    cli: Any, couple: Any, radicale: Radicale, tmp_path: Path
) -> None:
    """The file without agendas, the server with them: neither churns the other."""
    url = radicale.new_calendar()
    couple(url, sync="agendas = 3\n")
    out = tmp_path / "rituals.ics"
    cli("sync")
    cli("export", "ics", "--out", str(out))
    first = out.read_bytes()
    mark = radicale.log_mark()
    assert "nothing to change" in cli("sync").stdout
    assert writes_since(radicale, mark) == []
    assert cli("export", "ics", "--out", str(out)).stdout.startswith("unchanged")
    assert out.read_bytes() == first
    events = icalendar.Calendar.from_ical(first).walk("VEVENT")
    assert {int(e["SEQUENCE"]) for e in events} == {0} and not any("RECURRENCE-ID" in e for e in events)


def test_the_series_a_sync_begins_are_the_ones_plan_and_export_follow(
    cli: Any, couple: Any, radicale: Radicale, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A time change synced first: the calendar state records where the new series
    begins, so `plan` for past dates and a later `export ics` agree with the server."""
    url = radicale.new_calendar()
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-01")
    config = couple(url)
    cli("sync")
    monkeypatch.setenv("RITUAL_TODAY", "2027-01-04")
    config.write_text(config.read_text().replace('time = "09:00"', 'time = "10:30"'))
    cli("sync")
    assert len(listing(radicale, url)) == 3  # the old check-in series ended, a new one began
    expected = plan_rows(cli, START, 26)
    assert server_rows(radicale, url, "Europe/London", START, 26) == expected
    december = [r for r in expected if r[0] == "checkin" and r[1].month == 12]
    assert {r[1].strftime("%H:%M") for r in december} == {"09:00"}  # GMT: London's wall clock
    cli("export", "ics", "--out", str(tmp_path / "r.ics"))
    file_uids = {
        str(e["UID"]) for e in icalendar.Calendar.from_ical((tmp_path / "r.ics").read_bytes()).walk("VEVENT")
    }
    server_uids = {
        str(e["UID"])
        for n in listing(radicale, url)
        for e in icalendar.Calendar.from_ical(radicale.get(url, n)).walk("VEVENT")
    }
    assert file_uids == server_uids


# --------------------------------------------------------------------------- faults


def test_with_the_server_down_sync_fails_in_one_line_and_the_next_one_completes(
    cli: Any, couple: Any, radicale: Radicale
) -> None:
    calendar = radicale.new_calendar()
    relay = Relay(urllib.parse.urlsplit(radicale.base).port or 0)
    relay.start()
    try:
        url = calendar.replace(radicale.base, f"http://127.0.0.1:{relay.port}")
        config = couple(url)
        cli("sync")
        config.write_text(config.read_text().replace('time = "09:00"', 'time = "11:00"'))
        before = snapshot(config)
        relay.stop()
        result = cli("sync", code=1)
        assert "cannot reach" in one_error_line(result.stderr)
        assert snapshot(config) == before
        relay.start()
        assert "1 updated" in cli("sync").stdout
    finally:
        relay.stop()
    stored = b"".join(radicale.get(calendar, n) for n in listing(radicale, calendar))
    assert b"T110000" in stored and b"T090000" not in stored


def test_a_wrong_password_names_the_url_and_the_user_never_the_password(
    cli: Any, couple: Any, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = radicale.new_calendar()
    config = couple(url)
    monkeypatch.setenv("RITUAL_SYNC_PASSWORD", "hunter2-not-it")
    result = cli("sync", code=1)
    line = one_error_line(result.stderr)
    assert url in line and f'"{USER}"' in line and "401" in line
    assert "hunter2" not in result.stdout + result.stderr
    assert snapshot(config) == {}
    assert listing(radicale, url) == {}


@pytest.mark.parametrize(
    ("path", "says"),
    [("/ritual/no-such-calendar/", "nothing at"), ("/ritual/", "is not a calendar")],
    ids=["404", "not-a-calendar"],
)
def test_a_url_that_is_not_a_calendar_says_where_to_find_one(
    path: str, says: str, cli: Any, couple: Any, radicale: Radicale
) -> None:
    radicale.new_calendar()  # the user's folder exists
    config = couple(radicale.base + path)
    result = cli("sync", code=1)
    assert says in result.stderr and "calendar collection" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(config) == {}


def test_tls_to_a_server_without_it_is_one_clear_line(cli: Any, couple: Any, radicale: Radicale) -> None:
    url = radicale.new_calendar().replace("http://", "https://")
    config = couple(url)
    assert "TLS" in one_error_line(cli("sync", code=1).stderr)
    assert snapshot(config) == {}


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        yield sock.getsockname()[1]


def test_a_server_that_does_not_answer_times_out_as_configured(
    cli: Any, couple: Any, silent_port: int
) -> None:
    config = couple(f"http://127.0.0.1:{silent_port}/ritual/cal/", sync="timeout = 1\n")
    line = one_error_line(cli("sync", code=1).stderr)
    assert "did not answer within 1 s" in line and "sync.timeout" in line
    assert snapshot(config) == {}


@pytest.fixture
def failing_server() -> Iterator[str]:
    """An HTTP server whose every answer is 503 without Retry-After: a server-side fault."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PROPFIND(self) -> None:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ritual/cal/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_fault_says_nothing_is_lost(cli: Any, couple: Any, failing_server: str) -> None:
    config = couple(failing_server)
    line = one_error_line(cli("sync", code=1).stderr)
    assert "503" in line and "again later" in line
    assert snapshot(config) == {}


def test_a_name_that_does_not_resolve_is_a_dns_failure(
    cli: Any, couple: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def no_dns(*args: object, **kwargs: object) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    config = couple("https://cal.example.invalid/dav/calendars/ana/rituals/")
    line = one_error_line(cli("sync", code=1).stderr)
    assert "cal.example.invalid" in line and "DNS" in line
    assert snapshot(config) == {}


# --------------------------------------------------------------------------- the password, the flags


def test_without_any_password_and_no_terminal_it_names_the_three_ways(
    cli: Any, couple: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RITUAL_SYNC_PASSWORD")
    couple("https://cal.example.org/dav/ana/rituals/")
    result = cli("sync", code=2)
    assert "password_command" in result.stderr and "RITUAL_SYNC_PASSWORD" in result.stderr
    assert "terminal" in result.stderr


def test_the_password_command_runs_without_a_shell_and_its_failure_shows_no_secret(
    cli: Any, couple: Any, radicale: Radicale, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    monkeypatch.delenv("RITUAL_SYNC_PASSWORD")
    url = radicale.new_calendar()
    script = tmp_path / "secret.py"
    script.write_text(f"print({PASSWORD!r}); print('second line')\n")
    marker = tmp_path / "a-shell-ran"
    couple(url, sync=f"password_command = '{sys.executable} {script} ; touch {marker}'\n")
    cli("sync")
    assert not marker.exists()  # "; touch …" were three more arguments, not a command
    script.write_text("print('hunter2-in-output'); raise SystemExit(3)\n")
    couple(url, sync=f"password_command = '{sys.executable} {script}'\n")
    result = cli("sync", code=1)
    assert "exit status 3" in result.stderr and "hunter2" not in result.stdout + result.stderr


def test_dry_run_says_what_it_would_do_and_writes_nothing(cli: Any, couple: Any, radicale: Radicale) -> None:
    url = radicale.new_calendar()
    config = couple(url)
    mark = radicale.log_mark()
    result = cli("sync", "--dry-run")
    assert result.stdout.count("would create") == 2
    assert writes_since(radicale, mark) == [] and listing(radicale, url) == {}
    assert snapshot(config) == {}


def test_quiet_prints_nothing_when_all_is_well(cli: Any, couple: Any, radicale: Radicale) -> None:
    couple(radicale.new_calendar())
    result = cli("sync", "--quiet")
    assert result.stdout == "" and result.stderr == ""


def test_weekly_sync_writes_the_agendas_then_syncs(
    cli: Any, couple: Any, radicale: Radicale, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RITUAL_TODAY", "2026-11-23")
    url = radicale.new_calendar()
    couple(url, sync="agendas = 2\n")
    result = cli("weekly", "--out", str(tmp_path / "week"), "--sync")
    assert list((tmp_path / "week").glob("*.md"))
    assert "2 created" in result.stdout
    assert len(listing(radicale, url)) == 2


def test_no_credential_in_any_file_sync_writes(cli: Any, couple: Any, radicale: Radicale) -> None:
    config = couple(radicale.new_calendar())
    cli("sync")
    files = snapshot(config)
    assert set(files) == {"calendar-state.toml", "sync-state.toml"}
    for name, data in files.items():
        assert PASSWORD.encode() not in data, name
        assert (config.parent / name).stat().st_mode & 0o777 == 0o600


# --------------------------------------------------------------------------- the settings


@pytest.mark.parametrize(
    ("url", "extra", "says"),
    [
        ("http://cal.example.org/dav/ana/rituals/", "", "unencrypted"),
        ("ftp://cal.example.org/dav/", "", "not an https://"),
        ("https://ana:secret@cal.example.org/dav/ana/rituals/", "", "sync.username"),
        ("https://cal.example.org/", "", "is a server, not a calendar"),
        ("https://cal.example.org/dav/?calendar=1", "", "no ?query"),
        ("https://cal.example.org:99999/dav/", "", "no valid host"),
    ],
)
def test_a_url_no_calendar_has_is_refused_with_why(
    url: str, extra: str, says: str, cli: Any, couple: Any
) -> None:
    couple(url, sync=extra)
    result = cli("config", "validate", code=2)
    assert "sync.url" in result.stderr and says in result.stderr
    assert "secret" not in result.stderr


@pytest.mark.parametrize(
    ("url", "extra"),
    [
        ("http://cal.example.org/dav/ana/rituals/", "insecure = true\n"),
        ("http://localhost:5232/ana/rituals", ""),
        ("http://127.0.0.2:5232/ana/rituals/", ""),
        ("http://[::1]:5232/ana/rituals/", ""),
        ("https://cal.example.org/dav/ana/rituals/", ""),
    ],
)
def test_https_and_this_machine_need_no_insecure(url: str, extra: str, cli: Any, couple: Any) -> None:
    import json

    couple(url, sync=extra)
    cli("config", "validate")
    shown = json.loads(cli("config", "show", "--format", "json").stdout)["sync"]
    assert shown["url"].endswith("/rituals/")  # a collection's URL ends in "/": added if missing


def test_sync_without_a_url_says_how_to_set_it_up(cli: Any, write_config: Any) -> None:
    write_config(prefs_text("Europe/London", "", "").replace('url = ""\n', ""))
    result = cli("sync", code=2)
    assert "sync.url" in result.stderr and "Both phones" in result.stderr


# --------------------------------------------------------------------------- the README's lines


def test_the_readme_line_that_lists_calendars_finds_the_url(radicale: Radicale) -> None:
    import subprocess
    import sys

    from test_weekly import readme_block

    url = radicale.new_calendar("ours")
    line = readme_block("list-calendars").strip().replace("python3", sys.executable, 1)
    typed = f"{radicale.base}/\n{USER}\n{PASSWORD}\n"
    done = subprocess.run(["/bin/sh", "-c", line], input=typed, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert url in done.stdout


def test_the_readme_cron_line_syncs_in_crons_bare_environment(radicale: Radicale, tmp_path: Path) -> None:
    import sys

    from test_weekly import RITUAL, readme_block, run_cron_line

    home = tmp_path / "home"
    (home / ".config" / "ritual").mkdir(parents=True)
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "ritual").symlink_to(RITUAL)
    secret = tmp_path / "secret.py"
    secret.write_text(f"print({PASSWORD!r})\n")
    url = radicale.new_calendar()
    (home / ".config" / "ritual" / "ritual.toml").write_text(
        prefs_text("Europe/London", "", url, f"agendas = 2\npassword_command = '{sys.executable} {secret}'\n")
    )
    (line,) = [ln for ln in readme_block("cron-sync").splitlines() if ln.strip()]
    done = run_cron_line(line, home)  # RITUAL_TODAY=2026-11-30: a week with a check-in
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"" and done.stderr == b""
    assert list((home / "rituals").glob("*.md")) and len(listing(radicale, url)) == 2


# --------------------------------------------------------------------------- https, a certificate of your own


def no_password_in(result: Any) -> None:
    assert PASSWORD not in result.stdout + result.stderr


@pytest.mark.parametrize("where", ["beside-the-preferences", "under-home", "absolute"])
def test_sync_ca_cert_trusts_a_self_signed_server(
    where: str, cli: Any, couple: Any, radicale_tls: Radicale, isolated_home: Path, tmp_path: Path
) -> None:
    url = radicale_tls.new_calendar()
    assert url.startswith("https://127.0.0.1:")
    pem = radicale_tls.cafile.read_bytes()  # type: ignore[union-attr]
    if where == "beside-the-preferences":  # relative: from the preferences file's folder
        (tmp_path / "cfg").mkdir(exist_ok=True)
        # As bundles have them: a label above the certificate, not always in ASCII.
        (tmp_path / "cfg" / "server.pem").write_bytes("# Főtanúsítvány\n".encode() + pem)
        written = "server.pem"
    elif where == "under-home":
        (isolated_home / "radicale").mkdir()
        (isolated_home / "radicale" / "cert.pem").write_bytes(pem)
        written = "~/radicale/cert.pem"
    else:
        written = str(radicale_tls.cafile)
    config = couple(url, sync=f"ca_cert = '{written}'\n")
    result = cli("sync")
    assert "2 created" in result.stdout
    no_password_in(result)
    assert server_rows(radicale_tls, url, "Europe/London", START, WEEKS) == plan_rows(cli, START, WEEKS)
    assert set(snapshot(config)) == {"calendar-state.toml", "sync-state.toml"}
    assert "nothing to change" in cli("sync").stdout


def test_a_self_signed_server_without_ca_cert_is_refused_in_one_line_naming_the_setting(
    cli: Any, couple: Any, radicale_tls: Radicale
) -> None:
    url = radicale_tls.new_calendar()
    config = couple(url)
    mark = radicale_tls.log_mark()
    result = cli("sync", code=1)
    line = one_error_line(result.stderr)
    assert url in line and "certificate" in line and "not trusted" in line and "sync.ca_cert" in line
    no_password_in(result)
    assert snapshot(config) == {}
    assert radicale_tls.requests_since(mark) == []  # the handshake failed: no request, no password
    assert listing(radicale_tls, url) == {}


def test_a_ca_cert_that_is_not_the_servers_is_refused_naming_the_file(
    cli: Any, couple: Any, radicale_tls: Radicale, tmp_path: Path
) -> None:
    from radicale_server import self_signed_certificate

    other, _ = self_signed_certificate(tmp_path)  # for the same names, but not the server's
    url = radicale_tls.new_calendar()
    config = couple(url, sync=f"ca_cert = '{other}'\n")
    result = cli("sync", code=1)
    line = one_error_line(result.stderr)
    assert url in line and "not trusted" in line and f"the one in sync.ca_cert ({other})" in line
    no_password_in(result)
    assert snapshot(config) == {}


def test_a_ca_cert_gone_after_it_was_checked_is_one_line_not_a_traceback(
    radicale_tls: Radicale, tmp_path: Path
) -> None:
    """The file is checked when a sync starts, and read again by niquests at the first
    request: deleted in between, it is a clear error naming it."""
    from ritualcli.core import preferences, sync_server
    from ritualcli.core.errors import WorkError

    path = tmp_path / "cert.pem"
    path.write_bytes(radicale_tls.cafile.read_bytes())  # type: ignore[union-attr]
    url = radicale_tls.new_calendar()
    settings = preferences.parse_bytes(
        f"version = 1\n[couple]\npartners = ['A', 'B']\ntimezone = 'UTC'\n[sync]\nurl = '{url}'\n"
        f"ca_cert = '{path}'\n".encode()
    ).sync
    server = sync_server.connect(settings, None, sync_server.ca_file(settings, None))
    path.unlink()
    with pytest.raises(WorkError) as caught:
        sync_server.negotiate(server)
    (line,) = caught.value.lines(one_line=True)
    assert f"sync.ca_cert ({path})" in line and "run `ritual sync` again" in line, line


@pytest.mark.parametrize("what", ["missing", "text", "der", "folder", "broken-pem"])
def test_a_ca_cert_that_is_no_pem_certificate_is_one_line_naming_key_and_path(
    what: str, cli: Any, couple: Any, radicale_tls: Radicale, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl

    path = tmp_path / "cert.pem"
    pem = radicale_tls.cafile.read_text()  # type: ignore[union-attr]
    if what == "text":
        path.write_text("not a certificate\n")
    elif what == "der":
        path.write_bytes(ssl.PEM_cert_to_DER_cert(pem))
    elif what == "folder":
        path.mkdir()
    elif what == "broken-pem":
        path.write_text(pem[:200] + pem[260:])  # a line and a half of it lost
    url = radicale_tls.new_calendar()
    config = couple(url, sync=f"ca_cert = '{path}'\n")
    # Checked before the password is looked for: with none to be had, the file is what is said.
    monkeypatch.delenv("RITUAL_SYNC_PASSWORD")
    mark = radicale_tls.log_mark()
    result = cli("sync", code=2)
    line = one_error_line(result.stderr)
    assert "sync.ca_cert" in line and str(path) in line, line
    assert radicale_tls.requests_since(mark) == [] and snapshot(config) == {}
    if what == "der":
        assert "openssl x509 -inform der" in line
    cli("plan")  # the file is sync's alone: plan never opens it


def test_ca_cert_with_an_http_url_is_a_preferences_problem_on_its_line(cli: Any, couple: Any) -> None:
    config = couple("http://localhost:5232/ana/rituals/", sync="ca_cert = '~/radicale/cert.pem'\n")
    line = config.read_text().splitlines().index("ca_cert = '~/radicale/cert.pem'") + 1
    for command in (("config", "validate"), ("sync",)):
        result = cli(*command, code=2)
        assert f"{config}:{line}: sync.ca_cert:" in result.stderr and "http://" in result.stderr
        no_password_in(result)
    couple("https://localhost:5232/ana/rituals/", sync="ca_cert = '~/radicale/cert.pem'\n")
    cli("config", "validate")  # the file need not exist until a sync


def test_the_readme_lines_fetch_the_servers_certificate_and_its_fingerprint(
    cli: Any, couple: Any, radicale_tls: Radicale, isolated_home: Path
) -> None:
    import os
    import subprocess

    from test_weekly import readme_block

    fetch, fingerprint = [ln for ln in readme_block("fetch-certificate").splitlines() if ln.strip()]
    (isolated_home / "radicale").mkdir()
    here = fetch.replace("home.example.org:5232", urllib.parse.urlsplit(radicale_tls.base).netloc)
    env = {**os.environ, "HOME": str(isolated_home)}
    got = subprocess.run(["sh", "-c", here], env=env, capture_output=True, check=False)
    assert got.returncode == 0, got.stderr
    saved = isolated_home / "radicale" / "cert.pem"
    assert saved.read_bytes() == radicale_tls.cafile.read_bytes()  # type: ignore[union-attr]
    said = subprocess.run(["sh", "-c", fingerprint], env=env, capture_output=True, check=True).stdout
    served = f"openssl x509 -in {radicale_tls.cafile} -noout -fingerprint -sha256"
    assert said.startswith(b"sha256 Fingerprint=")
    assert said == subprocess.run(["sh", "-c", served], capture_output=True, check=True).stdout
    url = radicale_tls.new_calendar()
    couple(url, sync='ca_cert = "~/radicale/cert.pem"\n')
    assert "2 created" in cli("sync").stdout
