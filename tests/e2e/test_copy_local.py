#!/usr/bin/env python3
"""End-to-end tests of copy mode at keystroke speed (issue 7): `rmux
connect` runs inside an outer tmux pane and reaches the daemon through the
impairment relay at 500 ms round trip with 10% loss. The client draws copy
mode's pages from its history mirror before the daemon's view can arrive;
the daemon stays the truth (its capture-pane of the viewport's lines).

Assertions are about what the outer screen shows at sampled moments
relative to the key that asked for it; the one time compared (a page on
screen within 250 ms of its key) is half the round trip, so only a page
the client drew itself can meet it.

Usage: test_copy_local.py RMUX CASE RELAY. The harness (outer tmux, relay,
cleanup, sanitizer reports) is test_attach.py's."""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_attach as ta  # noqa: E402  (reads RMUX CASE RELAY from argv)

DELAY = 250           # ms each way through the relay
LOSS = 10             # percent, each way
RTT = 2 * DELAY / 1000.0
LOCAL = 0.25          # a predicted page is on screen within this (s)
PANE_ROWS = ta.H - 1  # the status line takes one
PAGE = PANE_ROWS - 2  # copy mode's page-up
FETCHING = "~ fetching history ~"
DUMP = os.path.join(ta.TMP, "mirror")


def connect(session, *impair, env=None):
    line = ta.rmux("bootstrap", "-t", session).stdout.strip().split()
    ta.expect(line[:2] == ["RMUX", "CONNECT"], "bootstrap said %r" % line)
    relay, port = ta.start_relay(int(line[2]), *impair)
    keyfile = os.path.join(ta.TMP, "key")
    with open(keyfile, "w") as f:
        f.write(line[3])
    ta.ENV["RMUX_MIRROR_DUMP"] = DUMP
    ta.ENV.update(env or {})
    ta.start_outer()
    verbose = ["-v"] if os.environ.get("RMUX_TEST_VERBOSE") else []
    ta.type_line("RMUX_KEY=$(cat %s) %s" % (keyfile, ta.client_cmd(
        *(verbose + ["connect", "127.0.0.1", str(port)]))))
    ta.wait_for("attached", ta.attached_ok)
    ta.wait_for("prompt", lambda: ta.is_prompt(ta.screen()[0]), limit=60)
    return relay


def new_session(name):
    ta.rmux("new-session", "-d", "-s", name, "-x", str(ta.W), "-y", str(ta.H))


def mirror_state():
    """(count, lowest, highest) of the client's mirror for its one pane,
    from the $RMUX_MIRROR_DUMP hook, or None."""
    if os.path.exists(DUMP):
        os.unlink(DUMP)
    os.kill(ta.client_pid(), signal.SIGUSR1)
    end = time.monotonic() + 5
    while time.monotonic() < end and not os.path.exists(DUMP):
        time.sleep(0.05)
    if not os.path.exists(DUMP):
        return None
    with open(DUMP) as f:
        for line in f:
            w = line.split()
            if len(w) >= 10 and w[0] == "pane":
                return int(w[5]), int(w[7]), int(w[9])
    return None


def wait_mirror(lines, limit=240):
    """The mirror holds at least LINES contiguous newest lines."""
    def held():
        st = mirror_state()
        return st is not None and st[0] >= lines and st[0] == st[2] - st[1] + 1
    t0 = time.monotonic()
    ta.wait_for("the mirror to hold %d lines" % lines, held, limit=limit)
    return time.monotonic() - t0


def scroll_position(target):
    """The daemon's copy-mode scroll position, or -1 out of copy mode."""
    text = ta.rmux("display-message", "-p", "-t", target, "#{scroll_position}").stdout.strip()
    return int(text) if text else -1


def viewport_truth(target, oy):
    """The daemon's lines of copy mode's viewport at scroll position OY."""
    text = ta.rmux("capture-pane", "-p", "-t", target, "-S", str(-oy),
                   "-E", str(-oy + PANE_ROWS - 1)).stdout.split("\n")
    return [(text[j] if j < len(text) else "").rstrip() for j in range(PANE_ROWS)]


