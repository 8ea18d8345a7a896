/* input.c — decoding what the local terminal sends (see input.h): keys in
 * xterm, rxvt, Linux console and CSI u forms plus terminfo's, bracketed
 * paste, SGR and X10 mouse, focus, replies to queries, and the Ctrl-^
 * escape. Bytes that belong to no known sequence are dropped, never typed. */
#include "client/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "term/key_string.h"

#define ESC 0x1b
#define CARET 0x1e /* Ctrl-^, the client's escape */
/* Room for the longest sequence the decoder waits for, and its ESC prefix. */
#define PEND_CAP (INPUT_STRING_MAX + 8)
#define PARAMS_MAX 16
#define ADDED_LEN_MAX 32
#define BUTTON_NONE 3 /* the low button bits of a release or plain motion */

static const char paste_end[] = "\033[201~";
#define PASTE_END_LEN (sizeof paste_end - 1)

/* What to skip after a sequence grew past its limit. */
enum discard { DISCARD_NONE, DISCARD_CSI, DISCARD_STRING };

/* decode() results besides a byte count: wait for more bytes. */
#define NEED_MORE 0

struct added {
	uint8_t seq[ADDED_LEN_MAX];
	size_t len;
	uint64_t key;
};

struct input {
	input_cb cb;
	void *arg;
	unsigned escape_time;
	size_t paste_max;
	int client_escape;
	unsigned cpr_expected;

	uint8_t pend[PEND_CAP]; /* an unfinished sequence from earlier reads */
	size_t plen;
	uint64_t last; /* when the last byte came */
	enum discard discard;
	int bulk;   /* keys of the current read are bulk text */
	int caret;  /* a Ctrl-^ waits for the next key */
	unsigned last_button; /* X10 releases do not say which button */

	int paste;           /* inside ESC[200~ ... ESC[201~ */
	uint8_t *pbuf;       /* its bytes so far */
	size_t pbuf_len, pbuf_cap;
	size_t pmatch;       /* bytes of paste_end matched so far */

	struct added *added;
	size_t nadded;
};

struct input *input_create(input_cb cb, void *arg)
{
	struct input *in = xcalloc(1, sizeof *in);

	in->cb = cb;
	in->arg = arg;
	in->escape_time = INPUT_ESCAPE_TIME_DEFAULT;
	in->paste_max = INPUT_PASTE_MAX;
	in->client_escape = 1;
	return in;
}

void input_free(struct input *in)
{
	if (in == NULL)
		return;
	free(in->pbuf);
	free(in->added);
	free(in);
}

void input_set_escape_time(struct input *in, unsigned ms)
{
	in->escape_time = ms;
}

void input_set_paste_max(struct input *in, size_t max)
{
	in->paste_max = max > 0 ? max : 1;
}

void input_set_client_escape(struct input *in, int on)
{
	in->client_escape = on;
}

void input_expect_cpr(struct input *in)
{
	if (in->cpr_expected < 64)
		in->cpr_expected++;
}

/* Emitting. */

static void emit(struct input *in, struct input_item *it)
{
	in->cb(it, in->arg);
}

static void emit_plain_key(struct input *in, uint64_t key)
{
	struct input_item it = { .type = INPUT_ITEM_KEY, .key = key, .bulk = in->bulk };

	emit(in, &it);
}

/* A Ctrl-^ held back by the escape goes out before a mouse or paste. */
static void flush_caret(struct input *in)
{
	if (in->caret) {
		in->caret = 0;
		emit_plain_key(in, CARET);
	}
}

static void emit_key(struct input *in, uint64_t key)
{
	if (!in->client_escape) {
		emit_plain_key(in, key);
		return;
	}
	if (in->caret) {
		in->caret = 0;
		if (key == '.') {
			struct input_item it = { .type = INPUT_ITEM_QUIT };
			emit(in, &it);
			return;
		}
		emit_plain_key(in, CARET);
		if (key != CARET)
			emit_plain_key(in, key);
		return;
	}
	if (key == CARET) {
		in->caret = 1;
		return;
	}
	emit_plain_key(in, key);
}

static void emit_mouse(struct input *in, unsigned kind, unsigned button, unsigned x, unsigned y,
    unsigned mods)
{
	struct input_item it = { .type = INPUT_ITEM_MOUSE, .kind = kind, .button = button, .x = x,
		.y = y, .mods = mods };

	flush_caret(in);
	emit(in, &it);
}

static void emit_reply(struct input *in, unsigned reply, unsigned a, unsigned b, const uint8_t *p,
    size_t len)
{
	struct input_item it = { .type = INPUT_ITEM_REPLY, .reply = reply, .a = a, .b = b, .data = p,
		.len = len };

	emit(in, &it);
}

static void emit_focus(struct input *in, int focus_in)
{
	struct input_item it = { .type = INPUT_ITEM_FOCUS, .focus_in = focus_in };

	emit(in, &it);
}

static void paste_flush(struct input *in, int more)
{
	struct input_item it = { .type = INPUT_ITEM_PASTE, .data = in->pbuf, .len = in->pbuf_len,
		.more = more };

	if (in->pbuf_len == 0)
		return;
	emit(in, &it);
	in->pbuf_len = 0;
}

