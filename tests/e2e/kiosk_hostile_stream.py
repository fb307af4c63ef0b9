#!/usr/bin/env python3
"""The kiosk against a hostile fleet server (issue 19, findings 10-12): a
real X server (Xvfb) and three kiosks at once, each with a small server of
its own on loopback that speaks venueboard-server's endpoints (schedule,
queues, heartbeat, stream) and misbehaves on one of them:

- endless: the stream's first connection sends an event line a few bytes
  at a time that never ends, the next ones the same line at full speed,
  while the heartbeat's answers carry "Evacuate by the east stairs": the
  alert on screen within 5 s of the first answer that carries it; the slow
  stream cut after its keep-alive period and margin (20 s), the fast ones
  at the line's cap; CPU while it is fed at full speed;
- junk: events that are not JSON at full speed: at most a few log lines,
  CPU bounded, the alert (from the answers) still on screen;
- storm: a new schedule ETag, a new update offer and a new second alert in
  every event (15 a second): schedule requests counted at the server,
  update-target.json and screen.json writes and the log's lines counted.

The endless and junk servers' schedules are 12.3 MB, over the kiosk's 8 MB
cap, while their lunch lines answer every 2 s: said once as over the cap,
never as offline, and asked less and less often (its own back-off).

Each figure is printed; with --measure every check is said and the run
goes on (to measure an older kiosk), failing at the end.

usage: kiosk_hostile_stream.py VENUEBOARD DEMO_DIR WORK_DIR [--measure]
Exits 77 (skipped, saying why) when Xvfb is not installed.
"""
import hashlib, http.server, json, math, os, socketserver, sys, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from e2e_session import QuietHandler, Session, kiosk_env  # noqa: E402  (tests/support)

kiosk_bin, demo, work = sys.argv[1:4]
measure = "--measure" in sys.argv[4:]
run = Session(work, logs=("endless.log", "junk.log", "storm.log"))
failed = []


def expect(cond, what):
    """A check; with --measure, said and counted instead of ending the run."""
    if measure:
        print("ok:" if cond else "FAIL:", what)
        if not cond:
            failed.append(what)
    else:
        run.check(cond, what)


ALERT = "Evacuate by the east stairs"
ALERT_JSON = {"id": 12, "text": ALERT, "at": "2026-12-07T13:00:00Z"}
BIG = 12_900_000  # 12.3 MiB: over the 8 MiB cap the kiosks are given (max-feed-kib)
WINDOW = 28.0     # seconds every kiosk runs against its server
SLOW_FOR = 24.0   # the endless server's first connection, at most
schedule_text = open(os.path.join(demo, "paris-2014.schedule.json"), "rb").read()
schedule_etag = '"' + hashlib.sha256(schedule_text).hexdigest()[:16] + '"'


