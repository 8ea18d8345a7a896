#!/usr/bin/env python3
"""End-to-end tests of the client: rmux runs inside an outer tmux pane of
80x24 (the terminal a person would use); keys are typed with send-keys to
the outer pane and what the person sees is read with capture-pane of the
outer pane. The daemon's own capture-pane is the truth the outer screen
must show at each pane's position. Two outer sessions of one outer tmux
stand for two terminals attached at once.

Usage: test_attach.py RMUX CASE. Each case has its own socket directory,
socket names and outer tmux server, killed at the end even on failure."""
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

RMUX = os.path.abspath(sys.argv[1])
CASE = sys.argv[2]
TMP = tempfile.mkdtemp(prefix="rmux-attach-")
NAME = "att%d" % os.getpid()
OUTER = "outer%d" % os.getpid()
ENV = dict(os.environ)
ENV["RMUX_TMPDIR"] = TMP
ENV["LANG"] = "C.UTF-8"
ENV["SHELL"] = "/bin/sh"
ENV["PS1"] = "$ "
for k in ("RMUX", "RMUX_PANE", "TMUX", "TMUX_PANE", "COLORTERM"):
    ENV.pop(k, None)
ASAN_DIR = os.path.join(TMP, "asan")
os.mkdir(ASAN_DIR)
ENV["ASAN_OPTIONS"] = (ENV.get("ASAN_OPTIONS", "") +
                       ":log_path=" + os.path.join(ASAN_DIR, "report")).lstrip(":")
W, H = 80, 24


def rmux(*args, check=True, timeout=60, env=None):
    p = subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null"] + list(args), env=env or ENV,
                       capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("rmux %s failed (%d): %s" % (args, p.returncode, p.stderr))
    return p


def run_tty(args, timeout=60):
    """Run ARGS with a pseudo-terminal as stdin and stdout (the client
    insists on one) and stderr captured."""
    master, slave = os.openpty()
    try:
        p = subprocess.run(args, stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=ENV,
                           text=True, timeout=timeout)
    finally:
        os.close(slave)
        os.close(master)
    return p


def outer(*args):
    p = subprocess.run(["tmux", "-L", OUTER, "-f", "/dev/null"] + list(args),
                       capture_output=True, text=True, timeout=60, env=ENV)
    if p.returncode != 0:
        raise AssertionError("outer tmux %s failed: %s" % (args, p.stderr))
    return p.stdout


def screen(target=None):
    """The outer pane (of outer session TARGET) as a person sees it: H rows
    of W cells."""
    rows = outer("capture-pane", "-p", *(["-t", target] if target else [])).split("\n")[:H]
    return [r.ljust(W) for r in rows] + [" " * W] * (H - len(rows))


def wait_for(what, pred, limit=30.0):
    end = time.monotonic() + limit
    last = None
    while time.monotonic() < end:
        last = pred()
        if last:
            return last
        time.sleep(0.05)
    raise AssertionError("timed out waiting for %s; outer screen:\n%s" %
                         (what, "\n".join(screen())))


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def start_outer(name=None):
    """An outer tmux whose one pane is W x H and runs a plain sh; NAME
    makes another outer session (a second terminal) beside the first."""
    named = ["-s", name] if name else []
    target = ["-t", name] if name else []
    outer("new-session", "-d", *named, "-x", str(W), "-y", str(H), "/bin/sh")
    outer("set", "-g", "status", "off")
    outer("set", "-g", "default-terminal", "tmux-256color")
    outer("resize-window", *target, "-x", str(W), "-y", str(H))
    wait_for("outer prompt", lambda: is_prompt(screen(name)[0]))


def is_prompt(line):
    """A shell prompt (sh's "$ " or "# ", bash's "user@host:dir$ ")."""
    return line.rstrip().endswith(("$", "#"))


def type_line(text, target=None):
    t = ["-t", target] if target else []
    outer("send-keys", *t, "-l", text)
    outer("send-keys", *t, "Enter")


def client_cmd(*args):
    return "%s -L %s -f /dev/null %s; echo EXIT=$?" % (RMUX, NAME, " ".join(args))


def pane_truth(target):
    """The daemon's capture of a pane, with its geometry."""
    geo = rmux("display-message", "-p", "-t", target,
               "#{pane_left} #{pane_top} #{pane_width} #{pane_height}").stdout.split()
    x, y, w, h = map(int, geo)
    text = rmux("capture-pane", "-p", "-t", target).stdout.split("\n")
    return x, y, w, h, text


def shows_pane(target, outer_target=None):
    """The outer screen equals the daemon's capture of TARGET at its place."""
    x, y, w, h, text = pane_truth(target)
    s = screen(outer_target)
    for j in range(h):
        want = (text[j] if j < len(text) else "").ljust(w)[:w].rstrip()
        got = s[y + j][x:x + w].rstrip()
        if want != got:
            return False
    return True


def outer_flag(fmt, target=None):
    return outer("display-message", "-p", *(["-t", target] if target else []), fmt).strip()


def attached_ok(target=None):
    return outer_flag("#{alternate_on}", target) == "1"


def detach_check(session, keys=("C-^", "."), target=None):
    """KEYS (Ctrl-^ . quits locally; prefix d asks the daemon; none: the
    caller detached the client some other way) end the client with the
    detach line and exit 0; the terminal comes back as it was."""
    if keys:
        outer("send-keys", *(["-t", target] if target else []), *keys)
    wait_for("detached line", lambda: any(
        l.startswith("[detached (from session %s)]" % session) for l in screen(target)))
    wait_for("exit status", lambda: any(l.startswith("EXIT=0") for l in screen(target)))
    expect(outer_flag("#{alternate_on}", target) == "0", "still on the alternate screen")
    expect(outer_flag("#{cursor_flag}", target) == "1", "cursor left hidden")
    mode = outer_flag("#{keypad_cursor_flag}#{mouse_any_flag}"
                      "#{mouse_button_flag}#{mouse_standard_flag}", target)
    expect(mode == "0000", "terminal modes left on: %s" % mode)
    # The outer shell still works and echoes normally (cooked mode back).
    type_line("echo back-$((6*7))", target)
    wait_for("outer shell", lambda: any(l.startswith("back-42") for l in screen(target)))


# ---- cases ----

