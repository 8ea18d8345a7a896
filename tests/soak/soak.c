/* soak.c — the long run of ./build.sh soak: three link clients, each on
 * its own session and behind its own impairment relay (loss, delay,
 * jitter, duplication, reordering, periodic roams and blackouts), while
 * the daemon's panes flood, split, resize, change layout and close.
 *
 *   soak RMUX RELAY [MINUTES [SEED]]
 *
 * The run is a sequence of phases: churn (random actions) then settle,
 * where every session is brought back to the same shape (one window, two
 * quiet panes). After each settle it checks that every client's view
 * converges to the daemon's panes (geometry, cursor, capture-pane) and
 * that a marker typed through the impaired link arrives exactly; that the
 * daemon holds as many file descriptors as after the first settle; and
 * samples its resident memory, which must stay flat after the warm-up.
 * Sanitizer reports of the daemon fail the run. Progress goes to stderr;
 * exit status 0 means every check held.
 *
 * To chase a problem: SOAK_ONLY=N runs only the client of link N (0-2);
 * SOAK_TRACE=DIR writes DIR/client-N (every datagram out, and every one
 * in with what the transport said, its fragment and, once complete, its
 * instruction's numbers) and DIR/relay-N (the relay's --trace). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "net/crypto.h"
#include "net/datagram.h"
#include "net/fragment.h"
#include "net/instruction.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "net/udp.h"
#include "net/view.h"

#include "link_client.h"

#define SOAK_CLIENTS 3
#define SOAK_CHURN_MS 20000   /* random actions per phase */
#define SOAK_ACTION_MS 400    /* between two actions */
#define SOAK_WAIT_MS 90000    /* bound on any convergence, blackouts included */
#define SOAK_WARMUP_PHASES 2  /* before memory counts */
/* Growth of the daemon's RSS allowed between the first and the second
 * half of the phases after warm-up, and over the whole run after it (KiB).
 * A leak of a few hundred bytes per flood or per pane goes past the first
 * within the hour; allocator caching and history filling up stay below. */
#define SOAK_RSS_DRIFT_KB (8 * 1024)
#define SOAK_RSS_TOTAL_KB (32 * 1024)
#define SOAK_MAX_SAMPLES 4096

static const char *rmux_path;
static const char *relay_path;
static char tmpdir[] = "/tmp/rmux-soak-XXXXXX";
static char asan_dir[4200];
static const char sockname[] = "soak";
static uint64_t rng;

struct client {
	char session[16];
	struct link_client lc;
	pid_t relay;
	unsigned cols, rows;
	unsigned loss;
	/* With SOAK_TRACE=DIR: every datagram in and out, to DIR/client-N,
	 * opened a second time (a shadow link) to name its fragment. */
	FILE *trace;
	struct datagram_link *shadow;
	struct fragment_assembly *shadow_frags;
};

static struct client clients[SOAK_CLIENTS];
static int nclients;
static long daemon_pid;

static int cleanup(void);

static void __attribute__((format(printf, 1, 2))) soak_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "soak: FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cleanup();
	exit(1);
}

static uint64_t soak_rand(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return rng >> 33;
}

/* ---- running rmux ---- */

/* Run rmux -L soak ARGS (NULL-terminated); stdout into OUT (may be NULL).
 * Returns the exit status, -1 if it did not exit. Refusals (no space for
 * a pane) are expected during churn: stderr is dropped. */
static int rmux_argv(struct buf *out, const char *const *args)
{
	return link_rmux(rmux_path, sockname, 1, out, args);
}

#define RMUX(...) rmux_argv(NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* The output of a command that must succeed, as a string (caller frees). */
static char *rmux_text_argv(const char *const *args)
{
	struct buf out;
	char *s;

	buf_init(&out);
	if (rmux_argv(&out, args) != 0)
		soak_fail("rmux %s failed", args[0]);
	s = xmalloc(out.len + 1);
	memcpy(s, out.data, out.len);
	s[out.len] = '\0';
	buf_free(&out);
	return s;
}

#define RMUX_TEXT(...) rmux_text_argv((const char *const[]){ __VA_ARGS__, NULL })

