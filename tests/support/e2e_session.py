"""What the kiosk's end-to-end tests share: checks that end the run with the
logs' last lines, processes started and stopped, Xvfb on a free display and
the kiosk's environment for it."""
import http.server, os, shutil, signal, socket, subprocess, sys, time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Session:
    """One test's processes and checks; its files in work (made afresh).
    Exits 77 (skipped, saying why) when Xvfb is not installed."""

    def __init__(self, work, logs=("kiosk.log", "server.log")):
        if not shutil.which("Xvfb"):
            print("SKIP: Xvfb is not installed (apt-get install xvfb)")
            sys.exit(77)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        self.work, self.logs, self.procs, self.checks = work, logs, [], 0

    def check(self, cond, what):
        self.checks += 1
        if not cond:
            print("FAIL:", what)
            for p in self.procs:
                p.terminate()  # an X server cleans up its lock on SIGTERM
            for p in self.procs:
                try:
                    p.wait(2)
                except subprocess.TimeoutExpired:
                    p.kill()
            for name in self.logs:
                path = os.path.join(self.work, name)
                if os.path.exists(path):
                    print(f"--- {name} (last lines)")
                    print("".join(open(path, errors="replace").readlines()[-30:]))
            sys.stdout.flush()
            os._exit(1)  # (servers on threads do not hold the exit)
        print("ok:", what)

    def wait_for(self, pred, what, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            v = pred()
            if v:
                self.check(True, what)
                return v
            time.sleep(0.1)
        self.check(False, what)

    def start(self, cmd, log, env=None):
        p = subprocess.Popen(cmd, stdout=open(log, "ab"), stderr=subprocess.STDOUT, env=env)
        self.procs.append(p)
        return p

    def stop(self, p):
        p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = p.wait()
        self.procs.remove(p)
        return rc

    def xvfb(self, displays, size="1280x720x24"):
        """Xvfb on the first free display of displays; (its process, ":N").
        A display whose lock names a process that is gone (an X server
        killed without its clean-up) is free: its lock and socket go."""
        display = next(f":{n}" for n in displays if display_free(n))
        x = self.start(["Xvfb", display, "-screen", "0", size, "-nolisten", "tcp"],
                       os.path.join(self.work, "xvfb.log"))
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{display[1:]}"):
                break
            time.sleep(0.05)
        self.check(x.poll() is None, f"Xvfb runs on {display}")
        return x, display


def display_free(n):
    """Whether X display n can be taken: no lock, or a stale one (removed)."""
    lock, sock = f"/tmp/.X{n}-lock", f"/tmp/.X11-unix/X{n}"
    if os.path.exists(lock):
        try:
            pid = int(open(lock).read().strip() or "0")
            os.kill(pid, 0)
            return False  # its server runs
        except ProcessLookupError:
            pass
        except (ValueError, OSError):
            return False  # unreadable, or not ours to judge: leave it
        for path in (lock, sock):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
    return not os.path.exists(sock)


def kiosk_env(display):
    """The environment a kiosk under display runs in: no Wayland, SDL's own
    choice of driver, and (sanitizer builds) what libdbus keeps for the
    process not reported as our leak."""
    env = dict(os.environ, DISPLAY=display)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("SDL_VIDEODRIVER", None)
    supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                        "lsan-system.supp")
    env["LSAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("LSAN_OPTIONS"),
                                                 "suppressions=" + os.path.abspath(supp)]))
    return env


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A test server's handler: no access log on stderr, and send() for a
    whole answer with its length."""

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
