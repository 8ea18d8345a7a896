/* vtcase.c — the VT script runner: reads case files (tests/vt/cases, NAME.vt),
 * feeds each case's bytes to an emulator and compares the screen and state
 * it ends with against the case's expectations. One cmocka test per case;
 * the exit status is the number of failed cases (or 1 for a bad file).
 *
 *     vtcase FILE...
 *
 * Case file format (tests/vt/cases/README.md has the long version):
 *
 *   Lines before the first case set defaults for the file (size:,
 *   history-limit:). Blank lines and other `#` lines are comments.
 *
 *   # case: NAME            starts a case
 *   # tmux-differs: WHY     tmux 3.3a is known to disagree (check_tmux.py)
 *   size: COLSxROWS         terminal size (default 20x5)
 *   history-limit: N        history lines kept (default 1000)
 *   input: BYTES            one vt_input() call; several lines are fed in order
 *   resize: COLSxROWS       vt_resize() between inputs
 *
 *   Expectations (each optional, all checked once every step has run):
 *   screen:                 followed by exactly ROWS lines |....|: the text of
 *   |abc   |                each row between bars, trailing spaces included
 *   history:                followed by |....| lines, oldest first: the whole
 *   |old line|              history (trailing spaces not significant)
 *   cursor: X,Y             cursor column and row, 0-based
 *   wrap-pending: yes|no    the deferred-autowrap flag
 *   cursor-visible: yes|no
 *   cursor-style: N         DECSCUSR value
 *   modes: +NAME -NAME ...  modes that must be set (+) or clear (-); names
 *                           in mode_names[] below
 *   region: TOP,BOTTOM      scroll region, 0-based inclusive
 *   replies: BYTES          everything written back (DSR, CPR, DA), exactly
 *   title: BYTES            OSC 0/2 title
 *   cwd: BYTES              OSC 7 URI
 *   clipboard: BYTES        OSC 52 payloads ("selection;base64\n" each)
 *   bells: N                BEL count
 *   wrapped: Y Y ...        rows with the wrapped flag (all others without);
 *                           "wrapped: none" for no row
 *   attr X,Y: STYLE         the exact style of cell X,Y; X may be a range
 *                           X0-X1. STYLE is words: default bold dim italic
 *                           blink reverse hidden strike overline underline
 *                           ul=single|double|curly|dotted|dashed fg=C bg=C
 *                           link=URI, where C is N (palette 0-255),
 *                           rgb(R,G,B) or default. Unnamed parts must be off
 *                           / default.
 *   text X,Y: BYTES         the cell's text (a combining cluster, or empty
 *                           for the right half of a wide character)
 *
 *   BYTES are written with escapes: \e \r \n \t \a \b \f \v \0 \s (space)
 *   \\ and \xNN; anything else is literal UTF-8. One space after the colon
 *   is skipped; the rest of the line, trailing spaces too, is the value.
 *
 * Every case is run three ways that must all give the same result: one
 * vt_input() per input line, the inputs between resizes joined into one
 * call, and one byte per call (so every sequence is split everywhere).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "term/cell.h"
#include "term/clusters.h"
#include "term/grid.h"
#include "term/history.h"
#include "term/screen.h"
#include "term/vt.h"

#define VTCASE_DEFAULT_COLS 20
#define VTCASE_DEFAULT_ROWS 5
#define VTCASE_DEFAULT_HISTORY 1000
#define VTCASE_MAX_SIZE 1000

enum step_kind { STEP_INPUT, STEP_RESIZE };

struct step {
	enum step_kind kind;
	char *bytes;
	size_t len;
	unsigned cols, rows;
};

struct attr_check {
	unsigned x0, x1, y;
	uint32_t fg, bg;
	uint16_t attr;
	char *link; /* NULL: no link */
	unsigned line;
};

struct text_check {
	unsigned x, y;
	char *text;
	size_t len;
	unsigned line;
};

/* An optional expected byte string. */
struct bytes_check {
	int has;
	char *bytes;
	size_t len;
};

struct vtcase {
	char *name;
	const char *file;
	unsigned line;
	unsigned cols, rows, history_limit;

	struct step *steps;
	size_t nsteps;

	char **screen; /* rows expected lines, or NULL */
	size_t nscreen;
	int has_history;
	char **history;
	size_t nhistory;

	int has_cursor;
	unsigned cx, cy;
	int has_wrap_pending, wrap_pending;
	int has_visible, visible;
	int has_style;
	unsigned style;
	uint32_t modes_set, modes_clear;
	int has_region;
	unsigned region_top, region_bottom;
	struct bytes_check replies, title, cwd, clipboard;
	int has_bells;
	unsigned bells;
	int has_wrapped;
	uint8_t *wrapped; /* rows entries: 1 if expected wrapped */

	struct attr_check *attrs;
	size_t nattrs;
	struct text_check *texts;
	size_t ntexts;
};

