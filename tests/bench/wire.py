#!/usr/bin/env python3
"""wire.py — what the link costs on the wire, rmux beside mosh.

    wire.py [BUILD-DIR] [--only rmux,rmux-live,mosh] [--loss 0,10]
            [--workloads idle,typing,seq,scroll] [--quick] [--settle-max S]
            [--trace DIR]

Each system runs a plain shell (/bin/sh, prompt "$ ") behind the
impairment relay (tests/tools/relay.c, the same seed for both), and its
real client (`rmux connect`, mosh-client) runs in an 80x24 tmux pane, so
keys are typed into the client as a user would. For each workload the
relay's counters are read before and after: datagrams and payload bytes in
each direction (the bytes on the wire add 28 per datagram for IPv4 and
UDP headers).

Two figures per run: "during", the counters from the start of the
workload until 2 s after it; and "total", until the link is quiet again
(at most 4 datagrams in 4 s, i.e. heartbeats only) and, for rmux with
the mirror, the client's mirror holds the pane's history up to
client-history-limit (read from the client's $RMUX_MIRROR_DUMP), or
--settle-max seconds (default 180; a "!" marks a mirror never full): for
rmux that includes filling the mirror after a flood, which goes on after
the workload; mosh's total is its during plus whatever it still sent
settling. The time from the end of "during" to quiet is printed as
"settle".

Workloads (timings halve with --quick):
  idle    nothing for 20 s (heartbeats, status line);
  typing  100 characters at the prompt, one every 100 ms;
  seq     `seq 1 10000000` for 10 s, then Ctrl-C;
  scroll  a full-screen program (alternate screen) that scrolls one line
          every 20 ms for 10 s.
--trace DIR keeps the relay's per-datagram trace of each run.
During idle the server's wake-ups are counted too (voluntary context
switches of the daemon / mosh-server over the period).

"rmux" is the default configuration, whose history channel also fills the
client's mirror of the scrollback (which mosh does not keep); "rmux-live"
sets client-history-limit 0, the live screen only, like for like with mosh.
Figures, not a test: a table, then the ratios to mosh of datagrams and
bytes during, and of bytes in total (target: <= 1). Exit status 0 unless something could not be
measured."""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import benchlib
from benchlib import Mosh, run

HEADERS = 28  # IPv4 + UDP header bytes per datagram

SCROLLER = r'''
import os, sys, time
secs = float(sys.argv[1])
out = sys.stdout
out.write("\033[?1049h\033[H\033[2J")
rows = os.get_terminal_size().lines
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
end = time.monotonic() + secs
i = 0
while time.monotonic() < end:
    line = " ".join(words[(i + k) % len(words)] for k in range(6))
    out.write("\033[%d;1H\r\n%06d %s" % (rows, i, line))
    out.flush()
    i += 1
    time.sleep(0.02)
out.write("\033[?1049l")
out.flush()
'''


class Tmux:
    """The tmux server whose pane runs the client."""

    def __init__(self, env, name):
        self.env = env
        self.base = ["tmux", "-L", name, "-f", "/dev/null"]

    def start(self, command):
        self.kill()
        run(self.base + ["new-session", "-d", "-x", "80", "-y", "24", "-s", "c", command],
            self.env)
        run(self.base + ["set-option", "-g", "status", "off"], self.env)

    def keys(self, *keys, literal=False):
        run(self.base + ["send-keys", "-t", "c"] + (["-l"] if literal else []) + list(keys),
            self.env)

    def display(self, fmt):
        return run(self.base + ["display-message", "-p", "-t", "c", fmt], self.env).strip()

    def screen(self):
        return run(self.base + ["capture-pane", "-p", "-t", "c"], self.env, check=False)

    def kill(self):
        run(self.base + ["kill-server"], self.env, check=False)


