/* parser.c — the DEC/ANSI state machine (vt100.net's diagram): one switch
 * per state, UTF-8 decoded in the ground state, fixed parameter arrays and
 * no allocation except the OSC buffer. Runs of printable ASCII go to the
 * screen in one call. Control sequences are dispatched here into the
 * operations of screen_ops.h; anything unknown is consumed silently. */
#include "term/parser.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/util.h"
#include "term/utf8.h"

enum {
	PARSER_GROUND,
	PARSER_ESCAPE,
	PARSER_ESCAPE_INTER,
	PARSER_CSI_ENTRY,
	PARSER_CSI_PARAM,
	PARSER_CSI_INTER,
	PARSER_CSI_IGNORE,
	PARSER_OSC,
	PARSER_STRING, /* DCS, SOS, PM, APC and ESC k bodies: consumed */
};

#define PARSER_CAN 0x18
#define PARSER_SUB 0x1a
#define PARSER_ESC 0x1b

void parser_init(struct parser *p)
{
	memset(p, 0, sizeof *p);
	p->state = PARSER_GROUND;
}

void parser_free(struct parser *p)
{
	free(p->osc);
	p->osc = NULL;
	p->osc_len = p->osc_cap = 0;
}

/* ---- C0 ---- */

static void parser_execute(struct screen *s, uint8_t b)
{
	switch (b) {
	case 0x07:
		screen_bell(s);
		break;
	case 0x08:
		screen_backspace(s);
		break;
	case 0x09:
		screen_tab(s, 1);
		break;
	case 0x0a:
	case 0x0b:
	case 0x0c:
		screen_linefeed(s);
		break;
	case 0x0d:
		screen_carriage_return(s);
		break;
	case 0x0e:
		screen_shift(s, 1);
		break;
	case 0x0f:
		screen_shift(s, 0);
		break;
	default:
		break;
	}
}

/* ---- sequence state ---- */

static void parser_clear(struct parser *p)
{
	p->params.n = 0;
	p->param = 0;
	p->param_started = 0;
	p->param_overflow = 0;
	p->private_marker = 0;
	p->ninter = 0;
	p->params.colon[0] = 0;
}

static void parser_collect(struct parser *p, uint8_t b)
{
	if (p->ninter < PARSER_INTERMEDIATES_MAX)
		p->inter[p->ninter] = b;
	if (p->ninter <= PARSER_INTERMEDIATES_MAX)
		p->ninter++;
}

/* End the parameter being accumulated; IS_COLON says what separated it
 * from the next one. */
static void parser_param_end(struct parser *p, int next_is_colon)
{
	struct screen_params *sp = &p->params;

	if (sp->n < SCREEN_PARAMS_MAX) {
		sp->v[sp->n] = p->param_started ? (int32_t)p->param : SCREEN_PARAM_NONE;
		sp->n++;
		if (sp->n < SCREEN_PARAMS_MAX)
			sp->colon[sp->n] = (uint8_t)next_is_colon;
	} else
		p->param_overflow = 1;
	p->param = 0;
	p->param_started = 0;
}

static inline void parser_param_digit(struct parser *p, uint8_t b)
{
	p->param = p->param * 10 + (uint32_t)(b - '0');
	if (p->param > SCREEN_PARAM_MAX)
		p->param = SCREEN_PARAM_MAX;
	p->param_started = 1;
}

/* Parameter I as a count: missing or 0 is 1. */
static unsigned parser_count(const struct parser *p, unsigned i)
{
	if (i >= p->params.n || p->params.v[i] <= 0)
		return 1;
	return (unsigned)p->params.v[i];
}

/* Parameter I as a number with default DEF for a missing one. */
static unsigned parser_value(const struct parser *p, unsigned i, unsigned def)
{
	if (i >= p->params.n || p->params.v[i] < 0)
		return def;
	return (unsigned)p->params.v[i];
}

/* ---- ESC ---- */