/* ---- the daemon from outside ---- */

static long proc_rss_kb(long pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (f == NULL)
		soak_fail("the daemon (pid %ld) is gone", pid);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* The daemon's open descriptors; with LIST, what each one is, to stderr. */
static int proc_fds(long pid, int list)
{
	char path[64], link[64], target[512];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%ld/fd", pid);
	d = opendir(path);
	if (d == NULL)
		soak_fail("the daemon (pid %ld) is gone", pid);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n++;
		if (list) {
			ssize_t l;

			snprintf(link, sizeof link, "%.20s/%.20s", path, de->d_name);
			l = readlink(link, target, sizeof target - 1);
			target[l > 0 ? l : 0] = '\0';
			fprintf(stderr, "  fd %s -> %s\n", de->d_name, target);
		}
	}
	closedir(d);
	return n;
}

/* Sanitizer reports the daemon wrote (its stderr is /dev/null), copied
 * to stderr; how many. */
static int print_reports(void)
{
	struct dirent *de;
	DIR *d = opendir(asan_dir);
	int found = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char path[8400], line[512];
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", asan_dir, de->d_name);
		f = fopen(path, "r");
		while (f != NULL && fgets(line, sizeof line, f) != NULL)
			fputs(line, stderr);
		if (f != NULL)
			fclose(f);
		found++;
	}
	closedir(d);
	return found;
}

static void check_reports(void)
{
	if (print_reports() > 0)
		soak_fail("sanitizer report above");
}

/* ---- the clients ---- */

static pid_t start_relay(struct client *c, unsigned to_port, unsigned index, unsigned minutes,
    unsigned seed, unsigned *port)
{
	/* Each client sees a different link: the worst one loses 30%. */
	static const char *const loss[] = { "5", "15", "30" };
	static const char *const roam[] = { "7000", "11000", "17000" };
	static const char *const blackout[] = { "40000:3000", "55000:6000", "70000:2000" };
	char port_file[4300], a_seed[16], a_limit[16], trace[4300];
	const char *argv[40];
	size_t n = 0;
	pid_t pid;

	snprintf(port_file, sizeof port_file, "%s/relay-port-%u", tmpdir, index);
	snprintf(a_seed, sizeof a_seed, "%u", seed * 7 + index);
	snprintf(a_limit, sizeof a_limit, "%u", minutes * 60 + 600);
	c->loss = (unsigned)atoi(loss[index % 3]);
	argv[n++] = "--seed"; argv[n++] = a_seed;
	argv[n++] = "--loss"; argv[n++] = loss[index % 3];
	argv[n++] = "--delay"; argv[n++] = "20";
	argv[n++] = "--jitter"; argv[n++] = "15";
	argv[n++] = "--dup"; argv[n++] = "3";
	argv[n++] = "--reorder"; argv[n++] = "3";
	argv[n++] = "--roam-every"; argv[n++] = roam[index % 3];
	argv[n++] = "--blackout"; argv[n++] = blackout[index % 3];
	argv[n++] = "--time-limit"; argv[n++] = a_limit;
	argv[n++] = "--quiet";
	if (getenv("SOAK_TRACE") != NULL) {
		snprintf(trace, sizeof trace, "%s/relay-%u", getenv("SOAK_TRACE"), index);
		argv[n++] = "--trace";
		argv[n++] = trace;
	}
	argv[n] = NULL;
	pid = link_relay_start(relay_path, to_port, port_file, argv, port);
	if (pid < 0)
		soak_fail("relay %u did not start", index);
	return pid;
}

