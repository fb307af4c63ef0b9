"""The demo's people counters: Thursday's lunch lines and rooms reach
venueboard-server as real devices would send them (contracts §7), each in
its maker's protocol, from the simulator's samples (contracts §1):

- Le Méridien's two entry doors: one Irisys Vector 4D, registers "Door A In"
  and "Door B In", publishing to its Counts topic over MQTT;
- Le Méridien's exit: an AXIS People Counter the server polls over HTTP
  (Basic login), answering live-sum.json;
- the Palais' buffet: a Xovis sensor pushing legacy line counts, one-minute
  bins, to /v1/ingest/palais-buffet (HTTP Basic, the sensor token);
- each room's camera: AXIS Object Analytics occupancy over MQTT.

A Mosquitto of the demo's own (assets/server/local_broker.py) carries the
MQTT: a user for the server, one per device, each kept to its topics.

    devices.py setup WORK SAMPLES DAY BROKER-DIR XOVIS-TOKEN
        starts the broker (prints its pid), writes WORK/sources.conf (the
        server's lines) and the logins
    Devices(...) in the demo's Python part plays the devices.
"""
import base64, bisect, datetime as dt, http.server, json, os, secrets, sys, threading, time
import unicodedata, urllib.error, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
from local_broker import Broker, _free_port  # noqa: E402

PARIS = dt.timezone(dt.timedelta(hours=1))  # Europe/Paris in November
AXIS_PATH = "/local/tvpc/.api?live-sum.json"
AOA = "CameraApplicationPlatform/ObjectAnalytics"
XOVIS_LINES = {"door-a": "Door A", "door-b": "Door B", "out": "Exit"}
STOP_EVERY = dt.timedelta(minutes=5)
IRISYS_REGISTERS = {"door-a": "Door A In", "door-b": "Door B In"}


def history_line(line, rooms):
    """A Monday-to-Wednesday line as the same devices would have made it:
    the sensor names the server gives their readings (NAME, or NAME/COUNTER
    for two counters of one role), so that Thursday's readings continue the
    same sensors rather than leave three silent ones behind."""
    s = json.loads(line)
    q, sensor = s.get("queue"), s.get("sensor")
    if s.get("type") == "count" and q == "meridien-lunch":
        s["sensor"] = ("meridien-doors/" + IRISYS_REGISTERS[sensor]
                       if sensor in IRISYS_REGISTERS else "meridien-exit")
    elif s.get("type") == "count" and q == "palais-l3-buffet":
        s["sensor"] = ("palais-buffet" if sensor == "out"
                       else f"palais-buffet/{XOVIS_LINES[sensor]}/fw")
    elif s.get("type") == "room" and s["room"] in rooms:
        s["sensor"] = rooms[s["room"]][0]
    else:
        return line
    return json.dumps(s, ensure_ascii=False, separators=(",", ":"))


def t_of(s):
    return dt.datetime.fromisoformat(s["t"].replace("Z", "+00:00"))


def slug(room):
    ascii_ = unicodedata.normalize("NFKD", room).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_).split())


def thursday_rooms(samples, day):
    rooms = []
    for line in open(samples, encoding="utf-8"):
        s = json.loads(line)
        if s.get("type") == "room" and s["t"].startswith(day) and s["room"] not in rooms:
            rooms.append(s["room"])
    return rooms


def cameras(rooms):
    """room -> (source name, serial, MQTT user): one camera per room."""
    return {r: ("cam-" + slug(r), "ACCC8E%06X" % (0x241000 + i), "axis-cam-%d" % i)
            for i, r in enumerate(rooms)}


def secret():
    return secrets.token_hex(12)


