/* prompt.c — a session's message line: messages with their timer, and the
 * command prompt with emacs-style editing and a history shared by the
 * server (see prompt.h). The state hangs off the session and is made on
 * first use, so sessions that never show a message pay one pointer. A
 * command run from the prompt closes the prompt first: it may open
 * another one, or end the session. */
#include "server/prompt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/cmd_parse.h"
#include "server/daemon.h"
#include "server/keys.h"
#include "net/view.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/session.h"
#include "server/status.h"
#include "server/style.h"
#include "server/window.h"
#include "term/cell.h"
#include "term/key_string.h"
#include "term/utf8.h"

struct prompt_state {
	int session_id;
	uint64_t serial;

	char *message;       /* NULL: none shown */
	struct event *timer; /* ends the message; NULL: a key does */

	int open;
	unsigned flags;
	int pane_id;         /* commands run as typed in this pane, -1: none */
	char **prompts;      /* one per answer, already expanded */
	char **inputs;       /* the initial input of each, NULL: empty */
	size_t nprompts, cur;
	char *template;      /* NULL: the answer is the command */
	uint32_t *buf;       /* the input, as code points */
	size_t len, cursor;
	char *input;         /* BUF as UTF-8, for prompt_show */
	char *cut;           /* what C-k, C-u, C-w took, for C-y */
	char *last;          /* -i: the initial input, for C-r / C-s */
	int hist;            /* history entry shown, -1: the user's own */
};

static void prompt_incremental(struct session *s, struct prompt_state *ps, char prefix);

static char *history[PROMPT_HISTORY_MAX];
static size_t nhistory;

static struct prompt_state *state(struct session *s)
{
	if (s->prompt == NULL) {
		s->prompt = xcalloc(1, sizeof *s->prompt);
		s->prompt->session_id = s->id;
		s->prompt->hist = -1;
	}
	return s->prompt;
}

/* The state's changes are what a view rebuild must notice. */
static void changed(struct prompt_state *ps)
{
	ps->serial++;
	daemon_wake();
}

/* ---- messages ---- */

static void message_drop(struct prompt_state *ps)
{
	if (ps->timer != NULL) {
		event_free(ps->timer);
		ps->timer = NULL;
	}
	free(ps->message);
	ps->message = NULL;
}

static void message_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct prompt_state *ps = arg;

	message_drop(ps);
	changed(ps);
}

void prompt_message(struct session *s, const char *text, long delay_ms)
{
	struct prompt_state *ps = state(s);
	struct timeval tv;

	message_drop(ps);
	ps->message = xstrdup(text);
	if (delay_ms < 0)
		delay_ms = (long)options_get_number(s->options, "display-time");
	/* Without a loop (unit tests) the message stays until a key. */
	if (delay_ms > 0 && daemon_base() != NULL) {
		ps->timer = evtimer_new(daemon_base(), message_timer_cb, ps);
		tv.tv_sec = delay_ms / 1000;
		tv.tv_usec = (delay_ms % 1000) * 1000;
		evtimer_add(ps->timer, &tv);
	}
	changed(ps);
}

void prompt_error(int session_id, const struct buf *err)
{
	struct session *s = session_find_id(session_id);
	size_t n;
	char *line;

	if (s == NULL || err->len == 0)
		return;
	for (n = 0; n < err->len && err->data[n] != '\n'; n++)
		;
	if (n == 0)
		return;
	line = xstrndup((const char *)err->data, n);
	line[0] = (char)toupper((unsigned char)line[0]);
	prompt_message(s, line, -1);
	free(line);
}

void prompt_clear_message(struct session *s)
{
	if (s->prompt == NULL || s->prompt->message == NULL)
		return;
	message_drop(s->prompt);
	changed(s->prompt);
}

/* ---- the input ---- */