/* bootstrap -t SESSION, then talk to the daemon through a new relay. */
static void client_open(struct client *c, unsigned index, unsigned minutes, unsigned seed)
{
	uint8_t key[CRYPTO_KEY_LEN];
	char *line;
	unsigned port, via;

	line = RMUX_TEXT("bootstrap", "-t", c->session);
	if (sscanf(line, "RMUX CONNECT %u", &port) != 1)
		soak_fail("bootstrap said '%s'", line);
	c->relay = start_relay(c, port, index, minutes, seed, &via);
	if (link_client_open(&c->lc, line, via, key) != 0)
		soak_fail("bootstrap said '%s', or no UDP socket: %s", line, strerror(errno));
	free(line);
	if (getenv("SOAK_TRACE") != NULL) {
		char path[4200];

		snprintf(path, sizeof path, "%s/client-%u", getenv("SOAK_TRACE"), index);
		c->trace = fopen(path, "w");
		if (c->trace != NULL)
			setvbuf(c->trace, NULL, _IOLBF, 0);
		c->shadow = datagram_link_create(key, crypto_key_id(key), TRANSPORT_CLIENT);
		c->shadow_frags = fragment_assembly_create();
	}
}

static struct input_stream *client_input(struct client *c)
{
	return link_client_input(&c->lc);
}

static const struct view *client_view(const struct client *c)
{
	return link_client_view(&c->lc);
}

static void client_resize(struct client *c, unsigned cols, unsigned rows)
{
	c->cols = cols;
	c->rows = rows;
	if (input_stream_add_resize(client_input(c), cols, rows) != 0)
		soak_fail("input_stream_add_resize");
}

static void client_type(struct client *c, const char *text)
{
	if (link_client_type(&c->lc, text) != 0)
		soak_fail("input_stream_add_key");
}

static void trace_receive(void *arg, const uint8_t *pkt, size_t n, int rc)
{
	struct client *c = arg;
	struct datagram d;
	struct reader r;
	uint64_t fid = 0;
	uint16_t word = 0;
	struct instruction in;
	const uint8_t *bytes;
	size_t blen;
	int err;

	if (c->trace == NULL)
		return;
	err = datagram_link_open(c->shadow, pkt, n, &d);
	if (err == 0) {
		reader_init(&r, d.frag, d.fraglen);
		reader_u64(&r, &fid);
		reader_u16(&r, &word);
	}
	fprintf(c->trace, "%llu R %zu rc=%d open=%d seq=%llu id=%llu num=%u%s num=%llu",
	    (unsigned long long)time_now_ms(), n, rc, err,
	    (unsigned long long)(err == 0 ? d.seq : 0), (unsigned long long)fid,
	    word & 0x7fff, word & 0x8000 ? " final" : "",
	    (unsigned long long)transport_remote_num(c->lc.t));
	if (err == 0 && fragment_assembly_add(c->shadow_frags, d.frag, d.fraglen, &fid, &bytes,
	    &blen) == FRAGMENT_COMPLETE && instruction_decode(bytes, blen, &in) == 0)
		fprintf(c->trace, " [old %llu new %llu ack %llu throw %llu diff %zu]",
		    (unsigned long long)in.old_num, (unsigned long long)in.new_num,
		    (unsigned long long)in.ack_num, (unsigned long long)in.throwaway_num, in.difflen);
	fputc('\n', c->trace);
}

static void trace_send(void *arg, const uint8_t *data, size_t len)
{
	struct client *c = arg;

	if (c->trace != NULL)
		fprintf(c->trace, "%llu S %zu\n", (unsigned long long)time_now_ms(), len);
}

/* Run every client for up to MS: tick, send, receive; stop early once
 * DONE(arg) holds (DONE NULL: the whole time). Returns whether it held. */
static int run_all(uint64_t ms, int (*done)(void *), void *arg)
{
	uint64_t end = time_now_ms() + ms;

	for (;;) {
		struct pollfd pfd[SOAK_CLIENTS];
		uint64_t now = time_now_ms(), next = end, wake;
		int i;

		if (done != NULL && done(arg))
			return 1;
		if (now >= end)
			return 0;
		for (i = 0; i < nclients; i++) {
			/* Apart, since RMUX_MIN evaluates its arguments twice. */
			wake = link_client_send(&clients[i].lc, now, trace_send, &clients[i]);
			next = RMUX_MIN(next, wake);
			pfd[i].fd = clients[i].lc.fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, (nfds_t)nclients, (int)RMUX_MIN(next > now ? next - now : 0, 20)) <= 0)
			continue;
		for (i = 0; i < nclients; i++) {
			if (pfd[i].revents & POLLIN)
				link_client_receive(&clients[i].lc, trace_receive, &clients[i]);
		}
	}
}

