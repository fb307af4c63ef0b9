#!/usr/bin/env python3
"""The kiosk end to end: a real X server (Xvfb), venueboard-server on
loopback, venueboard full screen in it pulling the feed.

- an organizer posts a move: the next frames show it, in the frame log and
  in the pixels of the real window (xwd);
- the server stops: the kiosk keeps the schedule and says it is offline;
- the server comes back on the same port: the kiosk recovers;
- the kiosk restarts with no server: the saved schedule is on screen at once;
- a truncated and a garbage feed: logged, the schedule stays, no crash;
- the lunch lines at 12:40 on the summit's last day, two of them, learned
  from the three days before (venueboard-feed simulate): the forecast line
  and the band on screen and the shorter line named, from a JSON Lines file
  (the kiosk's own forecaster) and from venueboard-server (its forecast);
- the rooms: a room counted at capacity shows FULL with where there are
  seats on a hallway screen and on its door screen within one poll; a count
  the server still calls fresh but older than 3 minutes on the screen's
  clock never does; a steward's FULL wins over the camera and ends with the
  session;
- a fleet of three screens: an alert posted shows on all three (median and
  worst from the POST to the presented frame, under 5 s), each confirmed in
  GET /v1/alerts, withdrawn off them; several newest first; targeted ones
  only where meant; a move shown within seconds with a 60 s poll (the
  stream's schedule ETag); notices for a zone and between a start and an
  end; an update offered to the canary (update-target.json), its updater's
  state and image in the rollout, removed when stopped; the streams back
  after the server was away; an alert kept across a restart.

usage: kiosk_e2e.py VENUEBOARD VENUEBOARD_SERVER DEMO_DIR WORK_DIR VENUEBOARD_FEED
Exits 77 (skipped, saying why) when Xvfb is not installed.
"""
import datetime, json, os, re, shutil, struct, subprocess, sys, time
import urllib.request
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import png_colours  # noqa: E402  (tests/support)

from e2e_session import Session, free_port, kiosk_env  # noqa: E402  (tests/support)

kiosk_bin, server_bin, demo, work, feed_bin = sys.argv[1:6]
run = Session(work)
check, start, stop = run.check, run.start, run.stop

# --- the X server ---------------------------------------------------------
xvfb, display = run.xvfb(range(90, 130))
env = kiosk_env(display)

# --- legibility: readers too far for one room on a 32-inch 720p panel -------
def legibility_run(*extra):
    log = os.path.join(work, "legibility.log")
    p = start([kiosk_bin, "--schedule-url", "file://" + os.path.join(demo, "paris-2014.schedule.json"),
               "--cache-dir", os.path.join(work, "legibility-cache"), "--run-dir",
               os.path.join(work, "legibility-run"), "--screen-diagonal", "32",
               "--exit-after", "2", *extra], log, env)
    try:
        rc = p.wait(30)
    finally:
        run.procs.remove(p)
    return rc, open(log, errors="replace").read()


rc, log = legibility_run("--viewing-distance", "10")
check(rc == 1, f"viewing-distance 10 m on a 32-inch 720p screen: the kiosk stops, exit 1 (got {rc})")
check("ERROR: kiosk: viewing-distance 10: capitals 83 mm tall need text of" in log and
      "not one room fits" in log, "... saying why, at start")
rc, log = legibility_run("--viewing-distance", "1")
check(rc == 0 and re.search(r"INFO: screen: legibility: readers at 1 m need capitals 8 mm tall: "
                            r"text of at least \d+ px .*from screen-diagonal\); \d+ rooms? a page", log),
      "viewing-distance 1 m: runs, its text size and rooms a page said at INFO")
# a screenshot has no display to ask its size: without screen-diagonal, said and drawn as designed
shot_log = os.path.join(work, "legibility-shot.log")
rc = subprocess.run([kiosk_bin, "--schedule-url", "file://" + os.path.join(demo, "paris-2014.schedule.json"),
                     "--cache-dir", os.path.join(work, "legibility-cache"), "--screenshot",
                     os.path.join(work, "legibility.png"), "--size", "1920x1080",
                     "--viewing-distance", "3"], stdout=open(shot_log, "wb"),
                    stderr=subprocess.STDOUT, env=env, timeout=60).returncode
check(rc == 0 and "INFO: screen: legibility cannot be checked: the display gives no physical size "
      "and screen-diagonal is not set" in open(shot_log, errors="replace").read(),
      "no panel size known: an INFO line, the screenshot at the design's sizes")

# --- the server -------------------------------------------------------------
port = free_port()
token = "e2e-organizer-" + os.urandom(8).hex()
screen_token = "e2e-screen-" + os.urandom(8).hex()


def server_conf(name, port, more):
    """A server's configuration (the demo summit, a database of its own)
    and its URL."""
    path = os.path.join(work, name + ".conf")
    with open(path, "w") as f:
        f.write(f"listen 127.0.0.1:{port}\ndatabase {work}/{name}.db\n"
                f"schedule {demo}/paris-2014.schedule.json\norganizer desk {token}\n{more}")
    os.chmod(path, 0o600)
    return path, f"http://127.0.0.1:{port}"


conf, base = server_conf("server", port, f"screen palais-l2 {screen_token}\n")


def start_server(config=None, url=None):
    p = start([server_bin, "--config", config or conf], os.path.join(work, "server.log"))
    for _ in range(100):
        try:
            urllib.request.urlopen((url or base) + "/healthz", timeout=1).read()
            return p
        except OSError:
            time.sleep(0.05)
    check(False, "venueboard-server answers /healthz")


server = start_server()

# --- the kiosk ----------------------------------------------------------------
frames = os.path.join(work, "frames.jsonl")
cache = os.path.join(work, "cache")