static const struct {
	const char *name;
	uint32_t bit;
} mode_names[] = {
	{ "cursor-visible", MODE_CURSOR_VISIBLE },
	{ "insert", MODE_INSERT },
	{ "origin", MODE_ORIGIN },
	{ "wrap", MODE_WRAP },
	{ "app-cursor", MODE_APP_CURSOR },
	{ "app-keypad", MODE_APP_KEYPAD },
	{ "bracketed-paste", MODE_BRACKETED_PASTE },
	{ "focus", MODE_FOCUS },
	{ "mouse-x10", MODE_MOUSE_X10 },
	{ "mouse-standard", MODE_MOUSE_STANDARD },
	{ "mouse-button", MODE_MOUSE_BUTTON },
	{ "mouse-any", MODE_MOUSE_ANY },
	{ "mouse-utf8", MODE_MOUSE_UTF8 },
	{ "mouse-sgr", MODE_MOUSE_SGR },
	{ "mouse-urxvt", MODE_MOUSE_URXVT },
	{ "sync", MODE_SYNC },
	{ "newline", MODE_NEWLINE },
	{ "reverse-video", MODE_REVERSE_VIDEO },
	{ "cursor-blink", MODE_CURSOR_BLINK },
	{ "alt-screen", MODE_ALT_SCREEN },
};

static const char *ul_names[] = { "none", "single", "double", "curly", "dotted", "dashed" };

static const struct {
	const char *name;
	uint16_t bit;
} attr_names[] = {
	{ "bold", ATTR_BOLD },       { "dim", ATTR_DIM },
	{ "italic", ATTR_ITALIC },   { "blink", ATTR_BLINK },
	{ "reverse", ATTR_REVERSE }, { "hidden", ATTR_HIDDEN },
	{ "strike", ATTR_STRIKE },   { "overline", ATTR_OVERLINE },
};

/* ---- parsing ---------------------------------------------------------- */

struct parser {
	const char *file;
	unsigned line;
	int errors;
};

static void parse_error(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void parse_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", p->file, p->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->errors++;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escapes of S into a new buffer; returns 0 or -1 on a bad escape. */
static int unescape(struct parser *p, const char *s, char **out, size_t *outlen)
{
	struct buf b;

	buf_init(&b);
	while (*s != '\0') {
		if (*s != '\\') {
			buf_add_u8(&b, (uint8_t)*s++);
			continue;
		}
		s++;
		switch (*s) {
		case 'e': buf_add_u8(&b, 0x1b); break;
		case 'r': buf_add_u8(&b, '\r'); break;
		case 'n': buf_add_u8(&b, '\n'); break;
		case 't': buf_add_u8(&b, '\t'); break;
		case 'a': buf_add_u8(&b, 0x07); break;
		case 'b': buf_add_u8(&b, 0x08); break;
		case 'f': buf_add_u8(&b, 0x0c); break;
		case 'v': buf_add_u8(&b, 0x0b); break;
		case '0': buf_add_u8(&b, 0x00); break;
		case 's': buf_add_u8(&b, ' '); break;
		case '\\': buf_add_u8(&b, '\\'); break;
		case 'x': {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (hi < 0 || lo < 0) {
				parse_error(p, "\\x needs two hex digits");
				buf_free(&b);
				return -1;
			}
			buf_add_u8(&b, (uint8_t)(hi << 4 | lo));
			s += 2;
			break;
		}
		default:
			parse_error(p, "unknown escape \\%c", *s != '\0' ? *s : '?');
			buf_free(&b);
			return -1;
		}
		s++;
	}
	buf_add_u8(&b, 0);
	*out = (char *)b.data;
	*outlen = b.len - 1;
	return 0;
}

static int parse_size(const char *s, unsigned *cols, unsigned *rows)
{
	char *end;
	unsigned long c, r;

	errno = 0;
	c = strtoul(s, &end, 10);
	if (end == s || *end != 'x')
		return -1;
	s = end + 1;
	r = strtoul(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0)
		return -1;
	if (c < 1 || r < 1 || c > VTCASE_MAX_SIZE || r > VTCASE_MAX_SIZE)
		return -1;
	*cols = (unsigned)c;
	*rows = (unsigned)r;
	return 0;
}

static int parse_uint(const char *s, unsigned *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || n > 0xffffffffUL)
		return -1;
	*v = (unsigned)n;
	return 0;
}

static int parse_yesno(const char *s, int *v)
{
	if (strcmp(s, "yes") == 0)
		*v = 1;
	else if (strcmp(s, "no") == 0)
		*v = 0;
	else
		return -1;
	return 0;
}

/* "X,Y" or "X0-X1,Y". */
static int parse_pos(const char *s, unsigned *x0, unsigned *x1, unsigned *y)
{
	unsigned a, b, c;
	int n = 0;

	if (sscanf(s, "%u-%u,%u%n", &a, &b, &c, &n) == 3 && s[n] == '\0' && a <= b) {
		*x0 = a;
		*x1 = b;
		*y = c;
		return 0;
	}
	if (sscanf(s, "%u,%u%n", &a, &c, &n) == 2 && s[n] == '\0') {
		*x0 = *x1 = a;
		*y = c;
		return 0;
	}
	return -1;
}

