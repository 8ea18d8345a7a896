#!/usr/bin/env python3
"""Regenerate layout_cases.inc: run each layout scenario in real tmux 3.3a
on a private socket and record the panes' rectangles and the layout
strings. test_layout.c replays the same scenarios through src/server/layout.c.

Scenario ops (separated by ';'), panes named by window index:
  split T h|v SIZE|- [b] [f]   split-window -t :.T
  kill T                        kill-pane -t :.T
  resize T L|R|U|D N            resize-pane -t :.T -L N
  resizeto T x|y N              resize-pane -t :.T -x N
  win W H                       resize-window -x W -y H
  preset NAME                   select-layout NAME
  zoom T                        resize-pane -Z -t :.T
  spread T                      select-layout -E -t :.T
  opt NAME VALUE                set-window-option NAME VALUE
Usage: gen_layout_cases.py 60:3 100:11 > layout_cases.inc
(the fixed scenarios, then COUNT random ones from each SEED)
"""
import os
import random
import subprocess
import sys

SOCK = "rmux-layout-gen-%d" % os.getpid()
serial = 0


def tmux(*args, check=False):
    # A fresh socket name per scenario: a server still exiting from the
    # last kill-server must not answer for the next one.
    r = subprocess.run(["tmux", "-L", "%s-%d" % (SOCK, serial), "-f", "/dev/null"] + list(args),
                       capture_output=True, text=True)
    return r.stdout


def run(size, ops):
    global serial
    tmux("kill-server")
    serial += 1
    w, h = size
    tmux("new-session", "-d", "-x", str(w), "-y", str(h), "cat")
    for op in ops.split(";"):
        f = op.split()
        if not f:
            continue
        if f[0] == "split":
            a = ["split-window", "-t", ":." + f[1], "-" + f[2]]
            if f[3] != "-":
                a += ["-l", f[3]]
            if "b" in f[4:]:
                a.append("-b")
            if "f" in f[4:]:
                a.append("-f")
            tmux(*(a + ["cat"]))
        elif f[0] == "kill":
            tmux("kill-pane", "-t", ":." + f[1])
        elif f[0] == "resize":
            tmux("resize-pane", "-t", ":." + f[1], "-" + f[2], f[3])
        elif f[0] == "resizeto":
            tmux("resize-pane", "-t", ":." + f[1], "-" + f[2], f[3])
        elif f[0] == "win":
            tmux("resize-window", "-x", f[1], "-y", f[2])
        elif f[0] == "preset":
            tmux("select-layout", f[1])
        elif f[0] == "zoom":
            tmux("resize-pane", "-Z", "-t", ":." + f[1])
        elif f[0] == "spread":
            tmux("select-layout", "-E", "-t", ":." + f[1])
        elif f[0] == "opt":
            tmux("set-window-option", f[1], f[2])
        else:
            raise SystemExit("bad op " + op)
    panes = tmux("list-panes", "-F",
                 "%#{pane_id}:#{pane_left},#{pane_top},#{pane_width}x#{pane_height}")
    lay = tmux("display-message", "-p", "#{window_layout}|#{window_visible_layout}")
    return " ".join(panes.split()).replace("%", "") + "|" + lay.strip()