def setup(work, samples, day, broker_dir, xovis_token):
    cams = cameras(thursday_rooms(samples, day))
    pw = {"venueboard-server": secret(), "irisys-meridien-doors": secret(),
          **{user: secret() for _, _, user in cams.values()}}
    users = {"venueboard-server": (pw["venueboard-server"], [], ["irisys/#", "axis/#"]),
             "irisys-meridien-doors": (pw["irisys-meridien-doors"],
                                       ["irisys/meridien-doors/#"], [])}
    for _, serial, user in cams.values():
        users[user] = (pw[user], [f"axis/{serial}/#"], [])
    broker = Broker(broker_dir, users).start()
    state = {"port": broker.port, "passwords": pw, "axis_port": _free_port(),
             "axis_password": secret(), "xovis_token": xovis_token, "cameras": cams}

    def private(name, text):
        path = os.path.join(work, name)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(text)
        return path
    mqtt_login = private("mqtt.login", f"venueboard-server:{pw['venueboard-server']}\n")
    axis_login = private("meridien-exit.login", f"viewer:{state['axis_password']}\n")
    private("devices.json", json.dumps(state))
    conf = [
        "# the AXIS People Counter's timestamp is local time, without an offset",
        "timezone Europe/Paris",
        f"mqtt-broker {broker.url}", f"mqtt-login {mqtt_login}",
        "# Le Méridien's entry doors: one Irisys Vector 4D, two registers counted as entries",
        "source meridien-doors irisys mqtt:irisys/meridien-doors/counts queue:meridien-lunch",
        "source-counter meridien-doors Door A In entry",
        "source-counter meridien-doors Door B In entry",
        "# Le Méridien's exit: an AXIS People Counter, polled every second",
        f"source meridien-exit axis-people-counter poll:http://127.0.0.1:{state['axis_port']}"
        f"{AXIS_PATH}@1 queue:meridien-lunch",
        "source-counter meridien-exit out exit",
        f"source-login meridien-exit {axis_login}",
        "# the Palais' buffet: a Xovis sensor pushing line counts",
        "source palais-buffet xovis push queue:palais-l3-buffet",
        f"sensor palais-buffet {xovis_token}",
        "source-counter palais-buffet Door A/fw entry",
        "source-counter palais-buffet Door B/fw entry",
        "source-counter palais-buffet Exit/fw exit",
        "# the rooms' cameras: AXIS Object Analytics, occupancy in area, one scenario per room",
    ]
    for room, (name, serial, _) in cams.items():
        conf += [f"source {name} axis-object-analytics mqtt:axis/{serial}/event/{AOA}/# room:{room}",
                 f"source-counter {name} {room} people"]
    private("sources.conf", "".join(line + "\n" for line in conf))
    print(broker.proc.pid)


