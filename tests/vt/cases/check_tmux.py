#!/usr/bin/env python3
# check_tmux.py — replays the VT cases (*.vt beside this file) in tmux, the
# reference emulator, and reports where tmux's screen, cursor, history,
# title, modes, scroll region or replies differ from what a case expects.
# A maintenance tool, not part of the suite: run it after writing or
# changing cases.
#
#     tests/vt/cases/check_tmux.py [FILE.vt...] [-k NAME-SUBSTRING] [-v]
#
# Cases marked `# tmux-differs: WHY` are run too; their differences are
# listed as expected. Uses its own tmux server (-L rmux-vtcheck) and kills it.
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata

SOCKET = "rmux-vtcheck"
HERE = os.path.dirname(os.path.abspath(__file__))

# case-file mode name -> tmux format variable
MODE_FORMATS = {
    "cursor-visible": "cursor_flag",
    "insert": "insert_flag",
    "origin": "origin_flag",
    "wrap": "wrap_flag",
    "app-cursor": "keypad_cursor_flag",
    "app-keypad": "keypad_flag",
    "mouse-standard": "mouse_standard_flag",
    "mouse-button": "mouse_button_flag",
    "mouse-any": "mouse_all_flag",
    "mouse-sgr": "mouse_sgr_flag",
    "mouse-utf8": "mouse_utf8_flag",
    "alt-screen": "alternate_on",
}

ESCAPES = {"e": b"\x1b", "r": b"\r", "n": b"\n", "t": b"\t", "a": b"\x07", "b": b"\x08",
           "f": b"\x0c", "v": b"\x0b", "0": b"\x00", "s": b" ", "\\": b"\\"}


def unescape(s):
    out = bytearray()
    raw = s.encode()
    i = 0
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        e = chr(raw[i + 1])
        if e == "x":
            out.append(int(raw[i + 2:i + 4], 16))
            i += 4
        else:
            out += ESCAPES[e]
            i += 2
    return bytes(out)


class Case:
    def __init__(self, name, file, line, cols, rows, hist):
        self.name, self.file, self.line = name, file, line
        self.cols, self.rows, self.hist = cols, rows, hist
        self.steps = []          # ("input", bytes) | ("resize", (c, r))
        self.screen = None
        self.history = None
        self.cursor = None
        self.title = None
        self.replies = None
        self.region = None
        self.modes = {}
        self.differs = None


def parse(path):
    cases = []
    cols, rows, hist = 20, 5, 1000
    c = None
    block = None
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line.startswith("|"):
            (c.screen if block == "screen" else c.history).append(line[1:-1])
            continue
        block = None
        if line.startswith("# case:"):
            c = Case(line[7:].strip(), path, n, cols, rows, hist)
            cases.append(c)
            continue
        if line.startswith("# tmux-differs:"):
            c.differs = line[15:].strip()
            continue
        if line.startswith("#") or not line.strip():
            continue
        key, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if c is None:
            if key == "size":
                cols, rows = map(int, value.split("x"))
            elif key == "history-limit":
                hist = int(value)
            continue
        if key == "size":
            c.cols, c.rows = map(int, value.split("x"))
        elif key == "history-limit":
            c.hist = int(value)
        elif key == "input":
            c.steps.append(("input", unescape(value)))
        elif key == "resize":
            c.steps.append(("resize", tuple(map(int, value.split("x")))))
        elif key == "screen":
            c.screen, block = [], "screen"
        elif key == "history":
            c.history, block = [], "history"
        elif key == "cursor":
            c.cursor = tuple(map(int, value.split(",")))
        elif key == "title":
            c.title = unescape(value).decode("utf-8", "replace")
        elif key == "replies":
            c.replies = unescape(value)
        elif key == "region":
            c.region = tuple(map(int, value.split(",")))
        elif key == "modes":
            for w in value.split():
                c.modes[w[1:]] = w[0] == "+"
    return cases


# tmux keeps DEC special graphics as ASCII letters with a charset attribute
# and capture-pane prints the letters: compare the drawings as letters.
DEC_GRAPHICS = dict(zip("◆▒␉␌␍␊°±␤␋┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·", "`abcdefghijklmnopqrstuvwxyz{|}~"))


def plain(rows):
    return ["".join(DEC_GRAPHICS.get(ch, ch) for ch in r) for r in rows]


def width(text):
    w = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200d":
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def tmux(*args, check=True, timeout=10):
    r = subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null"] + list(args),
                       capture_output=True, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError("tmux %s: %s" % (" ".join(args), r.stderr.decode()))
    return r.stdout.decode("utf-8", "replace")


