#!/usr/bin/env python3
"""echo.py — how typing feels over a slow lossy link, rmux beside mosh.

    echo.py [BUILD-DIR] [--delay 100] [--loss 10] [--only rmux,mosh]
            [--chars 100] [--predict adaptive] [--rounds 5] [--no-typing]
            [--trace DIR]

Each system runs a plain shell (/bin/sh) behind the impairment relay
(DELAY ms each way, LOSS % each way, the same seed for both) and its real
client (`rmux connect`, mosh-client) runs in an 80x24 tmux pane. In `cat`,
CHARS characters are typed into the pane with send-keys as lines of 25,
one character each time the previous one has shown plus 100 ms; the pane
is polled with capture-pane. Printed per system:
  * the fraction of characters visible within 60 ms of the key, and the
    median and 90th percentile time to visible;
  * wrong characters: samples of the typed row that are not what was typed
    so far, and the longest time a wrong row stayed (target: under one
    round trip);
  * Ctrl-C during `seq 1 999999999` (2 s plus a seeded random part of
    up to a round trip after it started: the same waits for every system):
    the time to a fresh prompt, ROUNDS times each (issue 5): median, min
    and max, and every sample. All systems are up at once and their rounds alternate
    (rmux, mosh, mosh, rmux, ...), so a slow moment of the machine falls
    on both alike. --no-typing measures Ctrl-C alone. --trace DIR keeps
    the relay's per-datagram trace of each system (DIR/rmux, DIR/mosh) and
    prints when each Ctrl-C went on the relay's clock (within a few ms).
The keys' own cost (a tmux command and a capture, a few ms) is in every
figure of both systems alike. Figures, not a test."""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

import benchlib
from benchlib import run

LINE = 25
GAP = 0.1
CTRL_C_ROUNDS = 5


class Pane:
    """The tmux pane the client runs in."""

    def __init__(self, env, name):
        self.env = env
        self.base = ["tmux", "-L", name, "-f", "/dev/null"]

    def start(self, command):
        run(self.base + ["new-session", "-d", "-x", "80", "-y", "24", "-s", "c", command],
            self.env)
        run(self.base + ["set-option", "-g", "status", "off"], self.env)

    def keys(self, *keys, literal=False):
        run(self.base + ["send-keys", "-t", "c"] + (["-l"] if literal else []) + list(keys),
            self.env)

    def rows(self):
        text = run(self.base + ["capture-pane", "-p", "-t", "c"], self.env, check=False)
        rows = text.split("\n")[:24]
        return rows + [""] * (24 - len(rows))

    def cursor(self):
        x, y = run(self.base + ["display-message", "-p", "-t", "c",
                                "#{cursor_x} #{cursor_y}"], self.env).split()
        return int(x), int(y)

    def kill(self):
        run(self.base + ["kill-server"], self.env, check=False)


def start_relay(exe, tmp, to_port, delay, loss, name, trace=None):
    port_file = os.path.join(tmp, "relay-port-" + name)
    if os.path.exists(port_file):
        os.unlink(port_file)
    proc = subprocess.Popen([exe, "--listen", "127.0.0.1:0", "--to", "127.0.0.1:%d" % to_port,
                             "--port-file", port_file, "--seed", "7", "--loss", str(loss),
                             "--delay", str(delay), "--time-limit", "900", "--quiet"] +
                            (["--trace", trace] if trace else []))
    end = time.monotonic() + 10
    while not (os.path.exists(port_file) and open(port_file).read().strip()):
        if time.monotonic() > end:
            raise RuntimeError("the relay did not start")
        time.sleep(0.01)
    with open(port_file) as f:
        return proc, int(f.read())


class Rmux:
    name = "rmux"
    status_rows = 1

    def __init__(self, exe, env, predict):
        self.env = env
        self.exe = exe
        self.predict = predict
        self.base = [exe, "-L", "echo%d" % os.getpid(), "-f", "/dev/null"]

    def start(self):
        run(self.base + ["new-session", "-d", "-s", "e", "/bin/sh"], self.env)
        m = re.match(r"RMUX CONNECT (\d+) (\S+)", run(self.base + ["bootstrap", "-t", "e"],
                                                        self.env))
        if m is None:
            raise RuntimeError("bootstrap failed")
        self.key = m.group(2)
        return int(m.group(1))

    def client(self, port):
        return "RMUX_KEY=%s exec %s connect --predict %s 127.0.0.1 %d" % (
            self.key, self.exe, self.predict, port)

    def stop(self):
        run(self.base + ["kill-server"], self.env, check=False)


