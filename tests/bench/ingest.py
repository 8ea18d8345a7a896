#!/usr/bin/env python3
"""ingest.py — pane ingest through the whole server, rmux beside tmux.

    ingest.py [BUILD-DIR] [--mib N] [--runs N] [--only ascii,csi,cjk]

A program in a detached 80x24 pane writes a payload to its terminal and
then three DSR queries (ESC [5n); it reads the three replies from its tty
in raw mode, and the time from its first write to the third reply is the
figure. Payloads: ASCII text, CSI-heavy (colours, cursor moves, erases),
CJK (wide characters). The same program writing to a pty whose master is
only read and discarded gives the raw pty throughput of this machine.
Then history memory: the server's RSS growth while a pane with
history-limit 100000 takes 100k lines, rmux against tmux.

Figures, not a test: MiB/s, the ratios against the targets (rmux >= 3x
tmux on each payload, ASCII >= 80% of raw pty, history memory <= 1/4 of
tmux's). Exit status 0 unless something could not be measured."""

import argparse
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import time

# The program run in the pane: payload, three DSR queries, time until the
# three replies. Output post-processing is off (raw) so the bytes reach the
# server as written; the payloads carry their own \r\n.
WRITER = r'''
import os, sys, termios, time, tty
payload, result = sys.argv[1], sys.argv[2]
dsr = len(sys.argv) <= 3
fd = 1
tty.setraw(0)
data = open(payload, "rb").read()
view = memoryview(data)
t0 = time.monotonic()
off = 0
while off < len(view):
    off += os.write(fd, view[off:off + (1 << 20)])
got = b""
if dsr:
    os.write(fd, b"\033[5n\033[5n\033[5n")
    while got.count(b"\033[0n") < 3:
        got += os.read(0, 64)
t1 = time.monotonic()
with open(result + ".tmp", "w") as f:
    f.write("%.6f %d\n" % (t1 - t0, len(data)))
os.rename(result + ".tmp", result)
if dsr:
    time.sleep(1000)
'''

LINE_WIDTH = 78


def make_ascii(size):
    words = ("the quick brown fox jumps over lazy dog lorem ipsum dolor sit amet "
             "consectetur adipiscing elit sed do eiusmod tempor incididunt").split()
    lines = []
    i = 0
    while sum(len(l) for l in lines) < (1 << 20):
        line = ""
        while len(line) < LINE_WIDTH - 10:
            line += words[i % len(words)] + " "
            i += 7
        lines.append(("%6d " % len(lines) + line)[:LINE_WIDTH] + "\r\n")
    return repeat("".join(lines).encode(), size)


def make_csi(size):
    out = []
    n = 0
    while sum(len(s) for s in out) < (1 << 20):
        n += 1
        out.append("\033[%d;%dH\033[1;3%dm%s\033[0m \033[38;5;%dm%s\033[48;2;%d;%d;%dm%s"
                   "\033[K\033[0m\r\n" % (n % 24 + 1, n % 7 + 1, n % 8, "status", n % 256,
                                          "x" * (n % 20), n % 256, (n * 3) % 256,
                                          (n * 7) % 256, "cell %d" % n))
        if n % 5 == 0:
            out.append("\033[2A\033[4C\033[7mrev\033[27m\033[3B\033[1K\r\n")
    return repeat("".join(out).encode(), size)


def make_cjk(size):
    text = "漢字仮名交じり文の表示速度を測る試験です。中文字符宽度测试，한국어 텍스트도 있습니다。"
    lines = []
    i = 0
    while sum(len(l) for l in lines) < (1 << 20):
        s = ""
        while len(s) < 38:
            s += text[i % len(text)]
            i += 1
        lines.append(s.encode() + b"\r\n")
    return repeat(b"".join(lines), size)


