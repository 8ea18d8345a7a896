#!/usr/bin/env python3
"""End-to-end tests of the rmux daemon through its command line.

Usage: e2e.py RMUX CASE. Each case runs on its own socket directory
(RMUX_TMPDIR) and socket name, kills its server at the end even on failure,
and checks that the daemon left no sanitizer report behind. Waits poll with
generous limits so that slow machines pass too.

Other scripts called with the same RMUX CASE arguments (test_copy.py,
test_faults.py) import this one for that setup, its helpers and
run_case()."""
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


def tmux(name, *args, check=True):
    p = subprocess.run(["tmux", "-L", name, "-f", "/dev/null"] + list(args),
                       capture_output=True, text=True, timeout=60,
                       env=dict(ENV, SHELL="/bin/sh"))
    if check and p.returncode != 0:
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


def case_environment_inherit():
    """Panes get the environment the server started with, PS1 included,
    as tmux 3.3a gives it (both run side by side here)."""
    tname = "rmuxe2e%d" % os.getpid()
    env = dict(ENV, PS1="prompt$ ", RMUX_E2E_VAR="from-start")
    script = 'echo "[${PS1-unset}] [${RMUX_E2E_VAR-unset}]"; exec cat'
    try:
        subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null", "new-session", "-d", "-s", "v",
                        script], env=env, check=True, timeout=60)
        subprocess.run(["tmux", "-L", tname, "-f", "/dev/null", "new-session", "-d", "-s", "v",
                        script], env=env, check=True, timeout=60)
        ours = wait_for("rmux pane output", lambda: (
            lambda t: t if "]" in t else None)(rmux("capture-pane", "-p", "-t", "v").stdout))
        theirs = wait_for("tmux pane output", lambda: (
            lambda t: t if "]" in t else None)(tmux(tname, "capture-pane", "-p", "-t", "v").stdout))
        expect(ours.split("\n")[0] == theirs.split("\n")[0] == "[prompt$ ] [from-start]",
               "rmux %r tmux %r" % (ours.split("\n")[0], theirs.split("\n")[0]))
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


def case_commands_one_owner():
    """Each command is defined once: prefixes resolve as in tmux, and
    list-commands has tmux's lines for the commands both have."""
    tname = "rmuxe2e%d" % os.getpid()
    try:
        for cmd in (["new-session", "-d", "-s", "c", "-x", "80", "-y", "24", "cat"],
                    ["split-window", "-t", "c", "cat"]):
            rmux(*cmd)
            tmux(tname, *cmd)
        for args in (["send-k", "-t", "c:0.0", "abc", "Enter"],
                     ["resize-p", "-t", "c:0.0", "-y", "5"],
                     ["capt", "-t", "c:0.0", "-b", "cap"],
                     ["kill-s", "-t", "c"], ["new-", "-t", "c"], ["send", "-t", "c:0.1", "-H", "41", "zz"],
                     ["send-p", "-t", "c:0.1"], ["capture", "-t", "c:0.0"],
                     ["list-panes", "-t", "c", "-F", "#{pane_index} #{pane_height}"]):
            ours, theirs = both(tname, *args)
            expect(ours == theirs, "%r: rmux %r tmux %r" % (args, ours, theirs))
        for t in ([RMUX, "-L", NAME], ["tmux", "-L", tname]):
            wait_for("typed line", lambda: subprocess.run(
                t + ["capture-pane", "-p", "-t", "c:0.0"], capture_output=True, text=True,
                env=ENV).stdout.startswith("abc\nabc\n"))
        ours = rmux("capture-pane", "-p", "-t", "c:0.1").stdout
        expect(ours.startswith("A"), "send -H: %r" % ours)
        ours = rmux("list-commands").stdout.splitlines()
        theirs = tmux(tname, "list-commands").stdout.splitlines()
        names = [l.split()[0] for l in ours]
        expect(names == sorted(set(names)), "list-commands names %r" % names)
        tlines = {l.split()[0]: l for l in theirs}
        differ = [(l, tlines[l.split()[0]]) for l in ours
                  if l.split()[0] in tlines and l != tlines[l.split()[0]]]
        expect(not differ, "list-commands differs: %r" % differ)
        for name in ("send-keys", "capture-pane", "resize-pane", "set-environment",
                     "show-environment", "copy-mode"):
            expect(name in names, "%s not listed" % name)
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


ENVIRON_SCRIPT = [
    ["show-environment"], ["show-environment", "-s"], ["set-environment", "FOO", 'a"b$c`d\\e'],
    ["show-environment", "FOO"], ["show-environment", "-s", "FOO"],
    ["set-environment", "-r", "BAR"], ["show-environment", "BAR"],
    ["show-environment", "-s", "BAR"], ["show-environment", "NOPE"],
    ["set-environment", "X"], ["set-environment", "-u", "X", "y"],
    ["set-environment", "-r", "X", "y"], ["set-environment", "A=B", "c"],
    ["set-environment", ""], ["set-environment", "-u", "NOPE"],
    ["set-environment", "-F", "FF", "#{session_name}"], ["show-environment", "FF"],
    ["set-environment", "-g", "GV", "1"], ["show-environment", "-g", "GV"],
    ["set-environment", "-gh", "HID", "1"], ["show-environment", "-g", "HID"],
    ["show-environment", "-gh"], ["show-environment", "-gh", "HID"],
    ["show-environment", "-t", "nope"], ["set-environment", "-t", "nope", "X", "1"],
    ["show-environment", "-g", "-t", "nope", "GV"], ["set-environment", "-u", "FOO"],
    ["set-environment", "-gu", "GV"], ["show-environment", "-g", "GV"],
    ["setenv", "-t", "e2", "S2", "v"], ["showenv", "-t", "e2"], ["show-environment"],
    ["show-environment", "-s"],
]


