/* bstr_state.h — the byte-string state type the transport tests sync
 * (tests/unit/net/test_transport.c, tests/net/test_link.c): the diff is
 * the common prefix length and the tail. Header-only with static
 * functions so each test program gets its own copy and counter; include
 * after <cmocka.h>. */
#ifndef RMUX_TESTS_BSTR_STATE_H
#define RMUX_TESTS_BSTR_STATE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "net/transport.h"

struct bstr {
	size_t len;
	uint8_t *d;
};

static int bstr_applies; /* calls of bstr_apply, to see what reached a state */

static void *bstr_copy(const void *p)
{
	const struct bstr *s = p;
	struct bstr *c = malloc(sizeof *c);

	assert_non_null(c);
	c->len = s->len;
	c->d = malloc(s->len ? s->len : 1);
	assert_non_null(c->d);
	if (s->len)
		memcpy(c->d, s->d, s->len);
	return c;
}

static void bstr_free(void *p)
{
	struct bstr *s = p;

	free(s->d);
	free(s);
}

static int bstr_equal(const void *pa, const void *pb)
{
	const struct bstr *a = pa, *b = pb;

	return a->len == b->len && (a->len == 0 || memcmp(a->d, b->d, a->len) == 0);
}

static void bstr_diff(const void *pfrom, const void *pto, struct buf *out)
{
	const struct bstr *from = pfrom, *to = pto;
	size_t p = 0;

	if (bstr_equal(from, to))
		return;
	while (p < from->len && p < to->len && from->d[p] == to->d[p])
		p++;
	buf_add_varint(out, p);
	buf_add(out, to->d + p, to->len - p);
}

static int bstr_apply(void *ps, const uint8_t *diff, size_t len)
{
	struct bstr *s = ps;
	struct reader r;
	uint64_t p;
	uint8_t *d;

	bstr_applies++;
	reader_init(&r, diff, len);
	if (reader_varint(&r, &p) != 0 || p > s->len)
		return RMUX_ERR_MALFORMED;
	d = malloc(p + r.left + 1);
	assert_non_null(d);
	memcpy(d, s->d, p);
	memcpy(d + p, r.p, r.left);
	free(s->d);
	s->d = d;
	s->len = p + r.left;
	return 0;
}

static const struct transport_state_ops bstr_ops = {
	bstr_copy, bstr_free, bstr_diff, bstr_apply, bstr_equal, NULL,
};

static void bstr_set(struct transport *t, const char *text)
{
	struct bstr s = { strlen(text), (uint8_t *)(uintptr_t)text };

	transport_set_current_state(t, &s);
}

#endif
