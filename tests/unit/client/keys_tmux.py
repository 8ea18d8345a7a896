#!/usr/bin/env python3
"""keys_tmux.py — rmux's key input decoder against a real terminal: runs
tests/tools/keys_demo inside a detached tmux pane (TERM=tmux-256color),
types keys with `tmux send-keys`, pastes with `set-buffer` + `paste-buffer
-p`, and checks the decoded names the demo logs (and shows on the pane).
Once in normal mode and once in application cursor/keypad mode.

Usage: keys_tmux.py PATH/TO/keys_demo"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_pane import expect, tmux  # noqa: E402
import tmux_pane  # noqa: E402

DEMO = os.path.abspath(sys.argv[1])


class Log:
    def __init__(self, path):
        self.path = path
        self.seen = 0

    def lines(self):
        try:
            with open(self.path) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def next(self, count, timeout=15.0):
        """The next COUNT lines the demo logs."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = self.lines()
            if len(got) >= self.seen + count:
                new = got[self.seen:self.seen + count]
                self.seen += count
                return new
            time.sleep(0.02)
        got = self.lines()[self.seen:]
        self.seen += len(got)
        return got

    def wait_for(self, line, timeout=15.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = self.lines()
            if line in got[self.seen:]:
                self.seen = got.index(line, self.seen) + 1
                return True
            time.sleep(0.02)
        return False


def keys(log, sent, want):
    tmux("send-keys", "-t", "demo", *sent)
    got = log.next(len(want))
    expect(got == want, "send-keys %r: logged %r, want %r" % (sent, got, want))


def run(app):
    log_path = tempfile.mktemp(suffix=".log")
    tag = "app" if app else "normal"
    tmux_pane.new_session(100, 30, "'%s' '%s'%s; echo exited $?; sleep 60"
                          % (DEMO, log_path, " -a" if app else ""))
    log = Log(log_path)
    try:
        if not log.wait_for("ready"):
            raise RuntimeError("%s: the demo did not start: %r" % (tag, log.lines()))
        first = log.lines()[0].split()
        expect(first[0] == "terminfo" and int(first[1]) >= 20,
               "%s: terminfo keys of tmux-256color: %r" % (tag, first))
        # The queries it sent at start: tmux answers DA1 and the position
        # (row 2: below the line that says how many terminfo keys it has).
        got = log.next(2)
        expect(len(got) == 2 and got[0].startswith("reply 1 ") and
               got[1].startswith("reply 3 2 1 "), "%s: replies %r" % (tag, got))
        keys(log, ["Up"], ["key Up"])
        keys(log, ["C-Left", "F5", "M-x"], ["key C-Left", "key F5", "key M-x"])
        keys(log, ["S-F3", "C-M-Right", "BTab", "F12", "Home", "End", "NPage", "DC"],
             ["key S-F3", "key C-M-Right", "key BTab", "key F12", "key Home", "key End",
              "key NPage", "key DC"])
        keys(log, ["C-a", "BSpace", "Enter", "M-Up", "C-F1"],
             ["key C-a", "key BSpace", "key Enter", "key M-Up", "key C-F1"])
        tmux("send-keys", "-t", "demo", "-l", "h\u00e9\u4e2d")
        got = log.next(3)
        expect(got == ["key h", "key \u00e9", "key \u4e2d"], "%s: UTF-8 keys %r" % (tag, got))
        if app:
            keys(log, ["KP5", "KPEnter", "KP*"], ["key KP5", "key KPEnter", "key KP*"])
        # A bracketed paste: one item with the raw bytes, ESC kept.
        text = "hello \x1b[A world\nline 2 \u00e9" + "x" * 3000
        tmux("set-buffer", "-b", "k", text)
        tmux("paste-buffer", "-p", "-b", "k", "-t", "demo")
        got = log.next(1)
        # paste-buffer turns newlines into carriage returns (no -r).
        sent = text.replace("\n", "\r").encode()
        shown = b"".join(("\\x%02x" % b).encode() if b < 0x20 or b == 0x7f or b == 0x5c
                         else bytes([b]) for b in sent).decode()
        want = "paste %d %s" % (len(sent), shown)
        expect(got == [want], "%s: paste logged %r, want %r" % (tag, got, [want]))
        # A lone Escape waits for escape-time (500 ms) before it is a key.
        t0 = time.monotonic()
        tmux("send-keys", "-t", "demo", "Escape")
        got = log.next(1)
        waited = time.monotonic() - t0
        expect(got == ["key Escape"], "%s: Escape logged %r" % (tag, got))
        expect(waited >= 0.45, "%s: Escape came after %.3f s, before escape-time" % (tag, waited))
        # Ctrl-^ Ctrl-^ is one Ctrl-^; Ctrl-^ . quits.
        keys(log, ["C-^", "C-^", "z"], ["key C-^", "key z"])
        keys(log, ["C-^", "."], ["quit"])
        end = time.monotonic() + 10
        screen = ""
        while time.monotonic() < end:
            screen = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "demo")
            if "exited" in screen:
                break
            time.sleep(0.05)
        expect("exited 0" in screen, "%s: demo did not exit cleanly: %r" % (tag, screen))
        # What a person saw on the pane: the same lines.
        for line in ("key C-Left", "key M-x", "key F5", "quit"):
            expect(line in screen.splitlines(), "%s: %r not on the pane" % (tag, line))
    finally:
        tmux("kill-session", "-t", "demo", check=False)
        if os.path.exists(log_path):
            os.unlink(log_path)


def main():
    def body():
        run(False)
        run(True)
    return tmux_pane.main("keys", body, "ok: keys, paste, Escape timing, replies and "
                          "Ctrl-^ decoded in a real terminal")


if __name__ == "__main__":
    sys.exit(main())