static int parse_colour(const char *s, uint32_t *c)
{
	unsigned r, g, b, v;
	int n = 0;

	if (strcmp(s, "default") == 0) {
		*c = COLOUR_DEFAULT;
		return 0;
	}
	if (sscanf(s, "rgb(%u,%u,%u)%n", &r, &g, &b, &n) == 3 && s[n] == '\0' && r < 256 &&
	    g < 256 && b < 256) {
		*c = colour_rgb(r, g, b);
		return 0;
	}
	if (parse_uint(s, &v) == 0 && v < 256) {
		*c = colour_palette(v);
		return 0;
	}
	return -1;
}

static int parse_style(struct parser *p, char *s, struct attr_check *a)
{
	char *word, *save = NULL;
	size_t i;

	a->fg = a->bg = COLOUR_DEFAULT;
	a->attr = 0;
	a->link = NULL;
	for (word = strtok_r(s, " \t", &save); word != NULL; word = strtok_r(NULL, " \t", &save)) {
		int found = 0;

		if (strcmp(word, "default") == 0)
			continue;
		if (strcmp(word, "underline") == 0) {
			a->attr = (uint16_t)((a->attr & ~ATTR_UL_MASK) | ATTR_UNDERLINE(UL_SINGLE));
			continue;
		}
		for (i = 0; i < RMUX_NITEMS(attr_names); i++) {
			if (strcmp(word, attr_names[i].name) == 0) {
				a->attr |= attr_names[i].bit;
				found = 1;
			}
		}
		if (found)
			continue;
		if (strncmp(word, "ul=", 3) == 0) {
			for (i = 0; i < RMUX_NITEMS(ul_names); i++) {
				if (strcmp(word + 3, ul_names[i]) == 0) {
					a->attr = (uint16_t)((a->attr & ~ATTR_UL_MASK) |
							     ATTR_UNDERLINE(i));
					found = 1;
				}
			}
		} else if (strncmp(word, "fg=", 3) == 0) {
			found = parse_colour(word + 3, &a->fg) == 0;
		} else if (strncmp(word, "bg=", 3) == 0) {
			found = parse_colour(word + 3, &a->bg) == 0;
		} else if (strncmp(word, "link=", 5) == 0) {
			free(a->link);
			a->link = xstrdup(word + 5);
			found = 1;
		}
		if (!found) {
			parse_error(p, "bad style word '%s'", word);
			return -1;
		}
	}
	return 0;
}

static void case_free(struct vtcase *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->name);
	for (i = 0; i < c->nsteps; i++)
		free(c->steps[i].bytes);
	free(c->steps);
	for (i = 0; i < c->nscreen; i++)
		free(c->screen[i]);
	free(c->screen);
	for (i = 0; i < c->nhistory; i++)
		free(c->history[i]);
	free(c->history);
	free(c->replies.bytes);
	free(c->title.bytes);
	free(c->cwd.bytes);
	free(c->clipboard.bytes);
	free(c->wrapped);
	for (i = 0; i < c->nattrs; i++)
		free(c->attrs[i].link);
	free(c->attrs);
	for (i = 0; i < c->ntexts; i++)
		free(c->texts[i].text);
	free(c->texts);
	free(c);
}

static void free_cases(struct vtcase **cases)
{
	size_t i;

	for (i = 0; cases != NULL && cases[i] != NULL; i++)
		case_free(cases[i]);
	free(cases);
}

/* The text between the first and the last bar of a |...| line. */
static char *bar_text(struct parser *p, const char *line)
{
	size_t len = strlen(line);

	if (len < 2 || line[0] != '|' || line[len - 1] != '|') {
		parse_error(p, "a row must be written |text|");
		return NULL;
	}
	return xstrndup(line + 1, len - 2);
}

static int parse_bytes_check(struct parser *p, const char *value, struct bytes_check *b)
{
	free(b->bytes);
	b->bytes = NULL;
	b->has = 1;
	return unescape(p, value, &b->bytes, &b->len);
}

/* The size after the last resize step. */
static void final_size(const struct vtcase *c, unsigned *cols, unsigned *rows)
{
	size_t i;

	*cols = c->cols;
	*rows = c->rows;
	for (i = 0; i < c->nsteps; i++) {
		if (c->steps[i].kind == STEP_RESIZE) {
			*cols = c->steps[i].cols;
			*rows = c->steps[i].rows;
		}
	}
}

