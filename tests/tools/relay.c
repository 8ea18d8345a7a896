/* relay.c — the impairment relay of the network tests: a UDP forwarder
 * between one client (talking to --listen) and a server (--to) that loses,
 * delays, jitters, reorders, duplicates and blacks out datagrams, and can
 * move the client's traffic to a new source port (a roam), all seeded so a
 * run can be repeated. It only touches loopback addresses and stops by
 * itself after --time-limit seconds.
 *
 *   relay --listen 127.0.0.1:0 --to 127.0.0.1:60000 --port-file F
 *         [--seed N] [--loss PCT] [--delay MS] [--jitter MS] [--reorder PCT]
 *         [--dup PCT] [--blackout PERIOD:LEN] [--blackout-at START:LEN]...
 *         [--roam-every MS] [--roam-at MS]... [--time-limit S] [--quiet]
 *         [--stats-file F] [--trace F]
 *
 * Impairments apply to both directions, each datagram drawn separately.
 * Times of --blackout-at and --roam-at count from the start of the relay.
 * On exit it prints what it did to stderr (one line, key=value). With
 * --stats-file, SIGUSR1 and the exit write the same line to F (replaced
 * whole), so a benchmark can read the counters between workloads; the
 * line then also has the bytes that came in per direction. --trace writes
 * a line per datagram that came in: ms since the start, "up" or "down",
 * its length, and "lost" when it was dropped. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "net/udp.h"

#define RELAY_MAX_QUEUE 8192  /* datagrams held for delayed release */
#define RELAY_MAX_SCRIPT 32   /* --blackout-at and --roam-at entries */
#define RELAY_MAX_UPLINKS 8   /* server-facing sockets kept after roams */
#define RELAY_MAX_DELAY 10000 /* ms, bound of --delay and --jitter */
#define RELAY_PACKET_MAX 65536

struct held {
	uint64_t at;
	int up;        /* towards the server */
	size_t len;
	uint8_t *data;
};

struct window {
	uint64_t start, len;
};

struct relay {
	struct udp_addr listen, to, client;
	int down_fd;                       /* faces the client */
	int up_fd[RELAY_MAX_UPLINKS];      /* faces the server; [0] is current */
	size_t nup;
	uint64_t rng;
	unsigned loss, delay, jitter, reorder, dup;
	uint64_t bo_period, bo_len;
	struct window bo_at[RELAY_MAX_SCRIPT];
	size_t nbo_at;
	uint64_t roam_every, next_roam_every;
	uint64_t roam_at[RELAY_MAX_SCRIPT];
	size_t nroam_at, roam_next;
	uint64_t start, limit;
	struct held q[RELAY_MAX_QUEUE];
	size_t nq;
	/* What happened, per direction [0] up, [1] down. */
	unsigned long in[2], out[2], lost[2], dups[2], blacked[2], reordered[2], overflow[2];
	unsigned long long in_bytes[2];
	unsigned long roams, foreign;
	FILE *trace;
};

static volatile sig_atomic_t stop_flag, stats_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void on_stats(int sig)
{
	(void)sig;
	stats_flag = 1;
}

static uint64_t relay_rand(struct relay *r)
{
	uint64_t x = r->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->rng = x;
	return x * UINT64_C(2685821657736338717);
}

static void usage(void)
{
	fprintf(stderr, "usage: relay --listen ADDR:PORT --to ADDR:PORT [--port-file F] [--seed N]\n"
	    "  [--loss PCT] [--delay MS] [--jitter MS] [--reorder PCT] [--dup PCT]\n"
	    "  [--blackout PERIOD:LEN] [--blackout-at START:LEN]... [--roam-every MS]\n"
	    "  [--roam-at MS]... [--time-limit S] [--quiet] [--stats-file F] [--trace F]\n");
	exit(2);
}

static unsigned long parse_num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v > max) {
		fprintf(stderr, "relay: bad number '%s' (0..%lu)\n", s, max);
		exit(2);
	}
	return v;
}