def case_local():
    start_outer()
    type_line(client_cmd())
    wait_for("attached", attached_ok)
    wait_for("inner prompt", lambda: is_prompt(screen()[0]))
    # The status line shows the window list on the bottom row.
    wait_for("status line", lambda: screen()[H - 1].startswith("[0] 0:"))
    session = rmux("display-message", "-p", "#{session_name}").stdout.strip()
    type_line("echo hello")
    wait_for("hello", lambda: any(l.startswith("hello") for l in screen()))
    wait_for("screen = server", lambda: shows_pane("%s:0.0" % session))
    # Split: two panes and a border between them.
    rmux("split-window", "-h", "-t", session)
    x, y, w, h, _ = pane_truth("%s:0.1" % session)
    expect(x > 1, "right pane at %d" % x)

    def border():
        s = screen()
        return all(s[j][x - 1] == "\u2502" for j in range(h))
    wait_for("border", border)
    # Two panes side by side, the right one active: the lower half of the
    # border is green, as tmux draws it.
    esc = outer("capture-pane", "-p", "-e").split("\n")
    expect("\x1b[32m\u2502" in esc[h - 1] and "\x1b[32m\u2502" not in esc[0],
           "active border colour: %r / %r" % (esc[0][-40:], esc[h - 1][-40:]))
    wait_for("right prompt", lambda: is_prompt(screen()[0][x:]))
    type_line("echo right")
    wait_for("right", lambda: any(l[x:].startswith("right") for l in screen()))
    wait_for("left pane = server", lambda: shows_pane("%s:0.0" % session))
    wait_for("right pane = server", lambda: shows_pane("%s:0.1" % session))
    # A bell in a pane rings the outer terminal (the outer session has no
    # client, so tmux flags its window).
    expect(outer("display-message", "-p", "#{window_bell_flag}").strip() == "0", "early bell")
    type_line("printf '\\a'")
    wait_for("bell", lambda: outer("display-message", "-p", "#{window_bell_flag}").strip()
             == "1")
    # The daemon's status line is on the client's bottom row.
    status = rmux("display-message", "-p", "#{window_index}:#{window_name}").stdout.strip()
    expect(screen()[H - 1].startswith("[%s] %s" % (session, status)),
           "status line %r" % screen()[H - 1])
    detach_check(session)


def case_reattach():
    start_outer()
    rmux("new-session", "-d", "-s", "keep", "-x", str(W), "-y", str(H))
    rmux("send-keys", "-t", "keep", "echo before-attach", "Enter")
    type_line(client_cmd("attach", "-t", "keep"))
    wait_for("attached", attached_ok)
    wait_for("old output", lambda: any(l.startswith("before-attach") for l in screen()))
    type_line("echo one")
    wait_for("one", lambda: any(l.startswith("one") for l in screen()))
    detach_check("keep")
    # A second client process sees the same pane and cursor.
    outer("send-keys", "clear", "Enter")
    type_line(client_cmd("attach-session", "-t", "keep"))
    wait_for("attached again", attached_ok)
    wait_for("same pane", lambda: shows_pane("keep:0.0"))
    expect(any(l.startswith("one") for l in screen()), "output lost on reattach")
    detach_check("keep")


def case_resize():
    start_outer()
    type_line(client_cmd())
    wait_for("attached", attached_ok)
    session = rmux("display-message", "-p", "#{session_name}").stdout.strip()
    wait_for("server size", lambda: rmux("display-message", "-p", "-t", session,
                                         "#{window_width}x#{window_height}").stdout.strip()
             == "%dx%d" % (W, H - 1))
    outer("resize-window", "-x", "60", "-y", "20")
    wait_for("resized", lambda: rmux("display-message", "-p", "-t", session,
                                     "#{window_width}x#{window_height}").stdout.strip()
             == "60x19")
    wait_for("status moved", lambda: outer("capture-pane", "-p").split("\n")[19]
             .startswith("[%s]" % session))
    outer("resize-window", "-x", str(W), "-y", str(H))
    detach_check(session)


def case_fake_ssh():
    """attach HOST through an --ssh command that runs the bootstrap here, as
    ssh would run it on the host; then errors for a failing ssh and a host
    without rmux."""
    start_outer()
    fake = os.path.join(TMP, "fake-ssh")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\n# fake ssh: HOST -- CMD ARGS...\nhost=$1; shift; shift\n"
                "cmd=$1; shift\nexec \"$cmd\" -L %s -f /dev/null \"$@\"\n" % NAME)
    os.chmod(fake, 0o755)
    rmux("new-session", "-d", "-s", "remote", "-x", str(W), "-y", str(H))
    type_line(client_cmd("attach", "-t", "remote", "--ssh", fake, "--server-cmd", RMUX,
                         "--server-addr", "127.0.0.1", "somehost"))
    wait_for("attached", attached_ok)
    wait_for("prompt", lambda: is_prompt(screen()[0]))
    type_line("echo over-ssh")
    wait_for("typed", lambda: any(l.startswith("over-ssh") for l in screen()))
    detach_check("remote")
    # ssh failing: its stderr in one line, exit 1.
    p = run_tty([RMUX, "-L", NAME, "attach", "--ssh",
                 "sh -c 'echo ssh: connect to host nowhere port 22: "
                 "Connection refused >&2; exit 255'", "nowhere"])
    expect(p.returncode == 1, "ssh failure exit %d" % p.returncode)
    expect("Connection refused" in p.stderr and p.stderr.count("\n") == 1,
           "ssh failure message %r" % p.stderr)
    # No rmux on the host: the remote shell's 127.
    p = run_tty([RMUX, "-L", NAME, "attach", "--ssh",
                 "sh -c 'echo sh: 1: rmux: not found >&2; exit 127'", "bare"])
    expect(p.returncode == 1 and "no rmux on bare" in p.stderr,
           "missing rmux message %r" % p.stderr)


def case_connect_errors():
    # A key but nobody answering: the client says so after 15 s.
    start_outer()
    outer("send-keys", "-l", "RMUX_KEY=AAECAwQFBgcICQoLDA0ODw " + client_cmd(
        "connect", "127.0.0.1", "9"))
    outer("send-keys", "Enter")
    wait_for("no reply message", lambda: any(
        "no reply from 127.0.0.1 on UDP port 9; is a firewall blocking it?" in l
        for l in screen()), limit=40)
    wait_for("exit status", lambda: any(l.startswith("EXIT=1") for l in screen()))
    expect(outer("display-message", "-p", "#{alternate_on}").strip() == "0",
           "still on the alternate screen")
    p = run_tty([RMUX, "connect", "127.0.0.1", "9"])
    expect(p.returncode == 1 and "RMUX_KEY" in p.stderr, "no key: %r" % p.stderr)
    # Without a terminal nothing is created.
    p = subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null"], env=ENV, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=30)
    expect(p.returncode == 1 and "not a terminal" in p.stderr, "no tty: %r" % p.stderr)
    expect(rmux("ls", check=False).returncode != 0, "a session was made without a terminal")


def case_exited():
    start_outer()
    type_line(client_cmd())
    wait_for("attached", attached_ok)
    session = rmux("display-message", "-p", "#{session_name}").stdout.strip()
    rmux("new-session", "-d", "-s", "spare")
    rmux("kill-session", "-t", session)
    wait_for("exited line", lambda: any(l.startswith("[exited]") for l in screen()))
    wait_for("exit status", lambda: any(l.startswith("EXIT=0") for l in screen()))
    expect(outer("display-message", "-p", "#{alternate_on}").strip() == "0",
           "still on the alternate screen")


