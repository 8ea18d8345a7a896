#!/usr/bin/env python3
"""test_completions.py - the manual page and the shell completions.

Usage: test_completions.py RMUX CASE

Cases:
  man    groff and man format doc/rmux.1 without a warning, and the page
         names every command with its synopsis exactly as list-commands
         prints it, every option with its default, every default key
         binding of the prefix and copy mode tables.
  drift  the command tables (names, aliases, flags) and option lists in
         the three completion files equal what the server reports.
  bash   completions/rmux.bash loaded in bash --norc completes commands,
  zsh    aliases, flags, targets from a running server and ssh hosts;
  fish   the same for _rmux (zsh, typed at in a tmux pane as a person
         would, through compinit) and rmux.fish (fish's complete -C).

Each case starts its own rmux server on a private RMUX_TMPDIR with -L and
a fake HOME holding an ssh config and known_hosts, and kills it after.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
MAN = os.path.join(TOP, 'doc', 'rmux.1')
COMP = os.path.join(TOP, 'completions')
SOCK = 'comptest'


class Env:
    def __init__(self, rmux):
        self.rmux = os.path.abspath(rmux)
        self.tmp = tempfile.mkdtemp(prefix='rmux-comp-')
        self.home = os.path.join(self.tmp, 'home')
        os.makedirs(os.path.join(self.home, '.ssh'))
        with open(os.path.join(self.home, '.ssh', 'config'), 'w') as f:
            f.write('Host alphahost *.wild\n  HostName 192.0.2.1\nHost gammahost\n  Port 2222\n')
        with open(os.path.join(self.home, '.ssh', 'known_hosts'), 'w') as f:
            f.write('deltahost,192.0.2.9 ssh-ed25519 AAAAC3Nz\n'
                    '[epsilonhost]:2222 ssh-rsa AAAAB3Nz\n'
                    '|1|c2FsdA==|aGFzaA== ssh-rsa AAAAB3Nz\n')
        bindir = os.path.join(self.tmp, 'bin')
        os.makedirs(bindir)
        os.symlink(self.rmux, os.path.join(bindir, 'rmux'))
        self.env = {
            'PATH': bindir + ':/usr/bin:/bin',
            'HOME': self.home,
            'RMUX_TMPDIR': self.tmp,
            'LANG': 'C.UTF-8',
            'TERM': 'xterm',
            'SHELL': '/bin/sh',
        }

    def run(self, *args, check=True):
        p = subprocess.run([self.rmux, '-L', SOCK] + list(args), env=self.env,
                           capture_output=True, text=True, timeout=30)
        if check and p.returncode != 0:
            raise AssertionError('rmux %s: %s' % (' '.join(args), p.stderr))
        return p.stdout

    def start(self):
        self.run('-f', '/dev/null', 'new-session', '-d', '-s', 'alpha')
        self.run('new-session', '-d', '-s', 'beta')
        self.run('new-window', '-t', 'beta', '-n', 'logs')
        self.run('split-window', '-t', 'beta:logs')

    def close(self):
        self.run('kill-server', check=False)
        shutil.rmtree(self.tmp, ignore_errors=True)


def fail(msg):
    raise AssertionError(msg)


def expect_has(what, got, want):
    missing = [w for w in want if w not in got]
    if missing:
        fail('%s: missing %s in %s' % (what, missing, sorted(got)))


def expect_not(what, got, unwanted):
    bad = [w for w in unwanted if w in got]
    if bad:
        fail('%s: unexpected %s in %s' % (what, bad, sorted(got)))


def server_commands(e):
    """name -> (alias, set of flag letters/--names), from list-commands."""
    out = {}
    for line in e.run('list-commands').splitlines():
        m = re.match(r'(\S+)(?: \((\S+)\))?(.*)', line)
        name, alias, rest = m.groups()
        flags = set()
        for grp in re.findall(r'\[-([A-Za-z0-9]+)\]', rest):
            flags.update('-' + c for c in grp)
        for grp in re.findall(r'\[(-\w(?:\|-\w)+)\]', rest):
            flags.update(grp.split('|'))
        flags.update('-' + c for c in re.findall(r'\[-(\w) [\w-]+\]', rest))
        flags.update(re.findall(r'\[(--[\w-]+) \w+\]', rest))
        out[name] = (alias or '-', flags)
    return out


def server_options(e):
    names = set()
    for flag in ('-s', '-g', '-gw'):
        for line in e.run('show-options', flag).splitlines():
            # An array option shows one line per element, NAME[I].
            names.add(re.sub(r'\[\d+\]$', '', line.split()[0]))
    return names


def table_of(text):
    """The command table of a completion file: name -> (alias, flags)."""
    out = {}
    for m in re.finditer(r"^\t'(\S+) (\S+) (\S+) (\S+)'", text, re.M):
        name, alias, bools, args = m.groups()
        flags = set() if bools == '-' else set('-' + c for c in bools)
        if args != '-':
            for a in args.split(','):
                f = a.split(':')[0]
                flags.add(f if f.startswith('--') else '-' + f)
        out[name] = (alias, flags)
    return out


def options_of(text, start):
    i = text.index(start) + len(start)
    j = i
    while True:
        nl = text.index('\n', j)
        line = text[j:nl]
        if line.startswith('\t') or line == '':
            j = nl + 1
            continue
        break
    return set(re.findall(r'[a-z][a-z0-9-]+', text[i:j]))


# The client's own commands, which are not the daemon's.
CLIENT = {'attach-session': ('attach', {'-d', '-E', '-r', '-t', '--ssh', '--port',
                                        '--server-cmd', '--server-addr', '--predict'}),
          'connect': ('-', set())}


def case_drift(e):
    want = server_commands(e)
    want.update(CLIENT)
    opts = server_options(e)
    if len(want) < 40 or len(opts) < 60:
        fail('server reported too little: %d commands, %d options' % (len(want), len(opts)))
    for fname, optstart in (('rmux.bash', "_rmux_options='"), ('_rmux', '_rmux_options=('),
                            ('rmux.fish', 'set -g __rmux_options \\')):
        text = open(os.path.join(COMP, fname)).read()
        got = table_of(text)
        if set(got) != set(want):
            fail('%s: commands differ: extra %s, missing %s' % (
                fname, sorted(set(got) - set(want)), sorted(set(want) - set(got))))
        for name, (alias, flags) in want.items():
            if got[name][0] != alias:
                fail('%s: %s alias %s, server says %s' % (fname, name, got[name][0], alias))
            if got[name][1] != flags:
                fail('%s: %s flags %s, server says %s' % (fname, name, sorted(got[name][1]),
                                                          sorted(flags)))
        o = options_of(text, optstart)
        if o != opts:
            fail('%s: options differ: extra %s, missing %s' % (
                fname, sorted(o - opts), sorted(opts - o)))


# (command line before the cursor, candidates that must be offered,
#  candidates that must not be)
def cases():
    L = 'rmux -L %s ' % SOCK
    return [
        ('rmux new-s', ['new-session'], ['new-window']),
        ('rmux lsw', ['lsw'], ['lsp']),
        ('rmux ls', ['ls', 'lsw', 'lsp', 'lsk', 'lsb', 'lscm'], ['new']),
        ('rmux att', ['attach', 'attach-session'], []),
        ('rmux split-window -', ['-h', '-v', '-l', '-t', '-Z', '-c', '-F'], ['-s', '-n']),
        ('rmux splitw -', ['-h', '-v', '-b'], []),
        ('rmux attach --', ['--ssh', '--port', '--server-cmd', '--server-addr', '--predict'], []),
        (L + 'kill-session -t ', ['alpha', 'beta'], ['beta:0']),
        (L + 'kill-session -t b', ['beta'], ['alpha']),
        (L + 'kill-window -t ', ['beta:0', 'beta:1', 'beta:logs', 'alpha:0'], []),
        (L + 'kill-pane -t ', ['%0', '%1', '%2', '%3', 'beta:1.0', 'beta:1.1'], []),
        (L + 'new-window -d \\; select-pane -t %', ['%0', '%3'], ['alpha']),
        ('rmux set-option -g hist', ['history-limit', 'history-file'], ['mouse']),
        ('rmux show -w win', ['window-size', 'window-status-format'], []),
        ('rmux bind-key -T ', ['root', 'prefix', 'copy-mode', 'copy-mode-vi'], []),
        ('rmux attach ', ['alphahost', 'gammahost', 'deltahost', '192.0.2.9', 'epsilonhost'],
         ['*.wild', '|1|c2FsdA==|aGFzaA==']),
        ('rmux attach --port 60001 -t x del', ['deltahost'], ['alphahost']),
        ('rmux attach bob@', ['bob@alphahost', 'bob@deltahost'], []),
        ('rmux attach --predict a', ['adaptive', 'always'], ['never']),
        ('rmux -L comp', [SOCK], []),
    ]


def case_bash(e):
    script = ['source %s' % os.path.join(COMP, 'rmux.bash'),
              't() { COMP_LINE=$1; COMP_POINT=${#1}; COMPREPLY=(); _rmux;'
              ' printf "%s\\n" "@@$1" "${COMPREPLY[@]}"; }']
    for line, _, _ in cases():
        script.append("t '%s'" % line.replace("'", "'\\''"))
    script.append('complete -p rmux')
    p = subprocess.run(['bash', '--norc', '--noprofile', '-c', '\n'.join(script)],
                       env=e.env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0 or p.stderr:
        fail('bash: rc %d: %s' % (p.returncode, p.stderr))
    if 'complete -F _rmux rmux' not in p.stdout:
        fail('bash: no completion registered for rmux')
    got = {}
    cur = None
    for l in p.stdout.splitlines():
        if l.startswith('@@'):
            cur = l[2:]
            got[cur] = set()
        elif cur is not None:
            got[cur].add(l)
    for line, want, unwanted in cases():
        words = got[line]
        # readline replaces only the text after a colon in the word; what
        # it shows is the word up to the colon plus the reply.
        w = line.split(' ')[-1]
        if ':' in w:
            head = w[:w.rindex(':') + 1]
            words = set(head + x for x in words)
        expect_has('bash [%s]' % line, words, want)
        expect_not('bash [%s]' % line, words, unwanted)


def case_fish(e):
    for line, want, unwanted in cases():
        p = subprocess.run(['fish', '--no-config', '-c',
                            'source %s; complete -C $argv[1]' % os.path.join(COMP, 'rmux.fish'),
                            line], env=e.env, capture_output=True, text=True, timeout=60)
        if p.returncode != 0 or p.stderr:
            fail('fish [%s]: rc %d: %s' % (line, p.returncode, p.stderr))
        words = set(l.split('\t')[0] for l in p.stdout.splitlines())
        expect_has('fish [%s]' % line, words, want)
        expect_not('fish [%s]' % line, words, unwanted)


def wait_for(fn, what, timeout=20.0):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        ok, last = fn()
        if ok:
            return last
        time.sleep(0.1)
    fail('timed out waiting for %s; screen:\n%s' % (what, last))


def case_zsh(e):
    zd = os.path.join(e.tmp, 'zdot')
    os.makedirs(zd)
    with open(os.path.join(zd, '.zshrc'), 'w') as f:
        f.write('PS1="%%%% "\nfpath=(%s $fpath)\nautoload -U compinit\ncompinit -u -D\n'
                'zstyle ":completion:*" list-rows-first true\n'
                'LISTMAX=0\nunsetopt AUTO_MENU LIST_AMBIGUOUS\nready=yes\n' % COMP)
    tenv = dict(e.env)
    tenv['TMUX_TMPDIR'] = e.tmp
    tenv.pop('TMUX', None)
    tmux = ['tmux', '-L', 'comptest-outer', '-f', '/dev/null']

    def t(*args):
        return subprocess.run(tmux + list(args), env=tenv, capture_output=True, text=True,
                              timeout=30).stdout

    shell = 'env ZDOTDIR=%s zsh -i' % zd
    subprocess.run(tmux + ['new-session', '-d', '-x', '200', '-y', '50', '-s', 'z', shell],
                   env=tenv, check=True, timeout=30)
    try:
        t('set-option', '-g', 'remain-on-exit', 'on')
        t('send-keys', '-t', 'z', 'echo $ready-$ready', 'Enter')
        wait_for(lambda: ('yes-yes' in (s := t('capture-pane', '-p', '-t', 'z')), s),
                 'zsh to start')
        for line, want, unwanted in cases():
            if '@' in line.split(' ')[-1]:
                # zsh keeps user@ on the line and lists the hosts alone.
                want = [w.split('@', 1)[1] for w in want]
            # C-u, not C-c: a signal could overtake the keys typed after it.
            t('send-keys', '-t', 'z', 'C-u')
            t('send-keys', '-t', 'z', 'clear', 'Enter')
            wait_for(lambda: ((s := t('capture-pane', '-p', '-t', 'z')).strip() == '%', s),
                     'a clear screen')
            t('send-keys', '-t', 'z', '-l', line)
            t('send-keys', '-t', 'z', 'Tab')

            def shown():
                s = t('capture-pane', '-p', '-J', '-t', 'z')
                # A unique match is inserted on the command line; several
                # are listed below it.
                rows = s.rstrip('\n').split('\n')
                words = set()
                for i, r in enumerate(rows):
                    if i == 0:
                        rest = r[2:]
                        if rest != line:
                            words.add(rest.split(' ')[-1] if not rest.endswith(' ')
                                      else rest.split(' ')[-2])
                    else:
                        words.update(r.split())
                return all(w in words for w in want), (words, s)
            words, screen = wait_for(shown, 'zsh to offer %s for [%s]' % (want, line))
            expect_not('zsh [%s]' % line, words, unwanted)
    finally:
        subprocess.run(tmux + ['kill-server'], env=tenv, capture_output=True, timeout=30)


def case_man(e):
    for cmd in (['groff', '-ww', '-man', '-z', MAN],):
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if p.returncode != 0 or p.stderr:
            fail('%s: %s' % (' '.join(cmd), p.stderr))
    texts = {}
    for width in ('80', '2000'):
        env = dict(e.env, MANWIDTH=width, MAN_KEEP_FORMATTING='')
        p = subprocess.run(['man', '--warnings', '-l', MAN], env=env, capture_output=True,
                           text=True, timeout=60)
        if p.returncode != 0 or p.stderr:
            fail('man --warnings -l at width %s: %s' % (width, p.stderr))
        texts[width] = re.sub('.\b', '', p.stdout)
    page = texts['2000']
    if 'RMUX(1)' not in page:
        fail('man did not format the page')
    # Every command exactly as list-commands gives its synopsis.
    for line in e.run('list-commands').splitlines():
        if line.rstrip() not in page:
            fail('man page lacks the synopsis: %s' % line.rstrip())
    for c in ('attach-session (alias attach)', 'connect address port', '--ssh command',
              '--port N', '--server-cmd path', '--server-addr address', '--predict policy',
              'Ctrl-^ .'):
        if c not in page:
            fail('man page lacks %s' % c)
    # Every option with its type line and its default as show-options
    # prints it (default-shell follows $SHELL).
    for flag in ('-s', '-g', '-gw'):
        seen = set()
        for name in e.run('show-options', flag).split('\n'):
            if not name:
                continue
            # An array's default is its first element (NAME[0]).
            element = name.split()[0]
            name = re.sub(r'\[\d+\]$', '', element)
            if name in seen:
                continue
            seen.add(name)
            value = e.run('show-options', flag, element).rstrip('\n').split(' ', 1)[1]
            # A short tag shares its line with the text that follows.
            m = re.search(r'\n {7}%s(?:\n {14}| +)([^\n]*)' % re.escape(name), page)
            if m is None:
                fail('man page lacks option %s' % name)
            if name == 'default-shell':
                value = '$SHELL'
            if 'default %s' % value not in m.group(1):
                fail('man page: %s default %r, line says %r' % (name, value, m.group(1)))
    # Every default binding of the prefix and copy mode tables, and the
    # mouse bindings of the root table, under its section.
    sections = {'prefix': 'Prefix table', 'copy-mode': 'Copy mode, emacs keys',
                'copy-mode-vi': 'Copy mode, vi keys', 'root': 'Root table'}
    for table, title in sections.items():
        i = page.index('   ' + title)
        j = i + 10 + re.search(r'\n(?: {3})?\S', page[i + 10:]).start()
        body = page[i:j]
        keys = set(re.findall(r'^ {7}(\S+)', body, re.M))
        n = 0
        for line in e.run('list-keys', '-T', table).splitlines():
            w = line.split()
            k = w[4] if w[1] == '-r' else w[3]
            if k.startswith('"') and k.endswith('"'):
                k = k[1:-1]
            if k.startswith('\\') and len(k) == 2:
                k = k[1]
            if k not in keys:
                fail('man page: key %s of table %s not listed' % (k, table))
            n += 1
        if n < 10:
            fail('table %s has only %d keys' % (table, n))
    for word in ('RMUX_TMPDIR', 'RMUX_PANE', 'RMUX_KEY', 'COLORTERM', 'TERM',
                 '~/.config/rmux/rmux.conf', '~/.rmux.conf', 'rmux-UID', '60000', '61000',
                 'rmux attach -t work alice@build.example.org', 'firewall'):
        if word not in page:
            fail('man page lacks %s' % word)


def main():
    rmux, case = sys.argv[1], sys.argv[2]
    e = Env(rmux)
    try:
        e.start()
        {'man': case_man, 'drift': case_drift, 'bash': case_bash, 'zsh': case_zsh,
         'fish': case_fish}[case](e)
    finally:
        e.close()
    print('ok %s' % case)


if __name__ == '__main__':
    main()
