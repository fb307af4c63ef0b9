#!/usr/bin/env python3
"""venueboard-server attacked as an outsider, a clumsy client and a careless
organizer would: each finding of the attack on the first release replayed
against the real server on loopback, and the fix asserted.

  bad changes    a reschedule to 2200 or 1899, the move past the room limit:
                 422, nothing stored, and the server restarts over the
                 database (also one an older server filled with such changes)
  memory         bodies without a token, to unknown paths, and more than the
                 upload budget with one: refused from the headers, RSS bounded
  slow senders   1 000 half-sent requests (a byte every 8 s) from 4 addresses,
                 then 2 500 from 100: /healthz answers within 2 s throughout
                 and 300 kiosks behind one NAT address are all served
  slow reads     ten pollers asking for a day of samples: /healthz within 2 s
  future sample  refused, and no other queue's estimate moves
  metrics        no id can add a metric line or break the scrape
  smaller        UTF-8, extra fields, NUL, log injection, "change":2.9, 1e19,
                 security headers, WWW-Authenticate, HEAD, "bearer", 500 and
                 1 000 query parameters, /healthz while writes fail, file modes
  TLS            HTTPS verified against its CA; SIGHUP swaps the certificate
                 (open connections keep the old one) and revokes a token
  durability     SIGKILL during writes, many times: nothing acknowledged lost

usage: attack.py VENUEBOARD_SERVER DEMO_SCHEDULE WORK_DIR [--sanitized]
Prints each figure; exits 1 naming the first check that fails.
"""
import asyncio, http.client, json, os, random, re, shutil, signal, socket
import sqlite3, ssl, subprocess, sys, threading, time

import harness
from harness import (HEALTHZ_LIMIT_S, ORG, RSS_LIMIT_MB, SCREEN, SENSOR, Failed, Prober,
                     Server, check, demo_schedule, figure, healthz_ms, make_cert, peer_cert,
                     request, request_expect, sanitized, server_bin, servers, work)


# --- 1. bad changes -------------------------------------------------------------------


def big_schedule(rooms):
    return json.dumps({
        "format": "venueboard.schedule/1",
        "conference": {"title": "Big", "timezone": "Europe/Paris"},
        "rooms": [{"id": f"r{i}", "name": f"Room {i}"} for i in range(rooms)],
        "sessions": [{"id": "s1", "title": "Talk", "room": "r0", "start": "2014-11-06T09:00:00Z",
                      "end": "2014-11-06T10:00:00Z", "status": "scheduled"}]})


def attack_bad_changes():
    srv = Server("bad-changes")
    srv.start()
    st, h, body = request(srv, "GET", "/v1/schedule")
    etag = h["etag"]
    for start, end in (("2200-01-01T10:00:00+01:00", "2200-01-01T11:00:00+01:00"),
                       ("1899-12-31T10:00:00Z", "1899-12-31T11:00:00Z"),
                       ("1900-01-01T00:30:00+01:00", "1900-01-01T01:00:00+01:00")):
        st, _, body = request(srv, "POST", "/v1/changes", json.dumps(
            {"kind": "reschedule", "session": "4184", "start": start, "end": end}), ORG)
        check(st == 422 and b"1900-2199" in body, f"a reschedule to {start} is refused with 422")
    st, h, _ = request(srv, "GET", "/v1/schedule")
    check(h["etag"] == etag, "the refused reschedules stored nothing (same ETag)")
    # the move past the room limit (2 000): a schedule of 1 999 rooms first
    st, _, _ = request(srv, "POST", "/v1/schedule", big_schedule(1999), ORG)
    check(st == 201, "a schedule of 1 999 rooms is published")
    move = {"kind": "move", "session": "s1", "room": "Room 1999"}
    check(request(srv, "POST", "/v1/changes", json.dumps(move), ORG)[0] == 201,
          "the move to a 2 000th room is taken")
    move["room"] = "Room 2000"
    st, _, body = request(srv, "POST", "/v1/changes", json.dumps(move), ORG)
    check(st == 422 and b"2000 rooms" in body, "the move to a 2 001st room is refused with 422")
    # every later change still works: no 500 "not stored" that was stored anyway
    st, _, _ = request(srv, "POST", "/v1/notices", json.dumps({"text": "Lunch at 13:00"}), ORG)
    check(st == 201, "a notice after the refusals is stored (201)")
    srv.stop(signal.SIGKILL)
    # an older server's database: the poison rows written straight in
    db = sqlite3.connect(srv.db)
    n = db.execute("SELECT MAX(id) FROM changes").fetchone()[0]
    db.execute("INSERT INTO changes(id, at_ms, who, kind, body) VALUES (?, 0, 'alice', "
               "'reschedule', ?)", (n + 1, json.dumps({"kind": "reschedule", "session": "s1",
                                                          "start": "2200-01-01T10:00:00Z",
                                                          "end": "2200-01-01T11:00:00Z"})))
    db.execute("INSERT INTO changes(id, at_ms, who, kind, body) VALUES (?, 0, 'alice', 'move', ?)",
               (n + 2, b'{"kind":"move","session":"s1","room":"Salle \xff"}'))
    db.commit()
    db.close()
    srv.start()
    st, h, body = request(srv, "GET", "/v1/schedule")
    check(st == 200, "the server restarts over a database holding bad changes")
    body.decode("utf-8")  # strict clients read it
    log = open(srv.log, errors="replace").read()
    check(f"stored change {n + 1} (reschedule by alice) is not a valid change and is skipped"
          in log, "the skipped changes are named in the log at WARN")
    st, _, _ = request(srv, "POST", "/v1/changes", json.dumps(
        {"kind": "cancel", "session": "s1"}), ORG)
    check(st == 201, "and changes are taken again")
    srv.stop()


