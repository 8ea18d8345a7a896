/* test_layout.c — the layout tree against tmux 3.3a. The expectations in
 * layout_cases.inc were recorded by running each scenario in real tmux
 * 3.3a (gen_layout_cases.py): the panes' rectangles as list-panes prints
 * them and #{window_layout} / #{window_visible_layout}. Each scenario is
 * replayed here through src/server/layout.c and must give the same text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "server/layout.h"

struct layout_case {
	unsigned sx, sy;
	const char *ops;
	const char *expect;
};

static const struct layout_case cases[] = {
#include "layout_cases.inc"
};

/* Window options the scenario set (main-pane-width and friends). */
struct opts {
	char main_w[32], main_h[32], other_w[32], other_h[32];
	struct layout_main_opts o;
};

static int pane_at(const struct layout *l, const char *idx)
{
	return layout_pane_at(l, (size_t)atoi(idx));
}

static void apply_op(struct layout *l, char *op, int *next_id, struct opts *o)
{
	char *f[8] = { 0 };
	int n = 0;

	for (char *t = strtok(op, " "); t != NULL && n < 8; t = strtok(NULL, " "))
		f[n++] = t;
	if (n == 0)
		return;
	if (strcmp(f[0], "split") == 0) {
		int pane = pane_at(l, f[1]);
		int type = strcmp(f[2], "h") == 0 ? LAYOUT_LEFTRIGHT : LAYOUT_TOPBOTTOM;
		int flags = 0, size = -1;
		for (int i = 4; i < n; i++) {
			if (strcmp(f[i], "b") == 0)
				flags |= LAYOUT_SPLIT_BEFORE;
			if (strcmp(f[i], "f") == 0)
				flags |= LAYOUT_SPLIT_FULLSIZE;
		}
		if (strcmp(f[3], "-") != 0) {
			const char *cause;
			unsigned base = layout_split_base(l, pane, type, flags);
			assert_int_equal(layout_parse_size(f[3], base, &size, &cause), 0);
		}
		if (layout_split(l, pane, type, size, flags, *next_id) == 0)
			(*next_id)++;
	} else if (strcmp(f[0], "kill") == 0) {
		assert_int_equal(layout_remove(l, pane_at(l, f[1])), 0);
	} else if (strcmp(f[0], "resize") == 0) {
		int dir = f[2][0] == 'L' ? LAYOUT_DIR_LEFT : f[2][0] == 'R' ? LAYOUT_DIR_RIGHT :
		    f[2][0] == 'U' ? LAYOUT_DIR_UP : LAYOUT_DIR_DOWN;
		layout_resize_pane(l, pane_at(l, f[1]), dir, (unsigned)atoi(f[3]));
	} else if (strcmp(f[0], "resizeto") == 0) {
		layout_resize_pane_to(l, pane_at(l, f[1]),
		    f[2][0] == 'x' ? LAYOUT_LEFTRIGHT : LAYOUT_TOPBOTTOM, (unsigned)atoi(f[3]));
	} else if (strcmp(f[0], "win") == 0) {
		layout_resize(l, (unsigned)atoi(f[1]), (unsigned)atoi(f[2]));
	} else if (strcmp(f[0], "preset") == 0) {
		int p = layout_preset_lookup(f[1]);
		assert_true(p >= 0);
		layout_select_preset(l, p, &o->o);
	} else if (strcmp(f[0], "zoom") == 0) {
		int pane = pane_at(l, f[1]);
		if (layout_zoomed(l) >= 0)
			layout_unzoom(l);
		else
			layout_zoom(l, pane);
	} else if (strcmp(f[0], "spread") == 0) {
		layout_spread_out(l, pane_at(l, f[1]));
	} else if (strcmp(f[0], "opt") == 0) {
		char *dst = strcmp(f[1], "main-pane-width") == 0 ? o->main_w :
		    strcmp(f[1], "main-pane-height") == 0 ? o->main_h :
		    strcmp(f[1], "other-pane-width") == 0 ? o->other_w : o->other_h;
		snprintf(dst, 32, "%s", f[2]);
		o->o.main_pane_width = o->main_w[0] ? o->main_w : NULL;
		o->o.main_pane_height = o->main_h[0] ? o->main_h : NULL;
		o->o.other_pane_width = o->other_w[0] ? o->other_w : NULL;
		o->o.other_pane_height = o->other_h[0] ? o->other_h : NULL;
	} else {
		fail_msg("bad op %s", f[0]);
	}
}

