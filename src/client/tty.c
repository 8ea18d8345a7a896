/* tty.c — the local terminal: terminfo capabilities read through ncurses'
 * low-level API (setupterm, tigetstr/tigetnum/tigetflag, tiparm; no curses
 * windows), raw mode with an exact restore, and the sequences that enter
 * and leave rmux's screen (see tty.h).
 *
 * Rules where terminfo is silent:
 * - True colour: the RGB or Tc capability, a direct-colour entry
 *   (colors >= 2^24), or COLORTERM=truecolor or 24bit.
 * - Synchronized output (DEC mode 2026): the Sync capability when the entry
 *   has it; otherwise terminals of the xterm, tmux and screen families and
 *   the modern emulators listed below, all of which either implement mode
 *   2026 or ignore DEC private modes they do not know, so the sequences are
 *   harmless there. Never for vt100, linux or unknown terminals.
 * - Title: tsl..fsl when the entry has them, else OSC 2 for the same
 *   families (xterm convention).
 * - Renditions: SGR numbers (ECMA-48) for each rendition whose terminfo
 *   capability exists (bold, dim, sitm, blink, rev, invis, smxx, smul,
 *   Smol); Smulx allows styled underlines (SGR 4:N). */
#include "client/tty.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "term/cell.h"

/* TERM prefixes of terminals that accept xterm's OSC 2 and DEC mode 2026
 * (implemented or silently ignored). */
static const char *const tty_xterm_families[] = {
	"xterm",   "tmux",    "screen", "rxvt", "alacritty", "kitty",   "foot",   "wezterm",
	"contour", "ghostty", "rio",    "vte",  "gnome",     "konsole", "mintty", "iterm",
};

static int tty_family_known(const char *term)
{
	for (size_t i = 0; i < RMUX_NITEMS(tty_xterm_families); i++) {
		size_t n = strlen(tty_xterm_families[i]);
		if (strncmp(term, tty_xterm_families[i], n) == 0)
			return 1;
	}
	return 0;
}

/* A copy of string capability NAME without padding, or NULL. */
static char *tty_string(const char *name)
{
	const char *s = tigetstr(name);

	if (s == NULL || s == (const char *)-1 || *s == '\0')
		return NULL;
	size_t len = strlen(s);
	char *copy = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		/* Padding is $<digits[.digit][*][/]>: delay hints for real
		 * serial lines, meaningless to a terminal emulator. */
		if (s[i] == '$' && s[i + 1] == '<') {
			const char *end = strchr(s + i, '>');
			if (end != NULL) {
				i = (size_t)(end - s);
				continue;
			}
		}
		copy[n++] = s[i];
	}
	copy[n] = '\0';
	if (n == 0) {
		free(copy);
		return NULL;
	}
	return copy;
}

static int tty_flag(const char *name)
{
	return tigetflag(name) > 0;
}

struct tty_caps *tty_caps_create(const char *term, const char *colorterm, char *err, size_t errlen)
{
	int status = 0;

	if (term == NULL)
		term = getenv("TERM");
	if (term == NULL || *term == '\0') {
		snprintf(err, errlen, "TERM is not set");
		return NULL;
	}
	/* The fd only serves setupterm's size query, which rmux does not use. */
	if (setupterm(term, -1, &status) != OK) {
		if (status == 0)
			snprintf(err, errlen, "unknown terminal type '%s' (no terminfo entry)",
				 term);
		else
			snprintf(err, errlen, "cannot use the terminfo entry of '%s'", term);
		return NULL;
	}

	struct tty_caps *c = xcalloc(1, sizeof *c);
	c->term = xstrdup(term);

	int n = tigetnum("colors");
	if (n >= 0x1000000)
		c->truecolour = 1;
	c->colours = n >= 256 ? 256 : n >= 16 ? 16 : n >= 8 ? 8 : 0;
	if (tty_flag("RGB") || tty_flag("Tc"))
		c->truecolour = 1;
	char *rgb = tty_string("RGB");
	if (rgb != NULL)
		c->truecolour = 1;
	free(rgb);
	if (colorterm != NULL &&
	    (strcmp(colorterm, "truecolor") == 0 || strcmp(colorterm, "24bit") == 0))
		c->truecolour = 1;
	if (c->colours == 0)
		c->truecolour = 0; /* a monochrome terminal shows no colour at all */
	c->bce = tty_flag("bce");
	c->am = tty_flag("am");
	c->xenl = tty_flag("xenl");