def case_outage():
    """The daemon stopped for 12 s: the bar appears on the top row and
    counts; when the daemon runs again the bar goes (the client has moved
    to a new source port by then) and typing works."""
    start_outer()
    type_line(client_cmd())
    wait_for("attached", attached_ok)
    wait_for("inner prompt", lambda: is_prompt(screen()[0]))
    session = rmux("display-message", "-p", "#{session_name}").stdout.strip()
    pid = int(rmux("display-message", "-p", "#{pid}").stdout.strip())
    os.kill(pid, signal.SIGSTOP)
    try:
        bar = wait_for("bar", lambda: screen()[0] if screen()[0].startswith(
            "rmux: Last contact ") else None, limit=20)
        expect(bar.rstrip().endswith("seconds ago. [To quit: Ctrl-^ .]"), "bar %r" % bar)
        esc = outer("capture-pane", "-p", "-e").split("\n")[0]
        expect("\x1b[1m" in esc and "\x1b[37m" in esc and "\x1b[44m" in esc,
               "bar style %r" % esc[:40])
        first = int(bar.split()[3])
        wait_for("bar counting", lambda: screen()[0].startswith("rmux: Last contact ") and
                 int(screen()[0].split()[3]) > first)
        time.sleep(max(0.0, 12 - first))
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_for("bar gone", lambda: not screen()[0].startswith("rmux: Last contact"))
    type_line("echo after-outage")
    wait_for("typed", lambda: any(l.startswith("after-outage") for l in screen()))
    wait_for("screen = server", lambda: shows_pane("%s:0.0" % session))
    detach_check(session)