def case_environ_tmux():
    """update-environment, set-environment and show-environment as tmux
    3.3a; panes get the global environment under the session's."""
    tname = "rmuxe2e%d" % os.getpid()
    start = dict(ENV, DISPLAY=":7", SSH_AUTH_SOCK="/tmp/agent", WINDOWID="99",
                 RMUX_E2E_GLOBAL="g")
    later = dict(ENV, DISPLAY=":8", SSH_CONNECTION="1 2 3 4", RMUX_E2E_LATER="l")
    later.pop("WINDOWID", None)
    later.pop("SSH_AUTH_SOCK", None)
    dump = "env | sort > %s/env-%%s; exec cat" % TMP
    try:
        subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null", "new-session", "-d", "-s", "e1",
                        dump % "r1"], env=start, check=True, timeout=60)
        subprocess.run(["tmux", "-L", tname, "-f", "/dev/null", "new-session", "-d", "-s", "e1",
                        dump % "t1"], env=dict(start, SHELL="/bin/sh"), check=True, timeout=60)
        subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null", "new-session", "-d", "-s", "e2",
                        dump % "r2"], env=later, check=True, timeout=60)
        subprocess.run(["tmux", "-L", tname, "-f", "/dev/null", "new-session", "-d", "-s", "e2",
                        dump % "t2"], env=dict(later, SHELL="/bin/sh"), check=True, timeout=60)
        for args in ENVIRON_SCRIPT:
            ours, theirs = both(tname, *args)
            expect(ours == theirs, "%r: rmux %r tmux %r" % (args, ours, theirs))
        # The panes: the same variables but for each program's own.
        own = ("TMUX", "TMUX_PANE", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "RMUX",
               "RMUX_PANE", "COLORTERM", "_", "SHLVL", "OLDPWD")

        def pane_env(tag):
            path = os.path.join(TMP, "env-" + tag)
            wait_for("pane environment " + tag, lambda: os.path.exists(path) and
                     open(path).read().endswith("\n"))
            return [l for l in open(path).read().splitlines()
                    if l.split("=")[0] not in own]
        for r, t in (("r1", "t1"), ("r2", "t2")):
            ours, theirs = pane_env(r), pane_env(t)
            expect(ours == theirs, "pane %s: rmux-only %r tmux-only %r" % (
                r, sorted(set(ours) - set(theirs)), sorted(set(theirs) - set(ours))))
        ours = pane_env("r2")
        expect("DISPLAY=:8" in ours and "SSH_CONNECTION=1 2 3 4" in ours and
               "RMUX_E2E_GLOBAL=g" in ours and not any(
                   l.startswith(("WINDOWID=", "SSH_AUTH_SOCK=", "RMUX_E2E_LATER="))
                   for l in ours), "second session's pane: %r" % ours)
        # set-environment reaches new panes of the session only.
        rmux("set-environment", "-t", "e2", "RMUX_E2E_SET", "yes")
        rmux("set-environment", "-t", "e2", "-r", "RMUX_E2E_GLOBAL")
        rmux("new-window", "-t", "e2", dump % "r3")
        rmux("new-window", "-t", "e1", dump % "r4")
        ours = pane_env("r3")
        expect("RMUX_E2E_SET=yes" in ours and "RMUX_E2E_GLOBAL=g" not in ours, repr(ours))
        ours = pane_env("r4")
        expect("RMUX_E2E_SET=yes" not in ours and "RMUX_E2E_GLOBAL=g" in ours, repr(ours))
        # -E: no update-environment.
        subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null", "new-session", "-d", "-E", "-s",
                        "e3", "cat"], env=later, check=True, timeout=60)
        expect(rmux("show-environment", "-t", "e3").stdout == "", "new-session -E")
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


# Target strings read as tmux 3.3a reads them: sessions by name, $id,
# prefix and pattern; windows by index, name, @id and the relative forms;
# panes by index, %id, offsets and descriptions; "=" for exact matches.
# Not here: offsets into a window other than the caller's ("abc:.-" from
# xyz), where tmux 3.3a answers with a pane of the caller's window.
TARGETS = [
    "", ":", ".", ":.", "abc", "abc:", "abc:.", "=abc", "=ab", "ab", "a*", "*z", "x", "=x",
    "=xyz", "nosuch", "b*", "$0", "$1", "$1:", "$99", "$x", "@1", "@1.0", "@1.1", "@99",
    "abd:@1", "abc:@1", "%1", "%99", "%x", "abd:%1", "abc:%1", ":%1", ".%1", "%1.0", "1", "0",
    ":0", ":1", ":=1", "=1", ":=0", "1.0", "abc:1", "abc:1.1", "abc:1.2", "abc:1.9", "abc:9",
    "abc:foo", "abc:=foo", "abc:fo", "abc:=fo", "abc:fob", "abc:f", "abc:f*", ":foo", "foo",
    "fo", "=abc:=1", "=abc:=foo.0", "abc:=1.=0", "abc:-1", "abc:+1", "abc:+9", "abc:-9",
    "abc:+x", "abc:+", "abc:-", "abc:!", "abc:^", "abc:$", "abc:{start}", "abc:{end}",
    "abc:{next}", "abc:{previous}", "abc:{last}", "abc:{bogus}", "{start}", "{end}",
    "{next}", "{last}", "+", "-", "!", "^", "$", ":+1", ":-1", ":{next}", ":{last}",
    ":{end}.{bottom}", "abc:1.{top}", "abc:1.{bottom}", "abc:1.{left}", "abc:1.{right}",
    "abc:1.{top-left}", "abc:1.{top-right}", "abc:1.{bottom-left}", "abc:1.{bottom-right}",
    "abc:1.top", "abc:1.Bottom", "abc:1.middle", "abc:1.{bogus}", "abc:1.!", "abc:1.{last}",
    "abc:.+", ":.+", ":.-", ":.+2", ":.{next}", ":.{previous}", "xyz:.+",
    "xyz:.{up-of}", "xyz:.{down-of}", "xyz:.{left-of}", "xyz:.{right-of}", "~", "{marked}",
    "abc:1.", "abc:1.=", "a:b:c", "abc.1", "abc:1.0.1",
]


def target_fixture(run):
    """Sessions abc (windows 0 zero, 1 foo with three panes, 2 fob), abd
    and xyz (two panes, created last: the current session)."""
    run("new-session", "-d", "-s", "abc", "-n", "zero", "-x", "80", "-y", "24", "cat")
    run("new-window", "-d", "-t", "abc", "-n", "foo", "cat")
    run("new-window", "-d", "-t", "abc", "-n", "fob", "cat")
    run("split-window", "-d", "-t", "abc:1", "cat")
    run("split-window", "-h", "-t", "abc:1.1", "cat")
    run("new-session", "-d", "-s", "abd", "-n", "one", "-x", "80", "-y", "24", "cat")
    run("new-session", "-d", "-s", "xyz", "-n", "w", "-x", "80", "-y", "24", "cat")
    run("split-window", "-h", "-t", "xyz", "cat")
    run("split-window", "-v", "-t", "xyz", "cat")
    run("select-window", "-t", "abc:2")
    run("select-window", "-t", "abc:1")


WHERE = "#{session_name}:#{window_index}.#{pane_index}"


def case_targets():
    """Every kind of target, as a session, a window and a pane, gives the
    same result or message as in tmux 3.3a."""
    tname = "rmux-tgt-%d" % os.getpid()
    try:
        target_fixture(rmux)
        target_fixture(lambda *a: tmux(tname, *a))
        bad = []
        for t in TARGETS:
            probes = [
                ["has-session", "-t", t],
                ["list-panes", "-t", t, "-F", WHERE],
                ["send-keys", "-t", t, "-l", ""],
            ]
            for args in probes:
                ours, theirs = both(tname, *args)
                if ours != theirs:
                    bad.append("%r: rmux %r tmux %r" % (args, ours, theirs))
                elif args[0] == "send-keys" and ours[0] == 0:
                    ours, theirs = both(tname, "display-message", "-p", "-t", t, WHERE)
                    if ours != theirs:
                        bad.append("display %r: rmux %r tmux %r" % (t, ours, theirs))
        expect(not bad, "%d of %d differ:\n%s" % (len(bad), 3 * len(TARGETS), "\n".join(bad)))
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


STATE = ("#{session_name}:#{window_index} #{window_active}#{window_last_flag} "
         "#{pane_index} #{window_panes}")