	c->cup = tty_string("cup");
	c->home = tty_string("home");
	c->clear = tty_string("clear");
	c->el = tty_string("el");
	c->ed = tty_string("ed");
	c->ech = tty_string("ech");
	c->csr = tty_string("csr");
	c->cuu = tty_string("cuu");
	c->cud = tty_string("cud");
	c->cuf = tty_string("cuf");
	c->cub = tty_string("cub");
	c->cuu1 = tty_string("cuu1");
	c->cud1 = tty_string("cud1");
	c->cuf1 = tty_string("cuf1");
	c->cub1 = tty_string("cub1");
	c->cr = tty_string("cr");
	c->hpa = tty_string("hpa");
	c->vpa = tty_string("vpa");
	c->ind = tty_string("ind");
	c->ri = tty_string("ri");
	c->indn = tty_string("indn");
	c->rin = tty_string("rin");
	c->sgr0 = tty_string("sgr0");
	c->smcup = tty_string("smcup");
	c->rmcup = tty_string("rmcup");
	c->civis = tty_string("civis");
	c->cnorm = tty_string("cnorm");
	c->ss = tty_string("Ss");
	c->se = tty_string("Se");
	c->tsl = tty_string("tsl");
	c->fsl = tty_string("fsl");
	c->smkx = tty_string("smkx");
	c->rmkx = tty_string("rmkx");
	c->smam = tty_string("smam");
	c->rmam = tty_string("rmam");

	static const struct {
		const char *cap;
		uint16_t attr;
	} renditions[] = {
		{ "bold", ATTR_BOLD },   { "dim", ATTR_DIM },      { "sitm", ATTR_ITALIC },
		{ "blink", ATTR_BLINK }, { "rev", ATTR_REVERSE },  { "invis", ATTR_HIDDEN },
		{ "smxx", ATTR_STRIKE }, { "smul", ATTR_UL_MASK }, { "Smol", ATTR_OVERLINE },
	};
	for (size_t i = 0; i < RMUX_NITEMS(renditions); i++) {
		char *s = tty_string(renditions[i].cap);
		if (s != NULL)
			c->attrs |= renditions[i].attr;
		free(s);
	}
	char *smulx = tty_string("Smulx");
	c->ul_styles = smulx != NULL && (c->attrs & ATTR_UL_MASK);
	free(smulx);

	char *sync = tty_string("Sync");
	if (sync != NULL) {
		/* The convention: parameter 1 begins, 2 ends. */
		const char *b = tiparm(sync, 1);
		c->sync_begin = xstrdup(b != NULL ? b : "\033[?2026h");
		const char *e = tiparm(sync, 2);
		c->sync_end = xstrdup(e != NULL ? e : "\033[?2026l");
		c->sync = 1;
		free(sync);
	} else if (tty_family_known(term)) {
		c->sync_begin = xstrdup("\033[?2026h");
		c->sync_end = xstrdup("\033[?2026l");
		c->sync = 1;
	}
	if (c->tsl != NULL) {
		if (c->fsl == NULL)
			c->fsl = xstrdup("\007");
		c->title = 1;
	} else if (tty_family_known(term)) {
		free(c->fsl);
		c->tsl = xstrdup("\033]2;");
		c->fsl = xstrdup("\007");
		c->title = 1;
	}
	c->paste_on = tty_string("BE");
	c->paste_off = tty_string("BD");
	if (c->paste_on == NULL || c->paste_off == NULL) {
		free(c->paste_on);
		free(c->paste_off);
		c->paste_on = xstrdup("\033[?2004h");
		c->paste_off = xstrdup("\033[?2004l");
	}

