#!/usr/bin/env python3
"""Side-by-side figures for the client (not a test): each multiplexer's
client runs in its own outer tmux pane of 80x24 with `cat` in its session;
a key is typed into the outer pane with send-keys and the outer pane is
polled with capture-pane until the character shows. Prints the median and
90th percentile of that echo time for rmux attach (local, over loopback
UDP) and tmux attach, the time from Enter to a command's output, and the
time from Ctrl-C during `seq 1 999999999` to a fresh prompt. Both are
measured the same way, so the polling cost (a few ms per capture) is in
both.

Usage: bench_attach.py RMUX [ROUNDS]"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

RMUX = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 40
TMP = tempfile.mkdtemp(prefix="rmux-bench-")
ENV = dict(os.environ, RMUX_TMPDIR=TMP, LANG="C.UTF-8", SHELL="/bin/sh", PS1="$ ")
for k in ("TMUX", "RMUX", "COLORTERM"):
    ENV.pop(k, None)
TAG = str(os.getpid())


def run(args):
    return subprocess.run(args, env=ENV, capture_output=True, text=True, timeout=60).stdout


def outer(name, *args):
    return run(["tmux", "-L", name, "-f", "/dev/null"] + list(args))


def screen(name):
    return outer(name, "capture-pane", "-p")


def wait(pred, limit=20.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.002)
    raise SystemExit("timed out: " + repr(pred))


def setup(kind):
    name = "bo-%s-%s" % (kind, TAG)
    if kind == "rmux":
        inner = [RMUX, "-L", "bi" + TAG, "-f", "/dev/null"]
    else:
        inner = ["tmux", "-L", "bi" + TAG, "-f", "/dev/null"]
    run(inner + ["new-session", "-d", "-s", "b", "-x", "80", "-y", "24"])
    cmd = " ".join(inner) + " attach -t b"
    outer(name, "new-session", "-d", "-x", "80", "-y", "24", "env -u TMUX " + cmd)
    outer(name, "set", "-g", "status", "off")
    wait(lambda: "$" in screen(name) or "#" in screen(name))
    return name, inner


def echo_times(name):
    outer(name, "send-keys", "-l", "cat")
    outer(name, "send-keys", "Enter")
    time.sleep(0.5)
    times = []
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(ROUNDS):
        if i % 20 == 0:
            outer(name, "send-keys", "Enter")
            time.sleep(0.2)
        want = letters[i % 20:i % 20 + 1] * 1
        before = screen(name).count(want)
        t0 = time.monotonic()
        outer(name, "send-keys", "-l", want)
        wait(lambda: screen(name).count(want) > before)
        times.append((time.monotonic() - t0) * 1000)
        time.sleep(0.05)
    outer(name, "send-keys", "C-c")
    return times


def enter_times(name):
    """Enter to a command's output: `echo o$((N*7))` is typed and shown,
    then Enter is timed until the output line (which the typed line does
    not contain) appears."""
    times = []
    for i in range(max(ROUNDS // 4, 5)):
        outer(name, "send-keys", "clear", "Enter")
        time.sleep(0.2)
        n = 1000 + i
        outer(name, "send-keys", "-l", "echo o$((%d*7))" % n)
        wait(lambda: "echo o$((%d*7))" % n in screen(name))
        time.sleep(0.05)
        t0 = time.monotonic()
        outer(name, "send-keys", "Enter")
        wait(lambda: "o%d" % (n * 7) in screen(name).replace("o$((", ""))
        times.append((time.monotonic() - t0) * 1000)
    return times


def interrupt_time(name):
    outer(name, "send-keys", "clear", "Enter")
    time.sleep(0.5)
    outer(name, "send-keys", "seq 1 999999999", "Enter")
    time.sleep(1.5)
    t0 = time.monotonic()
    outer(name, "send-keys", "C-c")

    def prompt():
        # The inner status line is the bottom row: leave it out.
        lines = [l for l in screen(name).split("\n")[:23] if l.strip()]
        return lines and lines[-1].rstrip().endswith(("$", "#"))
    wait(prompt, limit=60)
    return (time.monotonic() - t0) * 1000


def main():
    results = {}
    for kind in ("tmux", "rmux"):
        name, inner = setup(kind)
        try:
            e = echo_times(name)
            r = enter_times(name)
            c = interrupt_time(name)
            results[kind] = (statistics.median(e), sorted(e)[int(len(e) * 0.9) - 1], c,
                             statistics.median(r))
        finally:
            outer(name, "kill-server")
            run(inner + ["kill-server"])
    for kind, (med, p90, c, ent) in results.items():
        print("%-5s echo median %.1f ms, p90 %.1f ms; Enter to output median %.1f ms; "
              "Ctrl-C to prompt %.0f ms" % (kind, med, p90, ent, c))
    print("ratio rmux/tmux echo median %.2f, Enter to output median %.2f" % (
        results["rmux"][0] / results["tmux"][0], results["rmux"][3] / results["tmux"][3]))


if __name__ == "__main__":
    main()