def case_target_moves():
    """select-window, select-pane, last-window and last-pane with relative
    and exact targets move the same way as in tmux."""
    tname = "rmux-tmv-%d" % os.getpid()
    script = [
        ["select-window", "-t", "abc:=0"], ["select-window", "-t", "abc:{next}"],
        ["select-window", "-t", "abc:+2"], ["select-window", "-t", "abc:-"],
        ["last-window", "-t", "abc"], ["select-window", "-t", "abc:!"],
        ["select-window", "-t", "abc:$"], ["select-window", "-t", "abc:^"],
        ["select-window", "-t", "abc:=foo"], ["select-pane", "-t", ":.+"],
        ["select-pane", "-t", "xyz:.+"], ["select-pane", "-t", ":.-2"],
        ["select-pane", "-t", "abc:.0"], ["select-pane", "-t", "abc:.!"],
        ["last-pane", "-t", "abc:"], ["select-pane", "-t", "abc:1.1"],
        ["select-pane", "-t", "abc:.{bottom-right}"], ["select-pane", "-t", "abc:.{top}"],
        ["select-pane", "-t", "xyz:.{previous}"], ["select-pane", "-t", "xyz:.{right-of}"],
        ["select-pane", "-t", "xyz:.{up-of}"], ["select-pane", "-t", "xyz:.{left-of}"],
        ["select-pane", "-t", "xyz:.{down-of}"], ["select-pane", "-t", ":.{last}"],
        ["select-window", "-t", "abc:{last}"], ["select-window", "-t", "abc:9"],
        ["new-window", "-d", "-t", "abc:7", "-n", "seven", "cat"],
        ["new-window", "-d", "-t", "abc:=7", "cat"], ["new-window", "-d", "-t", "abc:+1", "cat"],
        ["new-window", "-d", "-t", "abc:1.0", "cat"], ["new-window", "-d", "-t", "abd", "cat"],
        ["select-window", "-t", "abc:sev"], ["select-window", "-t", "abc:-1"],
    ]
    try:
        target_fixture(rmux)
        target_fixture(lambda *a: tmux(tname, *a))
        for args in script:
            ours, theirs = both(tname, *args)
            expect(ours == theirs, "%r: rmux %r tmux %r" % (args, ours, theirs))
            ours, theirs = both(tname, "list-windows", "-a", "-F", STATE)
            expect(ours == theirs, "after %r:\nrmux:\n%s\ntmux:\n%s" % (args, ours[1], theirs[1]))
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


def case_target_keys():
    """The default bindings people press all day: prefix 1 (select-window
    -t :=1), prefix o (select-pane -t :.+), prefix ; (last-pane), prefix l
    (last-window), prefix n and p."""
    rmux("new-session", "-d", "-s", "k", "-x", "80", "-y", "24", "cat")
    rmux("new-window", "-t", "k", "cat")
    rmux("split-window", "-t", "k:1", "cat")
    rmux("split-window", "-t", "k:1", "cat")
    rmux("new-window", "-t", "k", "cat")

    def where():
        return rmux("display-message", "-p", "-t", "k", "#{window_index}.#{pane_index}").stdout[:-1]

    expect(where() == "2.0", "start %r" % where())
    rmux("send-keys", "-t", "k", "C-b", "1")
    expect(where() == "1.2", "prefix 1 %r" % where())
    rmux("send-keys", "-t", "k", "C-b", "o")
    expect(where() == "1.0", "prefix o wraps %r" % where())
    rmux("send-keys", "-t", "k", "C-b", "o")
    expect(where() == "1.1", "prefix o %r" % where())
    rmux("send-keys", "-t", "k", "C-b", "\\;")
    expect(where() == "1.0", "prefix ; %r" % where())
    rmux("send-keys", "-t", "k", "C-b", "0")
    expect(where() == "0.0", "prefix 0 %r" % where())
    rmux("send-keys", "-t", "k", "C-b", "l")
    expect(where() == "1.0", "prefix l %r" % where())
    rmux("send-keys", "-t", "k", "C-b", "n", "C-b", "n")
    expect(where() == "0.0", "prefix n n %r" % where())
    rmux("send-keys", "-t", "k", "C-b", "p")
    expect(where() == "2.0", "prefix p %r" % where())
    # The binding's error comes back to send-keys here (it has a caller).
    p = rmux("send-keys", "-t", "k", "C-b", "9", check=False)
    expect(where() == "2.0" and p.returncode == 1 and p.stderr == "can't find window: 9\n",
           "prefix 9 %r %r" % (where(), p.stderr))


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
        # rmux's own: what it does not have fails rather than being ignored.
        (["new-session", "-d", "-t", "a"],
         "new-session -t: grouped sessions are not supported by rmux\n"),
        (["new-session", "-d", "-f", "read-only"],
         "new-session -f: client flags are not supported by rmux\n"),
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


def both(tname, *args):
    """Run ARGS in rmux and in tmux; return (rmux, tmux) as (status, stdout, stderr)."""
    r = rmux(*args, check=False)
    t = subprocess.run(["tmux", "-L", tname, "-f", "/dev/null"] + list(args),
                       capture_output=True, text=True, timeout=60,
                       env=dict(ENV, SHELL="/bin/sh"))
    return (r.returncode, r.stdout, r.stderr), (t.returncode, t.stdout, t.stderr)


OPTION_SCRIPT = [
    ["set", "-g", "nosuch", "1"], ["set", "-w", "history-limit", "5"],
    ["set", "-g", "history-limit", "abc"], ["set", "-g", "mode-keys", "xx"],
    ["set", "-q", "nosuch", "1"], ["set", "-g", "status-left"], ["set", "-o", "-g", "@x", "1"],
    ["set", "-o", "-g", "@x", "2"], ["set", "-g", "status-left-length", "99999"],
    ["set", "-w", "remain-on-exit", "on"], ["set", "-g", "base-index", "-1"],
    ["set", "-F", "-g", "@y", "#{session_name}"], ["set", "-g", "prefix", "nokey"],
    ["set", "-ag", "status-left", "ab"], ["set", "-ug", "@x"],
    ["set", "-g", "status-style", "bogus=1"], ["set", "-g", "mode"],
    ["setw", "-g", "mode-keys", "vi"], ["set", "-t", "nosess", "@z", "1"],
    ["set", "-u", "nosuch"], ["set", "-w", "base-index", "3"], ["set", "-g", "mouse"],
    ["show", "-g", "base-index"], ["show", "-g", "@y"], ["show", "-gv", "status-left"],
    ["show", "-g", "nosuch"], ["show", "-w"], ["show", "-p"], ["show"],
    ["show", "-g", "@nope"], ["show", "-v", "@nope"], ["show", "-w", "-g", "mode-keys"],
    ["showw", "-g", "mode-keys"], ["show", "-A", "history-limit"],
    ["show", "-wA", "mode-keys"], ["show", "history-limit"], ["show", "-gq", "nosuch"],
    ["show", "-q", "@nope"], ["show", "-p", "remain-on-exit"], ["show", "-pA", "remain-on-exit"],
    ["show", "-g", "remain-on-exit"], ["show", "-g", "prefix"], ["show", "-g", "mouse"],
    ["show", "-g", "default-shell"], ["show", "-gv", "status-style"],
    ["show", "-g", "renumber-windows"], ["show", "-w", "-g", "pane-base-index"],
    ["display-message", "-p", "#{history-limit} #{@y} #{mode-keys}"],
    ["set", "-p", "@pane", "p1"], ["set", "-w", "@win", "w1"], ["show", "-wv", "@win"],
    ["show", "-p", "@pane"], ["show", "-v", "@win"], ["set", "-pu", "@pane"],
    ["show", "-p", "@pane"],
]


def case_options():
    """set-option and show-options: same output, messages and status as tmux."""
    tname = "rmuxe2eo%d" % os.getpid()
    try:
        rmux("new-session", "-d", "-s", "o", "cat")
        tmux(tname, "new-session", "-d", "-s", "o", "cat")
        bad = []
        for cmd in OPTION_SCRIPT:
            ours, theirs = both(tname, *cmd)
            if ours != theirs:
                bad.append("%s:\n  rmux %r\n  tmux %r" % (" ".join(cmd), ours, theirs))
        expect(not bad, "options differ:\n" + "\n".join(bad))
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