static void parse_pair(const char *s, uint64_t *a, uint64_t *b)
{
	char tmp[64];
	char *colon;

	if (strlen(s) >= sizeof tmp)
		usage();
	strcpy(tmp, s);
	colon = strchr(tmp, ':');
	if (colon == NULL)
		usage();
	*colon = '\0';
	*a = parse_num(tmp, 86400000);
	*b = parse_num(colon + 1, 86400000);
}

static void parse_addr(const char *s, struct udp_addr *a)
{
	if (udp_addr_parse(s, a) != 0) {
		fprintf(stderr, "relay: bad address '%s'\n", s);
		exit(2);
	}
	/* The relay is a test tool: it must never become an open forwarder. */
	if (!udp_addr_is_loopback(a)) {
		fprintf(stderr, "relay: %s is not a loopback address\n", s);
		exit(2);
	}
}

static int blacked_out(const struct relay *r, uint64_t now)
{
	uint64_t t = now - r->start;

	if (r->bo_period > 0 && t >= r->bo_period && t % r->bo_period < r->bo_len)
		return 1;
	for (size_t i = 0; i < r->nbo_at; i++) {
		if (t >= r->bo_at[i].start && t < r->bo_at[i].start + r->bo_at[i].len)
			return 1;
	}
	return 0;
}

static int open_uplink(struct relay *r)
{
	struct udp_addr local;
	int fd;

	memset(&local, 0, sizeof local);
	if (udp_addr_resolve(r->to.ss.ss_family == AF_INET6 ? "::1" : "127.0.0.1", 0,
	    r->to.ss.ss_family, &local) != 0)
		return -1;
	fd = udp_bind(&local, 0, 0, NULL);
	if (fd < 0)
		return -1;
	if (r->nup == RELAY_MAX_UPLINKS) {
		close(r->up_fd[RELAY_MAX_UPLINKS - 1]);
		r->nup--;
	}
	memmove(&r->up_fd[1], &r->up_fd[0], r->nup * sizeof r->up_fd[0]);
	r->up_fd[0] = fd;
	r->nup++;
	return 0;
}

static void roam(struct relay *r)
{
	if (open_uplink(r) != 0) {
		fprintf(stderr, "relay: cannot open a new uplink: %s\n", strerror(errno));
		return;
	}
	r->roams++;
}

static void hold(struct relay *r, int up, const uint8_t *data, size_t len, uint64_t at)
{
	struct held *h;
	int d = up ? 0 : 1;

	if (r->nq == RELAY_MAX_QUEUE) {
		r->overflow[d]++;
		return;
	}
	h = &r->q[r->nq++];
	h->at = at;
	h->up = up;
	h->len = len;
	h->data = malloc(len ? len : 1);
	if (h->data == NULL) {
		r->nq--;
		r->overflow[d]++;
		return;
	}
	memcpy(h->data, data, len);
}

static void trace(struct relay *r, int up, size_t len, uint64_t now, const char *fate)
{
	if (r->trace != NULL)
		fprintf(r->trace, "%llu %s %zu%s\n", (unsigned long long)(now - r->start),
		    up ? "up" : "down", len, fate);
}

/* One datagram came in: decide its fate. */
static void impair(struct relay *r, int up, const uint8_t *data, size_t len, uint64_t now)
{
	int d = up ? 0 : 1;
	uint64_t at;
	int copies = 1;

	r->in[d]++;
	r->in_bytes[d] += len;
	if (blacked_out(r, now)) {
		r->blacked[d]++;
		trace(r, up, len, now, " blackout");
		return;
	}
	if (relay_rand(r) % 100 < r->loss) {
		r->lost[d]++;
		trace(r, up, len, now, " lost");
		return;
	}
	trace(r, up, len, now, "");
	if (relay_rand(r) % 100 < r->dup) {
		r->dups[d]++;
		copies = 2;
	}
	for (int i = 0; i < copies; i++) {
		at = now + r->delay;
		if (r->jitter > 0)
			at += relay_rand(r) % (r->jitter + 1);
		if (r->reorder > 0 && relay_rand(r) % 100 < r->reorder) {
			/* Late enough to be overtaken by what follows it. */
			at += 10 + r->jitter + relay_rand(r) % (r->delay + 50);
			r->reordered[d]++;
		}
		hold(r, up, data, len, at);
	}
}