static void input_sync(struct prompt_state *ps)
{
	char *out = xmalloc(ps->len * 4 + 1);
	size_t n = 0;

	for (size_t i = 0; i < ps->len; i++)
		n += utf8_encode(ps->buf[i], out + n);
	out[n] = '\0';
	free(ps->input);
	ps->input = out;
}

static void input_set(struct prompt_state *ps, const char *text)
{
	size_t len = text != NULL ? strlen(text) : 0, off = 0;

	free(ps->buf);
	ps->buf = xreallocarray(NULL, len + 1, sizeof *ps->buf);
	ps->len = 0;
	while (off < len && ps->len < PROMPT_INPUT_MAX) {
		uint32_t cp;

		off += utf8_decode((const uint8_t *)text + off, len - off, &cp);
		ps->buf[ps->len++] = cp;
	}
	ps->cursor = ps->len;
	input_sync(ps);
}

static void input_insert(struct prompt_state *ps, uint32_t cp)
{
	if (ps->len >= PROMPT_INPUT_MAX)
		return;
	ps->buf = xreallocarray(ps->buf, ps->len + 1, sizeof *ps->buf);
	memmove(ps->buf + ps->cursor + 1, ps->buf + ps->cursor,
	    (ps->len - ps->cursor) * sizeof *ps->buf);
	ps->buf[ps->cursor++] = cp;
	ps->len++;
}

/* Remove [FROM, TO) and keep it for C-y when CUT. */
static void input_delete(struct prompt_state *ps, size_t from, size_t to, int cut)
{
	if (from >= to)
		return;
	if (cut) {
		char *text = xmalloc((to - from) * 4 + 1);
		size_t n = 0;

		for (size_t i = from; i < to; i++)
			n += utf8_encode(ps->buf[i], text + n);
		text[n] = '\0';
		free(ps->cut);
		ps->cut = text;
	}
	memmove(ps->buf + from, ps->buf + to, (ps->len - to) * sizeof *ps->buf);
	ps->len -= to - from;
	ps->cursor = from;
}

static size_t word_start(const struct prompt_state *ps, size_t at)
{
	while (at > 0 && ps->buf[at - 1] == ' ')
		at--;
	while (at > 0 && ps->buf[at - 1] != ' ')
		at--;
	return at;
}

static size_t word_end(const struct prompt_state *ps, size_t at)
{
	while (at < ps->len && ps->buf[at] == ' ')
		at++;
	while (at < ps->len && ps->buf[at] != ' ')
		at++;
	return at;
}

/* ---- history ---- */

static void history_add(const char *line)
{
	if (*line == '\0')
		return;
	if (nhistory > 0 && strcmp(history[nhistory - 1], line) == 0)
		return;
	if (nhistory == PROMPT_HISTORY_MAX) {
		free(history[0]);
		memmove(history, history + 1, (nhistory - 1) * sizeof *history);
		nhistory--;
	}
	history[nhistory++] = xstrdup(line);
}

/* Up (DIR 1) goes to older entries, down (-1) to newer and then the
 * empty line. */
static void history_move(struct prompt_state *ps, int dir)
{
	int next = ps->hist + dir;

	if (next >= (int)nhistory)
		return;
	if (next < 0) {
		if (ps->hist < 0)
			return;
		ps->hist = -1;
		input_set(ps, "");
		return;
	}
	ps->hist = next;
	input_set(ps, history[nhistory - 1 - (size_t)next]);
}

void prompt_free_history(void)
{
	for (size_t i = 0; i < nhistory; i++)
		free(history[i]);
	nhistory = 0;
}

/* ---- the prompt ---- */

static void prompt_reset(struct prompt_state *ps)
{
	for (size_t i = 0; i < ps->nprompts; i++) {
		free(ps->prompts[i]);
		free(ps->inputs[i]);
	}
	free(ps->prompts);
	free(ps->inputs);
	ps->prompts = ps->inputs = NULL;
	ps->nprompts = ps->cur = 0;
	free(ps->template);
	ps->template = NULL;
	free(ps->buf);
	ps->buf = NULL;
	ps->len = ps->cursor = 0;
	free(ps->input);
	ps->input = NULL;
	free(ps->last);
	ps->last = NULL;
	ps->open = 0;
	ps->hist = -1;
}

