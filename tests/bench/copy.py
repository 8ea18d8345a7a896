#!/usr/bin/env python3
"""copy.py — time per copy-mode page-up over a slow link: rmux with its
history mirror, rmux with the mirror off (client-history-limit 0), and
tmux running inside mosh, in the same run.

    copy.py [BUILD-DIR] [--delay 150] [--loss 0] [--pages 30]
            [--only rmux,rmux-nomirror,tmux-mosh]

Each system runs behind the impairment relay (DELAY ms each way, LOSS %
each way, seed 7) with its real client in an 80x24 tmux pane. In the pane
`seq 1 20000` runs; for rmux the client's mirror is then given time to
hold the lines the pages need (its $RMUX_MIRROR_DUMP hook says when).
Copy mode is entered and PAGES page-ups are typed with send-keys, each
once the previous page is on the screen; a page counts as shown when the
position indicator in the top right reads the page's scroll position and
no row is still rmux's "fetching" marker.
Printed: median, 90th percentile and max per page, and each system's
median over rmux's. The key's own cost (a tmux command and captures, a
few ms) is in every figure alike. Figures, not a test."""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

import benchlib
import echo
from benchlib import run

ROWS = 24
PAGE = ROWS - 1 - 2  # a status line, and copy mode's page is rows - 2
LINES = 20000


FETCHING = "~ fetching history ~"


def page_shown(rows, oy):
    """Page OY is on the screen: the indicator reads it and no row is
    still a fetching marker."""
    ind = indicator(rows)
    return ind is not None and ind[0] == oy and not any(FETCHING in r for r in rows)


def indicator(rows):
    top = rows[0].rstrip()
    m = re.search(r"\[(\d+)/(\d+)\]$", top)
    return (int(m.group(1)), int(m.group(2))) if m else None


def mirror_lines(dump, pid):
    """Lines the rmux client's mirror holds (its one pane), or -1."""
    if os.path.exists(dump):
        os.unlink(dump)
    try:
        os.kill(pid, signal.SIGUSR1)
    except ProcessLookupError:
        return -1
    end = time.monotonic() + 5
    while time.monotonic() < end and not os.path.exists(dump):
        time.sleep(0.05)
    if not os.path.exists(dump):
        return -1
    with open(dump) as f:
        for line in f:
            w = line.split()
            if len(w) >= 6 and w[0] == "pane":
                return int(w[5])
    return -1


class Rmux(echo.Rmux):
    def __init__(self, exe, env, mirror, tmp):
        super().__init__(exe, env, "adaptive")
        self.mirror = mirror
        self.name = "rmux" if mirror else "rmux-nomirror"
        self.base = [exe, "-L", "copy%d%s" % (os.getpid(), self.name), "-f", "/dev/null"]
        self.dump = os.path.join(tmp, "mirror-" + self.name)

    def start(self):
        port = super().start()
        if not self.mirror:
            run(self.base + ["set-option", "-g", "client-history-limit", "0"], self.env)
        return port

    def client(self, port):
        return "RMUX_MIRROR_DUMP=%s %s" % (self.dump, super().client(port))

    def ready(self, pane, pages):
        """The mirror holds the lines PAGES pages need (rmux only)."""
        if not self.mirror:
            return
        pid = int(run(pane.base + ["display-message", "-p", "-t", "c", "#{pane_pid}"],
                      self.env))
        echo.wait("the mirror", lambda: mirror_lines(self.dump, pid) >= (pages + 2) * PAGE,
                  limit=300, step=1.0)

    def enter(self, pane):
        pane.keys("C-b", "[")