def start_kiosk(url=base + "/v1/schedule", extra=None):
    clock = ["--clock-start", "2014-11-06T10:30:00+01:00"] if extra is None else extra
    return start([kiosk_bin, "--schedule-url", url, "--cache-dir", cache,
                  "--run-dir", os.path.join(work, "run"),
                  "--poll-seconds", "2", "--frame-log", frames, "--venue", "Palais des Congrès",
                  "--heartbeat-url", base + "/v1/screens/heartbeat",
                  "--heartbeat-token", screen_token, "--heartbeat-seconds", "10",
                  "--log-level", "info"] + clock, os.path.join(work, "kiosk.log"), env)


def kiosk_log():
    return open(os.path.join(work, "kiosk.log")).read()


def read_frames(path=None):
    path = path or frames
    if not os.path.exists(path):
        return []
    out = []
    for line in open(path):
        try:
            out.append(json.loads(line))
        except ValueError:
            pass  # a line being written
    return out


def wait_frame(pred, what, timeout=20, after=0, path=None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        fs = read_frames(path)[after:]
        for f in fs:
            if pred(f):
                check(True, what)
                return f
        time.sleep(0.1)
    fs = read_frames(path)
    last = fs[-1]["texts"] if fs else []
    check(False, f"{what} (last frame: {last[:40]})")


def has(f, needle):
    return any(needle in t for t in f["texts"])


def screen_pixels():
    """The X screen's pixels (xwd), as a set of colours and a count of those
    near the board's yellow (#ffd23f, the MOVED plate)."""
    raw = subprocess.run(["xwd", "-root", "-silent", "-display", display], capture_output=True,
                         check=True).stdout
    h = struct.unpack(">25I", raw[:100])
    header_size, width, height, bpp, bpl, ncolors = h[0], h[4], h[5], h[11], h[12], h[19]
    data = raw[header_size + ncolors * 12:]
    colours, yellow = set(), 0
    for y in range(0, height, 2):
        row = data[y * bpl:(y + 1) * bpl]
        for x in range(0, width, 2):
            b, g, r = row[x * 4], row[x * 4 + 1], row[x * 4 + 2]
            colours.add((r, g, b))
            if abs(r - 0xff) < 8 and abs(g - 0xd2) < 8 and abs(b - 0x3f) < 8:
                yellow += 1
    return width, height, colours, yellow


def screen_png(path):
    """The X screen's pixels (xwd) written as an RGB PNG at path."""
    import zlib
    raw = subprocess.run(["xwd", "-root", "-silent", "-display", display], capture_output=True,
                         check=True).stdout
    h = struct.unpack(">25I", raw[:100])
    header_size, width, height, bpl, ncolors = h[0], h[4], h[5], h[12], h[19]
    data = raw[header_size + ncolors * 12:]
    rows = bytearray()
    for y in range(height):
        row = data[y * bpl:y * bpl + width * 4]
        rows.append(0)
        rgb = bytearray(width * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = row[2::4], row[1::4], row[0::4]
        rows += rgb

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                  + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))


kiosk = start_kiosk()
f = wait_frame(lambda f: has(f, "Salle 251") and has(f, "OpenStack Summit Paris 2014"),
               "the kiosk shows the summit's rooms")
# the QR code to the phone page: mobile-url not given, so the heartbeat
# server's origin + /m/; read from the window's pixels by a real decoder
check(has(f, "On your phone"), "the board captions its QR code 'On your phone'")
check(shutil.which("zbarimg") is not None, "zbarimg (Debian's zbar-tools) is installed")
if shutil.which("xwd"):
    shot = os.path.join(work, "window.png")
    screen_png(shot)
    read = subprocess.run(["zbarimg", "-q", "--raw", shot], capture_output=True,
                          text=True).stdout.strip()
    print(f"zbarimg reads the window's QR code (1280x720): {read}")
    check(read == base + "/m/", f"the window's QR code decodes to the phone page ({read!r})")
    page = urllib.request.urlopen(read)
    body = page.read().decode()
    check(page.status == 200 and "OpenStack Summit Paris 2014" in body,
          f"the URL in the QR code serves the phone page of the summit ({body[:200]!r})")
check(has(f, "10:30"), "the clock shows the replayed day (10:30)")
if shutil.which("xwd"):
    w, h, colours, yellow_before = screen_pixels()
    check((w, h) == (1280, 720) and len(colours) > 20,
          f"the real window fills the X screen with a drawn board ({len(colours)} colours)")
n = len(read_frames())

# the screen reports to the organizer desk: alive, what it shows, a thumbnail
end = time.monotonic() + 20
screens = []
while time.monotonic() < end and not (screens and screens[0]["showing"].startswith("page")):
    screens = json.load(urllib.request.urlopen(base + "/v1/screens"))["screens"]
    time.sleep(0.2)
check(len(screens) == 1 and screens[0]["screen"] == "palais-l2" and screens[0]["state"] == "ok",
      f"the desk lists the screen as ok ({screens[:1]})")
check(screens[0]["showing"].startswith("page ") and screens[0]["version"],
      f"the heartbeat says what it shows ({screens[0]['showing']}, {screens[0]['version']})")
png = urllib.request.urlopen(base + screens[0]["thumbnail"]).read()
w, h = struct.unpack(">II", png[16:24])
check(png[:8] == b"\x89PNG\r\n\x1a\n" and w == 320 and h == 180,
      f"the thumbnail is a {w}x{h} PNG")
_, _, colours = png_colours.pixels(png)
top = colours.most_common(1)[0][0].hex()
check(len(colours) > 20 and top == "0b0f14",
      f"the thumbnail shows the board ({len(colours)} colours, mostly #{top})")

