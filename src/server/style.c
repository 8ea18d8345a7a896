/* style.c — style strings and #[...] markers (see style.h). The words,
 * their effect on colours ("fg=default" meaning the base colour) and
 * "invalid style" follow tmux 3.3a. */
#include "server/style.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "server/options.h"
#include "term/utf8.h"

/* Longest style word considered; longer words are invalid. */
#define STYLE_WORD_MAX 256

void style_init(struct style *sy, const struct pen *base)
{
	memset(sy, 0, sizeof *sy);
	if (base != NULL)
		sy->pen = *base;
	sy->pen.link = 0;
}

static const struct {
	const char *name;
	uint16_t attr;
} style_attrs[] = {
	{ "bright", ATTR_BOLD }, { "bold", ATTR_BOLD }, { "dim", ATTR_DIM },
	{ "underscore", ATTR_UNDERLINE(UL_SINGLE) }, { "blink", ATTR_BLINK },
	{ "reverse", ATTR_REVERSE }, { "hidden", ATTR_HIDDEN }, { "italics", ATTR_ITALIC },
	{ "strikethrough", ATTR_STRIKE }, { "double-underscore", ATTR_UNDERLINE(UL_DOUBLE) },
	{ "curly-underscore", ATTR_UNDERLINE(UL_CURLY) },
	{ "dotted-underscore", ATTR_UNDERLINE(UL_DOTTED) },
	{ "dashed-underscore", ATTR_UNDERLINE(UL_DASHED) }, { "overline", ATTR_OVERLINE },
	{ "acs", 0 },
};

static int word_choice(const char *v, const char *const *names, int first)
{
	for (int i = 0; names[i] != NULL; i++) {
		if (strcasecmp(v, names[i]) == 0)
			return first + i;
	}
	return -1;
}

/* One word onto SY; 0 or -1. */
static int apply_word(struct style *sy, const struct pen *base, const char *w)
{
	static const char *const aligns[] = { "left", "centre", "right", "absolute-centre", NULL };
	static const char *const lists[] = { "on", "focus", "left-marker", "right-marker", NULL };
	struct pen zero = { 0 };
	int v;

	if (base == NULL)
		base = &zero;
	if (strcasecmp(w, "default") == 0) {
		sy->pen.fg = base->fg;
		sy->pen.bg = base->bg;
		sy->pen.attr = base->attr;
		return 0;
	}
	if (strcasecmp(w, "ignore") == 0 || strcasecmp(w, "noignore") == 0 ||
	    strcasecmp(w, "norange") == 0 || strncasecmp(w, "range=", 6) == 0)
		return 0;
	if (strcasecmp(w, "push-default") == 0) {
		sy->default_type = STYLE_DEFAULT_PUSH;
		return 0;
	}
	if (strcasecmp(w, "pop-default") == 0) {
		sy->default_type = STYLE_DEFAULT_POP;
		return 0;
	}
	if (strcasecmp(w, "nolist") == 0 || strcasecmp(w, "list=off") == 0) {
		sy->list = STYLE_LIST_OFF;
		return 0;
	}
	if (strncasecmp(w, "list=", 5) == 0) {
		if ((v = word_choice(w + 5, lists, STYLE_LIST_ON)) < 0)
			return -1;
		sy->list = v;
		return 0;
	}
	if (strcasecmp(w, "noalign") == 0) {
		sy->align = STYLE_ALIGN_DEFAULT;
		return 0;
	}
	if (strncasecmp(w, "align=", 6) == 0) {
		if ((v = word_choice(w + 6, aligns, STYLE_ALIGN_LEFT)) < 0)
			return -1;
		sy->align = v;
		return 0;
	}
	if (strcasecmp(w, "none") == 0) {
		sy->pen.attr = 0;
		return 0;
	}
	if (strncasecmp(w, "fg=", 3) == 0 || strncasecmp(w, "bg=", 3) == 0 ||
	    strncasecmp(w, "us=", 3) == 0 || strncasecmp(w, "fill=", 5) == 0) {
		int64_t c = options_colour_parse(strchr(w, '=') + 1);
		if (c == -1)
			return -1;
		switch (tolower((unsigned char)w[0])) {
		case 'f':
			if (w[1] == 'i' || w[1] == 'I') {
				sy->fill = 1;
				sy->fill_colour = options_colour_to_cell(c);
			} else
				sy->pen.fg = c == OPTIONS_COLOUR_DEFAULT ? base->fg : options_colour_to_cell(c);
			break;
		case 'b':
			sy->pen.bg = c == OPTIONS_COLOUR_DEFAULT ? base->bg : options_colour_to_cell(c);
			break;
		default:
			break; /* cells carry no underline colour */
		}
		return 0;
	}
	int off = strncasecmp(w, "no", 2) == 0;
	for (size_t i = 0; i < RMUX_NITEMS(style_attrs); i++) {
		if (strcasecmp(w + (off ? 2 : 0), style_attrs[i].name) != 0)
			continue;
		uint16_t a = style_attrs[i].attr;
		if (a & ATTR_UL_MASK) {
			/* Underline styles share bits: set one, clear any. */
			if (off)
				sy->pen.attr &= (uint16_t)~ATTR_UL_MASK;
			else
				sy->pen.attr = (uint16_t)((sy->pen.attr & ~ATTR_UL_MASK) | a);
		} else if (off)
			sy->pen.attr &= (uint16_t)~a;
		else
			sy->pen.attr |= a;
		return 0;
	}
	return -1;
}