/* Paste bytes go to the buffer, which is handed out whenever it is full. */
static void paste_add(struct input *in, const uint8_t *p, size_t n)
{
	while (n > 0) {
		if (in->pbuf_cap < in->paste_max && in->pbuf_len == in->pbuf_cap) {
			size_t cap = in->pbuf_cap ? in->pbuf_cap * 2 : 4096;
			if (cap > in->paste_max)
				cap = in->paste_max;
			uint8_t *nb = realloc(in->pbuf, cap);
			if (nb != NULL) {
				in->pbuf = nb;
				in->pbuf_cap = cap;
			}
		}
		if (in->pbuf_len == in->pbuf_cap) {
			/* Full (or no memory for more): hand out what there is. */
			if (in->pbuf_len == 0)
				return;
			paste_flush(in, 1);
			continue;
		}
		size_t take = RMUX_MIN(n, in->pbuf_cap - in->pbuf_len);
		take = RMUX_MIN(take, in->paste_max - in->pbuf_len);
		memcpy(in->pbuf + in->pbuf_len, p, take);
		in->pbuf_len += take;
		p += take;
		n -= take;
		if (in->pbuf_len >= in->paste_max && n > 0)
			paste_flush(in, 1);
	}
}

/* Inside a paste: everything up to ESC[201~ is data. Returns bytes used. */
static size_t paste_consume(struct input *in, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (in->pmatch == 0) {
			const uint8_t *e = memchr(p + i, ESC, n - i);
			size_t run = e != NULL ? (size_t)(e - (p + i)) : n - i;
			paste_add(in, p + i, run);
			i += run;
			if (i == n)
				break;
		}
		if (p[i] == (uint8_t)paste_end[in->pmatch]) {
			in->pmatch++;
			i++;
			if (in->pmatch == PASTE_END_LEN) {
				in->pmatch = 0;
				in->paste = 0;
				paste_flush(in, 0);
				return i;
			}
			continue;
		}
		/* Not the end after all: the matched part is data. Only the
		 * first byte of paste_end is ESC, so P[I] may start a match. */
		paste_add(in, (const uint8_t *)paste_end, in->pmatch);
		in->pmatch = 0;
		if (p[i] != ESC) {
			paste_add(in, p + i, 1);
			i++;
		}
	}
	return i;
}

/* Sequence tables. */

struct simple {
	uint8_t final;
	uint64_t key;
};

/* CSI [1;m] X and SS3 X. */
static const struct simple csi_letters[] = {
	{ 'A', KEY_UP }, { 'B', KEY_DOWN }, { 'C', KEY_RIGHT }, { 'D', KEY_LEFT },
	{ 'H', KEY_HOME }, { 'F', KEY_END }, { 'P', KEY_F1 }, { 'Q', KEY_F2 },
	{ 'R', KEY_F3 }, { 'S', KEY_F4 },
};

/* SS3 X only: the keypad in application mode, and rxvt's C-arrows. */
static const struct simple ss3_only[] = {
	{ 'j', KEY_KP_STAR }, { 'k', KEY_KP_PLUS }, { 'm', KEY_KP_MINUS },
	{ 'n', KEY_KP_PERIOD }, { 'o', KEY_KP_SLASH }, { 'M', KEY_KP_ENTER },
	{ 'p', KEY_KP_ZERO }, { 'q', KEY_KP_ONE }, { 'r', KEY_KP_TWO }, { 's', KEY_KP_THREE },
	{ 't', KEY_KP_FOUR }, { 'u', KEY_KP_FIVE }, { 'v', KEY_KP_SIX }, { 'w', KEY_KP_SEVEN },
	{ 'x', KEY_KP_EIGHT }, { 'y', KEY_KP_NINE },
	{ 'a', KEY_UP | KEY_CTRL }, { 'b', KEY_DOWN | KEY_CTRL },
	{ 'c', KEY_RIGHT | KEY_CTRL }, { 'd', KEY_LEFT | KEY_CTRL },
};

/* rxvt's modified arrows: CSI a-d, SS3 a-d. */
static const uint64_t rxvt_arrows[] = { KEY_UP, KEY_DOWN, KEY_RIGHT, KEY_LEFT };

/* CSI N ~ (and rxvt's N ^, N $, N @). */
static uint64_t tilde_key(unsigned n)
{
	switch (n) {
	case 1: case 7: return KEY_HOME;
	case 2: return KEY_IC;
	case 3: return KEY_DC;
	case 4: case 8: return KEY_END;
	case 5: return KEY_PPAGE;
	case 6: return KEY_NPAGE;
	case 11: return KEY_F1;
	case 12: return KEY_F2;
	case 13: return KEY_F3;
	case 14: return KEY_F4;
	case 15: return KEY_F5;
	case 17: return KEY_F6;
	case 18: return KEY_F7;
	case 19: return KEY_F8;
	case 20: return KEY_F9;
	case 21: return KEY_F10;
	case 23: return KEY_F11;
	case 24: return KEY_F12;
	}
	return KEY_NONE;
}

/* xterm's modifier parameter (1 + shift 1 + alt 2 + ctrl 4 + meta 8, and
 * kitty's higher bits, ignored) to key bits; KEY_NONE if out of range. */
static uint64_t mod_bits(unsigned m)
{
	uint64_t bits = 0;

	if (m == 0)
		return 0;
	if (m > 256)
		return KEY_NONE;
	m--;
	if (m & 1)
		bits |= KEY_SHIFT;
	if (m & (2 | 8))
		bits |= KEY_META;
	if (m & 4)
		bits |= KEY_CTRL;
	return bits;
}