# the clock is trusted only once synchronized
if os.path.exists("/run/systemd/timesync/synchronized"):
    print("skip: this machine's clock is synchronized by timesyncd: no unsynchronized start to see")
else:
    check(stop(kiosk) == 0, "the kiosk stops cleanly")
    n = len(read_frames())
    kiosk = start_kiosk(extra=["--time-source", "timesync"])
    f = wait_frame(lambda f: has(f, "Waiting for the time…"),
                   "time-source timesync, unsynchronized: 'Waiting for the time…'", after=n)
    check(not has(f, "Salle 251") and has(f, "--:--"), "no programme and no clock meanwhile")
    check(stop(kiosk) == 0, "the kiosk stops cleanly")
    # feed, and auto (the kiosk image's default) with timesyncd not synchronized
    for source in ("feed", "auto"):
        n = len(read_frames())
        said = kiosk_log().count("clock taken from the feed server's Date")
        kiosk = start_kiosk(extra=["--time-source", source])
        # the real date has no summit: the programme of today is empty, but shown
        wait_frame(lambda f: has(f, "No sessions today") and not has(f, "--:--"),
                   f"time-source {source}: the programme and the clock once the server's Date arrived",
                   after=n)
        check(kiosk_log().count("clock taken from the feed server's Date") > said,
              f"time-source {source}: INFO says the clock came from the feed server")
        check(stop(kiosk) == 0, "the kiosk stops cleanly")
    kiosk = start_kiosk()
    wait_frame(lambda f: has(f, "Salle 251"), "the replayed day again", after=len(read_frames()))

# an organizer moves a session: the next frames say so
req = urllib.request.Request(base + "/v1/changes", method="POST",
                             data=json.dumps({"kind": "move", "session": "4226",
                                              "room": "Salle 243"}).encode(),
                             headers={"Authorization": "Bearer " + token})
check(urllib.request.urlopen(req).status == 201, "the organizer's move is accepted")
f = wait_frame(lambda f: has(f, "MOVED → Salle 243"), "a frame shows MOVED → Salle 243", after=n)
check(has(f, "NEW"), "the new change is highlighted as NEW")
if shutil.which("xwd"):
    time.sleep(0.5)
    _, _, _, yellow_after = screen_pixels()
    check(yellow_after > yellow_before + 50,
          f"the window's pixels show the yellow MOVED plate ({yellow_before} -> {yellow_after})")

# the server stops: the schedule stays, offline is said
stop(server)
n = len(read_frames())
f = wait_frame(lambda f: f["offline"] and has(f, "Salle 251"), "offline: the schedule stays",
               after=n)
check(any("offline since" in t for t in f["texts"]), "the footer says 'offline since'")
check(has(f, "MOVED → Salle 243"), "the move is still shown while offline")

# the server returns on the same port: the kiosk recovers by itself
server = start_server()
n = len(read_frames())
wait_frame(lambda f: not f["offline"] and has(f, "MOVED → Salle 243"), "back online by itself",
           timeout=150, after=n)  # back-off is at most 120 s, with jitter below it

# restart the kiosk without the server: the saved schedule shows at once
check(stop(kiosk) == 0, "the kiosk stops cleanly on SIGTERM (exit 0)")
stop(server)
n = len(read_frames())
t0 = time.monotonic()
kiosk = start_kiosk()
f = wait_frame(lambda f: has(f, "Salle 251"), "a restart without network shows the saved schedule",
               after=n)
check(any("schedule confirmed at" in t for t in f["texts"]),
      "it shows when the saved schedule was last confirmed, and how long ago")
check(has(f, "MOVED → Salle 243"), "the saved schedule carries the organizer's move")
log = kiosk_log()
check("showing the saved schedule" in log, "INFO says it shows the saved schedule")
check(stop(kiosk) == 0, "the kiosk stops cleanly")