# --- 2. memory without a token ----------------------------------------------------------


async def body_without_token(port, path, method, token=None):
    """Headers of an 8 MiB upload, then the body a byte at a time: the answer
    must come before the body."""
    r, w = await asyncio.open_connection("127.0.0.1", port)
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    w.write(f"{method} {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Length: 8388608\r\n\r\n"
            .encode())
    await w.drain()
    status = None
    try:
        line = await asyncio.wait_for(r.readline(), 5)
        status = int(line.split()[1]) if line else None
    except (asyncio.TimeoutError, ValueError, IndexError):
        status = None
    w.close()
    return status


async def memory_attack(srv):
    out = {}
    for name, path, method, token in (("no token", "/v1/samples", "POST", None),
                                      ("unknown path", "/nowhere", "GET", None),
                                      ("organizer path, sensor token", "/v1/schedule", "POST",
                                       SENSOR)):
        res = await asyncio.gather(*(body_without_token(srv.port, path, method, token)
                                     for _ in range(150)))
        out[name] = res
    return out


async def upload_budget(srv, n):
    """n sensors each declaring 8 MiB and sending a little: past the budget,
    503 at once; within it, the server waits for the body."""
    conns, statuses = [], []
    for _ in range(n):
        r, w = await asyncio.open_connection("127.0.0.1", srv.port)
        w.write(f"POST /v1/samples HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {SENSOR}\r\n"
                f"Content-Length: 8388608\r\n\r\n".encode() + b"{" * 65536)
        await w.drain()
        conns.append((r, w))
    for r, w in conns:
        try:
            line = await asyncio.wait_for(r.readline(), 1.5)
            statuses.append(int(line.split()[1]) if line else "closed")
        except asyncio.TimeoutError:
            statuses.append("waiting")
    rss = srv.status("VmRSS")
    for r, w in conns:
        w.close()
    return statuses, rss


def attack_memory(srv):
    before = srv.status("VmRSS")
    out = asyncio.run(memory_attack(srv))
    for name, res in out.items():
        want = {"no token": 401, "unknown path": 404, "organizer path, sensor token": 401}[name]
        check(all(s == want for s in res),
              f"150 8-MiB uploads ({name}) answered {want} from the headers, before a byte of body")
    after = srv.status("VmRSS")
    figure(f"memory attack without a token: RSS {before:.1f} -> {after:.1f} MB "
           f"(the first release: 35 MB -> 1.27 GB)")
    check(after - before < 20, "RSS grows by less than 20 MB under 450 unauthenticated 8 MiB uploads")
    statuses, rss = asyncio.run(upload_budget(srv, 20))
    waiting = statuses.count("waiting")
    busy = statuses.count(503)
    figure(f"20 sensors declaring 8 MiB at once: {waiting} bodies read, {busy} told 503 "
           f"(budget 64 MiB); RSS {rss:.1f} MB")
    check(waiting == 8 and busy == 12, "bodies in flight stay within the 64 MiB budget; the rest get 503")