static void release(struct relay *r, uint64_t now)
{
	size_t i = 0;

	while (i < r->nq) {
		struct held *h = &r->q[i];
		if (h->at > now) {
			i++;
			continue;
		}
		if (h->up) {
			if (udp_send(r->up_fd[0], h->data, h->len, &r->to) == 0)
				r->out[0]++;
		} else if (r->client.len != 0) {
			if (udp_send(r->down_fd, h->data, h->len, &r->client) == 0)
				r->out[1]++;
		}
		free(h->data);
		r->q[i] = r->q[--r->nq];
	}
}

static void drain(struct relay *r, int fd, int up, uint8_t *buf, uint64_t now)
{
	struct udp_addr from;
	ssize_t n;

	while ((n = udp_recv(fd, buf, RELAY_PACKET_MAX, &from)) >= 0) {
		if ((size_t)n > RELAY_PACKET_MAX)
			continue;
		if (up) {
			if (!udp_addr_is_loopback(&from)) {
				r->foreign++;
				continue;
			}
			r->client = from;
		} else if (!udp_addr_equal(&from, &r->to)) {
			r->foreign++;
			continue;
		}
		impair(r, up, buf, (size_t)n, now);
	}
}

static void write_port_file(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "relay: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void report(const struct relay *r, FILE *f, int bytes)
{
	fprintf(f, "relay: up in=%lu out=%lu lost=%lu dup=%lu blackout=%lu reordered=%lu "
	    "overflow=%lu; down in=%lu out=%lu lost=%lu dup=%lu blackout=%lu reordered=%lu "
	    "overflow=%lu; roams=%lu foreign=%lu",
	    r->in[0], r->out[0], r->lost[0], r->dups[0], r->blacked[0], r->reordered[0], r->overflow[0],
	    r->in[1], r->out[1], r->lost[1], r->dups[1], r->blacked[1], r->reordered[1], r->overflow[1],
	    r->roams, r->foreign);
	if (bytes)
		fprintf(f, "; up_bytes=%llu down_bytes=%llu", r->in_bytes[0], r->in_bytes[1]);
	fputc('\n', f);
}

static void write_stats(const struct relay *r, const char *path)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return;
	report(r, f, 1);
	if (fclose(f) == 0)
		(void)rename(tmp, path);
}

