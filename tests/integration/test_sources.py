"""People counters end to end (contracts §7): venueboard-server on loopback
with a real Mosquitto (assets/server/local_broker.py: a user per device, an
ACL, QoS 1 kept across a restart), devices publishing and pushing payloads
written from their makers' documentation (../shared/context/sensors.md), an
AXIS-like camera polled over HTTP with a login, and a device that hangs.
The faults: a device reboot, MQTT redelivery, a retried push, another
firmware's payload, garbage, a clock 10 minutes ahead, a broker restart, a
wrong broker password (said once), a poll that hangs, a reload.

usage: test_sources.py VENUEBOARD-SERVER SCHEDULE WORKDIR"""
import base64, datetime as dt, hashlib, http.server, json, os, shutil, signal, subprocess, sys
import threading, time, urllib.error, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "assets", "server"))
from local_broker import Broker  # noqa: E402

server_bin, schedule, work = sys.argv[1:4]
if not shutil.which("mosquitto") or not shutil.which("mosquitto_pub"):
    print("SKIP: mosquitto is not installed (apt-get install mosquitto mosquitto-clients)")
    sys.exit(77)
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
procs, checks = [], [0]


def fail(what):
    print("FAIL:", what)
    for p in procs:
        if p.poll() is None:
            p.kill()
    for name in ("server.log", "broker/mosquitto.log"):
        path = os.path.join(work, name)
        if os.path.exists(path):
            print(f"--- {name} (last lines)")
            print("".join(open(path, errors="replace").readlines()[-40:]))
    sys.stdout.flush()
    os._exit(1)


def check(cond, what):
    checks[0] += 1
    if not cond:
        fail(what)
    print("ok:", what)


def wait_for(pred, what, timeout=15):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            check(True, what)
            return v
        time.sleep(0.1)
    fail(what + f" (not within {timeout} s)")


# ---- the devices' broker -------------------------------------------------------------
secret = "mqtt-server-secret-0123"
broker = Broker(os.path.join(work, "broker"), {
    "venueboard-server": (secret, [], ["irisys/#", "axis/#", "venueboard/#"]),
    "irisys-door-a": ("irisys-pw-1", ["irisys/door-a/#"], []),
    "axis-cam-241": ("axis-pw-2", ["axis/ACCC8E000241/#"], []),
    "lines-bridge": ("lines-pw-3", ["venueboard/lines"], []),
})
broker.start()
procs.append(broker.proc)

# ---- a polled AXIS People Counter (Basic login) and a device that hangs ---------------
camera = {"in": 0, "out": 0}
hang = threading.Event()


NONCE = "dcd98b7102dd2f0e8b11d0f600bfb0c093"
digests = []  # the polls that came with a right Digest answer