class Relay:
    def __init__(self, exe, tmp, to_port, loss, seed, trace=None):
        self.stats = os.path.join(tmp, "relay-stats")
        port_file = os.path.join(tmp, "relay-port")
        for f in (self.stats, port_file):
            if os.path.exists(f):
                os.unlink(f)
        self.proc = subprocess.Popen(
            [exe, "--listen", "127.0.0.1:0", "--to", "127.0.0.1:%d" % to_port,
             "--port-file", port_file, "--stats-file", self.stats, "--seed", str(seed),
             "--loss", str(loss), "--time-limit", "3600", "--quiet"] +
            (["--trace", trace] if trace else []))
        end = time.monotonic() + 10
        while not os.path.exists(port_file):
            if time.monotonic() > end:
                raise RuntimeError("the relay did not start")
            time.sleep(0.01)
        with open(port_file) as f:
            self.port = int(f.read())

    def counters(self):
        """Datagrams and bytes sent by each side so far (up: the client's)."""
        if os.path.exists(self.stats):
            os.unlink(self.stats)
        self.proc.send_signal(signal.SIGUSR1)
        end = time.monotonic() + 10
        while not os.path.exists(self.stats):
            if time.monotonic() > end:
                raise RuntimeError("the relay wrote no counters")
            time.sleep(0.01)
        with open(self.stats) as f:
            text = f.read()
        m = re.search(r"up in=(\d+) .*; down in=(\d+) .*up_bytes=(\d+) down_bytes=(\d+)", text)
        if m is None:
            raise RuntimeError("unreadable relay counters: " + text)
        return [int(x) for x in m.groups()]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class Rmux:
    name = "rmux"

    def __init__(self, exe, env, tmp, mirror=True):
        self.exe = exe
        self.env = env
        self.mirror = mirror
        if not mirror:
            self.name = "rmux-live"
        self.base = [exe, "-L", "wire%d%s" % (os.getpid(), "" if mirror else "l"),
                     "-f", "/dev/null"]
        self.dump = os.path.join(tmp, "mirror-" + self.name)

    def start(self):
        """Start the server side; returns (port, client command)."""
        run(self.base + ["new-session", "-d", "-s", "w", "/bin/sh"], self.env)
        if not self.mirror:
            # The live channel alone: no history mirror to fill.
            run(self.base + ["set-option", "-g", "client-history-limit", "0"], self.env)
        line = run(self.base + ["bootstrap", "-t", "w"], self.env)
        m = re.match(r"RMUX CONNECT (\d+) (\S+)", line)
        if m is None:
            raise RuntimeError("bootstrap said: " + line)
        self.key = m.group(2)
        return int(m.group(1))

    def client(self, port):
        # SIGUSR1 makes the client write its history mirror there.
        return "RMUX_MIRROR_DUMP=%s RMUX_KEY=%s exec %s connect 127.0.0.1 %d" % (
            self.dump, self.key, self.exe, port)

    def server_pid(self):
        return int(run(self.base + ["display-message", "-p", "#{pid}"], self.env).strip())

    def mirror_full(self, client_pid):
        """Whether the client's mirror holds the pane's history up to the
        client-history-limit (always with the mirror off)."""
        if not self.mirror:
            return True
        size = int(run(self.base + ["display-message", "-p", "-t", "w", "#{history_size}"],
                       self.env).strip())
        limit = int(run(self.base + ["show-options", "-gv", "client-history-limit"],
                        self.env).strip())
        if os.path.exists(self.dump):
            os.unlink(self.dump)
        os.kill(client_pid, signal.SIGUSR1)
        end = time.monotonic() + 10
        while not os.path.exists(self.dump):
            if time.monotonic() > end:
                raise RuntimeError("the client wrote no mirror dump")
            time.sleep(0.02)
        time.sleep(0.1)  # let the writer finish
        held = 0
        with open(self.dump) as f:
            for line in f:
                if line.startswith("pane "):
                    held += int(line.split()[5])
        return held >= min(size, limit)

    def stop(self):
        run(self.base + ["kill-server"], self.env, check=False)


def wire(up, down, upb, downb):
    """Bytes on the wire: payloads plus the headers of every datagram."""
    return upb + downb + HEADERS * (up + down)