/* The same text gen_layout_cases.py reads from tmux. */
static char *describe(const struct layout *l)
{
	struct buf b;
	char *s;

	buf_init(&b);
	for (size_t i = 0; i < layout_count(l); i++) {
		struct layout_geom g;
		int pane = layout_pane_at(l, i);
		assert_true(layout_geometry(l, pane, &g) >= 0);
		buf_add_printf(&b, "%s%d:%u,%u,%ux%u", i ? " " : "", pane, g.x, g.y, g.sx, g.sy);
	}
	s = layout_dump(l, 0);
	buf_add_printf(&b, "|%s", s);
	free(s);
	s = layout_dump(l, 1);
	buf_add_printf(&b, "|%s", s);
	free(s);
	buf_add_u8(&b, '\0');
	return (char *)b.data;
}

static void test_tmux_scenarios(void **state)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct layout_case *c = &cases[i];
		struct layout *l = layout_create(c->sx, c->sy, 0);
		struct opts o;
		char *ops = strdup(c->ops), *save = NULL;
		int next_id = 1;

		memset(&o, 0, sizeof o);
		for (char *op = strtok_r(ops, ";", &save); op != NULL; op = strtok_r(NULL, ";", &save)) {
			char *copy = strdup(op);
			apply_op(l, copy, &next_id, &o);
			free(copy);
		}
		char *got = describe(l);
		if (strcmp(got, c->expect) != 0) {
			print_message("case %zu: %ux%u %s\n  tmux: %s\n  rmux: %s\n", i, c->sx, c->sy,
			    c->ops, c->expect, got);
			failed++;
		}
		free(got);
		free(ops);
		layout_free(l);
	}
	assert_int_equal(failed, 0);
}

static void test_string_roundtrip(void **state)
{
	struct layout *l = layout_create(80, 24, 0);
	const char *cause;
	char *s, *t;

	assert_int_equal(layout_split(l, 0, LAYOUT_LEFTRIGHT, -1, 0, 1), 0);
	assert_int_equal(layout_split(l, 1, LAYOUT_TOPBOTTOM, -1, 0, 2), 0);
	s = layout_dump(l, 0);
	layout_select_preset(l, LAYOUT_TILED, NULL);
	t = layout_dump(l, 0);
	assert_string_not_equal(s, t);
	assert_int_equal(layout_apply_string(l, s, &cause), 0);
	free(t);
	t = layout_dump(l, 0);
	assert_string_equal(s, t);
	free(t);

	/* A wrong checksum, a wrong size and garbage are refused untouched. */
	char bad[256];
	snprintf(bad, sizeof bad, "%s", s);
	bad[0] = bad[0] == '0' ? '1' : '0';
	assert_int_equal(layout_apply_string(l, bad, &cause), -1);
	assert_int_equal(layout_apply_string(l, "", &cause), -1);
	assert_int_equal(layout_apply_string(l, "zzzz,80x24,0,0", &cause), -1);
	assert_int_equal(layout_apply_string(l, "0000,80x24,0,0{", &cause), -1);
	/* 80x24{40x24,40x24} does not add up (needs a border cell). */
	assert_int_equal(layout_apply_string(l, "0000,80x24,0,0{40x24,0,0,40x24,40,0}", &cause), -1);
	t = layout_dump(l, 0);
	assert_string_equal(s, t);
	free(t);
	free(s);
	layout_free(l);
}

static void test_string_fewer_panes(void **state)
{
	/* Two panes given a three-cell layout: the bottom-right cell goes. */
	struct layout *l = layout_create(80, 24, 5);
	struct layout *three = layout_create(80, 24, 0);
	struct layout_geom g;
	const char *cause;

	layout_split(three, 0, LAYOUT_LEFTRIGHT, -1, 0, 1);
	layout_split(three, 1, LAYOUT_TOPBOTTOM, -1, 0, 2);
	char *s = layout_dump(three, 0);
	layout_split(l, 5, LAYOUT_TOPBOTTOM, -1, 0, 6);
	assert_int_equal(layout_apply_string(l, s, &cause), 0);
	assert_int_equal(layout_geometry(l, 5, &g), 0);
	assert_int_equal(g.sx, 40);
	assert_int_equal(layout_geometry(l, 6, &g), 0);
	assert_int_equal(g.x, 41);
	assert_int_equal(g.sy, 24);
	free(s);
	layout_free(three);
	layout_free(l);
}

static void test_deep_string_refused(void **state)
{
	struct layout *l = layout_create(80, 24, 0);
	const char *cause;
	char s[4096];
	size_t n = 0;

	n += (size_t)snprintf(s + n, sizeof s - n, "0000,");
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(s + n, sizeof s - n, "80x24,0,0{");
	assert_int_equal(layout_apply_string(l, s, &cause), -1);
	layout_free(l);
}

/* BODY behind its right checksum, so only the layout itself is judged. */
static int apply_body(struct layout *l, const char *body, const char **cause)
{
	unsigned csum = 0;
	char s[512];

	for (const char *p = body; *p != '\0'; p++) {
		csum = ((csum >> 1) + ((csum & 1) << 15)) & 0xffff;
		csum = (csum + (unsigned char)*p) & 0xffff;
	}
	snprintf(s, sizeof s, "%04x,%s", csum, body);
	return layout_apply_string(l, s, cause);
}