class Hostile(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, mode):
        super().__init__(("127.0.0.1", 0), Handler)
        self.mode, self.lock = mode, threading.Lock()
        self.t0 = None       # when the test window began (monotonic)
        self.alert = mode != "endless"  # endless: once its stream is open
        self.requests = []   # (monotonic, path)
        self.streams = []    # [opened, closed or None]
        self.alert_answered = None  # wall time of the first answer with the alert
        self.events = 0
        self.closing = False

    def url(self, path=""):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(QuietHandler):
    protocol_version = "HTTP/1.0"  # the stream's end is the connection's

    def note(self):
        s = self.server
        with s.lock:
            s.requests.append((time.monotonic(), self.path.split("?")[0]))

    def do_POST(self):
        self.note()
        s = self.server
        self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        if not self.path.startswith("/v1/screens/heartbeat"):
            return self.send(404)
        with s.lock:
            alert = s.alert
            if alert and s.alert_answered is None:
                s.alert_answered = time.time()
        answer = {"screen": "hostile-" + s.mode, "zones": [],
                  "alerts": [ALERT_JSON] if alert else []}  # (no word of updates)
        self.send(200, json.dumps(answer).encode(), [("Content-Type", "application/json")])

    def do_GET(self):
        self.note()
        s = self.server
        path = self.path.split("?")[0]
        try:
            if path == "/v1/queues":
                return self.send(200, b'{"samples":[],"forecasts":[]}',
                                 [("Content-Type", "application/json")])
            if path == "/v1/schedule" and s.mode == "storm":
                if self.headers.get("If-None-Match") == schedule_etag:
                    return self.send(304, b"", [("ETag", schedule_etag)])
                return self.send(200, schedule_text, [("ETag", schedule_etag)])
            if path == "/v1/schedule":  # over the cap: the kiosk stops reading
                self.send_response(200)
                self.send_header("Content-Length", str(BIG))
                self.end_headers()
                chunk = b" " * 100_000
                for _ in range(BIG // len(chunk)):
                    self.wfile.write(chunk)
                return
            if path == "/v1/stream":
                return self.stream()
            self.send(404)
        except OSError:
            pass  # the kiosk hung up: what it does about it is what is measured

    def stream(self):
        s = self.server
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        mark = [time.monotonic(), None]
        with s.lock:
            s.streams.append(mark)
            first = len(s.streams) == 1
        try:
            if s.mode == "endless":
                self.wfile.write(b"event: state\ndata: ")
                self.wfile.flush()
                if first:  # a few bytes at a time: never a whole event
                    s.alert = True  # the stream is open: now the answers carry it
                    while not s.closing and time.monotonic() - mark[0] < SLOW_FOR:
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.02)
                else:
                    chunk = b"x" * 16384
                    while not s.closing:
                        self.wfile.write(chunk)
            elif s.mode == "junk":
                batch = b"".join(b"event: state\ndata: {not json %d\n\n" % i for i in range(200))
                while not s.closing:
                    self.wfile.write(batch)
            else:  # storm: a new ETag and a new offer in every event, 15 a second
                while not s.closing:
                    with s.lock:
                        s.events += 1
                        n = s.events
                    other = {"id": 1000 + n, "text": f"Notice {n}", "at": "2026-12-07T12:00:00Z"}
                    ev = {"screen": "hostile-storm", "alerts": [ALERT_JSON, other],
                          "schedule_version": n, "schedule_etag": f'"storm-{n}"',
                          "update": {"version": f"20261207.{n}", "url": f"/v1/bundles/{n}.tar",
                                     "size": 1 << 20, "sha256": "%064x" % n}}
                    self.wfile.write(b"event: state\ndata: " + json.dumps(ev).encode() + b"\n\n")
                    self.wfile.flush()
                    time.sleep(1 / 15)
        except OSError:
            pass
        mark[1] = time.monotonic()


servers = {m: Hostile(m) for m in ("endless", "junk", "storm")}
for srv in servers.values():
    threading.Thread(target=srv.serve_forever, daemon=True).start()

# --- the kiosks --------------------------------------------------------------------
xvfb, display = run.xvfb(range(170, 210))
env = kiosk_env(display)


def cpu_s(pid):
    """User + system CPU seconds of a process so far (/proc/PID/stat)."""
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def lines(path):
    """The kiosk's own lines in its log (not the sanitizers' report)."""
    with open(path, "rb") as f:
        return sum(1 for line in f if line.startswith(b"venueboard: "))


kiosks = {}
for mode, srv in servers.items():
    d = os.path.join(work, mode)
    os.makedirs(d)
    frames = os.path.join(d, "frames.jsonl")
    args = [kiosk_bin, "--schedule-url", srv.url("/v1/schedule"),
            "--queues-url", srv.url("/v1/queues"), "--queue-poll-seconds", "2",
            "--poll-seconds", "60" if mode == "storm" else "2", "--max-feed-kib", "8192",
            "--heartbeat-url", srv.url("/v1/screens/heartbeat"),
            "--heartbeat-token", "hostile-screen-" + mode, "--heartbeat-seconds", "10",
            "--cache-dir", os.path.join(d, "cache"), "--run-dir", os.path.join(d, "run"),
            "--frame-log", frames, "--clock-start", "2014-11-06T10:30:00+01:00",
            "--window", "--size", "640x360", "--log-level", "info"]
    srv.t0 = time.monotonic()
    kiosks[mode] = (run.start(args, os.path.join(work, mode + ".log"), env), frames,
                    os.path.join(work, mode + ".log"), os.path.join(d, "run"))


