#!/usr/bin/env python3
"""End-to-end tests of copy mode, paste buffers and key tables.

Usage: test_copy.py RMUX CASE. Each case runs rmux on its own socket
directory and name (set up by e2e.py; and tmux on its own socket where the
case compares with tmux 3.3a), kills both servers at the end even on
failure, and fails if the daemon left a sanitizer report. Waits poll with
generous limits."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (reads RMUX CASE from argv)
from e2e import ENV, NAME, RMUX, TMP, expect, outer_cmd, rmux, wait_for  # noqa: E402

TNAME = "rmuxcopy%d" % os.getpid()
ENV["TMUX_TMPDIR"] = TMP
# mode-keys follows $VISUAL / $EDITOR at start in tmux: set it explicitly.
for v in ("TMUX", "TMUX_PANE", "VISUAL", "EDITOR"):
    ENV.pop(v, None)


def tmux(*args, check=True):
    return e2e.tmux(TNAME, *args, check=check)


def both(*args, check=True):
    return rmux(*args, check=check), tmux(*args, check=check)


def same(args, r, t):
    expect((r.returncode, r.stdout, r.stderr) == (t.returncode, t.stdout, t.stderr),
           "%s differs:\nrmux %d %r %r\ntmux %d %r %r" % (
               args, r.returncode, r.stdout, r.stderr, t.returncode, t.stdout, t.stderr))


def same_script(session, script):
    """Each command of SCRIPT run in rmux and in tmux on a new session
    SESSION prints and fails alike."""
    both("new-session", "-d", "-s", session, "cat")
    for args in script:
        r, t = both(*args, check=False)
        same(args, r, t)


def screen_has(prog, target, text):
    return text in prog("capture-pane", "-p", "-t", target).stdout


# ---- copy mode ----

SEQ = "seq 1 2000; exec cat"

# Each script is run from a fresh copy mode at the bottom of `seq 1 2000`;
# the line under the cursor is then copied, so the line the moves and
# searches landed on is in the buffer. Expected lines were worked out by
# hand for a 80x24 pane (history 1..1977, screen 1978..2000 and the
# cursor's empty row) and are checked against tmux 3.3a too.
COPY_SCRIPTS = [
    ("top", [["history-top"]], "1"),
    ("up100", [["-N", "100", "cursor-up"]], "1901"),
    ("search-back", [["search-backward", "1234"]], "1234"),
    ("search-back-again", [["search-backward", "1500"], ["search-again"]], None),
    ("search-forward", [["history-top"], ["search-forward", "777"]], "777"),
    ("page-up", [["page-up"]], None),
    ("page-up-3-down-1", [["-N", "3", "page-up"], ["page-down"]], None),
    ("halfpage", [["halfpage-up"], ["halfpage-up"], ["halfpage-down"]], None),
    ("scroll-up", [["-N", "5", "scroll-up"]], None),
    ("top-line", [["page-up"], ["top-line"]], None),
    ("bottom-line", [["history-top"], ["bottom-line"]], "24"),
    ("goto-line", [["goto-line", "40"]], None),
    ("middle", [["history-top"], ["middle-line"]], None),
]


def copy_line(prog, mode):
    prog("send-keys", "-t", "c", "-X", "select-line")
    prog("send-keys", "-t", "c", "-X", "copy-selection-and-cancel")
    out = prog("show-buffer").stdout
    prog("delete-buffer")
    expect(prog("send-keys", "-t", "c", "-X", "cancel", check=False).returncode == 1,
           "%s still in copy mode after copy-selection-and-cancel" % mode)
    return out


def case_copy_scroll_search():
    """Scrolls, jumps and searches land on the line tmux lands on."""
    for prog in (rmux, tmux):
        prog("new-session", "-d", "-s", "c", "-x", "80", "-y", "24", SEQ)
        wait_for("seq output", lambda: screen_has(prog, "c", "2000"))
    for mode in ("emacs", "vi"):
        both("set-option", "-g", "mode-keys", mode)
        for label, script, want in COPY_SCRIPTS:
            got = []
            for prog in (rmux, tmux):
                prog("copy-mode", "-t", "c")
                for step in script:
                    prog("send-keys", "-t", "c", "-X", *step)
                got.append(copy_line(prog, mode))
            expect(got[0] == got[1], "%s %s: rmux copied %r, tmux %r" % (
                mode, label, got[0], got[1]))
            if want is not None:
                expect(got[0].strip("\n") == want, "%s %s: copied %r, want %r" % (
                    mode, label, got[0], want))
    # A pane in copy mode keeps its view while output arrives, and the
    # mode leaves with cancel.
    rmux("copy-mode", "-t", "c")
    rmux("send-keys", "-t", "c", "-X", "history-top")
    rmux("set-buffer", "typed while in copy mode")
    rmux("paste-buffer", "-d", "-t", "c")
    rmux("send-keys", "-t", "c", "-X", "select-line")
    rmux("send-keys", "-t", "c", "-X", "copy-selection")
    expect(rmux("show-buffer").stdout.strip("\n") == "1", "view moved: %r" %
           rmux("show-buffer").stdout)
    rmux("delete-buffer")
    rmux("send-keys", "-t", "c", "-X", "cancel")
    wait_for("output that arrived in copy mode",
             lambda: screen_has(rmux, "c", "typed while in copy mode"))
    p = rmux("send-keys", "-t", "c", "-X", "cursor-up", check=False)
    expect(p.returncode == 1 and p.stderr == "not in a mode\n", "after cancel: %r" % p.stderr)
    # copy-mode -e leaves when scrolled back to the bottom; -u starts a page up.
    rmux("copy-mode", "-e", "-u", "-t", "c")
    rmux("send-keys", "-t", "c", "-X", "page-down")
    p = rmux("send-keys", "-t", "c", "-X", "cursor-up", check=False)
    expect(p.returncode == 1, "copy-mode -e did not leave at the bottom")
    # copy-mode -q leaves; unknown -X commands do nothing, as in tmux.
    for prog in (rmux, tmux):
        prog("copy-mode", "-t", "c")
        expect(prog("send-keys", "-t", "c", "-X", "no-such-command").returncode == 0, "unknown")
        prog("copy-mode", "-q", "-t", "c")
        expect(prog("send-keys", "-t", "c", "-X", "cancel", check=False).returncode == 1, "-q")


# Incremental search in emacs copy mode: keys typed after C-r / C-s (the
# prompt runs the search on every change), from a fresh copy mode at the
# bottom of `seq 1 2000`, each script ending with Enter; then the cursor's
# line and position are compared. As in tmux 3.3a each change of the text
# searches on from the match before: "1" finds 1999, "12" 1912, "123" the
# first match above that, 1239; each further C-r the next above.
INCREMENTAL_SCRIPTS = [
    ("up", ["C-r", "1", "2", "3", "Enter"], "1239"),
    ("up-again", ["C-r", "1", "2", "3", "C-r", "C-r", "Enter"], "1237"),
    ("edited", ["C-r", "1", "2", "3", "BSpace", "4", "Enter"], None),
    ("up-then-down", ["C-r", "5", "5", "C-r", "C-r", "C-s", "Enter"], None),
    ("again-from-empty", ["C-r", "1", "9", "Enter", "C-r", "C-r", "Enter"], None),
    ("no-match", ["C-r", "1", "2", "x", "Enter"], None),
    ("forward", ["C-s", "1", "9", "Enter"], None),
]


def tmux_prompt_shown(shown):
    last = outer("capture-pane", "-p").rstrip("\n").split("\n")[-1]
    return last.startswith("(search") == shown


def type_at_tmux_client(keys):
    """KEYS typed into the attached tmux client. tmux opens its prompt
    after the key that asks for it is handled, so keys after that one wait
    until the prompt shows (and after Enter, until it has gone)."""
    shown = False
    for k in keys:
        outer("send-keys", k)
        if not shown and k in ("C-r", "C-s"):
            shown = True
            wait_for("tmux prompt", lambda: tmux_prompt_shown(True))
        elif shown and k == "Enter":
            shown = False
            wait_for("tmux prompt gone", lambda: tmux_prompt_shown(False))


def case_copy_incremental():
    """C-r and C-s in emacs copy mode search as the text is typed and again
    for each further C-r / C-s, landing on the line tmux 3.3a lands on
    (tmux's keys go through an attached client, as its prompt needs one)."""
    for prog in (rmux, tmux):
        prog("new-session", "-d", "-s", "c", "-x", "80", "-y", "24", SEQ)
        prog("set-option", "-g", "mode-keys", "emacs")
        wait_for("seq output", lambda: screen_has(prog, "c", "2000"))
    e2e.outer(OUTER, "env -u TMUX TMUX_TMPDIR=%s tmux -L %s attach -t c" % (TMP, TNAME),
              y=25)
    wait_for("tmux client", lambda: tmux("list-clients").stdout != "")
    for label, keys, want in INCREMENTAL_SCRIPTS:
        got = []
        for prog in (rmux, tmux):
            prog("copy-mode", "-t", "c")
            # C-Space last: once the selection shows, every key before it
            # has been handled.
            if prog is rmux:
                rmux("send-keys", "-t", "c", *(keys + ["C-Space"]))
            else:
                type_at_tmux_client(keys + ["C-Space"])
            wait_for("%s handled" % label, lambda: prog(
                "display-message", "-p", "-t", "c", "#{selection_present}").stdout == "1\n")
            got.append(prog("display-message", "-p", "-t", "c", "#{copy_cursor_line}|"
                            "#{copy_cursor_x},#{copy_cursor_y}|#{scroll_position}").stdout)
            prog("send-keys", "-t", "c", "-X", "cancel")
        expect(got[0] == got[1], "%s: rmux at %r, tmux at %r" % (label, got[0], got[1]))
        if want is not None:
            expect(got[0].split("|")[0] == want, "%s: at %r, want %r" % (label, got[0], want))


def case_copy_keys():
    """Copy mode driven by its key tables: emacs and vi bindings copy a word."""
    rmux("new-session", "-d", "-s", "c", "-x", "80", "-y", "24", SEQ)
    wait_for("seq output", lambda: screen_has(rmux, "c", "2000"))
    rmux("set-option", "-g", "mode-keys", "emacs")
    # C-b [ enters copy mode, M-< goes to the top, C-Space C-e M-w copies.
    rmux("send-keys", "-t", "c", "C-b", "[")
    rmux("send-keys", "-t", "c", "M-<", "C-Space", "C-e", "M-w")
    expect(rmux("show-buffer").stdout == "1", "emacs copy: %r" % rmux("show-buffer").stdout)
    expect(rmux("send-keys", "-t", "c", "-X", "cancel", check=False).returncode == 1,
           "M-w should leave copy mode")
    rmux("set-option", "-g", "mode-keys", "vi")
    # vi: k ten times goes up ten lines, V selects the line, Enter copies
    # and leaves.
    rmux("send-keys", "-t", "c", "C-b", "[")
    rmux("send-keys", "-t", "c", "-N", "10", "k")
    rmux("send-keys", "-t", "c", "V", "Enter")
    expect(rmux("show-buffer").stdout.strip("\n") == "1991",
           "vi copy: %r" % rmux("show-buffer").stdout)
    lb = rmux("list-buffers", "-F", "#{buffer_name}").stdout
    expect(lb == "buffer1\nbuffer0\n", "buffers: %r" % lb)
    # q leaves copy mode in vi.
    rmux("send-keys", "-t", "c", "C-b", "[", "q")
    expect(rmux("send-keys", "-t", "c", "-X", "cancel", check=False).returncode == 1, "q")


def case_copy_paste():
    """A copy goes into a buffer and paste-buffer types it into a cat pane."""
    rmux("new-session", "-d", "-s", "c", "-x", "80", "-y", "24",
         "printf 'first line\\nsecond line here\\nthird\\n'; exec cat")
    wait_for("text", lambda: screen_has(rmux, "c", "third"))
    rmux("split-window", "-t", "c", "cat")
    rmux("copy-mode", "-t", "c:0.0")
    rmux("send-keys", "-t", "c:0.0", "-X", "history-top")
    rmux("send-keys", "-t", "c:0.0", "-X", "search-forward", "second")
    # emacs keys leave the cursor after the match, as tmux does.
    rmux("send-keys", "-t", "c:0.0", "-X", "start-of-line")
    rmux("send-keys", "-t", "c:0.0", "-X", "begin-selection")
    rmux("send-keys", "-t", "c:0.0", "-X", "end-of-line")
    rmux("send-keys", "-t", "c:0.0", "-X", "copy-selection-and-cancel")
    expect(rmux("show-buffer").stdout == "second line here", rmux("show-buffer").stdout)
    rmux("paste-buffer", "-t", "c:0.1")
    rmux("send-keys", "-t", "c:0.1", "Enter")
    out = wait_for("paste echoed by cat", lambda: (
        lambda t: t if t.count("second line here") == 2 else None)(
        rmux("capture-pane", "-p", "-t", "c:0.1").stdout))
    expect(out.split("\n")[:2] == ["second line here"] * 2, out)
    # -d deletes the buffer after pasting; -s replaces line feeds.
    rmux("set-buffer", "-b", "multi", "a\nb")
    rmux("paste-buffer", "-d", "-b", "multi", "-s", "+", "-t", "c:0.1")
    rmux("send-keys", "-t", "c:0.1", "Enter")
    wait_for("separator paste", lambda: screen_has(rmux, "c:0.1", "a+b"))
    p = rmux("show-buffer", "-b", "multi", check=False)
    expect(p.returncode == 1 and p.stderr == "no buffer multi\n", p.stderr)
    # capture-pane without -p fills a buffer; -b names it.
    rmux("capture-pane", "-t", "c:0.0", "-b", "cap")
    cap = rmux("show-buffer", "-b", "cap").stdout
    expect(cap.startswith("first line\nsecond line here\nthird\n"), repr(cap[:60]))
    rmux("capture-pane", "-t", "c:0.0")
    expect(rmux("show-buffer").stdout == cap, "automatic capture buffer differs")


BUFFER_SCRIPT = [
    ["show-buffer"],
    ["delete-buffer"],
    ["paste-buffer"],
    ["paste-buffer", "-b", "nope"],
    ["delete-buffer", "-b", "nope"],
    ["set-buffer"],
    ["set-buffer", ""],
    ["set-buffer", "hello"],
    ["set-buffer", "-b", "named", "x\ny\tz\\"],
    ["list-buffers"],
    ["set-buffer", "-a", "-b", "named", "ZZ"],
    ["show-buffer", "-b", "named"],
    ["set-buffer", "-n", "renamed"],
    ["set-buffer", "-b", "nope", "-n", "x"],
    ["set-buffer", "-b", "", "y"],
    ["set-buffer", "-a", "more"],
    ["list-buffers", "-F", "#{buffer_name}|#{buffer_size}|#{buffer_sample}"],
    ["list-buffers", "-f", "#{==:#{buffer_name},renamed}"],
    ["delete-buffer"],
    ["delete-buffer", "-b", "renamed"],
    ["list-buffers"],
    ["show-buffer"],
]


def case_buffers():
    """Buffer commands print and fail exactly as tmux 3.3a does."""
    same_script("b", BUFFER_SCRIPT)
    path = os.path.join(TMP, "saved")
    rmux("set-buffer", "-b", "s", "saved data")
    rmux("save-buffer", "-b", "s", path)
    with open(path) as f:
        expect(f.read() == "saved data", "save-buffer")
    rmux("save-buffer", "-a", "-b", "s", path)
    rmux("load-buffer", "-b", "l", path)
    expect(rmux("show-buffer", "-b", "l").stdout == "saved data" * 2, "load-buffer")
    p = rmux("load-buffer", os.path.join(TMP, "missing"), check=False)
    expect(p.returncode == 1 and p.stderr.endswith("missing: No such file or directory\n"),
           p.stderr)


# ---- key tables ----

KEYS_SCRIPT = [
    ["list-keys"],
    ["list-keys", "-T", "copy-mode-vi"],
    ["bind-key", "x", "splitw", "-d", "-h", "-c", "/tmp"],
    ["bind-key", "-n", "M-x", "new-window", "-n", "foo"],
    ["bind-key", "-r", "-T", "prefix", "y", "select-pane -L ; select-pane -U"],
    ["bind-key", "-N", "my note", "z", "kill-pane"],
    ["bind-key", "-T", "mytable", "q", "list-keys"],
    ["bind-key", "-T", "mytable", "r", "display", "a b"],
    ["list-keys", "-T", "mytable"],
    ["bind-key", "Q", "foo"],
    ["bind-key", "Q", "split-window", "-Q"],
    ["bind-key", "C-bogus-x", "kill-pane"],
    ["list-keys", "-T", "prefix"],
    ["list-keys", "-T", "root"],
    ["list-keys", "z"],
    ["list-keys", "-N"],
    ["unbind-key", "x"],
    ["unbind-key", "-n", "M-x"],
    ["unbind-key", "-T", "mytable", "q"],
    ["unbind-key", "-T", "mytable", "r"],
    ["list-keys", "-T", "mytable"],
    ["unbind-key", "-a", "-T", "nope"],
    ["unbind-key"],
    ["unbind-key", "-a", "x"],
    ["unbind-key", "C-bogus-x"],
    ["unbind-key", "-q", "-T", "nope", "x"],
    ["unbind-key", "-a", "-T", "copy-mode"],
    ["list-keys", "-T", "copy-mode"],
    ["list-keys"],
]


def case_keys_list():
    """list-keys, bind-key and unbind-key match tmux 3.3a's output."""
    same_script("k", KEYS_SCRIPT)


def panes(target):
    return rmux("list-panes", "-t", target, "-F",
                "#{pane_index} #{pane_left},#{pane_top} #{pane_width}x#{pane_height}").stdout


def case_keys_split():
    """send-keys goes through the key tables: the prefix then a bound key."""
    rmux("new-session", "-d", "-s", "alpha", "-x", "80", "-y", "24", "cat")
    rmux("send-keys", "-t", "alpha:", "C-b", '"')
    p = panes("alpha:").splitlines()
    expect(p == ["0 0,0 80x12", "1 0,13 80x11"], "C-b \": %r" % p)
    rmux("send-keys", "-t", "alpha:", "C-b", "%")
    p = [l.split() for l in panes("alpha:").splitlines()]
    expect(len(p) == 3 and p[2][1].split(",")[1] == "13" and int(p[2][1].split(",")[0]) > 0,
           "C-b %%: %r" % p)
    rmux("send-keys", "-t", "alpha:", "C-b", "c")
    w = rmux("list-windows", "-t", "alpha:", "-F", "#{window_index} #{window_active}").stdout
    expect(w == "0 0\n1 1\n", "C-b c: %r" % w)
    # The prefix state lasts between commands, per session.
    rmux("new-session", "-d", "-s", "beta", "-x", "80", "-y", "24", "cat")
    rmux("send-keys", "-t", "alpha:", "C-b")
    rmux("send-keys", "-t", "beta:", "hello")
    rmux("send-keys", "-t", "alpha:", "n")
    w = rmux("list-windows", "-t", "alpha:", "-F", "#{window_index} #{window_active}").stdout
    expect(w == "0 1\n1 0\n", "C-b then n: %r" % w)
    wait_for("typed text", lambda: screen_has(rmux, "beta:", "hello"))
    # An unbound key after the prefix is swallowed; plain keys reach the pane.
    rmux("send-keys", "-t", "beta:", "C-b", "F12", "abc", "Enter")
    out = wait_for("echo", lambda: (lambda t: t if t.count("helloabc") == 2 else None)(
        rmux("capture-pane", "-p", "-t", "beta:").stdout))
    expect("\x1b" not in out and "~" not in out, "F12 reached the pane: %r" % out)
    # send-prefix sends C-b itself to the program; bind-key changes the path.
    rmux("bind-key", "-n", "F5", "split-window", "-h", "-t", "beta:")
    rmux("send-keys", "-t", "alpha:", "F5")
    expect(len(panes("beta:").splitlines()) == 2, "root binding F5: %r" % panes("beta:"))
    rmux("bind-key", "-T", "prefix", "v", "split-window", "-h")
    rmux("unbind-key", "c")
    rmux("send-keys", "-t", "beta:", "C-b", "v", "C-b", "c")
    expect(len(panes("beta:").splitlines()) == 3, "bound v: %r" % panes("beta:"))
    nw = rmux("display-message", "-p", "-t", "beta:", "#{session_windows}").stdout
    expect(nw == "1\n", "unbound c made a window: %r" % nw)


OUTER = "outer%d" % os.getpid()


def outer(*args):
    return outer_cmd(OUTER, *args, check=True)


# Presses of one button closer than this are double and triple clicks.
CLICK_S = 0.4


def click(b, x, y):
    """Press and release, after a pause that makes it a single click."""
    time.sleep(CLICK_S)
    mouse(b, x, y)
    mouse(b, x, y, "m")


def mouse(b, x, y, final="M"):
    """An SGR mouse report typed into the outer pane (cells from 0)."""
    seq = "\x1b[<%d;%d;%d%s" % (b, x + 1, y + 1, final)
    outer("send-keys", "-H", *["%02x" % c for c in seq.encode()])


def fmt(target, f):
    return rmux("display-message", "-p", "-t", target, f).stdout.strip()


def geometry(target):
    return [int(v) for v in fmt(target, "#{pane_left} #{pane_top} #{pane_width}").split()]


def in_copy_mode(target):
    """send-keys -X fails outside copy mode; history-top moves nothing visible here."""
    return rmux("send-keys", "-t", target, "-X", "refresh-from-pane",
                check=False).returncode == 0


def case_mouse():
    """The mouse through an attached client: clicks select panes and windows,
    a program that asked for mouse reports gets them in its own coordinates,
    the wheel enters copy mode, a border drag resizes; with the mouse option
    off the click reaches only a program that asked for it."""
    rmux("new-session", "-d", "-s", "m", "-x", "80", "-y", "23")
    rmux("set", "-g", "mouse", "on")
    e2e.outer(OUTER, "/bin/sh")
    outer("send-keys", "-l", "%s -L %s -f /dev/null attach -t m" % (RMUX, NAME))
    outer("send-keys", "Enter")
    wait_for("client", lambda: outer("capture-pane", "-p").split("\n")[23].startswith("[m]"))
    rmux("split-window", "-h", "-t", "m", "sh")
    left = rmux("display-message", "-p", "-t", "m:0.0", "#{pane_id}").stdout.strip()
    right = rmux("display-message", "-p", "-t", "m:0.1", "#{pane_id}").stdout.strip()
    lx, ly, lw = geometry(left)
    rx, ry, rw = geometry(right)
    expect(fmt("m", "#{pane_id}") == right, "the new pane is active")
    # A click in the left pane selects it (MouseDown1Pane: select-pane -t =).
    click(0, lx + 3, ly + 2)
    wait_for("left pane active", lambda: fmt("m", "#{pane_id}") == left)
    # A program asking for SGR reports gets the click at its own cell (1-based).
    rmux("send-keys", "-t", right, "printf '\\033[?1000h\\033[?1006h'; cat -v", "Enter")
    wait_for("mouse mode", lambda: fmt(right, "#{mouse_sgr_flag}") in ("1", ""))
    time.sleep(0.5)
    click(0, rx + 4, ry + 6)
    rmux("send-keys", "-t", right, "Enter")
    want = "^[[<0;5;7M^[[<0;5;7m"
    wait_for("report in the pane", lambda: screen_has(rmux, right, want))
    expect(fmt("m", "#{pane_id}") == right, "the click selected the right pane")
    rmux("send-keys", "-t", right, "C-c")
    # The wheel over a shell enters copy mode (WheelUpPane: copy-mode -e).
    expect(not in_copy_mode(left), "left pane in copy mode before the wheel")
    mouse(64, lx + 2, ly + 2)
    wait_for("copy mode after the wheel", lambda: in_copy_mode(left))
    rmux("send-keys", "-t", left, "-X", "cancel")
    # Dragging the border between the panes 5 cells left resizes them.
    bx = lx + lw
    time.sleep(CLICK_S)
    mouse(0, bx, 5)
    mouse(32, bx - 2, 5)
    mouse(32, bx - 5, 5)
    mouse(0, bx - 5, 5, "m")
    wait_for("border moved", lambda: geometry(left)[2] == lw - 5)
    expect(geometry(right)[2] == rw + 5, "right pane %r" % geometry(right))
    # A click on a window's entry in the status line selects it.
    rmux("new-window", "-t", "m")
    expect(fmt("m", "#{window_index}") == "1", "new window current")
    status = outer("capture-pane", "-p").split("\n")[23]
    at = status.index("0:")
    click(0, at + 1, 23)
    wait_for("window 0 selected", lambda: fmt("m", "#{window_index}") == "0")
    # Mouse off: a click selects nothing; the program asking still gets it.
    rmux("set", "-g", "mouse", "off")
    rmux("select-pane", "-t", left)
    rx, ry, rw = geometry(right)
    rmux("send-keys", "-t", right, "printf '\\033[?1000h\\033[?1006h'; cat -v", "Enter")
    time.sleep(0.5)
    click(2, rx + 1, ry + 1)
    rmux("send-keys", "-t", right, "Enter")
    wait_for("report with mouse off", lambda: screen_has(rmux, right, "^[[<2;2;2M^[[<2;2;2m"))
    expect(fmt("m", "#{pane_id}") == left, "a click with the mouse off selected a pane")
    click(0, lx + 1, ly + 1)
    mouse(64, lx + 1, ly + 1)
    time.sleep(0.5)
    expect(not in_copy_mode(left), "the wheel entered copy mode with the mouse off")


def cleanup():
    subprocess.run(["tmux", "-L", TNAME, "kill-server"], env=ENV, capture_output=True)
    e2e.cleanup()


if __name__ == "__main__":
    sys.exit(e2e.run_case(globals(), cleanup))
