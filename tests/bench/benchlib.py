"""benchlib.py — what the link benchmarks (wire.py, echo.py, copy.py)
share: finding the build, a clean environment, running a command, and
mosh's server side started and stopped the way each compares rmux
against it."""

import os
import re
import shutil
import signal
import subprocess
import tempfile


def setup(build, prefix, rmux=None):
    """The rmux and relay binaries of BUILD (default: build-bench at the
    top of the tree), a fresh temporary folder and an environment that
    keeps no session, key or prediction setting of the caller's; None,
    after saying why, when something is missing."""
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    build = build or os.path.join(top, "build-bench")
    rmux = rmux or os.path.join(build, "rmux")
    relay = os.path.join(build, "tests", "net", "relay")
    for f in (rmux, relay):
        if not os.path.exists(f):
            print("no %s" % f)
            return None
    if shutil.which("tmux") is None:
        print("tmux not installed")
        return None
    tmp = tempfile.mkdtemp(prefix=prefix)
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", SHELL="/bin/sh", PS1="$ ",
               RMUX_TMPDIR=tmp, TMUX_TMPDIR=tmp, TERM="xterm-256color")
    for v in ("RMUX", "RMUX_PANE", "TMUX", "ENV", "MOSH_KEY", "RMUX_KEY", "RMUX_PREDICT",
              "MOSH_PREDICTION_DISPLAY"):
        env.pop(v, None)
    return rmux, relay, tmp, env


def run(cmd, env, check=True, timeout=60):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd[:3]), p.stderr.strip()))
    return p.stdout


class Mosh:
    """mosh-server running /bin/sh on loopback; client() is mosh-client's
    command line for a given (relay) port."""
    name = "mosh"

    def __init__(self, env):
        self.env = env
        self.pid = None

    def start(self):
        p = subprocess.run(["mosh-server", "new", "-i", "127.0.0.1", "-c", "256",
                            "-l", "LANG=C.UTF-8", "--", "/bin/sh"],
                           capture_output=True, text=True, env=self.env, timeout=30)
        m = re.search(r"MOSH CONNECT (\d+) (\S+)", p.stdout)
        pm = re.search(r"pid = (\d+)", p.stderr)
        if m is None or pm is None:
            raise RuntimeError("mosh-server said: %s %s" % (p.stdout, p.stderr))
        self.key = m.group(2)
        self.pid = int(pm.group(1))
        return int(m.group(1))

    def client(self, port):
        return "MOSH_KEY=%s exec mosh-client 127.0.0.1 %d" % (self.key, port)

    def server_pid(self):
        return self.pid

    def stop(self):
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.pid = None