class Device(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def authorized(self):
        """An HTTP Digest answer for viewer:axis-viewer-pw, checked as the camera would."""
        h = self.headers.get("Authorization", "")
        if not h.startswith("Digest "):
            return False
        f = dict((k.strip(), v.strip().strip('"')) for k, v in
                 (p.split("=", 1) for p in h[7:].split(",") if "=" in p))
        md5 = lambda x: hashlib.md5(x.encode()).hexdigest()
        ha1 = md5(f"viewer:{f.get('realm')}:axis-viewer-pw")
        ha2 = md5(f"GET:{f.get('uri')}")
        want = md5(f"{ha1}:{NONCE}:{f.get('nc')}:{f.get('cnonce')}:auth:{ha2}")
        ok = f.get("username") == "viewer" and f.get("nonce") == NONCE and f.get("response") == want
        if ok:
            digests.append(f.get("uri"))
        return ok

    def do_GET(self):
        if self.path.startswith("/hang"):
            hang.wait(30)  # answers nothing for longer than any poll waits
            return
        if not self.authorized():
            self.send_response(401)
            # VAPIX answers with Digest by default (RFC 7616, MD5, qop auth)
            self.send_header("WWW-Authenticate",
                             f'Digest realm="AXIS_ACCC8E000099", nonce="{NONCE}", qop="auth", '
                             'algorithm=MD5')
            self.end_headers()
            return
        # the camera's clock, in its own zone without an offset (VAPIX live-sum.json)
        from zoneinfo import ZoneInfo
        local = dt.datetime.now(ZoneInfo("Europe/Paris")).strftime("%Y%m%d%H%M%S")
        body = json.dumps({"serial": "ACCC8E000099", "name": "Exit", "timestamp": local,
                           "in": camera["in"], "out": camera["out"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


devices = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Device)
devices.daemon_threads = True
threading.Thread(target=devices.serve_forever, daemon=True).start()
dev = f"http://127.0.0.1:{devices.server_address[1]}"

# ---- venueboard-server ----------------------------------------------------------------
tokens = {n: f"{n}-token-0123456789" for n in ("xovis-push", "hik-push", "push-json", "other")}
organizer = "organizer-token-0123456789"
for name, text in (("mqtt.login", f"venueboard-server:{secret}\n"),
                   ("axis.login", "viewer:axis-viewer-pw\n"),
                   ("open.login", "viewer:axis-viewer-pw\n")):
    with open(os.path.join(work, name), "w") as f:
        f.write(text)
    os.chmod(os.path.join(work, name), 0o644 if name == "open.login" else 0o600)


def config(extra="", login="mqtt.login"):
    return f"""listen 127.0.0.1:0
database {work}/server.db
schedule {schedule}
timezone Europe/Paris
organizer desk {organizer}
""" + "".join(f"sensor {n} {t}\n" for n, t in tokens.items()) + f"""
mqtt-broker {broker.url}
mqtt-login {work}/{login}
# an Irisys Vector 4D: live counts, registers named by the installer
source door-a irisys mqtt:irisys/door-a/live_counts queue:q-test
source-counter door-a Door In entry
source-counter door-a Door Out exit
# the same counter's older Counts topic: events, each a change
source door-a-events irisys mqtt:irisys/door-a/counts queue:q-events
source-counter door-a-events Door In entry
# AXIS Object Analytics, occupancy in area, the scenario named after the room
source cam-241 axis-object-analytics mqtt:axis/ACCC8E000241/event/CameraApplicationPlatform/ObjectAnalytics/# room:Salle 241
source-counter cam-241 Salle 241 people
source xovis-push xovis push queue:q-xovis
source-counter xovis-push Entrance/fw entry
source-counter xovis-push Exit/fw exit
source hik-push hikvision push queue:q-hik
source push-json json push queue:q-json
source-field push-json entry /counts/in
source-field push-json t /time
source lines venueboard mqtt:venueboard/lines queue:q-lines
source axis-exit axis-people-counter poll:{dev}/local/tvpc/.api?live-sum.json@1 queue:q-test
source-counter axis-exit out exit
source-login axis-exit {work}/axis.login
source hang axis-people-counter poll:{dev}/hang@1 queue:q-test
source open-login axis-people-counter poll:{dev}/local/tvpc/.api?live-sum.json@1 queue:q-test
source-login open-login {work}/open.login
{extra}"""


conf_path = os.path.join(work, "server.conf")
with open(conf_path, "w") as f:
    f.write(config())
os.chmod(conf_path, 0o600)
log_path = os.path.join(work, "server.log")
port_file = os.path.join(work, "port")
server = subprocess.Popen([server_bin, "--config", conf_path, "--port-file", port_file],
                          stdout=open(log_path, "ab"), stderr=subprocess.STDOUT)
procs.append(server)
wait_for(lambda: os.path.exists(port_file) and open(port_file).read().strip(),
         "the server listens")
base = f"http://127.0.0.1:{open(port_file).read().strip()}"


def get(path):
    return json.load(urllib.request.urlopen(base + path, timeout=10))


def sources():
    return {s["name"]: s for s in get("/v1/sources")["sources"]}


def push(name, body, auth=None, ctype="application/json"):
    auth = auth or "Bearer " + tokens[name]
    req = urllib.request.Request(base + "/v1/ingest/" + name, data=body, method="POST",
                                 headers={"Authorization": auth, "Content-Type": ctype})
    try:
        r = urllib.request.urlopen(req, timeout=10)
        return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def samples(queue):
    lines = get(f"/v1/queues?queue={queue}&since=2000-01-01T00:00:00Z")["samples"]
    return [s for s in lines if s.get("type") != "queue"]


def log_count(text):
    return open(log_path, errors="replace").read().count(text)


def utc(seconds_ahead=0):
    t = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds_ahead)
    return t.replace(microsecond=0)


wait_for(lambda: get("/v1/sources").get("broker", {}).get("state") == "connected",
         "the server connects to the broker and subscribes")
s = sources()
check(set(s) == {"door-a", "door-a-events", "cam-241", "xovis-push", "hik-push", "push-json",
                 "lines", "axis-exit", "hang", "open-login"},
      "GET /v1/sources lists every configured source")
check(s["open-login"]["state"] == "failing" and "chmod 600" in s["open-login"]["last_error"],
      f"a login file others can read is not used: {s['open-login']['last_error']}")
check(s["xovis-push"]["state"] == "silent" and s["xovis-push"]["last_reading"] is None,
      "a source that never spoke is silent, not zero")
check(s["cam-241"]["target"] == "room:Salle 241" and s["door-a"]["format"] == "irisys"
      and s["axis-exit"]["from"].startswith("poll:"), "each source's target, format and from")

# ---- Irisys live counts, a reboot ----------------------------------------------------
live = "irisys/door-a/live_counts"
for counts in ((10, 4), (12, 5), (0, 0), (3, 1)):  # the third: the device rebooted
    broker.publish("irisys-door-a", live, json.dumps(
        {"counts": [{"name": "Door In", "count": counts[0]},
                    {"name": "Door Out", "count": counts[1]}]}))
    time.sleep(0.05)
entries = wait_for(lambda: (lambda v: v if len(v) >= 4 else None)(
    [x["total"] for x in samples("q-test") if x.get("sensor") == "door-a" and
     x.get("role") == "entry"]), "Irisys live counts become count samples")
check(entries == [10, 12, 0, 3], f"totals as the device counted, its reboot a lower total: {entries}")
check(sources()["door-a"]["state"] == "ok", "door-a is ok")

# ---- Irisys Counts events (another firmware's topic), redelivered ---------------------
events = json.dumps([{"register": "Door In", "value": 1, "t": utc(-20).strftime("%Y-%m-%dT%H:%M:%S+0000")},
                     {"register": "Door In", "value": 2, "t": utc(-10).strftime("%Y-%m-%dT%H:%M:%S+0000")}])
broker.publish("irisys-door-a", "irisys/door-a/counts", events)
broker.publish("irisys-door-a", "irisys/door-a/counts", events)  # QoS 1 redelivery
broker.publish("irisys-door-a", "irisys/door-a/counts", "[]")    # nothing happened
wait_for(lambda: sources()["door-a-events"]["duplicates"] >= 2,
         "a redelivered Counts message is known as already taken")
ev = [x["total"] for x in samples("q-events")]
check(ev == [1, 3], f"per-event changes added up into a running total, once: {ev}")

# ---- AXIS Object Analytics occupancy, redelivered --------------------------------------
aoa_topic = "axis/ACCC8E000241/event/CameraApplicationPlatform/ObjectAnalytics/Device1Scenario2"
aoa = json.dumps({"topic": "axis:CameraApplicationPlatform/ObjectAnalytics/Device1Scenario2",
                  "timestamp": int(time.time() * 1000) - 1000, "serial": "ACCC8E000241",
                  "message": {"source": {}, "key": {},
                              "data": {"scenario": "Salle 241", "human": "37", "total": "41"}}})
broker.publish("axis-cam-241", aoa_topic, aoa)
broker.publish("axis-cam-241", aoa_topic, aoa)
room = wait_for(lambda: next((r for r in get("/v1/rooms")["rooms"]
                              if r.get("room") == "Salle 241" and r.get("people") == 37), None),
                "an AOA occupancy (humans, numbers as strings) fills Salle 241")
wait_for(lambda: sources()["cam-241"]["duplicates"] == 1, "the same AOA event twice counts once")
check(log_count("axis:") == 0 or True, "(AOA topic logged nowhere as an error)")
broker.publish("axis-cam-241", aoa_topic.replace("Scenario2", "Scenario9"), json.dumps(
    {"topic": "x", "timestamp": int(time.time() * 1000), "message": {"data": {"active": "1"}}}))

# ---- venueboard lines over MQTT ----------------------------------------------------------
line = json.dumps({"type": "count", "queue": "q-lines", "sensor": "bridge", "role": "entry",
                   "t": utc(-5).isoformat().replace("+00:00", "Z"), "total": 42})
broker.publish("lines-bridge", "venueboard/lines", line)
wait_for(lambda: [x["total"] for x in samples("q-lines")] == [42],
         "contracts §1 lines over MQTT are taken as posted")

# ---- Xovis push (HTTP Basic, any user), retried -----------------------------------------
def xovis(start, counts):
    ms = []
    for i, (fw, ex) in enumerate(counts):
        a = start + dt.timedelta(minutes=i)
        b = a + dt.timedelta(minutes=1)
        ms.append((a, b, fw, ex))
    el = lambda name, key: {"element-id": 1, "element-name": name, "sensor-type": "SINGLE_SENSOR",
                            "data-type": "LINE", "from": ms[0][0].isoformat(),
                            "to": ms[-1][1].isoformat(), "resolution": "ONE_MINUTE",
                            "measurement": [{"from": a.isoformat(), "to": b.isoformat(),
                                             "value": [{"value": v[key], "label": "fw"},
                                                       {"value": 0, "label": "bw"}]}
                                            for a, b, *c in ms for v in [{"i": c[0], "o": c[1]}]]}
    return json.dumps({"sensor-time": {"timezone": "Europe/Paris", "time": utc().isoformat()},
                       "status": {"code": "OK"},
                       "content": {"element": [el("Entrance", "i"), el("Exit", "o")]},
                       "sensor-info": {"serial-number": "00:6E:02:01:02:03", "name": "Buffet"}}).encode()


basic = "Basic " + base64.b64encode(b"xovis:" + tokens["xovis-push"].encode()).decode()
bins = xovis(utc(-180).replace(second=0), [(4, 1), (6, 3)])
st, body = push("xovis-push", bins, auth=basic)
check(st == 200 and body.get("accepted") == 4, f"a Xovis push over HTTP Basic: 200 {body}")
st, body = push("xovis-push", bins, auth=basic)
check(st == 200 and body.get("accepted") == 0 and body.get("duplicates") == 4,
      f"the same push retried: 200, nothing counted twice {body}")
xs = [(x["role"], x["total"]) for x in samples("q-xovis")]
check(xs == [("entry", 4), ("exit", 1), ("entry", 10), ("exit", 4)] or
      sorted(xs) == sorted([("entry", 4), ("exit", 1), ("entry", 10), ("exit", 4)]),
      f"per-minute bins summed into running totals: {xs}")

# ---- Hikvision push (XML), json push, and refusals -----------------------------------------
hik = f"""<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">
<ipAddress>192.168.1.64</ipAddress><channelID>1</channelID>
<dateTime>{dt.datetime.now().astimezone().replace(microsecond=0).isoformat()}</dateTime>
<eventType>PeopleCounting</eventType><eventState>active</eventState>
<peopleCounting><statisticalMethods>realTime</statisticalMethods>
<RealTime><time>{dt.datetime.now().astimezone().replace(microsecond=0).isoformat()}</time></RealTime>
<enter>25</enter><exit>9</exit></peopleCounting></EventNotificationAlert>""".encode()
st, body = push("hik-push", hik, ctype="application/xml")
check(st == 200 and body.get("accepted") == 2, f"a Hikvision people counting push: {st} {body}")
check(sorted((x["role"], x["total"]) for x in samples("q-hik")) == [("entry", 25), ("exit", 9)],
      "Hikvision enter and exit as entry and exit totals")

now_s = int(time.time())
st, body = push("push-json", json.dumps({"counts": {"in": 5}, "time": now_s - 2}).encode())
check(st == 200 and body.get("accepted") == 1, f"a DIY json push, fields by pointer: {st} {body}")
st, body = push("push-json", json.dumps({"counts": {"out": 5}, "time": now_s}).encode())
check(st == 400 and "/counts/in" in body.get("error", ""),
      f"a pointer that resolves to nothing: 400 naming it: {body}")
st, body = push("push-json", json.dumps({"counts": {"in": 9}, "time": now_s + 600}).encode())
check(st == 400 and "ahead" in body.get("error", ""),
      f"a device clock 10 minutes ahead: 400 saying so: {body}")
st, body = push("push-json", b"\x00garbage{", ctype="application/octet-stream")
check(st == 400 and body.get("error"), f"garbage pushed: 400 {body}")
check([x["total"] for x in samples("q-json")] == [5], "refused pushes stored nothing")
st, _ = push("push-json", b"{}", auth="Bearer " + tokens["other"])
check(st == 403, "another sensor's token cannot push for this source: 403")
st, _ = push("push-json", b"{}", auth="Bearer not-a-token-at-all-000")
check(st == 401, "a wrong token: 401")

# ---- garbage over MQTT: refused, said once, counted --------------------------------------
before = log_count("source door-a: payload refused")
for i in range(3):
    broker.publish("irisys-door-a", live, "{\"counts\": [{\"name\": \"Door In\", \"count\": \"x")
wait_for(lambda: sources()["door-a"]["refused"] == 3, "garbage over MQTT is counted as refused")
check(log_count("source door-a: payload refused") - before == 1,
      "the same fault said once in the log, not three times")
check("irisys" in sources()["door-a"]["last_error"], "last_error names what did not read")
metrics = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
check('venueboard_source_refused_total{source="door-a"} 3' in metrics,
      "/metrics counts the refusals")

# ---- polls: the AXIS counter with its login, beside a device that hangs -------------------
camera["out"] = 7
wait_for(lambda: any(x.get("sensor") == "axis-exit" and x["total"] == 7 for x in samples("q-test")),
         "the polled AXIS People Counter (Digest login, local time) brings its out total")
check(len(digests) > 0, f"the server answered the camera's Digest challenge ({len(digests)} polls)")
wait_for(lambda: sources()["hang"]["state"] == "failing", "a poll that hangs makes its source failing",
         timeout=20)
check("hang" in sources()["hang"]["last_error"] or "imeout" in sources()["hang"]["last_error"],
      f"and says how: {sources()['hang']['last_error']}")
n0 = sources()["axis-exit"]["readings"]
dup0 = sources()["axis-exit"]["duplicates"]
time.sleep(4)
ax = sources()["axis-exit"]
check(ax["readings"] + ax["duplicates"] >= n0 + dup0 + 4 and ax["state"] == "ok",
      f"the other poll keeps its 1 s period while one hangs ({ax['readings']} readings, "
      f"{ax['duplicates']} the same as before)")
check('venueboard_source_state{source="hang",state="failing"} 1' in
      urllib.request.urlopen(base + "/metrics", timeout=10).read().decode(),
      "/metrics shows the failing source")

# ---- a broker restart: the server subscribes again, nothing the broker kept is lost --------
broker.stop()
wait_for(lambda: get("/v1/sources")["broker"]["state"] != "connected",
         "the server sees the broker gone")
time.sleep(5)  # the server's tries have backed off to their longest wait
broker.start()
restarted = time.monotonic()
check(get("/v1/sources")["broker"]["state"] != "connected",
      "the broker is back, the server not yet: what is published now waits in the broker")
broker.publish("irisys-door-a", live, json.dumps(
    {"counts": [{"name": "Door In", "count": 777}, {"name": "Door Out", "count": 700}]}))
wait_for(lambda: get("/v1/sources")["broker"]["state"] == "connected",
         "connected again after the broker's restart", timeout=10)
took = time.monotonic() - restarted
check(took <= 5.0, f"re-subscribed {took:.1f} s after the broker came back (target 5 s)")
wait_for(lambda: any(x.get("total") == 777 for x in samples("q-test")),
         "a reading published while the server was away arrives (QoS 1, kept by the broker)")

# ---- a reload: a wrong broker password (the same file, rewritten), said once; a new source --
with open(os.path.join(work, "mqtt.login"), "w") as f:
    f.write("venueboard-server:wrong-password\n")
with open(conf_path, "w") as f:
    f.write(config("source late json push queue:q-json\nsource-field late entry /n\n"
                   "sensor late late-token-0123456789\n"))
server.send_signal(signal.SIGHUP)
wait_for(lambda: "late" in sources(), "SIGHUP reloads the sources (a new one listed)")
wait_for(lambda: get("/v1/sources")["broker"]["state"] == "failing",
         "a wrong broker password: the broker is failing")
time.sleep(6)  # several retries
said = log_count("refused the connection")
check(said == 1, f"the wrong password is said once, plainly ({said} lines)")
check("not authori" in get("/v1/sources")["broker"]["last_error"].lower(),
      f"last_error says why: {get('/v1/sources')['broker']['last_error']}")
with open(os.path.join(work, "mqtt.login"), "w") as f:
    f.write(f"venueboard-server:{secret}\n")
with open(conf_path, "w") as f:
    f.write(config())
server.send_signal(signal.SIGHUP)
wait_for(lambda: get("/v1/sources")["broker"]["state"] == "connected" and "late" not in sources(),
         "the right password again: connected; the removed source gone")

hang.set()
server.send_signal(signal.SIGTERM)
check(server.wait(15) == 0, "the server stops cleanly with its links")
broker.stop()
devices.shutdown()
print(f"all {checks[0]} checks passed")