# --- 3. slow senders ---------------------------------------------------------------------


async def slow_sender(port, src, until, stats):
    """Half a request, then a byte every 8 s; when cut, again."""
    while time.monotonic() < until:
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port, local_addr=(src, 0))
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["opened"] += 1
        opened = time.monotonic()
        cut = False
        try:
            w.write(b"POST /v1/samples HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            await w.drain()
            while time.monotonic() < until:
                left = until - time.monotonic()
                try:
                    data = await asyncio.wait_for(r.read(100), max(0.05, min(8, left)))
                except asyncio.TimeoutError:
                    w.write(b"a")
                    await w.drain()
                    continue
                if not data:
                    cut = True
                    break
        except OSError:
            cut = True
        if cut and time.monotonic() < until:
            stats["cut"] += 1
            stats["held"].append(time.monotonic() - opened)
        w.close()


async def kiosk_get(conn, port, etag):
    """One conditional GET of the schedule, as libcurl does it: on a kept-alive
    connection that turns out closed before the answer began, once more on a
    new one. Returns (status, etag, connection)."""
    for attempt in range(2):
        fresh = conn is None
        if fresh:
            conn = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.9", 0))
        r, w = conn
        try:
            inm = f"If-None-Match: {etag}\r\n" if etag else ""
            w.write(f"GET /v1/schedule HTTP/1.1\r\nHost: x\r\n{inm}\r\n".encode())
            await w.drain()
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 10)
        except (OSError, asyncio.IncompleteReadError):
            w.close()
            conn = None
            if fresh:
                raise
            continue
        status = int(head.split()[1])
        m = re.search(rb"(?i)content-length: (\d+)", head)
        if m:
            await asyncio.wait_for(r.readexactly(int(m.group(1))), 10)
        m = re.search(rb"(?i)etag: (\S+)", head)
        return status, (m.group(1).decode() if m else etag), conn
    raise ConnectionError("closed twice")


async def nat_kiosk(port, until, results):
    """A kiosk behind the venue's one NAT address: the schedule every second
    or two, the connection kept alive."""
    etag, conn = None, None
    while time.monotonic() < until:
        try:
            status, etag, conn = await kiosk_get(conn, port, etag)
            results.append(status)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            results.append(type(e).__name__)
            conn = None
        await asyncio.sleep(1 + random.random())
    if conn:
        conn[1].close()


async def slow_attack(srv, sources, per_source, seconds, kiosks):
    until = time.monotonic() + seconds
    stats = {"opened": 0, "cut": 0, "refused": 0, "held": []}
    results = []
    tasks = [slow_sender(srv.port, src, until, stats) for src in sources for _ in range(per_source)]
    tasks += [nat_kiosk(srv.port, until, results) for _ in range(kiosks)]
    peak = [0]

    async def watch():
        while time.monotonic() < until:
            peak[0] = max(peak[0], srv.status("VmRSS"))
            await asyncio.sleep(0.5)
    await asyncio.gather(*tasks, watch())
    return stats, results, peak[0]


def attack_slow(srv, label, sources, per_source, seconds=24):
    prober = Prober(srv)
    stats, results, peak = asyncio.run(slow_attack(srv, sources, per_source, seconds, 300))
    med, worst, n = prober.finish()
    held = sorted(stats["held"]) or [0]
    served = sum(1 for s in results if s in (200, 304))
    failed = {}
    for s in results:
        if s not in (200, 304):
            failed[s] = failed.get(s, 0) + 1
    figure(f"{label}: {len(sources) * per_source} slow senders from {len(sources)} addresses for "
           f"{seconds} s: {stats['opened']} connections opened, {stats['cut']} cut (held "
           f"{held[len(held) // 2]:.1f} s median, {held[-1]:.1f} s at most); /healthz "
           f"{med:.0f} ms median, {worst:.0f} ms worst over {n} probes; 300 NAT kiosks: "
           f"{served} of {len(results)} requests served{' ' + str(failed) if failed else ''}; "
           f"RSS up to {peak:.1f} MB")
    check(worst < HEALTHZ_LIMIT_S * 1000, f"{label}: /healthz answered within 2 s throughout")
    check(served == len(results) and served >= 300,
          f"{label}: every request of 300 kiosks behind one address was served")
    check(held[-1] < 12, f"{label}: no half-sent request held a connection past its deadline")
    return peak


