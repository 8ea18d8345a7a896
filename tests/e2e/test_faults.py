#!/usr/bin/env python3
"""Fault cases of the rmux daemon: what tests/e2e/e2e.py does not cover
already (garbage on the control socket, SIGTERM and a stale socket file
are there; file descriptors exhausted is elsewhere).

Usage: test_faults.py RMUX CASE. Each case runs on its own socket
directory (RMUX_TMPDIR, set up by e2e.py), kills every server it started
at the end even on failure, and checks that no daemon left a sanitizer
report behind."""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402  (reads RMUX CASE from argv)
from e2e import ENV, NAME, RMUX, SOCKDIR, TMP, expect, rmux, wait_for  # noqa: E402

SOCKET = os.path.join(SOCKDIR, NAME)
# Daemons started by a case, killed by pid at the end whatever happens.
DAEMONS = set()


def server_pid():
    pid = int(rmux("display-message", "-p", "#{pid}").stdout)
    DAEMONS.add(pid)
    return pid


def gone(pid):
    """The process is gone or a zombie nobody reaped yet."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def socket_identity():
    """Inode numbers are reused at once after an unlink; with the change
    time they tell a new socket file from the old one."""
    st = os.stat(SOCKET)
    return (st.st_ino, st.st_ctime_ns)


def daemons_on_socket():
    """Live processes running RMUX whose command line names our socket:
    after every command line has returned, only daemons remain."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            exe = os.readlink("/proc/%s/exe" % d)
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if exe == os.path.realpath(RMUX) and NAME.encode() in argv and not gone(int(d)):
            found.append(int(d))
    return found


# ---- cases ----

def case_crashed_daemon():
    """A daemon killed by SIGKILL leaves its socket file behind: commands
    say no server runs, the panes it had get SIGHUP from their terminal,
    and the next server replaces the socket cleanly."""
    rmux("new-session", "-d", "-s", "old", "trap 'echo hup > %s/hup; exit' HUP; "
         "while :; do sleep 0.1; done" % TMP)
    pane = int(rmux("display-message", "-p", "-t", "old", "#{pane_pid}").stdout)
    pid = server_pid()
    ino = socket_identity()
    os.kill(pid, signal.SIGKILL)
    wait_for("daemon gone", lambda: gone(pid))
    expect(os.path.exists(SOCKET), "a killed daemon cannot remove its socket")
    p = rmux("ls", check=False)
    expect(p.returncode == 1 and "no server running" in p.stderr, p.stderr)
    wait_for("orphaned pane got SIGHUP", lambda: os.path.exists(os.path.join(TMP, "hup")))
    wait_for("orphaned pane gone", lambda: gone(pane))
    rmux("new-session", "-d", "-s", "new", "cat")
    pid2 = server_pid()
    expect(pid2 != pid, "same daemon pid after a crash")
    expect(socket_identity() != ino, "socket file not replaced")
    ls = rmux("ls", "-F", "#{session_name}").stdout.split()
    expect(ls == ["new"], "sessions after the crash: %r" % ls)
    expect(daemons_on_socket() == [pid2], "daemons %r" % daemons_on_socket())


def case_second_daemon():
    """Eight command lines started at once on a fresh socket make one daemon
    (the others are refused and join it); later command lines never
    replace a live daemon's socket."""
    os.makedirs(SOCKDIR, 0o700, exist_ok=True)
    procs = [subprocess.Popen([RMUX, "-L", NAME, "-f", "/dev/null", "new-session", "-d",
                               "-s", "s%d" % i, "cat"], env=ENV, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(8)]
    for i, p in enumerate(procs):
        out, err = p.communicate(timeout=60)
        expect(p.returncode == 0, "start %d failed (%d): %s" % (i, p.returncode, err))
    ls = sorted(rmux("ls", "-F", "#{session_name}").stdout.split())
    expect(ls == ["s%d" % i for i in range(8)], "sessions %r" % ls)
    pids = {int(rmux("display-message", "-p", "-t", "s%d" % i, "#{pid}").stdout)
            for i in range(8)}
    DAEMONS.update(pids)
    expect(len(pids) == 1, "sessions in %d daemons" % len(pids))
    pid = pids.pop()
    expect(daemons_on_socket() == [pid], "daemons %r" % daemons_on_socket())
    ino = socket_identity()
    # More servers asked for, one after the other and at once.
    rmux("start-server", check=False)
    rmux("new-session", "-d", "-s", "late", "cat")
    procs = [subprocess.Popen([RMUX, "-L", NAME, "-f", "/dev/null", "new-session", "-d",
                               "cat"], env=ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for i in range(4)]
    for p in procs:
        expect(p.wait(timeout=60) == 0, "late start failed")
    expect(server_pid() == pid, "a second daemon answers")
    expect(socket_identity() == ino, "the live socket was replaced")
    expect(daemons_on_socket() == [pid], "daemons %r" % daemons_on_socket())
    expect(len(rmux("ls").stdout.splitlines()) == 13, "sessions lost")


def cleanup():
    e2e.cleanup()
    for pid in DAEMONS:
        deadline = time.monotonic() + 10
        while not gone(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not gone(pid):
            os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(e2e.run_case(globals(), cleanup))