class Mosh(benchlib.Mosh):
    status_rows = 0


def wait(what, pred, limit=30.0, step=0.002):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise RuntimeError("timed out waiting for " + what)


def prompt_last(pane, status_rows):
    rows = [r for r in pane.rows()[:24 - status_rows] if r.strip()]
    return rows and rows[-1].rstrip() in ("$", "#")


def typing(pane, chars, rtt):
    """Times to visible (s) of CHARS typed characters, and the wrong rows
    seen: (first seen, last seen) per run of wrong samples."""
    letters = "etaoinshrdlucmfwypvbgkqjxz"
    pane.keys("clear", "Enter")
    time.sleep(rtt + 1)
    pane.keys("cat", "Enter")
    time.sleep(rtt + 1)
    times, wrong = [], []
    typed = 0
    while typed < chars:
        n = min(LINE, chars - typed)
        line = "".join(letters[(typed + i) * 7 % 26] for i in range(n))
        _, row = pane.cursor()
        run_start = None
        for i in range(n):
            want = line[:i + 1]
            t0 = time.monotonic()
            pane.keys(line[i], literal=True)
            while True:
                got = pane.rows()[row].rstrip()
                now = time.monotonic()
                if not line.startswith(got):
                    run_start = run_start or now
                    wrong.append((run_start, now))
                else:
                    run_start = None
                if got == want:
                    times.append(now - t0)
                    break
                if now - t0 > 20:
                    raise RuntimeError("character %d never showed: %r" % (typed + i, got))
                time.sleep(0.002)
            time.sleep(GAP)
        typed += n
        pane.keys("Enter")
        wait("cat's copy", lambda: pane.rows()[row + 1].rstrip() == line)
        time.sleep(rtt + 0.5)
    pane.keys("C-c")
    time.sleep(rtt + 0.5)
    return times, wrong


def enter_output(pane, rtt, rounds):
    """Seconds from Enter to a command's output, ROUNDS times: `echo
    o$((N*7))` is typed and left to reach the server, then Enter is timed
    until the output line (not in the typed text) shows."""
    times = []
    for i in range(rounds):
        pane.keys("clear", "Enter")
        time.sleep(rtt + 0.5)
        n = 1000 + i
        pane.keys("echo o$((%d*7))" % n, literal=True)
        wait("typed command", lambda: any("o$((%d*7))" % n in r for r in pane.rows()))
        time.sleep(rtt + 0.5)
        t0 = time.monotonic()
        pane.keys("Enter")
        wait("command output", lambda: any(r.strip() == "o%d" % (n * 7) for r in pane.rows()))
        times.append(time.monotonic() - t0)
    return times


def interrupt(pane, status_rows, rtt, wait_s, started=None):
    """Seconds from Ctrl-C, WAIT_S after `seq` started, to the prompt; with
    STARTED (the relay's start) also print when the key went, for reading
    the relay's trace."""
    pane.keys("clear", "Enter")
    time.sleep(rtt + 1)
    pane.keys("seq 1 999999999", "Enter")
    time.sleep(wait_s)
    t0 = time.monotonic()
    pane.keys("C-c")
    wait("prompt after Ctrl-C", lambda: prompt_last(pane, status_rows), limit=120)
    t1 = time.monotonic()
    if started is not None:
        print("trace: Ctrl-C at %.0f ms, prompt seen at %.0f ms of the relay's clock" % (
            (t0 - started) * 1000, (t1 - started) * 1000))
    return t1 - t0


class Running:
    """One system up behind its relay, its client in a pane."""

    def __init__(self, system, relay_exe, tmp, env, delay, loss, trace=None):
        self.system = system
        self.pane = Pane(env, "echo%d%s" % (os.getpid(), system.name))
        self.relay = None
        port = system.start()
        try:
            # The relay's trace counts ms from about this moment.
            self.started = time.monotonic()
            self.relay, rport = start_relay(relay_exe, tmp, port, delay, loss, system.name,
                                            None if trace is None else
                                            os.path.join(trace, system.name))
            self.pane.start(system.client(rport))
            wait("prompt", lambda: prompt_last(self.pane, system.status_rows), limit=30,
                 step=0.1)
        except BaseException:
            self.stop()
            raise

    def stop(self):
        self.pane.kill()
        if self.relay is not None:
            self.relay.terminate()
            self.relay.wait()
        self.system.stop()


