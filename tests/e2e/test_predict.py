#!/usr/bin/env python3
"""End-to-end tests of predictive local echo (issue 6): `rmux connect`
runs inside an outer tmux pane and reaches the daemon through the
impairment relay at 300 ms round trip. Keys are typed into the outer pane
with send-keys; the outer pane is sampled with capture-pane and the
daemon's capture-pane is the truth.

Assertions are about order and about what is or is not on the screen at
sampled moments relative to events (a key typed, the daemon having applied
it, its echo on the outer screen); the few times compared are fractions of
the round trip with generous margins, so a loaded machine does not fail
them.

Usage: test_predict.py RMUX CASE RELAY. The harness (outer tmux, relay,
cleanup, sanitizer reports) is test_attach.py's."""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_attach as ta  # noqa: E402  (reads RMUX CASE RELAY from argv)

DELAY = 150           # ms each way through the relay
RTT = 2 * DELAY / 1000.0


def connect(session, *flags, delay=DELAY):
    """The client on SESSION through the relay (DELAY ms each way), with
    FLAGS before the address; waits for the shell prompt."""
    line = ta.rmux("bootstrap", "-t", session).stdout.strip().split()
    ta.expect(line[:2] == ["RMUX", "CONNECT"], "bootstrap said %r" % line)
    relay, port = ta.start_relay(int(line[2]), "--delay", str(delay))
    keyfile = os.path.join(ta.TMP, "key")
    with open(keyfile, "w") as f:
        f.write(line[3])
    ta.start_outer()
    verbose = ["-v"] if os.environ.get("RMUX_TEST_VERBOSE") else []
    ta.type_line("RMUX_KEY=$(cat %s) %s" % (keyfile, ta.client_cmd(
        *(verbose + ["connect"] + list(flags) + ["127.0.0.1", str(port)]))))
    ta.wait_for("attached", ta.attached_ok)
    ta.wait_for("prompt", lambda: ta.is_prompt(ta.screen()[0]), limit=30)
    return relay


def new_session(name):
    ta.rmux("new-session", "-d", "-s", name, "-x", str(ta.W), "-y", str(ta.H))


def server_text(target):
    return ta.rmux("capture-pane", "-p", "-t", target).stdout


def cursor_row(target):
    return int(ta.rmux("display-message", "-p", "-t", target, "#{cursor_y}").stdout)


def quiet_prompt(target):
    """Clear the pane and wait until the outer screen shows the bare prompt
    the daemon has (so every later difference is the typing's)."""
    ta.type_line("clear")
    ta.wait_for("cleared", lambda: server_text(target).strip() in ("$", "#"))
    ta.wait_for("cleared outside", lambda: ta.shows_pane(target))
    # The view that covers Enter (and refutes its guess of a new line, as
    # clear goes home) has surely arrived a round trip later: typing after
    # it starts a new epoch.
    time.sleep(RTT + 0.5)


def warm_up(target, text):
    """Type TEXT and wait for its echo: the epoch after the prompt is then
    confirmed, so what follows on the line is drawn at once."""
    ta.outer("send-keys", "-l", text)
    ta.wait_for("warm-up echo", lambda: text.rstrip() in server_text(target))
    ta.wait_for("warm-up on screen", lambda: ta.shows_pane(target))
    time.sleep(0.2)


def sample(until, interval=0.005):
    """Outer screens (time, rows) until UNTIL (monotonic)."""
    out = []
    while time.monotonic() < until:
        out.append((time.monotonic(), ta.screen()))
        time.sleep(interval)
    return out


# ---- cases ----

