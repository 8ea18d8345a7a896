#!/usr/bin/env python3
"""End-to-end tests of the history channel (issue 7): `rmux connect` runs
inside an outer tmux pane and reaches the daemon through the impairment
relay; the client's history mirror is read through its test hook
($RMUX_MIRROR_DUMP names a file, SIGUSR1 writes the mirror there) and
compared with the daemon's history (capture-pane -p -S -).

Cases:
  converge  500 ms round trip, 10% loss: after `seq 1 20000` the mirror
            holds exactly the daemon's history; prints how long the newest
            2000 lines took.
  blackout  a 5 s blackout in the middle of the stream: the mirror still
            ends equal to the history, no gaps, no line twice.
  limit     client-history-limit 1000: no dump ever shows more than 1000
            lines of a pane, and at the end it holds the newest 1000.
  live      while the stream runs, a typed command's output reaches the
            outer screen before the stream is done.
  want      copy mode at the top of the history: those lines come before
            the rest of the stream.
  clear     CSI 3 J: a new generation; the old lines leave the mirror, new
            ones come.

Usage: test_history.py RMUX CASE RELAY. The harness (outer tmux, relay,
cleanup, sanitizer reports) is test_attach.py's."""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_attach as ta  # noqa: E402  (reads RMUX CASE RELAY from argv)

DUMP = os.path.join(ta.TMP, "mirror")
SEQ = 20000


def connect(session, *impair):
    """The client on SESSION through the relay with IMPAIR, its mirror dump
    hook on; waits for the shell prompt. Returns the relay."""
    line = ta.rmux("bootstrap", "-t", session).stdout.strip().split()
    ta.expect(line[:2] == ["RMUX", "CONNECT"], "bootstrap said %r" % line)
    relay, port = ta.start_relay(int(line[2]), *impair)
    keyfile = os.path.join(ta.TMP, "key")
    with open(keyfile, "w") as f:
        f.write(line[3])
    ta.start_outer()
    ta.type_line("RMUX_MIRROR_DUMP=%s RMUX_KEY=$(cat %s) %s" % (
        DUMP, keyfile, ta.client_cmd("connect", "127.0.0.1", str(port))))
    ta.wait_for("attached", ta.attached_ok)
    ta.wait_for("prompt", lambda: ta.is_prompt(ta.screen()[0]), limit=60)
    return relay


def new_session(name, *options):
    ta.rmux("new-session", "-d", "-s", name, "-x", str(ta.W), "-y", str(ta.H))
    for o in options:
        ta.rmux("set-option", "-t", name, *o)


def dump():
    """The mirror: {pane: (gen, count, lowest, highest, {line: text})}."""
    if os.path.exists(DUMP):
        os.unlink(DUMP)
    os.kill(ta.client_pid(), signal.SIGUSR1)
    ta.wait_for("mirror dump", lambda: os.path.exists(DUMP), limit=20)
    panes, cur = {}, None
    with open(DUMP) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("pane "):
                w = line.split()
                cur = {}
                panes[int(w[1])] = (int(w[3]), int(w[5]), int(w[7]), int(w[9]), cur)
                continue
            num, _, text = line.partition(" ")
            ta.expect(int(num) not in cur, "line %s twice in the dump" % num)
            cur[int(num)] = text
    return panes


def pane_id(target):
    return int(ta.rmux("display-message", "-p", "-t", target, "#{pane_id}").stdout.strip()[1:])


def server_history(target):
    """The daemon's history lines (trailing blanks cut), oldest first."""
    size = int(ta.rmux("display-message", "-p", "-t", target, "#{history_size}").stdout)
    cap = ta.rmux("capture-pane", "-p", "-S", "-", "-t", target).stdout.split("\n")
    return [l.rstrip() for l in cap[:size]]


def seq_done(target):
    return any(l.rstrip() == str(SEQ) for l in
               ta.rmux("capture-pane", "-p", "-t", target).stdout.split("\n"))


def run_seq(target):
    ta.type_line("seq 1 %d" % SEQ)
    ta.wait_for("seq done", lambda: seq_done(target), limit=120)