/* Check what a complete case must hold. */
static void case_finish(struct parser *p, struct vtcase *c)
{
	size_t i;
	unsigned saved = p->line, cols, rows;

	p->line = c->line;
	final_size(c, &cols, &rows);
	if (c->screen != NULL && c->nscreen != rows)
		parse_error(p, "screen: has %zu rows, the screen has %u", c->nscreen, rows);
	if (c->nsteps == 0)
		parse_error(p, "case %s has no input", c->name);
	if (c->screen == NULL && !c->has_cursor && !c->has_history && c->nattrs == 0 &&
	    !c->replies.has && !c->title.has && c->ntexts == 0 && c->modes_set == 0 &&
	    c->modes_clear == 0 && !c->cwd.has && !c->clipboard.has && !c->has_style &&
	    !c->has_visible && !c->has_region && !c->has_bells && !c->has_wrapped &&
	    !c->has_wrap_pending)
		parse_error(p, "case %s expects nothing", c->name);
	for (i = 0; i < c->nattrs; i++) {
		if (c->attrs[i].x1 >= cols || c->attrs[i].y >= rows) {
			p->line = c->attrs[i].line;
			parse_error(p, "attr position outside the %ux%u screen", cols, rows);
		}
	}
	p->line = saved;
}

/* Parse FILE into an array of cases; returns the count, or -1 on errors. */
static long parse_file(const char *file, struct vtcase ***out)
{
	struct parser p = { file, 0, 0 };
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct vtcase **cases = NULL, *c = NULL;
	size_t ncases = 0;
	unsigned def_cols = VTCASE_DEFAULT_COLS, def_rows = VTCASE_DEFAULT_ROWS;
	unsigned def_history = VTCASE_DEFAULT_HISTORY;
	/* Which block the |...| lines that follow belong to. */
	enum { BLOCK_NONE, BLOCK_SCREEN, BLOCK_HISTORY } block = BLOCK_NONE;

	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		char *key, *value, *colon;
		size_t i;

		p.line++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';

		if (line[0] == '|') {
			char *text;

			if (c == NULL || block == BLOCK_NONE) {
				parse_error(&p, "row outside a screen: or history: block");
				continue;
			}
			if ((text = bar_text(&p, line)) == NULL)
				continue;
			if (block == BLOCK_SCREEN) {
				c->screen = xreallocarray(c->screen, c->nscreen + 1, sizeof *c->screen);
				c->screen[c->nscreen++] = text;
			} else {
				c->history = xreallocarray(c->history, c->nhistory + 1,
							   sizeof *c->history);
				c->history[c->nhistory++] = text;
			}
			continue;
		}
		block = BLOCK_NONE;

		if (strncmp(line, "# case:", 7) == 0) {
			if (c != NULL)
				case_finish(&p, c);
			value = line + 7;
			while (*value == ' ')
				value++;
			c = xcalloc(1, sizeof *c);
			c->name = xstrdup(value);
			c->file = file;
			c->line = p.line;
			c->cols = def_cols;
			c->rows = def_rows;
			c->history_limit = def_history;
			cases = xreallocarray(cases, ncases + 2, sizeof *cases);
			cases[ncases++] = c;
			cases[ncases] = NULL;
			continue;
		}
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;

		if ((colon = strchr(line, ':')) == NULL) {
			parse_error(&p, "expected KEY: VALUE");
			continue;
		}
		*colon = '\0';
		key = line;
		value = colon + 1;
		if (*value == ' ')
			value++;

		if (c == NULL) {
			/* File defaults. */
			if (strcmp(key, "size") == 0) {
				if (parse_size(value, &def_cols, &def_rows) != 0)
					parse_error(&p, "bad size '%s'", value);
			} else if (strcmp(key, "history-limit") == 0) {
				if (parse_uint(value, &def_history) != 0)
					parse_error(&p, "bad history-limit '%s'", value);
			} else {
				parse_error(&p, "'%s' before the first case", key);
			}
			continue;
		}

		if (strcmp(key, "size") == 0) {
			if (c->nsteps != 0)
				parse_error(&p, "size: after input (use resize:)");
			if (parse_size(value, &c->cols, &c->rows) != 0)
				parse_error(&p, "bad size '%s'", value);
		} else if (strcmp(key, "history-limit") == 0) {
			if (parse_uint(value, &c->history_limit) != 0)
				parse_error(&p, "bad history-limit '%s'", value);
		} else if (strcmp(key, "input") == 0 || strcmp(key, "resize") == 0) {
			struct step st;

			memset(&st, 0, sizeof st);
			if (key[0] == 'i') {
				st.kind = STEP_INPUT;
				if (unescape(&p, value, &st.bytes, &st.len) != 0)
					continue;
			} else {
				st.kind = STEP_RESIZE;
				if (parse_size(value, &st.cols, &st.rows) != 0) {
					parse_error(&p, "bad size '%s'", value);
					continue;
				}
			}
			c->steps = xreallocarray(c->steps, c->nsteps + 1, sizeof *c->steps);
			c->steps[c->nsteps++] = st;
		} else if (strcmp(key, "screen") == 0) {
			if (c->screen != NULL || *value != '\0')
				parse_error(&p, "screen: given twice or with a value");
			block = BLOCK_SCREEN;
			c->screen = xcalloc(1, sizeof *c->screen);
			c->nscreen = 0;
		} else if (strcmp(key, "history") == 0) {
			if (c->has_history || *value != '\0')
				parse_error(&p, "history: given twice or with a value");
			c->has_history = 1;
			block = BLOCK_HISTORY;
		} else if (strcmp(key, "cursor") == 0) {
			unsigned x0, x1;

			if (parse_pos(value, &x0, &x1, &c->cy) != 0 || x0 != x1)
				parse_error(&p, "bad cursor '%s'", value);
			c->cx = x0;
			c->has_cursor = 1;
		} else if (strcmp(key, "wrap-pending") == 0) {
			c->has_wrap_pending = 1;
			if (parse_yesno(value, &c->wrap_pending) != 0)
				parse_error(&p, "wrap-pending: yes or no");
		} else if (strcmp(key, "cursor-visible") == 0) {
			c->has_visible = 1;
			if (parse_yesno(value, &c->visible) != 0)
				parse_error(&p, "cursor-visible: yes or no");
		} else if (strcmp(key, "cursor-style") == 0) {
			c->has_style = 1;
			if (parse_uint(value, &c->style) != 0)
				parse_error(&p, "bad cursor-style '%s'", value);
		} else if (strcmp(key, "modes") == 0) {
			char *word, *save = NULL;

			for (word = strtok_r(value, " \t", &save); word != NULL;
			     word = strtok_r(NULL, " \t", &save)) {
				uint32_t bit = 0;

				for (i = 0; i < RMUX_NITEMS(mode_names); i++) {
					if (strcmp(word + 1, mode_names[i].name) == 0)
						bit = mode_names[i].bit;
				}
				if (bit == 0 || (word[0] != '+' && word[0] != '-'))
					parse_error(&p, "bad mode '%s' (+NAME or -NAME)", word);
				else if (word[0] == '+')
					c->modes_set |= bit;
				else
					c->modes_clear |= bit;
			}
		} else if (strcmp(key, "region") == 0) {
			unsigned x0, x1;

			if (parse_pos(value, &x0, &x1, &c->region_bottom) != 0 || x0 != x1)
				parse_error(&p, "bad region '%s'", value);
			c->region_top = x0;
			c->has_region = 1;
		} else if (strcmp(key, "replies") == 0) {
			parse_bytes_check(&p, value, &c->replies);
		} else if (strcmp(key, "title") == 0) {
			parse_bytes_check(&p, value, &c->title);
		} else if (strcmp(key, "cwd") == 0) {
			parse_bytes_check(&p, value, &c->cwd);
		} else if (strcmp(key, "clipboard") == 0) {
			parse_bytes_check(&p, value, &c->clipboard);
		} else if (strcmp(key, "bells") == 0) {
			c->has_bells = 1;
			if (parse_uint(value, &c->bells) != 0)
				parse_error(&p, "bad bells '%s'", value);
		} else if (strcmp(key, "wrapped") == 0) {
			char *word, *save = NULL;
			unsigned y;

			c->has_wrapped = 1;
			free(c->wrapped);
			c->wrapped = xcalloc(VTCASE_MAX_SIZE, 1);
			for (word = strtok_r(value, " \t", &save); word != NULL;
			     word = strtok_r(NULL, " \t", &save)) {
				if (strcmp(word, "none") == 0)
					continue;
				if (parse_uint(word, &y) != 0 || y >= VTCASE_MAX_SIZE)
					parse_error(&p, "bad row '%s'", word);
				else
					c->wrapped[y] = 1;
			}
		} else if (strncmp(key, "attr ", 5) == 0) {
			struct attr_check a;

			memset(&a, 0, sizeof a);
			a.line = p.line;
			if (parse_pos(key + 5, &a.x0, &a.x1, &a.y) != 0) {
				parse_error(&p, "bad position '%s'", key + 5);
				continue;
			}
			if (parse_style(&p, value, &a) != 0) {
				free(a.link);
				continue;
			}
			c->attrs = xreallocarray(c->attrs, c->nattrs + 1, sizeof *c->attrs);
			c->attrs[c->nattrs++] = a;
		} else if (strncmp(key, "text ", 5) == 0) {
			struct text_check t;
			unsigned x1;

			memset(&t, 0, sizeof t);
			t.line = p.line;
			if (parse_pos(key + 5, &t.x, &x1, &t.y) != 0 || t.x != x1) {
				parse_error(&p, "bad position '%s'", key + 5);
				continue;
			}
			if (unescape(&p, value, &t.text, &t.len) != 0)
				continue;
			c->texts = xreallocarray(c->texts, c->ntexts + 1, sizeof *c->texts);
			c->texts[c->ntexts++] = t;
		} else {
			parse_error(&p, "unknown key '%s'", key);
		}
	}
	if (c != NULL)
		case_finish(&p, c);
	if (ncases == 0)
		parse_error(&p, "no cases");
	free(line);
	fclose(f);
	*out = cases;
	if (p.errors != 0)
		return -1;
	return (long)ncases;
}