def case_typed_word():
    """A word typed after a confirmed epoch is on the outer screen well
    before one round trip (and before the daemon has even applied it, at
    least for its first character); once confirmed the outer screen equals
    the daemon's capture."""
    new_session("pw")
    relay = connect("pw")
    try:
        target = "pw:0.0"
        quiet_prompt(target)
        warm_up(target, "echo ")
        word = "predicted"
        t0 = time.monotonic()
        ta.outer("send-keys", "-l", word)
        first = None
        early = False
        while time.monotonic() < t0 + 3 * RTT + 5:
            srv = server_text(target)
            rows = ta.screen()
            now = time.monotonic()
            if any("echo " + word in r for r in rows):
                first = now - t0
                # The daemon was asked first: a word on the outer screen
                # that the daemon does not have yet is the client's guess.
                early = word not in srv
                break
        ta.expect(first is not None, "the word never showed")
        ta.expect(first < 0.8 * RTT, "the word took %.0f ms (round trip %.0f ms)" %
                  (first * 1000, RTT * 1000))
        print("word visible after %.0f ms (before the daemon had it: %s)" %
              (first * 1000, early))
        # At this round trip unconfirmed guesses are underlined; the
        # underline goes when the server's echo confirms them, and then the
        # screen is the server's.
        esc = ta.outer("capture-pane", "-p", "-e").split("\n")
        ta.expect(any("\x1b[4m" in r and word in r for r in esc),
                  "unconfirmed guesses not underlined: %r" % esc[0])
        ta.wait_for("server applied", lambda: word in server_text(target))

        def confirmed():
            rows = [r for r in ta.outer("capture-pane", "-p", "-e").split("\n") if word in r]
            return rows and "\x1b[4m" not in rows[0]
        t1 = time.monotonic()
        ta.wait_for("confirmed", confirmed, limit=10)
        ta.expect(time.monotonic() - t1 < 2 * RTT + 1.0, "confirmation took %.0f ms" %
                  ((time.monotonic() - t1) * 1000))
        ta.expect(ta.shows_pane(target), "screen differs from the server after confirmation")
        # Run it: the output line and a fresh prompt, as the daemon has them.
        ta.outer("send-keys", "Enter")
        ta.wait_for("output", lambda: any(r.rstrip() == word for r in ta.screen()))
        ta.wait_for("screen = server after Enter", lambda: ta.shows_pane(target), limit=10)
        ta.detach_check("pw")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def case_password():
    """At a password prompt (the terminal's echo off) nothing typed is
    ever shown, neither at once nor after the round trip."""
    new_session("pp")
    relay = connect("pp")
    try:
        target = "pp:0.0"
        quiet_prompt(target)
        # Predictions confirmed on the command line first, so the client is
        # showing them when the prompt comes.
        warm_up(target, "bash --norc --noprofile -c ")
        ta.outer("send-keys", "-l", "'read -s -p Password: pw; echo; echo got=${#pw}'")
        ta.outer("send-keys", "Enter")
        ta.wait_for("prompt", lambda: any(r.startswith("Password:") for r in ta.screen()))
        ta.wait_for("prompt on the server", lambda: "Password:" in server_text(target))
        secret = "hunter2"
        seen = []
        for ch in secret:
            ta.outer("send-keys", "-l", ch)
            for t, rows in sample(time.monotonic() + 0.15):
                line = [r for r in rows if r.startswith("Password:")]
                if line and line[0][len("Password:"):].strip() != "":
                    seen.append(line[0])
        for t, rows in sample(time.monotonic() + 2 * RTT + 0.5):
            line = [r for r in rows if r.startswith("Password:")]
            if line and line[0][len("Password:"):].strip() != "":
                seen.append(line[0])
        ta.expect(not seen, "typed characters shown at the password prompt: %r" % seen[:3])
        ta.outer("send-keys", "Enter")
        ta.wait_for("read done", lambda: "got=%d" % len(secret) in server_text(target))
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        ta.expect(not any(secret in r for r in ta.screen()), "the secret is on the screen")
        ta.detach_check("pp")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def wrong_spells(samples, good, bad_chars, rows):
    """For each sample: whether any of ROWS holds a character of BAD_CHARS
    (which the truth never has there)."""
    return [(t, any(c in r for r in (s[y] for y in rows) for c in bad_chars))
            for t, s in samples]