FIXED = [
    ((80, 24), "split 0 h -"),
    ((80, 24), "split 0 v -"),
    ((159, 48), "split 0 h -"),
    ((80, 24), "split 0 h -;split 1 h -;split 2 h -"),
    ((80, 24), "split 0 v -;split 1 v -;split 2 v -;split 3 v -"),
    ((80, 24), "split 0 h -;split 0 v -;split 2 v -"),
    ((80, 24), "split 0 h 10"),
    ((80, 24), "split 0 h 30%"),
    ((80, 24), "split 0 v 5 b"),
    ((80, 24), "split 0 h 20 b"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 v - f"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 h 10 f"),
    ((80, 24), "split 0 h -;split 1 h -;split 0 h 10 b f"),
    ((80, 24), "split 0 v -;split 1 h -;split 0 v 6 b f"),
    ((80, 24), "split 0 h -;kill 0"),
    ((80, 24), "split 0 h -;kill 1"),
    ((80, 24), "split 0 h -;split 1 h -;kill 1"),
    ((80, 24), "split 0 h -;split 1 v -;split 2 h -;kill 2"),
    ((80, 24), "split 0 h -;split 0 v -;kill 0;kill 0"),
    ((80, 24), "split 0 h -;resize 0 R 5"),
    ((80, 24), "split 0 h -;resize 0 L 5"),
    ((80, 24), "split 0 h -;resize 1 L 100"),
    ((80, 24), "split 0 v -;resize 1 U 3;resize 0 D 1"),
    ((80, 24), "split 0 h -;split 1 h -;split 2 h -;resize 1 R 12"),
    ((80, 24), "split 0 h -;split 1 v -;split 2 v -;resize 2 L 7;resize 3 U 2"),
    ((80, 24), "split 0 h -;resizeto 0 x 20"),
    ((80, 24), "split 0 h -;resizeto 1 x 20"),
    ((80, 24), "split 0 v -;split 1 h -;resizeto 2 y 4"),
    ((80, 24), "split 0 h -;split 1 v -;win 120 40"),
    ((80, 24), "split 0 h -;split 1 v -;win 40 10"),
    ((80, 24), "split 0 h -;split 1 h -;split 2 h -;win 20 5"),
    ((80, 24), "split 0 h -;split 1 h -;split 2 h -;win 7 3;win 90 30"),
    ((80, 24), "split 0 h -;split 1 v -;zoom 1"),
    ((80, 24), "split 0 h -;split 1 v -;zoom 1;win 100 30"),
    ((80, 24), "split 0 h -;split 1 v -;zoom 1;zoom 1"),
    ((80, 24), "split 0 h -;split 1 v -;zoom 2;split 0 v -"),
    ((80, 24), "split 0 h -;preset even-horizontal"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 v -;preset even-horizontal"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 v -;preset even-vertical"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 v -;preset main-horizontal"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 v -;preset main-vertical"),
    ((200, 50), "split 0 h -;split 1 v -;split 0 v -;preset main-vertical"),
    ((200, 60), "split 0 h -;split 1 v -;split 0 v -;preset main-horizontal"),
    ((80, 24), "split 0 h -;preset main-vertical"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 v -;preset tiled"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 v -;split 2 v -;preset tiled"),
    ((100, 40), "split 0 h -;split 1 v -;split 0 v -;split 2 v -;split 3 h -;split 4 h -;preset tiled"),
    ((80, 24), "split 0 h -;split 1 v -;split 0 v -;split 2 v -;split 3 h -;split 4 h -;split 1 h -;preset tiled"),
    ((80, 24), "split 0 h -;split 1 v -;opt main-pane-width 30;preset main-vertical"),
    ((80, 24), "split 0 h -;split 1 v -;opt main-pane-width 50%;preset main-vertical"),
    ((80, 24), "split 0 h -;split 1 v -;opt main-pane-height 8;preset main-horizontal"),
    ((80, 24), "split 0 h -;split 1 v -;opt other-pane-width 20;opt main-pane-width 30;preset main-vertical"),
    ((80, 24), "split 0 h -;split 1 v -;opt other-pane-height 6;opt main-pane-height 8;preset main-horizontal"),
    ((80, 24), "split 0 h -;split 1 h -;resize 0 R 20;spread 0"),
    ((80, 24), "split 0 v -;split 1 h -;split 2 h -;resize 1 L 9;spread 2"),
    ((80, 24), "split 0 h -;split 1 v -;preset tiled;preset even-horizontal;kill 1"),
]

OPS_WEIGHTS = ["split"] * 5 + ["kill"] * 2 + ["resize"] * 3 + ["resizeto", "win", "preset",
                                                                 "zoom", "spread"]
PRESETS = ["even-horizontal", "even-vertical", "main-horizontal", "main-vertical", "tiled"]


def random_case(rng):
    w, h = rng.choice([(80, 24), (120, 40), (60, 20), (200, 50), (33, 17)])
    n = 1
    ops = []
    for _ in range(rng.randint(3, 14)):
        op = rng.choice(OPS_WEIGHTS)
        t = rng.randrange(n)
        if op == "split":
            size = rng.choice(["-", "-", str(rng.randint(1, 30)), "%d%%" % rng.randint(1, 99)])
            fl = [x for x in ("b", "f") if rng.random() < 0.2]
            ops.append(" ".join(["split", str(t), rng.choice("hv"), size] + fl))
            n += 1  # a failed split is corrected below when replaying
        elif op == "kill" and n > 1:
            ops.append("kill %d" % t)
            n -= 1
        elif op == "resize":
            ops.append("resize %d %s %d" % (t, rng.choice("LRUD"), rng.randint(1, 25)))
        elif op == "resizeto":
            ops.append("resizeto %d %s %d" % (t, rng.choice("xy"), rng.randint(1, 60)))
        elif op == "win":
            ops.append("win %d %d" % (rng.randint(10, 200), rng.randint(5, 60)))
        elif op == "preset":
            ops.append("preset " + rng.choice(PRESETS))
        elif op == "zoom":
            ops.append("zoom %d" % t)
        elif op == "spread":
            ops.append("spread %d" % t)
    return (w, h), ";".join(ops)


def count_ok(size, ops):
    """Drop ops whose target index does not exist (after failed splits)."""
    kept = []
    for op in ops.split(";"):
        trial = ";".join(kept + [op])
        tmux("kill-server")
        res = run(size, ";".join(kept))
        n = len(res.split("|")[0].split())
        f = op.split()
        if len(f) > 1 and f[0] not in ("win", "preset", "opt") and int(f[1]) >= n:
            continue
        kept.append(op)
        del trial
    return ";".join(kept)


def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    cases = list(FIXED)
    for spec in sys.argv[1:] or ["60:3"]:
        count, seed = (int(x) for x in spec.split(":"))
        rng = random.Random(seed)
        for _ in range(count):
            size, ops = random_case(rng)
            cases.append((size, count_ok(size, ops)))
    print("/* Generated by gen_layout_cases.py from tmux %s: do not edit. */" %
          subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.split()[1])
    for (w, h), ops in cases:
        res = run((w, h), ops)
        print("{ %d, %d, %s,\n  %s }," % (w, h, cstr(ops), cstr(res)))
    tmux("kill-server")


if __name__ == "__main__":
    main()