# --- 4. slow reads -----------------------------------------------------------------------


def post_day_of_samples(srv, lines_total):
    now = time.time()
    start = now - 23.5 * 3600
    per_queue = lines_total // 20
    batch, sent = [], 0
    for q in range(20):
        batch.append(json.dumps({"type": "queue", "queue": f"q{q}", "stations": 4,
                                 "service_s": 30}))
    step = 23.5 * 3600 / per_queue
    for i in range(per_queue):
        t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(start + i * step)) + "Z"
        for q in range(20):
            batch.append(json.dumps({"type": "count", "queue": f"q{q}", "sensor": "in",
                                     "role": "entry", "t": t, "total": i}))
        if len(batch) >= 40000:
            st, _, body = request(srv, "POST", "/v1/samples", "\n".join(batch), SENSOR, timeout=60)
            if st != 200:
                raise Failed(f"posting samples: {st} {body[:200]}")
            sent += len(batch)
            batch = []
    if batch:
        request(srv, "POST", "/v1/samples", "\n".join(batch), SENSOR, timeout=60)
        sent += len(batch)
    return sent, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start - 60))


def attack_slow_reads(srv):
    n, since = post_day_of_samples(srv, 200000)
    t0 = time.monotonic()
    st, h, body = request(srv, "GET", f"/v1/queues?since={since}", timeout=60)
    one = time.monotonic() - t0
    page = json.loads(body)
    check(st == 200 and page.get("truncated") and len(page["samples"]) > 40000,
          f"a day of samples ({n} lines) comes in pages ({len(page['samples'])} lines, "
          "truncated, next_since)")
    stop = time.monotonic() + 15
    counts = {"200": 0, "503": 0, "other": 0}

    def poll():
        while time.monotonic() < stop:
            try:
                s, _, _ = request(srv, "GET", f"/v1/queues?since={since}", timeout=30)
                counts[str(s) if s in (200, 503) else "other"] += 1
                if s == 503:
                    time.sleep(0.2)
            except OSError:
                counts["other"] += 1
    prober = Prober(srv)
    pollers = [threading.Thread(target=poll) for _ in range(10)]
    for p in pollers:
        p.start()
    for p in pollers:
        p.join()
    med, worst, probes = prober.finish()
    figure(f"slow reads: one page of a day's samples ({len(body) // 1024} KiB) in {one * 1000:.0f} ms; "
           f"10 pollers for 15 s: {counts['200']} pages served, {counts['503']} told to retry; "
           f"/healthz {med:.0f} ms median, {worst:.0f} ms worst over {probes} probes "
           f"(the first release: 12.7 s)")
    check(worst < HEALTHZ_LIMIT_S * 1000, "/healthz answered within 2 s while ten pollers read a day")
    check(counts["other"] == 0 and counts["200"] > 0, "every poller got a page or a 503 to retry")


# --- 5, 6, 7. future samples, metrics, the smaller findings ---------------------------