def case_option_effects():
    """base-index, pane-base-index, renumber-windows, history-limit and
    automatic-rename change what the server does."""
    rmux("new-session", "-d", "-s", "b", "cat")
    rmux("set", "-g", "base-index", "1", ";", "set", "-g", "pane-base-index", "1", ";",
         "set", "-g", "history-limit", "123")
    # Two arguments run directly, so the pane's program is cat itself.
    rmux("new-session", "-d", "-s", "c", "cat", "-")
    # "c:", not "c": a bare word is a window first, and "c" is a prefix
    # of the window named cat (tmux fails with "index 1 in use" too).
    rmux("new-window", "-t", "c:", "cat", "-")
    rmux("new-window", "-t", "c:", "cat", "-")
    idx = rmux("list-windows", "-t", "c", "-F", "#{window_index}").stdout.split()
    expect(idx == ["1", "2", "3"], "base-index: %r" % idx)
    rmux("split-window", "-t", "c:1", "cat")
    panes = rmux("list-panes", "-t", "c:1", "-F", "#{pane_index} #{history_limit}").stdout
    expect(panes == "1 123\n2 123\n", "pane-base-index/history-limit: %r" % panes)
    expect(rmux("display-message", "-p", "-t", "c:1.2", "#{pane_index}").stdout == "2\n",
           "pane target with pane-base-index")
    rmux("set", "-t", "c", "renumber-windows", "on")
    rmux("kill-window", "-t", "c:2")
    idx = rmux("list-windows", "-t", "c", "-F", "#{window_index}").stdout.split()
    expect(idx == ["1", "2"], "renumber-windows: %r" % idx)
    wait_for("automatic name", lambda: rmux("display-message", "-p", "-t", "c:2",
                                            "#{window_name}").stdout == "cat\n")
    rmux("rename-window", "-t", "c:2", "mine")
    expect(rmux("show", "-wv", "-t", "c:2", "automatic-rename").stdout == "off\n",
           "rename-window turns automatic-rename off")
    rmux("set", "-g", "default-command", "echo from-default-command; exec cat")
    rmux("new-window", "-t", "c:")
    wait_for("default-command", lambda: "from-default-command" in rmux(
        "capture-pane", "-p", "-t", "c:3").stdout)


def case_config():
    """A config file with bad lines: FILE:LINE messages to the first
    command, the good lines still applied; source-file reports the same."""
    conf = os.path.join(TMP, "bad.conf")
    with open(conf, "w") as f:
        f.write("set -g base-index 1\n"
                "foo bar\n"
                "set -g nosuch 3\n"
                "set -g history-limit abc ; set -g status-left 'x'\n"
                "# a comment\n"
                "set -g mode-keys vi ; set -g @u 5\n"
                "new-session -d -s fromconf 'cat'\n"
                "bind-key x display-message a \\; display-message b\n"
                "set -g @v 1 \\; set -g @w 2\n")
    p = subprocess.run([RMUX, "-L", NAME, "-f", conf, "new-session", "-d", "-s", "main", "cat"],
                       env=ENV, capture_output=True, text=True, timeout=60)
    expect(p.returncode == 0, "new-session status %d" % p.returncode)
    # "\;" separates only inside a command's own list (bind-key); at the
    # top level it is a ";" argument, as in tmux.
    want = ["%s:2: unknown command: foo" % conf, "%s:3: invalid option: nosuch" % conf,
            "%s:4: value is invalid: abc" % conf,
            "%s:9: command set-option: too many arguments (need at most 2)" % conf]
    expect(p.stderr.splitlines() == want, "config errors %r" % p.stderr)
    shown = rmux("show", "-gv", "base-index", ";", "show", "-gv", "status-left", ";",
                 "show", "-gv", "mode-keys", ";", "show", "-gv", "@u").stdout
    expect(shown == "1\nx\nvi\n5\n", "config values %r" % shown)
    expect(rmux("has-session", "-t", "fromconf").returncode == 0, "session from config")
    # Only the first command hears of the errors.
    expect(rmux("ls").stderr == "", "errors repeated")
    p = rmux("source-file", conf, check=False)
    expect(p.returncode == 1, "source-file status %d" % p.returncode)
    expect(p.stderr.splitlines() == want[:3] + ["%s:7: duplicate session: fromconf" % conf] +
           want[3:],
           "source-file errors %r" % p.stderr)
    p = rmux("source-file", "-q", os.path.join(TMP, "none.conf"), check=False)
    expect(p.returncode == 0 and p.stderr == "", "source-file -q %r" % p.stderr)
    p = rmux("source", os.path.join(TMP, "none.conf"), check=False)
    expect(p.returncode == 1 and p.stderr == "%s: No such file or directory\n" %
           os.path.join(TMP, "none.conf"), "missing file %r" % p.stderr)
    # A file that sources itself stops instead of recursing for ever.
    loop = os.path.join(TMP, "loop.conf")
    with open(loop, "w") as f:
        f.write("set -g @n x\nsource-file %s\n" % loop)
    p = rmux("source-file", loop, check=False)
    expect(p.returncode == 1 and "too many nested files" in p.stderr, p.stderr[:200])
    expect(server_alive(), "server after recursive source-file")


LAYOUT_FORMAT = ("#{pane_index} #{pane_left},#{pane_top} #{pane_width}x#{pane_height} "
                 "#{pane_active} #{window_zoomed_flag} #{window_layout}")
LAYOUT_SCRIPT = [
    ["split-window", "-h", "-t", "g", "sleep 1000"],
    ["split-window", "-v", "-t", "g", "sleep 1000"],
    ["split-window", "-h", "-t", "g", "sleep 1000"],
    ["resize-pane", "-t", "g:0.1", "-L", "7"], ["resize-pane", "-t", "g:0.2", "-D", "3"],
    ["resize-pane", "-t", "g:0.3", "-x", "20"], ["resize-pane", "-t", "g:0.0", "-y", "50%"],
    None,
    ["resize-pane", "-Z", "-t", "g:0.2"], None, ["resize-pane", "-Z", "-t", "g:0.2"],
    ["resize-pane", "-Z", "-t", "g:0.1"], ["split-window", "-t", "g", "sleep 1000"], None,
    ["select-layout", "-t", "g", "main-vertical"], None,
    ["next-layout", "-t", "g"], None,
    ["previous-layout", "-t", "g"], ["previous-layout", "-t", "g"], None,
    ["select-layout", "-t", "g", "tiled"], ["select-layout", "-t", "g", "bad"], None,
    ["select-layout", "-t", "g", "even-horizontal"], ["resize-pane", "-t", "g:0.0", "-R", "9"],
    ["select-layout", "-E", "-t", "g:0.0"], None,
    ["select-layout", "-t", "g",
     "5b5c,120x40,0,0[120x10,0,0,1,120x9,0,11,2,120x9,0,21,3,120x5,0,31,4,120x3,0,37,5]"], None,
    ["swap-pane", "-t", "g:0.0", "-D"], None, ["swap-pane", "-s", "g:0.3", "-t", "g:0.1"], None,
    ["resize-window", "-t", "g", "-x", "100", "-y", "30"], None,
    ["break-pane", "-d", "-s", "g:0.1"], None,
    ["join-pane", "-h", "-s", "g:1.0", "-t", "g:0.0"], None,
    ["resize-pane", "-Z", "-t", "g:0.1"], ["select-pane", "-t", "g:0.2"], None,
    ["resize-pane", "-Z", "-t", "g:0.1"], ["select-pane", "-Z", "-t", "g:0.2"], None,
    ["rotate-window", "-Z", "-t", "g:0"], None,
    ["rotate-window", "-t", "g:0"], None,
    ["rotate-window", "-D", "-t", "g:0"], ["rotate-window", "-D", "-t", "g:0"], None,
    ["resize-pane", "-Z", "-t", "g:0.0"], ["rotate-window", "-U", "-t", "g:0"], None,
    ["rotate-window", "-t", "g:9"], ["rotatew", "-x"], None,
    ["kill-pane", "-t", "g:0.2"], None,
    ["kill-pane", "-a", "-t", "g:0.0"], None,
    # One pane: break-pane only moves the window.
    ["break-pane", "-s", "g:0.0"], ["split-window", "-t", "g:1", "sleep 1000"],
    ["break-pane", "-P", "-s", "g:1.1", "-t", "g:5"], ["break-pane", "-s", "g:5", "-t", "g:1"],
    ["break-pane", "-d", "-s", "g:5", "-t", "g:3"], None,
]