/* ---- running ---------------------------------------------------------- */

enum feed { FEED_LINES, FEED_JOINED, FEED_BYTES };
static const char *feed_names[] = { "one call per input line", "inputs joined into one call",
				    "one byte per call" };

/* The text of N cells as the case files write rows. */
static void render_cells(const struct cell *cells, unsigned n, const struct clusters *cl,
			 struct buf *out)
{
	char tmp[CLUSTER_MAX_BYTES + 8];
	unsigned x;

	for (x = 0; x < n; x++) {
		const struct cell *cell = &cells[x];

		if (cell->attr & CELL_WIDE_TAIL)
			continue;
		if (!(cell->attr & CELL_CLUSTER) && (cell->ch < 0x20 || cell->ch == 0x7f)) {
			/* A control in a cell is a bug; show it, don't break the row. */
			buf_add_u8(out, cell->ch == 0 ? ' ' : '?');
			continue;
		}
		buf_add(out, tmp, cell_utf8(cell, cl, tmp));
	}
}

static char *render_row(struct screen *s, unsigned y)
{
	struct buf b;

	buf_init(&b);
	render_cells(s->grid->row[y].cells, s->grid->cols, s->clusters, &b);
	buf_add_u8(&b, 0);
	return (char *)b.data;
}

static char *render_history(struct screen *s, unsigned i)
{
	int w = history_line_width(s->history, i);
	unsigned n = w > 0 ? (unsigned)w : 1;
	struct cell *cells = xcalloc(n, sizeof *cells);
	uint32_t flags = 0;
	struct buf b;

	buf_init(&b);
	if (history_get(s->history, i, cells, n, &flags, s->clusters) >= 0)
		render_cells(cells, n, s->clusters, &b);
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.len--;
	buf_add_u8(&b, 0);
	free(cells);
	return (char *)b.data;
}