int main(int argc, char **argv)
{
	static struct relay relay;
	struct relay *r = &relay;
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "to", required_argument, NULL, 't' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "loss", required_argument, NULL, 'L' },
		{ "delay", required_argument, NULL, 'd' },
		{ "jitter", required_argument, NULL, 'j' },
		{ "reorder", required_argument, NULL, 'r' },
		{ "dup", required_argument, NULL, 'D' },
		{ "blackout", required_argument, NULL, 'b' },
		{ "blackout-at", required_argument, NULL, 'B' },
		{ "roam-every", required_argument, NULL, 'e' },
		{ "roam-at", required_argument, NULL, 'R' },
		{ "time-limit", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats-file", required_argument, NULL, 'S' },
		{ "trace", required_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	const char *port_file = NULL, *stats_file = NULL;
	struct udp_addr bound;
	uint8_t *buf;
	uint64_t seed = 1;
	int have_listen = 0, have_to = 0, quiet = 0, ch;

	r->limit = 60000;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': parse_addr(optarg, &r->listen); have_listen = 1; break;
		case 't': parse_addr(optarg, &r->to); have_to = 1; break;
		case 'p': port_file = optarg; break;
		case 's': seed = parse_num(optarg, ULONG_MAX); break;
		case 'L': r->loss = (unsigned)parse_num(optarg, 100); break;
		case 'd': r->delay = (unsigned)parse_num(optarg, RELAY_MAX_DELAY); break;
		case 'j': r->jitter = (unsigned)parse_num(optarg, RELAY_MAX_DELAY); break;
		case 'r': r->reorder = (unsigned)parse_num(optarg, 100); break;
		case 'D': r->dup = (unsigned)parse_num(optarg, 100); break;
		case 'b':
			parse_pair(optarg, &r->bo_period, &r->bo_len);
			if (r->bo_len >= r->bo_period && r->bo_period > 0)
				usage();
			break;
		case 'B':
			if (r->nbo_at == RELAY_MAX_SCRIPT)
				usage();
			parse_pair(optarg, &r->bo_at[r->nbo_at].start, &r->bo_at[r->nbo_at].len);
			r->nbo_at++;
			break;
		case 'e': r->roam_every = parse_num(optarg, 86400000); break;
		case 'R':
			if (r->nroam_at == RELAY_MAX_SCRIPT)
				usage();
			r->roam_at[r->nroam_at++] = parse_num(optarg, 86400000);
			break;
		case 'T': r->limit = parse_num(optarg, 86400) * 1000; break;
		case 'q': quiet = 1; break;
		case 'S': stats_file = optarg; break;
		case 'X':
			r->trace = fopen(optarg, "w");
			if (r->trace == NULL) {
				fprintf(stderr, "relay: cannot open %s\n", optarg);
				return 1;
			}
			break;
		default: usage();
		}
	}
	if (!have_listen || !have_to || optind != argc)
		usage();
	r->rng = seed * UINT64_C(0x9e3779b97f4a7c15) + 0x2545f4914f6cdd1du;
	if (r->rng == 0)
		r->rng = 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, on_stats);

	r->down_fd = udp_bind(&r->listen, 0, 0, &bound);
	if (r->down_fd < 0 || open_uplink(r) != 0) {
		fprintf(stderr, "relay: cannot bind: %s\n", strerror(errno));
		return 1;
	}
	buf = malloc(RELAY_PACKET_MAX + 1);
	if (buf == NULL)
		return 1;
	r->start = time_now_ms();
	r->next_roam_every = r->roam_every ? r->start + r->roam_every : UINT64_MAX;
	if (port_file != NULL)
		write_port_file(port_file, udp_addr_port(&bound));

	while (!stop_flag) {
		struct pollfd pfd[1 + RELAY_MAX_UPLINKS];
		uint64_t now = time_now_ms(), next = r->start + r->limit;
		int timeout;

		if (now >= r->start + r->limit)
			break;
		if (stats_flag && stats_file != NULL)
			write_stats(r, stats_file);
		stats_flag = 0;
		if (now >= r->next_roam_every) {
			roam(r);
			r->next_roam_every = now + r->roam_every;
		}
		while (r->roam_next < r->nroam_at && now >= r->start + r->roam_at[r->roam_next]) {
			roam(r);
			r->roam_next++;
		}
		release(r, now);
		for (size_t i = 0; i < r->nq; i++)
			next = r->q[i].at < next ? r->q[i].at : next;
		if (r->next_roam_every < next)
			next = r->next_roam_every;
		for (size_t i = r->roam_next; i < r->nroam_at; i++)
			next = r->start + r->roam_at[i] < next ? r->start + r->roam_at[i] : next;
		timeout = next > now ? (int)(next - now) : 0;
		pfd[0].fd = r->down_fd;
		pfd[0].events = POLLIN;
		for (size_t i = 0; i < r->nup; i++) {
			pfd[1 + i].fd = r->up_fd[i];
			pfd[1 + i].events = POLLIN;
		}
		if (poll(pfd, 1 + r->nup, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		now = time_now_ms();
		if (pfd[0].revents & POLLIN)
			drain(r, r->down_fd, 1, buf, now);
		/* Replies to old uplinks still reach the client: a roaming
		 * client keeps its old socket a while for late replies too. */
		for (size_t i = 0; i < r->nup; i++) {
			if (pfd[1 + i].revents & POLLIN)
				drain(r, pfd[1 + i].fd, 0, buf, now);
		}
	}
	if (stats_file != NULL)
		write_stats(r, stats_file);
	if (!quiet)
		report(r, stderr, 0);
	if (r->trace != NULL)
		fclose(r->trace);
	for (size_t i = 0; i < r->nq; i++)
		free(r->q[i].data);
	for (size_t i = 0; i < r->nup; i++)
		close(r->up_fd[i]);
	close(r->down_fd);
	free(buf);
	return 0;
}