def case_pane_title():
    """A new pane is titled with the host's name, select-pane -T sets a
    title and a program's OSC 2 another: as tmux 3.3a."""
    tname = "rmuxe2et%d" % os.getpid()
    fmt = "#{pane_index} #{pane_title}"
    try:
        rmux("new-session", "-d", "-s", "g", "-x", "80", "-y", "24", "cat")
        tmux(tname, "new-session", "-d", "-s", "g", "-x", "80", "-y", "24", "cat")
        ours, theirs = both(tname, "list-panes", "-t", "g", "-F", fmt)
        expect(ours == theirs and ours[1] == "0 %s\n" % socket.gethostname(),
               "new pane: rmux %r tmux %r" % (ours, theirs))
        for cmd in (["split-window", "-t", "g", "printf '\\033]2;from osc\\007'; exec cat"],
                    ["select-pane", "-t", "g:0.0", "-T", "mine"]):
            ours, theirs = both(tname, *cmd)
            expect(ours == theirs, "%s: rmux %r tmux %r" % (cmd, ours, theirs))
        want = "0 mine\n1 from osc\n"
        wait_for("titles", lambda: both(tname, "list-panes", "-t", "g", "-F", fmt) ==
                 ((0, want, ""), (0, want, "")))
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


def case_layout():
    """resize-pane, zoom, select-layout, swap-pane, resize-window,
    rotate-window, break-pane, join-pane: the same rectangles and layouts
    as tmux."""
    tname = "rmuxe2el%d" % os.getpid()
    try:
        rmux("new-session", "-d", "-s", "g", "-x", "120", "-y", "40", "sleep 1000")
        tmux(tname, "new-session", "-d", "-s", "g", "-x", "120", "-y", "40", "sleep 1000")
        step = 0
        for cmd in LAYOUT_SCRIPT:
            if cmd is not None:
                ours, theirs = both(tname, *cmd)
                expect(ours[0] == theirs[0] and ours[2] == theirs[2],
                       "%s: rmux %r tmux %r" % (cmd, ours, theirs))
                continue
            step += 1
            # Pane ids are the same in both: the same panes were made.
            fmt = LAYOUT_FORMAT + " #{pane_id}"
            ours, theirs = both(tname, "list-panes", "-s", "-t", "g", "-F", fmt)
            expect(ours == theirs, "step %d differs:\nrmux:\n%s\ntmux:\n%s" %
                   (step, ours[1], theirs[1]))
        w = both(tname, "list-windows", "-t", "g", "-F",
                 "#{window_index} #{window_panes} #{window_width}x#{window_height} "
                 "#{window_active} #{window_zoomed_flag}")
        expect(w[0] == w[1], "windows differ: %r %r" % w)
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


def case_remain_on_exit():
    """remain-on-exit keeps a dead pane with tmux's line; respawn-pane."""
    rmux("new-session", "-d", "-s", "r", "-x", "60", "-y", "6", "cat")
    rmux("set", "-g", "remain-on-exit", "on")
    rmux("new-window", "-t", "r", "echo hi; exit 3")
    wait_for("dead pane", lambda: rmux("display-message", "-p", "-t", "r:1",
                                       "#{pane_dead}").stdout == "1\n")
    out = rmux("capture-pane", "-p", "-t", "r:1").stdout.split("\n")
    expect(out[:5] == [""] * 5 and out[5].startswith("Pane is dead (status 3, "),
           "dead screen %r" % out)
    st = rmux("display-message", "-p", "-t", "r:1", "#{pane_dead_status}").stdout
    expect(st == "3\n", "pane_dead_status %r" % st)
    hist = rmux("capture-pane", "-p", "-S", "-1", "-E", "-1", "-t", "r:1").stdout
    expect(hist == "hi\n", "the line feed pushed the output into history: %r" % hist)
    p = rmux("send-keys", "-t", "r:1", "x", check=False)
    expect(p.returncode == 0, "send-keys to a dead pane")
    rmux("respawn-pane", "-t", "r:1", "printf 'a\\nb\\n'; exit 0")
    wait_for("second death", lambda: "status 0" in rmux("capture-pane", "-p",
                                                           "-t", "r:1").stdout)
    out = rmux("capture-pane", "-p", "-t", "r:1").stdout.split("\n")
    expect(out[:2] == ["b", ""], "respawned screen %r" % out)
    # The pane kept its command: a bare respawn-pane runs it again.
    rmux("respawn-pane", "-t", "r:1")
    p = rmux("respawn-pane", "-t", "r:0", check=False)
    expect(p.returncode == 1 and p.stderr == "respawn pane failed: pane r:0.0 still active\n",
           p.stderr)
    pid = rmux("display-message", "-p", "-t", "r:0", "#{pane_pid}").stdout.strip()
    rmux("respawn-pane", "-k", "-t", "r:0", "sleep 1000")
    wait_for("old program gone", lambda: not os.path.exists("/proc/" + pid) or
             open("/proc/%s/stat" % pid).read().split()[2] == "Z")
    # Signals are named by number, as tmux 3.3a does.
    pid = rmux("display-message", "-p", "-t", "r:0", "#{pane_pid}").stdout.strip()
    os.kill(int(pid), signal.SIGKILL)
    wait_for("killed pane", lambda: "Pane is dead (signal 9, " in rmux(
        "capture-pane", "-p", "-t", "r:0").stdout)
    # failed: a clean exit closes, a failure stays.
    rmux("set", "-g", "remain-on-exit", "failed")
    rmux("new-window", "-t", "r", "-n", "ok", "exit 0")
    rmux("new-window", "-t", "r", "-n", "bad", "exit 1")
    wait_for("failed policy", lambda: rmux("list-windows", "-t", "r", "-F",
                                           "#{window_name}").stdout.split() ==
             ["cat", "cat", "bad"] or rmux("list-windows", "-t", "r", "-F",
                                           "#{window_name}").stdout.split().count("ok") == 0)
    names = rmux("list-windows", "-t", "r", "-F", "#{window_name}").stdout.split()
    expect("ok" not in names and "bad" in names, "failed policy: %r" % names)
    # Turning the option off closes nothing already dead; kill-pane does.
    rmux("kill-window", "-t", "r:1")