static void parser_esc_dispatch(struct parser *p, struct screen *s, uint8_t final)
{
	screen_forget_last(s);
	if (p->ninter > 1)
		return;
	if (p->ninter == 1) {
		switch (p->inter[0]) {
		case '(':
		case ')':
			if (final == '0')
				screen_designate(s, p->inter[0] == ')', SCREEN_CHARSET_DEC);
			else if (final == 'A')
				screen_designate(s, p->inter[0] == ')', SCREEN_CHARSET_UK);
			else
				screen_designate(s, p->inter[0] == ')', SCREEN_CHARSET_ASCII);
			break;
		case '#':
			if (final == '8')
				screen_alignment(s);
			break;
		default:
			break;
		}
		return;
	}
	switch (final) {
	case '7':
		screen_save_cursor(s);
		break;
	case '8':
		screen_restore_cursor(s);
		break;
	case 'D':
		screen_index(s);
		break;
	case 'E':
		screen_next_line(s);
		break;
	case 'H':
		screen_set_tab(s);
		break;
	case 'M':
		screen_reverse_index(s);
		break;
	case 'c':
		screen_reset(s);
		break;
	case '=':
		screen_set_keypad(s, 1);
		break;
	case '>':
		screen_set_keypad(s, 0);
		break;
	default:
		break; /* ST (ESC \), SS2, SS3 and the rest: nothing to do */
	}
}

/* ---- CSI ---- */

static void parser_csi_window(struct parser *p, struct screen *s)
{
	/* Only the text area size is reported, as tmux does without pixels. */
	if (parser_value(p, 0, 0) == 18)
		buf_add_printf(&s->replies, "\033[8;%u;%ut", s->rows, s->cols);
}

static void parser_csi_private(struct parser *p, struct screen *s, uint8_t final)
{
	unsigned i;

	if (p->private_marker == '?') {
		if (p->ninter == 0 && (final == 'h' || final == 'l')) {
			for (i = 0; i < p->params.n; i++) {
				if (p->params.v[i] >= 0)
					screen_set_private_mode(s, (unsigned)p->params.v[i], final == 'h');
			}
		} else if (p->ninter == 1 && p->inter[0] == '$' && final == 'p') {
			screen_report_mode(s, parser_value(p, 0, 0), 1);
		} else if (p->ninter == 0 && final == 'J') {
			screen_erase_display(s, parser_value(p, 0, 0));
		} else if (p->ninter == 0 && final == 'K') {
			screen_erase_line(s, parser_value(p, 0, 0));
		}
	} else if (p->private_marker == '>' && p->ninter == 0) {
		if (final == 'c' && parser_value(p, 0, 0) == 0)
			screen_report_attributes(s, 1);
		else if (final == 'q' && parser_value(p, 0, 0) == 0)
			buf_add_printf(&s->replies, "\033P>|rmux %s\033\\", RMUX_VERSION);
	}
}

static void parser_csi_dispatch(struct parser *p, struct screen *s, uint8_t final)
{
	unsigned i, n;

	if (p->ninter > 1)
		goto out;
	if (p->private_marker != 0) {
		parser_csi_private(p, s, final);
		goto out;
	}
	if (p->ninter == 1) {
		if (p->inter[0] == ' ' && final == 'q')
			screen_set_cursor_style(s, parser_value(p, 0, 0));
		else if (p->inter[0] == '!' && final == 'p')
			screen_soft_reset(s);
		else if (p->inter[0] == '$' && final == 'p')
			screen_report_mode(s, parser_value(p, 0, 0), 0);
		goto out;
	}

	switch (final) {
	case '@':
		screen_insert_chars(s, parser_count(p, 0));
		break;
	case 'A':
		screen_cursor_up(s, parser_count(p, 0));
		break;
	case 'B':
	case 'e':
		screen_cursor_down(s, parser_count(p, 0));
		break;
	case 'C':
	case 'a':
		screen_cursor_right(s, parser_count(p, 0));
		break;
	case 'D':
		screen_cursor_left(s, parser_count(p, 0));
		break;
	case 'E':
		screen_carriage_return(s);
		screen_cursor_down(s, parser_count(p, 0));
		break;
	case 'F':
		screen_carriage_return(s);
		screen_cursor_up(s, parser_count(p, 0));
		break;
	case 'G':
	case '`':
		screen_cursor_col(s, parser_count(p, 0) - 1);
		break;
	case 'H':
	case 'f':
		screen_cursor_to(s, parser_count(p, 1) - 1, parser_count(p, 0) - 1);
		break;
	case 'I':
		screen_tab(s, parser_count(p, 0));
		break;
	case 'J':
		screen_erase_display(s, parser_value(p, 0, 0));
		break;
	case 'K':
		screen_erase_line(s, parser_value(p, 0, 0));
		break;
	case 'L':
		screen_insert_lines(s, parser_count(p, 0));
		break;
	case 'M':
		screen_delete_lines(s, parser_count(p, 0));
		break;
	case 'P':
		screen_delete_chars(s, parser_count(p, 0));
		break;
	case 'S':
		screen_scroll_up(s, parser_count(p, 0));
		break;
	case 'T':
		/* With more parameters this is xterm's mouse highlighting. */
		if (p->params.n <= 1)
			screen_scroll_down(s, parser_count(p, 0));
		break;
	case 'X':
		screen_erase_chars(s, parser_count(p, 0));
		break;
	case 'Z':
		screen_backtab(s, parser_count(p, 0));
		break;
	case 'b':
		screen_repeat(s, parser_count(p, 0));
		break;
	case 'c':
		if (parser_value(p, 0, 0) == 0)
			screen_report_attributes(s, 0);
		break;
	case 'd':
		screen_cursor_row(s, parser_count(p, 0) - 1);
		break;
	case 'g':
		screen_clear_tab(s, parser_value(p, 0, 0));
		break;
	case 'h':
	case 'l':
		for (i = 0; i < p->params.n; i++) {
			if (p->params.v[i] >= 0)
				screen_set_ansi_mode(s, (unsigned)p->params.v[i], final == 'h');
		}
		break;
	case 'm':
		screen_sgr(s, &p->params);
		break;
	case 'n':
		n = parser_value(p, 0, 0);
		screen_report_status(s, n);
		break;
	case 'r':
		screen_set_region(s, parser_count(p, 0) - 1, parser_value(p, 1, s->rows) == 0 ?
					     s->rows - 1 : parser_value(p, 1, s->rows) - 1);
		break;
	case 's':
		screen_save_cursor(s);
		break;
	case 't':
		parser_csi_window(p, s);
		break;
	case 'u':
		screen_restore_cursor(s);
		break;
	default:
		break;
	}
out:
	screen_forget_last(s);
}