def shows_viewport(target, oy, rows=None):
    """The outer screen shows the viewport at OY (the indicator's corner
    of the top row left out)."""
    want = viewport_truth(target, oy)
    got = rows or ta.screen()
    for j in range(PANE_ROWS):
        w, g = want[j], got[j].rstrip()
        if j == 0:
            # The indicator (and a search's result count) covers the right.
            w, g = w[:ta.W // 2].rstrip(), g[:ta.W // 2].rstrip()
        if w != g:
            return False
    return True


def indicator(rows):
    top = rows[0].rstrip()
    if not top.endswith("]") or "[" not in top:
        return None
    try:
        a, b = top[top.rindex("[") + 1:-1].split("/")
        return int(a), int(b)
    except ValueError:
        return None


def consecutive(rows):
    """The pane's rows are numbers one after the other (seq's output), no
    fetching marker among them; the first number, or None."""
    try:
        nums = [int(r.split()[0]) for r in rows[:PANE_ROWS]]
    except (ValueError, IndexError):
        return None
    if any(nums[j + 1] != nums[j] + 1 for j in range(len(nums) - 1)):
        return None
    return nums[0]


# ---- cases ----

def case_pages():
    """seq 1 20000, the mirror filled, copy mode (vi keys), page up 50 times: each
    page is on the outer screen within 250 ms of its key (a round trip is
    500 ms), whole and in order; once the daemon has caught up the screen
    is its viewport; a search far up lands on the line searched for."""
    new_session("cp")
    ta.rmux("set-option", "-g", "mode-keys", "vi")
    relay = connect("cp", "--delay", str(DELAY), "--loss", str(LOSS))
    target = "cp:0.0"
    try:
        ta.type_line("seq 1 20000")
        ta.wait_for("seq", lambda: any(r.startswith("20000") for r in ta.screen()), limit=90)
        took = wait_mirror(50 * PAGE + 2 * PANE_ROWS)
        print("mirror held %d lines %.1f s after seq ended" % (50 * PAGE + 2 * PANE_ROWS, took))
        ta.outer("send-keys", "C-b", "[")
        ta.wait_for("copy mode", lambda: indicator(ta.screen()) is not None, limit=30)
        entry = ta.screen()
        hsize = indicator(entry)[1]
        first0 = int(entry[0].split()[0])
        times, early = [], 0
        for k in range(1, 51):
            t0 = time.monotonic()
            ta.outer("send-keys", "PPage")
            rows, seen = None, None
            while time.monotonic() < t0 + 3 * RTT + 5:
                rows = ta.screen()
                if indicator(rows) == (k * PAGE, hsize):
                    seen = time.monotonic() - t0
                    break
                time.sleep(0.003)
            ta.expect(seen is not None, "page %d never showed: %r" % (k, rows[0]))
            times.append(seen)
            if scroll_position(target) < k * PAGE:
                early += 1
            ta.expect(not any(FETCHING in r for r in rows), "page %d not mirrored" % k)
            first = consecutive(rows)
            ta.expect(first is not None, "page %d not whole: %r" % (k, rows[:3]))
            want = first0 - k * PAGE
            ta.expect(first == want, "page %d starts at %d, not %d" % (k, first, want))
        print("per page (ms):", " ".join("%.0f" % (t * 1000) for t in times))
        times.sort()
        print("pages on screen after: median %.0f ms, max %.0f ms; %d of 50 before the "
              "daemon had applied them" % (times[25] * 1000, times[-1] * 1000, early))
        ta.expect(times[-1] < LOCAL, "a page took %.0f ms (round trip %.0f ms)" %
                  (times[-1] * 1000, RTT * 1000))
        ta.wait_for("daemon at page 50", lambda: scroll_position(target) == 50 * PAGE)
        ta.wait_for("screen = daemon's viewport",
                    lambda: shows_viewport(target, 50 * PAGE), limit=30)
        # Search up for a number far above: the daemon's search lands on it.
        ta.outer("send-keys", "?")
        ta.wait_for("search prompt", lambda: "(search up)" in ta.screen()[ta.H - 1], limit=30)
        ta.outer("send-keys", "-l", "10007")
        ta.outer("send-keys", "Enter")
        ta.wait_for("found", lambda: any(r.split()[:1] == ["10007"] for r in ta.screen()),
                    limit=30)
        oy = scroll_position(target)
        ta.wait_for("screen = daemon's viewport after search",
                    lambda: shows_viewport(target, scroll_position(target)), limit=30)
        print("search landed at scroll position %d" % oy)
        ta.outer("send-keys", "q")
        ta.wait_for("copy mode left", lambda: indicator(ta.screen()) is None, limit=30)
        ta.detach_check("cp")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def case_wheel():
    """With `mouse on`, the wheel over the pane enters copy mode and
    scrolls, drawn by the client before the daemon can answer."""
    new_session("cw")
    ta.rmux("set-option", "-g", "mouse", "on")
    relay = connect("cw", "--delay", str(DELAY))
    target = "cw:0.0"
    try:
        ta.type_line("seq 1 500")
        ta.wait_for("seq", lambda: any(r.startswith("500") for r in ta.screen()), limit=60)
        wait_mirror(100)
        # Let the mouse mode reach the outer terminal and the daemon's
        # acknowledgement of the typing reach the client (keys in flight
        # stop predictions), then turn the wheel: an SGR report typed into
        # the client's terminal.
        ta.wait_for("mouse on outside", lambda: ta.outer_flag("#{mouse_button_flag}") == "1")
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=30)
        time.sleep(2 * RTT)
        steps = [(0, 0), (5, 0), (10, 0), (5, 1)]
        for want, button in steps:
            t0 = time.monotonic()
            ta.outer("send-keys", "-l", "\033[<%d;10;5M" % (64 + button))
            seen = None
            while time.monotonic() < t0 + 3 * RTT + 5:
                ind = indicator(ta.screen())
                if ind is not None and ind[0] == want:
                    seen = time.monotonic() - t0
                    break
                time.sleep(0.003)
            ta.expect(seen is not None, "the wheel never got to %d" % want)
            ta.expect(seen < LOCAL, "wheel step to %d took %.0f ms" % (want, seen * 1000))
            print("wheel step to %d on screen after %.0f ms" % (want, seen * 1000))
        ta.wait_for("daemon scrolled", lambda: scroll_position(target) == 5)
        ta.wait_for("screen = daemon's viewport", lambda: shows_viewport(target, 5), limit=30)
        ta.outer("send-keys", "q")
        ta.wait_for("copy mode left", lambda: indicator(ta.screen()) is None, limit=30)
        ta.detach_check("cw")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def case_history_native():
    """history-native on: in a single-pane window the lines that scroll
    off are in the outer terminal's own scrollback."""
    new_session("hn")
    ta.rmux("set-option", "-t", "hn", "history-native", "on")
    relay = connect("hn")
    try:
        ta.type_line("seq 1 200")
        ta.wait_for("seq", lambda: any(r.startswith("200") for r in ta.screen()), limit=60)

        def in_scrollback():
            text = ta.outer("capture-pane", "-p", "-S", "-300").split("\n")
            nums = set(t.strip() for t in text)
            return all(str(n) in nums for n in range(1, 200 - PANE_ROWS))
        ta.wait_for("the lines in the outer scrollback", in_scrollback, limit=60)
        ta.wait_for("screen = server", lambda: ta.shows_pane("hn:0.0"), limit=30)
        ta.detach_check("hn")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def cursor_line(rows):
    """The outer screen's row under the cursor."""
    y = int(ta.outer_flag("#{cursor_y}"))
    return rows[y] if 0 <= y < len(rows) else ""