def repeat(chunk, size):
    return chunk * max(1, size // len(chunk))


PAYLOADS = {"ascii": make_ascii, "csi": make_csi, "cjk": make_cjk}


class Server:
    def __init__(self, kind, exe, tmp, env):
        self.kind = kind
        self.base = [exe, "-L", "ingest%d%s" % (os.getpid(), kind), "-f", "/dev/null"]
        self.env = env
        self.tmp = tmp

    def run(self, *args, check=True):
        p = subprocess.run(self.base + list(args), capture_output=True, text=True,
                           env=self.env, timeout=600)
        if check and p.returncode != 0:
            raise RuntimeError("%s %s: %s" % (self.kind, args[:2], p.stderr.strip()))
        return p.stdout

    def kill(self):
        subprocess.run(self.base + ["kill-server"], capture_output=True, env=self.env)

    def pid(self):
        return int(self.run("display-message", "-p", "#{pid}").strip())


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for %d" % pid)


def wait_file(path, limit):
    end = time.monotonic() + limit
    while not os.path.exists(path):
        if time.monotonic() > end:
            raise RuntimeError("timed out waiting for " + path)
        time.sleep(0.01)
    with open(path) as f:
        secs, size = f.read().split()
    return float(secs), int(size)


def ingest(server, writer, payload, result, history):
    if os.path.exists(result):
        os.unlink(result)
    server.run("start-server", ";", "set", "-g", "history-limit", str(history), ";",
               "new-session", "-d", "-x", "80", "-y", "24", "-s", "bench",
               "exec python3 %s %s %s" % (writer, payload, result))
    try:
        secs, size = wait_file(result, 600)
    finally:
        server.kill()
        time.sleep(0.2)
    return size / secs / (1 << 20)


def raw_pty(writer, payload, result):
    """The same writer on a pty whose master is read and thrown away."""
    if os.path.exists(result):
        os.unlink(result)
    pid, master = pty.fork()
    if pid == 0:
        os.execvp("python3", ["python3", writer, payload, result, "nodsr"])
    while True:
        try:
            if not os.read(master, 1 << 16):
                break
        except OSError:
            break
    os.waitpid(pid, 0)
    os.close(master)
    secs, size = wait_file(result, 10)
    return size / secs / (1 << 20)


def history_memory(server, lines_file):
    """KiB of server RSS growth while a pane takes 100k lines."""
    server.run("start-server", ";", "set", "-g", "history-limit", "100000", ";",
               "new-session", "-d", "-x", "80", "-y", "24", "-s", "mem", "cat")
    try:
        pid = server.pid()
        time.sleep(0.3)
        before = rss_kib(pid)
        server.run("new-window", "-d", "-t", "mem", "cat %s; exec sleep 1000" % lines_file)
        server.run("kill-window", "-t", "mem:0")
        end = time.monotonic() + 120
        while True:
            n = int(server.run("display-message", "-p", "-t", "mem", "#{history_size}").strip())
            if n >= 100000 - 24:
                break
            if time.monotonic() > end:
                raise RuntimeError("%s: history stuck at %d" % (server.kind, n))
            time.sleep(0.1)
        time.sleep(0.3)
        return rss_kib(pid) - before
    finally:
        server.kill()
        time.sleep(0.2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default=None)
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--only", default="ascii,csi,cjk")
    ap.add_argument("--history", type=int, default=50000,
                    help="history-limit of both servers during ingest")
    ap.add_argument("--no-memory", action="store_true")
    opts = ap.parse_args()
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    build = opts.build or os.path.join(top, "build-bench")
    rmux = os.path.join(build, "rmux")
    if not os.path.exists(rmux):
        print("no rmux in %s" % build)
        return 1
    tmux = shutil.which("tmux")
    if tmux is None:
        print("tmux not installed")
        return 1

    tmp = tempfile.mkdtemp(prefix="rmux-ingest-")
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", SHELL="/bin/sh",
               RMUX_TMPDIR=tmp, TMUX_TMPDIR=tmp)
    for v in ("RMUX", "RMUX_PANE", "TMUX"):
        env.pop(v, None)
    servers = [Server("rmux", rmux, tmp, env), Server("tmux", tmux, tmp, env)]
    writer = os.path.join(tmp, "writer.py")
    with open(writer, "w") as f:
        f.write(WRITER)
    status = 0
    try:
        print("ingest: %d MiB per payload, 80x24 pane, history-limit %d, best of %d" %
              (opts.mib, opts.history, opts.runs))
        print("%-6s %10s %10s %10s %9s %9s" % ("", "raw pty", "rmux", "tmux", "rmux/tmux",
                                               "rmux/raw"))
        for name in opts.only.split(","):
            payload = os.path.join(tmp, name + ".bin")
            with open(payload, "wb") as f:
                f.write(PAYLOADS[name](opts.mib << 20))
            result = os.path.join(tmp, "result")
            raw = max(raw_pty(writer, payload, result) for _ in range(opts.runs))
            got = {}
            for s in servers:
                got[s.kind] = max(ingest(s, writer, payload, result, opts.history)
                                  for _ in range(opts.runs))
            print("%-6s %10.1f %10.1f %10.1f %8.2fx %8.0f%%" % (
                name, raw, got["rmux"], got["tmux"], got["rmux"] / got["tmux"],
                100 * got["rmux"] / raw))
            os.unlink(payload)
        print("(MiB/s; targets: rmux/tmux >= 3x on each, rmux/raw >= 80% on ascii)")
        if not opts.no_memory:
            lines = os.path.join(tmp, "lines.txt")
            with open(lines, "w") as f:
                for i in range(100000):
                    f.write("%06d Nov 27 12:00:00 host kernel: [%d.%06d] device%d: event ok\n" %
                            (i, i, i * 7919 % 1000000, i % 13))
            mem = {s.kind: history_memory(s, lines) for s in servers}
            print("history memory, 100k lines: rmux %d KiB, tmux %d KiB, ratio %.2f "
                  "(target <= 0.25)" % (mem["rmux"], mem["tmux"], mem["rmux"] / max(1, mem["tmux"])))
    except RuntimeError as e:
        print("could not measure: %s" % e)
        status = 1
    finally:
        for s in servers:
            s.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