/* ---- OSC ---- */

static void parser_osc_add(struct parser *p, const uint8_t *data, size_t len)
{
	if (p->osc_overflow)
		return;
	if (len > SCREEN_OSC_MAX - p->osc_len) {
		p->osc_overflow = 1;
		return;
	}
	if (p->osc_len + len > p->osc_cap) {
		size_t cap = p->osc_cap ? p->osc_cap : 256;
		while (cap < p->osc_len + len)
			cap *= 2;
		if (cap > SCREEN_OSC_MAX)
			cap = SCREEN_OSC_MAX;
		char *n = realloc(p->osc, cap);
		if (n == NULL) {
			p->osc_overflow = 1;
			return;
		}
		p->osc = n;
		p->osc_cap = cap;
	}
	memcpy(p->osc + p->osc_len, data, len);
	p->osc_len += len;
}

static void parser_osc_end(struct parser *p, struct screen *s)
{
	if (!p->osc_overflow && p->osc_len > 0)
		screen_osc(s, p->osc, p->osc_len);
	p->osc_len = 0;
	p->osc_overflow = 0;
	/* A huge OSC should not pin a megabyte per pane. */
	if (p->osc_cap > 65536) {
		free(p->osc);
		p->osc = NULL;
		p->osc_cap = 0;
	}
}

/* ---- UTF-8 in the ground state ---- */

static inline void parser_utf8_reset(struct parser *p)
{
	p->utf8_need = 0;
	p->utf8_seen = 0;
}

/* Start a multi-byte sequence with lead byte B; returns 0 if B cannot
 * start one. */
static int parser_utf8_start(struct parser *p, uint8_t b)
{
	if (b >= 0xc2 && b <= 0xdf) {
		p->utf8_need = 1;
		p->utf8_cp = b & 0x1fu;
		p->utf8_min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		p->utf8_need = 2;
		p->utf8_cp = b & 0x0fu;
		p->utf8_min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		p->utf8_need = 3;
		p->utf8_cp = b & 0x07u;
		p->utf8_min = 0x10000;
	} else
		return 0;
	p->utf8_seen = 0;
	return 1;
}

/* A continuation byte B of the sequence in progress; returns 0 if B is
 * not acceptable here (the sequence is then broken). */
static int parser_utf8_continue(struct parser *p, uint8_t b)
{
	if ((b & 0xc0u) != 0x80u)
		return 0;
	uint32_t cp = p->utf8_cp << 6 | (b & 0x3fu);
	if (p->utf8_seen == 0) {
		/* Reject overlongs, surrogates and > U+10FFFF at the first
		 * continuation byte, as the whole-sequence decoder does. */
		unsigned left = p->utf8_need - 1;
		uint32_t lo = cp << (6 * left), hi = lo | ((1u << (6 * left)) - 1);
		if (hi < p->utf8_min || lo > 0x10ffffu || (lo >= 0xd800u && hi <= 0xdfffu))
			return 0;
	}
	p->utf8_cp = cp;
	p->utf8_seen++;
	return 1;
}