def case_mispredict():
    """A wrong guess shown is gone within one round trip of the frame that
    refutes it: with `stty olcuc` the terminal echoes letters in upper
    case, so after digits (right, confirming the epoch) typed letters are
    drawn in lower case and then corrected."""
    new_session("pm")
    relay = connect("pm")
    try:
        target = "pm:0.0"
        ta.type_line("stty olcuc")
        quiet_prompt(target)
        warm_up(target, "123")
        t0 = time.monotonic()
        ta.outer("send-keys", "-l", "abc")
        samples = sample(t0 + 3 * RTT + 1.0)
        y = cursor_row(target)
        truth = [t for t, s in samples if "123ABC" in s[y]]
        wrong = [t for t, s in samples if "123a" in s[y] or "123Ab" in s[y] or
                 "123ABc" in s[y]]
        ta.expect(truth, "the echo never came")
        ta.expect(wrong, "the guess was never shown (no misprediction to check)")
        ta.expect(wrong[0] - t0 < 0.8 * RTT, "the guess came after %.0f ms" %
                  ((wrong[0] - t0) * 1000))
        # The refuting frame shows the truth; no wrong letter after it, and
        # certainly none a round trip later.
        late = [t for t in wrong if t > truth[0]]
        ta.expect(not late or late[-1] - truth[0] < RTT,
                  "wrong letters %.0f ms after the refuting frame" %
                  ((late[-1] - truth[0]) * 1000 if late else 0))
        print("guess shown after %.0f ms, refuted after %.0f ms, %d wrong samples after" %
              ((wrong[0] - t0) * 1000, (truth[0] - t0) * 1000, len(late)))
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        # The next letters are not drawn: their epoch is tentative again.
        t1 = time.monotonic()
        ta.outer("send-keys", "-l", "d")
        for t, s in sample(t1 + 2 * RTT):
            ta.expect("123ABCd" not in s[y], "a guess drawn after a refutation")
        ta.wait_for("D echoed", lambda: "123ABCD" in ta.screen()[y])
        ta.outer("send-keys", "C-u")
        ta.type_line("stty -olcuc")
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        ta.detach_check("pm")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def case_vim():
    """vim in normal mode (`jjjkkk`, `dd`): no typed letter is left on the
    text area for longer than a round trip, and the screen ends equal to
    the daemon's. The file has digits only, so any j, k or d in the text
    area is a wrong guess."""
    new_session("pv")
    relay = connect("pv")
    try:
        target = "pv:0.0"
        path = os.path.join(ta.TMP, "digits.txt")
        with open(path, "w") as f:
            for i in range(40):
                f.write("%d\n" % (1000 + i))
        ta.type_line("vim -u NONE -i NONE -N -n %s" % path)
        ta.wait_for("vim", lambda: ta.rmux("display-message", "-p", "-t", target,
                                           "#{alternate_on}").stdout.strip() == "1")
        ta.wait_for("vim on screen", lambda: ta.screen()[0].startswith("1000"))
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        text_rows = range(0, ta.H - 3)  # not vim's command line nor the status
        for keys, check in (("jjjkkk", None), ("dd", "1001")):
            t0 = time.monotonic()
            for k in keys:
                ta.outer("send-keys", "-l", k)
            samples = sample(t0 + 2 * RTT + 1.0)
            bad = [t for t, w in wrong_spells(samples, None, "jkd", text_rows) if w]
            if bad:
                ta.expect(bad[-1] - bad[0] < RTT, "wrong letters on vim's screen for %.0f ms" %
                          ((bad[-1] - bad[0]) * 1000))
            if check is not None:
                ta.wait_for("dd applied", lambda: ta.screen()[0].startswith(check))
            ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        ta.expect(ta.screen()[0].startswith("1001"), "dd did not delete the first line")
        ta.outer("send-keys", "Escape")
        ta.outer("send-keys", "-l", ":q!")
        ta.outer("send-keys", "Enter")
        ta.wait_for("vim quit", lambda: ta.rmux("display-message", "-p", "-t", target,
                                                "#{alternate_on}").stdout.strip() == "0")
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        ta.detach_check("pv")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def never_shown_early(target):
    """Words typed after `echo ` appear only once the daemon has them: each
    sample of the outer screen is followed by a capture of the daemon,
    which must already hold whatever the outer screen showed."""
    quiet_prompt(target)
    warm_up(target, "echo ")
    for word in ("never", "shown"):
        t0 = time.monotonic()
        ta.outer("send-keys", "-l", word)
        shown = None
        while time.monotonic() < t0 + 3 * RTT + 5:
            rows = ta.screen()
            srv = server_text(target)
            y = [r[2:] for r in rows if r[:2] in ("$ ", "# ") and r[2:].startswith("echo")]
            if y and word[0] in y[0][len("echo "):]:
                got = y[0][len("echo "):].rstrip()
                ta.expect(got in srv, "%r shown before the daemon had it" % got)
                if got.endswith(word):
                    shown = time.monotonic() - t0
                    break
        ta.expect(shown is not None, "the echo never came")
        # Echo needs the round trip (less the sampling's own slack).
        ta.expect(shown > 0.8 * RTT, "echo after %.0f ms, under a round trip" %
                  (shown * 1000))
        ta.outer("send-keys", "-l", " ")
    ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)