def read_frames(path):
    out = []
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass  # a line being written
    return out


def shows_alert(f):
    return ALERT in " ".join(f.get("texts", []))  # (its lines as wrapped)


# the storm's kiosk's update-target.json and screen.json, watched for every rewrite
target = os.path.join(kiosks["storm"][3], "update-target.json")
record = os.path.join(work, "storm", "cache", "screen.json")
rewrites = {target: [], record: []}


def watch_files():
    last = {}
    while not servers["storm"].closing:
        for path, seen in rewrites.items():
            try:
                st = os.stat(path)
                key = (st.st_mtime_ns, st.st_ino, st.st_size)
                if key != last.get(path):
                    seen.append((time.monotonic(), open(path).read()))
                    last[path] = key
            except OSError:
                pass
        time.sleep(0.01)


threading.Thread(target=watch_files, daemon=True).start()

# CPU and log lines from the moment each stream is open
t_start = time.monotonic()
while time.monotonic() - t_start < 10 and not all(s.streams for s in servers.values()):
    time.sleep(0.05)
expect(all(s.streams for s in servers.values()), "the three kiosks open their streams")
base_cpu = {m: cpu_s(k[0].pid) for m, k in kiosks.items()}
base_lines = {m: lines(k[2]) for m, k in kiosks.items()}
fast_cpu = None
while time.monotonic() - t_start < WINDOW:
    if fast_cpu is None and len(servers["endless"].streams) >= 2:
        fast_cpu = (time.monotonic(), cpu_s(kiosks["endless"][0].pid))
    time.sleep(0.1)
end = time.monotonic()
cpu = {m: cpu_s(k[0].pid) - base_cpu[m] for m, k in kiosks.items()}
span = end - t_start
new_lines = {m: lines(k[2]) - base_lines[m] for m, k in kiosks.items()}
for s in servers.values():
    s.closing = True

# 10. the endless line: the alert from the answers on screen within 5 s
e = servers["endless"]
fr = read_frames(kiosks["endless"][1])
first = next((f for f in fr if shows_alert(f)), None)
if e.alert_answered is None:
    expect(False, "a heartbeat's answer carried the alert")
else:
    delay = (first["wall_ms"] / 1000 - e.alert_answered) if first else None
    print(f"endless line: the alert on screen {delay:.2f} s after the first answer carrying it"
          if first else "endless line: the alert never on screen")
    expect(first is not None and delay <= 5,
           "endless event line: the alert from the heartbeat's answer on screen within 5 s")
slow = e.streams[0]
cut_after = (slow[1] or end) - slow[0]
print(f"endless line: its first (slow) connection ended after {cut_after:.1f} s; "
      f"{len(e.streams)} connections in {span:.0f} s")
expect(19.5 <= cut_after < 23,
       f"a stream without a whole event is cut after 20 s ({cut_after:.1f} s), bytes or not")
fast = e.streams[1:]
if fast_cpu:
    fast_span = end - fast_cpu[0]
    fcpu = cpu_s(kiosks["endless"][0].pid) - fast_cpu[1] if kiosks["endless"][0].poll() is None \
        else float("nan")
    print(f"endless line at full speed: {len(fast)} connections, {fcpu:.2f} CPU s in "
          f"{fast_span:.1f} s")
    expect(len(fast) >= 1 and fcpu <= 0.3 * fast_span,
           "at full speed the line is cut at its cap: CPU at most 30 % of a core")
log_e = open(kiosks["endless"][2], errors="replace").read()
expect("a line over 128 KiB" in log_e, "the log says why: a line over 128 KiB")

# 11. junk at full speed: a few log lines, CPU bounded, the alert on screen
j = servers["junk"]
fr = read_frames(kiosks["junk"][1])
all_lines = lines(kiosks["junk"][2])
print(f"junk at full speed: {all_lines} log lines in all (startup included), {new_lines['junk']} "
      f"and {cpu['junk']:.2f} CPU s in the {span:.0f} s after its stream opened, "
      f"{len(j.streams)} connections")
