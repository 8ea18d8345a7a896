#!/usr/bin/env python3
"""server_difftest.py — the differential test through the whole server.

Every recorded stream is played by `cat` in a detached 80x24 pane, once in
an rmux server and once in a tmux server (one server each, one session per
stream, all running at once), and `capture-pane -p -S - -E -` of the two
must be the same text, and with -e the same colours and attributes. The
comparison rules and the known-differences list are difftest.py's.

    server_difftest.py --rmux PATH [--tmux PATH] [--known FILE] [STREAM.vt...]

Without streams, every *.vt next to this script. Exit status 0 when all
match (or differ as listed), 1 otherwise."""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difftest  # noqa: E402

WAIT_SECONDS = 60


def run(base, env, *args, check=True):
    p = subprocess.run(base + list(args), capture_output=True, env=env, timeout=60)
    if check and p.returncode != 0:
        raise RuntimeError("%s %s failed: %s" % (base[0], args[:3],
                                                  p.stderr.decode(errors="replace")))
    return p.stdout.decode("utf-8", "surrogateescape")


def capture_all(base, env, streams):
    """Play every stream in its own session of one server; return
    {name: (text, text with -e)}."""
    marker = "rmux-server-difftest-%d" % os.getpid()
    # A server with no session exits at once: the option goes in the
    # same command line as the first session.
    first = ["start-server", ";", "set", "-g", "history-limit", str(difftest.HISTORY), ";"]
    names = []
    for i, stream in enumerate(streams):
        name = "s%d" % i
        # Raw mode passes the recorded bytes on unchanged; CAN ends any
        # sequence left open, and the title set last says all was read.
        cmd = ("stty raw -echo; cat '%s'; printf '\\030\\033]2;%s\\007'; exec sleep 1000"
               % (stream.replace("'", "'\\''"), marker))
        run(base, env, *(first + ["new-session", "-d", "-s", name, "-x", str(difftest.COLS),
                                   "-y", str(difftest.ROWS), cmd]))
        first = []
        names.append(name)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        titles = run(base, env, "list-panes", "-a", "-F",
                     "#{session_name} #{pane_title}").splitlines()
        done = sum(1 for t in titles if t.endswith(" " + marker))
        if done == len(names):
            break
        if time.monotonic() > deadline:
            raise RuntimeError("%s: only %d of %d streams consumed in %d s" %
                               (base[0], done, len(names), WAIT_SECONDS))
        time.sleep(0.1)
    out = {}
    for name in names:
        out[name] = tuple(run(base, env, "capture-pane", "-p", "-S", "-", "-E", "-", "-t",
                              name + ":", *flags) for flags in ([], ["-e"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rmux", required=True)
    ap.add_argument("--tmux", default="tmux")
    ap.add_argument("--known")
    ap.add_argument("streams", nargs="*")
    opts = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    streams = opts.streams or sorted(glob.glob(os.path.join(here, "*.vt")))
    known = difftest.load_known(opts.known or os.path.join(here, "known-differences.txt"))

    tmp = tempfile.mkdtemp(prefix="rmux-sdiff-")
    env = dict(os.environ, LANG="C.UTF-8", SHELL="/bin/sh", RMUX_TMPDIR=tmp)
    env.pop("RMUX", None)
    env.pop("RMUX_PANE", None)
    env.pop("TMUX", None)
    sock = "sdiff%d" % os.getpid()
    rbase = [opts.rmux, "-L", sock, "-f", "/dev/null"]
    tbase = [opts.tmux, "-L", sock, "-f", "/dev/null"]
    t0 = time.monotonic()
    try:
        ours = capture_all(rbase, env, streams)
        theirs = capture_all(tbase, env, streams)
    finally:
        subprocess.run(rbase + ["kill-server"], capture_output=True, env=env)
        subprocess.run(tbase + ["kill-server"], capture_output=True, env=env)
        shutil.rmtree(tmp, ignore_errors=True)

    failed = []
    for i, stream in enumerate(streams):
        name = os.path.basename(stream)[:-3] if stream.endswith(".vt") else stream
        got, got_e = ours["s%d" % i]
        want, want_e = theirs["s%d" % i]
        if not difftest.compare(want, got):
            print("MISMATCH %s (server)" % name)
            difftest.show_diff(name, "server", want, got)
            bad = True
        elif not difftest.same_styled(difftest.styled(want_e), difftest.styled(got_e)):
            print("MISMATCH %s (server): same text, different colours or attributes" % name)
            difftest.show_styled_diff(name, "server", difftest.styled(want_e),
                                      difftest.styled(got_e))
            bad = True
        else:
            bad = False
        if not bad:
            print("ok %s" % name)
        elif name in known:
            print("KNOWN %s: %s" % (name, known[name]))
        else:
            failed.append(name)
    print("%d streams through both servers in %.1f s" % (len(streams), time.monotonic() - t0))
    if failed:
        print("FAILED: " + " ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