static size_t trimmed_len(const char *s)
{
	size_t len = strlen(s);

	while (len > 0 && s[len - 1] == ' ')
		len--;
	return len;
}

static void describe_colour(struct buf *b, const char *what, uint32_t c)
{
	if (COLOUR_KIND(c) == COLOUR_PALETTE)
		buf_add_printf(b, " %s=%u", what, COLOUR_VALUE(c) & 0xffu);
	else if (COLOUR_KIND(c) == COLOUR_RGB)
		buf_add_printf(b, " %s=rgb(%u,%u,%u)", what, COLOUR_VALUE(c) >> 16,
			       COLOUR_VALUE(c) >> 8 & 0xffu, COLOUR_VALUE(c) & 0xffu);
	else if (c != COLOUR_DEFAULT)
		buf_add_printf(b, " %s=?%08x", what, c);
}

/* A style in the case-file syntax. */
static void describe_style(struct buf *b, uint32_t fg, uint32_t bg, unsigned attr, const char *link)
{
	size_t start = b->len, i;
	unsigned ul = ATTR_UL_STYLE(attr);

	for (i = 0; i < RMUX_NITEMS(attr_names); i++) {
		if (attr & attr_names[i].bit)
			buf_add_printf(b, " %s", attr_names[i].name);
	}
	if (ul != UL_NONE)
		buf_add_printf(b, " ul=%s", ul < RMUX_NITEMS(ul_names) ? ul_names[ul] : "?");
	describe_colour(b, "fg", fg);
	describe_colour(b, "bg", bg);
	if (link != NULL)
		buf_add_printf(b, " link=%s", link);
	if (b->len == start)
		buf_add_printf(b, " default");
}

/* Bytes with the case-file escapes, for messages. */
static void describe_bytes(struct buf *b, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == 0x1b)
			buf_add_printf(b, "\\e");
		else if (p[i] == '\r')
			buf_add_printf(b, "\\r");
		else if (p[i] == '\n')
			buf_add_printf(b, "\\n");
		else if (p[i] == '\\')
			buf_add_printf(b, "\\\\");
		else if (p[i] < 0x20 || p[i] == 0x7f)
			buf_add_printf(b, "\\x%02x", p[i]);
		else
			buf_add_u8(b, p[i]);
	}
}

static void check_bytes(struct buf *r, const char *what, const struct bytes_check *want,
			const void *got, size_t len)
{
	if (!want->has || (want->len == len && (len == 0 || memcmp(want->bytes, got, len) == 0)))
		return;
	buf_add_printf(r, "  %s:\n    expected '", what);
	describe_bytes(r, want->bytes, want->len);
	buf_add_printf(r, "' (%zu bytes)\n    got      '", want->len);
	describe_bytes(r, got, len);
	buf_add_printf(r, "' (%zu bytes)\n", len);
}

