#!/usr/bin/env python3
"""difftest.py — the differential test of the rmux emulator against tmux.

Each recorded stream (tests/vt/record.sh) is replayed into a detached tmux
pane of 80x24 and into rmux's emulator (vtreplay: whole, then cut into
pieces at escape sequences, inside them and inside UTF-8 characters), and
`capture-pane -p -S - -E -` of both must be the same text, and with -e
every character must have the same colours and attributes (compared by
meaning, not spelling: see styled()).

    difftest.py --vtreplay PATH [--known FILE] [--tmux PATH] STREAM.vt...

Exit status 0 when every stream matches (or differs only as its entry in
the known-differences file says), 1 otherwise. A stream listed as known
that matches is reported so the entry can go.

The one difference tolerated everywhere: tmux keeps DEC special graphics
as the ASCII letters that selected them ("lqqk"), rmux stores the
characters they draw ("┌──┐"); the comparison accepts exactly that pair at
the same place of a line.
"""

import argparse
import difflib
import os
import subprocess
import sys
import time

COLS, ROWS = 80, 24
HISTORY = 200000
WAIT_SECONDS = 60

# DEC special graphics: the letter tmux keeps and the character rmux draws.
ACS = {
    "`": "\u25c6", "a": "\u2592", "b": "\u2409", "c": "\u240c", "d": "\u240d",
    "e": "\u240a", "f": "\u00b0", "g": "\u00b1", "h": "\u2424", "i": "\u240b",
    "j": "\u2518", "k": "\u2510", "l": "\u250c", "m": "\u2514", "n": "\u253c",
    "o": "\u23ba", "p": "\u23bb", "q": "\u2500", "r": "\u23bc", "s": "\u23bd",
    "t": "\u251c", "u": "\u2524", "v": "\u2534", "w": "\u252c", "x": "\u2502",
    "y": "\u2264", "z": "\u2265", "{": "\u03c0", "|": "\u2260", "}": "\u00a3",
    "~": "\u00b7",
}


def tmux_capture(tmux, stream, tag):
    """Replay STREAM in a fresh tmux server; return its capture as text
    and with escapes (-e)."""
    sock = "difftest%d_%s" % (os.getpid(), tag)
    marker = "rmux-difftest-done-%d" % os.getpid()
    base = [tmux, "-L", sock, "-f", "/dev/null"]
    # The stream holds what the program wrote after the tty's output
    # processing (\n already \r\n): raw mode passes it on unchanged. The
    # title set last tells when tmux has consumed everything before it;
    # CAN first ends any sequence the stream left open.
    cmd = ("stty raw -echo; cat '%s'; printf '\\030\\033]2;%s\\007'; exec sleep 1000"
           % (stream.replace("'", "'\\''"), marker))
    try:
        subprocess.run(base + ["start-server", ";", "set", "-g", "history-limit", str(HISTORY),
                               ";", "new-session", "-d", "-x", str(COLS), "-y", str(ROWS), cmd],
                       check=True, capture_output=True)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            title = subprocess.run(base + ["display-message", "-p", "#{pane_title}"],
                                   capture_output=True, text=True).stdout.strip()
            if title == marker:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("tmux did not consume the stream within %d s" % WAIT_SECONDS)
            time.sleep(0.05)
        out = [subprocess.run(base + ["capture-pane", "-p", "-S", "-", "-E", "-"] + flags,
                              check=True, capture_output=True).stdout
               for flags in ([], ["-e"])]
    finally:
        subprocess.run(base + ["kill-server"], capture_output=True)
    return [o.decode("utf-8", "surrogateescape") for o in out]