def case_wait_for():
    """wait-for blocks until -S; a signal with nobody waiting is kept; -L/-U."""
    rmux("new-session", "-d", "-s", "w", "cat")
    waiter = subprocess.Popen([RMUX, "-L", NAME, "wait-for", "ch", ";", "display-message",
                               "-p", "woken"], env=ENV, stdout=subprocess.PIPE, text=True)
    time.sleep(0.5)
    expect(waiter.poll() is None, "wait-for returned before the signal")
    expect(server_alive(), "server answers while a client waits")
    rmux("wait-for", "-S", "ch")
    out, _ = waiter.communicate(timeout=30)
    expect(waiter.returncode == 0 and out == "woken\n", "waiter %r" % out)
    rmux("wait-for", "-S", "early")
    p = rmux("wait-for", "early", timeout=10)
    expect(p.returncode == 0, "pre-signalled wait")
    rmux("wait-for", "-L", "lk")
    locker = subprocess.Popen([RMUX, "-L", NAME, "wait-for", "-L", "lk", ";", "display-message",
                               "-p", "locked"], env=ENV, stdout=subprocess.PIPE, text=True)
    time.sleep(0.5)
    expect(locker.poll() is None, "second lock did not wait")
    rmux("wait-for", "-U", "lk")
    out, _ = locker.communicate(timeout=30)
    expect(out == "locked\n", "lock handed over: %r" % out)
    rmux("wait-for", "-U", "lk")
    p = rmux("wait-for", "-U", "lk", check=False)
    expect(p.returncode == 1 and p.stderr == "channel lk not locked\n", p.stderr)
    # A waiter that goes away is forgotten.
    gone = subprocess.Popen([RMUX, "-L", NAME, "wait-for", "never"], env=ENV)
    time.sleep(0.3)
    gone.kill()
    gone.wait()
    rmux("wait-for", "-S", "never")
    expect(server_alive(), "server after a waiter left")
    lc = rmux("list-commands").stdout.splitlines()
    names = [l.split()[0] for l in lc]
    expect(any(l.startswith("wait-for (wait) ") for l in lc) and names == sorted(set(names)),
           "list-commands %r" % lc[:3])


def case_sigterm():
    """SIGTERM: the server hangs up its panes and removes its socket."""
    rmux("new-session", "-d", "-s", "t", "trap 'echo hup > %s/hup; exit' HUP; "
         "while :; do sleep 0.1; done" % TMP)
    rmux("split-window", "-t", "t", "sleep 1000")
    pids = rmux("list-panes", "-t", "t", "-F", "#{pane_pid}").stdout.split()
    spid = int(rmux("display-message", "-p", "#{pid}").stdout)
    os.kill(spid, signal.SIGTERM)
    path = os.path.join(SOCKDIR, NAME)
    wait_for("socket removed", lambda: not os.path.exists(path))
    wait_for("server gone", lambda: not os.path.exists("/proc/%d" % spid))
    wait_for("pane got SIGHUP", lambda: os.path.exists(os.path.join(TMP, "hup")))
    for pid in pids:
        wait_for("pane %s gone" % pid, lambda: not os.path.exists("/proc/" + pid) or
                 open("/proc/%s/stat" % pid).read().split()[2] == "Z")


def case_garbage():
    """A peer sending garbage on the control socket is dropped; the
    server carries on."""
    rmux("new-session", "-d", "-s", "g", "cat")
    path = os.path.join(SOCKDIR, NAME)
    for junk in (b"\xff" * 64, b"GET / HTTP/1.0\r\n\r\n", b"\x00\x00\x00\x01" + b"\x00" * 60,
                 os.urandom(4096)):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.settimeout(10)
        c.connect(path)
        c.sendall(junk)
        try:
            got = c.recv(4096)
        except (ConnectionResetError, socket.timeout):
            got = b"timeout"
        c.close()
        expect(got == b"", "peer not dropped: %r" % got[:40])
        expect(server_alive(), "server after garbage %r" % junk[:8])
    # A peer that connects and says nothing does not block others.
    idle = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    idle.connect(path)
    expect(rmux("display-message", "-p", "#{session_name}").stdout == "g\n", "answers")
    idle.close()


# ---- messages, the prompt, clipboard, descriptors ----

OUTERS = []


def outer(name, command, x=80, y=24):
    """A detached tmux server NAME whose one pane runs COMMAND: the screen a
    person would see, read back with capture-pane."""
    OUTERS.append(name)
    subprocess.run(["tmux", "-L", name, "-f", "/dev/null", "new-session", "-d", "-x", str(x),
                    "-y", str(y), command], env=ENV, check=True, timeout=60)
    subprocess.run(["tmux", "-L", name, "set", "-g", "status", "off"], env=ENV, check=True)