def attack_samples_and_metrics(srv):
    now = time.time()
    t = lambda dt: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + dt))  # noqa: E731
    lines = [{"type": "queue", "queue": "meridien", "stations": 2, "service_s": 60},
             {"type": "count", "queue": "meridien", "sensor": "in", "role": "entry",
              "t": t(-60), "total": 10},
             {"type": "count", "queue": "meridien", "sensor": "out", "role": "exit",
              "t": t(-60), "total": 0},
             {"type": "count", "queue": "meridien", "sensor": "in", "role": "entry",
              "t": t(-5), "total": 14},
             {"type": "count", "queue": "meridien", "sensor": "out", "role": "exit",
              "t": t(-5), "total": 2}]
    st, _, _ = request(srv, "POST", "/v1/samples", "\n".join(map(json.dumps, lines)), SENSOR)
    check(st == 200, "live samples of one queue are taken")
    future = [{"type": "queue", "queue": "hilton", "stations": 1, "service_s": 45},
              {"type": "count", "queue": "hilton", "sensor": "in", "role": "entry",
               "t": "2200-01-01T12:00:00Z", "total": 1}]
    st, _, body = request(srv, "POST", "/v1/samples", "\n".join(map(json.dumps, future)), SENSOR)
    check(st == 400 and b"line 2: t: 2200-01-01T12:00:00Z is more than 300 s after this "
          b"server's clock" in body, "a sample dated 2200 is refused, naming the line and the clock")
    st, _, body = request(srv, "GET", "/v1/queues")
    q = {x["queue"]: x for x in json.loads(body)["queues"]}
    check("hilton" not in q and q["meridien"]["confidence"] == "good" and
          q["meridien"]["wait_s"] is not None, "the other queue's estimate is untouched")
    # metrics: quotes and backslashes escaped, control characters refused
    evil = 'lunch"} 1\\ x'
    st, _, _ = request(srv, "POST", "/v1/samples", json.dumps(
        {"type": "queue", "queue": evil, "stations": 1, "service_s": 30}), SENSOR)
    check(st == 200, "a queue id with a quote and a backslash is taken")
    st, _, body = request(srv, "POST", "/v1/samples", json.dumps(
        {"type": "queue", "queue": "x\nvenueboard_fake 1", "stations": 1, "service_s": 30}), SENSOR)
    check(st == 400, "a queue id with a newline is refused")
    st, h, body = request(srv, "GET", "/metrics")
    text = body.decode()
    label = r'[a-z_]+="(?:[^"\\\n]|\\[\\"n])*"'
    sample = re.compile(r'^[a-z_]+(\{' + label + r'(,' + label + r')*\})? -?[0-9.]+$')
    bad = [line for line in text.splitlines() if not line.startswith("# TYPE ")
           and not sample.match(line)]
    check(not bad and "venueboard_fake" not in text,
          f"every /metrics line parses; none injected ({len(text.splitlines())} lines)")
    check('queue="lunch\\"} 1\\\\ x"' in text, "the label value is escaped as the text format says")