static void check_screen(struct buf *r, const struct vtcase *c, struct screen *s)
{
	unsigned y, rows = s->grid->rows;
	size_t n = c->nscreen > rows ? c->nscreen : rows;
	char **got = xcalloc(rows, sizeof *got);
	int bad = 0;

	for (y = 0; y < rows; y++) {
		got[y] = render_row(s, y);
		if (y >= c->nscreen || strcmp(got[y], c->screen[y]) != 0)
			bad = 1;
	}
	if (c->nscreen != rows)
		bad = 1;
	if (bad) {
		buf_add_printf(r, "  screen (expected / got, ! marks a difference):\n");
		for (y = 0; y < n; y++) {
			const char *e = y < c->nscreen ? c->screen[y] : NULL;
			const char *g = y < rows ? got[y] : NULL;
			int same = e != NULL && g != NULL && strcmp(e, g) == 0;

			buf_add_printf(r, "   %c%3u %s%s%s   %s%s%s\n", same ? ' ' : '!', y,
				       e ? "|" : "", e ? e : "(none)", e ? "|" : "", g ? "|" : "",
				       g ? g : "(none)", g ? "|" : "");
		}
	}
	for (y = 0; y < rows; y++)
		free(got[y]);
	free(got);
}

static void check_history(struct buf *r, const struct vtcase *c, struct screen *s)
{
	unsigned size = history_size(s->history), i;
	size_t n = c->nhistory > size ? c->nhistory : size;
	char **got = xcalloc(size + 1, sizeof *got);
	int bad = c->nhistory != size;

	for (i = 0; i < size; i++) {
		got[i] = render_history(s, i);
		if (i < c->nhistory &&
		    (trimmed_len(c->history[i]) != strlen(got[i]) ||
		     strncmp(c->history[i], got[i], strlen(got[i])) != 0))
			bad = 1;
	}
	if (bad) {
		buf_add_printf(r, "  history: expected %zu lines, got %u (! marks a difference):\n",
			       c->nhistory, size);
		for (i = 0; i < n; i++) {
			const char *e = i < c->nhistory ? c->history[i] : NULL;
			const char *g = i < size ? got[i] : NULL;
			int same = e != NULL && g != NULL && trimmed_len(e) == strlen(g) &&
				   strncmp(e, g, strlen(g)) == 0;

			buf_add_printf(r, "   %c%3u %s%.*s%s   %s%s%s\n", same ? ' ' : '!', i,
				       e ? "|" : "", e ? (int)trimmed_len(e) : 6, e ? e : "(none)",
				       e ? "|" : "", g ? "|" : "", g ? g : "(none)", g ? "|" : "");
		}
	}
	for (i = 0; i < size; i++)
		free(got[i]);
	free(got);
}

static void check_attrs(struct buf *r, const struct vtcase *c, struct screen *s)
{
	size_t i;
	unsigned x;

	for (i = 0; i < c->nattrs; i++) {
		const struct attr_check *a = &c->attrs[i];

		if (a->x1 >= s->grid->cols || a->y >= s->grid->rows) {
			buf_add_printf(r, "  attr %u,%u: outside the screen\n", a->x1, a->y);
			continue;
		}
		for (x = a->x0; x <= a->x1; x++) {
			const struct cell *cell = &s->grid->row[a->y].cells[x];
			const char *link = cell->link ? screen_link_uri(s, cell->link) : NULL;
			int same = cell->fg == a->fg && cell->bg == a->bg &&
				   (cell->attr & ATTR_STYLE_MASK) == a->attr &&
				   (link == NULL) == (a->link == NULL) &&
				   (link == NULL || strcmp(link, a->link) == 0);

			if (same)
				continue;
			buf_add_printf(r, "  attr %u,%u (line %u):\n    expected", x, a->y, a->line);
			describe_style(r, a->fg, a->bg, a->attr, a->link);
			buf_add_printf(r, "\n    got     ");
			describe_style(r, cell->fg, cell->bg, cell->attr & ATTR_STYLE_MASK,
				       cell->link && link == NULL ? "(unknown id)" : link);
			buf_add_printf(r, "\n");
		}
	}
}

static void check_texts(struct buf *r, const struct vtcase *c, struct screen *s)
{
	char tmp[CLUSTER_MAX_BYTES + 8];
	size_t i, len;

	for (i = 0; i < c->ntexts; i++) {
		const struct text_check *t = &c->texts[i];

		if (t->x >= s->grid->cols || t->y >= s->grid->rows) {
			buf_add_printf(r, "  text %u,%u: outside the screen\n", t->x, t->y);
			continue;
		}
		len = cell_utf8(&s->grid->row[t->y].cells[t->x], s->clusters, tmp);
		if (len == t->len && memcmp(tmp, t->text, len) == 0)
			continue;
		buf_add_printf(r, "  text %u,%u:\n    expected '", t->x, t->y);
		describe_bytes(r, t->text, t->len);
		buf_add_printf(r, "'\n    got      '");
		describe_bytes(r, tmp, len);
		buf_add_printf(r, "'\n");
	}
}

static void check_modes(struct buf *r, const struct vtcase *c, struct screen *s)
{
	size_t i;

	for (i = 0; i < RMUX_NITEMS(mode_names); i++) {
		uint32_t bit = mode_names[i].bit;

		if ((c->modes_set & bit) && !(s->modes & bit))
			buf_add_printf(r, "  mode %s: expected set, is clear\n", mode_names[i].name);
		if ((c->modes_clear & bit) && (s->modes & bit))
			buf_add_printf(r, "  mode %s: expected clear, is set\n", mode_names[i].name);
	}
}