def outer_cmd(name, *args, check=False):
    p = subprocess.run(["tmux", "-L", name] + list(args), env=ENV, capture_output=True,
                       text=True, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError("outer tmux %s failed: %s" % (args, p.stderr))
    return p.stdout


def outer_row(name, y, escapes=True):
    flags = ["-p", "-e"] if escapes else ["-p"]
    return outer_cmd(name, "capture-pane", *flags).split("\n")[y]


def msg():
    return rmux("display-message", "-p", "-t", "m", "#{client_message}").stdout[:-1]


def prompt_state():
    return rmux("display-message", "-p", "-t", "m",
                "#{client_prompt}|#{client_prompt_input}|#{client_prompt_cursor}").stdout[:-1]


def case_messages():
    """display-message without -p goes to the session's message line for
    display-time or -d ms (0: until a key, which then goes on to the pane);
    errors of commands typed at the prompt show there, capitalised."""
    rmux("new-session", "-d", "-s", "m", "-x", "80", "-y", "24", "cat")
    p = rmux("display-message", "-t", "m", "-d", "0", "hello #{session_name}")
    expect(p.stdout == "" and msg() == "hello m", "message %r / %r" % (p.stdout, msg()))
    expect(rmux("display-message", "-p", "-t", "m", "x").stdout == "x\n", "-p prints")
    expect(msg() == "hello m", "-p leaves the message alone")
    rmux("send-keys", "-t", "m", "z")
    expect(msg() == "", "a key clears the message: %r" % msg())
    wait_for("key reached the pane", lambda: "z" in rmux("capture-pane", "-p", "-t", "m").stdout)
    rmux("display-message", "-t", "m", "-d", "200", "short")
    wait_for("-d message expires", lambda: msg() == "")
    rmux("set-option", "-g", "display-time", "300")
    rmux("display-message", "-t", "m", "timed")
    wait_for("display-time message expires", lambda: msg() == "")
    p = rmux("display-message", "-t", "m", "-d", "x", "bad", check=False)
    expect(p.returncode == 1 and "delay" in p.stderr, "bad -d: %r" % p.stderr)
    # An error from the prompt: tmux's message with its first letter up.
    rmux("send-keys", "-t", "m", "C-b", ":", "nosuchcmd arg", "Enter")
    expect(msg() == "Unknown command: nosuchcmd", "prompt error %r" % msg())
    rmux("send-keys", "-t", "m", "C-b", ":", "select-window -t :7", "Enter")
    expect(msg() == "Can't find window: 7", "prompt error %r" % msg())
    rmux("send-keys", "-t", "m", "C-b", ":", "display -d 0 'ran #{window_index}'", "Enter")
    expect(msg() == "ran 0", "display from the prompt %r" % msg())


def case_prompt():
    """command-prompt and confirm-before: emacs editing keys, history,
    templates with %% and %1 %2, -I, -p, -1; tmux's default bindings."""
    rmux("new-session", "-d", "-s", "m", "-x", "80", "-y", "24", "cat")
    rmux("send-keys", "-t", "m", "C-b", ":")
    expect(prompt_state() == ":||0", "empty prompt %r" % prompt_state())
    rmux("send-keys", "-t", "m", "abc def", "C-a", "C-f", "C-d", "X", "End", "BSpace", "Home",
         "Right", "Right", "C-k")
    expect(prompt_state() == ":|aX|2", "editing %r" % prompt_state())
    rmux("send-keys", "-t", "m", "C-y", "C-e", " one two", "C-w")
    expect(prompt_state() == ":|aXc de one |11", "yank and C-w %r" % prompt_state())
    rmux("send-keys", "-t", "m", "C-b", "C-b", "C-h", "Left", "C-u")
    expect(prompt_state() == ":||0", "C-u %r" % prompt_state())
    rmux("send-keys", "-t", "m", "Escape")
    expect(prompt_state() == "||", "Escape cancels %r" % prompt_state())
    rmux("send-keys", "-t", "m", "C-b", ":", "rename-window one", "Enter")
    rmux("send-keys", "-t", "m", "C-b", ":", "rename-window two", "Enter")
    names = rmux("list-windows", "-t", "m", "-F", "#{window_name}").stdout
    expect(names == "two\n", "commands ran: %r" % names)
    rmux("send-keys", "-t", "m", "C-b", ":", "Up")
    expect(prompt_state() == ":|rename-window two|17", "history %r" % prompt_state())
    rmux("send-keys", "-t", "m", "Up", "Up")
    expect(prompt_state() == ":|rename-window one|17", "older %r" % prompt_state())
    rmux("send-keys", "-t", "m", "Down", "Down")
    expect(prompt_state() == ":||0", "newest is empty %r" % prompt_state())
    rmux("send-keys", "-t", "m", "C-c")
    # The default bindings: prefix $ and , open prompts with -I and a template.
    rmux("send-keys", "-t", "m", "C-b", "$")
    expect(prompt_state() == "(rename-session) |m|1", "prefix $ %r" % prompt_state())
    rmux("send-keys", "-t", "m", "C-u", "sess2", "Enter")
    expect(rmux("ls", "-F", "#{session_name}").stdout == "sess2\n", "session renamed")
    rmux("rename-session", "-t", "sess2", "m")
    rmux("send-keys", "-t", "m", "C-b", ",", "C-u", "a b;c", "Enter")
    names = rmux("list-windows", "-t", "m", "-F", "#{window_name}").stdout
    expect(names == "a b;c\n", "quoted %%%% %r" % names)
    # Several prompts fill %1 and %2 in turn.
    rmux("command-prompt", "-t", "m", "-p", "first,second", "-I", "x,y",
         "rename-window '%1-%2'")
    expect(prompt_state() == "first |x|1", "first prompt %r" % prompt_state())
    rmux("send-keys", "-t", "m", "1", "Enter")
    expect(prompt_state() == "second |y|1", "second prompt %r" % prompt_state())
    rmux("send-keys", "-t", "m", "2", "Enter")
    names = rmux("list-windows", "-t", "m", "-F", "#{window_name}").stdout
    expect(names == "x1-y2\n", "two answers %r" % names)
    rmux("command-prompt", "-t", "m", "-1", "-p", "key", "rename-window 'k%%'")
    rmux("send-keys", "-t", "m", "q")
    names = rmux("list-windows", "-t", "m", "-F", "#{window_name}").stdout
    expect(names == "kq\n" and prompt_state() == "||", "one-key prompt %r" % names)
    # confirm-before: prefix x asks as tmux does; n keeps, y kills.
    rmux("split-window", "-t", "m", "cat")
    rmux("send-keys", "-t", "m", "C-b", "x")
    expect(prompt_state() == "kill-pane 1? (y/n) ||0", "confirm %r" % prompt_state())
    rmux("send-keys", "-t", "m", "n")
    expect(rmux("display-message", "-p", "-t", "m", "#{window_panes}").stdout == "2\n",
           "n keeps the pane")
    rmux("send-keys", "-t", "m", "C-b", "x", "y")
    expect(rmux("display-message", "-p", "-t", "m", "#{window_panes}").stdout == "1\n",
           "y kills the pane")
    rmux("new-window", "-t", "m", "-n", "w2", "cat")
    rmux("send-keys", "-t", "m", "C-b", "&")
    expect(prompt_state() == "kill-window w2? (y/n) ||0", "prefix & %r" % prompt_state())
    rmux("send-keys", "-t", "m", "Y")
    expect(rmux("display-message", "-p", "-t", "m", "#{session_windows}").stdout == "1\n",
           "Y kills the window")
    p = rmux("confirm-before", "-t", "m", check=False)
    expect(p.returncode == 1 and "too few" in p.stderr, "confirm-before needs a command")
    rmux("confirm-before", "-t", "m", "rename-window conf")
    expect(prompt_state() == "Confirm 'rename-window conf'? (y/n) ||0",
           "default confirm prompt %r" % prompt_state())
    rmux("send-keys", "-t", "m", "y")
    names = rmux("list-windows", "-t", "m", "-F", "#{window_name}").stdout
    expect(names == "conf\n", "confirmed %r" % names)
    # Keys typed while no prompt is open still reach the pane.
    rmux("send-keys", "-t", "m", "after", "Enter")
    wait_for("pane input", lambda: "after" in rmux("capture-pane", "-p", "-t", "m").stdout)


def case_message_view():
    """What a person sees: an rmux client and a tmux client side by side in
    an outer tmux; the message line, the prompt and the confirm prompt are
    drawn alike (text, message-style, reverse cursor cell); the error of a
    key binding shows on the message line."""
    tname = "rmuxe2e%d" % os.getpid()
    out_r, out_t = "outr%d" % os.getpid(), "outt%d" % os.getpid()
    try:
        rmux("new-session", "-d", "-s", "m", "-x", "80", "-y", "24", "cat")
        rmux("bind-key", "-n", "F5", "select-window", "-t", ":9")
        tmux(tname, "new-session", "-d", "-s", "m", "-x", "80", "-y", "24", "cat")
        outer(out_r, "%s -L %s -f /dev/null attach -t m" % (RMUX, NAME))
        outer(out_t, "env -u TMUX tmux -L %s -f /dev/null attach -t m" % tname)
        for o in (out_r, out_t):
            wait_for("client up in " + o, lambda: "[m]" in outer_row(o, 23, False))

        def same(what, prep_r, prep_t, check):
            prep_r()
            prep_t()
            rows = [None, None]

            def both():
                rows[0], rows[1] = outer_row(out_r, 23), outer_row(out_t, 23)
                return check(rows[1]) and rows[0] == rows[1]
            try:
                wait_for(what, both, limit=15)
            except AssertionError:
                raise AssertionError("%s differs:\nrmux %r\ntmux %r" % (what, rows[0], rows[1]))

        same("message", lambda: rmux("display-message", "-d", "0", "-t", "m", "hello world"),
             lambda: tmux(tname, "display-message", "-d", "0", "hello world"),
             lambda r: "hello world" in r)
        for o in (out_r, out_t):
            outer_cmd(o, "send-keys", "C-b", ":")
            outer_cmd(o, "send-keys", "abc", "Left")
        same("prompt", lambda: None, lambda: None, lambda r: ":ab" in r)
        for o in (out_r, out_t):
            outer_cmd(o, "send-keys", "C-c")
        time.sleep(0.6)  # escape-time of the inner tmux
        for o in (out_r, out_t):
            outer_cmd(o, "send-keys", "C-b", "x")
        same("confirm", lambda: None, lambda: None, lambda r: "(y/n)" in r)
        for o in (out_r, out_t):
            outer_cmd(o, "send-keys", "n")
        # A failing binding: its error on the message line.
        outer_cmd(out_r, "send-keys", "F5")
        wait_for("binding error shown", lambda: "Can't find window: 9" in
                 outer_row(out_r, 23, False))
        expect(msg() == "Can't find window: 9", "message %r" % msg())
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True)


