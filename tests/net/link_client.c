/* link_client.c — the shared test client of the daemon's link (see
 * link_client.h). */
#include "link_client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "term/clusters.h"

int link_rmux(const char *rmux, const char *sockname, int quiet, struct buf *out,
    const char *const *args)
{
	const char *argv[48];
	int n = 0, pipefd[2], status;
	pid_t pid;
	char chunk[4096];
	ssize_t got;

	argv[n++] = rmux;
	argv[n++] = "-f";
	argv[n++] = "/dev/null";
	argv[n++] = "-L";
	argv[n++] = sockname;
	for (; *args != NULL && n < 47; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (pipe(pipefd) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		int null = quiet ? open("/dev/null", O_WRONLY) : -1;

		dup2(pipefd[1], STDOUT_FILENO);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(rmux, (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	while ((got = read(pipefd[0], chunk, sizeof chunk)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		if (out != NULL)
			buf_add(out, chunk, (size_t)got);
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

pid_t link_relay_start(const char *relay, unsigned to_port, const char *port_file,
    const char *const *args, unsigned *port)
{
	const char *argv[64];
	char to[64];
	size_t n = 0;
	uint64_t deadline;
	pid_t pid;
	FILE *f;

	snprintf(to, sizeof to, "127.0.0.1:%u", to_port);
	unlink(port_file);
	argv[n++] = relay;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--to";
	argv[n++] = to;
	argv[n++] = "--port-file";
	argv[n++] = port_file;
	for (; *args != NULL && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(relay, (char *const *)argv);
		_exit(127);
	}
	deadline = time_now_ms() + 10000;
	*port = 0;
	while (*port == 0 && time_now_ms() < deadline) {
		f = fopen(port_file, "r");
		if (f != NULL) {
			if (fscanf(f, "%u", port) != 1)
				*port = 0;
			fclose(f);
		}
		if (*port == 0)
			usleep(10000);
	}
	return *port != 0 ? pid : -1;
}

int link_client_open(struct link_client *c, const char *line, unsigned via,
    uint8_t key[CRYPTO_KEY_LEN])
{
	uint8_t k[CRYPTO_KEY_LEN];
	struct udp_addr loop;
	struct view *v;
	struct input_stream *in;
	char keytext[64];
	unsigned port;

	memset(c, 0, sizeof *c);
	c->fd = -1;
	if (sscanf(line, "RMUX CONNECT %u %63s", &port, keytext) != 2 ||
	    crypto_key_decode(keytext, strlen(keytext), k) != 0 ||
	    udp_addr_parse("127.0.0.1:0", &loop) != 0)
		return -1;
	c->fd = udp_bind(&loop, 0, 0, NULL);
	if (c->fd < 0)
		return -1;
	c->server = loop;
	udp_addr_set_port(&c->server, via != 0 ? via : port);
	v = view_create();
	in = input_stream_create();
	c->t = transport_create(TRANSPORT_CLIENT, k, crypto_key_id(k), &input_stream_ops, in,
	    &view_ops, v, time_now_ms());
	transport_set_peer(c->t, &c->server);
	view_free(v);
	input_stream_free(in);
	if (key != NULL)
		memcpy(key, k, sizeof k);
	return 0;
}

void link_client_close(struct link_client *c)
{
	transport_free(c->t);
	c->t = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

struct input_stream *link_client_input(struct link_client *c)
{
	return transport_current_state(c->t);
}

const struct view *link_client_view(const struct link_client *c)
{
	return transport_remote_state(c->t);
}

int link_client_type(struct link_client *c, const char *text)
{
	for (; *text != '\0'; text++) {
		if (input_stream_add_key(link_client_input(c), (uint8_t)*text) != 0)
			return -1;
	}
	return 0;
}

uint64_t link_client_send(struct link_client *c, uint64_t now,
    void (*sent)(void *arg, const uint8_t *data, size_t len), void *arg)
{
	uint64_t next = transport_tick(c->t, now);
	const struct udp_addr *peer = transport_peer(c->t, now);
	const uint8_t *data;
	size_t len;

	while (transport_pop(c->t, &data, &len)) {
		if (sent != NULL)
			sent(arg, data, len);
		if (peer != NULL)
			(void)udp_send(c->fd, data, len, peer);
	}
	return next;
}

void link_client_receive(struct link_client *c,
    void (*got)(void *arg, const uint8_t *data, size_t len, int rc), void *arg)
{
	static uint8_t pkt[65536];
	struct udp_addr from;
	ssize_t n;
	int rc;

	while ((n = udp_recv(c->fd, pkt, sizeof pkt, &from)) >= 0) {
		if ((size_t)n > sizeof pkt)
			continue;
		rc = transport_receive(c->t, pkt, (size_t)n, &from, time_now_ms());
		if (got != NULL)
			got(arg, pkt, (size_t)n, rc);
	}
}

void link_row_text(const struct view_pane *p, unsigned y, char *out, size_t size)
{
	size_t n = 0;

	for (unsigned x = 0; x < p->cols; x++) {
		char t[CLUSTER_MAX_BYTES];
		size_t l = view_row_text(p->line[y], x, t);

		if (n + l + 1 > size)
			break;
		memcpy(out + n, t, l);
		n += l;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}