def free_tcp_port():
    import socket
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def case_ssh():
    """`rmux attach HOST` through a real sshd on 127.0.0.1 with throwaway
    host and user keys and a generated ssh config (the host is a name only
    that config knows)."""
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    for k in ("hostkey", "userkey"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        os.path.join(TMP, k)], check=True, env=ENV)
    shutil.copy(os.path.join(TMP, "userkey.pub"), os.path.join(TMP, "authorized_keys"))
    port = free_tcp_port()
    user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    with open(os.path.join(TMP, "sshd_config"), "w") as f:
        f.write("Port %d\nListenAddress 127.0.0.1\nHostKey %s/hostkey\n"
                "AuthorizedKeysFile %s/authorized_keys\nStrictModes no\n"
                "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
                "PermitRootLogin prohibit-password\nPidFile %s/sshd.pid\n"
                "AcceptEnv LANG LC_*\n" % (port, TMP, TMP, TMP))
    with open(os.path.join(TMP, "ssh_config"), "w") as f:
        f.write("Host rmuxhost\n  HostName 127.0.0.1\n  Port %d\n  User %s\n"
                "  IdentityFile %s/userkey\n  IdentitiesOnly yes\n  BatchMode yes\n"
                "  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n"
                "  LogLevel ERROR\n" % (port, user, TMP))
    # The remote side finds this test's daemon through a wrapper (ssh passes
    # no environment of ours but the locale).
    wrapper = os.path.join(TMP, "remote-rmux")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\necho \"$LANG $LC_ALL\" > %s/remote-locale\n"
                "export RMUX_TMPDIR=%s ASAN_OPTIONS='%s'\n"
                "exec %s -L %s -f /dev/null \"$@\"\n" % (TMP, TMP, ENV["ASAN_OPTIONS"], RMUX,
                                                            NAME))
    os.chmod(wrapper, 0o755)
    if not os.path.isdir("/run/sshd"):
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    daemon = subprocess.Popen([sshd, "-D", "-e", "-f", os.path.join(TMP, "sshd_config")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    try:
        ssh = "ssh -F %s/ssh_config" % TMP
        # The remote login shell's own start-up (its rc files) is part of
        # every ssh round trip and none of rmux's doing: measured here, said
        # when slow, and allowed for wherever ssh runs below.
        probe = [0.0]

        def ssh_ok():
            t0 = time.monotonic()
            ok = subprocess.run(ssh.split() + ["rmuxhost", "true"],
                                capture_output=True).returncode == 0
            probe[0] = time.monotonic() - t0
            return ok
        wait_for("sshd", ssh_ok, limit=20)
        slow = probe[0]
        if slow > 5:
            sys.stderr.write("note: `ssh rmuxhost true` takes %.0f s (remote shell start-up, "
                             "e.g. ~/.bashrc); waits extended by that\n" % slow)
        start_outer()
        type_line(client_cmd("attach", "-t", "sshs", "--ssh", "'%s'" % ssh,
                             "--server-cmd", wrapper, "rmuxhost"))
        wait_for("attached", attached_ok, limit=30 + slow)
        wait_for("prompt", lambda: is_prompt(screen()[0]))
        with open(os.path.join(TMP, "remote-locale")) as f:
            expect(f.read().split() == ["C.UTF-8", "C.UTF-8"], "remote locale not passed")
        rmux("split-window", "-h", "-t", "sshs")
        x = pane_truth("sshs:0.1")[0]
        wait_for("right prompt", lambda: is_prompt(screen()[0][x:]))
        type_line("echo through-sshd")
        wait_for("typed", lambda: any(l[x:].startswith("through-sshd") for l in screen()))
        wait_for("left = server", lambda: shows_pane("sshs:0.0"))
        wait_for("right = server", lambda: shows_pane("sshs:0.1"))
        expect(screen()[H - 1].startswith("[sshs] 0:"), "status %r" % screen()[H - 1])
        detach_check("sshs")
        # A host without rmux: the remote shell's "not found", one line.
        p = run_tty([RMUX, "attach", "--ssh", ssh, "--server-cmd", "/nonexistent/rmux",
                     "rmuxhost"], timeout=60 + slow)
        expect(p.returncode == 1 and "no rmux on rmuxhost" in p.stderr and
               p.stderr.count("\n") == 1, "missing rmux: %r" % p.stderr)
        # ssh failing (nothing listens on that port): ssh's own words.
        p = run_tty([RMUX, "attach", "--ssh", ssh + " -p 1", "--server-cmd", wrapper,
                     "rmuxhost"])
        expect(p.returncode == 1 and "ssh to rmuxhost failed" in p.stderr and
               "refused" in p.stderr, "ssh failure: %r" % p.stderr)
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


RELAY = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None


def start_relay(server_port, *impair):
    """The impairment relay in front of the daemon's UDP port; returns the
    process and the port the client should use."""
    port_file = os.path.join(TMP, "relay-port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    proc = subprocess.Popen([RELAY, "--listen", "127.0.0.1:0", "--to",
                             "127.0.0.1:%d" % server_port, "--port-file", port_file,
                             "--seed", "7", "--time-limit", "240", "--quiet"] + list(impair),
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for("relay port", lambda: os.path.exists(port_file) and
             open(port_file).read().strip() != "", limit=10)
    return proc, int(open(port_file).read().strip())


def connect_through_relay(session, *impair):
    line = rmux("bootstrap", "-t", session).stdout.strip().split()
    expect(line[:2] == ["RMUX", "CONNECT"], "bootstrap said %r" % line)
    relay, port = start_relay(int(line[2]), *impair)
    keyfile = os.path.join(TMP, "key")
    with open(keyfile, "w") as f:
        f.write(line[3])
    start_outer()
    type_line('RMUX_KEY=$(cat %s) %s' % (keyfile, client_cmd("connect", "127.0.0.1", str(port))))
    wait_for("attached", attached_ok)
    return relay


def converges(target, limit=30):
    wait_for("outer screen = server (%s)" % target, lambda: shows_pane(target), limit=limit)


def case_relay_impaired():
    """20% loss each way and 200 ms round trip: commands, a full-screen
    program and copy mode; the outer screen converges to the server's."""
    rmux("new-session", "-d", "-s", "lossy", "-x", str(W), "-y", str(H))
    relay = connect_through_relay("lossy", "--loss", "20", "--delay", "100")
    try:
        wait_for("prompt", lambda: is_prompt(screen()[0]), limit=30)
        type_line("seq 1 300")
        wait_for("seq", lambda: any(l.startswith("300") for l in screen()), limit=30)
        converges("lossy:0.0")
        type_line("less /etc/services")
        wait_for("less", lambda: rmux("display-message", "-p", "-t", "lossy",
                                      "#{alternate_on}").stdout.strip() == "1", limit=30)
        converges("lossy:0.0")
        outer("send-keys", "Space")
        converges("lossy:0.0")
        outer("send-keys", "q")
        wait_for("less quit", lambda: rmux("display-message", "-p", "-t", "lossy",
                                           "#{alternate_on}").stdout.strip() == "0", limit=30)
        converges("lossy:0.0")
        outer("send-keys", "C-b", "[")
        # Copy mode's position indicator in the top right corner.
        wait_for("copy mode", lambda: screen()[0].rstrip().endswith("/300]") or
                 "[0/" in screen()[0], limit=30)
        outer("send-keys", "PageUp")
        wait_for("scrolled", lambda: "[0/" not in screen()[0], limit=30)

        def consecutive():
            # The server's capture shows the live screen, not copy mode's
            # viewport: check that the viewport is whole and in order.
            s = screen()
            try:
                first = int(s[0].split()[0])
                return all(s[j].split()[0] == str(first + j) for j in range(H - 1))
            except (ValueError, IndexError):
                return False
        wait_for("copy mode viewport", consecutive, limit=30)
        outer("send-keys", "q")
        wait_for("copy mode left", lambda: "/" not in screen()[0][60:], limit=30)
        converges("lossy:0.0")
        detach_check("lossy")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def case_roam():
    """The relay moves the client's traffic to a new source address every
    2 s for 30 s: typing keeps working and nothing is lost."""
    rmux("new-session", "-d", "-s", "roamer", "-x", str(W), "-y", str(H))
    relay = connect_through_relay("roamer", "--roam-every", "2000", "--delay", "20")
    try:
        wait_for("prompt", lambda: is_prompt(screen()[0]), limit=30)
        type_line("clear")
        wait_for("cleared", lambda: is_prompt(screen()[0]) and "clear" not in screen()[0])
        end = time.monotonic() + 30
        n = 0
        while time.monotonic() < end:
            n += 1
            outer("send-keys", "-l", "echo r%d-ok" % n)
            outer("send-keys", "Enter")
            time.sleep(1.0)
        cap = rmux("capture-pane", "-p", "-S", "-", "-t", "roamer").stdout
        # Output lines; a line typed ahead of the prompt (while clear ran)
        # has its output after the prompt.
        got = [m.group(1) for m in (re.match(r"^(?:[#$] )?(r[0-9]+-ok)$", l)
                                    for l in cap.split("\n")) if m]
        expect(got == ["r%d-ok" % i for i in range(1, n + 1)],
               "lines lost or reordered while roaming: %r\n%s" % (got, cap[:600]))
        converges("roamer:0.0")
        detach_check("roamer")
    finally:
        relay.terminate()
        relay.wait(timeout=10)


def client_pid(target=None):
    """The client: the rmux process under the outer pane's shell."""
    top = outer_flag("#{pane_pid}", target)
    p = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,comm="], capture_output=True, text=True)
    procs = [l.split() for l in p.stdout.split("\n") if len(l.split()) == 3]
    under, pids = {top}, []
    for _ in range(4):
        under |= {pid for pid, ppid, _ in procs if ppid in under}
    pids = [pid for pid, _, comm in procs if pid in under and comm == "rmux"]
    expect(len(pids) == 1, "client processes under the outer pane %s: %r" % (top, pids))
    return int(pids[0])


def layout(session):
    return rmux("list-panes", "-s", "-t", session, "-F",
                "#{window_index}.#{pane_index} #{pane_id} #{pane_left},#{pane_top} "
                "#{pane_width}x#{pane_height}").stdout


def case_kill9():
    """A client killed by SIGKILL (no goodbye, the terminal left raw on the
    alternate screen): the session lives on, and a new client process in a
    new terminal sees the same windows and panes, and copy mode reaches a
    line far up the scrollback."""
    rmux("new-session", "-d", "-s", "k9", "-x", str(W), "-y", str(H))
    rmux("set", "-g", "mode-keys", "emacs")
    rmux("send-keys", "-t", "k9", "echo far-up-marker; seq 1 300", "Enter")
    wait_for("seq", lambda: "\n300\n" in rmux("capture-pane", "-p", "-t", "k9").stdout)
    rmux("split-window", "-h", "-t", "k9")
    rmux("new-window", "-t", "k9")
    rmux("select-window", "-t", "k9:0")
    rmux("select-pane", "-t", "k9:0.0")
    start_outer()
    type_line(client_cmd("attach", "-t", "k9"))
    wait_for("attached", attached_ok)
    wait_for("left pane", lambda: shows_pane("k9:0.0"))
    wait_for("right pane", lambda: shows_pane("k9:0.1"))
    before = layout("k9")
    os.kill(client_pid(), signal.SIGKILL)
    # The terminal goes with it, as a closed window or a dropped ssh would.
    subprocess.run(["tmux", "-L", OUTER, "kill-server"], capture_output=True, env=ENV)
    expect(rmux("has-session", "-t", "k9", check=False).returncode == 0, "session gone")
    expect(layout("k9") == before, "windows or panes changed:\n%s\n%s" % (before, layout("k9")))
    start_outer()
    type_line(client_cmd("attach", "-t", "k9"))
    wait_for("attached again", attached_ok)
    wait_for("left pane again", lambda: shows_pane("k9:0.0"))
    wait_for("right pane again", lambda: shows_pane("k9:0.1"))
    wait_for("both windows in the status line",
             lambda: re.match(r"\[k9\] 0:\S+\* 1:\S+- ", screen()[H - 1]))
    x, y, _, h, _ = pane_truth("k9:0.1")
    expect(all(screen()[j][x - 1] == "\u2502" for j in range(h)), "no border")
    w = pane_truth("k9:0.0")[2]
    # Copy mode in the left pane, to the top of its history.
    outer("send-keys", "C-b", "[")
    wait_for("copy mode", lambda: rmux("display-message", "-p", "-t", "k9:0.0",
                                       "#{pane_in_mode}").stdout.strip() == "1")
    outer("send-keys", "M-<")
    wait_for("far-up line", lambda: any(l[:w].startswith("far-up-marker") for l in screen()))
    wait_for("first numbers", lambda: any(l[:w].rstrip() == "1" for l in screen()))
    outer("send-keys", "q")
    wait_for("copy mode left", lambda: rmux("display-message", "-p", "-t", "k9:0.0",
                                            "#{pane_in_mode}").stdout.strip() == "0")
    wait_for("live pane", lambda: shows_pane("k9:0.0"))
    detach_check("k9")


def case_two_clients():
    """Two terminals attached to one session see the same window; what is
    typed in either shows in both; a new window appears in both; then
    detach-client -s from the command line ends both."""
    rmux("new-session", "-d", "-s", "both", "-x", str(W), "-y", str(H))
    start_outer("A")
    start_outer("B")
    type_line(client_cmd("attach", "-t", "both"), "A")
    wait_for("A attached", lambda: attached_ok("A"))
    type_line(client_cmd("attach", "-t", "both"), "B")
    wait_for("B attached", lambda: attached_ok("B"))
    wait_for("two clients", lambda: len(rmux("list-clients", "-t", "both").stdout.split("\n"))
             == 3)
    for term in ("A", "B"):
        wait_for("prompt in " + term, lambda: is_prompt(screen(term)[0]))

    def ready_after(text):
        # The output, then the shell's prompt again (nothing typed ahead).
        lines = [l for l in rmux("capture-pane", "-p", "-t", "both").stdout.split("\n") if l]
        return len(lines) >= 2 and lines[-2] == text and is_prompt(lines[-1])
    for typist, n in (("A", 2), ("B", 3)):
        text = "typed-%d-in-%s" % (21 * n, typist)
        type_line("echo typed-$((%d*21))-in-%s" % (n, typist), typist)
        for term in ("A", "B"):
            wait_for("%s on %s" % (text, term),
                     lambda: any(l.startswith(text) for l in screen(term)))
        wait_for("prompt after " + text, lambda: ready_after(text))
    for term in ("A", "B"):
        wait_for("%s = server" % term, lambda: shows_pane("both:0.0", term))
    rmux("new-window", "-t", "both")
    for term in ("A", "B"):
        wait_for("new window on " + term,
                 lambda: re.match(r"\[both\] 0:\S+- 1:\S+\* ", screen(term)[H - 1]))
        wait_for("%s = server" % term, lambda: shows_pane("both:1.0", term))
    rmux("detach-client", "-s", "both")
    for term in ("A", "B"):
        detach_check("both", keys=(), target=term)
    expect(rmux("has-session", "-t", "both", check=False).returncode == 0, "session gone")
    expect(rmux("list-clients").stdout == "", "clients left")


def case_detach():
    """prefix d detaches: the daemon's view says so and the client ends
    with the detach line; detach-client from the command line does the same
    to the client it names; the session stays."""
    start_outer()
    type_line(client_cmd())
    wait_for("attached", attached_ok)
    wait_for("inner prompt", lambda: is_prompt(screen()[0]))
    session = rmux("display-message", "-p", "#{session_name}").stdout.strip()
    detach_check(session, keys=("C-b", "d"))
    expect(rmux("has-session", "-t", session, check=False).returncode == 0, "session gone")
    outer("send-keys", "clear", "Enter")
    type_line(client_cmd("attach", "-t", session))
    wait_for("attached again", attached_ok)
    wait_for("one client", lambda: rmux("list-clients", "-F", "#{client_name}").stdout
             .startswith("udp:"))
    name = rmux("list-clients", "-F", "#{client_name}").stdout.split()
    expect(len(name) == 1, "clients %r" % name)
    rmux("detach-client", "-t", name[0])
    detach_check(session, keys=())
    expect(rmux("list-clients").stdout == "", "clients left")
    # No client, no -t: an error, nothing else happens.
    p = rmux("detach-client", check=False)
    expect(p.returncode == 1 and "no current client" in p.stderr, "detach-client: %r" % p.stderr)
    expect(rmux("has-session", "-t", session, check=False).returncode == 0, "session gone")


def case_relative_socket():
    """-S and -f with relative paths (the daemon leaves for "/" before it
    binds and reads its config): the socket is made where the command line
    ran, and later commands from another directory reach it by either
    path."""
    sub = os.path.join(TMP, "sub")
    os.mkdir(sub, 0o700)
    with open(os.path.join(TMP, "rel.conf"), "w") as f:
        f.write("set -g @from-conf yes\n")

    def at(cwd, *args, check=True):
        p = subprocess.run([RMUX] + list(args), env=ENV, cwd=cwd, capture_output=True,
                           text=True, timeout=60)
        if check and p.returncode != 0:
            raise AssertionError("rmux %s in %s failed (%d): %s" % (args, cwd, p.returncode,
                                                                  p.stderr))
        return p
    try:
        at(TMP, "-S", "sub/sock", "-f", "rel.conf", "new-session", "-d", "-s", "rel", "cat")
        sock = os.path.join(sub, "sock")
        expect(stat.S_ISSOCK(os.stat(sock).st_mode), "no socket at %s" % sock)
        expect(at(sub, "-S", "sock", "ls", "-F", "#{session_name}").stdout == "rel\n",
               "ls from the socket's directory")
        expect(at("/", "-S", sock, "show", "-gv", "@from-conf").stdout == "yes\n",
               "relative config not read")
        # The server knows itself by the absolute path (its panes' $RMUX).
        rmux_var = at(TMP, "-S", "sub/sock", "display-message", "-p", "-t", "rel",
                      "#{socket_path}").stdout.strip()
        expect(rmux_var == sock, "socket_path %r" % rmux_var)
    finally:
        at(TMP, "-S", "sub/sock", "kill-server", check=False)


def run_in_pane(session, script, limit=30):
    """Run the shell SCRIPT in a new window of SESSION (its pane has the
    server's $RMUX and $RMUX_PANE, and a terminal on stdin and stdout);
    returns what it wrote to $OUT."""
    path = os.path.join(TMP, "in-pane.sh")
    out = os.path.join(TMP, "in-pane.out")
    done = os.path.join(TMP, "in-pane.done")
    for f in (out, done):
        if os.path.exists(f):
            os.unlink(f)
    with open(path, "w") as f:
        f.write(script)
    rmux("new-window", "-d", "-t", session, "OUT=%s sh %s; touch %s; exec cat" %
         (out, path, done))
    wait_for("script in pane", lambda: os.path.exists(done), limit=limit)
    return open(out).read()


def case_nested():
    """Inside a pane, `rmux COMMAND` reaches the pane's own server ($RMUX)
    without -L; attaching there again is refused with tmux's message
    unless the attach is detached (-d); -L names another server, which
    does not see the pane's $RMUX_PANE."""
    rmux("new-session", "-d", "-s", "host", "cat")
    other = NAME + "o"
    # The attaching forms keep the pane's terminal as stdout: only their
    # messages go to $OUT.
    script = (
        "exec 2>>$OUT\n"
        "echo RMUX=$RMUX >>$OUT\n"
        "{R} ls -F '#{{session_name}}' >>$OUT; echo ls=$? >>$OUT\n"
        "{R} display-message -p 'cur=#{{pane_id}}' >>$OUT\n"
        "echo pane=$RMUX_PANE >>$OUT\n"
        "{R} new -s inner; echo new=$? >>$OUT\n"
        "{R} attach -t host; echo attach=$? >>$OUT\n"
        "{R}; echo bare=$? >>$OUT\n"
        "{R} new -d -s detached; echo newd=$? >>$OUT\n"
        "{R} -L {O} -f /dev/null new -d -s elsewhere; echo other=$? >>$OUT\n"
        "{R} -L {O} split-window -d -t elsewhere\n"
        "{R} -L {O} display-message -p 'there=#{{pane_id}}' >>$OUT\n"
        "{R} -L {O} kill-server\n"
    ).format(R=RMUX, O=other)
    out = run_in_pane("host", script)
    lines = out.splitlines()
    sock = os.path.join(TMP, "rmux-%d" % os.getuid(), NAME)
    expect(any(l.startswith("RMUX=%s," % sock) for l in lines), "pane's $RMUX: %r" % lines)
    expect("host" in lines and "ls=0" in lines, "ls without -L inside a pane: %r" % lines)
    pane = [l[len("pane="):] for l in lines if l.startswith("pane=")][0]
    expect("cur=%s" % pane in lines, "current pane not the caller's: %r" % lines)
    msg = "rmux: sessions should be nested with care, unset $RMUX to force"
    for what in ("new", "attach", "bare"):
        i = lines.index("%s=1" % what)
        expect(lines[i - 1] == msg, "%s inside a pane: %r" % (what, lines[i - 1]))
    expect("newd=0" in lines and "other=0" in lines, "detached new refused: %r" % lines)
    # The other server has panes %0 (active) and %1: the caller's id (%1
    # here) means nothing there, so its current pane is its own active one.
    expect(pane == "%1" and "there=%0" in lines, "other server's current pane: %r" % lines)
    names = rmux("ls", "-F", "#{session_name}").stdout.split()
    expect(sorted(names) == ["detached", "host"], "sessions: %r" % names)


def case_new_attach():
    """`rmux new -s NAME` attaches the new session as tmux does; -A
    attaches an existing one; without a terminal nothing is created."""
    p = subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null", "new", "-s", "nott"],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, env=ENV,
                       timeout=60)
    expect(p.returncode == 1 and p.stderr == "rmux: open terminal failed: not a terminal\n",
           "no terminal: %d %r" % (p.returncode, p.stderr))
    expect(rmux("has-session", "-t", "nott", check=False).returncode == 1,
           "session made without a terminal")
    start_outer()
    type_line(client_cmd("new", "-s", "fresh", "-n", "first"))
    wait_for("attached", attached_ok)
    wait_for("status line", lambda: screen()[H - 1].startswith("[fresh] 0:first"))
    wait_for("screen = server", lambda: shows_pane("fresh:0.0"))
    detach_check("fresh")
    type_line(client_cmd("new", "-s", "fresh"))
    wait_for("duplicate refused", lambda: any(l.startswith("duplicate session: fresh")
                                              for l in screen()))
    wait_for("exit 1", lambda: any(l.startswith("EXIT=1") for l in screen()))
    outer("send-keys", "clear", "Enter")
    rmux("send-keys", "-t", "fresh", "echo kept-$((6*7))", "Enter")
    type_line(client_cmd("new", "-A", "-s", "fresh"))
    wait_for("attached to the existing one", attached_ok)
    wait_for("its output", lambda: any(l.startswith("kept-42") for l in screen()))
    # From a second terminal, -A -D takes the session over: the first
    # client is detached.
    start_outer("B")
    type_line(client_cmd("new", "-AD", "-s", "fresh"), "B")
    wait_for("B attached", lambda: attached_ok("B"))
    detach_check("fresh", keys=None, target="0:")  # the first outer session
    wait_for("one client", lambda: len(rmux("list-clients").stdout.splitlines()) == 1)
    detach_check("fresh", target="B")
    # Detached, -A makes nothing new and names the existing session.
    p = rmux("new", "-d", "-A", "-s", "fresh", "-P", "-F", "#{session_name}")
    expect(p.stdout == "fresh\n", "new -dA: %r" % p.stdout)
    names = rmux("ls", "-F", "#{session_name}").stdout.split()
    expect(names == ["fresh"], "sessions: %r" % names)


def tmux_too(tname, *args):
    p = subprocess.run(["tmux", "-L", tname, "-f", "/dev/null"] + list(args), env=ENV,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def case_list_filter():
    """-f FILTER of list-sessions, list-windows and list-panes: rows whose
    filter expands to "" or "0" are left out, as tmux 3.3a does."""
    tname = "rmuxf%d" % os.getpid()
    setup = [["new-session", "-d", "-s", "a", "-n", "one", "-x", "80", "-y", "24", "cat"],
             ["new-session", "-d", "-s", "b", "-n", "one", "-x", "80", "-y", "24", "cat"],
             ["new-window", "-t", "b", "-n", "two", "cat"],
             ["split-window", "-t", "b:two", "cat"],
             ["new-window", "-d", "-t", "b", "-n", "three", "cat"]]
    checks = [["ls", "-F", "#{session_name}", "-f", "#{==:#{session_name},b}"],
              ["ls", "-F", "#{session_name}", "-f", "0"],
              ["ls", "-F", "#{session_name}", "-f", ""],
              ["ls", "-F", "#{session_name}", "-f", "#{session_windows}"],
              ["lsw", "-t", "b", "-F", "#{window_name}", "-f", "#{window_active}"],
              ["lsw", "-a", "-F", "#{session_name}:#{window_name}", "-f",
               "#{!=:#{window_name},two}"],
              ["lsp", "-t", "b:two", "-F", "#{pane_index}", "-f", "#{pane_active}"],
              ["lsp", "-s", "-t", "b", "-F", "#{window_name}.#{pane_index}", "-f",
               "#{?pane_active,0,1}"],
              ["lsp", "-a", "-F", "#{pane_index}", "-f", "#{m:*o*,#{window_name}}"]]
    try:
        for args in setup:
            rmux(*args)
            code, _, err = tmux_too(tname, *args)
            expect(code == 0, "tmux %r: %s" % (args, err))
        for args in checks:
            p = rmux(*args, check=False)
            ours = (p.returncode, p.stdout, p.stderr)
            theirs = tmux_too(tname, *args)
            expect(ours == theirs, "%r: rmux %r tmux %r" % (args, ours, theirs))
            expect(p.returncode == 0, "%r failed" % args)
        # The filter did filter: fewer rows than without it.
        every = rmux("lsw", "-a", "-F", "#{window_name}").stdout.splitlines()
        some = rmux("lsw", "-a", "-F", "#{window_name}", "-f", "#{window_active}").stdout
        expect(len(some.splitlines()) == 2 and len(every) == 4, "lsw -f: %r" % some)
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True, env=ENV)


def case_update_environment():
    """update-environment is a session array option as in tmux 3.3a: shown
    one element per line, set, appended to, one index set or removed, and
    new sessions take the command line's variables it names."""
    tname = "rmuxu%d" % os.getpid()
    client = dict(ENV, DISPLAY=":5", FOO_ONE="1", FOO_TWO="2", BAR="b", XAUTHORITY="/x")
    client.pop("SSH_AUTH_SOCK", None)
    script = [["show", "-g", "update-environment"],
              ["set", "-g", "update-environment", "FOO_* BAR,DISPLAY"],
              ["show", "-g", "update-environment"],
              ["set", "-ga", "update-environment", "SSH_AUTH_SOCK"],
              ["set", "-g", "update-environment[7]", "XAUTHORITY"],
              ["set", "-gu", "update-environment[2]"],
              ["show", "-g", "update-environment"],
              ["show", "-gv", "update-environment"],
              ["show", "-g", "update-environment[7]"],
              ["set", "-g", "update-environment"],
              ["set", "-g", "status[1]", "on"],
              ["set", "-g", "update-environment[x]", "v"]]

    def both(*args):
        p = subprocess.run([RMUX, "-L", NAME, "-f", "/dev/null"] + list(args), env=client,
                           capture_output=True, text=True, timeout=60)
        t = subprocess.run(["tmux", "-L", tname, "-f", "/dev/null"] + list(args), env=client,
                           capture_output=True, text=True, timeout=60)
        return (p.returncode, p.stdout, p.stderr), (t.returncode, t.stdout, t.stderr)
    try:
        both("new-session", "-d", "-s", "first", "cat")
        for args in script:
            ours, theirs = both(*args)
            expect(ours == theirs, "%r: rmux %r tmux %r" % (args, ours, theirs))
        both("new-session", "-d", "-s", "second", "cat")
        ours, theirs = both("show-environment", "-t", "second")
        expect(ours == theirs, "session environment: rmux %r tmux %r" % (ours, theirs))
        # One variable per pattern (the first by name), as tmux 3.3a.
        expect("FOO_ONE=1\n" in ours[1] and "FOO_TWO" not in ours[1] and
               "DISPLAY" not in ours[1] and
               "XAUTHORITY=/x" in ours[1] and "-SSH_AUTH_SOCK" in ours[1],
               "second session's environment: %r" % ours[1])
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True, env=ENV)