class Devices:
    """Thursday's samples, sent as the devices would once the demo clock
    passes them. deliver(until) sends; settle(until) waits until the
    server has taken them (shots mode)."""

    def __init__(self, work, base, tls, thursday, now):
        st = json.load(open(os.path.join(work, "devices.json")))
        self.base, self.tls, self.now = base, tls, now
        self.broker = Broker.__new__(Broker)  # the running one, started by setup
        self.broker.port = st["port"]
        self.broker.users = {u: (p, [], []) for u, p in st["passwords"].items()}
        self.xovis_auth = "Basic " + base64.b64encode(
            b"xovis:" + st["xovis_token"].encode()).decode()
        self.cams = st["cameras"]
        self.axis_port, self.axis_password = st["axis_port"], st["axis_password"]
        # (queue, sensor) -> the previous total. The devices count from their
        # midnight reset: the simulator's totals run on from Wednesday, so
        # each sensor's first total of the day is the devices' zero.
        self.last = {}
        self.irisys, self.xovis, self.exits, self.rooms, self.rest = [], [], [], [], []
        for line in thursday:
            s = json.loads(line)
            q, sensor = s.get("queue"), s.get("sensor")
            if s.get("type") == "count" and q == "meridien-lunch" and sensor in IRISYS_REGISTERS:
                self.irisys.append(s)
            elif s.get("type") == "count" and q == "meridien-lunch" and sensor == "out":
                self.exits.append(s)
            elif s.get("type") == "count" and q == "palais-l3-buffet" and sensor in XOVIS_LINES:
                self.xovis.append(s)
            elif s.get("type") == "room" and s["room"] in self.cams:
                self.rooms.append(s)
            else:
                self.rest.append(line)  # no device for it: posted as before
        zero = self.exits[0]["total"] if self.exits else 0
        self.exit_at = [(dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc), 0)] + \
            [(t_of(s), s["total"] - zero) for s in self.exits]
        self.exit_t = [t for t, _ in self.exit_at]
        self.sent = {"irisys": 0, "rooms": 0, "xovis": 0}
        self.expect = {}  # source -> readings sent (MQTT: what the server must have taken)
        self.xovis_minute = (t_of(self.xovis[0]).replace(second=0, microsecond=0)
                             if self.xovis else None)
        self.pushed = [0, 0]  # Xovis pushes, readings accepted
        self.moment, self.settled = None, None  # shots mode: where the jumps stop on the way

    # ---- the AXIS People Counter: a web server the server polls ------------------
    def start(self):
        devices = self
        want = "Basic " + base64.b64encode(b"viewer:" + self.axis_password.encode()).decode()

        class Counter(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                if self.headers.get("Authorization") != want:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="AXIS"')
                    self.end_headers()
                    return
                if self.path != AXIS_PATH:
                    self.send_error(404)
                    return
                now = devices.moment or devices.now()  # the device's clock is the demo's
                total = devices.exit_total(now)
                body = json.dumps({"serial": "ACCC8E00E217", "name": "Méridien exit",
                                   "timestamp": now.astimezone(PARIS).strftime("%Y%m%d%H%M%S"),
                                   "in": 0, "out": total}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", self.axis_port), Counter)
        self.http.daemon_threads = True
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        # the server must be subscribed before the devices publish
        end = time.monotonic() + 15
        while self.get("/v1/sources").get("broker", {}).get("state") != "connected":
            if time.monotonic() > end:
                raise SystemExit("venueboard-server did not connect to the demo's broker")
            time.sleep(0.1)
        self.pub = {"irisys-meridien-doors": self.broker.publisher(
            "irisys-meridien-doors", "irisys/meridien-doors/counts")}
        for room, (_, serial, user) in self.cams.items():
            self.pub[user] = self.broker.publisher(user, f"axis/{serial}/event/{AOA}/Device1Scenario1")
        return self

    def get(self, path):
        return json.load(urllib.request.urlopen(self.base + path, context=self.tls, timeout=10))

    def change(self, s):
        """What a device that sends changes sends: this total minus the last."""
        key = (s["queue"], s["sensor"])
        before = self.last.get(key, s["total"])  # the first of the day: zero
        self.last[key] = s["total"]
        return s["total"] - before if s["total"] >= before else s["total"]  # a reset: from 0

    def send(self, user, payload):
        p = self.pub[user]
        p.stdin.write(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")
        p.stdin.flush()

    def deliver(self, until):
        """Everything the devices have counted up to until (the demo clock)."""
        # Irisys: its Counts topic, events with the device's own time, each the
        # change since that register's previous total (the live_counts topic
        # carries no time: the server would stamp it with today's date, no use
        # in an accelerated replay of 2014). One message per instant, zeros
        # included: the doors report every 15 s, quiet or not.
        events = []
        while self.sent["irisys"] < len(self.irisys) and t_of(self.irisys[self.sent["irisys"]]) <= until:
            s = self.irisys[self.sent["irisys"]]
            self.sent["irisys"] += 1
            t = t_of(s).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")
            if events and events[-1]["t"] != t:
                self.send("irisys-meridien-doors", events)
                events = []
            events.append({"register": IRISYS_REGISTERS[s["sensor"]], "value": self.change(s), "t": t})
            self.expect["meridien-doors"] = self.expect.get("meridien-doors", 0) + 1
        if events:
            self.send("irisys-meridien-doors", events)
        # the cameras: AXIS Object Analytics occupancy, scenario named after the room
        while self.sent["rooms"] < len(self.rooms) and t_of(self.rooms[self.sent["rooms"]]) <= until:
            s = self.rooms[self.sent["rooms"]]
            self.sent["rooms"] += 1
            name, serial, user = self.cams[s["room"]]
            people = str(s["people"])
            self.send(user, {"topic": f"axis:{AOA}/Device1Scenario1",
                             "timestamp": int(t_of(s).timestamp() * 1000), "serial": serial,
                             "message": {"source": {}, "key": {},
                                         "data": {"scenario": s["room"], "human": people,
                                                  "total": people}}})
            self.expect[name] = self.expect.get(name, 0) + 1
        # Xovis: one push per minute, that minute's counts per line (fw)
        while self.xovis_minute and self.xovis_minute + dt.timedelta(minutes=1) <= until \
                and self.sent["xovis"] < len(self.xovis):
            a = self.xovis_minute
            b = a + dt.timedelta(minutes=1)
            counts = {line: 0 for line in XOVIS_LINES.values()}
            while self.sent["xovis"] < len(self.xovis) and t_of(self.xovis[self.sent["xovis"]]) < b:
                s = self.xovis[self.sent["xovis"]]
                self.sent["xovis"] += 1
                counts[XOVIS_LINES[s["sensor"]]] += self.change(s)
            self.push_xovis(a, b, counts)
            self.xovis_minute = b

    def push_xovis(self, a, b, counts):
        a, b = a.astimezone(PARIS).isoformat(), b.astimezone(PARIS).isoformat()
        body = {"sensor-time": {"timezone": "Europe/Paris", "time": b},
                "status": {"code": "OK"},
                "content": {"element": [
                    {"element-id": i, "element-name": line, "sensor-type": "SINGLE_SENSOR",
                     "data-type": "LINE", "from": a, "to": b, "resolution": "ONE_MINUTE",
                     "measurement": [{"from": a, "to": b, "value": [{"value": n, "label": "fw"},
                                                                     {"value": 0, "label": "bw"}]}]}
                    for i, (line, n) in enumerate(counts.items())]},
                "sensor-info": {"serial-number": "80:1F:12:00:32:41", "name": "Palais buffet L3",
                                "device-type": "PC2"}}
        req = urllib.request.Request(self.base + "/v1/ingest/palais-buffet", method="POST",
                                     data=json.dumps(body).encode(),
                                     headers={"Authorization": self.xovis_auth,
                                              "Content-Type": "application/json"})
        try:
            answer = json.load(urllib.request.urlopen(req, context=self.tls, timeout=10))
            self.pushed[0] += 1
            self.pushed[1] += answer.get("accepted", 0)
        except urllib.error.HTTPError as e:
            print(f"  Xovis push {a}: {e.code} {e.read().decode(errors='replace')[:200]}")

    def exit_total(self, t):
        """The exit counter's total at t: the newest sample at or before t."""
        return self.exit_at[bisect.bisect_right(self.exit_t, t) - 1][1]

    def jump(self, until, every=STOP_EVERY):
        """Shots mode: the clock jumps to until. The polled exit counter is
        read once per poll, not once per sample: while people leave, the jump
        stops every few minutes on the way (where someone left), each stop polled, so that the
        line's exits come in as a steady count, not one lump."""
        stop = self.settled + every if self.settled else until
        while stop < until:
            if self.exit_total(stop) != self.exit_total(stop - every):
                self.moment = stop
                self.deliver(stop)
                self.settle(stop)
            stop += every
        self.moment = None
        self.deliver(until)
        self.settle(until)
        self.settled = until

    def settle(self, until, timeout=15):
        """Waits until the server has taken what was sent up to until: the
        MQTT readings (asynchronous) and the exit counter's poll at until."""
        since = (until - dt.timedelta(seconds=1)).astimezone(dt.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        end = time.monotonic() + timeout
        while True:
            src = {s["name"]: s for s in self.get("/v1/sources")["sources"]}
            behind = [n for n, k in self.expect.items()
                      if src[n]["readings"] + src[n]["refused"] < k]
            polled = any(x.get("sensor") == "meridien-exit" and t_of(x) >= until
                         for x in self.get(f"/v1/queues?queue=meridien-lunch&since={since}")
                         .get("samples", []))
            if not behind and polled:
                return
            if time.monotonic() > end:
                print(f"  (the server has not taken everything by {until:%H:%M}: "
                      f"{', '.join(behind) or 'the exit counter'} behind)")
                return
            time.sleep(0.05)

    def report(self):
        """GET /v1/sources, in a few lines."""
        got = self.get("/v1/sources")
        b = got.get("broker", {})
        print(f"  broker {b.get('url')}: {b.get('state')}")
        for s in got["sources"]:
            print(f"  {s['name']:30} {s['format']:22} {s['state']:7} {s['readings']:5} readings "
                  f"{s['duplicates']:4} again {s['refused']} refused"
                  + (f"  last error: {s['last_error']}" if s['state'] != "ok" else "")
                  + (f"  not mapped: {', '.join(s['unmapped'])}" if s.get('unmapped') else ""))

    def stop(self):
        for p in self.pub.values():
            p.stdin.close()
            p.wait(10)
        self.http.shutdown()


if __name__ == "__main__" and sys.argv[1:2] == ["setup"]:
    setup(*sys.argv[2:7])