/* A character with modifiers (CSI u, CSI 27;m;c~) as tmux names it: C- of
 * a letter is the control character, S- of a letter the capital. */
static uint64_t char_key(uint32_t cp, uint64_t mods)
{
	switch (cp) {
	case 8: case 127: return KEY_BSPACE | mods;
	case 9: return (mods & KEY_SHIFT) ? (KEY_BTAB | (mods & ~KEY_SHIFT)) : (9 | mods);
	case 13: case 27: return cp | mods;
	}
	if (cp < 32 || (cp >= 0x80 && cp < 0xa0) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return KEY_NONE;
	/* kitty's private-use codes for keys without a character. */
	if (cp >= 57344 && cp <= 63743)
		return KEY_NONE;
	if ((mods & KEY_SHIFT) && cp >= 'a' && cp <= 'z') {
		cp -= 32;
		mods &= ~KEY_SHIFT;
	} else if ((mods & KEY_SHIFT) && cp > 32 && cp < 127 && !(cp >= 'A' && cp <= 'Z'))
		mods &= ~KEY_SHIFT; /* the shifted character is the key already */
	if (mods & KEY_CTRL) {
		uint32_t c = cp;
		if (c >= 'A' && c <= 'Z' && !(mods & KEY_SHIFT))
			c += 32;
		if (c >= 'a' && c <= 'z')
			return (c - 96) | (mods & ~KEY_CTRL & ~KEY_SHIFT);
		/* The control characters xterm sends for these (as pane
		 * input encodes them). */
		if (c == ' ' || c == '@' || c == '2')
			return 0 | (mods & ~KEY_CTRL);
		if (c == '6')
			return 30 | (mods & ~KEY_CTRL);
		if (c == '-' || c == '/')
			return 31 | (mods & ~KEY_CTRL);
		if (c >= '[' && c <= '_')
			return (c - 64) | (mods & ~KEY_CTRL);
	}
	return cp | mods;
}

/* Parsing helpers. */

/* A whole UTF-8 character: bytes used, NEED_MORE, or (size_t)-1 if invalid
 * (one byte to drop). */
static size_t utf8_char(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t b = p[0];
	size_t len;
	uint32_t c, min;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		c = b & 0x1f;
		min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		c = b & 0x0f;
		min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		c = b & 0x07;
		min = 0x10000;
	} else
		return (size_t)-1;
	for (size_t i = 1; i < len; i++) {
		if (i >= n)
			return NEED_MORE;
		if ((p[i] & 0xc0) != 0x80)
			return (size_t)-1;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (size_t)-1;
	*cp = c;
	return len;
}

struct csi {
	uint8_t marker; /* < = > ? or 0 */
	uint8_t inter;  /* the last intermediate byte or 0 */
	uint8_t final;
	unsigned nparams;
	unsigned params[PARAMS_MAX]; /* first sub-parameter of each; 0 if empty */
	int bad;                     /* unparseable parameters */
};

/* Parse the CSI whose parameters start at P[0] (after ESC [). Returns its
 * length from P, NEED_MORE, or (size_t)-1 when a byte that cannot be in a
 * CSI arrives first (the CSI so far is dropped, that byte is not). */
static size_t csi_parse(const uint8_t *p, size_t n, struct csi *c, size_t *bad_at)
{
	size_t i = 0;
	int sub = 0, any = 0;
	unsigned v = 0;

	memset(c, 0, sizeof *c);
	if (n > 0 && p[0] >= 0x3c && p[0] <= 0x3f)
		c->marker = p[i++];
	for (; i < n; i++) {
		uint8_t b = p[i];
		if (b >= 0x30 && b <= 0x3f) {
			/* Parameter bytes: none may follow an intermediate. */
			if (c->inter != 0)
				c->bad = 1;
			if (b >= '0' && b <= '9') {
				if (!sub) {
					v = v * 10 + (unsigned)(b - '0');
					if (v > 0xffffff)
						v = 0xffffff;
				}
			} else if (b == ':') {
				sub = 1;
			} else if (b == ';') {
				if (c->nparams < PARAMS_MAX)
					c->params[c->nparams] = v;
				c->nparams++;
				v = 0;
				sub = 0;
			} else
				c->bad = 1;
			any = 1;
		} else if (b == '$' && c->marker == 0 && c->nparams == 0 && any) {
			/* rxvt's S- keys end in $ (CSI 2 $); DECRQM replies,
			 * the other CSI ... $, have two parameters. */
			c->nparams = 1;
			c->params[0] = v;
			c->final = b;
			return i + 1;
		} else if (b >= 0x20 && b <= 0x2f) {
			c->inter = b;
		} else if (b >= 0x40 && b <= 0x7e) {
			if (any) {
				if (c->nparams < PARAMS_MAX)
					c->params[c->nparams] = v;
				c->nparams++;
			}
			if (c->nparams > PARAMS_MAX)
				c->bad = 1;
			c->final = b;
			return i + 1;
		} else {
			*bad_at = i;
			return (size_t)-1;
		}
		if (i + 1 > INPUT_SEQ_MAX) {
			*bad_at = i + 1;
			return (size_t)-2;
		}
	}
	return NEED_MORE;
}

static unsigned param(const struct csi *c, unsigned i, unsigned dflt)
{
	if (i >= c->nparams || c->params[i] == 0)
		return dflt;
	return c->params[i];
}

/* Decoders. Each returns the bytes used, after emitting 0 or more items,
 * or NEED_MORE. With FINAL set they never wait. META: an ESC came first. */

static size_t decode(struct input *in, const uint8_t *p, size_t n, int final, uint64_t meta);

static void key_or_drop(struct input *in, uint64_t key, uint64_t meta)
{
	if ((key & KEY_MASK_KEY) == KEY_NONE)
		return;
	emit_key(in, key | meta);
}

static void decode_sgr_mouse(struct input *in, const struct csi *c)
{
	unsigned b, x, y, kind, button, mods = 0;

	if (c->bad || c->nparams != 3 || c->inter != 0)
		return;
	b = c->params[0];
	x = c->params[1];
	y = c->params[2];
	if (x == 0 || y == 0 || x - 1 > INPUT_COORD_MAX || y - 1 > INPUT_COORD_MAX || b > 255)
		return;
	if (b & 4)
		mods |= INPUT_MOD_SHIFT;
	if (b & 8)
		mods |= INPUT_MOD_META;
	if (b & 16)
		mods |= INPUT_MOD_CTRL;
	button = (b & 3) + ((b & 128) ? 8 : 0);
	if (b & 64) {
		if (b & 128)
			return;
		kind = INPUT_MOUSE_WHEEL;
		button = b & 3;
	} else if (b & 32) {
		if ((b & 3) == BUTTON_NONE) {
			kind = INPUT_MOUSE_MOVE;
			button = 0;
		} else
			kind = INPUT_MOUSE_DRAG;
	} else if (c->final == 'm')
		kind = INPUT_MOUSE_RELEASE;
	else {
		if ((b & 3) == BUTTON_NONE)
			return;
		kind = INPUT_MOUSE_PRESS;
	}
	emit_mouse(in, kind, button, x - 1, y - 1, mods);
}

static void decode_x10_mouse(struct input *in, const uint8_t *p)
{
	unsigned b = p[0], x = p[1], y = p[2], kind, button, mods = 0;

	if (b < 32 || x < 33 || y < 33)
		return;
	b -= 32;
	if (b & 4)
		mods |= INPUT_MOD_SHIFT;
	if (b & 8)
		mods |= INPUT_MOD_META;
	if (b & 16)
		mods |= INPUT_MOD_CTRL;
	button = b & 3;
	if (b & 64) {
		if (b & 128)
			return;
		kind = INPUT_MOUSE_WHEEL;
	} else if (b & 32) {
		if (button == BUTTON_NONE) {
			kind = INPUT_MOUSE_MOVE;
			button = 0;
		} else
			kind = INPUT_MOUSE_DRAG;
	} else if (button == BUTTON_NONE) {
		kind = INPUT_MOUSE_RELEASE;
		button = in->last_button;
	} else {
		if (b & 128)
			button += 8;
		kind = INPUT_MOUSE_PRESS;
		in->last_button = button;
	}
	emit_mouse(in, kind, button, x - 33, y - 33, mods);
}

/* A complete CSI: P is the whole sequence (ESC [ ... final), LEN long. */
static void csi_dispatch(struct input *in, const struct csi *c, const uint8_t *p, size_t len,
    uint64_t meta)
{
	unsigned p0 = param(c, 0, 0);
	uint64_t mods;

	if (c->bad)
		return;
	if (c->marker == '<') {
		if (c->final == 'M' || c->final == 'm')
			decode_sgr_mouse(in, c);
		return;
	}
	if (c->marker == '?') {
		if (c->inter == 0 && c->final == 'c')
			emit_reply(in, INPUT_REPLY_DA1, p0, param(c, 1, 0), p, len);
		else if (c->inter == '$' && c->final == 'y')
			emit_reply(in, INPUT_REPLY_DECRQM, p0, param(c, 1, 0), p, len);
		else if (c->inter == 0 && c->final == 'u')
			emit_reply(in, INPUT_REPLY_KITTY, p0, 0, p, len);
		else if (c->inter == 0 && c->final == 'n')
			emit_reply(in, INPUT_REPLY_DSR, p0, param(c, 1, 0), p, len);
		else if (c->inter == 0 && c->final == 'R')
			emit_reply(in, INPUT_REPLY_CPR, p0, param(c, 1, 0), p, len);
		return;
	}
	if (c->marker == '>') {
		if (c->inter == 0 && c->final == 'c')
			emit_reply(in, INPUT_REPLY_DA2, p0, param(c, 1, 0), p, len);
		return;
	}
	if (c->marker != 0)
		return;
	if (c->inter == '$' && c->final == 'y') {
		emit_reply(in, INPUT_REPLY_DECRQM, p0, param(c, 1, 0), p, len);
		return;
	}
	if (c->inter != 0)
		return;
	switch (c->final) {
	case 'R':
		/* CPR or a modified F3 (CSI 1;m R): a query the caller sent
		 * decides; else only row 1 with a column of 2 to 16 is F3. */
		if (in->cpr_expected == 0 && c->nparams == 2 && p0 == 1 && c->params[1] >= 2 &&
		    c->params[1] <= 16) {
			key_or_drop(in, KEY_F3 | mod_bits(c->params[1]), meta);
			return;
		}
		if (c->nparams == 2) {
			if (in->cpr_expected > 0)
				in->cpr_expected--;
			emit_reply(in, INPUT_REPLY_CPR, p0, c->params[1], p, len);
			return;
		}
		if (c->nparams == 0)
			key_or_drop(in, KEY_F3, meta);
		return;
	case 'n':
		emit_reply(in, INPUT_REPLY_DSR, p0, param(c, 1, 0), p, len);
		return;
	case 't':
		emit_reply(in, INPUT_REPLY_WINOP, p0, param(c, 1, 0), p, len);
		return;
	case 'I':
	case 'O':
		if (c->nparams == 0)
			emit_focus(in, c->final == 'I');
		return;
	case 'Z':
		if (c->nparams == 0)
			key_or_drop(in, KEY_BTAB, meta);
		else if (c->nparams == 2 && p0 == 1 && (mods = mod_bits(c->params[1])) != KEY_NONE)
			key_or_drop(in, KEY_BTAB | (mods & ~KEY_SHIFT), meta);
		return;
	case 'u':
		if (c->nparams == 0 || c->nparams > 3 || c->params[0] == 0)
			return;
		mods = mod_bits(param(c, 1, 1));
		if (mods == KEY_NONE)
			return;
		key_or_drop(in, char_key(c->params[0], mods), meta);
		return;
	case '~':
	case '^':
	case '$':
	case '@':
		if (c->nparams == 0 || c->nparams > 3)
			return;
		if (c->final == '~' && p0 == 27) {
			/* xterm modifyOtherKeys: CSI 27 ; m ; code ~ */
			if (c->nparams != 3 || (mods = mod_bits(c->params[1])) == KEY_NONE)
				return;
			key_or_drop(in, char_key(c->params[2], mods), meta);
			return;
		}
		if (c->final == '~' && (p0 == 200 || p0 == 201))
			return;
		if (c->nparams > 2)
			return;
		mods = mod_bits(param(c, 1, 1));
		if (mods == KEY_NONE)
			return;
		if (c->final == '^')
			mods |= KEY_CTRL;
		else if (c->final == '$')
			mods |= KEY_SHIFT;
		else if (c->final == '@')
			mods |= KEY_CTRL | KEY_SHIFT;
		key_or_drop(in, tilde_key(p0) | mods, meta);
		return;
	case 'a': case 'b': case 'c': case 'd':
		/* rxvt's S-arrows. */
		if (c->nparams == 0)
			key_or_drop(in, rxvt_arrows[c->final - 'a'] | KEY_SHIFT, meta);
		return;
	}
	for (size_t i = 0; i < RMUX_NITEMS(csi_letters); i++) {
		if (csi_letters[i].final != c->final)
			continue;
		if (c->nparams == 0)
			key_or_drop(in, csi_letters[i].key, meta);
		else if (c->nparams == 2 && p0 == 1 && (mods = mod_bits(c->params[1])) != KEY_NONE)
			key_or_drop(in, csi_letters[i].key | mods, meta);
		return;
	}
}

/* ESC [ ... at P. */
static size_t decode_csi(struct input *in, const uint8_t *p, size_t n, int final, uint64_t meta)
{
	struct csi c;
	size_t len, bad_at = 0;

	if (n < 3)
		return final ? (size_t)-1 : NEED_MORE;
	if (p[2] == 'M') {
		/* X10 mouse: three bytes follow, whatever they are. */
		if (n < 6)
			return final ? (size_t)-1 : NEED_MORE;
		decode_x10_mouse(in, p + 3);
		return 6;
	}
	if (p[2] == '[') {
		/* Linux console F1-F5: ESC [ [ A-E */
		if (n < 4)
			return final ? (size_t)-1 : NEED_MORE;
		if (p[3] >= 'A' && p[3] <= 'E')
			key_or_drop(in, (KEY_F1 + (uint64_t)(p[3] - 'A')), meta);
		return 4;
	}
	len = csi_parse(p + 2, n - 2, &c, &bad_at);
	if (len == (size_t)-1)
		return 2 + bad_at; /* dropped; the odd byte is decoded next */
	if (len == (size_t)-2) {
		in->discard = DISCARD_CSI;
		return 2 + bad_at;
	}
	if (len == NEED_MORE)
		return final ? (size_t)-1 : NEED_MORE;
	len += 2;
	if (c.final == '~' && c.nparams == 1 && c.params[0] == 200 && c.marker == 0 &&
	    c.inter == 0) {
		flush_caret(in);
		in->paste = 1;
		in->pmatch = 0;
		return len;
	}
	csi_dispatch(in, &c, p, len, meta);
	return len;
}

/* ESC O X, or ESC O digits X (modifiers). */
static size_t decode_ss3(struct input *in, const uint8_t *p, size_t n, int final, uint64_t meta)
{
	size_t i = 2;
	unsigned m = 0;

	while (i < n && p[i] >= '0' && p[i] <= '9' && i < 5)
		m = m * 10 + (unsigned)(p[i++] - '0');
	if (i >= n)
		return final ? (size_t)-1 : NEED_MORE;
	uint8_t f = p[i];
	uint64_t mods = mod_bits(m);
	if (mods == KEY_NONE)
		return i + 1;
	for (size_t k = 0; k < RMUX_NITEMS(csi_letters); k++) {
		if (csi_letters[k].final == f) {
			key_or_drop(in, csi_letters[k].key | mods, meta);
			return i + 1;
		}
	}
	for (size_t k = 0; k < RMUX_NITEMS(ss3_only); k++) {
		if (ss3_only[k].final == f) {
			key_or_drop(in, ss3_only[k].key | mods, meta);
			return i + 1;
		}
	}
	if (i == 2 && f != ESC && f >= 0x20 && f < 0x7f)
		return (size_t)-1; /* not SS3: ESC O is M-O, then the rest */
	return i + (f >= 0x40 && f <= 0x7e); /* unknown: dropped */
}

/* Whether the string at P starts like a reply, so that a typed M-P, M-]
 * or M-_ is not taken for one: OSC N;  DCS >| !| 0+r 1+r 0$r 1$r  APC G.
 * 1 yes, 0 no, -1 not known yet. */
static int string_reply_start(const uint8_t *p, size_t n)
{
	size_t i;

	switch (p[1]) {
	case ']':
		for (i = 2; i < n && i < 8 && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (i == n)
			return -1;
		return i > 2 && p[i] == ';';
	case 'P':
		if (n > 2 && (p[2] == 0 || strchr(">!01", p[2]) == NULL))
			return 0;
		if (n > 3 && p[2] != '0' && p[2] != '1')
			return p[3] == '|';
		if (n > 3 && p[3] != '+' && p[3] != '$')
			return 0;
		if (n > 4)
			return p[4] == 'r';
		return -1;
	case '_':
		return n > 2 ? p[2] == 'G' : -1;
	}
	return 0;
}

/* ESC ] / ESC P / ESC _ strings, ended by BEL (OSC) or ESC \. */
static size_t decode_string(struct input *in, const uint8_t *p, size_t n, int final)
{
	uint8_t kind = p[1];
	int start = string_reply_start(p, n);

	if (start == 0 || (start < 0 && final))
		return (size_t)-1;
	if (start < 0)
		return NEED_MORE;

	for (size_t i = 2; i < n; i++) {
		if (p[i] == 0x07 && kind == ']') {
			unsigned num = 0;
			for (size_t k = 2; k < i && p[k] >= '0' && p[k] <= '9' && num < 100000; k++)
				num = num * 10 + (unsigned)(p[k] - '0');
			emit_reply(in, INPUT_REPLY_OSC, num, 0, p, i + 1);
			return i + 1;
		}
		if (p[i] == ESC) {
			if (i + 1 >= n)
				break;
			if (p[i + 1] != '\\')
				return i; /* broken: dropped up to this ESC */
			unsigned num = 0;
			for (size_t k = 2; k < i && p[k] >= '0' && p[k] <= '9' && num < 100000; k++)
				num = num * 10 + (unsigned)(p[k] - '0');
			unsigned r = kind == ']' ? INPUT_REPLY_OSC :
			    kind == 'P' ? INPUT_REPLY_DCS : INPUT_REPLY_APC;
			emit_reply(in, r, kind == ']' ? num : 0, 0, p, i + 2);
			return i + 2;
		}
		if (p[i] == 0x18 || p[i] == 0x1a)
			return i + 1; /* CAN, SUB: cancelled */
		if (i + 1 > INPUT_STRING_MAX) {
			in->discard = DISCARD_STRING;
			return i + 1;
		}
	}
	return final ? (size_t)-1 : NEED_MORE;
}

/* The added (terminfo) sequences: longest whole match, or NEED_MORE while
 * P could still become one. (size_t)-1: none applies. */
static size_t decode_added(struct input *in, const uint8_t *p, size_t n, int final, uint64_t meta)
{
	size_t best = 0;
	uint64_t key = KEY_NONE;
	int partial = 0;

	for (size_t i = 0; i < in->nadded; i++) {
		const struct added *a = &in->added[i];
		if (a->len <= n) {
			if (a->len > best && memcmp(a->seq, p, a->len) == 0) {
				best = a->len;
				key = a->key;
			}
		} else if (memcmp(a->seq, p, n) == 0)
			partial = 1;
	}
	if (partial && !final)
		return NEED_MORE;
	if (best == 0)
		return (size_t)-1;
	key_or_drop(in, key, meta);
	return best;
}

static size_t decode_esc(struct input *in, const uint8_t *p, size_t n, int final, uint64_t meta)
{
	size_t r;

	if (n < 2)
		return final ? (size_t)-1 : NEED_MORE;
	switch (p[1]) {
	case '[':
		r = decode_csi(in, p, n, final, meta);
		break;
	case 'O':
		r = decode_ss3(in, p, n, final, meta);
		break;
	case ']':
	case 'P':
	case '_':
		r = decode_string(in, p, n, final);
		if (r == (size_t)-1 && final && string_reply_start(p, n) > 0)
			return n; /* unfinished at the timeout: dropped */
		break;
	case ESC:
		if (meta)
			return (size_t)-1;
		/* ESC before a sequence: the same key with M-. */
		r = decode(in, p + 1, n - 1, final, KEY_META);
		if (r == NEED_MORE)
			return NEED_MORE;
		return r + 1;
	default:
		return (size_t)-1;
	}
	if (r == (size_t)-1 && n > 2 && p[1] == '[')
		return n; /* unfinished CSI at the timeout: dropped */
	return r;
}

/* One key or sequence at P. */
static size_t decode(struct input *in, const uint8_t *p, size_t n, int final, uint64_t meta)
{
	uint8_t b = p[0];
	size_t r;
	uint32_t cp;

	if (in->nadded > 0 && (b == ESC || b < 0x20 || b == 0x7f)) {
		r = decode_added(in, p, n, final, meta);
		if (r != (size_t)-1)
			return r;
	}
	if (b == ESC) {
		r = decode_esc(in, p, n, final, meta);
		if (r != (size_t)-1)
			return r;
		if (n == 1 || meta) {
			/* A lone ESC (at the timeout), or ESC ESC. */
			emit_key(in, ESC | meta);
			return 1;
		}
		/* ESC and a character: M- of that character. */
		r = decode(in, p + 1, n - 1, final, KEY_META);
		if (r == NEED_MORE)
			return NEED_MORE;
		return r + 1;
	}
	if (b == 0x7f) {
		emit_key(in, KEY_BSPACE | meta);
		return 1;
	}
	if (b < 0x20) {
		emit_key(in, b | meta);
		return 1;
	}
	r = utf8_char(p, n, &cp);
	if (r == NEED_MORE)
		return final ? n : NEED_MORE; /* unfinished at the timeout: dropped */
	if (r == (size_t)-1)
		return 1; /* not UTF-8: dropped */
	emit_key(in, cp | meta);
	return r;
}

/* Skip the rest of an overlong sequence. Returns bytes used. */
static size_t discard(struct input *in, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];
		if (in->discard == DISCARD_CSI) {
			if (b >= 0x40 && b <= 0x7e) {
				in->discard = DISCARD_NONE;
				return i + 1;
			}
			if (b < 0x20 || b > 0x7e) {
				in->discard = DISCARD_NONE;
				return i;
			}
		} else {
			if (b == 0x07 || b == 0x18 || b == 0x1a) {
				in->discard = DISCARD_NONE;
				return i + 1;
			}
			if (b == ESC) {
				/* ESC \ ends the string; any other ESC starts anew. */
				if (i + 1 >= n)
					return i; /* wait for the next byte */
				in->discard = DISCARD_NONE;
				if (p[i + 1] == '\\')
					return i + 2;
				return i;
			}
		}
	}
	return n;
}