def case_attach_environment():
    """Attaching (the bootstrap every attach runs) copies the client's
    update-environment variables into the session, as tmux's attach-session
    does; a session the bootstrap creates has them from its first pane on.
    Needs the bootstrap to call environ_update_options (src/server/
    cmd_link.c)."""
    quiet = dict(ENV, DISPLAY=":1")
    quiet.pop("SSH_AUTH_SOCK", None)
    rmux("new-session", "-d", "-s", "one", "cat", env=quiet)
    expect("DISPLAY=:1\n" in rmux("show-environment", "-t", "one").stdout, "new-session")
    rmux("bootstrap", "-t", "one", env=dict(quiet, DISPLAY=":9"))
    out = rmux("show-environment", "-t", "one").stdout
    expect("DISPLAY=:9\n" in out and "-SSH_AUTH_SOCK\n" in out, "after attach: %r" % out)
    rmux("bootstrap", "-t", "two", env=dict(quiet, DISPLAY=":4"))
    expect("DISPLAY=:4\n" in rmux("show-environment", "-t", "two").stdout, "new by attach")
    rmux("send-keys", "-t", "two", "echo D=$DISPLAY", "Enter")
    wait_for("first pane's DISPLAY", lambda: "D=:4" in rmux("capture-pane", "-p", "-t",
                                                            "two").stdout)