def mirror_lines(panes, pid):
    """The held lines of pane PID in order, and whether they are
    consecutive (no gap)."""
    if pid not in panes:
        return [], True
    gen, count, lo, hi, lines = panes[pid]
    ta.expect(count == len(lines), "count %d but %d lines dumped" % (count, len(lines)))
    nums = sorted(lines)
    gapless = not nums or (nums[0] == lo and nums[-1] == hi and hi - lo + 1 == len(nums))
    return [lines[n] for n in nums], gapless


def converged(target, pid, limit=None):
    """The mirror of PID equals the daemon's history (its newest LIMIT
    lines when given)."""
    want = server_history(target)
    if limit is not None:
        want = want[-limit:]
    got, gapless = mirror_lines(dump(), pid)
    return gapless and got == want


def newest_held(target, pid, n):
    """The mirror holds the daemon's newest N history lines, consecutive."""
    panes = dump()
    if pid not in panes:
        return False
    gen, count, lo, hi, lines = panes[pid]
    if any(l not in lines for l in range(hi - n + 1, hi + 1)):
        return False
    return [lines[l] for l in range(hi - n + 1, hi + 1)] == server_history(target)[-n:]


def finish(relay):
    relay.terminate()
    relay.wait(timeout=10)


# ---- cases ----

def case_converge():
    new_session("hc")
    relay = connect("hc", "--delay", "250", "--loss", "10")
    try:
        target = "hc:0.0"
        pid = pane_id(target)
        t0 = time.monotonic()
        run_seq(target)
        tdone = time.monotonic() - t0
        ta.wait_for("newest 2000 lines mirrored", lambda: newest_held(target, pid, 2000), limit=240)
        t2000 = time.monotonic() - t0
        ta.wait_for("mirror = history", lambda: converged(target, pid), limit=280)
        tall = time.monotonic() - t0
        size = len(server_history(target))
        ta.expect(size > SEQ - ta.H, "history holds %d lines" % size)
        print("500 ms RTT, 10%% loss: newest 2000 lines mirrored %.1f s after seq was typed "
              "(its output complete on the daemon at %.1f s), all %d lines %.1f s" %
              (t2000, tdone, size, tall))
        ta.converges(target)
    finally:
        finish(relay)


BLACKOUT_EVERY = 10.0  # s: a 5 s blackout starts every 10 s of the relay's life
BLACKOUT_LEN = 5.0