/* Decode from P; returns how much was used. What is left is unfinished
 * and fewer than PEND_CAP bytes. */
static size_t run(struct input *in, const uint8_t *p, size_t n, int final)
{
	size_t used = 0;

	while (used < n) {
		size_t r;
		if (in->paste)
			r = paste_consume(in, p + used, n - used);
		else if (in->discard != DISCARD_NONE)
			r = discard(in, p + used, n - used);
		else if (p[used] >= 0x20 && p[used] < 0x7f && !in->caret) {
			/* Plain text, the common case, without the general path. */
			emit_plain_key(in, p[used]);
			r = 1;
		} else
			r = decode(in, p + used, n - used, final, 0);
		if (r == NEED_MORE)
			break;
		used += r;
	}
	return used;
}

void input_feed(struct input *in, const void *data, size_t len, uint64_t now)
{
	const uint8_t *p = data;

	if (len == 0)
		return;
	in->last = now;
	in->bulk = len > INPUT_BULK_BYTES;
	/* First finish what waits: it is decoded again with the new bytes
	 * after it. Once the bytes it held are used up, the rest of the read
	 * is decoded where it lies. */
	while (in->plen > 0 && len > 0) {
		size_t old = in->plen, take = RMUX_MIN(len, PEND_CAP - in->plen);
		memcpy(in->pend + in->plen, p, take);
		in->plen += take;
		size_t used = run(in, in->pend, in->plen, 0);
		if (used >= old) {
			p += used - old;
			len -= used - old;
			in->plen = 0;
			break;
		}
		if (used == 0 && in->plen == PEND_CAP)
			used = in->plen; /* cannot happen: decoders bound themselves */
		memmove(in->pend, in->pend + used, in->plen - used);
		in->plen -= used;
		p += take;
		len -= take;
	}
	if (len > 0) {
		size_t used = run(in, p, len, 0);
		size_t left = len - used;
		if (left > PEND_CAP)
			left = PEND_CAP; /* cannot happen: decoders bound themselves */
		memcpy(in->pend, p + len - left, left);
		in->plen = left;
	}
	in->bulk = 0;
}