def case_refresh():
    """refresh-client (and prefix r) repaint the whole terminal: bytes that
    reached the outer terminal behind the client's back are gone after it,
    and stay until then (the client writes only what changed)."""
    start_outer()
    type_line(client_cmd())
    wait_for("attached", attached_ok)
    wait_for("inner prompt", lambda: is_prompt(screen()[0]))
    session = rmux("display-message", "-p", "#{session_name}").stdout.strip()
    type_line("echo marker")
    wait_for("screen = server", lambda: shows_pane("%s:0.0" % session))
    tty = outer_flag("#{pane_tty}")

    def scribble(text):
        with open(tty, "w") as f:
            f.write("\x1b[5;3H%s\x1b[1;1H" % text)
        wait_for("scribble shown", lambda: text in screen()[4])
    for how in ("command", "prefix r"):
        scribble("GARBAGE-%d" % len(how))
        time.sleep(1.0)
        expect("GARBAGE" in screen()[4], "repainted by itself (%s)" % how)
        if how == "command":
            rmux("refresh-client")
        else:
            outer("send-keys", "C-b", "r")
        wait_for("repaint (%s)" % how, lambda: "GARBAGE" not in "".join(screen()))
        wait_for("screen = server (%s)" % how, lambda: shows_pane("%s:0.0" % session))
    p = rmux("refresh-client", "-C", "10x10", check=False)
    expect(p.returncode == 1 and "control clients" in p.stderr, "refresh -C: %r" % p.stderr)
    p = rmux("refresh-client", "-t", "nosuch", check=False)
    expect(p.returncode == 1 and "can't find client" in p.stderr, "refresh -t: %r" % p.stderr)
    detach_check(session)