def case_clipboard():
    """OSC 52 from a pane: set-clipboard on makes a paste buffer and the
    attached client sets its terminal's clipboard (here an outer tmux with
    set-clipboard on, which makes a buffer of it); external forwards only;
    off drops it."""
    out = "outc%d" % os.getpid()
    rmux("new-session", "-d", "-s", "m", "-x", "80", "-y", "24", "cat")
    outer(out, "%s -L %s -f /dev/null attach -t m" % (RMUX, NAME))
    subprocess.run(["tmux", "-L", out, "set", "-g", "set-clipboard", "on"], env=ENV, check=True)
    wait_for("client up", lambda: "[m]" in outer_row(out, 23, False))

    def osc52(text):
        import base64
        data = base64.b64encode(text.encode()).decode()
        rmux("send-keys", "-t", "m", "-l", "\033]52;c;%s\007" % data)
        # cat echoes the sequence back to the pane's output as typed.
        rmux("send-keys", "-t", "m", "C-j")

    def buffers():
        return rmux("list-buffers", "-F", "#{buffer_sample}").stdout.split("\n")[:-1]

    def outer_buffer():
        return outer_cmd(out, "show-buffer")

    rmux("set-option", "-g", "set-clipboard", "on")
    osc52("first copy")
    wait_for("paste buffer from OSC 52", lambda: "first copy" in buffers())
    wait_for("outer terminal's clipboard", lambda: outer_buffer() == "first copy")
    rmux("set-option", "-g", "set-clipboard", "external")
    osc52("second")
    wait_for("forwarded with external", lambda: outer_buffer() == "second")
    expect("second" not in buffers(), "external made a buffer: %r" % buffers())
    rmux("set-option", "-g", "set-clipboard", "off")
    osc52("third")
    rmux("set-option", "-g", "set-clipboard", "external")
    osc52("fourth")
    wait_for("forwarded again", lambda: outer_buffer() == "fourth")
    expect("third" not in buffers(), "off made a buffer")
    listed = outer_cmd(out, "list-buffers", "-F", "#{buffer_sample}").split("\n")
    expect("third" not in listed, "off forwarded: %r" % listed)
    # A copy in copy mode reaches the terminal's clipboard too (from the
    # command line: no client predicted it), unless set-clipboard is off.
    rmux("send-keys", "-t", "m", "-l", "copied-from-copy-mode")
    rmux("send-keys", "-t", "m", "C-j")
    for setting, want in (("off", "fourth"), ("external", "copied-from-copy-mode")):
        rmux("set-option", "-g", "set-clipboard", setting)
        rmux("copy-mode", "-t", "m")
        rmux("send-keys", "-t", "m", "-X", "search-backward", "copied-from")
        rmux("send-keys", "-t", "m", "-X", "begin-selection")
        rmux("send-keys", "-t", "m", "-X", "end-of-line")
        rmux("send-keys", "-t", "m", "-X", "copy-selection-and-cancel")
        wait_for("copied (%s)" % setting, lambda: buffers()[:1] == ["copied-from-copy-mode"],
                 limit=5)
        time.sleep(0.5)
        expect(outer_buffer() == want, "set-clipboard %s: outer clipboard %r" %
               (setting, outer_buffer()))


def case_fd_exhaustion():
    """A daemon out of file descriptors: new-window and split-window fail
    with tmux's message, existing panes carry on, waiting command lines do
    not make it spin on accept(), and room made by kill-window is used."""
    subprocess.run(["sh", "-c", 'ulimit -n 48; exec "$0" -L "$1" -f /dev/null new-session -d '
                    '-s m -x 80 -y 24 cat', RMUX, NAME], env=ENV, check=True, timeout=60)
    spid = int(rmux("display-message", "-p", "#{pid}").stdout)
    for i in range(60):
        p = rmux("new-window", "-d", "-t", "m", "cat", check=False)
        if p.returncode != 0:
            break
    expect(p.returncode == 1 and
           p.stderr == "create window failed: fork failed: Too many open files\n",
           "new-window: %r" % p.stderr)
    p = rmux("split-window", "-d", "-t", "m:0", "cat", check=False)
    expect(p.returncode == 1 and
           p.stderr == "create pane failed: fork failed: Too many open files\n",
           "split-window: %r" % p.stderr)
    expect(rmux("display-message", "-p", "-t", "m:0", "#{window_panes}").stdout == "1\n",
           "the failed split left no pane")
    # The panes there still work.
    rmux("send-keys", "-t", "m:0", "still alive", "Enter")
    wait_for("old pane echoes", lambda: "still alive" in
             rmux("capture-pane", "-p", "-t", "m:0").stdout)
    # Hold connections until accept() itself fails; then a command line
    # waiting in the backlog must not make the daemon spin.
    path = os.path.join(SOCKDIR, NAME)
    held = []
    for _ in range(40):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(path)
        held.append(c)
    time.sleep(0.5)

    def cpu():
        f = open("/proc/%d/stat" % spid).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    waiting = subprocess.Popen([RMUX, "-L", NAME, "display-message", "-p", "served"], env=ENV,
                               stdout=subprocess.PIPE, text=True)
    time.sleep(0.3)
    before, t0 = cpu(), time.monotonic()
    time.sleep(2.0)
    used, spent = cpu() - before, time.monotonic() - t0
    expect(used < 0.5 * spent, "daemon busy at EMFILE: %.2fs cpu in %.2fs" % (used, spent))
    for c in held:
        c.close()
    out, _ = waiting.communicate(timeout=30)
    expect(out == "served\n", "waiting command served: %r" % out)
    # Make room: the next window works.
    wins = rmux("list-windows", "-t", "m", "-F", "#{window_index}").stdout.split()
    for w in wins[1:]:
        rmux("kill-window", "-t", "m:" + w)
    rmux("new-window", "-t", "m", "cat")
    expect(server_alive(), "server alive")


def cleanup():
    for o in OUTERS:
        subprocess.run(["tmux", "-L", o, "kill-server"], env=ENV, capture_output=True)
    subprocess.run([RMUX, "-L", NAME, "kill-server"], env=ENV, capture_output=True)
    if os.path.isdir(SOCKDIR):
        os.chmod(SOCKDIR, 0o700)
    deadline = time.monotonic() + 10
    while os.path.exists(os.path.join(SOCKDIR, NAME)) and time.monotonic() < deadline:
        time.sleep(0.05)


def run_case(cases, cleanup_fn):
    """Run case_CASE of CASES (a script's globals()), then CLEANUP_FN even
    on failure; any sanitizer report fails the case. The exit status."""
    fn = cases.get("case_" + CASE)
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
        cleanup_fn()
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


def main():
    return run_case(globals(), cleanup)


if __name__ == "__main__":
    sys.exit(main())