/* Compare the screen with every expectation; differences go to R. */
static void check_case(struct buf *r, const struct vtcase *c, struct screen *s)
{
	unsigned y;

	if (c->screen != NULL)
		check_screen(r, c, s);
	if (c->has_history)
		check_history(r, c, s);
	if (c->has_cursor && (s->cx != c->cx || s->cy != c->cy))
		buf_add_printf(r, "  cursor: expected %u,%u got %u,%u\n", c->cx, c->cy, s->cx,
			       s->cy);
	if (c->has_wrap_pending && (s->wrap_pending != 0) != c->wrap_pending)
		buf_add_printf(r, "  wrap-pending: expected %s\n", c->wrap_pending ? "yes" : "no");
	if (c->has_visible && (screen_cursor_visible(s) != 0) != c->visible)
		buf_add_printf(r, "  cursor-visible: expected %s\n", c->visible ? "yes" : "no");
	if (c->has_style && s->cursor_style != c->style)
		buf_add_printf(r, "  cursor-style: expected %u got %u\n", c->style, s->cursor_style);
	check_modes(r, c, s);
	if (c->has_region && (s->scroll_top != c->region_top || s->scroll_bottom != c->region_bottom))
		buf_add_printf(r, "  region: expected %u,%u got %u,%u\n", c->region_top,
			       c->region_bottom, s->scroll_top, s->scroll_bottom);
	check_bytes(r, "replies", &c->replies, s->replies.data, s->replies.len);
	check_bytes(r, "title", &c->title, s->title, strlen(s->title));
	check_bytes(r, "cwd", &c->cwd, s->cwd, strlen(s->cwd));
	check_bytes(r, "clipboard", &c->clipboard, s->clipboard.data, s->clipboard.len);
	if (c->has_bells && s->bells != c->bells)
		buf_add_printf(r, "  bells: expected %u got %u\n", c->bells, s->bells);
	if (c->has_wrapped) {
		for (y = 0; y < s->grid->rows && y < VTCASE_MAX_SIZE; y++) {
			int got = (s->grid->row[y].flags & ROW_WRAPPED) != 0;

			if (got != c->wrapped[y])
				buf_add_printf(r, "  row %u: expected %swrapped\n", y,
					       c->wrapped[y] ? "" : "not ");
		}
	}
	check_attrs(r, c, s);
	check_texts(r, c, s);
}

/* Run C fed as MODE; returns the differences (empty when it passed). */
static void run_case(struct buf *r, const struct vtcase *c, enum feed mode)
{
	struct vt *vt = vt_create(c->cols, c->rows, c->history_limit);
	struct buf pending;
	size_t i, j;

	buf_init(&pending);
	for (i = 0; i < c->nsteps; i++) {
		const struct step *st = &c->steps[i];

		if (st->kind == STEP_RESIZE) {
			vt_resize(vt, st->cols, st->rows);
			continue;
		}
		switch (mode) {
		case FEED_LINES:
			vt_input(vt, st->bytes, st->len);
			break;
		case FEED_BYTES:
			for (j = 0; j < st->len; j++)
				vt_input(vt, st->bytes + j, 1);
			break;
		case FEED_JOINED:
			buf_add(&pending, st->bytes, st->len);
			if (i + 1 == c->nsteps || c->steps[i + 1].kind != STEP_INPUT) {
				vt_input(vt, pending.data, pending.len);
				buf_reset(&pending);
			}
			break;
		}
	}
	check_case(r, c, vt_screen(vt));
	buf_free(&pending);
	vt_free(vt);
}

static void test_case(void **state)
{
	const struct vtcase *c = *state;
	struct buf r;
	enum feed mode;

	buf_init(&r);
	for (mode = FEED_LINES; mode <= FEED_BYTES && r.len == 0; mode++) {
		run_case(&r, c, mode);
		if (r.len != 0) {
			fprintf(stderr, "\n%s:%u: case %s failed (fed %s):\n%.*s\n", c->file, c->line,
				c->name, feed_names[mode], (int)r.len, (const char *)r.data);
		}
	}
	if (r.len != 0) {
		buf_free(&r);
		fail_msg("case %s", c->name);
	}
	buf_free(&r);
}

int main(int argc, char **argv)
{
	int failed = 0, i;

	if (argc < 2) {
		fprintf(stderr, "usage: vtcase FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct vtcase **cases = NULL;
		struct CMUnitTest *tests;
		long n = parse_file(argv[i], &cases), k;

		if (n < 0) {
			failed++;
			n = 0;
		}
		tests = xcalloc((size_t)n + 1, sizeof *tests);
		for (k = 0; k < n; k++) {
			tests[k].name = cases[k]->name;
			tests[k].test_func = test_case;
			tests[k].initial_state = cases[k];
		}
		if (n > 0)
			failed += _cmocka_run_group_tests(argv[i], tests, (size_t)n, NULL, NULL);
		free(tests);
		free_cases(cases);
	}
	return failed != 0;
}
