"""(e) the disk under the media folder fills: uploads are refused cleanly (507, the message in the
caller's language, an error id) and nothing is half-written — every file kept is whole and has its
row, every row its whole file.

A 4 MiB tmpfs is mounted over MEDIA_ROOT (the harness runs as root; without `mount` the scenario says
so and stops). A few photos are kept; then the disk is filled to leave room for about two more and
six are sent at once — the app's guard (which keeps GANDAN_MEDIA_RESERVE_BYTES free) may let several
through together although they cannot all fit: those the disk fills under must be removed, not kept
in part; then photos one by one, all refused."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

from faults.client import Answer, Tally
from faults.load import API, Places, Write, send, visit_body
from faults.outcome import Outcome
from faults.world import MEDIA_RESERVE, World

SIZE_MIB, PHOTO_BYTES, PER_VISIT = 4, 400 * 1024, 3
MESSAGE_VI = "Máy chủ hết chỗ lưu tệp, tệp chưa được lưu; hãy thử lại sau hoặc báo quản trị"
MESSAGE_EN = "The server has no room left for files; the file was not saved. Try again later or tell the administrator"


def photo(n: int) -> bytes:
    """A PNG signature and random bytes: what the app sniffs is the signature; no two alike."""
    return b"\x89PNG\r\n\x1a\n" + os.urandom(PHOTO_BYTES - 8 - 8) + n.to_bytes(8, "big")


@contextlib.contextmanager
def small_disk(path: Path):
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MIB}m,mode=0755", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PermissionError(f"mount refused: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def run(world: World, out: Outcome) -> None:
    places = Places.of(world.client())
    tally = Tally()
    visits: list[int] = []

    def visit_id(n: int) -> int:
        while len(visits) <= n // PER_VISIT:
            key = str(uuid.uuid4())
            item = send(world.client(), Write("visit", key, visit_body(places, key, len(visits), with_concern=False)),
                        tally, until=time.monotonic() + 30)
            assert item.acknowledged, f"visit for photos: {item.final}"
            found = world.pg.sql(f"SELECT id FROM fieldwork_visit WHERE client_uuid = '{key}'")
            visits.append(int(found))
        return visits[n // PER_VISIT]

    def upload(n: int, language: str = "") -> Answer:
        client = world.client()
        if language:
            client.cookies["django_language"] = language
        return tally.add(client.call("POST", f"{API}/fieldwork/visits/{visit_id(n)}/photos",
                                     files={"file": (f"anh-{n}.png", photo(n), "image/png")}))

    try:
        mounted = small_disk(world.media)
        mounted.__enter__()
    except PermissionError as exc:
        out.check("a small file system mounted over the media folder", False, str(exc))
        return
    try:
        first = [upload(n) for n in range(3)]
        kept_first = sum(a.ok for a in first)
        n = len(first)
        # Room for about two more above the reserve: several at once may pass the guard together.
        _fill(world.media, leave=MEDIA_RESERVE + 2 * PHOTO_BYTES + PHOTO_BYTES // 2, into=world.media / "filler")
        stat = os.statvfs(world.media)
        fits = stat.f_bavail * stat.f_frsize // PHOTO_BYTES  # what the disk itself can still take
        burst: list[Answer] = []
        lock = threading.Lock()

        def one(i: int) -> None:
            answer = upload(n + i)
            with lock:
                burst.append(answer)

        for i in range(6):  # the visits first, so the burst races only on the disk
            visit_id(n + i)
        pool = [threading.Thread(target=one, args=(i,)) for i in range(6)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(60)
        n += 6
        refused_more = [upload(n + i) for i in range(3)]
        english = upload(n + 3, "en")
        partial = _check_files(world, visits)
    finally:
        mounted.__exit__(None, None, None)

    refused = [a for a in first + refused_more + [english] + burst if a.status == 507]
    log = (world.root / "gunicorn.log").read_text(errors="replace")
    out.load = f"photos of {PHOTO_BYTES // 1024} KiB through the API: 3, then 6 at once, then 3 more and 1 in English"
    by_guard, by_disk = log.count("StorageFull: [Errno 28] no room"), log.count("StorageFull: [Errno 28] the disk")
    out.faults = f"a {SIZE_MIB} MiB tmpfs over MEDIA_ROOT, the guard keeping {MEDIA_RESERVE // 1024} KiB free, " \
                 f"filled to leave room for about 2 photos: refused by the guard {by_guard}, " \
                 f"by the disk during the write {by_disk}"
    out.requests, out.errors = tally.requests, tally.errors()
    out.check("uploads accepted while there is room", kept_first == 3, f"{kept_first} of 3 kept")
    out.check("then refused with 507", all(a.status == 507 for a in refused_more) and bool(refused),
              f"{len(refused)} refusals")
    vi = refused_more[0].body if refused_more else {}
    out.check("the refusal in Vietnamese, with an error id", isinstance(vi, dict) and vi.get("detail") == MESSAGE_VI
              and bool(vi.get("error_id")), str(vi)[:160])
    out.check("and in English for who chose it", isinstance(english.body, dict)
              and english.body.get("detail") == MESSAGE_EN, str(english.body)[:160])
    out.check(f"the burst: at most the {fits} that fit kept, the rest refused with 507, none failed otherwise",
              all(a.ok or a.status == 507 for a in burst) and 0 < sum(a.ok for a in burst) <= fits,
              ", ".join(sorted(a.kind if a.ok else str(a.status) for a in burst)))
    out.rows_lost = len(partial)
    out.check("nothing half-written: every file whole with its row, every row with its file", not partial,
              "; ".join(partial[:4]) or "files and rows match")


def _fill(folder: Path, *, leave: int, into: Path) -> None:
    free = os.statvfs(folder)
    room = free.f_bavail * free.f_frsize - leave
    if room > 0:
        with into.open("wb") as out:
            out.write(b"\0" * room)


def _check_files(world: World, visits: list[int]) -> list[str]:
    """The photos of this scenario's visits against the files on the small disk (the only ones there)."""
    rows = world.pg.sql("SELECT file, size, sha256 FROM fieldwork_visitphoto WHERE visit_id IN "
                        f"({','.join(str(v) for v in visits) or '0'})")
    expected = {}
    for line in rows.splitlines():
        name, size, sha = line.split("|")
        expected[name] = (int(size), sha)
    problems = []
    on_disk = {str(p.relative_to(world.media)): p for p in world.media.rglob("*") if p.is_file() and p.name != "filler"}
    for name, (size, sha) in expected.items():
        path = on_disk.get(name)
        if path is None:
            problems.append(f"row without its file: {name}")
        elif path.stat().st_size != size or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            problems.append(f"file not whole: {name} ({path.stat().st_size} of {size} bytes)")
    problems += [f"file without a row: {name}" for name in on_disk if name not in expected]
    return problems
