"""The attack suites' shared harness: the server under test started from its
own config on loopback, requests, /healthz probes, checks and figures, and
test certificates. Every attack script takes the same arguments:

  SCRIPT VENUEBOARD_SERVER DEMO_SCHEDULE WORK_DIR [--sanitized]

and imports this module first (it reads them and clears WORK_DIR)."""
import http.client, os, re, resource, shutil, signal, socket, subprocess, sys, threading, time


server_bin, demo_schedule, work = sys.argv[1:4]
sanitized = "--sanitized" in sys.argv[4:]
ORG = "organizer-token-0123456789"
SENSOR = "sensor-token-0123456789ab"
SCREEN = "screen-token-palais-l2-east"
HEALTHZ_LIMIT_S = 2.0
RSS_LIMIT_MB = 150  # the bound this suite asserts (ASan builds excepted, said so)
checks = 0
figures = []
servers = []

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)


class Failed(Exception):
    pass


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        raise Failed(what)
    print("ok:", what, flush=True)


def figure(text):
    figures.append(text)
    print("figure:", text, flush=True)


# --- the server --------------------------------------------------------------------


class Server:
    def __init__(self, name, extra=""):
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, "server.conf")
        self.db = os.path.join(self.dir, "server.db")
        self.log = os.path.join(self.dir, "server.log")
        self.port_file = os.path.join(self.dir, "port")
        self.extra = extra
        self.proc = None
        self.port = None
        self.write_conf()
        servers.append(self)

    def write_conf(self, organizer=ORG, extra=None):
        if extra is not None:
            self.extra = extra
        with open(self.conf, "w") as f:
            f.write(f"listen 127.0.0.1:0\ndatabase {self.db}\n"
                    f"schedule {demo_schedule}\n"
                    f"organizer alice {organizer}\nsensor door {SENSOR}\n"
                    f"screen palais-l2-east {SCREEN}\n{self.extra}")
        os.chmod(self.conf, 0o600)

    def start(self):
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        self.proc = subprocess.Popen([server_bin, "--config", self.conf, "--port-file",
                                      self.port_file], stdout=open(self.log, "ab"),
                                     stderr=subprocess.STDOUT)
        for _ in range(500):
            if os.path.exists(self.port_file) and open(self.port_file).read().strip():
                self.port = int(open(self.port_file).read())
                return
            if self.proc.poll() is not None:
                raise Failed(f"the server exited with {self.proc.returncode} at start: "
                             + self.tail())
            time.sleep(0.01)
        raise Failed("the server did not start within 5 s")

    def stop(self, sig=signal.SIGTERM):
        """Stops the server; after SIGTERM it must exit 0 (a sanitizer's
        report or a crash would not)."""
        if not self.proc:
            return
        rc = self.proc.poll()
        if rc is None:
            self.proc.send_signal(sig)
            try:
                rc = self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                rc = "no exit within 20 s"
        self.proc = None
        if sig == signal.SIGTERM and rc != 0:
            raise Failed(f"the server exited with {rc} after SIGTERM: {self.tail()}")
        if re.search(r"Sanitizer|runtime error:", open(self.log, errors="replace").read()):
            raise Failed(f"a sanitizer report in {self.log}")

    def status(self, key):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024  # MB
        return 0

    def tail(self, n=15):
        try:
            return "".join(open(self.log, errors="replace").readlines()[-n:])
        except OSError:
            return ""


def request(srv, method, path, body=None, token=None, headers=None, source=None, timeout=10,
            context=None):
    """One request on a new connection: (status, headers dict (lower-case), body bytes)."""
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    if isinstance(body, str):
        body = body.encode()
    if context:
        c = http.client.HTTPSConnection("127.0.0.1", srv.port, timeout=timeout, context=context)
    else:
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout,
                                       source_address=(source, 0) if source else None)
    try:
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        c.close()


def request_expect(srv, path, body, token):
    """A POST as curl sends a large one: headers with "Expect: 100-continue",
    the body only once the server says to go on. The status."""
    with socket.create_connection(("127.0.0.1", srv.port), 10) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                  f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n".encode())
        f = s.makefile("rb")
        status = int(f.readline().split()[1])
        if status == 100:
            f.readline()
            s.sendall(body.encode())
            status = int(f.readline().split()[1])
        return status


def healthz_ms(srv, source="127.0.0.1"):
    t0 = time.monotonic()
    try:
        st, _, _ = request(srv, "GET", "/healthz", source=source, timeout=10)
        ok = st == 200
    except OSError:
        ok = False
    return (time.monotonic() - t0) * 1000 if ok else float("inf")


class Prober:
    """/healthz every 0.2 s from another address while an attack runs."""

    def __init__(self, srv):
        self.srv, self.lat, self.stop = srv, [], False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            self.lat.append(healthz_ms(self.srv))
            time.sleep(0.2)

    def finish(self):
        self.stop = True
        self.t.join()
        lat = sorted(self.lat)
        return lat[len(lat) // 2], lat[-1], len(lat)



def make_cert(name, ca):
    d = os.path.join(work, "tls")
    os.makedirs(d, exist_ok=True)
    key, pem = os.path.join(d, name + ".key"), os.path.join(d, name + ".pem")
    if ca is None:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", pem, "-days",
                        "30", "-subj", f"/CN={name}"], check=True, capture_output=True)
    else:
        csr = os.path.join(d, name + ".csr")
        ext = os.path.join(d, name + ".ext")
        open(ext, "w").write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        subprocess.run(["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={name}"],
                       check=True, capture_output=True)
        subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca[1], "-CAkey", ca[0],
                        "-CAcreateserial", "-out", pem, "-days", "30", "-extfile", ext],
                       check=True, capture_output=True)
    os.chmod(key, 0o600)
    return key, pem


def peer_cert(srv, ctx):
    with socket.create_connection(("127.0.0.1", srv.port), 5) as s:
        with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
            return t.getpeercert(True)




def run(name, body):
    """Runs body(); on a failed check prints why with the servers' last log
    lines and exits 1; kills what is left running; prints the figures."""
    try:
        body()
    except Failed as e:
        print("FAIL:", e)
        for s in servers:
            if s.proc:
                print(f"--- {s.log} (last lines)\n" + s.tail())
        sys.exit(1)
    finally:
        for s in servers:
            if s.proc:
                s.proc.kill()
    print(f"{name}: {checks} checks passed")
    for f in figures:
        print("  " + f)