/* The end of the run of printable ASCII starting at Q. Without SSE2,
 * eight bytes at a time: a word is all printable when no byte is below
 * 0x20, none has the top bit and none is 0x7f. */
static inline const uint8_t *parser_ascii_run(const uint8_t *q, const uint8_t *end)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
#ifdef __SSE2__
	/* Sixteen at a time: as signed bytes, printable is 0x1f < b < 0x7f
	 * (bytes with the top bit are negative). */
	const __m128i below = _mm_set1_epi8(0x1f), above = _mm_set1_epi8(0x7f);

	while (end - q >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(v, below), _mm_cmplt_epi8(v, above));
		unsigned m = (unsigned)_mm_movemask_epi8(ok);

		if (m != 0xffffu)
			return q + __builtin_ctz(~m);
		q += 16;
	}
#endif

	while (end - q >= 8) {
		uint64_t w, d;
		memcpy(&w, q, 8);
		d = w ^ (0x7f * ones);
		if ((((w - 0x20 * ones) & ~w) | w | ((d - ones) & ~d)) & high)
			break;
		q += 8;
	}
	while (q < end && *q >= 0x20 && *q < 0x7f)
		q++;
	return q;
}

/* A control sequence found whole in the buffer (ESC already taken, Q at
 * what follows), parsed and dispatched in one go: screen updates are
 * mostly these. Returns the end of the sequence, or NULL (nothing done,
 * the parameters cleared) for anything unusual: intermediates, controls
 * inside, the buffer's end, another ESC; the state machine then takes the
 * bytes one by one. */
static const uint8_t *parser_csi_whole(struct parser *p, struct screen *s, const uint8_t *q,
				       const uint8_t *end)
{
	const uint8_t *r = q + 1;
	int any = 0; /* parameters or a marker: the last one is ended at the final */

	if (q >= end || *q != '[')
		return NULL;
	if (r < end && *r >= 0x3c && *r <= 0x3f) {
		p->private_marker = *r++;
		any = 1;
	}
	while (r < end) {
		unsigned d = (unsigned)*r - '0';

		if (d < 10) {
			p->param = p->param * 10 + d;
			if (p->param > SCREEN_PARAM_MAX)
				p->param = SCREEN_PARAM_MAX;
			p->param_started = 1;
		} else if (*r == ';' || *r == ':') {
			parser_param_end(p, *r == ':');
		} else
			break;
		any = 1;
		r++;
	}
	if (r >= end || *r < 0x40 || *r > 0x7e) {
		parser_clear(p);
		return NULL;
	}
	if (any)
		parser_param_end(p, 0);
	parser_csi_dispatch(p, s, *r);
	return r + 1;
}

#define PARSER_RUN_MAX 64 /* characters decoded before printing them */

static inline int parser_cont(uint8_t b)
{
	return (b & 0xc0u) == 0x80u;
}

/* Decode up to PARSER_RUN_MAX whole multi-byte characters from Q into RUN,
 * stopping at anything the careful decoder must see (ASCII, controls,
 * overlong or surrogate forms, a character cut by the buffer's end).
 * Returns the count and sets *NEXT past them. */
static size_t parser_utf8_run(const uint8_t *q, const uint8_t *end, uint32_t *run,
			      const uint8_t **next)
{
	size_t n = 0;

	while (n < PARSER_RUN_MAX) {
		size_t left = (size_t)(end - q);
		uint8_t b = left ? q[0] : 0;

		if (b >= 0xe1 && b <= 0xef && b != 0xed && left >= 3 && parser_cont(q[1]) &&
		    parser_cont(q[2])) {
			run[n++] = (uint32_t)(b & 0x0fu) << 12 | (uint32_t)(q[1] & 0x3fu) << 6 |
				   (q[2] & 0x3fu);
			q += 3;
		} else if (b >= 0xc2 && b <= 0xdf && left >= 2 && parser_cont(q[1])) {
			run[n++] = (uint32_t)(b & 0x1fu) << 6 | (q[1] & 0x3fu);
			q += 2;
		} else if (b >= 0xf0 && b <= 0xf4 && left >= 4 && parser_cont(q[1]) &&
			   parser_cont(q[2]) && parser_cont(q[3]) && (b != 0xf0 || q[1] >= 0x90) &&
			   (b != 0xf4 || q[1] < 0x90)) {
			/* F0 needs a second byte of 0x90 or more (no
			 * overlong), F4 one below 0x90 (no more than U+10FFFF). */
			run[n++] = (uint32_t)(b & 0x07u) << 18 | (uint32_t)(q[1] & 0x3fu) << 12 |
				   (uint32_t)(q[2] & 0x3fu) << 6 | (q[3] & 0x3fu);
			q += 4;
		} else
			break;
	}
	*next = q;
	return n;
}