/* ---- what a client sees against what the daemon has ---- */

/* The view of C equals the daemon's active window of its session: size,
 * every pane's rectangle and cursor, the active pane and every row. With
 * WHY, the first difference is written there. */
static int view_matches(const struct client *c, char *why, size_t whysize)
{
	const struct view *v = client_view(c);
	char *list = RMUX_TEXT("list-panes", "-t", c->session, "-F",
	    "#{pane_id} #{pane_left} #{pane_top} #{pane_width} #{pane_height} #{cursor_x} "
	    "#{cursor_y} #{pane_active}");
	char *line = list, *nl, text[4096];
	size_t seen = 0;
	int ok = 0;

	if (v->cols != c->cols || v->rows != c->rows) {
		snprintf(why, whysize, "size %ux%u, sent %ux%u", v->cols, v->rows, c->cols, c->rows);
		goto out;
	}
	for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		unsigned id, x, y, w, h, cx, cy, active;
		const struct view_pane *p = NULL;
		char target[32], *cap, *cl;
		int rows_ok = 1;

		*nl = '\0';
		if (sscanf(line, "%%%u %u %u %u %u %u %u %u", &id, &x, &y, &w, &h, &cx, &cy,
		    &active) != 8) {
			snprintf(why, whysize, "list-panes said '%s'", line);
			goto out;
		}
		for (size_t i = 0; i < v->npanes; i++) {
			if (v->pane[i].id == id)
				p = &v->pane[i];
		}
		if (p == NULL) {
			snprintf(why, whysize, "pane %%%u not in the view", id);
			goto out;
		}
		seen++;
		if (p->x != x || p->y != y || p->cols != w || p->rows != h || p->cx != cx ||
		    p->cy != cy || (v->active_pane == id) != (active == 1)) {
			snprintf(why, whysize, "pane %%%u: view %u,%u %ux%u cursor %u,%u; daemon %s",
			    id, p->x, p->y, p->cols, p->rows, p->cx, p->cy, line);
			goto out;
		}
		snprintf(target, sizeof target, "%%%u", id);
		cap = RMUX_TEXT("capture-pane", "-p", "-t", target);
		cl = cap;
		for (unsigned r = 0; r < p->rows && rows_ok; r++) {
			char *end = strchr(cl, '\n');

			link_row_text(p, r, text, sizeof text);
			if (end == NULL || (*end = '\0', strcmp(text, cl) != 0)) {
				snprintf(why, whysize, "pane %s row %u: view '%.80s', capture '%.80s'",
				    target, r, text, end == NULL ? "(none)" : cl);
				rows_ok = 0;
			}
			if (end != NULL)
				cl = end + 1;
		}
		if (rows_ok && *cl != '\0') {
			snprintf(why, whysize, "pane %s: capture has more rows", target);
			rows_ok = 0;
		}
		free(cap);
		if (!rows_ok)
			goto out;
	}
	if (seen != v->npanes) {
		snprintf(why, whysize, "view has %zu panes, daemon %zu", v->npanes, seen);
		goto out;
	}
	ok = 1;
out:
	free(list);
	return ok;
}

struct settle {
	char mark[SOAK_CLIENTS][32];
	uint64_t next; /* when to ask the daemon again */
	char why[512];
};

static int marker_seen(const struct client *c, const char *mark)
{
	const struct view *v = client_view(c);
	char text[4096];

	for (size_t i = 0; i < v->npanes; i++) {
		for (unsigned y = 0; y < v->pane[i].rows; y++) {
			link_row_text(&v->pane[i], y, text, sizeof text);
			if (strcmp(text, mark) == 0)
				return 1;
		}
	}
	return 0;
}

/* Every client has its input applied, shows its marker and matches the
 * daemon; asked of the daemon at most every second. */
