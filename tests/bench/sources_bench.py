"""The measuring part of run-sources-bench.sh (see there)."""
import json, os, statistics, subprocess, sys, tempfile, threading, time, urllib.request

build, root, rate, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, os.path.join(root, "assets", "server"))
from local_broker import Broker  # noqa: E402

DEVICES = 50
work = tempfile.mkdtemp(prefix="vb-sources-bench-")
broker = Broker(os.path.join(work, "broker"), {
    "venueboard-server": ("server-pw-0123", [], ["irisys/#"]),
    "devices": ("devices-pw-0123", ["irisys/#"], [])}).start()
with open(f"{work}/mqtt.login", "w") as f:
    f.write("venueboard-server:server-pw-0123\n")
conf = f"""listen 127.0.0.1:0
database {work}/server.db
schedule {root}/assets/demo/paris-2014.schedule.json
organizer bench organizer-token-bench-0123456789
mqtt-broker {broker.url}
mqtt-login {work}/mqtt.login
""" + "".join(f"source dev-{d} irisys mqtt:irisys/dev-{d}/live_counts queue:line-{d % 4}\n"
              f"source-counter dev-{d} In entry\n" for d in range(DEVICES))
with open(f"{work}/server.conf", "w") as f:
    f.write(conf)
for p in ("server.conf", "mqtt.login"):
    os.chmod(f"{work}/{p}", 0o600)
server = subprocess.Popen([f"{build}/feeds/venueboard-server", "--config", f"{work}/server.conf",
                           "--port-file", f"{work}/port"], stderr=open(f"{work}/server.log", "w"))
while not (os.path.exists(f"{work}/port") and open(f"{work}/port").read().strip()):
    time.sleep(0.05)
base = f"http://127.0.0.1:{open(f'{work}/port').read().strip()}"


def get(path):
    return json.load(urllib.request.urlopen(base + path, timeout=30))


def taken():
    s = get("/v1/sources")["sources"]
    return sum(x["readings"] for x in s), sum(x["refused"] for x in s)


def rss_kib():
    for line in open(f"/proc/{server.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def connected():
    return get("/v1/sources")["broker"]["state"] == "connected"


while not connected():
    time.sleep(0.05)


PATHS = ("/healthz", "/v1/sources", "/v1/schedule", "/v1/rooms", "/v1/queues")


def probe(stop, out):
    """A kiosk's and the desk's GETs, one after the other, every 10 ms."""
    i = 0
    while not stop.is_set():
        path = PATHS[i % len(PATHS)]
        t0 = time.perf_counter()
        urllib.request.urlopen(base + path, timeout=30).read()
        out.setdefault(path, []).append((time.perf_counter() - t0) * 1000)
        i += 1
        time.sleep(0.01)


def latency(label, seconds, load=None):
    stop, out = threading.Event(), {}
    t = threading.Thread(target=probe, args=(stop, out))
    t.start()
    result = load() if load else time.sleep(seconds)
    stop.set()
    t.join()
    every = sorted(x for v in out.values() for x in v)
    p = lambda v, q: v[min(len(v) - 1, int(q * len(v)))]
    print(f"  HTTP {label}: {len(every)} requests, p50 {p(every, 0.5):.1f} ms, "
          f"p99 {p(every, 0.99):.1f} ms, max {every[-1]:.1f} ms; p99 by path: " +
          ", ".join(f"{k} {p(sorted(v), 0.99):.1f}" for k, v in out.items()))
    return result


def publish(count, r):
    return subprocess.run([f"{build}/tests/bench/bench_mqtt_pub", "127.0.0.1", str(broker.port),
                           "devices", "devices-pw-0123", str(count), str(r), str(DEVICES)],
                          capture_output=True, text=True, check=True).stdout.strip()


print(f"== {DEVICES} Irisys devices over MQTT (QoS 1) into venueboard-server; Mosquitto on loopback")
rss0 = rss_kib()
latency("without MQTT load", 4)
count = rate * secs


def load():
    before, _ = taken()
    t0 = time.monotonic()
    th = threading.Thread(target=lambda: print("  " + publish(count, rate)))
    th.start()
    if os.environ.get("VB_PERF"):  # where the server's time goes under the load
        subprocess.Popen(["perf", "record", "-g", "-o", os.environ["VB_PERF"], "-p",
                          str(server.pid), "--", "sleep", str(secs)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = rss0
    while True:
        n, _ = taken()
        peak = max(peak, rss_kib())
        if n - before >= count or time.monotonic() - t0 > secs * 6 + 30:
            break
        time.sleep(0.2)
    th.join()
    took = time.monotonic() - t0
    return n - before, took, peak


n, took, peak = latency(f"while {rate} readings/s arrive", 0, load)
print(f"  readings taken: {n} of {count} in {took:.1f} s ({n / took:.0f}/s end to end, stored "
      f"and estimated); RSS {rss0} KiB before, {peak} KiB at most")
latency("after, the same state without MQTT load (GET /v1/queues now holds 20 000 lines)", 4)

print("== broker restart")
broker.stop()
while connected():
    time.sleep(0.05)
time.sleep(5)  # the server's tries at their longest wait
before, _ = taken()
broker.start()
t0 = time.monotonic()
out = publish(1000, 5000)  # published before the server is back: the broker keeps them
while not connected():
    time.sleep(0.02)
back = time.monotonic() - t0
end = time.monotonic() + 20
while taken()[0] - before < 1000 and time.monotonic() < end:
    time.sleep(0.1)
print(f"  subscribed again {back:.2f} s after the broker came back; of 1000 readings published "
      f"while it was away, {taken()[0] - before} taken, {1000 - (taken()[0] - before)} lost")

print("== a device sending garbage and 1 MiB messages")
rss1 = rss_kib()
_, refused0 = taken()
junk = os.path.join(work, "junk")
with open(junk, "wb") as f:
    f.write(b"{" * (1 << 20))
for _ in range(100):
    subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(broker.port), "-u", "devices",
                    "-P", "devices-pw-0123", "-t", "irisys/dev-0/live_counts", "-q", "1", "-f", junk],
                   check=True)
end = time.monotonic() + 30
while taken()[1] - refused0 < 100 and time.monotonic() < end:
    time.sleep(0.1)
print(f"  {taken()[1] - refused0} of 100 refused; RSS {rss1} KiB before, {rss_kib()} KiB after")
server.terminate()
server.wait()
broker.stop()