	static const char *const keys[] = {
		"kcuu1", "kcud1", "kcuf1", "kcub1", "khome", "kend", "kich1", "kdch1",
		"kpp",   "knp",   "kcbt",  "kbs",   "kmous", "kf1",  "kf2",   "kf3",
		"kf4",   "kf5",   "kf6",   "kf7",   "kf8",   "kf9",  "kf10",  "kf11",
		"kf12",  "kLFT",  "kRIT",  "kUP",   "kDN",   "kHOM", "kEND",  "kLFT5",
		"kRIT5", "kUP5",  "kDN5",  "kLFT3", "kRIT3", "kUP3", "kDN3",
	};
	c->keys = xcalloc(RMUX_NITEMS(keys), sizeof *c->keys);
	for (size_t i = 0; i < RMUX_NITEMS(keys); i++) {
		char *seq = tty_string(keys[i]);
		if (seq == NULL)
			continue;
		c->keys[c->nkeys].name = keys[i];
		c->keys[c->nkeys++].seq = seq;
	}

	/* The strings are copies: the terminfo entry is no longer needed and
	 * tiparm works on any string. */
	del_curterm(cur_term);
	return c;
}

void tty_caps_free(struct tty_caps *c)
{
	if (c == NULL)
		return;
	char **strings[] = {
		&c->term,       &c->cup,      &c->home,     &c->clear,     &c->el,   &c->ed,
		&c->ech,        &c->csr,      &c->cuu,      &c->cud,       &c->cuf,  &c->cub,
		&c->cuu1,       &c->cud1,     &c->cuf1,     &c->cub1,      &c->cr,   &c->hpa,
		&c->vpa,        &c->ind,      &c->ri,       &c->indn,      &c->rin,  &c->sgr0,
		&c->smcup,      &c->rmcup,    &c->civis,    &c->cnorm,     &c->ss,   &c->se,
		&c->tsl,        &c->fsl,      &c->smkx,     &c->rmkx,      &c->smam, &c->rmam,
		&c->sync_begin, &c->sync_end, &c->paste_on, &c->paste_off,
	};
	for (size_t i = 0; i < RMUX_NITEMS(strings); i++)
		free(*strings[i]);
	for (size_t i = 0; i < c->nkeys; i++)
		free(c->keys[i].seq);
	free(c->keys);
	free(c);
}

const char *tty_key(const struct tty_caps *caps, const char *name)
{
	for (size_t i = 0; i < caps->nkeys; i++) {
		if (strcmp(caps->keys[i].name, name) == 0)
			return caps->keys[i].seq;
	}
	return NULL;
}

size_t tty_put(struct buf *out, const char *str)
{
	if (str == NULL)
		return 0;
	if (strchr(str, '%') != NULL) {
		const char *s = tiparm(str);
		if (s == NULL)
			return 0;
		str = s;
	}
	size_t len = strlen(str);
	buf_add(out, str, len);
	return len;
}

size_t tty_put1(struct buf *out, const char *str, int a)
{
	if (str == NULL)
		return 0;
	const char *s = tiparm(str, a);
	if (s == NULL)
		return 0;
	size_t len = strlen(s);
	buf_add(out, s, len);
	return len;
}

size_t tty_put2(struct buf *out, const char *str, int a, int b)
{
	if (str == NULL)
		return 0;
	const char *s = tiparm(str, a, b);
	if (s == NULL)
		return 0;
	size_t len = strlen(s);
	buf_add(out, s, len);
	return len;
}

