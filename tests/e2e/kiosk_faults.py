#!/usr/bin/env python3
"""The kiosk against a feed that answers but is wrong (issue 15): a real X
server (Xvfb), venueboard-server on loopback for the heartbeats and the
schedule, and between the kiosk and it a fault server that answers the
kiosk's feeds in one of these modes:

- good: the real server's /v1/schedule passed through (ETag, 304);
- garbage: the same bytes that are not a schedule, with an ETag (a 304
  for them must not count as fresh);
- wrong-schema: valid JSON that is no schedule;
- varying: the schedule cut at another line every poll, then junk (the
  parser's line and column differ every time);
- 503 (with a Retry-After of seconds, one that does not read, or none).

Checked: the log's lines (what is said once, the summaries, the end of a
streak, Retry-After), the footer in the frame log (--frame-log), and the
heartbeat's feed_error and schedule_version as GET /v1/screens records
them; the cache folder removed under the running kiosk and made again.

usage: kiosk_faults.py VENUEBOARD VENUEBOARD_SERVER DEMO_DIR WORK_DIR
Exits 77 (skipped, saying why) when Xvfb is not installed.
"""
import http.server, json, os, random, re, shutil, socketserver, stat, \
    subprocess, sys, threading, time
import urllib.error, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from e2e_session import QuietHandler, Session, free_port, kiosk_env  # noqa: E402  (tests/support)

kiosk_bin, server_bin, demo, work = sys.argv[1:5]
run = Session(work)
check, wait_for, start, stop = run.check, run.wait_for, run.start, run.stop
KIOSK_LOG = os.path.join(work, "kiosk.log")

# --- the X server and venueboard-server --------------------------------------
xvfb, display = run.xvfb(range(130, 170))
env = kiosk_env(display)

port = free_port()
token = "faults-organizer-" + os.urandom(8).hex()
screen_token = "faults-screen-" + os.urandom(8).hex()
conf = os.path.join(work, "server.conf")
with open(conf, "w") as f:
    f.write(f"listen 127.0.0.1:{port}\ndatabase {work}/server.db\n"
            f"schedule {demo}/paris-2014.schedule.json\norganizer desk {token}\n"
            f"screen palais-l2 {screen_token}\n")
os.chmod(conf, 0o600)
base = f"http://127.0.0.1:{port}"
server = start([server_bin, "--config", conf], os.path.join(work, "server.log"))
for _ in range(100):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=1).read()
        break
    except OSError:
        time.sleep(0.05)
real_version = json.load(urllib.request.urlopen(base + "/v1/schedule"))["version"]
check(isinstance(real_version, int), f"venueboard-server's schedule is version {real_version}")

# --- the fault server ----------------------------------------------------------
schedule_text = open(os.path.join(demo, "paris-2014.schedule.json"), "rb").read()
line_ends = [i + 1 for i, b in enumerate(schedule_text) if b == 0x0A][20:-20]
GARBAGE = bytes(random.Random(7).getrandbits(8) for _ in range(3000))
state = {"mode": "good", "retry_after": None, "n": 0}
requests = []  # (monotonic time, path, status)
lock = threading.Lock()


class Faults(QuietHandler):
    protocol_version = "HTTP/1.1"

    def send(self, status, body=b"", headers=()):
        super().send(status, body, headers)
        with lock:
            requests.append((time.monotonic(), self.path.split("?")[0], status))

    def do_GET(self):
        with lock:
            mode, ra = state["mode"], state["retry_after"]
            state["n"] += 1
            n = state["n"]
        if mode == "503":
            return self.send(503, b"down for maintenance\n",
                             [("Retry-After", ra)] if ra else [])
        if self.path.startswith("/v1/queues"):
            # the lunch lines: an empty answer that reads (the server's shape)
            return self.send(200, b'{"samples":[],"forecasts":[]}',
                             [("Content-Type", "application/json")])
        if mode == "good":
            req = urllib.request.Request(base + "/v1/schedule")
            if self.headers.get("If-None-Match"):
                req.add_header("If-None-Match", self.headers["If-None-Match"])
            try:
                r = urllib.request.urlopen(req)
                return self.send(200, r.read(), [("ETag", r.headers["ETag"])])
            except urllib.error.HTTPError as e:
                return self.send(e.code, b"", [("ETag", e.headers.get("ETag", ""))])
        if mode == "garbage":
            if self.headers.get("If-None-Match") == '"garbage-1"':
                return self.send(304, b"", [("ETag", '"garbage-1"')])
            return self.send(200, GARBAGE, [("ETag", '"garbage-1"')])
        if mode == "wrong-schema":
            return self.send(200, b'{"schedule":{"conference":{"title":"not this"}}}',
                             [("Content-Type", "application/json")])
        if mode == "varying":  # cut after another line each poll, then junk
            cut = line_ends[(n * 7919) % len(line_ends)]
            return self.send(200, schedule_text[:cut] + b"#junk %d\n" % n)
        self.send(500, b"unknown mode")


