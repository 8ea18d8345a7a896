"""tmux_pane.py — what the real-terminal tests (keys_tmux.py,
render_tmux.py) share: a private tmux server on a socket of its own, set up
like a plain terminal (tmux-256color, no status line, no escape delay), whose
detached session "demo" runs one of the tests/tools demos; and the list of
failed expectations that decides the exit status."""
import os
import shutil
import subprocess
import tempfile

CONF = ("set -g default-terminal tmux-256color\nset -g status off\n"
        "set -g remain-on-exit on\nset -g escape-time 0\nset -g exit-empty off\n")

failures = []
_sock = None
_conf = None
_env = None


def tmux(*args, check=True):
    r = subprocess.run(["tmux", "-L", _sock] + list(args), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("tmux %s: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def new_session(cols, rows, cmd):
    """Session "demo" of COLS x ROWS running the shell command CMD; the
    pane stays after CMD exits (remain-on-exit) so its last screen can be
    read."""
    subprocess.run(["tmux", "-L", _sock, "-f", _conf, "new-session", "-d", "-s", "demo",
                    "-x", str(cols), "-y", str(rows), cmd], check=True, env=_env)


def main(name, body, ok):
    """Runs BODY() against a fresh server named after NAME and the process
    id (so parallel runs do not meet), kills the server whatever happens,
    and returns the exit status: 1 if an expectation failed, else 0 after
    printing OK."""
    global _sock, _conf, _env
    if shutil.which("tmux") is None:
        print("tmux is required")
        return 1
    _sock = "rmux-%s-%d" % (name, os.getpid())
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write(CONF)
    conf.close()
    _conf = conf.name
    # The pane must see a UTF-8 locale and not believe it is nested or that
    # the outer terminal has true colour.
    _env = dict(os.environ, LANG="C.UTF-8")
    _env.pop("TMUX", None)
    _env.pop("COLORTERM", None)
    try:
        subprocess.run(["tmux", "-L", _sock, "-f", _conf, "start-server"], check=True,
                       env=_env)
        body()
    finally:
        tmux("kill-server", check=False)
        os.unlink(_conf)
    if failures:
        print("%d failures" % len(failures))
        return 1
    print(ok)
    return 0