def case_blackout():
    new_session("hb")
    script = []
    for i in range(1, 13):
        script += ["--blackout-at", "%d:%d" % (i * BLACKOUT_EVERY * 1000, BLACKOUT_LEN * 1000)]
    t0 = time.monotonic()
    relay = connect("hb", "--delay", "250", "--loss", "10", *script)
    try:
        target = "hb:0.0"
        pid = pane_id(target)
        run_seq(target)
        # Into the middle of the next blackout: the mirror must be
        # incomplete there (the stream is cut off mid-way).
        k = int((time.monotonic() - t0) // BLACKOUT_EVERY) + 1
        while time.monotonic() - t0 < k * BLACKOUT_EVERY + BLACKOUT_LEN / 2:
            time.sleep(0.1)
        held = len(mirror_lines(dump(), pid)[0])
        size = len(server_history(target))
        print("mirror held %d of %d lines in the blackout at %d s" %
              (held, size, k * BLACKOUT_EVERY))
        ta.expect(held < size, "the stream finished before the blackout")
        ta.wait_for("mirror = history after the blackouts", lambda: converged(target, pid),
                    limit=280)
        ta.converges(target, limit=60)
    finally:
        finish(relay)


def case_limit():
    new_session("hl", ("client-history-limit", "1000"))
    relay = connect("hl", "--delay", "50", "--loss", "5")
    try:
        target = "hl:0.0"
        pid = pane_id(target)
        ta.type_line("seq 1 %d" % SEQ)
        most = 0
        end = time.monotonic() + 240
        while time.monotonic() < end:
            panes = dump()
            if pid in panes:
                gen, count, lo, hi, lines = panes[pid]
                ta.expect(count <= 1000 and len(lines) <= 1000,
                          "the mirror holds %d lines" % count)
                ta.expect(hi - lo < 1000, "lines %d..%d held" % (lo, hi))
                most = max(most, count)
            if seq_done(target) and converged(target, pid, limit=1000):
                break
            time.sleep(0.3)
        ta.expect(converged(target, pid, limit=1000), "the mirror never held the newest 1000")
        gen, count, lo, hi, lines = dump()[pid]
        ta.expect(count == 1000, "holds %d lines at the end" % count)
        ta.expect(lines[hi] == server_history(target)[-1], "newest held %r" % lines[hi])
        print("at most %d lines held during the stream; at the end lines %d..%d" % (most, lo, hi))
    finally:
        finish(relay)


def case_live():
    new_session("hv")
    relay = connect("hv", "--delay", "250", "--loss", "10")
    try:
        target = "hv:0.0"
        pid = pane_id(target)
        run_seq(target)
        ta.converges(target, limit=60)
        ta.type_line("echo live-$((6*7))")
        ta.wait_for("live echo", lambda: any(r.rstrip() == "live-42" for r in ta.screen()),
                    limit=60)
        got, _ = mirror_lines(dump(), pid)
        size = len(server_history(target))
        print("live echo shown with %d of %d history lines mirrored" % (len(got), size))
        ta.expect(len(got) < size - 1000, "the history stream was not running any more")
        ta.wait_for("mirror = history", lambda: converged(target, pid), limit=280)
    finally:
        finish(relay)


def case_clear():
    """CSI 3 J clears the daemon's history: a new generation, the client
    drops the old lines, and the new ones fill it again."""
    new_session("hx")
    relay = connect("hx", "--delay", "20")
    try:
        target = "hx:0.0"
        pid = pane_id(target)
        ta.type_line("seq 1 3000")
        ta.wait_for("mirror = history", lambda: seq_done_n(target, 3000) and
                    converged(target, pid), limit=120)
        gen0 = dump()[pid][0]
        ta.type_line("printf '\\033[3J'")
        ta.wait_for("history cleared", lambda: ta.rmux(
            "display-message", "-p", "-t", target, "#{history_size}").stdout.strip() == "0")

        def dropped():
            panes = dump()
            return pid not in panes or (panes[pid][0] > gen0 and
                                        all(not t.isdigit() for t in panes[pid][4].values()))
        ta.wait_for("old lines dropped", dropped, limit=60)
        ta.type_line("seq 101 160")
        ta.wait_for("new lines mirrored", lambda: seq_done_n(target, 160) and
                    converged(target, pid), limit=60)
        ta.expect(dump()[pid][0] > gen0, "the generation did not change")
    finally:
        finish(relay)


def case_want():
    """Copy mode at the top of a long history: the client wants its
    viewport, and the daemon sends those lines ahead of the rest of the
    stream (500 ms round trip, 10% loss)."""
    new_session("hw")
    relay = connect("hw", "--delay", "250", "--loss", "10")
    try:
        target = "hw:0.0"
        pid = pane_id(target)
        run_seq(target)
        ta.rmux("copy-mode", "-t", target)
        ta.rmux("send-keys", "-t", target, "-X", "history-top")
        # The viewport's page and the page below it (the daemon sends
        # those first; a page is the pane's height).
        rows = int(ta.rmux("display-message", "-p", "-t", target, "#{pane_height}").stdout)
        want = server_history(target)[:2 * rows]

        def top_held():
            got, _ = mirror_lines(dump(), pid)
            return got[:len(want)] == want and len(got)
        held = ta.wait_for("the top pages mirrored", top_held, limit=120)
        size = len(server_history(target))
        print("top of the history mirrored with %d of %d lines held" % (held, size))
        ta.expect(held < size // 2, "the top came no sooner than the rest")
        ta.rmux("send-keys", "-t", target, "-X", "cancel")
        ta.wait_for("mirror = history", lambda: converged(target, pid), limit=280)
    finally:
        finish(relay)


def seq_done_n(target, n):
    return any(l.rstrip() == str(n) for l in
               ta.rmux("capture-pane", "-p", "-t", target).stdout.split("\n"))


CASES = {
    "clear": case_clear,
    "want": case_want,
    "converge": case_converge,
    "blackout": case_blackout,
    "limit": case_limit,
    "live": case_live,
}

if __name__ == "__main__":
    ta.CASES.clear()
    ta.CASES.update(CASES)
    ta.main()