def measure(systems, relay_exe, tmp, env, delay, loss, chars, rounds, trace=None):
    """{name: (typing times, wrong rows, Ctrl-C samples, Enter to output
    samples)}: typing and Enter one system after the other, then the
    Ctrl-C rounds alternating."""
    rtt = 2 * delay / 1000.0
    up = []
    out = {}
    try:
        for system in systems:
            up.append(Running(system, relay_exe, tmp, env, delay, loss, trace))
        time.sleep(1)
        for r in up:
            out[r.system.name] = (typing(r.pane, chars, rtt) if chars > 0 else ([], [])) + ([],)
            out[r.system.name] += (enter_output(r.pane, rtt, rounds) if chars > 0 else [],)
        # The key waits for the client's next frame, whose phase against
        # the flood's frames is fixed by the time since `seq` started: a
        # fixed wait would measure one phase. Each round draws its own
        # (seeded, the same for every system).
        waits = [2 + random.Random(7 + i).uniform(0, rtt) for i in range(rounds)]
        for i in range(rounds):
            for r in (up if i % 2 == 0 else reversed(up)):
                if trace is not None:
                    print("%s round %d" % (r.system.name, i))
                out[r.system.name][2].append(interrupt(r.pane, r.system.status_rows, rtt,
                                                       waits[i], r.started if trace else None))
        return out
    finally:
        for r in up:
            r.stop()
        time.sleep(0.3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default=None)
    ap.add_argument("--delay", type=int, default=100, help="ms each way")
    ap.add_argument("--loss", type=int, default=10, help="percent each way")
    ap.add_argument("--only", default="rmux,mosh")
    ap.add_argument("--chars", type=int, default=100)
    ap.add_argument("--predict", default="adaptive")
    ap.add_argument("--rounds", type=int, default=CTRL_C_ROUNDS,
                    help="Ctrl-C samples per system")
    ap.add_argument("--no-typing", action="store_true", help="measure Ctrl-C only")
    ap.add_argument("--trace", metavar="DIR",
                    help="keep the relay's per-datagram trace of each system in DIR "
                    "and print when each Ctrl-C went")
    opts = ap.parse_args()
    found = benchlib.setup(opts.build, "rmux-echo-")
    if found is None:
        return 1
    rmux, relay, tmp, env = found
    systems = []
    for s in opts.only.split(","):
        if s == "rmux":
            systems.append(Rmux(rmux, env, opts.predict))
        elif s == "mosh" and shutil.which("mosh-server") and shutil.which("mosh-client"):
            systems.append(Mosh(env))
        else:
            print("skipping %s: not available" % s)
    chars = 0 if opts.no_typing else opts.chars
    try:
        results = measure(systems, relay, tmp, env, opts.delay, opts.loss, chars,
                          max(1, opts.rounds), opts.trace)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print("echo: %s" % e)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rtt = 2 * opts.delay
    print("echo: 80x24 client in tmux, %d ms round trip, %d%% loss each way, seed 7, "
          "%d characters in cat, %d Ctrl-C rounds each" % (rtt, opts.loss, chars,
                                                           max(1, opts.rounds)))
    print("%-5s %9s %9s %9s %12s %14s %10s %14s" % (
        "", "<=60 ms", "median", "p90", "wrong rows", "longest wrong", "Ctrl-C", "min-max"))
    for name, (times, wrong, ctrl_c, _) in results.items():
        cc = sorted(t * 1000 for t in ctrl_c)
        if times:
            ms = sorted(t * 1000 for t in times)
            fast = sum(1 for t in ms if t <= 60) / len(ms)
            longest = max((b - a for a, b in wrong), default=0.0) * 1000
            typed = "%8.0f%% %6.0f ms %6.0f ms %12d %11.0f ms" % (
                fast * 100, statistics.median(ms), ms[max(0, int(len(ms) * 0.9) - 1)],
                len(wrong), longest)
        else:
            typed = "%9s %9s %9s %12s %14s" % ("-", "-", "-", "-", "-")
        print("%-5s %s %7.0f ms %6.0f-%4.0f ms" % (name, typed, statistics.median(cc), cc[0],
                                                  cc[-1]))
    for name, (_, _, _, enter) in results.items():
        if enter:
            ms = sorted(t * 1000 for t in enter)
            print("%-5s Enter to a command's output: median %.0f ms, %.0f-%.0f ms" % (
                name, statistics.median(ms), ms[0], ms[-1]))
    print("Ctrl-C samples in the order taken (ms):")
    for name, (_, _, ctrl_c, _) in results.items():
        print("  %-5s %s" % (name, " ".join("%.0f" % (t * 1000) for t in ctrl_c)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