static const uint8_t *parser_ground(struct parser *p, struct screen *s, const uint8_t *q,
				    const uint8_t *end)
{
	while (q < end) {
		uint8_t b = *q;

		if (p->utf8_need != 0) {
			if (parser_utf8_continue(p, b)) {
				q++;
				if (p->utf8_seen == p->utf8_need) {
					parser_utf8_reset(p);
					screen_put(s, p->utf8_cp);
				}
				continue;
			}
			if (b < 0x20 && b != PARSER_ESC && b != PARSER_CAN && b != PARSER_SUB) {
				/* xterm acts on C0 controls inside a character. */
				parser_execute(s, b);
				q++;
				continue;
			}
			parser_utf8_reset(p);
			screen_put(s, UTF8_REPLACEMENT);
			continue; /* B again, as the start of something new */
		}
		if (b >= 0x20 && b < 0x7f) {
			const uint8_t *r = parser_ascii_run(q + 1, end);
			screen_put_ascii(s, q, (size_t)(r - q));
			q = r;
			continue;
		}
		if (b < 0x20) {
			q++;
			if (b == PARSER_ESC) {
				parser_clear(p);
				const uint8_t *r = parser_csi_whole(p, s, q, end);
				if (r != NULL) {
					q = r;
					continue;
				}
				p->state = PARSER_ESCAPE;
				return q;
			}
			parser_execute(s, b);
			continue;
		}
		if (b == 0x7f) {
			q++;
			continue;
		}
		/* Runs of whole characters whose lead byte allows no
		 * invalid form (most of the BMP, CJK included, and the
		 * other planes with the second byte checked) are decoded
		 * inline and printed together. */
		uint32_t run[PARSER_RUN_MAX];
		size_t nrun = parser_utf8_run(q, end, run, &q);

		if (nrun > 0) {
			screen_put_many(s, run, nrun);
			continue;
		}
		/* Other whole characters in the buffer are decoded at once. */
		if ((size_t)(end - q) >= 4 || (b < 0xe0 && end - q >= 2) || (b < 0xf0 && end - q >= 3)) {
			uint32_t cp;
			size_t n = utf8_decode(q, (size_t)(end - q), &cp);
			if (n > 1) {
				screen_put(s, cp);
				q += n;
				continue;
			}
		}
		q++;
		if (!parser_utf8_start(p, b))
			screen_put(s, UTF8_REPLACEMENT);
	}
	return q;
}

/* ---- the machine ---- */