int input_wait_ms(const struct input *in, uint64_t now)
{
	if (in->plen == 0 && in->discard == DISCARD_NONE)
		return -1;
	if (now >= in->last + in->escape_time)
		return 0;
	uint64_t left = in->last + in->escape_time - now;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

int input_timeout(struct input *in, uint64_t now)
{
	if ((in->plen == 0 && in->discard == DISCARD_NONE) || now < in->last + in->escape_time)
		return 0;
	/* An overlong reply the terminal did not finish in time: what comes
	 * next is typing again. */
	in->discard = DISCARD_NONE;
	size_t used = 0;
	while (used < in->plen) {
		size_t r = run(in, in->pend + used, in->plen - used, 1);
		if (r == 0)
			break;
		used += r;
	}
	in->plen = 0;
	return 1;
}

/* Added sequences. */

int input_add_sequence(struct input *in, const char *seq, uint64_t key)
{
	size_t len = seq != NULL ? strlen(seq) : 0;
	const uint8_t *s = (const uint8_t *)seq;

	if (len == 0 || (key & KEY_MASK_KEY) >= KEY_MOUSE_FIRST || (key & KEY_MASK_KEY) == KEY_NONE ||
	    (key & KEY_MASK_KEY) == KEY_UNKNOWN)
		return RMUX_ERR_MALFORMED;
	if (len > ADDED_LEN_MAX)
		return RMUX_ERR_TOO_BIG;
	if (len == 1 ? !(s[0] < 0x20 || s[0] == 0x7f) || s[0] == ESC : s[0] != ESC)
		return RMUX_ERR_MALFORMED;
	/* The forms the decoder itself needs stay its own. */
	if (len >= 3 && s[1] == '[' && (s[2] == 'M' || s[2] == '<' || s[2] == '?' || s[2] == '>' ||
	    ((s[2] == 'I' || s[2] == 'O') && len == 3) || strncmp(seq, "\033[200~", len) == 0 ||
	    strncmp(seq, "\033[201~", len) == 0))
		return RMUX_ERR_MALFORMED;
	if (len > 2 && (s[1] == ']' || s[1] == 'P' || s[1] == '_'))
		return RMUX_ERR_MALFORMED;
	for (size_t i = 0; i < in->nadded; i++) {
		if (in->added[i].len == len && memcmp(in->added[i].seq, s, len) == 0) {
			in->added[i].key = key;
			return 0;
		}
	}
	if (in->nadded >= INPUT_SEQUENCES_MAX)
		return RMUX_ERR_TOO_BIG;
	in->added = xreallocarray(in->added, in->nadded + 1, sizeof *in->added);
	memcpy(in->added[in->nadded].seq, s, len);
	in->added[in->nadded].len = len;
	in->added[in->nadded].key = key;
	in->nadded++;
	return 0;
}

static const struct {
	const char *cap;
	uint64_t key;
} terminfo_keys[] = {
	{ "kcuu1", KEY_UP }, { "kcud1", KEY_DOWN }, { "kcub1", KEY_LEFT }, { "kcuf1", KEY_RIGHT },
	{ "khome", KEY_HOME }, { "kend", KEY_END }, { "kich1", KEY_IC }, { "kdch1", KEY_DC },
	{ "knp", KEY_NPAGE }, { "kpp", KEY_PPAGE }, { "kcbt", KEY_BTAB }, { "kbs", KEY_BSPACE },
	{ "kent", KEY_KP_ENTER },
	{ "kf1", KEY_F1 }, { "kf2", KEY_F2 }, { "kf3", KEY_F3 }, { "kf4", KEY_F4 },
	{ "kf5", KEY_F5 }, { "kf6", KEY_F6 }, { "kf7", KEY_F7 }, { "kf8", KEY_F8 },
	{ "kf9", KEY_F9 }, { "kf10", KEY_F10 }, { "kf11", KEY_F11 }, { "kf12", KEY_F12 },
	{ "kri", KEY_UP | KEY_SHIFT }, { "kind", KEY_DOWN | KEY_SHIFT },
	{ "kLFT", KEY_LEFT | KEY_SHIFT }, { "kRIT", KEY_RIGHT | KEY_SHIFT },
	{ "kHOM", KEY_HOME | KEY_SHIFT }, { "kEND", KEY_END | KEY_SHIFT },
	{ "kDC", KEY_DC | KEY_SHIFT }, { "kIC", KEY_IC | KEY_SHIFT },
	{ "kNXT", KEY_NPAGE | KEY_SHIFT }, { "kPRV", KEY_PPAGE | KEY_SHIFT },
};

/* xterm's extended names carry the modifier parameter as a suffix:
 * kUP5 is C-Up. */
static const struct {
	const char *cap;
	uint64_t key;
} terminfo_modified[] = {
	{ "kUP", KEY_UP }, { "kDN", KEY_DOWN }, { "kLFT", KEY_LEFT }, { "kRIT", KEY_RIGHT },
	{ "kHOM", KEY_HOME }, { "kEND", KEY_END }, { "kDC", KEY_DC }, { "kIC", KEY_IC },
	{ "kNXT", KEY_NPAGE }, { "kPRV", KEY_PPAGE },
};

static int add_cap(struct input *in, const char *cap, uint64_t key)
{
	char name[16];
	const char *s;

	rmux_strlcpy(name, cap, sizeof name);
	s = tigetstr(name);
	if (s == NULL || s == (char *)-1)
		return 0;
	return input_add_sequence(in, s, key) == 0;
}

int input_add_terminfo(struct input *in)
{
	int added = 0;
	char name[16];

	for (size_t i = 0; i < RMUX_NITEMS(terminfo_keys); i++)
		added += add_cap(in, terminfo_keys[i].cap, terminfo_keys[i].key);
	/* kf13-kf24 are S-F1..S-F12, kf25-kf36 C-F1..C-F12 (xterm's layout). */
	for (unsigned i = 0; i < 24; i++) {
		snprintf(name, sizeof name, "kf%u", 13 + i);
		added += add_cap(in, name, (KEY_F1 + i % 12) | (i < 12 ? KEY_SHIFT : KEY_CTRL));
	}
	for (size_t i = 0; i < RMUX_NITEMS(terminfo_modified); i++) {
		for (unsigned m = 2; m <= 8; m++) {
			snprintf(name, sizeof name, "%s%u", terminfo_modified[i].cap, m);
			added += add_cap(in, name, terminfo_modified[i].key | mod_bits(m));
		}
	}
	return added;
}