static void test_string_bad_sizes(void **state)
{
	struct layout *one = layout_create(80, 24, 0);
	struct layout *two = layout_create(80, 24, 0);
	const char *cause;
	unsigned sx, sy;
	char *before;

	layout_split(two, 0, LAYOUT_LEFTRIGHT, -1, 0, 1);
	before = layout_dump(two, 0);
	/* Zero and oversized sides, of the window or of a pane. */
	assert_int_equal(apply_body(one, "0x0,0,0", &cause), -1);
	assert_string_equal(cause, "invalid layout");
	assert_int_equal(apply_body(one, "80x10001,0,0", &cause), -1);
	assert_string_equal(cause, "invalid layout");
	assert_int_equal(apply_body(two, "80x24,0,0{80x24,0,0,0x24,81,0}", &cause), -1);
	assert_string_equal(cause, "invalid layout");
	/* Children each in range, but adding up to a window too wide. */
	assert_int_equal(apply_body(two, "10001x5,0,0{5000x5,0,0,5000x5,5001,0}", &cause), -1);
	assert_string_equal(cause, "invalid layout");
	/* A split with a single child, with as many and fewer panes. */
	assert_int_equal(apply_body(two, "3x1,0,0{1x1,0,0,1x1,2,0{1x1,2,0}}", &cause), -1);
	assert_string_equal(cause, "invalid layout");
	assert_int_equal(apply_body(one, "3x1,0,0{1x1,0,0,1x1,2,0{1x1,2,0}}", &cause), -1);
	assert_int_equal(apply_body(one, "1x1,0,0{1x1,0,0}", &cause), -1);
	char *after = layout_dump(two, 0);
	assert_string_equal(before, after);
	free(after);
	layout_window_size(one, &sx, &sy);
	assert_int_equal(sx, 80);
	assert_int_equal(sy, 24);
	/* The limit itself is allowed. */
	assert_int_equal(apply_body(two, "10000x5,0,0{4999x5,0,0,5000x5,5000,0}", &cause), 0);
	layout_window_size(two, &sx, &sy);
	assert_int_equal(sx, 10000);
	assert_int_equal(sy, 5);
	assert_int_equal(apply_body(one, "1x10000,0,0", &cause), 0);
	layout_window_size(one, &sx, &sy);
	assert_int_equal(sy, 10000);
	free(before);
	layout_free(one);
	layout_free(two);
}

static void test_no_space(void **state)
{
	struct layout *l = layout_create(3, 3, 0);

	assert_int_equal(layout_split(l, 0, LAYOUT_LEFTRIGHT, -1, 0, 1), 0);
	/* Pane 0 is now 1 wide: it cannot split again. */
	assert_int_equal(layout_split(l, 0, LAYOUT_LEFTRIGHT, -1, 0, 2), -1);
	assert_int_equal(layout_split(l, 7, LAYOUT_LEFTRIGHT, -1, 0, 2), -1);
	assert_int_equal(layout_split(l, 1, LAYOUT_LEFTRIGHT, -1, 0, 1), -1);
	assert_int_equal(layout_count(l), 2);
	assert_int_equal(layout_remove(l, 0), 0);
	assert_int_equal(layout_remove(l, 1), -1);
	assert_int_equal(layout_count(l), 1);
	layout_free(l);
}

static void test_parse_size(void **state)
{
	const char *cause;
	int v;

	assert_int_equal(layout_parse_size("10", 80, &v, &cause), 0);
	assert_int_equal(v, 10);
	assert_int_equal(layout_parse_size("25%", 80, &v, &cause), 0);
	assert_int_equal(v, 20);
	assert_int_equal(layout_parse_size("abc", 80, &v, &cause), -1);
	assert_string_equal(cause, "invalid");
	assert_int_equal(layout_parse_size("-3", 80, &v, &cause), -1);
	assert_string_equal(cause, "too small");
	assert_int_equal(layout_parse_size("101%", 80, &v, &cause), -1);
	assert_string_equal(cause, "too large");
	assert_int_equal(layout_parse_size("", 80, &v, &cause), -1);
	assert_int_equal(layout_preset_lookup("tiled"), LAYOUT_TILED);
	assert_int_equal(layout_preset_lookup("main-v"), LAYOUT_MAIN_VERTICAL);
	assert_int_equal(layout_preset_lookup("main"), -1);
	assert_int_equal(layout_preset_lookup("nope"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tmux_scenarios),
		cmocka_unit_test(test_string_roundtrip),
		cmocka_unit_test(test_string_fewer_panes),
		cmocka_unit_test(test_deep_string_refused),
		cmocka_unit_test(test_string_bad_sizes),
		cmocka_unit_test(test_no_space),
		cmocka_unit_test(test_parse_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