class Threaded(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


faults = Threaded(("127.0.0.1", 0), Faults)
threading.Thread(target=faults.serve_forever, daemon=True).start()
fbase = f"http://127.0.0.1:{faults.server_address[1]}"


def set_mode(mode, retry_after=None):
    with lock:
        state["mode"], state["retry_after"] = mode, retry_after
        return len(requests)


def served(since=0, path="/v1/schedule"):
    with lock:
        return [r for r in requests[since:] if r[1] == path]


# --- the kiosk -------------------------------------------------------------------
frames = os.path.join(work, "frames.jsonl")
cache = os.path.join(work, "cache")


def read_frames():
    out = []
    if os.path.exists(frames):
        for line in open(frames):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def footer(f):
    """The freshness line: the frame's text that speaks of the schedule's age."""
    for t in f["texts"]:
        if re.search(r"updated|schedule (received|confirmed)|failing|offline", t):
            return t
    return ""


def last_frame_with(pred, what, timeout=20, after=0):
    return wait_for(lambda: next((f for f in reversed(read_frames()[after:]) if pred(f)), None),
                    what, timeout)


def log():
    return open(KIOSK_LOG, errors="replace").read()


def screen():
    s = json.load(urllib.request.urlopen(base + "/v1/screens"))["screens"]
    return s[0] if s else None


os.makedirs(cache, mode=0o750)
os.chmod(cache, 0o750)
set_mode("garbage")
kiosk = start([kiosk_bin, "--schedule-url", fbase + "/v1/schedule",
               "--queues-url", fbase + "/v1/queues", "--cache-dir", cache,
               "--run-dir", os.path.join(work, "run"), "--poll-seconds", "2",
               "--queue-poll-seconds", "2", "--frame-log", frames,
               "--page-seconds", "3", "--page-seconds-max", "3",  # both pages soon
               "--heartbeat-url", base + "/v1/screens/heartbeat",
               "--heartbeat-token", screen_token, "--heartbeat-seconds", "10",
               "--clock-start", "2014-11-06T10:30:00+01:00", "--log-level", "info"],
              KIOSK_LOG, env)

# 1. garbage from the start, nothing saved: the truth in the log and on screen
f = last_frame_with(lambda f: "Waiting for the schedule…" in f["texts"]
                    and "schedule feed failing since" in footer(f),
                    "garbage, nothing saved: 'Waiting for the schedule…' and the footer says the "
                    "feed is failing")
wait_for(lambda: any(r[2] == 304 for r in served()),
         "the garbage's ETag comes back: the fault server answers 304", 15)
wait_for(lambda: len(served()) >= 5, "five polls of the garbage", 15)
time.sleep(0.5)
text = log()
check("no schedule yet; the screen says it is waiting for the schedule" in text
      and "keeping the schedule on screen" not in text,
      "ERROR says there is no schedule yet (not 'keeping the schedule on screen')")
polls = len(served())
errors = len(re.findall(r"ERROR: schedule: .*not a schedule format", text))
check(polls >= 4 and errors == 1,
      f"{polls} polls of garbage and 304s for it, one ERROR line ({errors})")
check(not any("updated" in footer(f) for f in read_frames()),
      "no frame ever says 'updated' while nothing read")
s = wait_for(lambda: (lambda s: s if s and s.get("feed_error") else None)(screen()),
             "a heartbeat carries feed_error", 15)
check(s["state"] == "failing" and "not a schedule format" in s["feed_error"]
      and s["feed_age_s"] is None and s["schedule_version"] is None
      and s["showing"] == "waiting for the schedule",
      f"GET /v1/screens: failing, why, no age, no version ({s['state']}, "
      f"'{s['feed_error'][:50]}…', {s['feed_age_s']}, {s['schedule_version']}, {s['showing']})")

# 2. the schedule reads: the streak's end said, the feed fresh, the version sent
mark = set_mode("good")
f = last_frame_with(lambda f: "Salle 251" in " ".join(f["texts"]) and "updated" in footer(f),
                    "the schedule reads: the rooms and 'updated …' on screen",
                    after=len(read_frames()))
text = log()
m = re.search(r"INFO: schedule: reads again after (\d+) failed polls since (\d\d:\d\d)", text)
check(m and int(m.group(1)) >= polls,
      f"INFO: '{m.group(0) if m else None}' (the fault server saw {polls}+ bad answers)")
s = wait_for(lambda: (lambda s: s if s and s["state"] == "ok" else None)(screen()),
             "the desk shows the screen ok again", 15)
check(s.get("feed_error") is None and s["schedule_version"] == real_version
      and s["feed_age_s"] is not None and s["feed_age_s"] <= 12,
      f"heartbeat: no feed_error, schedule_version {s['schedule_version']} (the server's "
      f"{real_version}), feed_age_s {s['feed_age_s']}")
check(os.path.exists(os.path.join(cache, "schedule.feed"))
      and os.path.exists(os.path.join(cache, "baseline.feed")),
      "the schedule and the baseline are saved once one reads (not the garbage)")

# 3. the cache folder removed under the running kiosk: made again, mode kept
wait_for(lambda: any(r[2] == 304 for r in served(mark)), "unchanged: 304s confirm it", 10)
shutil.rmtree(cache)
# a notice changes the schedule: the next poll's 200 is saved (else the
# once-a-minute refresh of the saved copy's time makes the folder again)
req = urllib.request.Request(base + "/v1/notices", method="POST",
                             data=b'{"text":"Registration closes at 18:00"}',
                             headers={"Authorization": "Bearer " + token,
                                      "Content-Type": "application/json"})
check(urllib.request.urlopen(req).status == 201, "a notice posted: the schedule changes")
wait_for(lambda: os.path.exists(os.path.join(cache, "schedule.feed")),
         "the removed cache folder is made again and the new schedule saved in it", 20)
mode = stat.S_IMODE(os.stat(cache).st_mode)
check(mode == 0o750, f"with the mode it had at start ({oct(mode)})")
time.sleep(3)
said = len(re.findall(r"INFO: cache: .* was gone: made it again \(mode 0750\)", log()))
check(said == 1, f"INFO says it once ({said})")

# 4. wrong-schema JSON: the schedule stays; failing, with the last confirmation
n = len(read_frames())
mark = set_mode("wrong-schema")
f = last_frame_with(lambda f: "schedule feed failing since" in footer(f)
                    and "Salle 251" in " ".join(f["texts"]),
                    "wrong-schema JSON: the footer says the feed is failing (on the rooms' page)",
                    after=n)
check("Salle 251" in " ".join(f["texts"]) and "schedule confirmed at" in footer(f)
      and "updated" not in footer(f),
      f"the schedule stays, with when it was last confirmed ('{footer(f)}')")
check("ERROR: schedule: " + fbase + "/v1/schedule: schedule.conference.days" in log()
      and "keeping the schedule on screen" in log(), "ERROR names the field and keeps the schedule")
# (the age goes on growing while the feed fails: nothing confirms the schedule)
s = wait_for(lambda: (lambda s: s if s and s["state"] == "failing" and (s["feed_age_s"] or 0) >= 8
                      else None)(screen()),
             "the desk shows the screen failing, its schedule 8 s old or more", 25)
check("schedule.conference.days" in s["feed_error"] and s["feed_age_s"] >= 8,
      f"heartbeat: feed_error '{s['feed_error']}', feed_age_s {s['feed_age_s']} (not fresh)")

# 5. a body that differs at every poll: said once, then summarised
mark = set_mode("varying")
t0 = time.monotonic()
lines0 = log().count("\n")
time.sleep(66)
text = log()
new = text.splitlines()[lines0:]
polls = len(served(mark))
errors = [l for l in new if "ERROR: schedule:" in l]
check(polls >= 25, f"{polls} polls with a different broken body each")
check(any("not valid JSON here" in l for l in errors) and
      any(re.search(r"the same failure \d+ more times in the last 6\d s", l) for l in errors)
      and len(errors) <= 3,
      f"{len(errors)} ERROR lines for {polls} polls: the first in full, then a summary "
      f"({[l[l.index('schedule:'):][:90] for l in errors]})")
mark = set_mode("good")
wait_for(lambda: re.search(r"reads again after \d+ failed polls", log()[len(text):]),
         "INFO: reads again after the varying bodies")

# 6. 503 with Retry-After: honoured, said; one that does not read: ignored
mark = set_mode("503", "6")
wait_for(lambda: "the server asks to wait 6 s (HTTP 503): next try in 6 s" in log(),
         "INFO: the server asks to wait 6 s", 10)
time.sleep(13)
times = [r[0] for r in served(mark)]
gaps = [b - a for a, b in zip(times, times[1:])]
check(len(times) >= 2 and min(gaps) >= 5.5,
      f"the schedule is asked again only after 6 s ({[round(g, 1) for g in gaps]})")
set_mode("503", "soon")
wait_for(lambda: "Retry-After 'soon' (HTTP 503) does not read: ignored" in log(),
         "INFO: a Retry-After that does not read is ignored", 15)

# 7. the server down for a while, then back: the lunch lines come with the schedule
set_mode("503")
time.sleep(20)
lunch_down = [r for r in served(0, "/v1/queues") if r[2] == 503]
back = set_mode("good")
first = wait_for(lambda: next((r for r in requests[back:] if r[2] in (200, 304)), None),
                 "the server back: a feed gets an answer", 130)
other = "/v1/queues" if first[1] == "/v1/schedule" else "/v1/schedule"
second = wait_for(lambda: next((r for r in requests[back:] if r[1] == other), None),
                  f"... and {other} is asked soon after", 30)
gap = second[0] - first[0]
check(gap <= 3.5, f"{other} asked {gap:.1f} s after {first[1]} answered (its own back-off was "
      f"up to 16 s after {len(lunch_down)} failures)")

check(stop(kiosk) == 0, "the kiosk stops cleanly")
stop(server)
faults.shutdown()
stop(xvfb)  # SIGTERM: the X server removes its lock
print(f"{run.checks} passed, 0 failed")