def case_suspend():
    """prefix C-z (suspend-client) gives the terminal back to the shell
    with the client stopped; fg brings it back, repainted, and it works."""
    start_outer()
    # No "; echo EXIT" after it: the shell would run that when it stops.
    type_line("%s -L %s -f /dev/null" % (RMUX, NAME))
    wait_for("attached", attached_ok)
    wait_for("inner prompt", lambda: is_prompt(screen()[0]))
    session = rmux("display-message", "-p", "#{session_name}").stdout.strip()
    type_line("echo before")
    wait_for("screen = server", lambda: shows_pane("%s:0.0" % session))
    outer("send-keys", "C-b", "C-z")
    wait_for("terminal back", lambda: outer_flag("#{alternate_on}") == "0")
    wait_for("outer prompt", lambda: any(is_prompt(l) for l in screen()))
    expect(outer_flag("#{cursor_flag}") == "1", "cursor left hidden")
    pid = rmux("list-clients", "-F", "#{client_pid}", check=False).stdout.strip()
    stopped = subprocess.run(["ps", "-o", "stat=", "-C", "rmux"], capture_output=True,
                             text=True).stdout.split()
    expect(any(s.startswith("T") for s in stopped), "no stopped rmux: %r (%s)" % (stopped, pid))
    # The session goes on without it.
    rmux("send-keys", "-t", session, "echo while-away", "Enter")
    type_line("fg")
    wait_for("attached again", attached_ok)
    wait_for("repainted", lambda: any(l.startswith("while-away") for l in screen()))
    wait_for("screen = server", lambda: shows_pane("%s:0.0" % session))
    type_line("echo after")
    wait_for("typing works", lambda: any(l.startswith("after") for l in screen()))
    outer("send-keys", "C-b", "d")
    wait_for("detached line", lambda: any(
        l.startswith("[detached (from session %s)]" % session) for l in screen()))
    expect(outer_flag("#{alternate_on}") == "0", "still on the alternate screen")