def ctx_switches(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                return int(line.split()[1])
    return 0


def wait_prompt(tmux, limit=20):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if re.search(r"^\$( |$)", tmux.screen(), re.M):
            return
        time.sleep(0.1)
    raise RuntimeError("no prompt in the client's pane:\n" + tmux.screen())


def workload(name, tmux, scale, scroller, pid):
    """Run one workload; returns the server's wake-ups for idle, else None."""
    if name == "idle":
        w0 = ctx_switches(pid)
        time.sleep(20 * scale)
        return ctx_switches(pid) - w0
    if name == "typing":
        for i in range(100):
            tmux.keys("abcdefghijklmnopqrstuvwxyz"[i % 26], literal=True)
            time.sleep(0.1)
        time.sleep(1)
        tmux.keys("C-u")
    elif name == "seq":
        tmux.keys("seq 1 10000000", "Enter")
        time.sleep(10 * scale)
        tmux.keys("C-c")
    elif name == "scroll":
        tmux.keys("python3 %s %g" % (scroller, 10 * scale), "Enter")
        time.sleep(10 * scale + 0.5)
    # Let the last frames and their acknowledgements go.
    time.sleep(2)
    return None


QUIET_WINDOW = 4.0   # s: a link is quiet with at most QUIET_DATAGRAMS in this long
QUIET_DATAGRAMS = 4


def settle(relay, limit, full):
    """Wait until the link is quiet (heartbeats only) and FULL() (None:
    nothing to wait for) says the client's mirror holds what it should;
    returns the counters when the last activity before the quiet spell
    was seen, the seconds that took, and whether the mirror was full."""
    start = time.monotonic()
    seen = [(start, relay.counters())]
    while True:
        time.sleep(0.5)
        now, c = time.monotonic(), relay.counters()
        seen.append((now, c))
        # The newest sample at least QUIET_WINDOW old: how much since?
        old = [x for x in seen if x[0] <= now - QUIET_WINDOW]
        if old:
            t0, c0 = old[-1]
            if (c[0] + c[1]) - (c0[0] + c0[1]) <= QUIET_DATAGRAMS and (
                    full is None or full()):
                return c0, t0 - start, True
        if now - start > limit:
            return c, now - start, full is None or full()


def measure(system, relay_exe, tmp, loss, names, scale, scroller, env, trace, settle_max):
    """{workload: (counters during, counters total, settle s, wake-ups)}
    for one system at one loss."""
    tmux = Tmux(env, "wire%d%s" % (os.getpid(), system.name))
    out = {}
    for name in names:
        port = system.start()
        relay = Relay(relay_exe, tmp, port, loss, 7, None if trace is None else
                      os.path.join(trace, "%s-%d-%s" % (system.name, loss, name)))
        try:
            tmux.start(system.client(relay.port))
            wait_prompt(tmux)
            time.sleep(1)
            before = relay.counters()
            wakes = workload(name, tmux, scale, scroller, system.server_pid())
            after = relay.counters()
            full = None
            if isinstance(system, Rmux):
                pid = int(tmux.display("#{pane_pid}"))
                full = lambda: system.mirror_full(pid)
            quiet, secs, filled = settle(relay, settle_max, full)
            out[name] = ([a - b for a, b in zip(after, before)],
                         [a - b for a, b in zip(quiet, before)], secs, wakes, filled)
        finally:
            tmux.kill()
            relay.stop()
            system.stop()
            time.sleep(0.3)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default=None)
    ap.add_argument("--only", default="rmux,rmux-live,mosh")
    ap.add_argument("--loss", default="0,10")
    ap.add_argument("--workloads", default="idle,typing,seq,scroll")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--settle-max", type=float, default=180.0, metavar="S",
                    help="longest wait for the link to go quiet after a workload")
    ap.add_argument("--trace", metavar="DIR",
                    help="keep the relay's per-datagram trace of each run in DIR")
    opts = ap.parse_args()
    found = benchlib.setup(opts.build, "rmux-wire-")
    if found is None:
        return 1
    rmux, relay, tmp, env = found
    names = opts.workloads.split(",")
    losses = [int(x) for x in opts.loss.split(",")]
    scale = 0.5 if opts.quick else 1.0

    scroller = os.path.join(tmp, "scroll.py")
    with open(scroller, "w") as f:
        f.write(SCROLLER)
    systems = []
    for s in opts.only.split(","):
        if s == "rmux":
            systems.append(Rmux(rmux, env, tmp))
        elif s == "rmux-live":
            systems.append(Rmux(rmux, env, tmp, mirror=False))
        elif s == "mosh" and shutil.which("mosh-server") and shutil.which("mosh-client"):
            systems.append(Mosh(env))
        else:
            print("skipping %s: not available" % s)
    results = {}
    try:
        for loss in losses:
            for system in systems:
                results[(system.name, loss)] = measure(system, relay, tmp, loss, names, scale,
                                                       scroller, env, opts.trace,
                                                       opts.settle_max)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print("wire: %s" % e)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("wire: 80x24 client in tmux, relay loss per direction as shown, seed 7%s" %
          (", quick" if opts.quick else ""))
    print("%-7s %4s %-9s %8s %10s %8s %10s %10s %10s %7s %7s" % (
        "work", "loss", "", "up dg", "up B", "down dg", "down B", "wire B", "total B",
        "settle", "wakes"))
    for loss in losses:
        for name in names:
            for system in systems:
                ((up, down, upb, downb), total, secs, wakes,
                 filled) = results[(system.name, loss)][name]
                print("%-7s %3d%% %-9s %8d %10d %8d %10d %10d %10d%s %6.1fs %7s" % (
                    name, loss, system.name, up, upb, down, downb, wire(up, down, upb, downb),
                    wire(*total), " " if filled else "!", secs, "-" if wakes is None else wakes))
    print("(up/down/wire B: during the workload and 2 s after; total B: until the link is "
          "quiet and rmux's mirror full, incl. the mirror fill, ! where it never was; "
          "settle: how long that took)")
    have = [s.name for s in systems]
    for mine in ("rmux", "rmux-live"):
        if mine not in have or "mosh" not in have:
            continue
        print("ratios %s/mosh (target <= 1): datagrams during, wire bytes during, "
              "wire bytes total%s" % (
                  mine, " (history mirror on, total incl. mirror fill)" if mine == "rmux" else
                  " (client-history-limit 0: the live screen only, as mosh)"))
        for loss in losses:
            for name in names:
                (ru, rd, rub, rdb), rt = results[(mine, loss)][name][:2]
                (mu, md, mub, mdb), mt = results[("mosh", loss)][name][:2]
                print("  %-7s %3d%%  %6.2f %6.2f %6.2f" % (
                    name, loss, (ru + rd) / max(1, mu + md),
                    wire(ru, rd, rub, rdb) / max(1, wire(mu, md, mub, mdb)),
                    wire(*rt) / max(1, wire(*mt))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
