#!/usr/bin/env python3
"""render_tmux.py — rmux's renderer in a real terminal: runs
tests/tools/render_demo inside a detached tmux pane (80x24,
TERM=tmux-256color), steps it through its frames with send-keys and checks
what `tmux capture-pane -p -e` shows: text, colours and renditions, the
cursor, and the terminal restored after it quits.

Usage: render_tmux.py PATH/TO/render_demo"""
import os
import sys
import tempfile
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_pane import expect, tmux  # noqa: E402
import tmux_pane  # noqa: E402

DEMO = os.path.abspath(sys.argv[1])


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse_capture(text, cols=80):
    """capture-pane -p -e output to rows of cells (text, fg, bg, attrs)."""
    rows = []
    for line in text.split("\n"):
        cells = []
        fg, bg, attrs = "default", "default", set()
        i = 0
        while i < len(line):
            ch = line[i]
            if ch == "\x1b" and i + 1 < len(line) and line[i + 1] == "[":
                j = i + 2
                while j < len(line) and not ("\x40" <= line[j] <= "\x7e"):
                    j += 1
                params, final = line[i + 2:j], line[j] if j < len(line) else ""
                i = j + 1
                if final != "m":
                    continue
                ps = [p for p in params.split(";")] if params else ["0"]
                k = 0
                while k < len(ps):
                    p = ps[k].split(":")[0]
                    v = int(p) if p.isdigit() else 0
                    if v == 0:
                        fg, bg, attrs = "default", "default", set()
                    elif v in (1, 2, 3, 5, 7, 8, 9):
                        attrs.add(v)
                    elif v == 4:
                        attrs.add(4)
                    elif 30 <= v <= 37:
                        fg = v - 30
                    elif 40 <= v <= 47:
                        bg = v - 40
                    elif 90 <= v <= 97:
                        fg = v - 90 + 8
                    elif 100 <= v <= 107:
                        bg = v - 100 + 8
                    elif v == 39:
                        fg = "default"
                    elif v == 49:
                        bg = "default"
                    elif v in (38, 48) and k + 2 < len(ps) and ps[k + 1] == "5":
                        if v == 38:
                            fg = int(ps[k + 2])
                        else:
                            bg = int(ps[k + 2])
                        k += 2
                    elif v in (38, 48) and k + 4 < len(ps) and ps[k + 1] == "2":
                        c = "#%02x%02x%02x" % tuple(int(x) for x in ps[k + 2:k + 5])
                        if v == 38:
                            fg = c
                        else:
                            bg = c
                        k += 4
                    k += 1
                continue
            w = width(ch)
            if w == 0 and cells:
                cells[-1] = (cells[-1][0] + ch,) + cells[-1][1:]
            else:
                cells.append((ch, fg, bg, frozenset(attrs)))
                if w == 2:
                    cells.append(("", fg, bg, frozenset(attrs)))
            i += 1
        while len(cells) < cols:
            cells.append((" ", "default", "default", frozenset()))
        rows.append(cells)
    return rows


def text_of(row):
    return "".join(c[0] for c in row).rstrip()


def capture():
    return parse_capture(tmux("capture-pane", "-p", "-e", "-t", "demo"))


def wait_for(needle, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        rows = capture()
        if any(needle in text_of(r) for r in rows):
            # Let the rest of the update land.
            time.sleep(0.2)
            return capture()
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for %r; screen:\n%s" %
                       (needle, "\n".join(text_of(r) for r in capture())))


def style_at(row, x):
    return row[x][1], row[x][2], row[x][3]