def daemon_buffer():
    """The daemon's newest paste buffer, or None."""
    p = ta.rmux("show-buffer", check=False)
    return p.stdout if p.returncode == 0 else None


def outer_buffer():
    p = subprocess.run(["tmux", "-L", ta.OUTER, "-f", "/dev/null", "show-buffer"],
                       capture_output=True, text=True, timeout=60, env=ta.ENV)
    return p.stdout if p.returncode == 0 else None


def copy_ends(target, what, keys):
    """Outer tmux KEYS end copy mode with a copy: the text reaches the
    outer tmux's clipboard buffer (the client's OSC 52) before the daemon
    has copied it, the daemon copies the same, and the screen ends as the
    daemon's pane. Returns the text."""
    t0 = time.monotonic()
    ta.outer(*keys)
    got, seen = None, None
    while time.monotonic() < t0 + 3 * RTT + 10:
        got = outer_buffer()
        if got:
            seen = time.monotonic() - t0
            break
        time.sleep(0.003)
    ta.expect(got, "nothing reached the outer clipboard")
    early = daemon_buffer() is None
    print("%s to the outer clipboard: %.0f ms (daemon %s)" %
          (what, seen * 1000, "had not copied yet" if early else "had copied already"))
    ta.expect(early, "the daemon had copied before the outer clipboard had the text")
    ta.wait_for("the daemon's copy", lambda: daemon_buffer() is not None, limit=30)
    print("the daemon copied %.0f ms after the key" % ((time.monotonic() - t0) * 1000))
    ta.expect(daemon_buffer() == got, "daemon copied %r, the client %r" % (daemon_buffer(), got))
    ta.wait_for("copy mode left", lambda: indicator(ta.screen()) is None, limit=30)
    ta.wait_for("screen = daemon's pane", lambda: ta.shows_pane(target), limit=30)
    return got