def case_never():
    """With `--predict never` nothing typed appears before the daemon has
    applied it."""
    new_session("pn")
    relay = connect("pn", "--predict", "never")
    try:
        target = "pn:0.0"
        never_shown_early(target)
        # A bad policy is refused before anything starts.
        p = ta.run_tty([ta.RMUX, "connect", "--predict", "sometimes", "127.0.0.1", "9"])
        ta.expect(p.returncode == 1 and "--predict" in p.stderr, "bad --predict: %r" % p.stderr)
        ta.detach_check("pn")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def case_session_never():
    """The session option `predict never` (no --predict, no $RMUX_PREDICT)
    reaches the client: nothing typed appears before the daemon has it."""
    new_session("ps")
    ta.rmux("set-option", "-g", "predict", "never")
    relay = connect("ps")
    try:
        never_shown_early("ps:0.0")
        ta.detach_check("ps")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def stalled_typing(relay, target, text, line, limit):
    """With the relay stopped (nothing reaches the daemon) type TEXT and
    sample the outer screen until it shows LINE or LIMIT seconds pass; then
    let the relay go on. Returns the escaped rows of the first screen that
    showed it and the time it took, or (None, None)."""
    relay.send_signal(signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        ta.outer("send-keys", "-l", text)
        while time.monotonic() < t0 + limit:
            esc = ta.outer("capture-pane", "-p", "-e").split("\n")
            if any(line in r for r in ta.screen()):
                took = time.monotonic() - t0
                ta.expect(line not in server_text(target), "the daemon had it through a "
                          "stopped relay")
                return esc, took
            time.sleep(0.01)
        return None, None
    finally:
        relay.send_signal(signal.SIGCONT)


def case_session_always():
    """`set -g predict always` at a 10 ms round trip: typed text is drawn
    before the daemon has it (the relay is stopped meanwhile) and not
    underlined (the link is fast). Adaptive would draw it too, but only
    once the echo is PREDICT_GLITCH_MS (250 ms) late, so the text must show
    sooner (the time measured includes sampling, so it can only err long);
    only the first stall counts, as a late echo leaves adaptive showing.
    Switching the option to never on the server takes effect in the
    running client."""
    new_session("pa")
    ta.rmux("set-option", "-g", "predict", "always")
    relay = connect("pa", delay=5)
    try:
        target = "pa:0.0"
        quiet_prompt(target)
        warm_up(target, "echo ")
        typed = "seen"
        esc, took = stalled_typing(relay, target, typed, "echo " + typed, 3.0)
        ta.expect(esc is not None, "no prediction with predict always")
        print("prediction drawn after %.0f ms" % (took * 1000))
        ta.expect(took < 0.25, "drawn no sooner than a late echo would be (%.0f ms)" %
                  (took * 1000))
        ta.expect(not any("\x1b[4m" in r and typed in r for r in esc),
                  "predictions underlined at a fast link: %r" % [r for r in esc if typed in r])
        ta.wait_for("daemon applied", lambda: "echo " + typed in server_text(target))
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        # The next view carries the new option: wait for one (an echo).
        ta.rmux("set-option", "-g", "predict", "never")
        ta.outer("send-keys", "-l", " and")
        ta.wait_for("word applied", lambda: "echo %s and" % typed in server_text(target))
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        time.sleep(0.5)
        esc, _ = stalled_typing(relay, target, " gone", "echo %s and g" % typed, 1.5)
        ta.expect(esc is None, "a prediction drawn after set -g predict never")
        ta.wait_for("echo after the stall", lambda: any("echo %s and gone" % typed in r
                                                        for r in ta.screen()))
        ta.wait_for("screen = server", lambda: ta.shows_pane(target), limit=10)
        ta.detach_check("pa")
    finally:
        relay.send_signal(signal.SIGCONT)
        relay.terminate()
        relay.wait(timeout=10)


CASES = {
    "typed_word": case_typed_word,
    "password": case_password,
    "mispredict": case_mispredict,
    "vim": case_vim,
    "never": case_never,
    "session_never": case_session_never,
    "session_always": case_session_always,
}


def main():
    ta.CASES.clear()
    ta.CASES.update(CASES)
    ta.main()


if __name__ == "__main__":
    main()