def check_lines(rows, k):
    """Rows 1..23 of frames 0 and 1: 'line N' with the style of N % 6."""
    for y in range(1, 24):
        n = y + 3 * k
        row = rows[y]
        t = text_of(row)
        want = {0: "red", 1: "orange on blue", 2: "rgb red", 3: "中文 wide",
                4: "bold underline", 5: "reverse"}[n % 6]
        want_text = "line %02d %s" % (n, want)
        if n % 6 == 3:
            want_text = "line %02d 中文 wide" % n
            # The cluster at column 18, after two wide characters and " wide".
            expect(row[18][0] == "e\u0301", "frame %d row %d: cluster at 18 is %r" % (k, y, row[18][0]))
            t = "".join(c[0] for c in row[:18]).rstrip()
        expect(t == want_text, "frame %d row %d: text %r, want %r" % (k, y, t, want_text))
        fg, bg, attrs = style_at(row, 8)
        expect(style_at(row, 0) == ("default", "default", frozenset()),
               "frame %d row %d: number styled %r" % (k, y, style_at(row, 0)))
        if n % 6 == 0:
            expect(fg == 1 and bg == "default", "frame %d row %d: red is %r" % (k, y, (fg, bg)))
        elif n % 6 == 1:
            expect(fg == 208 and bg == 19, "frame %d row %d: orange/blue is %r" % (k, y, (fg, bg)))
        elif n % 6 == 2:
            expect(fg == 196, "frame %d row %d: rgb red is %r (want nearest 256: 196)" % (k, y, fg))
        elif n % 6 == 4:
            expect(attrs == frozenset({1, 4}), "frame %d row %d: attrs %r" % (k, y, attrs))
        elif n % 6 == 5:
            expect(attrs == frozenset({7}), "frame %d row %d: attrs %r" % (k, y, attrs))


def frames(stats):
    tmux_pane.new_session(80, 24, "env -u COLORTERM '%s' 2>'%s'; echo exited $?; sleep 60"
                          % (DEMO, stats))
    rows = wait_for("rmux render demo frame 0")
    expect(tmux("display", "-p", "-t", "demo", "#{alternate_on}").strip() == "1",
           "the demo is not on the alternate screen")
    expect(text_of(rows[0]) == "rmux render demo frame 0", "frame 0 title row %r" % text_of(rows[0]))
    check_lines(rows, 0)
    cur = tmux("display", "-p", "-t", "demo", "#{cursor_x},#{cursor_y}").strip()
    expect(cur == "3,23", "frame 0 cursor at %s" % cur)

    tmux("send-keys", "-t", "demo", "n")
    rows = wait_for("rmux render demo frame 1")
    check_lines(rows, 1)

    tmux("send-keys", "-t", "demo", "n")
    rows = wait_for("rmux render demo frame 2")
    for y in range(1, 24):
        want = " " * ((y * 3) % 40) + "repainted %d" % y
        expect(text_of(rows[y]) == want, "frame 2 row %d: %r" % (y, text_of(rows[y])))
        x = (y * 3) % 40
        expect(rows[y][x][1] == 2, "frame 2 row %d colour %r" % (y, rows[y][x][1]))
    cur = tmux("display", "-p", "-t", "demo", "#{cursor_x},#{cursor_y}").strip()
    expect(cur == "5,5", "frame 2 cursor at %s" % cur)

    tmux("send-keys", "-t", "demo", "q")
    rows = wait_for("exited")
    state = tmux("display", "-p", "-t", "demo",
                 "#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} "
                 "#{mouse_any_flag} #{scroll_region_upper} #{scroll_region_lower}").split()
    expect(state == ["0", "1", "0", "0", "0", "0", "23"], "after quitting: %r" % state)
    # The demo never wrote to the normal screen: only the shell's line.
    shown = [text_of(r) for r in rows if text_of(r)]
    expect(shown == ["exited 0"], "normal screen after quitting: %r" % shown)
    expect(text_of(rows[0]) == "exited 0", "the shell's line is not at the top")
    # Frame 1 went through a scroll region, frame 2 was a repaint.
    with open(stats) as f:
        line = f.read().strip()
    print(line)
    expect(" 1 scrolls, 2 repaints" in line, "demo statistics: %r" % line)


def main():
    stats = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    stats.close()
    try:
        return tmux_pane.main("render", lambda: frames(stats.name),
                              "ok: frames 0-2 shown as rendered; terminal restored")
    finally:
        os.unlink(stats.name)


if __name__ == "__main__":
    sys.exit(main())