def case_search_copy():
    """seq 1 20000, the whole history mirrored, copy mode (vi keys): `?`
    10007 Enter puts the line 10007 under the cursor on the outer screen
    before the daemon's copy mode has moved (the key is still on its way);
    then a selection and Enter puts the text into the outer tmux's
    clipboard buffer (OSC 52 from the client) before the daemon has
    copied it; the texts are the same and the screen ends as the daemon's
    pane."""
    new_session("cs")
    ta.rmux("set-option", "-g", "mode-keys", "vi")
    relay = connect("cs", "--delay", str(DELAY), "--loss", str(LOSS))
    ta.outer("set", "-s", "set-clipboard", "on")
    target = "cs:0.0"
    try:
        ta.type_line("seq 1 20000")
        ta.wait_for("seq", lambda: any(r.startswith("20000") for r in ta.screen()), limit=90)
        ta.outer("send-keys", "C-b", "[")
        ta.wait_for("copy mode", lambda: indicator(ta.screen()) is not None, limit=30)
        hsize = indicator(ta.screen())[1]
        took = wait_mirror(hsize, limit=400)
        print("mirror held all %d history lines %.1f s after copy mode" % (hsize, took))
        ta.wait_for("screen = daemon's viewport", lambda: shows_viewport(target, 0), limit=30)
        # The daemon's acknowledgement of the entry keys reaches the client.
        time.sleep(2 * RTT)
        oy0 = scroll_position(target)
        ta.outer("send-keys", "?")
        ta.outer("send-keys", "-l", "10007")
        t0 = time.monotonic()
        ta.outer("send-keys", "Enter")
        seen, rows = None, None
        while time.monotonic() < t0 + 3 * RTT + 10:
            rows = ta.screen()
            if cursor_line(rows).split()[:1] == ["10007"]:
                seen = time.monotonic() - t0
                break
            time.sleep(0.003)
        ta.expect(seen is not None, "10007 never under the cursor: %r" % rows[:3])
        early = scroll_position(target) == oy0
        print("search Enter to 10007 under the cursor: %.0f ms (daemon %s)" %
              (seen * 1000, "not there yet" if early else "already there"))
        ta.expect(early, "the daemon's copy mode had moved before the outer screen showed "
                  "the match (%.0f ms)" % (seen * 1000))
        ta.expect(not any(FETCHING in r for r in rows), "fetching rows after the search")
        ta.wait_for("daemon found it", lambda: scroll_position(target) != oy0, limit=30)
        print("the daemon's copy mode moved %.0f ms after the key" %
              ((time.monotonic() - t0) * 1000))
        ta.wait_for("screen = daemon's viewport after search",
                    lambda: shows_viewport(target, scroll_position(target)), limit=30)
        # Select 10007 and the next line, copy.
        ta.expect(daemon_buffer() is None, "a paste buffer before the copy")
        ta.outer("send-keys", "Space")
        ta.outer("send-keys", "j")
        ta.outer("send-keys", "$")
        got = copy_ends(target, "copy Enter", ("send-keys", "Enter"))
        ta.expect(got.startswith("10007\n10008"), "copied %r" % got)
        ta.detach_check("cs")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def case_drag_copy():
    """With `mouse on`, in copy mode: a press, a drag and the release
    (MouseDragEnd1Pane: copy-pipe-and-cancel) put the text dragged over
    into the outer tmux's clipboard before the daemon has copied it; the
    daemon copies the same."""
    new_session("cd")
    ta.rmux("set-option", "-g", "mouse", "on")
    relay = connect("cd", "--delay", str(DELAY), "--loss", str(LOSS))
    ta.outer("set", "-s", "set-clipboard", "on")
    target = "cd:0.0"
    try:
        ta.type_line("seq 1 500")
        ta.wait_for("seq", lambda: any(r.startswith("500") for r in ta.screen()), limit=60)
        wait_mirror(100)
        ta.wait_for("mouse on outside", lambda: ta.outer_flag("#{mouse_button_flag}") == "1")
        ta.outer("send-keys", "C-b", "[")
        ta.wait_for("copy mode", lambda: indicator(ta.screen()) is not None, limit=30)
        ta.wait_for("screen = daemon's viewport", lambda: shows_viewport(target, 0), limit=30)
        time.sleep(2 * RTT)
        ta.expect(daemon_buffer() is None, "a paste buffer before the copy")
        # Rows 3..5 of the pane (SGR reports count from 1), from column 1.
        ta.outer("send-keys", "-l", "\033[<0;1;4M")
        ta.outer("send-keys", "-l", "\033[<32;2;4M")
        ta.outer("send-keys", "-l", "\033[<32;3;6M")
        got = copy_ends(target, "drag release", ("send-keys", "-l", "\033[<0;3;6m"))
        ta.expect(got.count("\n") == 2, "copied %r" % got)
        ta.detach_check("cd")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


CASES = {
    "pages": case_pages,
    "search_copy": case_search_copy,
    "drag_copy": case_drag_copy,
    "wheel": case_wheel,
    "history_native": case_history_native,
}


def main():
    ta.CASES.clear()
    ta.CASES.update(CASES)
    ta.main()


if __name__ == "__main__":
    main()