static void parser_byte(struct parser *p, struct screen *s, uint8_t b)
{
	/* Anywhere: CAN and SUB abort, ESC starts over. */
	if (b == PARSER_CAN || b == PARSER_SUB) {
		if (p->state == PARSER_OSC)
			parser_osc_end(p, s);
		p->state = PARSER_GROUND;
		return;
	}
	if (b == PARSER_ESC) {
		if (p->state == PARSER_OSC)
			parser_osc_end(p, s); /* ESC \ ends it; so does any ESC */
		parser_clear(p);
		p->state = PARSER_ESCAPE;
		return;
	}

	switch (p->state) {
	case PARSER_ESCAPE:
		if (b < 0x20) {
			parser_execute(s, b);
		} else if (b < 0x30) {
			parser_collect(p, b);
			p->state = PARSER_ESCAPE_INTER;
		} else if (b == '[') {
			p->state = PARSER_CSI_ENTRY;
		} else if (b == ']') {
			p->osc_len = 0;
			p->osc_overflow = 0;
			p->state = PARSER_OSC;
		} else if (b == 'P' || b == 'X' || b == '^' || b == '_' || b == 'k') {
			p->string_len = 0;
			p->state = PARSER_STRING;
		} else if (b < 0x7f) {
			p->state = PARSER_GROUND;
			parser_esc_dispatch(p, s, b);
		} else if (b > 0x7f) {
			p->state = PARSER_GROUND; /* not a sequence: the byte is dropped */
		}
		break;
	case PARSER_ESCAPE_INTER:
		if (b < 0x20)
			parser_execute(s, b);
		else if (b < 0x30)
			parser_collect(p, b);
		else if (b < 0x7f) {
			p->state = PARSER_GROUND;
			parser_esc_dispatch(p, s, b);
		} else if (b > 0x7f)
			p->state = PARSER_GROUND;
		break;
	case PARSER_CSI_ENTRY:
	case PARSER_CSI_PARAM:
		if (b < 0x20) {
			parser_execute(s, b);
		} else if (b >= '0' && b <= '9') {
			parser_param_digit(p, b);
			p->state = PARSER_CSI_PARAM;
		} else if (b == ';' || b == ':') {
			parser_param_end(p, b == ':');
			p->state = PARSER_CSI_PARAM;
		} else if (b >= 0x3c && b <= 0x3f) {
			if (p->state == PARSER_CSI_ENTRY) {
				p->private_marker = b;
				p->state = PARSER_CSI_PARAM;
			} else
				p->state = PARSER_CSI_IGNORE;
		} else if (b < 0x30) {
			if (p->state == PARSER_CSI_PARAM || p->param_started)
				parser_param_end(p, 0);
			parser_collect(p, b);
			p->state = PARSER_CSI_INTER;
		} else if (b < 0x7f) {
			if (p->state == PARSER_CSI_PARAM)
				parser_param_end(p, 0);
			p->state = PARSER_GROUND;
			parser_csi_dispatch(p, s, b);
		} else if (b > 0x7f)
			p->state = PARSER_CSI_IGNORE;
		break;
	case PARSER_CSI_INTER:
		if (b < 0x20)
			parser_execute(s, b);
		else if (b < 0x30)
			parser_collect(p, b);
		else if (b < 0x40)
			p->state = PARSER_CSI_IGNORE;
		else if (b < 0x7f) {
			p->state = PARSER_GROUND;
			parser_csi_dispatch(p, s, b);
		} else if (b > 0x7f)
			p->state = PARSER_CSI_IGNORE;
		break;
	case PARSER_CSI_IGNORE:
		if (b < 0x20)
			parser_execute(s, b);
		else if (b >= 0x40 && b < 0x7f)
			p->state = PARSER_GROUND;
		break;
	case PARSER_OSC:
		if (b == 0x07) {
			parser_osc_end(p, s);
			p->state = PARSER_GROUND;
		} else if (b >= 0x20)
			parser_osc_add(p, &b, 1);
		break;
	case PARSER_STRING:
		if (p->string_len < PARSER_STRING_MAX)
			p->string_len++;
		break;
	default:
		p->state = PARSER_GROUND;
		break;
	}
}

/* The parameters of a control sequence in a loop of their own (digits and
 * separators are most of the bytes of a screen update); stops at any other
 * byte, which parser_byte() takes. */
static const uint8_t *parser_csi_params(struct parser *p, const uint8_t *q, const uint8_t *end)
{
	const uint8_t *start = q;
	uint32_t param = p->param;
	int started = p->param_started;

	while (q < end) {
		unsigned d = (unsigned)*q - '0';

		if (d < 10) {
			param = param * 10 + d;
			if (param > SCREEN_PARAM_MAX)
				param = SCREEN_PARAM_MAX;
			started = 1;
		} else if (*q == ';' || *q == ':') {
			p->param = param;
			p->param_started = started;
			parser_param_end(p, *q == ':');
			param = 0;
			started = 0;
		} else
			break;
		q++;
	}
	p->param = param;
	p->param_started = started;
	if (q > start)
		p->state = PARSER_CSI_PARAM;
	return q;
}

void parser_input(struct parser *p, struct screen *s, const uint8_t *data, size_t len)
{
	const uint8_t *q = data, *end = data + len;

	while (q < end) {
		if (p->state == PARSER_GROUND) {
			q = parser_ground(p, s, q, end);
			continue;
		}
		if (p->state == PARSER_CSI_ENTRY || p->state == PARSER_CSI_PARAM) {
			const uint8_t *r = parser_csi_params(p, q, end);
			if (r > q) {
				q = r;
				continue;
			}
		}
		if (p->state == PARSER_OSC) {
			/* Take the body of an OSC in runs. */
			const uint8_t *r = q;
			while (r < end && *r >= 0x20)
				r++;
			if (r > q) {
				parser_osc_add(p, q, (size_t)(r - q));
				q = r;
				continue;
			}
		}
		parser_byte(p, s, *q++);
	}
}