expect(all_lines <= 15, f"junk events: at most 15 log lines in all, startup included "
       f"({all_lines})")
expect(cpu["junk"] <= 0.3 * span, f"junk events: CPU at most 30 % of a core "
       f"({cpu['junk']:.2f} s in {span:.0f} s)")
expect(bool(fr) and shows_alert(fr[-1]), "junk events: the alert (from the answers) on screen")
log_j = open(kiosks["junk"][2], errors="replace").read()
expect("8 events in a row that do not read" in log_j, "the log says why the stream was cut")

# 12. the storm: schedule requests and update-target.json rewrites
st = servers["storm"]
sched = [t for t, p in st.requests if p == "/v1/schedule" and t <= end]
beats = sum(1 for t, p in st.requests if p == "/v1/screens/heartbeat" and t <= end)
offered = open(kiosks["storm"][2], errors="replace").read().count("update offered:")
targets, records = rewrites[target], rewrites[record]
distinct = len({c for _, c in targets})
print(f"storm: {st.events} events; {len(sched)} schedule requests, update-target.json "
      f"written {len(targets)} times ({distinct} offers), {offered} 'update offered' lines, "
      f"screen.json written {len(records)} times, {beats} heartbeats, "
      f"{new_lines['storm']} log lines, "
      f"{cpu['storm']:.2f} CPU s in {span:.0f} s")
expect(st.events >= 100, f"the storm server sent its events ({st.events})")
expect(len(sched) <= 6, f"schedule fetches coalesced: 2, 4, 8 … s apart under a storm "
       f"({len(sched)} in {span:.0f} s)")
expect(len(targets) <= 1 + span / 30 and len(targets) == distinct and offered <= len(targets),
       "update-target.json written at most once per distinct offer, once per 30 s, "
       "each said once")
expect(beats <= 10 * math.ceil(span / 10) + span / 10 + 5,
       f"heartbeats naming the alerts on screen: at most 10 in 10 s, and the regular ones "
       f"({beats} in {span:.0f} s)")
expect(len(records) <= 1 + span / 5, f"screen.json written at most once per 5 s "
       f"({len(records)})")
expect(new_lines["storm"] <= 2 * 20 + 4, f"storm: the alerts' changes logged at most 20 a "
       f"minute, the rest counted ({new_lines['storm']} lines)")
fr = read_frames(kiosks["storm"][1])
expect(bool(fr) and shows_alert(fr[-1]), "storm: the alert on screen")

# 12. the schedule over the cap: said so once, never offline; its own back-off
for mode in ("endless", "junk"):
    srv, text = servers[mode], open(kiosks[mode][2], errors="replace").read()
    times = [t for t, p in srv.requests if p == "/v1/schedule" and t <= end]
    queues = sum(1 for t, p in srv.requests if p == "/v1/queues" and t <= end)
    gaps = [round(b - a, 1) for a, b in zip(times, times[1:] + [end])]  # the last still open
    print(f"{mode}: the 12.3 MB schedule asked {len(times)} times in {span:.0f} s "
          f"(gaps {gaps}) beside {queues} lunch-line polls")
    expect(text.count("over the 8 MB cap") == 1 and "12.3 MB" in text,
           f"{mode}: 'the schedule is 12.3 MB, over the 8 MB cap' said once")
    expect("schedule feed unreachable" not in text, f"{mode}: never said to be offline")
    expect(len(times) <= 7 and max(gaps) >= 7,
           f"{mode}: its back-off its own, not reset by the lunch lines ({len(times)} asks)")

for mode, k in kiosks.items():
    expect(run.stop(k[0]) == 0, f"the {mode} kiosk stops cleanly")
run.stop(xvfb)  # SIGTERM: the X server removes its lock
for srv in servers.values():
    srv.shutdown()
if measure and failed:
    print(f"{len(failed)} failed: " + "; ".join(failed))
    sys.exit(1)
print(f"{run.checks} passed, 0 failed")