static int tty_setattr(int fd, const struct termios *t)
{
	while (tcsetattr(fd, TCSADRAIN, t) != 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

int tty_raw_enter(struct tty_mode *m, int fd)
{
	struct termios raw;

	m->fd = fd;
	m->raw = 0;
	if (tcgetattr(fd, &m->saved) != 0)
		return -errno;
	raw = m->saved;
	raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL |
				   IXON | IXOFF);
	raw.c_iflag |= IUTF8;
	raw.c_oflag &= ~(tcflag_t)OPOST;
	raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	raw.c_cflag |= CS8;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	int r = tty_setattr(fd, &raw);
	if (r == 0)
		m->raw = 1;
	return r;
}

static int tty_termios_equal(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag && a->c_cflag == b->c_cflag &&
	       a->c_lflag == b->c_lflag && memcmp(a->c_cc, b->c_cc, sizeof a->c_cc) == 0 &&
	       cfgetispeed(a) == cfgetispeed(b) && cfgetospeed(a) == cfgetospeed(b);
}

int tty_raw_leave(struct tty_mode *m)
{
	struct termios now;

	if (!m->raw)
		return 0;
	/* tcsetattr succeeds if any one change took; check and try once more
	 * so the user's settings come back whole. */
	for (int attempt = 0; attempt < 2; attempt++) {
		int r = tty_setattr(m->fd, &m->saved);
		if (r != 0)
			return r;
		if (tcgetattr(m->fd, &now) != 0)
			return -errno;
		if (tty_termios_equal(&now, &m->saved)) {
			m->raw = 0;
			return 0;
		}
	}
	return -EIO;
}

int tty_get_size(int fd, unsigned *cols, unsigned *rows)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) != 0)
		return -errno;
	if (ws.ws_col == 0 || ws.ws_row == 0)
		return -EINVAL;
	*cols = ws.ws_col;
	*rows = ws.ws_row;
	return 0;
}

void tty_enter(const struct tty_caps *caps, struct buf *out, unsigned flags)
{
	if (flags & TTY_ENTER_ALTSCREEN)
		tty_put(out, caps->smcup);
	if (flags & TTY_ENTER_KEYPAD)
		tty_put(out, caps->smkx);
	if (flags & TTY_ENTER_PASTE)
		tty_put(out, caps->paste_on);
	if (flags & TTY_ENTER_FOCUS)
		buf_add(out, "\033[?1004h", 8);
}

void tty_mouse(const struct tty_caps *caps, struct buf *out, int mode)
{
	static const char off[] = "\033[?1006l\033[?1003l\033[?1002l\033[?1000l";

	(void)caps;
	buf_add(out, off, sizeof off - 1);
	switch (mode) {
	case TTY_MOUSE_CLICK: buf_add(out, "\033[?1000h\033[?1006h", 16); break;
	case TTY_MOUSE_DRAG: buf_add(out, "\033[?1000h\033[?1002h\033[?1006h", 24); break;
	case TTY_MOUSE_ANY: buf_add(out, "\033[?1000h\033[?1003h\033[?1006h", 24); break;
	default: break;
	}
}

void tty_set_title(const struct tty_caps *caps, struct buf *out, const char *title)
{
	if (!caps->title || caps->tsl == NULL)
		return;
	tty_put(out, caps->tsl);
	for (const unsigned char *p = (const unsigned char *)title; *p != '\0'; p++) {
		/* C0, DEL and C1 (as UTF-8 0xc2 0x80-0x9f) would end or break the
		 * string: drop them. */
		if (*p < 0x20 || *p == 0x7f)
			continue;
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			p++;
			continue;
		}
		buf_add_u8(out, *p);
	}
	tty_put(out, caps->fsl);
}

void tty_leave(const struct tty_caps *caps, struct buf *out, unsigned rows)
{
	if (caps->sync)
		tty_put(out, caps->sync_end);
	if (caps->sgr0 != NULL)
		tty_put(out, caps->sgr0);
	else
		buf_add(out, "\033[m", 3);
	if (caps->csr != NULL && rows > 0)
		tty_put2(out, caps->csr, 0, (int)rows - 1);
	tty_put(out, caps->smam);
	tty_mouse(caps, out, TTY_MOUSE_OFF);
	buf_add(out, "\033[?1004l", 8);
	tty_put(out, caps->paste_off);
	tty_put(out, caps->rmkx);
	if (caps->ss != NULL)
		tty_put1(out, caps->ss, 0);
	else
		tty_put(out, caps->se);
	tty_put(out, caps->cnorm);
	if (caps->rmcup != NULL)
		tty_put(out, caps->rmcup);
	else if (caps->cup != NULL && rows > 0)
		tty_put2(out, caps->cup, (int)rows - 1, 0);
}