# a feed file that breaks: the schedule stays on screen, nothing crashes
feed = os.path.join(work, "feed.json")
shutil.copy(os.path.join(demo, "paris-2014.schedule.json"), feed)
shutil.rmtree(cache)
kiosk = start_kiosk("file://" + feed)
wait_frame(lambda f: has(f, "Salle 251"), "a file:// feed is shown", after=len(read_frames()))
good = open(feed, "rb").read()
for name, body in (("truncated", good[:len(good) // 2]),
                   ("garbage", os.urandom(4096)),
                   ("empty", b"")):
    open(feed + ".tmp", "wb").write(body)
    os.replace(feed + ".tmp", feed)
    mark = kiosk_log().count("keeping the schedule on screen")
    end = time.monotonic() + 15
    while time.monotonic() < end:
        if kiosk_log().count("keeping the schedule on screen") > mark:
            break
        time.sleep(0.1)
    check(kiosk_log().count("keeping the schedule on screen") > mark,
          f"a {name} feed is refused in the log")
    check(kiosk.poll() is None, f"the kiosk survives a {name} feed")
    f = read_frames()[-1]
    check(has(f, "Salle 251"), f"the schedule stays on screen after a {name} feed")
check(stop(kiosk) == 0, "the kiosk stops cleanly")
# and what it saved is still the last good feed, not one of the broken ones
n = len(read_frames())
kiosk = start_kiosk("http://127.0.0.1:9/v1/schedule")
wait_frame(lambda f: has(f, "Salle 251"), "the saved copy is the last good feed", after=n)
check(stop(kiosk) == 0, "the kiosk stops cleanly")

# --- the lunch lines: forecast, band, the shorter line -----------------------
# Two lines at Le Méridien, four days of the summit each (the project's own
# simulator); the buffet's crowd comes 40 minutes later than the main line's,
# so at 12:40 on Thursday the main line is in its wave and the buffet quiet.
NOW = "2014-11-06T11:40:00Z"  # 12:40 in Paris
schedule_file = os.path.join(demo, "paris-2014.schedule.json")


def simulate(seed):
    out = subprocess.run([feed_bin, "simulate", "--scenario", "conference", "--schedule",
                          schedule_file, "--seed", str(seed)], capture_output=True, check=True)
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


def later(t, minutes):
    d = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(minutes=minutes)
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


samples = simulate(1)
for o in simulate(2):
    o["queue"] = "level3-buffet"
    if o["type"] == "queue":
        o["name"] = "Level 3 buffet"
    else:
        o["t"] = later(o["t"], 40)
    samples.append(o)
declarations = [o for o in samples if o["type"] == "queue"][:1] + \
    [o for o in samples if o["type"] == "queue" and o["queue"] == "level3-buffet"][:1]
timed = sorted((o for o in samples if o["type"] != "queue"), key=lambda o: o["t"])
earlier = [o for o in timed if o["t"] < "2014-11-06"]
today = [o for o in timed if "2014-11-06" <= o["t"] <= NOW]
check(len({o["t"][:10] for o in earlier}) == 3 and len(today) > 1000,
      f"three earlier days ({len(earlier)} samples) and today's morning ({len(today)})")


def jsonl(objs):
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs).encode()


lunch_file = os.path.join(work, "lunch.jsonl")
open(lunch_file, "wb").write(jsonl(declarations + earlier + today))
forecast_line = re.compile(r"^now\s\d+\smin · \d\d:\d\d\s≈\s\d+\smin")


def lunch_kiosk(queues_url, schedule_url, walks):
    args = [kiosk_bin, "--schedule-url", schedule_url, "--queues-url", queues_url,
            "--cache-dir", os.path.join(work, "lunch-cache"), "--frame-log", frames,
            "--clock-start", "2014-11-06T12:40:00+01:00", "--page-seconds", "3",
            "--page-seconds-max", "3",
            "--log-level", "info"]
    for w in walks:
        args += ["--walk", w]
    return start(args, os.path.join(work, "kiosk.log"), env)


def lunch_on_screen(f):
    return any(forecast_line.match(t) for t in f["texts"]) and has(f, "forecast")


def shorter_on_screen(f):
    return any(re.match(r"^Shorter: Level 3 buffet — \d+\smin", t) for t in f["texts"])


# the kiosk's own forecaster, on a JSON Lines file: one walk time, no advice
n = len(read_frames())
kiosk = lunch_kiosk("file://" + lunch_file, "file://" + schedule_file, ["meridien-lunch 2"])
f = wait_frame(lunch_on_screen, "JSON Lines: a forecast line ('now N min · HH:MM ≈ M min') "
               "and the band's 'forecast' on screen", after=n)
check(has(f, "last hour"), "the chart's measured hour beside the band")
check(not any(shorter_on_screen(g) for g in read_frames()[n:]),
      "one line with a walk time: no line named shorter")
log = kiosk_log()
check("forecast for Le Méridien — déjeuner: worked out here, 3 earlier days learned" in log,
      "INFO: the kiosk worked the forecast out itself, from the three earlier days")
check(stop(kiosk) == 0, "the kiosk stops cleanly")
# ... two walk times: the buffet is named shorter
n = len(read_frames())
kiosk = lunch_kiosk("file://" + lunch_file, "file://" + schedule_file,
                    ["meridien-lunch 2", "Level 3 buffet 1"])
f = wait_frame(shorter_on_screen, "JSON Lines: 'Shorter: Level 3 buffet — N min + 1 min walk'",
               after=n)
check(any("walk" in t for t in f["texts"]), "the walk is said with it")
wait_frame(lunch_on_screen, "... with the forecast line and the band", after=n)
check("advice: Level 3 buffet is shorter from here" in kiosk_log(), "INFO says the advice")
check(stop(kiosk) == 0, "the kiosk stops cleanly")

# venueboard-server's forecast: the earlier days posted, then today's morning
sensor_token = "e2e-sensor-" + os.urandom(8).hex()
lunch_conf, lunch_base = server_conf("lunch-server", free_port(),
                                     f"sensor e2e-sensors {sensor_token}\n")
lunch_server = start_server(lunch_conf, lunch_base)
for what, batch in (("the three earlier days", declarations + earlier), ("today's morning", today)):
    req = urllib.request.Request(lunch_base + "/v1/samples", method="POST", data=jsonl(batch),
                                 headers={"Authorization": "Bearer " + sensor_token})
    answer = json.load(urllib.request.urlopen(req))
    check(answer["accepted"] == len(batch), f"the server takes {what} ({answer})")
doc = json.load(urllib.request.urlopen(lunch_base + "/v1/queues"))
served = {q["queue"]: q.get("forecast") for q in doc["queues"]}
check(all(served.get(q) and served[q]["t"].startswith(NOW[:15]) and len(served[q]["points"]) == 12
          for q in ("meridien-lunch", "level3-buffet")),
      "the server forecasts both lines' next hour as of 12:40")
n = len(read_frames())
kiosk = lunch_kiosk(lunch_base + "/v1/queues", lunch_base + "/v1/schedule",
                    ["meridien-lunch 2", "Level 3 buffet 1"])
wait_frame(lunch_on_screen, "server: the forecast line and the band on screen", after=n)
wait_frame(shorter_on_screen, "server: the buffet named shorter", after=n)
log = kiosk_log()
check("forecast for Le Méridien — déjeuner: from the server, 3 earlier days learned" in log,
      "INFO: the forecast on screen is the server's, learned from three earlier days")
check(stop(kiosk) == 0, "the kiosk stops cleanly")
stop(lunch_server)

# ... a Thursday on which the line never clears: from 11:00 in Paris forty
# people stand in it, and people join exactly as fast as the four stations
# serve, all through lunch. The schedule and the earlier days say a wave
# comes and goes; any forecaster that learns from them expects the line to
# clear, while "the wait now stays as it is" is exact. By 13:40 its record
# at every horizon is worse than persistence's: the forecast is withheld —
# no forecast line, no band, no tip — and the screen says why.
EMPTY_NOW = "2014-11-06T12:40:00Z"  # 13:40 in Paris
last_total = {}
for o in earlier:
    if o["queue"] == "meridien-lunch" and o["type"] == "count":
        last_total[o["sensor"]] = (o["role"], o["total"])
steady_today = []
t = datetime.datetime(2014, 11, 6, 8, 0, 0)
end = datetime.datetime(2014, 11, 6, 12, 40, 0)
entry_sensors = sorted(k for k, (role, _) in last_total.items() if role == "entry")
while t <= end:
    minute = (t - datetime.datetime(2014, 11, 6, 10, 0, 0)).total_seconds() / 60
    for sensor, (role, total) in sorted(last_total.items()):
        if minute >= 0:  # from 11:00 in Paris: 40 at once, then 8 a minute in and out
            share = 1 / len(entry_sensors) if role == "entry" else 1
            step = 2 * (1 if role == "exit" else share)
            if role == "entry" and minute == 0:
                step += 40 * share
            total += step
        last_total[sensor] = (role, total)
        steady_today.append({"type": "count", "queue": "meridien-lunch", "sensor": sensor,
                             "role": role, "t": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                             "total": int(total)})
    t += datetime.timedelta(seconds=15)
empty_file = os.path.join(work, "lunch-steady.jsonl")
open(empty_file, "wb").write(jsonl(declarations[:1] +
                                   [o for o in earlier if o["queue"] == "meridien-lunch"] +
                                   steady_today))
withheld_text = "no forecast: lately less right than the wait now"
n = len(read_frames())
kiosk = start([kiosk_bin, "--schedule-url", "file://" + schedule_file, "--queues-url",
               "file://" + empty_file, "--cache-dir", os.path.join(work, "lunch-steady-cache"),
               "--frame-log", frames, "--clock-start", "2014-11-06T13:40:00+01:00",
               "--page-seconds", "3", "--page-seconds-max", "3", "--log-level", "info"],
              os.path.join(work, "kiosk.log"), env)
f = wait_frame(lambda g: has(g, withheld_text) and has(g, "Le Méridien"),
               "withheld: the lunch panel says '" + withheld_text + "'", after=n)
check(not any(forecast_line.match(t) or t == "forecast" for t in f["texts"]) and
      not has(f, "best before") and not has(f, "quieter after"),
      "... with no forecast line, no band ('forecast') and no tip on that frame")
check(re.search(r"INFO: .*forecast for Le Méridien — déjeuner: withheld \(worked out here\)",
                kiosk_log()) is not None, "INFO: the forecast is withheld, said once")
check(kiosk_log().count("forecast for Le Méridien — déjeuner: withheld") == 1,
      "... once, not at every frame")
check(stop(kiosk) == 0, "the kiosk stops cleanly")

# --- the rooms: FULL and where to go instead, a stale count, a steward -------
# Thursday at 12:00 in Paris: Keystone federation in Salle 252A (250 seats),
# hierarchical multitenancy in Salle 251 (350, the same track), Cinder in
# Salle 241 (400, another). A hallway screen and the door of 252A, each a
# window on the X server, polling the rooms every 2 s.
cams = "e2e-cams-" + os.urandom(8).hex()
rooms_conf, rooms_base = server_conf("rooms-server", free_port(), f"sensor e2e-cams {cams}\n")
rooms_server = start_server(rooms_conf, rooms_base)
NOON = "2014-11-06T12:00:00+01:00"


def room_kiosk(name, clock, extra):
    log = os.path.join(work, name + ".jsonl")
    args = [kiosk_bin, "--schedule-url", rooms_base + "/v1/schedule", "--rooms-url",
            rooms_base + "/v1/rooms", "--rooms-poll-seconds", "2", "--poll-seconds", "2",
            "--cache-dir", os.path.join(work, name + "-cache"), "--frame-log", log,
            "--clock-start", clock, "--window", "--size", "960x540",
            "--overflow", '"Salle 252A" "Salle 243"', "--log-level", "info"] + extra
    return start(args, os.path.join(work, "kiosk.log"), env), log


def board_now(log):
    """The kiosk's clock now (its clock runs at real speed), from its last frame."""
    f = read_frames(log)[-1]
    t = datetime.datetime.strptime(f["t"], "%Y-%m-%dT%H:%M:%SZ")
    t += datetime.timedelta(milliseconds=time.time() * 1000 - f["wall_ms"])
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def post_counts(counts, t):
    body = "".join(json.dumps({"type": "room", "room": r, "sensor": f"cam-{i}", "t": t,
                               "people": n}) + "\n" for i, (r, n) in enumerate(counts))
    req = urllib.request.Request(rooms_base + "/v1/samples", method="POST", data=body.encode(),
                                 headers={"Authorization": "Bearer " + cams})
    return json.load(urllib.request.urlopen(req))


def full_plate(f, room=None):
    """The hallway's FULL plate ('FULL — seats in X' or 'FULL → X'), or None."""
    for t in f["texts"]:
        if t.startswith("FULL") and (room is None or t.endswith(room)):
            return t
    return None


hall, hall_log = room_kiosk("hall", NOON, ["--room", "Salle 252A", "--room", "Salle 251",
                                           "--room", "Salle 241"])
door, door_log = room_kiosk("door", NOON, ["--layout", "room", "--room", "Salle 252A"])
wait_frame(lambda f: has(f, "Keystone: federation"), "the hallway shows Salle 252A's session",
           path=hall_log)
wait_frame(lambda f: has(f, "Keystone:") and has(f, "Now"), "the door of Salle 252A shows it",
           path=door_log)
check(not any(full_plate(f) for f in read_frames(hall_log)), "no count yet: no FULL on the hall")
t0 = board_now(hall_log)
posted = time.monotonic()
answer = post_counts([("Salle 252A", 250), ("Salle 251", 100), ("Salle 241", 120)], t0)
check(answer["accepted"] == 3, f"the cameras' counts are taken at {t0} ({answer})")
nh, nd = len(read_frames(hall_log)), len(read_frames(door_log))
f = wait_frame(lambda f: full_plate(f, "Salle 251"), "the hallway: 'FULL' with seats in Salle 251",
               timeout=10, path=hall_log, after=nh)
hall_s = time.monotonic() - posted
check(any(re.match(r"^\d\d:\d\d  Salle 252A$", t) for t in f["texts"]),
      "the changes panel lists Salle 252A, full since a moment ago")
f = wait_frame(lambda f: "FULL" in f["texts"] and has(f, "Seats in Salle 251"),
               "the door of Salle 252A: FULL, 'Seats in Salle 251'", timeout=10, path=door_log,
               after=nd)
door_s = time.monotonic() - posted
check(hall_s < 2 + 3 and door_s < 2 + 3,
      f"within one 2 s poll: the hallway after {hall_s:.1f} s, the door after {door_s:.1f} s")

# a count the server still calls fresh (it judges a replayed day at its
# newest count) but more than 3 minutes old on this screen's clock: never FULL
check(stop(door) == 0, "the door kiosk stops cleanly")
rooms = {r["room"]: r for r in json.load(urllib.request.urlopen(rooms_base + "/v1/rooms"))["rooms"]}
check(rooms["Salle 252A"]["state"] == "full", "the server still says Salle 252A is full")
later4 = datetime.datetime.strptime(t0, "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(minutes=4)
door, door_log = room_kiosk("door-later", later4.strftime("%Y-%m-%dT%H:%M:%SZ"),
                            ["--layout", "room", "--room", "Salle 252A"])
wait_frame(lambda f: has(f, "count unavailable"),
           "4 minutes later on the door's clock: 'count unavailable'", path=door_log)
time.sleep(4)  # two more polls
check(not any("FULL" in f["texts"] for f in read_frames(door_log)),
      "... and never FULL on that count")
check(full_plate(read_frames(hall_log)[-1], "Salle 251"), "the hallway, at its own clock, still FULL")
check(stop(door) == 0, "the door kiosk stops cleanly")

# a steward's hand: Salle 251 FULL, whatever its camera says (100 of 350),
# until its session ends (12:30)
req = urllib.request.Request(rooms_base + "/v1/changes", method="POST",
                             data=json.dumps({"kind": "room", "room": "Salle 251",
                                              "state": "full"}).encode(),
                             headers={"Authorization": "Bearer " + token})
check(urllib.request.urlopen(req).status == 201, "a steward marks Salle 251 FULL")
nh = len(read_frames(hall_log))
f = wait_frame(lambda f: any(re.match(r"^\d\d:\d\d  Salle 251$", t) for t in f["texts"]),
               "the hallway lists Salle 251 as full: the steward over the camera", timeout=10,
               path=hall_log, after=nh)
check(full_plate(f, "Salle 241"), f"Salle 252A now sends people to Salle 241 ({full_plate(f)})")
door, door_log = room_kiosk("door-251", "2014-11-06T12:29:52+01:00",
                            ["--layout", "room", "--room", "Salle 251"])
wait_frame(lambda f: "FULL" in f["texts"], "the door of Salle 251 at 12:29: FULL (the steward's)",
           path=door_log)
wait_frame(lambda f: f["t"] >= "2014-11-06T11:30:00Z", "the door's clock passes 12:30",
           path=door_log, timeout=20)
time.sleep(2.5)
fs = read_frames(door_log)
before = [f for f in fs if f["t"] < "2014-11-06T11:30:00Z"]
check("FULL" in before[-1]["texts"] and
      not any("FULL" in f["texts"] for f in fs if f["t"] >= "2014-11-06T11:30:00Z"),
      "the steward's FULL ends with the session at 12:30")
check(has(fs[-1], "Next"), "the door shows what comes next")
for k in (door, hall):
    check(stop(k) == 0, "the kiosk stops cleanly")
stop(rooms_server)

# --- a fleet of three: alerts post-to-pixels, notices for zones and times,
# a schedule change fetched at once, an update offered and reported ---------
names = ("hall-a", "hall-b", "hall-c")
screen_tokens = {n: f"e2e-{n}-" + os.urandom(8).hex() for n in names}
fleet_conf, fleet_base = server_conf(
    "fleet-server", free_port(),
    "".join(f"screen {n} {t}\n" for n, t in screen_tokens.items()) +
    "zone level-2 hall-a hall-b\n")
fleet_server = start_server(fleet_conf, fleet_base)


def fleet_kiosk(name):
    log = os.path.join(work, name + ".jsonl")
    run_dir = os.path.join(work, name + "-run")
    args = [kiosk_bin, "--schedule-url", fleet_base + "/v1/schedule", "--poll-seconds", "60",
            "--heartbeat-url", fleet_base + "/v1/screens/heartbeat",
            "--heartbeat-token", screen_tokens[name], "--heartbeat-seconds", "10",
            "--cache-dir", os.path.join(work, name + "-cache"), "--run-dir", run_dir,
            "--frame-log", log, "--clock-start", "2014-11-06T10:30:00+01:00",
            "--window", "--size", "640x360", "--log-level", "info"]
    return start(args, os.path.join(work, "kiosk.log"), env), log, run_dir


def organizer(path, body=None):
    req = urllib.request.Request(fleet_base + path, method="POST",
                                 data=json.dumps(body or {}).encode(),
                                 headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req))


fleet = {n: fleet_kiosk(n) for n in names}
for n, (_, log, _) in fleet.items():
    wait_frame(lambda f: has(f, "Salle 251"), f"{n} shows the summit", path=log)
time.sleep(1.5)  # each has its stream open (the log says so)
check(kiosk_log().count("/v1/stream open") >= 3, "the three hold the server's stream open")

latencies = []
for round_ in range(3):
    word = f"Evacuate{round_}"
    text = f"{word} by the east stairs: fire drill {round_ + 1} of 3"
    counts = {n: len(read_frames(log)) for n, (_, log, _) in fleet.items()}
    posted = time.time() * 1000
    made = organizer("/v1/alerts", {"text": text})
    check(made["screens"] == 3, f"alert {made['id']} goes to the three screens")
    for n, (_, log, _) in fleet.items():
        f = wait_frame(lambda f: has(f, word) and f["wall_ms"] >= posted,
                       f"{n} shows the alert", timeout=10, path=log, after=counts[n])
        check(has(f, "ALERT") and not has(f, "Salle 251"), f"{n}: ALERT, over everything")
        latencies.append((f["wall_ms"] - posted) / 1000)
    end = time.monotonic() + 10
    while time.monotonic() < end:
        # each screen's confirmation is for the organizer's token (tokenless: the counts)
        req = urllib.request.Request(fleet_base + "/v1/alerts",
                                     headers={"Authorization": "Bearer " + token})
        a = [x for x in json.load(urllib.request.urlopen(req))["alerts"]
             if x["id"] == made["id"]][0]
        if a["confirmed"] == 3:
            break
        time.sleep(0.1)
    check(a["confirmed"] == 3 and all(a["screens"][n] for n in names),
          f"GET /v1/alerts: each screen confirmed showing it ({a['screens']})")
    counts = {n: len(read_frames(log)) for n, (_, log, _) in fleet.items()}
    organizer(f"/v1/alerts/{made['id']}/withdraw")
    for n, (_, log, _) in fleet.items():
        wait_frame(lambda f: not has(f, word) and has(f, "Salle 251"),
                   f"{n}: the withdrawn alert is gone, the board back", timeout=10, path=log,
                   after=counts[n])
latencies.sort()
median, worst = latencies[len(latencies) // 2], latencies[-1]
print(f"alert post-to-pixels on 3 screens x 3 alerts: median {median:.3f} s, worst {worst:.3f} s")
check(worst < 5, f"every alert on every screen within 5 s (worst {worst:.3f} s)")

# several alerts: newest first
counts = {n: len(read_frames(log)) for n, (_, log, _) in fleet.items()}
first = organizer("/v1/alerts", {"text": "Older: lifts closed"})
time.sleep(1.1)  # alerts are timed to the second
second = organizer("/v1/alerts", {"text": "Newer: keynote delayed", "screens": ["hall-c"]})
f = wait_frame(lambda f: has(f, "Newer:") and has(f, "Older:"), "hall-c shows both alerts",
               path=fleet["hall-c"][1], after=counts["hall-c"])
i_new = next(i for i, t in enumerate(f["texts"]) if "Newer:" in t)
i_old = next(i for i, t in enumerate(f["texts"]) if "Older:" in t)
check(i_new < i_old, "newest first")
wait_frame(lambda f: has(f, "Older:"), "hall-a shows the one for every screen",
           path=fleet["hall-a"][1], after=counts["hall-a"])
check(not any(has(g, "Newer:") for g in read_frames(fleet["hall-a"][1])[counts["hall-a"]:]),
      "the alert for hall-c only is not on hall-a")
for made in (first, second):
    organizer(f"/v1/alerts/{made['id']}/withdraw")
for n, (_, log, _) in fleet.items():
    wait_frame(lambda f: has(f, "Salle 251") and not has(f, "Older:"), f"{n}: alerts withdrawn",
               path=log, after=counts[n])

# a move, with a schedule poll of 60 s: the stream says the schedule changed
counts = {n: len(read_frames(log)) for n, (_, log, _) in fleet.items()}
moved = time.monotonic()
organizer("/v1/changes", {"kind": "move", "session": "4226", "room": "Salle 243"})
for n, (_, log, _) in fleet.items():
    wait_frame(lambda f: has(f, "MOVED → Salle 243"), f"{n} shows the move", timeout=10,
               path=log, after=counts[n])
check(time.monotonic() - moved < 5,
      f"the move on every screen {time.monotonic() - moved:.1f} s after it, not a 60 s poll later")

# notices: for level-2 (hall-a, hall-b), and one timed on the board's clock
counts = {n: len(read_frames(log)) for n, (_, log, _) in fleet.items()}
organizer("/v1/notices", {"text": "Level 2 cloakroom closes at 18:00", "zones": ["level-2"]})
for n in ("hall-a", "hall-b"):
    wait_frame(lambda f: has(f, "Level 2 cloakroom"), f"{n} (zone level-2) shows the notice",
               path=fleet[n][1], after=counts[n])
time.sleep(1)
check(not any(has(g, "Level 2 cloakroom") for g in read_frames(fleet["hall-c"][1])[counts["hall-c"]:]),
      "hall-c, in no zone, does not")
now_c = datetime.datetime.strptime(board_now(fleet["hall-c"][1]), "%Y-%m-%dT%H:%M:%SZ")
start_t, end_t = now_c + datetime.timedelta(seconds=6), now_c + datetime.timedelta(seconds=12)
iso = "%Y-%m-%dT%H:%M:%SZ"
organizer("/v1/notices", {"text": "Photo at the stairs now", "screens": ["hall-c"],
                          "start": start_t.strftime(iso), "end": end_t.strftime(iso)})
log_c = fleet["hall-c"][1]
wait_frame(lambda f: has(f, "Photo at the stairs"), "hall-c shows the timed notice", timeout=15,
           path=log_c, after=counts["hall-c"])
wait_frame(lambda f: f["t"] >= end_t.strftime(iso), "hall-c's clock passes its end", timeout=15,
           path=log_c)
time.sleep(1.5)
shown_at = [f["t"] for f in read_frames(log_c)[counts["hall-c"]:] if has(f, "Photo at the stairs")]
check(shown_at and min(shown_at) >= start_t.strftime(iso) and max(shown_at) < end_t.strftime(iso)
      and not has(read_frames(log_c)[-1], "Photo at the stairs"),
      f"... only between its start and end on the board's clock ({min(shown_at)}–{max(shown_at)})")

# the screens know who they are across a restart
_, _, run_a = fleet["hall-a"]
record = json.load(open(os.path.join(work, "hall-a-cache", "screen.json")))
check(record["screen"] == "hall-a" and record["zones"] == ["level-2"],
      f"hall-a keeps its name and zones in its cache ({record})")
quiet = open(os.path.join(run_a, "quiet")).read()
check(quiet in ("yes\n", "no\n"), f"run-dir/quiet says yes or no ({quiet.strip()})")

# an update: a bundle uploaded, a rollout with hall-a as its canary
import io, tarfile
version = "20261127.120000-e2e" + os.urandom(3).hex()
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
    for name, data in (("version", version + "\n"), ("SHA256SUMS", "x"), ("SHA256SUMS.sig", "x"),
                       ("root.squashfs", "squash"), ("vmlinuz", "k"), ("initrd.img", "i")):
        info = tarfile.TarInfo(name)
        info.size = len(data.encode())
        tar.addfile(info, io.BytesIO(data.encode()))
req = urllib.request.Request(fleet_base + "/v1/bundles", method="POST", data=buf.getvalue(),
                             headers={"Authorization": "Bearer " + token})
bundle = json.load(urllib.request.urlopen(req))
check(bundle["bundle"] == version, f"a bundle uploaded ({bundle['size']} bytes)")
open(os.path.join(run_a, "image"), "w").write("20261001.080000-old a\n")
rollout = organizer("/v1/rollouts", {"bundle": version, "canaries": ["hall-a"]})
target = os.path.join(run_a, "update-target.json")
end = time.monotonic() + 25  # within a heartbeat (10 s)
while time.monotonic() < end and not os.path.exists(target):
    time.sleep(0.2)
check(os.path.exists(target), "hall-a, the canary, writes update-target.json")
t = json.load(open(target))
check(t == {"version": version, "url": f"{fleet_base}/v1/bundles/{version}.tar",
            "size": bundle["size"], "sha256": bundle["sha256"]},
      f"... with the bundle's version, absolute URL, size and hash ({t['url']})")
check(not os.path.exists(os.path.join(fleet["hall-b"][2], "update-target.json")),
      "hall-b, no canary, has no target")
open(os.path.join(run_a, "update-status.tmp"), "w").write("downloading 40 %\n")
os.replace(os.path.join(run_a, "update-status.tmp"), os.path.join(run_a, "update-status"))
end = time.monotonic() + 25
part = {}
while time.monotonic() < end:
    r = json.load(urllib.request.urlopen(fleet_base + "/v1/rollouts"))["rollouts"]
    part = r[-1]["screens"]["hall-a"] if r else {}
    if part.get("update") == "downloading 40 %":
        break
    time.sleep(0.3)
check(part.get("update") == "downloading 40 %" and part.get("image") == "20261001.080000-old"
      and part.get("slot") == "a",
      f"the heartbeat carries the updater's state, image and slot ({part})")
organizer(f"/v1/rollouts/{rollout['change']}/stop")
end = time.monotonic() + 25
while time.monotonic() < end and os.path.exists(target):
    time.sleep(0.2)
check(not os.path.exists(target), "the rollout stopped: update-target.json removed")

# the server away and back: the streams reopen, the alerts come again
stop(fleet_server)
time.sleep(2)
fleet_server = start_server(fleet_conf, fleet_base)
counts = {n: len(read_frames(log)) for n, (_, log, _) in fleet.items()}
back = time.monotonic()
organizer("/v1/alerts", {"text": "Reconnected: all clear soon"})
for n, (_, log, _) in fleet.items():
    wait_frame(lambda f: has(f, "Reconnected:"), f"{n} shows an alert posted after the outage",
               timeout=40, path=log, after=counts[n])
print(f"after the outage: the alert on all three in {time.monotonic() - back:.1f} s")
for n, (k, _, _) in fleet.items():
    check(stop(k) == 0, f"{n} stops cleanly")
# a restart keeps the alert on screen before any network
k, log, _ = fleet_kiosk("hall-b")
stop(fleet_server)
n0 = len(read_frames(log))
wait_frame(lambda f: has(f, "Reconnected:"), "hall-b restarted without the server: the alert "
           "it had is on screen", path=log, after=n0)
check(stop(k) == 0, "hall-b stops cleanly")
stop(xvfb)
print(f"{run.checks} passed, 0 failed")
