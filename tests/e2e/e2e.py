#!/usr/bin/env python3
"""End-to-end tests of the rmux daemon through its command line.

Usage: e2e.py RMUX CASE. Each case runs on its own socket directory
(RMUX_TMPDIR) and socket name, kills its server at the end even on failure,
and checks that the daemon left no sanitizer report behind. Waits poll with
generous limits so that slow machines pass too."""
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

RMUX = sys.argv[1]
CASE = sys.argv[2]
TMP = tempfile.mkdtemp(prefix="rmux-e2e-")
NAME = "test%d" % os.getpid()
ENV = dict(os.environ)
ENV["RMUX_TMPDIR"] = TMP
ENV["LANG"] = "C.UTF-8"
ENV["SHELL"] = "/bin/sh"
ENV.pop("RMUX", None)
ENV.pop("RMUX_PANE", None)
ASAN_DIR = os.path.join(TMP, "asan")
os.mkdir(ASAN_DIR)
ENV["ASAN_OPTIONS"] = (ENV.get("ASAN_OPTIONS", "") +
                       ":log_path=" + os.path.join(ASAN_DIR, "report")).lstrip(":")
SOCKDIR = os.path.join(TMP, "rmux-%d" % os.getuid())


def rmux(*args, check=True, timeout=60):
    p = subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null"] + list(args), env=ENV,
                       capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("rmux %s failed (%d): %s" % (args, p.returncode, p.stderr))
    return p


def tmux(name, *args):
    p = subprocess.run(["tmux", "-L", name, "-f", "/dev/null"] + list(args),
                       capture_output=True, text=True, timeout=60,
                       env=dict(ENV, SHELL="/bin/sh"))
    if p.returncode != 0:
        raise AssertionError("tmux %s failed: %s" % (args, p.stderr))
    return p