def case_display_panes():
    """display-panes draws what tmux 3.3a draws (large digits in
    display-panes-colour, the active one's in display-panes-active-colour,
    each pane's size at its top right), a digit selects that pane, and the
    overlay goes by itself after display-panes-time."""
    tname = "dpref%d" % os.getpid()
    start_outer("rm")
    start_outer("ref")
    try:
        type_line(client_cmd("new", "-s", "dp", "cat"), "rm")
        type_line("env -u TMUX tmux -L %s -f /dev/null new -s dp cat" % tname, "ref")
        wait_for("attached", lambda: attached_ok("rm"))
        wait_for("tmux attached", lambda: attached_ok("ref") and subprocess.run(
            ["tmux", "-L", tname, "has", "-t", "dp"], capture_output=True, env=ENV).returncode == 0)
        for args in (["splitw", "-h", "-t", "dp", "cat"], ["splitw", "-v", "-t", "dp", "cat"],
                     ["splitw", "-v", "-t", "dp:0.0", "cat"],
                     # Too small for the large digits: the number as text.
                     ["splitw", "-v", "-l", "3", "-t", "dp:0.3", "cat"],
                     ["selectp", "-t", "dp:0.1"]):
            rmux(*args)
            subprocess.run(["tmux", "-L", tname] + args, check=True, env=ENV)
        panes = "#{pane_index} #{pane_left},#{pane_top} #{pane_width}x#{pane_height} #{pane_active}"
        want = subprocess.run(["tmux", "-L", tname, "list-panes", "-t", "dp", "-F", panes],
                              capture_output=True, text=True, env=ENV).stdout
        expect(rmux("list-panes", "-t", "dp", "-F", panes).stdout == want, "layouts differ")

        def rows(target):
            return outer("capture-pane", "-p", "-e", "-t", target).split("\n")[:H - 1]
        # -b: tmux's command would wait for the overlay to close.
        rmux("display-panes", "-b", "-d", "0")
        subprocess.run(["tmux", "-L", tname, "display-panes", "-b", "-d", "0"], check=True,
                       env=ENV, timeout=30)
        wait_for("digits", lambda: "\x1b[44m" in "".join(rows("rm")))
        wait_for("same as tmux", lambda: rows("rm") == rows("ref"))
        # A digit picks the pane; the overlay goes.
        outer("send-keys", "-t", "rm", "3")
        wait_for("pane 3", lambda: rmux("display", "-p", "-t", "dp", "#{pane_index}").stdout
                 .strip() == "3")
        wait_for("overlay gone", lambda: "\x1b[44m" not in "".join(rows("rm")) and
                 "\x1b[41m" not in "".join(rows("rm")))
        # prefix q: gone after display-panes-time by itself.
        rmux("set", "-g", "display-panes-time", "300")
        outer("send-keys", "-t", "rm", "C-b", "q")
        wait_for("digits again", lambda: "\x1b[41m" in "".join(rows("rm")))
        wait_for("overlay timed out", lambda: "\x1b[41m" not in "".join(rows("rm")))
        expect(rmux("display", "-p", "-t", "dp", "#{pane_index}").stdout.strip() == "3",
               "pane changed")
    finally:
        subprocess.run(["tmux", "-L", tname, "kill-server"], capture_output=True, env=ENV)


CASES = {
    "local": case_local,
    "reattach": case_reattach,
    "resize": case_resize,
    "fake_ssh": case_fake_ssh,
    "connect_errors": case_connect_errors,
    "exited": case_exited,
    "outage": case_outage,
    "ssh": case_ssh,
    "relay_impaired": case_relay_impaired,
    "roam": case_roam,
    "kill9": case_kill9,
    "two_clients": case_two_clients,
    "detach": case_detach,
    "relative_socket": case_relative_socket,
    "nested": case_nested,
    "new_attach": case_new_attach,
    "list_filter": case_list_filter,
    "update_environment": case_update_environment,
    "attach_environment": case_attach_environment,
    "refresh": case_refresh,
    "suspend": case_suspend,
    "display_panes": case_display_panes,
}


def main():
    try:
        CASES[CASE]()
    finally:
        subprocess.run(["tmux", "-L", OUTER, "kill-server"], capture_output=True, env=ENV)
        subprocess.run([RMUX, "-L", NAME, "kill-server"], capture_output=True, env=ENV)
        time.sleep(0.2)
        reports = os.listdir(ASAN_DIR)
        text = ""
        for r in reports:
            with open(os.path.join(ASAN_DIR, r)) as f:
                text += f.read()
        shutil.rmtree(TMP, ignore_errors=True)
    if text:
        raise AssertionError("sanitizer report:\n" + text)
    print("ok", CASE)


if __name__ == "__main__":
    main()
