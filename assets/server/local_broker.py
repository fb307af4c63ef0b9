"""A Mosquitto of its own on loopback, as a venue's would be set up (a user
per device, an ACL keeping each to its topics, QoS 1 messages kept across a
restart), for the demo and the tests. Debian's mosquitto package; nothing
else. Usage from Python:

    b = Broker(workdir, {"venueboard-server": ("pw", [], ["#"]),
                         "door-a": ("pw2", ["irisys/door-a/#"], [])})
    b.start(); b.publish("door-a", "irisys/door-a/live_counts", payload); b.stop()
"""
import os, pwd, shutil, socket, subprocess, time


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _ancestors(path):
    while True:
        path = os.path.dirname(path)
        yield path
        if path == "/":
            return


class Broker:
    def __init__(self, work, users, port=0):
        """users: name -> (password, topics it may write, topics it may read)."""
        self.work, self.users = work, users
        self.port = port or _free_port()
        self.proc = None
        os.makedirs(os.path.join(work, "data"), exist_ok=True)
        conf = os.path.join(work, "mosquitto.conf")
        pw = os.path.join(work, "passwd")
        acl = os.path.join(work, "acl")
        open(pw, "w").close()
        for name, (secret, _, _) in users.items():
            subprocess.run(["mosquitto_passwd", "-b", pw, name, secret], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(acl, "w") as f:
            for name, (_, write, read) in users.items():
                f.write(f"user {name}\n")
                f.writelines(f"topic write {t}\n" for t in write)
                f.writelines(f"topic read {t}\n" for t in read)
                f.write("\n")
        with open(conf, "w") as f:
            f.write(f"listener {self.port} 127.0.0.1\n"
                    "allow_anonymous false\n"
                    f"password_file {pw}\n"
                    f"acl_file {acl}\n"
                    "persistence true\n"  # a subscriber's QoS 1 messages survive a restart
                    f"persistence_location {os.path.join(work, 'data')}/\n"
                    "autosave_interval 1\n"
                    "max_queued_messages 100000\n"
                    "max_packet_size 2097152\n"
                    f"log_dest file {os.path.join(work, 'mosquitto.log')}\n"
                    "log_type error\nlog_type warning\nlog_type notice\n")
        for p in (pw, acl, conf):
            os.chmod(p, 0o600)
        # started as root, Mosquitto becomes its own user: its files are that
        # user's, when that user can reach them (a private temporary folder
        # above them: then it stays root, on loopback only)
        if os.getuid() == 0:
            try:
                broker = pwd.getpwnam("mosquitto")
            except KeyError:
                broker = None
            reachable = broker and all(
                os.stat(d).st_mode & 0o001 for d in _ancestors(os.path.abspath(work)))
            if reachable:
                for d, _, files in os.walk(work):
                    for p in [d, *(os.path.join(d, f) for f in files)]:
                        os.chown(p, broker.pw_uid, broker.pw_gid)
            else:
                with open(conf, "a") as f:
                    f.write("user root\n")
        self.conf = conf
        self.url = f"mqtt://127.0.0.1:{self.port}"

    def start(self, timeout=10):
        if not shutil.which("mosquitto"):
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        self.proc = subprocess.Popen(["mosquitto", "-c", self.conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"mosquitto exited ({self.proc.returncode}): see "
                                       f"{os.path.join(self.work, 'mosquitto.log')}")
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not listen in time")

    def stop(self):
        """A clean stop: what it keeps is saved (SIGTERM)."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def _auth(self, user):
        return ["-h", "127.0.0.1", "-p", str(self.port), "-u", user, "-P", self.users[user][0]]

    def publish(self, user, topic, payload, qos=1, retain=False):
        """One message, as a device sends it; raises when the broker refuses."""
        cmd = ["mosquitto_pub", *self._auth(user), "-t", topic, "-q", str(qos), "-s"]
        if retain:
            cmd.append("-r")
        data = payload if isinstance(payload, bytes) else payload.encode()
        subprocess.run(cmd, input=data, check=True, timeout=10,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def publisher(self, user, topic, qos=1):
        """A device that stays connected: each line written to .stdin is a message."""
        return subprocess.Popen(["mosquitto_pub", *self._auth(user), "-t", topic,
                                 "-q", str(qos), "-l"], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