int style_apply(struct style *sy, const struct pen *base, const char *s, char **cause)
{
	struct style saved = *sy;
	char word[STYLE_WORD_MAX];
	const char *p = s;

	while (*p != '\0') {
		size_t n = strcspn(p, " ,");
		if (n >= sizeof word)
			goto error;
		if (n != 0) {
			memcpy(word, p, n);
			word[n] = '\0';
			if (apply_word(sy, base, word) != 0)
				goto error;
		}
		p += n;
		if (*p != '\0')
			p++;
	}
	return 0;
error:
	*sy = saved;
	if (cause != NULL)
		*cause = xasprintf("invalid style: %s", s);
	return -1;
}

struct pen style_pen(const struct pen *base, const char *s)
{
	struct style sy;

	style_init(&sy, base);
	style_apply(&sy, base, s, NULL);
	return sy.pen;
}

void style_cells_free(struct style_cells *sc)
{
	free(sc->cells);
	memset(sc, 0, sizeof *sc);
}

static void put_cell(struct style_cells *out, const struct cell *c)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 64;
		out->cells = xreallocarray(out->cells, out->cap, sizeof *out->cells);
	}
	out->cells[out->n++] = *c;
}

static void put_char(struct style_cells *out, const struct pen *pen, uint32_t cp)
{
	struct cell c = { cp, pen->fg, pen->bg, (uint16_t)(pen->attr & ATTR_STYLE_MASK), 0 };
	int w = utf8_width(cp);

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || w <= 0)
		return;
	if (w == 2) {
		c.attr |= CELL_WIDE;
		put_cell(out, &c);
		c.ch = ' ';
		c.attr = (uint16_t)((c.attr & ~CELL_WIDE) | CELL_WIDE_TAIL);
	}
	put_cell(out, &c);
}

void style_draw(struct style_cells *out, const struct pen *base, const char *text)
{
	struct style sy;
	struct pen deflt = base != NULL ? *base : (struct pen){ 0 };
	size_t len = strlen(text), i = 0;

	memset(out, 0, sizeof *out);
	out->focus_start = out->focus_end = -1;
	style_init(&sy, &deflt);
	while (i < len) {
		if (text[i] == '#') {
			size_t k = 0;
			while (i + k < len && text[i + k] == '#')
				k++;
			if (i + k < len && text[i + k] == '[') {
				for (size_t j = 0; j < k / 2; j++)
					put_char(out, &sy.pen, '#');
				if (k % 2 == 0) {
					i += k;
					continue;
				}
				/* A marker: #[words]. Unterminated: drawn as text. */
				const char *end = strchr(text + i + k + 1, ']');
				if (end == NULL) {
					i += k - 1;
					put_char(out, &sy.pen, '#');
					i++;
					continue;
				}
				char *words = xstrndup(text + i + k + 1, (size_t)(end - (text + i + k + 1)));
				int old_list = sy.list;
				sy.default_type = STYLE_DEFAULT_BASE;
				style_apply(&sy, &deflt, words, NULL);
				free(words);
				if (sy.default_type == STYLE_DEFAULT_PUSH)
					deflt = sy.pen;
				else if (sy.default_type == STYLE_DEFAULT_POP)
					deflt = base != NULL ? *base : (struct pen){ 0 };
				if (sy.list == STYLE_LIST_FOCUS && old_list != STYLE_LIST_FOCUS)
					out->focus_start = (int)out->n;
				if (old_list == STYLE_LIST_FOCUS && sy.list != STYLE_LIST_FOCUS)
					out->focus_end = (int)out->n;
				i = (size_t)(end - text) + 1;
				continue;
			}
			for (size_t j = 0; j < k; j++)
				put_char(out, &sy.pen, '#');
			i += k;
			continue;
		}
		uint32_t cp;
		i += utf8_decode((const uint8_t *)text + i, len - i, &cp);
		put_char(out, &sy.pen, cp);
	}
	if (out->focus_start != -1 && out->focus_end == -1)
		out->focus_end = (int)out->n;
}

unsigned style_width(const char *text)
{
	struct style_cells sc;
	unsigned n;

	style_draw(&sc, NULL, text);
	n = sc.n;
	style_cells_free(&sc);
	return n;
}