/* Split a comma-separated list; an absent list gives no items. */
static size_t split_list(const char *list, char ***out)
{
	size_t n = 0;
	const char *p = list, *comma;

	*out = NULL;
	if (list == NULL)
		return 0;
	for (;;) {
		comma = strchr(p, ',');
		*out = xreallocarray(*out, n + 1, sizeof **out);
		(*out)[n++] = comma != NULL ? xstrndup(p, (size_t)(comma - p)) : xstrdup(p);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return n;
}

void prompt_open(struct session *s, struct pane *p, const char *prompts, const char *inputs,
    const char *template, unsigned flags)
{
	struct prompt_state *ps = state(s);
	char **pl, **il;
	size_t np, ni;

	prompt_reset(ps);
	/* confirm-before has one prompt, commas and all. */
	if (flags & PROMPT_CONFIRM) {
		pl = xcalloc(1, sizeof *pl);
		pl[0] = xstrdup(prompts != NULL ? prompts : "");
		np = 1;
	} else {
		np = split_list(prompts != NULL ? prompts : ":", &pl);
	}
	ni = split_list(inputs, &il);
	ps->prompts = pl;
	ps->nprompts = np;
	ps->inputs = xcalloc(np, sizeof *ps->inputs);
	for (size_t i = 0; i < ni; i++) {
		if (i < np)
			ps->inputs[i] = il[i];
		else
			free(il[i]);
	}
	free(il);
	ps->template = template != NULL ? xstrdup(template) : NULL;
	ps->flags = flags;
	ps->pane_id = p != NULL ? p->id : -1;
	ps->open = 1;
	if (flags & PROMPT_INCREMENTAL) {
		/* The input starts empty; C-r / C-s bring the initial one. */
		ps->last = xstrdup(ps->inputs[0] != NULL ? ps->inputs[0] : "");
		input_set(ps, NULL);
	} else {
		input_set(ps, ps->inputs[0]);
	}
	changed(ps);
	if (flags & PROMPT_INCREMENTAL)
		prompt_incremental(s, ps, '=');
}

void prompt_close(struct session *s)
{
	if (s->prompt == NULL || !s->prompt->open)
		return;
	prompt_reset(s->prompt);
	changed(s->prompt);
}

int prompt_is_open(const struct session *s)
{
	return s->prompt != NULL && s->prompt->open;
}

char *prompt_template_replace(const char *template, const char *s, int idx)
{
	static const char special[] = "\"\\$;~";
	struct buf b;
	const char *p = template;
	int replaced = 0;
	char *out;

	buf_init(&b);
	while (*p != '\0') {
		char ch = *p++;
		int quoted;

		if (ch != '%') {
			buf_add_u8(&b, (uint8_t)ch);
			continue;
		}
		if (*p >= '1' && *p <= '9' && *p - '0' == idx) {
			p++;
		} else if (*p == '%' && !replaced) {
			replaced = 1;
			p++;
		} else {
			buf_add_u8(&b, '%');
			continue;
		}
		quoted = *p == '%';
		if (quoted)
			p++;
		for (const char *c = s; *c != '\0'; c++) {
			if (quoted && strchr(special, *c) != NULL)
				buf_add_u8(&b, '\\');
			buf_add_u8(&b, (uint8_t)*c);
		}
	}
	buf_add_u8(&b, 0);
	out = xstrdup((const char *)b.data);
	buf_free(&b);
	return out;
}

void prompt_run_text(int sid, int pane_id, const char *text)
{
	struct cmd_parse_result r;
	struct cmd_ctx ctx;
	struct buf out, err;
	struct pane *p = pane_id >= 0 ? pane_find(pane_id) : NULL;
	struct session *s;

	memset(&r, 0, sizeof r);
	memset(&ctx, 0, sizeof ctx);
	buf_init(&out);
	buf_init(&err);
	ctx.out = &out;
	ctx.err = &err;
	if (cmd_parse_string(text, strlen(text), NULL, &r) != 0) {
		buf_add_printf(&err, "%s\n", r.nerrors > 0 ? r.errors[0].message : "syntax error");
	} else {
		/* The pane may have gone while the prompt was open. */
		if (p == NULL && (s = session_find_id(sid)) != NULL && s->cur != NULL)
			p = s->cur->active;
		ctx.cur_pane = p;
		if (keys_run(&ctx, p, &r) == CMD_OK)
			buf_reset(&err);
	}
	cmd_parse_result_free(&r);
	prompt_error(sid, &err);
	buf_free(&out);
	buf_free(&err);
}

/* -i: run the template with the input after PREFIX, the prompt staying
 * open. The command may close the prompt or end the session: neither S
 * nor PS is used after. */
static void prompt_incremental(struct session *s, struct prompt_state *ps, char prefix)
{
	char *arg, *text;

	if (ps->template == NULL)
		return;
	arg = xasprintf("%c%s", prefix, ps->input != NULL ? ps->input : "");
	text = prompt_template_replace(ps->template, arg, 1);
	free(arg);
	prompt_run_text(s->id, ps->pane_id, text);
	free(text);
}

/* The answer to the current prompt is ANSWER: on to the next prompt, or
 * close and run. */
static void prompt_accept(struct session *s, struct prompt_state *ps, const char *answer)
{
	int sid = s->id, pane_id = ps->pane_id;
	char *text;

	if (!(ps->flags & (PROMPT_SINGLE | PROMPT_KEY | PROMPT_CONFIRM)))
		history_add(answer);
	if (ps->flags & PROMPT_INCREMENTAL) {
		/* The template ran as the input changed: Enter only closes. */
		prompt_reset(ps);
		changed(ps);
		return;
	}
	if (ps->template != NULL) {
		text = prompt_template_replace(ps->template, answer, (int)ps->cur + 1);
		free(ps->template);
		ps->template = text;
		if (ps->cur + 1 < ps->nprompts) {
			ps->cur++;
			ps->hist = -1;
			input_set(ps, ps->inputs[ps->cur]);
			changed(ps);
			return;
		}
		text = xstrdup(ps->template);
	} else {
		text = xstrdup(answer);
	}
	prompt_reset(ps);
	changed(ps);
	prompt_run_text(sid, pane_id, text);
	free(text);
}

/* A one-key prompt: confirm-before, -1, -k. */
static void prompt_single(struct session *s, struct prompt_state *ps, uint64_t key)
{
	char name[KEY_STRING_MAX], *utf = NULL;
	uint64_t k = key & KEY_MASK_KEY;

	if (key == 0x1b || key == 0x03 || key == 0x07) {
		prompt_close(s);
		return;
	}
	if (ps->flags & PROMPT_CONFIRM) {
		if (key == 'y' || key == 'Y')
			prompt_accept(s, ps, "y");
		else
			prompt_close(s);
		return;
	}
	if (!(ps->flags & PROMPT_KEY) && (key & KEY_MASK_MODIFIERS) == 0 && k >= 0x20 &&
	    k != 0x7f && k < KEY_BASE) {
		utf = xcalloc(1, 5);
		utf8_encode((uint32_t)k, utf);
		prompt_accept(s, ps, utf);
		free(utf);
		return;
	}
	prompt_accept(s, ps, key_string_lookup_key(key, name));
}

/* Returns 1 if the key was an editing key (the input changed or may
 * have). */
static int prompt_edit(struct prompt_state *ps, uint64_t key)
{
	uint64_t k = key & KEY_MASK_KEY, mods = key & KEY_MASK_MODIFIERS;

	if (mods == KEY_META) {
		if (k == 'b')
			ps->cursor = word_start(ps, ps->cursor);
		else if (k == 'f')
			ps->cursor = word_end(ps, ps->cursor);
		else if (k == 0x7f || k == KEY_BSPACE)
			input_delete(ps, word_start(ps, ps->cursor), ps->cursor, 1);
		return 1;
	}
	if (mods != 0) {
		if (mods == KEY_CTRL && k == KEY_LEFT)
			ps->cursor = word_start(ps, ps->cursor);
		else if (mods == KEY_CTRL && k == KEY_RIGHT)
			ps->cursor = word_end(ps, ps->cursor);
		return 1;
	}
	switch (k) {
	case 0x01: /* C-a */
	case KEY_HOME:
		ps->cursor = 0;
		break;
	case 0x05: /* C-e */
	case KEY_END:
		ps->cursor = ps->len;
		break;
	case 0x02: /* C-b */
	case KEY_LEFT:
		if (ps->cursor > 0)
			ps->cursor--;
		break;
	case 0x06: /* C-f */
	case KEY_RIGHT:
		if (ps->cursor < ps->len)
			ps->cursor++;
		break;
	case 0x08: /* C-h */
	case 0x7f:
	case KEY_BSPACE:
		if (ps->cursor > 0)
			input_delete(ps, ps->cursor - 1, ps->cursor, 0);
		break;
	case 0x04: /* C-d */
	case KEY_DC:
		if (ps->cursor < ps->len)
			input_delete(ps, ps->cursor, ps->cursor + 1, 0);
		break;
	case 0x15: /* C-u: the whole line, as tmux */
		input_delete(ps, 0, ps->len, 1);
		break;
	case 0x0b: /* C-k */
		input_delete(ps, ps->cursor, ps->len, 1);
		break;
	case 0x17: /* C-w */
		input_delete(ps, word_start(ps, ps->cursor), ps->cursor, 1);
		break;
	case 0x19: /* C-y */
		if (ps->cut != NULL) {
			size_t len = strlen(ps->cut), off = 0;

			while (off < len) {
				uint32_t cp;

				off += utf8_decode((const uint8_t *)ps->cut + off, len - off, &cp);
				input_insert(ps, cp);
			}
		}
		break;
	case 0x14: /* C-t: swap the two characters before the cursor */
		if (ps->len >= 2 && ps->cursor > 0) {
			size_t at = ps->cursor < ps->len ? ps->cursor : ps->len - 1;
			uint32_t t = ps->buf[at];

			ps->buf[at] = ps->buf[at - 1];
			ps->buf[at - 1] = t;
			ps->cursor = at + 1;
		}
		break;
	case 0x10: /* C-p */
	case KEY_UP:
		history_move(ps, 1);
		break;
	case 0x0e: /* C-n */
	case KEY_DOWN:
		history_move(ps, -1);
		break;
	default:
		if (k < 0x20 || k >= KEY_BASE)
			return 1;
		if ((ps->flags & PROMPT_NUMERIC) && (k < '0' || k > '9'))
			return 1;
		input_insert(ps, (uint32_t)k);
		break;
	}
	return 1;
}

int prompt_key(struct session *s, struct pane **pp, uint64_t key)
{
	struct prompt_state *ps = s->prompt;
	uint64_t k = key & KEY_MASK_KEY;
	int sid = s->id;

	if (ps == NULL || KEY_IS_MOUSE(key) || (k >= KEY_FOCUS_IN && k <= KEY_PASTE_END) ||
	    k == KEY_NONE || k == KEY_UNKNOWN)
		return 0;
	if (ps->message != NULL) {
		message_drop(ps);
		changed(ps);
	}
	if (!ps->open)
		return 0;
	if (ps->flags & (PROMPT_SINGLE | PROMPT_KEY | PROMPT_CONFIRM)) {
		prompt_single(s, ps, key);
	} else if (key == '\r' || key == '\n' || key == KEY_KP_ENTER) {
		char *answer = xstrdup(ps->input);

		prompt_accept(s, ps, answer);
		free(answer);
	} else if (key == 0x1b || key == 0x03 || key == 0x07) {
		prompt_close(s);
	} else if ((ps->flags & PROMPT_INCREMENTAL) && (key == 0x12 || key == 0x13)) {
		/* C-r / C-s: the next match up or down, or on an empty input
		 * the initial one back. */
		char prefix = key == 0x12 ? '-' : '+';

		if (ps->len == 0) {
			prefix = '=';
			input_set(ps, ps->last);
		}
		changed(ps);
		prompt_incremental(s, ps, prefix);
	} else {
		char *before = xstrdup(ps->input != NULL ? ps->input : "");
		size_t cursor = ps->cursor;

		prompt_edit(ps, key);
		input_sync(ps);
		changed(ps);
		if ((ps->flags & PROMPT_INCREMENTAL) &&
		    (strcmp(before, ps->input) != 0 || cursor != ps->cursor))
			prompt_incremental(s, ps, '=');
		free(before);
	}
	s = session_find_id(sid);
	*pp = s != NULL && s->cur != NULL ? s->cur->active : NULL;
	return 1;
}

int prompt_show(const struct session *s, const char **text, const char **input,
    unsigned *cursor)
{
	const struct prompt_state *ps = s->prompt;

	if (ps == NULL)
		return PROMPT_SHOW_NONE;
	if (ps->message != NULL) {
		if (text != NULL)
			*text = ps->message;
		return PROMPT_SHOW_MESSAGE;
	}
	if (!ps->open)
		return PROMPT_SHOW_NONE;
	if (text != NULL)
		*text = ps->prompts[ps->cur];
	if (input != NULL)
		*input = ps->input;
	if (cursor != NULL)
		*cursor = (unsigned)ps->cursor;
	return PROMPT_SHOW_PROMPT;
}

uint64_t prompt_serial(const struct session *s)
{
	return s->prompt != NULL ? s->prompt->serial : 0;
}

void prompt_view(struct view *v, const struct session *s)
{
	const char *text = NULL, *input = NULL;
	unsigned cursor = 0;
	int kind = prompt_show(s, &text, &input, &cursor), cx = -1;
	struct view_row *r;
	struct cell *cells;

	if (kind == PROMPT_SHOW_NONE) {
		if (v->message != NULL)
			view_set_message(v, NULL, -1);
		return;
	}
	cells = xreallocarray(NULL, v->cols, sizeof *cells);
	if (kind == PROMPT_SHOW_MESSAGE) {
		status_render_message(s->options, text, v->cols, cells);
	} else {
		struct pen pen = style_pen(NULL, options_get_string(s->options, "message-style"));

		status_render_prompt(s->options, text, input, cursor, v->cols, cells);
		/* The cursor is the one cell drawn reversed against the style
		 * (the input after it is plain): the rightmost such cell. */
		for (unsigned x = v->cols; x-- > 0;) {
			if (((cells[x].attr ^ pen.attr) & ATTR_REVERSE) &&
			    !(cells[x].attr & CELL_WIDE_TAIL)) {
				cx = (int)x;
				break;
			}
		}
	}
	r = view_row_from_cells(cells, v->cols, NULL);
	free(cells);
	if (v->message != NULL && v->message_cx == cx && view_row_equal(r, v->message))
		view_row_unref(r);
	else
		view_set_message(v, r, cx);
}

void prompt_free(struct session *s)
{
	struct prompt_state *ps = s->prompt;

	if (ps == NULL)
		return;
	message_drop(ps);
	prompt_reset(ps);
	free(ps->cut);
	free(ps);
	s->prompt = NULL;
}