def attack_smaller(srv):
    # invalid UTF-8 and control characters in a move's room
    for room, why in ((b"Salle \xff", b"UTF-8"), (b"Salle 243\\nvenueboard-server: INFO: fake",
                                                   b"one line")):
        st, _, body = request(srv, "POST", "/v1/changes",
                              b'{"kind":"move","session":"4184","room":"' + room + b'"}', ORG)
        check(st == 400 and why in body, f"a room {room[:12]!r}... is refused with 400")
    st, _, body = request(srv, "POST", "/v1/notices", '{"text":"Lunch\\u0000 moved"}', ORG)
    check(st == 400 and b"NUL" in body, "\\u0000 in a notice is refused, not cut")
    for value in ("2.9", "1e19", "-3", '"1"'):
        st, _, _ = request(srv, "POST", "/v1/changes", '{"kind":"undo","change":%s}' % value, ORG)
        check(st == 400, f"\"change\":{value} is refused with 400")
    junk = {"kind": "move", "session": "4184", "room": "Salle 243", "junk": "x" * 1000000}
    st = request_expect(srv, "/v1/changes", json.dumps(junk), ORG)
    check(st == 413, "a change of 1 MB is refused from its headers (64 KiB at most)")
    junk["junk"] = "x" * 30000
    st, _, _ = request(srv, "POST", "/v1/changes", json.dumps(junk), ORG)
    st2, h, body = request(srv, "GET", "/v1/schedule")
    check(st == 201 and b"xxxxxxxx" not in body, "extra fields of a change are neither stored nor echoed")
    # log injection through the path
    request(srv, "POST", "/%0Avenueboard-server:%20INFO:%20fake", "{}")
    log = open(srv.log, errors="replace").read()
    check("\nvenueboard-server: INFO: fake" not in log and "\\x0avenueboard-server" in log,
          "a newline in a path is escaped in the log: no forged line")
    # headers
    st, h, body = request(srv, "GET", "/organizer/")
    check(h.get("x-content-type-options") == "nosniff" and h.get("x-frame-options") == "DENY" and
          "script-src 'self'" in h.get("content-security-policy", "") and b"<script>" not in body,
          "the desk has nosniff, X-Frame-Options and a CSP with no inline script")
    st, h, _ = request(srv, "GET", "/v1/schedule")
    check(h.get("x-content-type-options") == "nosniff" and
          "default-src 'none'" in h.get("content-security-policy", ""), "API answers carry them too")
    full = int(h["content-length"])
    st, h, _ = request(srv, "HEAD", "/v1/schedule")
    check(st == 200 and int(h["content-length"]) == full, f"HEAD says Content-Length: {full}, as GET")
    st, h, _ = request(srv, "POST", "/v1/changes", "{}")
    check(st == 401 and h.get("www-authenticate", "").startswith("Bearer"), "401 with WWW-Authenticate")
    st, _, _ = request(srv, "POST", "/v1/changes", '{"kind":"cancel","session":"4216"}',
                       headers={"Authorization": "bearer " + ORG})
    check(st == 201, "'bearer' in lower case is accepted")
    for n in (500, 1000):
        q = "&".join(f"a{i}=1" for i in range(n))
        try:
            st, _, body = request(srv, "GET", "/v1/queues?" + q)
        except (OSError, http.client.HTTPException) as e:
            st, body = str(e), b""
        check(st == 400 and b"more than 16 parameters" in body,
              f"{n} query parameters get a 400 naming the limit, not a closed connection")
    # /healthz while every write fails: someone holds the database
    db = sqlite3.connect(srv.db, timeout=1, isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    st, _, _ = request(srv, "POST", "/v1/notices", '{"text":"Lunch at 13:00"}', ORG)
    st_h, _, body = request(srv, "GET", "/healthz")
    db.execute("COMMIT")
    db.close()
    check(st == 500 and st_h == 503 and b'"status":"failing"' in body,
          "while writes fail, /healthz answers 503 failing")
    st, _, _ = request(srv, "POST", "/v1/notices", '{"text":"Lunch at 13:00"}', ORG)
    st_h, _, _ = request(srv, "GET", "/healthz")
    check(st == 201 and st_h == 200, "once writes work again, /healthz is ok")
    modes = {suffix: oct(os.stat(srv.db + suffix).st_mode & 0o777) for suffix in ("", "-wal", "-shm")}
    check(all(m == "0o600" for m in modes.values()), f"server.db and its journal are 0600 ({modes})")


# --- 8. TLS --------------------------------------------------------------------------------


def attack_tls():
    if not shutil.which("openssl"):
        raise Failed("openssl is not installed (tests/run installs it)")
    ca = make_cert("venueboard-test-ca", None)
    one = make_cert("server-one", ca)
    two = make_cert("server-two", ca)
    srv = Server("tls", f"tls-key {one[0]}\ntls-certificate {one[1]}\n")
    srv.start()
    ctx = ssl.create_default_context(cafile=ca[1])
    st, _, _ = request(srv, "GET", "/healthz", context=ctx)
    check(st == 200, "HTTPS answers, verified against the venue's CA")
    try:
        request(srv, "GET", "/healthz", context=ssl.create_default_context())
        verified_anyway = True
    except ssl.SSLError:
        verified_anyway = False
    check(not verified_anyway, "a client that does not trust the CA refuses the server")
    try:
        st, _, _ = request(srv, "GET", "/healthz", timeout=3)
    except (OSError, http.client.HTTPException):
        st = None
    check(st != 200, "plain HTTP gets no answer on the HTTPS port")
    der_one = ssl.PEM_cert_to_DER_cert(open(one[1]).read())
    der_two = ssl.PEM_cert_to_DER_cert(open(two[1]).read())
    check(peer_cert(srv, ctx) == der_one, "the server presents certificate one")
    # an open connection, then the new certificate and a revoked token
    held = http.client.HTTPSConnection("127.0.0.1", srv.port, timeout=10, context=ctx)
    held.request("GET", "/healthz")
    held.getresponse().read()
    srv.write_conf(organizer="organizer-token-rotated-9876543210",
                   extra=f"tls-key {two[0]}\ntls-certificate {two[1]}\n")
    t0 = time.monotonic()
    srv.proc.send_signal(signal.SIGHUP)
    revoked = None
    while time.monotonic() - t0 < 5:
        st, _, _ = request(srv, "POST", "/v1/notices", '{"text":"Lunch at 13:00"}', ORG, context=ctx)
        if st == 401:
            revoked = time.monotonic() - t0
            break
        time.sleep(0.05)
    check(revoked is not None, "after SIGHUP the old organizer token is refused")
    figure(f"TLS: a leaked token revoked {revoked * 1000:.0f} ms after SIGHUP")
    st, _, _ = request(srv, "POST", "/v1/notices", '{"text":"Lunch at 13:00"}',
                       "organizer-token-rotated-9876543210", context=ctx)
    check(st == 201, "the new token works")
    check(peer_cert(srv, ctx) == der_two, "new connections get certificate two")
    held.request("GET", "/healthz")
    check(held.getresponse().status == 200, "the connection opened before the reload still works")
    held.close()
    # a reload with a broken key changes nothing
    bad = os.path.join(work, "tls", "broken.key")
    open(bad, "w").write("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    os.chmod(bad, 0o600)
    srv.write_conf(extra=f"tls-key {bad}\ntls-certificate {two[1]}\n")
    srv.proc.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    check(peer_cert(srv, ctx) == der_two and "reload:" in srv.tail(5),
          "a reload with a key that does not load keeps the certificate, and says so")
    srv.stop()


# --- 9. durability --------------------------------------------------------------------------


def attack_durability(kills):
    srv = Server("durability")
    srv.start()
    acked_notices, acked_totals, lock = set(), set(), threading.Lock()
    stop = [False]

    def writer(w):
        n = 0
        while not stop[0]:
            n += 1
            text = f"w{w}-{n}"
            try:
                st, _, _ = request(srv, "POST", "/v1/notices", json.dumps({"text": text}), ORG,
                                   timeout=5)
                if st == 201:
                    with lock:
                        acked_notices.add(text)
            except (OSError, http.client.HTTPException):
                time.sleep(0.01)

    def sensor():
        total = 0
        now = time.time()
        while not stop[0]:
            total += 1
            t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 3600 + total))
            line = json.dumps({"type": "count", "queue": "meridien", "sensor": "in",
                               "role": "entry", "t": t, "total": total})
            try:
                st, _, _ = request(srv, "POST", "/v1/samples", line, SENSOR, timeout=5)
                if st == 200:
                    with lock:
                        acked_totals.add(total)
            except (OSError, http.client.HTTPException):
                time.sleep(0.01)
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(3)]
    threads.append(threading.Thread(target=sensor))
    for t in threads:
        t.start()
    for _ in range(kills):
        time.sleep(random.uniform(0.1, 0.4))
        srv.stop(signal.SIGKILL)
        srv.start()
    time.sleep(0.3)
    stop[0] = True
    for t in threads:
        t.join()
    st, _, body = request(srv, "GET", "/v1/schedule")
    stored = {n["text"] for n in json.loads(body)["notices"]}
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 7200))
    st, _, body = request(srv, "GET", f"/v1/queues?since={since}&queue=meridien")
    totals = {s["total"] for s in json.loads(body)["samples"] if s.get("type") == "count"}
    lost = len(acked_notices - stored) + len(acked_totals - totals)
    figure(f"durability: {kills} SIGKILLs during writes; {len(acked_notices) + len(acked_totals)} "
           f"writes acknowledged, {lost} lost")
    check(len(acked_notices) > kills and len(acked_totals) > kills,
          "writes were acknowledged between the kills")
    check(lost == 0, "no acknowledged write was lost")
    srv.stop()


# --- run ---------------------------------------------------------------------------------------


def attack_all():
    attack_bad_changes()
    main = Server("main")
    main.start()
    attack_smaller(main)
    attack_samples_and_metrics(main)
    attack_memory(main)
    attack_slow(main, "slow senders", [f"127.0.0.{i}" for i in range(2, 6)], 250)
    attack_slow(main, "spread slow senders", [f"127.0.1.{i}" for i in range(1, 101)], 25)
    attack_slow_reads(main)
    hwm = main.status("VmHWM")
    figure(f"peak RSS of the server over the memory, slow-sender and slow-read attacks: {hwm:.1f} MB")
    if sanitized:
        print(f"note: RSS bound ({RSS_LIMIT_MB} MB) not asserted: ASan's shadow memory inflates it")
    else:
        check(hwm < RSS_LIMIT_MB, f"the server's peak RSS stays under {RSS_LIMIT_MB} MB")
    main.stop()
    log = open(main.log, errors="replace").read()
    logged = log.count("refused with")
    check(logged < 400 and "more requests refused in the last 10 s" in log,
          f"thousands of refusals make {logged} log lines, the rest summed up every 10 s")
    attack_tls()
    attack_durability(40)


harness.run("attack suite", attack_all)