def rmux_capture(vtreplay, stream, cuts, flags=()):
    args = [vtreplay, "-x", str(COLS), "-y", str(ROWS), "-l", str(HISTORY)] + list(flags)
    if cuts:
        args += ["-c", ",".join(str(c) for c in cuts)]
    r = subprocess.run(args + [stream], capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("vtreplay failed (%d): %s" % (r.returncode,
                                                        r.stderr.decode(errors="replace")))
    return r.stdout.decode("utf-8", "surrogateescape")


def spread(positions, n):
    """At most N of POSITIONS, evenly spaced."""
    if len(positions) <= n:
        return list(positions)
    return [positions[i * len(positions) // n] for i in range(n)]


def variants(data):
    """Ways to cut the stream: name and list of byte offsets."""
    escs = [i for i, b in enumerate(data) if b == 0x1b and i > 0]
    inside = []
    for i in spread(escs, 300):
        inside += [i + 1, i + 2]
    leads = [i for i, b in enumerate(data) if b >= 0xc0]
    inside += [i + 1 for i in spread(leads, 200)]
    inside = sorted(set(p for p in inside if 0 < p < len(data)))
    out = [("whole", [])]
    if escs:
        out.append(("cut-at-esc", spread(escs, 1000)))
    if inside:
        out.append(("cut-inside", spread(inside, 1000)))
    return out


def same_line(t, r):
    if t == r:
        return True
    if len(t) != len(r):
        return False
    return all(a == b or ACS.get(a) == b for a, b in zip(t, r))


def compare(tmux_out, rmux_out):
    t = tmux_out.split("\n")
    r = rmux_out.split("\n")
    return len(t) == len(r) and all(same_line(a, b) for a, b in zip(t, r))


def styled(capture):
    """A -e capture as lines of (character, attributes, fg, bg): the look of
    each character, however the escapes spelled it (tmux writes colours
    set as 38;5;N below 16 that way, rmux as 30-37 and 90-97; tmux adds
    SO/SI around line drawing; a space that -e left at a line's end is
    not kept)."""
    attrs, fg, bg = frozenset(), "d", "d"
    out = []
    for line in capture.split("\n"):
        cells = []
        i = 0
        while i < len(line):
            c = line[i]
            if c == "\033" and line.startswith("\033[", i):
                j = line.index("m", i)
                params = line[i + 2:j].split(";")
                i = j + 1
                k = 0
                while k < len(params):
                    p = params[k]
                    if p in ("", "0"):
                        attrs, fg, bg = frozenset(), "d", "d"
                    elif p in ("38", "48", "58"):
                        if params[k + 1] == "5":
                            v, k = "p" + params[k + 2], k + 2
                        else:
                            v, k = "rgb" + ":".join(params[k + 2:k + 5]), k + 4
                        # rmux cells have no underline colour (58): not compared.
                        if p == "38":
                            fg = v
                        elif p == "48":
                            bg = v
                    elif p == "59":
                        pass
                    elif p == "39":
                        fg = "d"
                    elif p == "49":
                        bg = "d"
                    elif len(p) == 2 and p[0] in "34" and p[1] in "01234567":
                        if p[0] == "3":
                            fg = "p" + p[1]
                        else:
                            bg = "p" + p[1]
                    elif len(p) == 2 and p[0] == "9" and p[1] in "01234567":
                        fg = "p%d" % (int(p[1]) + 8)
                    elif len(p) == 3 and p[:2] == "10" and p[2] in "01234567":
                        bg = "p%d" % (int(p[2]) + 8)
                    else:
                        attrs = attrs | {p}
                    k += 1
                continue
            i += 1
            if c in "\016\017":
                continue
            cells.append((c, attrs, fg, bg))
        out.append(cells)
    return out


def same_styled(t, r):
    if len(t) != len(r):
        return False
    for a, b in zip(t, r):
        if len(a) != len(b):
            return False
        for x, y in zip(a, b):
            if x[1:] != y[1:] or not (x[0] == y[0] or ACS.get(x[0]) == y[0]):
                return False
    return True


def show_styled_diff(name, variant, t, r, limit=8):
    shown = 0
    for n, (a, b) in enumerate(zip(t, r)):
        if same_styled([a], [b]):
            continue
        for x in range(max(len(a), len(b))):
            ca = a[x] if x < len(a) else None
            cb = b[x] if x < len(b) else None
            if ca is None or cb is None or ca[1:] != cb[1:] or not (
                    ca[0] == cb[0] or ACS.get(ca[0]) == cb[0]):
                print("    line %d char %d: tmux %r, rmux %r" % (n + 1, x + 1, ca, cb))
                break
        shown += 1
        if shown == limit:
            break
    if len(t) != len(r):
        print("    tmux has %d lines, rmux %d" % (len(t), len(r)))


def show_diff(name, variant, tmux_out, rmux_out, limit=60):
    lines = list(difflib.unified_diff(tmux_out.split("\n"), rmux_out.split("\n"),
                                      "tmux/" + name, "rmux/" + name + " (" + variant + ")",
                                      n=1, lineterm=""))
    for line in lines[:limit]:
        print("    " + line)
    if len(lines) > limit:
        print("    ... %d more diff lines" % (len(lines) - limit))


def load_known(path):
    known = {}
    if not path:
        return known
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(" ")
            known[name] = reason.strip()
    return known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vtreplay", required=True)
    ap.add_argument("--tmux", default="tmux")
    ap.add_argument("--known")
    ap.add_argument("--save", help="directory to write both captures into")
    ap.add_argument("streams", nargs="+")
    opts = ap.parse_args()
    known = load_known(opts.known)

    failed = []
    for n, stream in enumerate(opts.streams):
        name = os.path.basename(stream)
        if name.endswith(".vt"):
            name = name[:-3]
        with open(stream, "rb") as f:
            data = f.read()
        expect, expect_e = tmux_capture(opts.tmux, stream, str(n))
        expect_styled = styled(expect_e)
        bad = []
        split_bad = False
        whole = None
        for variant, cuts in variants(data):
            got = rmux_capture(opts.vtreplay, stream, cuts)
            got_e = rmux_capture(opts.vtreplay, stream, cuts, ["-e"])
            if opts.save:
                os.makedirs(opts.save, exist_ok=True)
                for suffix, text in (("tmux", expect), ("tmux-e", expect_e),
                                     (variant, got), (variant + "-e", got_e)):
                    with open(os.path.join(opts.save, name + "." + suffix), "w",
                              encoding="utf-8", errors="surrogateescape") as f:
                        f.write(text)
            if whole is None:
                whole = (got, got_e)
            elif (got, got_e) != whole:
                # Cutting the input must never change rmux's screen,
                # whatever tmux shows.
                split_bad = True
                print("MISMATCH %s: rmux %s differs from rmux whole" % (name, variant))
                show_diff(name, variant, whole[0] + whole[1], got + got_e)
            if not compare(expect, got):
                bad.append(variant)
                print("MISMATCH %s (%s, %d cuts)" % (name, variant, len(cuts)))
                show_diff(name, variant, expect, got)
            elif not same_styled(expect_styled, styled(got_e)):
                bad.append(variant)
                print("MISMATCH %s (%s, %d cuts): same text, different colours or "
                      "attributes (-e)" % (name, variant, len(cuts)))
                show_styled_diff(name, variant, expect_styled, styled(got_e))
        if not bad:
            if name in known:
                print("ok %s (listed as known: %s; the entry can go)" % (name, known[name]))
            else:
                print("ok %s (%d lines)" % (name, expect.count("\n")))
        elif name in known and not split_bad:
            print("KNOWN %s: %s" % (name, known[name]))
        else:
            failed.append(name)
    if failed:
        print("FAILED: " + " ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