def run(case, idx, tmp):
    name = "c%d" % idx
    # Segments of input between resizes, each its own file.
    segs, sizes = [[]], []
    for kind, v in case.steps:
        if kind == "input":
            segs[-1].append(v)
        else:
            sizes.append(v)
            segs.append([])
    cmd = ["stty raw -echo"]
    for k, seg in enumerate(segs):
        f = os.path.join(tmp, "%s-%d" % (name, k))
        with open(f, "wb") as fh:
            fh.write(b"".join(seg))
        cmd.append("cat %s" % f)
        cmd.append("tmux -L %s wait-for -S %s-%d </dev/null" % (SOCKET, name, k))
        if k < len(segs) - 1:
            cmd.append("tmux -L %s wait-for %s-go%d </dev/null" % (SOCKET, name, k))
    rfile = os.path.join(tmp, name + "-replies")
    cmd.append("timeout --foreground 0.3 cat > %s" % rfile)
    cmd.append("tmux -L %s wait-for -S %s-r" % (SOCKET, name))
    cmd.append("exec sleep 1000")
    tmux("set", "-g", "history-limit", str(case.hist))
    tmux("new-session", "-d", "-s", name, "-x", str(case.cols), "-y", str(case.rows),
         "; ".join(cmd))
    for k in range(len(segs)):
        tmux("wait-for", "%s-%d" % (name, k))
        time.sleep(0.05)
        if k < len(segs) - 1:
            c, r = sizes[k]
            tmux("resize-window", "-t", name, "-x", str(c), "-y", str(r))
            time.sleep(0.1)
            tmux("wait-for", "-S", "%s-go%d" % (name, k))
    got = {}
    screen = tmux("capture-pane", "-p", "-N", "-t", name).split("\n")[:-1]
    fmt = "#{cursor_x},#{cursor_y}|#{history_size}|#{scroll_region_upper},#{scroll_region_lower}|"
    fmt += "|".join("#{%s}" % v for v in MODE_FORMATS.values()) + "|#{pane_width}|#{pane_title}"
    info = tmux("display", "-p", "-t", name, fmt).rstrip("\n").split("|")
    cx, cy = map(int, info[0].split(","))
    got["cursor"] = (cx, cy)
    hsize = int(info[1])
    got["region"] = tuple(map(int, info[2].split(",")))
    got["modes"] = dict(zip(MODE_FORMATS.keys(), [v == "1" for v in info[3:3 + len(MODE_FORMATS)]]))
    got["width"] = int(info[3 + len(MODE_FORMATS)])
    # capture-pane -N keeps the spaces that were written, not the row's width.
    got["screen"] = [r + " " * max(0, got["width"] - width(r)) for r in screen]
    got["title"] = "|".join(info[4 + len(MODE_FORMATS):])
    if hsize > 0:
        got["history"] = tmux("capture-pane", "-p", "-t", name, "-S", "-", "-E", "-1").split("\n")[:-1]
    else:
        got["history"] = []
    tmux("wait-for", "%s-r" % name, timeout=5)
    with open(rfile, "rb") as fh:
        got["replies"] = fh.read()
    tmux("kill-session", "-t", name)
    return got


def compare(case, got):
    diffs = []
    if case.screen is not None:
        exp = case.screen
        if plain(exp) != plain(got["screen"]):
            lines = ["screen (expected / tmux):"]
            for i in range(max(len(exp), len(got["screen"]))):
                e = exp[i] if i < len(exp) else None
                g = got["screen"][i] if i < len(got["screen"]) else None
                lines.append("  %s%2d |%s|  |%s|" % (" " if e == g else "!", i, e, g))
            diffs.append("\n".join(lines))
    if case.cursor is not None:
        gx, gy = got["cursor"]
        # tmux parks a cursor with a pending wrap one past the last column.
        if gx >= got["width"]:
            gx = got["width"] - 1
        if (gx, gy) != case.cursor:
            diffs.append("cursor: expected %d,%d tmux %d,%d" % (case.cursor + (gx, gy)))
    if case.history is not None:
        exp = [h.rstrip(" ") for h in case.history]
        g = [h.rstrip(" ") for h in got["history"]]
        if exp != g:
            diffs.append("history: expected %r\n         tmux     %r" % (exp, g))
    if case.title:
        if case.title != got["title"]:
            diffs.append("title: expected %r tmux %r" % (case.title, got["title"]))
    if case.region is not None and case.region != got["region"]:
        diffs.append("region: expected %r tmux %r" % (case.region, got["region"]))
    for m, v in case.modes.items():
        if m in got["modes"] and got["modes"][m] != v:
            diffs.append("mode %s: expected %s tmux %s" % (m, v, got["modes"][m]))
    if case.replies is not None and case.replies != got["replies"]:
        diffs.append("replies: expected %r tmux %r" % (case.replies, got["replies"]))
    return diffs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("-k", default="")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    files = a.files or sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".vt"))
    os.environ["LANG"] = "C.UTF-8"
    bad = differs = total = 0
    tmux("kill-server", check=False)
    tmux("new-session", "-d", "-s", "base", "-x", "80", "-y", "24")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            idx = 0
            for f in files:
                for case in parse(f):
                    if a.k not in case.name:
                        continue
                    idx += 1
                    total += 1
                    try:
                        got = run(case, idx, tmp)
                        diffs = compare(case, got)
                    except Exception as e:  # a hung or failed case is a difference too
                        diffs = ["error: %s" % e]
                        tmux("kill-session", "-t", "c%d" % idx, check=False)
                    where = "%s:%d %s" % (os.path.basename(f), case.line, case.name)
                    if diffs and case.differs:
                        differs += 1
                        if a.v:
                            print("DIFFERS (known: %s) %s\n  %s" % (case.differs, where,
                                                                   "\n  ".join(diffs)))
                    elif diffs:
                        bad += 1
                        print("MISMATCH %s\n  %s" % (where, "\n  ".join(diffs)))
                    elif case.differs:
                        print("NOTE %s is marked tmux-differs but tmux agrees" % where)
                    elif a.v:
                        print("ok %s" % where)
    finally:
        tmux("kill-server", check=False)
    print("%d cases: %d agree with tmux, %d known differences, %d mismatches" %
          (total, total - bad - differs, differs, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