class TmuxMosh(benchlib.Mosh):
    """tmux in mosh: mosh-server runs a shell, the shell runs tmux."""
    name = "tmux-mosh"

    def __init__(self, env, tmp):
        super().__init__(env)
        self.sock = os.path.join(tmp, "inner-tmux")

    def ready(self, pane, pages):
        pass

    def enter(self, pane):
        pane.keys("C-b", "[")

    def inner(self, pane):
        pane.keys("exec tmux -S %s -f /dev/null new-session" % self.sock, literal=True)
        pane.keys("Enter")

    def stop(self):
        subprocess.run(["tmux", "-S", self.sock, "kill-server"], capture_output=True,
                       env=self.env)
        super().stop()


def measure(system, relay_exe, tmp, env, delay, loss, pages):
    pane = echo.Pane(env, "copy%d%s" % (os.getpid(), system.name))
    port = system.start()
    relay, rport = echo.start_relay(relay_exe, tmp, port, delay, loss, system.name)
    try:
        pane.start(system.client(rport))
        echo.wait("prompt", lambda: any(r.rstrip() in ("$", "#") for r in pane.rows()),
                  limit=60, step=0.1)
        if isinstance(system, TmuxMosh):
            system.inner(pane)
            echo.wait("inner tmux", lambda: "[0]" in pane.rows()[ROWS - 1], limit=60, step=0.1)
        pane.keys("seq 1 %d" % LINES, literal=True)
        pane.keys("Enter")
        echo.wait("seq", lambda: any(r.startswith(str(LINES)) for r in pane.rows()),
                  limit=120, step=0.1)
        system.ready(pane, pages)
        time.sleep(1)
        system.enter(pane)
        echo.wait("copy mode", lambda: indicator(pane.rows()) == (0, indicator(pane.rows())[1])
                  if indicator(pane.rows()) else None, limit=60, step=0.01)
        times = []
        for k in range(1, pages + 1):
            t0 = time.monotonic()
            pane.keys("PPage")
            echo.wait("page %d" % k, lambda: page_shown(pane.rows(), k * PAGE), limit=60,
                      step=0.001)
            times.append(time.monotonic() - t0)
        return times
    finally:
        pane.kill()
        relay.terminate()
        relay.wait()
        system.stop()
        time.sleep(0.3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default=None)
    ap.add_argument("--delay", type=int, default=150, help="ms each way")
    ap.add_argument("--loss", type=int, default=0, help="percent each way")
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--only", default="rmux,rmux-nomirror,tmux-mosh")
    ap.add_argument("--rmux", default=None, help="the rmux binary (default BUILD/rmux)")
    opts = ap.parse_args()
    found = benchlib.setup(opts.build, "rmux-copy-", opts.rmux)
    if found is None:
        return 1
    rmux, relay, tmp, env = found
    systems = []
    for s in opts.only.split(","):
        if s == "rmux":
            systems.append(Rmux(rmux, env, True, tmp))
        elif s == "rmux-nomirror":
            systems.append(Rmux(rmux, env, False, tmp))
        elif s == "tmux-mosh" and shutil.which("mosh-server") and shutil.which("mosh-client"):
            systems.append(TmuxMosh(env, tmp))
        else:
            print("skipping %s: not available" % s)
    results = {}
    try:
        for system in systems:
            results[system.name] = measure(system, relay, tmp, env, opts.delay, opts.loss,
                                           opts.pages)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print("copy: %s" % e)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("copy: copy-mode page-up, 80x24 client in tmux, %d ms round trip, %d%% loss each "
          "way, seed 7, seq 1 %d, %d pages" % (2 * opts.delay, opts.loss, LINES, opts.pages))
    base = statistics.median(results["rmux"]) if "rmux" in results else None
    print("%-14s %9s %9s %9s %12s" % ("", "median", "p90", "max", "/ rmux"))
    for name, times in results.items():
        ms = sorted(t * 1000 for t in times)
        med = statistics.median(ms)
        ratio = "%.1fx" % (med / (base * 1000)) if base else "-"
        print("%-14s %6.0f ms %6.0f ms %6.0f ms %12s" % (
            name, med, ms[max(int(len(ms) * 0.9) - 1, 0)], ms[-1], ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