static int all_converged(void *arg)
{
	struct settle *s = arg;
	uint64_t now = time_now_ms();

	if (now < s->next)
		return 0;
	s->next = now + 1000;
	for (int i = 0; i < nclients; i++) {
		struct client *c = &clients[i];

		if (client_view(c)->echo_ack + 1 != input_stream_end(client_input(c))) {
			snprintf(s->why, sizeof s->why, "client %d: input applied up to %llu of %llu "
			    "(states: received %llu, sent %llu, acknowledged %llu)", i,
			    (unsigned long long)client_view(c)->echo_ack,
			    (unsigned long long)input_stream_end(client_input(c)),
			    (unsigned long long)transport_remote_num(c->lc.t),
			    (unsigned long long)transport_sent_num(c->lc.t),
			    (unsigned long long)transport_acked_num(c->lc.t));
			return 0;
		}
		if (!marker_seen(c, s->mark[i])) {
			snprintf(s->why, sizeof s->why, "client %d: marker %s not seen", i,
			    s->mark[i]);
			return 0;
		}
	}
	/* Only then ask the daemon: its commands block the clients' loop. */
	for (int i = 0; i < nclients; i++) {
		if (!view_matches(&clients[i], s->why, sizeof s->why))
			return 0;
	}
	return 1;
}

/* ---- churn ---- */

/* A pane that floods (coloured, wide and plain lines) then stays quiet. */
static void flood_command(char *out, size_t size)
{
	unsigned lines = 500 + (unsigned)(soak_rand() % 4000);

	snprintf(out, size, "i=0; while [ $i -lt %u ]; do printf '\\033[3%%dmflood %%d "
	    "\\346\\274\\242\\345\\255\\227 %%s\\033[m\\n' $((i %% 8)) $i "
	    "abcdefghijklmnopqrstuvwxyz0123456789; i=$((i+1)); done; exec cat", lines);
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static unsigned long actions[8];

static void churn_action(void)
{
	static const char *const layouts[] = { "tiled", "even-horizontal", "even-vertical",
		"main-vertical", "main-horizontal" };
	struct client *c = &clients[soak_rand() % (uint64_t)nclients];
	unsigned kind = (unsigned)(soak_rand() % 8);
	char cmd[512], *list;

	actions[kind]++;
	switch (kind) {
	case 0:
	case 1:
		flood_command(cmd, sizeof cmd);
		RMUX("split-window", kind == 0 ? "-h" : "-v", "-t", c->session, cmd);
		break;
	case 2:
		list = RMUX_TEXT("list-panes", "-t", c->session, "-F", "#{pane_id}");
		if (count_lines(list) > 1) {
			char *pick = list, *nl;

			for (uint64_t k = soak_rand() % count_lines(list); k > 0; k--)
				pick = strchr(pick, '\n') + 1;
			nl = strchr(pick, '\n');
			*nl = '\0';
			RMUX("kill-pane", "-t", pick);
		}
		free(list);
		break;
	case 3:
		client_resize(c, 50 + (unsigned)(soak_rand() % 130), 12 + (unsigned)(soak_rand() % 50));
		break;
	case 4:
		flood_command(cmd, sizeof cmd);
		RMUX("new-window", "-t", c->session, cmd);
		break;
	case 5:
		list = RMUX_TEXT("list-windows", "-t", c->session, "-F", "#{window_id}");
		if (count_lines(list) > 1)
			RMUX("kill-window", "-t", c->session);
		else
			RMUX("select-layout", "-t", c->session, layouts[soak_rand() % 5]);
		free(list);
		break;
	case 6:
		RMUX("select-layout", "-t", c->session, layouts[soak_rand() % 5]);
		break;
	default:
		/* Keys into whatever the active pane runs. */
		client_type(c, soak_rand() % 2 ? "echo typed\r" : "hello \x1b[A\r");
		break;
	}
}

/* Every session back to one window of two quiet panes (a shell and cat),
 * then a marker typed into cat through each impaired link. */
static void settle(struct settle *s, unsigned phase)
{
	for (int i = 0; i < nclients; i++) {
		struct client *c = &clients[i];
		char *target = RMUX_TEXT("list-windows", "-t", c->session, "-F", "#{window_id}");

		/* The oldest window left. */
		target[strcspn(target, "\n")] = '\0';
		RMUX("select-window", "-t", target);
		RMUX("kill-window", "-a", "-t", target);
		if (RMUX("kill-pane", "-a", "-t", target) != 0)
			soak_fail("%s: kill-pane -a failed", c->session);
		if (RMUX("split-window", "-h", "-t", target, "exec cat") != 0)
			soak_fail("%s: split-window failed", c->session);
		free(target);
		snprintf(s->mark[i], sizeof s->mark[i], "mark-%u-%d", phase, i);
		client_type(c, s->mark[i]);
		client_type(c, "\r");
	}
	s->next = 0;
	s->why[0] = '\0';
}

/* ---- main ---- */

/* Whether the process is gone (or a zombie nobody reaped yet). */
static int proc_gone(long pid)
{
	char path[64], line[512], *paren;
	FILE *f;
	int gone = 1;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 1;
	if (fgets(line, sizeof line, f) != NULL && (paren = strrchr(line, ')')) != NULL)
		gone = paren[1] == ' ' && paren[2] == 'Z';
	fclose(f);
	return gone;
}

/* Stop the relays and the daemon; 1 if the daemon left a sanitizer
 * report on its way out (leaks are reported at exit). */
static int cleanup(void)
{
	char cmd[256];
	int status, reports;

	for (int i = 0; i < nclients; i++) {
		link_client_close(&clients[i].lc);
		datagram_link_free(clients[i].shadow);
		fragment_assembly_free(clients[i].shadow_frags);
		if (clients[i].trace != NULL)
			fclose(clients[i].trace);
		kill(clients[i].relay, SIGTERM);
		waitpid(clients[i].relay, &status, 0);
	}
	nclients = 0;
	RMUX("kill-server");
	for (int k = 0; daemon_pid > 0 && !proc_gone(daemon_pid) && k < 200; k++)
		usleep(50000);
	reports = print_reports();
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "soak: could not remove %s\n", tmpdir);
	return reports > 0;
}