def wait_for(what, pred, limit=30.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def server_alive():
    return rmux("ls", check=False).returncode == 0


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


# ---- cases ----

GEOMETRY_SCRIPT = [
    ["new-session", "-d", "-s", "g", "-x", "120", "-y", "40"],
    ["split-window", "-h", "-t", "g"],
    ["split-window", "-v", "-t", "g"],
    ["split-window", "-h", "-l", "10", "-t", "g"],
    ["select-pane", "-t", "g:0.0"],
    ["split-window", "-v", "-p", "30", "-t", "g"],
    ["new-window", "-t", "g"],
    ["split-window", "-v", "-l", "30%", "-t", "g"],
    ["split-window", "-h", "-b", "-t", "g"],
    ["kill-pane", "-t", "g:1.0"],
]
GEOMETRY_FORMAT = ("#{window_index}.#{pane_index} #{pane_left},#{pane_top} "
                   "#{pane_width}x#{pane_height} #{pane_active} #{window_layout}")


def case_geometry():
    """Nested splits give the same rectangles and layout strings as tmux."""
    tname = "rmuxe2e%d" % os.getpid()
    try:
        for cmd in GEOMETRY_SCRIPT:
            rmux(*(cmd + ["sleep 1000"] if cmd[0] in ("new-session", "split-window",
                                                    "new-window") else cmd))
            tmux(tname, *(cmd + ["sleep 1000"] if cmd[0] in ("new-session", "split-window",
                                                         "new-window") else cmd))
        ours = rmux("list-panes", "-s", "-t", "g", "-F", GEOMETRY_FORMAT).stdout
        theirs = tmux(tname, "list-panes", "-s", "-t", "g", "-F", GEOMETRY_FORMAT).stdout
        expect(ours == theirs, "geometry differs:\nrmux:\n%s\ntmux:\n%s" % (ours, theirs))
        expect(len(ours.splitlines()) == 7, "expected 7 panes, got:\n" + ours)
        ours = rmux("list-windows", "-t", "g", "-F", "#{window_index} #{window_panes} "
                    "#{window_width}x#{window_height} #{window_active}").stdout
        theirs = tmux(tname, "list-windows", "-t", "g", "-F", "#{window_index} "
                      "#{window_panes} #{window_width}x#{window_height} #{window_active}").stdout
        expect(ours == theirs, "windows differ:\n%s\n%s" % (ours, theirs))
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


def case_send_capture():
    """Keys typed with send-keys reach the program; capture-pane shows it."""
    # Two arguments: executed directly, so the pane's command is cat itself.
    rmux("new-session", "-d", "-s", "k", "-x", "80", "-y", "24", "cat", "-")
    rmux("send-keys", "-t", "k", "hello world", "Enter")
    rmux("send-keys", "-t", "k:0.0", "-l", "literal;Enter")
    rmux("send-keys", "-t", "k", "C-m")
    out = wait_for("echo of typed lines", lambda: (
        lambda t: t if t.count("hello world") == 2 and t.count("literal;Enter") == 2
        else None)(rmux("capture-pane", "-p", "-t", "k").stdout))
    lines = out.split("\n")
    expect(lines[:4] == ["hello world", "hello world", "literal;Enter", "literal;Enter"],
           "unexpected screen: %r" % lines[:6])
    expect(len(lines) == 25 and lines[24] == "", "capture has 24 lines: %d" % len(lines))
    pid = rmux("display-message", "-p", "-t", "k", "#{pane_pid}").stdout.strip()
    expect(pid.isdigit() and os.path.exists("/proc/" + pid), "pane_pid %r" % pid)
    env = rmux("display-message", "-p", "-t", "k",
               "#{cursor_x},#{cursor_y} #{pane_current_command}").stdout.strip()
    expect(env == "0,4 cat", "cursor/command: %r" % env)


def case_environment():
    """A pane sees TERM, COLORTERM, RMUX and RMUX_PANE; one string runs via sh -c."""
    rmux("new-session", "-d", "-s", "e", "-x", "100", "-y", "10",
         "echo \"T=$TERM C=$COLORTERM P=$RMUX_PANE R=$RMUX\"; exec cat")
    out = wait_for("environment line", lambda: (
        lambda t: t if "T=" in t else None)(rmux("capture-pane", "-p", "-t", "e").stdout))
    pane = rmux("display-message", "-p", "-t", "e", "#{pane_id}").stdout.strip()
    pid = rmux("display-message", "-p", "#{pid}").stdout.strip()
    line = out.split("\n")[0]
    expect(" C=truecolor " in line, line)
    expect(" P=%s " % pane in line, line)
    expect(line.split(" R=")[1] == "%s/%s,%s,0" % (SOCKDIR, NAME, pid), line)
    expect(line.startswith("T=tmux-256color") or line.startswith("T=screen-256color"), line)
    # Several arguments are executed directly: no shell splits "a b".
    rmux("new-window", "-t", "e", "env", "A=a  b", "sh", "-c", 'echo "[$A]"; exec cat')
    wait_for("env output", lambda: "[a  b]" in rmux("capture-pane", "-p", "-t", "e:1").stdout)
    cmd = rmux("display-message", "-p", "-t", "e:1", "#{pane_current_command}").stdout
    expect(cmd == "cat\n", "pane_current_command %r" % cmd)


def case_history():
    """seq 1 100000 with a big history: capture -S - -E - has every line in order."""
    rmux("new-session", "-d", "-s", "h", "-x", "80", "-y", "24", "cat")
    rmux("set-option", "-g", "history-limit", "200000")
    rmux("split-window", "-t", "h", "seq 1 100000; exec cat")
    rmux("kill-pane", "-t", "h:0.0")
    rmux("resize-pane", "-t", "h", "-Z", check=False)
    wait_for("seq to finish", lambda: rmux(
        "display-message", "-p", "-t", "h", "#{history_size}").stdout.strip() != "" and int(
        rmux("display-message", "-p", "-t", "h", "#{history_size}").stdout) >= 100000 - 24)
    out = rmux("capture-pane", "-p", "-S", "-", "-E", "-", "-t", "h").stdout
    nums = [l for l in out.split("\n") if l != ""]
    expect(nums == [str(i) for i in range(1, 100001)],
           "history lines differ: %d lines, first %r last %r" % (len(nums), nums[:2], nums[-2:]))
    limit = rmux("display-message", "-p", "-t", "h", "#{history_limit}").stdout.strip()
    expect(limit == "200000", "history_limit " + limit)


def case_errors():
    """Messages and exit statuses as tmux gives them."""
    p = rmux("ls", check=False)
    expect(p.returncode == 1 and p.stderr.startswith("no server running on "), p.stderr)
    rmux("new-session", "-d", "-s", "a", "cat")
    checks = [
        (["has-session", "-t", "nosuch"], "can't find session: nosuch\n"),
        (["foo"], "unknown command: foo\n"),
        (["new-session", "-d", "-s", "a"], "duplicate session: a\n"),
        (["list-panes", "-t", "%99"], "can't find pane: %99\n"),
        (["select-window", "-t", "a:7"], "can't find window: 7\n"),
        (["new-session", "-z"], "command new-session: unknown flag -z\n"),
        (["kill-session", "-t", "zz"], "can't find session: zz\n"),
        (["send-keys", "-t", "a:0.5", "x"], "can't find pane: 5\n"),
    ]
    for args, msg in checks:
        p = rmux(*args, check=False)
        expect(p.returncode == 1, "%s: status %d" % (args, p.returncode))
        expect(p.stderr == msg, "%s: stderr %r, want %r" % (args, p.stderr, msg))
        expect(p.stdout == "", "%s: stdout %r" % (args, p.stdout))
    expect(rmux("has-session", "-t", "a").returncode == 0, "has-session a")
    p = rmux("new-session", "-d", "-s", "x.y:z", "-P", "-F", "#{session_name}")
    expect(p.stdout == "x_y_z\n", "name check: %r" % p.stdout)
    ls = rmux("ls").stdout.splitlines()
    expect(len(ls) == 2 and ls[0].startswith("a: 1 windows (created "), ls)
    # A command list stops at the first error, as in tmux.
    p = rmux("rename-session", "-t", "a", "b", ";", "has-session", "-t", "zz", ";",
             "rename-session", "-t", "b", "c", check=False)
    expect(p.returncode == 1 and rmux("has", "-t", "=b").returncode == 0, p.stderr)


def case_socket_dir():
    """A socket directory others can enter is refused; a stale socket is replaced."""
    os.mkdir(SOCKDIR, 0o700)
    os.chmod(SOCKDIR, 0o777)
    p = rmux("new-session", "-d", check=False)
    expect(p.returncode == 1 and "unsafe permissions" in p.stderr, p.stderr)
    expect(not os.path.exists(os.path.join(SOCKDIR, NAME)), "socket made in 0777 dir")
    os.chmod(SOCKDIR, 0o700)
    # A socket file nobody listens on any more.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(os.path.join(SOCKDIR, NAME))
    stale.close()
    p = rmux("ls", check=False)
    expect(p.returncode == 1 and "no server running" in p.stderr, p.stderr)
    rmux("new-session", "-d", "-s", "s", "cat")
    expect(rmux("has-session", "-t", "s").returncode == 0, "server after stale socket")
    mode = stat.S_IMODE(os.stat(SOCKDIR).st_mode)
    expect(mode == 0o700, "dir mode %o" % mode)


def case_many_sessions():
    """200 sessions created and killed in a loop; the server stays sound."""
    rmux("new-session", "-d", "-s", "keep", "cat")
    for i in range(200):
        rmux("new-session", "-d", "-s", "s%d" % i, "cat")
        if i % 2 == 1:
            rmux("kill-session", "-t", "s%d" % (i - 1))
            rmux("kill-session", "-t", "=s%d" % i)
    ls = rmux("ls", "-F", "#{session_name}").stdout.split()
    expect(ls == ["keep"], "sessions left: %r" % ls[:5])
    ids = rmux("new-session", "-d", "-P", "-F", "#{session_id} #{pane_id}").stdout.split()
    expect(ids == ["$201", "%201"], "ids %r" % ids)


def case_sigkill():
    """A pane whose program is killed by SIGKILL closes; the window then the session."""
    rmux("new-session", "-d", "-s", "z", "sleep 1000")
    rmux("split-window", "-t", "z", "sleep 1000")
    rmux("new-session", "-d", "-s", "other", "cat")
    pids = rmux("list-panes", "-t", "z", "-F", "#{pane_pid}").stdout.split()
    expect(len(pids) == 2, pids)
    os.kill(int(pids[1]), signal.SIGKILL)
    wait_for("pane to close", lambda: rmux("list-panes", "-t", "z", "-F",
                                           "#{pane_pid}").stdout.split() == pids[:1])
    geo = rmux("display-message", "-p", "-t", "z", "#{pane_width}x#{pane_height}").stdout
    expect(geo == "80x24\n", "remaining pane takes the space: %r" % geo)
    os.kill(int(pids[0]), signal.SIGKILL)
    wait_for("session to close", lambda: rmux("has-session", "-t", "z",
                                              check=False).returncode == 1)
    expect(rmux("has-session", "-t", "other").returncode == 0, "other session survives")
    rmux("kill-session", "-t", "other")
    wait_for("server to exit with its last session", lambda: not os.path.exists(
        os.path.join(SOCKDIR, NAME)))


def case_flood():
    """Eight flooding panes; send-keys and capture-pane on a ninth still answer."""
    flood = "while :; do cat /dev/zero | tr '\\0' x | head -c 1000000; done"
    rmux("new-session", "-d", "-s", "f", "-x", "200", "-y", "60", "cat")
    for i in range(8):
        rmux("new-window", "-d", "-t", "f", flood)
    rmux("set-option", "-g", "history-limit", "1000")
    worst = 0.0
    for i in range(5):
        word = "ping%d" % i
        t0 = time.monotonic()
        rmux("send-keys", "-t", "f:0", word, "Enter")
        wait_for(word, lambda: rmux("capture-pane", "-p", "-t", "f:0").stdout.count(word) == 2,
                 limit=60)
        worst = max(worst, time.monotonic() - t0)
    n = rmux("list-windows", "-t", "f", "-F", "#{window_index}").stdout.split()
    expect(len(n) == 9, n)
    # Informational: how long the slowest round trip took under the flood.
    print("slowest send-keys/capture round trip under flood: %.3f s" % worst)


def cleanup():
    subprocess.run([RMUX, "-L", NAME, "kill-server"], env=ENV, capture_output=True)
    if os.path.isdir(SOCKDIR):
        os.chmod(SOCKDIR, 0o700)
    deadline = time.monotonic() + 10
    while os.path.exists(os.path.join(SOCKDIR, NAME)) and time.monotonic() < deadline:
        time.sleep(0.05)


def main():
    fn = globals().get("case_" + CASE)
    if fn is None:
        print("unknown case " + CASE)
        return 2
    status = 0
    try:
        fn()
    except AssertionError as e:
        print("FAIL %s: %s" % (CASE, e))
        status = 1
    finally:
        cleanup()
        time.sleep(0.2)
        reports = os.listdir(ASAN_DIR)
        for r in reports:
            with open(os.path.join(ASAN_DIR, r)) as f:
                print(f.read())
            status = 1
        shutil.rmtree(TMP, ignore_errors=True)
    if status == 0:
        print("ok " + CASE)
    return status


sys.exit(main())