static long max_of(const long *v, size_t from, size_t to)
{
	long m = 0;

	for (size_t i = from; i < to; i++)
		m = RMUX_MAX(m, v[i]);
	return m;
}

int main(int argc, char **argv)
{
	static long rss[SOAK_MAX_SAMPLES];
	unsigned minutes, seed;
	uint64_t start, end;
	size_t nrss = 0, half;
	int fds0 = -1, phase;
	char *pidtext, opts[4400];
	int only = -1;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: %s RMUX RELAY [MINUTES [SEED]]\n", argv[0]);
		return 2;
	}
	rmux_path = argv[1];
	relay_path = argv[2];
	minutes = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 60;
	seed = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 1;
	if (minutes == 0)
		minutes = 1;
	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	setenv("RMUX_TMPDIR", tmpdir, 1);
	setenv("SHELL", "/bin/sh", 1);
	setenv("PS1", "$ ", 1);
	setenv("LANG", "C.UTF-8", 1);
	unsetenv("ENV");
	unsetenv("RMUX");
	unsetenv("RMUX_PANE");
	/* Under AddressSanitizer freed memory waits in a quarantine that
	 * would read as growth; reports go to files since the daemon's
	 * stderr is /dev/null. */
	snprintf(asan_dir, sizeof asan_dir, "%s/asan", tmpdir);
	if (mkdir(asan_dir, 0700) != 0)
		return 1;
	{
		const char *old = getenv("ASAN_OPTIONS");

		snprintf(opts, sizeof opts, "%s%squarantine_size_mb=0:log_path=%s/report",
		    old != NULL ? old : "", old != NULL && *old != '\0' ? ":" : "", asan_dir);
		setenv("ASAN_OPTIONS", opts, 1);
	}

	/* SOAK_ONLY=N: only the client on link N (0-2), to chase one problem. */
	if (getenv("SOAK_ONLY") != NULL)
		only = atoi(getenv("SOAK_ONLY"));
	for (int i = 0; i < SOAK_CLIENTS; i++) {
		struct client *c = &clients[i];

		snprintf(c->session, sizeof c->session, "c%d", i);
		if (RMUX("new-session", "-d", "-s", c->session, "-x", "100", "-y", "30") != 0)
			soak_fail("new-session %s failed", c->session);
	}
	pidtext = RMUX_TEXT("display-message", "-p", "#{pid}");
	daemon_pid = strtol(pidtext, NULL, 10);
	free(pidtext);
	for (int i = 0; i < (only >= 0 ? 1 : SOAK_CLIENTS); i++) {
		client_open(&clients[i], (unsigned)(only >= 0 ? only : i), minutes, seed);
		nclients++;
		client_resize(&clients[i], 100, 30);
	}
	fprintf(stderr, "soak: %u minutes, seed %u, daemon pid %ld, relays lose %u/%u/%u%%\n",
	    minutes, seed, daemon_pid, clients[0].loss, clients[1].loss, clients[2].loss);

	start = time_now_ms();
	end = start + (uint64_t)minutes * 60000;
	for (phase = 0; phase == 0 || time_now_ms() < end; phase++) {
		struct settle s;
		uint64_t t0 = time_now_ms(), t1;
		long kb;
		int fds;

		while (time_now_ms() < t0 + SOAK_CHURN_MS) {
			churn_action();
			run_all(SOAK_ACTION_MS, NULL, NULL);
		}
		settle(&s, (unsigned)phase);
		t1 = time_now_ms();
		if (!run_all(SOAK_WAIT_MS, all_converged, &s))
			soak_fail("phase %d: no convergence in %d ms: %s", phase, SOAK_WAIT_MS, s.why);
		check_reports();
		/* Panes that were killed may take a moment to be reaped. */
		fds = proc_fds(daemon_pid, 0);
		for (int k = 0; fds0 >= 0 && fds != fds0 && k < 100; k++) {
			run_all(100, NULL, NULL);
			fds = proc_fds(daemon_pid, 0);
		}
		if (fds0 < 0) {
			fds0 = fds;
		} else if (fds != fds0) {
			proc_fds(daemon_pid, 1);
			soak_fail("phase %d: the daemon has %d descriptors, %d after phase 0", phase,
			    fds, fds0);
		}
		kb = proc_rss_kb(daemon_pid);
		if (phase >= SOAK_WARMUP_PHASES && nrss < SOAK_MAX_SAMPLES)
			rss[nrss++] = kb;
		fprintf(stderr, "soak: phase %d at %llu s: converged in %llu ms, %d fds, RSS %ld KiB"
		    "%s\n", phase, (unsigned long long)((time_now_ms() - start) / 1000),
		    (unsigned long long)(time_now_ms() - t1), fds, kb,
		    phase < SOAK_WARMUP_PHASES ? " (warm-up)" : "");
	}

	fprintf(stderr, "soak: %d phases; actions: split %lu, kill-pane %lu, resize %lu, "
	    "new-window %lu, kill-window %lu, layout %lu, keys %lu\n", phase,
	    actions[0] + actions[1], actions[2], actions[3], actions[4], actions[5], actions[6],
	    actions[7]);
	if (nrss >= 2) {
		half = nrss / 2;
		fprintf(stderr, "soak: RSS after warm-up %ld KiB, max first half %ld, max second "
		    "half %ld, last %ld\n", rss[0], max_of(rss, 0, half), max_of(rss, half, nrss),
		    rss[nrss - 1]);
		if (max_of(rss, half, nrss) > max_of(rss, 0, half) + SOAK_RSS_DRIFT_KB)
			soak_fail("the daemon's memory grows: %ld KiB, then %ld KiB",
			    max_of(rss, 0, half), max_of(rss, half, nrss));
		if (max_of(rss, 0, nrss) > rss[0] + SOAK_RSS_TOTAL_KB)
			soak_fail("the daemon's memory grew from %ld KiB to %ld KiB", rss[0],
			    max_of(rss, 0, nrss));
	} else {
		fprintf(stderr, "soak: too short for a memory trend (%zu samples after warm-up)\n",
		    nrss);
	}
	if (cleanup()) {
		fprintf(stderr, "soak: FAIL: sanitizer report above\n");
		return 1;
	}
	fprintf(stderr, "soak: ok\n");
	return 0;
}
