/* options.c — the option table and option sets (see options.h). Defaults
 * and messages are tmux 3.3a's as show-options and set-option print them,
 * except history-limit (50000: scrollback is rmux's mission) and rmux's
 * own options at the end of the table. */
#include "server/options.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "server/cmd_parse.h"
#include "server/key_string.h"
#include "term/cell.h"

static const char *const choices_on_off_2345[] = { "off", "on", "2", "3", "4", "5", NULL };
static const char *const choices_keys[] = { "emacs", "vi", NULL };
static const char *const choices_clipboard[] = { "off", "external", "on", NULL };
static const char *const choices_window_size[] = { "largest", "smallest", "manual", "latest", NULL };
static const char *const choices_position[] = { "top", "bottom", NULL };
static const char *const choices_justify[] = { "left", "centre", "right", "absolute-centre", NULL };
static const char *const choices_remain[] = { "off", "on", "failed", NULL };
static const char *const choices_detach[] = { "off", "on", "no-detached", "previous", "next", NULL };
static const char *const choices_border_status[] = { "off", "top", "bottom", NULL };
static const char *const choices_action[] = { "none", "any", "current", "other", NULL };
static const char *const choices_visual[] = { "off", "on", "both", NULL };
static const char *const choices_clock[] = { "12", "24", NULL };
static const char *const choices_passthrough[] = { "off", "on", "all", NULL };
static const char *const choices_predict[] = { "adaptive", "always", "never", NULL };

#define SRV OPTION_SCOPE_SERVER
#define SES OPTION_SCOPE_SESSION
#define WIN OPTION_SCOPE_WINDOW
#define WP (OPTION_SCOPE_WINDOW | OPTION_SCOPE_PANE)
#define STR(n, sc, d) { n, OPTION_STRING, sc, 0, 0, NULL, d, 0 }
#define STY(n, sc, d) { n, OPTION_STYLE, sc, 0, 0, NULL, d, 0 }
#define NUM(n, sc, lo, hi, d) { n, OPTION_NUMBER, sc, lo, hi, NULL, NULL, d }
#define FLG(n, sc, d) { n, OPTION_FLAG, sc, 0, 1, NULL, NULL, d }
#define CHO(n, sc, c, d) { n, OPTION_CHOICE, sc, 0, 0, c, NULL, d }
#define KEY(n, sc, d) { n, OPTION_KEY, sc, 0, 0, NULL, NULL, (long long)(d) }
#define COL(n, sc, d) { n, OPTION_COLOUR, sc, 0, 0, NULL, NULL, d }
#define ARR(n, sc, d) { n, OPTION_ARRAY, sc, 0, 0, NULL, d, 0 }

/* Kept in name order: show-options lists in this order. */
static const struct options_entry table[] = {
	CHO("activity-action", SES, choices_action, 3),
	FLG("aggressive-resize", WIN, 0),
	CHO("allow-passthrough", WP, choices_passthrough, 0),
	FLG("allow-rename", WP, 0),
	FLG("alternate-screen", WP, 1),
	FLG("automatic-rename", WIN, 1),
	NUM("base-index", SES, 0, 2147483647, 0),
	CHO("bell-action", SES, choices_action, 1),
	NUM("buffer-limit", SRV, 1, 2147483647, 50),
	NUM("client-history-limit", SES, 0, 2147483647, 50000),
	COL("clock-mode-colour", WIN, 4),
	CHO("clock-mode-style", WIN, choices_clock, 1),
	NUM("connection-timeout", SRV, 0, 2147483647, 7 * 24 * 3600),
	STR("copy-command", SRV, ""),
	STR("default-command", SES, ""),
	STR("default-shell", SES, "/bin/sh"),
	STR("default-size", SES, "80x24"),
	STR("default-terminal", SRV, "tmux-256color"),
	FLG("destroy-unattached", SES, 0),
	CHO("detach-on-destroy", SES, choices_detach, 1),
	COL("display-panes-active-colour", SES, 1),
	COL("display-panes-colour", SES, 4),
	NUM("display-panes-time", SES, 1, 2147483647, 1000),
	NUM("display-time", SES, 0, 2147483647, 750),
	STR("editor", SRV, "/usr/bin/vi"),
	NUM("escape-time", SRV, 0, 2147483647, 500),
	FLG("exit-empty", SRV, 1),
	FLG("exit-unattached", SRV, 0),
	FLG("focus-events", SRV, 0),
	STR("history-file", SRV, ""),
	NUM("history-limit", SES, 0, 2147483647, 50000),
	FLG("history-native", SES, 0),
	NUM("lock-after-time", SES, 0, 2147483647, 0),
	STR("main-pane-height", WIN, "24"),
	STR("main-pane-width", WIN, "80"),
	NUM("message-limit", SRV, 0, 2147483647, 1000),
	STY("message-style", SES, "bg=yellow,fg=black"),
	CHO("mode-keys", WIN, choices_keys, 0),
	STY("mode-style", WIN, "bg=yellow,fg=black"),
	FLG("monitor-activity", WIN, 0),
	FLG("monitor-bell", WIN, 1),
	NUM("monitor-silence", WIN, 0, 2147483647, 0),
	FLG("mouse", SES, 0),
	STR("other-pane-height", WIN, "0"),
	STR("other-pane-width", WIN, "0"),
	STY("pane-active-border-style", WIN,
	    "#{?pane_in_mode,fg=yellow,#{?synchronize-panes,fg=red,fg=green}}"),
	NUM("pane-base-index", WIN, 0, 65535, 0),
	CHO("pane-border-status", WIN, choices_border_status, 0),
	STY("pane-border-style", WIN, "default"),
	CHO("predict", SES, choices_predict, 0),
	KEY("prefix", SES, 0x02),
	KEY("prefix2", SES, KEY_NONE),
	CHO("remain-on-exit", WP, choices_remain, 0),
	FLG("renumber-windows", SES, 0),
	NUM("repeat-time", SES, 0, 2147483647, 500),
	CHO("set-clipboard", SRV, choices_clipboard, 1),
	FLG("set-titles", SES, 0),
	STR("set-titles-string", SES, "#S:#I:#W - \"#T\" #{session_alerts}"),
	CHO("silence-action", SES, choices_action, 3),
	CHO("status", SES, choices_on_off_2345, 1),
	COL("status-bg", SES, 8),
	COL("status-fg", SES, 8),
	NUM("status-interval", SES, 0, 2147483647, 15),
	CHO("status-justify", SES, choices_justify, 0),
	CHO("status-keys", SES, choices_keys, 0),
	STR("status-left", SES, "[#{session_name}] "),
	NUM("status-left-length", SES, 0, 32767, 10),
	STY("status-left-style", SES, "default"),
	CHO("status-position", SES, choices_position, 1),
	STR("status-right", SES,
	    "#{?window_bigger,[#{window_offset_x}#,#{window_offset_y}] ,}"
	    "\"#{=21:pane_title}\" %H:%M %d-%b-%y"),
	NUM("status-right-length", SES, 0, 32767, 40),
	STY("status-right-style", SES, "default"),
	STY("status-style", SES, "bg=green,fg=black"),
	FLG("synchronize-panes", WP, 0),
	ARR("update-environment", SES,
	    "DISPLAY KRB5CCNAME SSH_ASKPASS SSH_AUTH_SOCK SSH_AGENT_PID SSH_CONNECTION WINDOWID "
	    "XAUTHORITY"),
	CHO("visual-activity", SES, choices_visual, 0),
	CHO("visual-bell", SES, choices_visual, 0),
	CHO("visual-silence", SES, choices_visual, 0),
	CHO("window-size", WIN, choices_window_size, 3),
	STY("window-status-activity-style", WIN, "reverse"),
	STY("window-status-bell-style", WIN, "reverse"),
	STR("window-status-current-format", WIN, "#I:#W#{?window_flags,#{window_flags}, }"),
	STY("window-status-current-style", WIN, "default"),
	STR("window-status-format", WIN, "#I:#W#{?window_flags,#{window_flags}, }"),
	STY("window-status-last-style", WIN, "default"),
	STR("window-status-separator", WIN, " "),
	STY("window-status-style", WIN, "default"),
	STR("word-separators", SES, "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"),
	FLG("wrap-search", WIN, 1),
};

const struct options_entry *options_table(unsigned *count)
{
	*count = (unsigned)RMUX_NITEMS(table);
	return table;
}

/* NAME[INDEX]: the name into BASE and the index, or -1 for a name
 * without one. Returns -1 if the index is not a number below the limit
 * closing the name. */
static int split_index(const char *name, char *base, size_t size, long *index)
{
	const char *open = strchr(name, '[');
	char *end;
	long v;

	*index = -1;
	if (open == NULL)
		return snprintf(base, size, "%s", name) < (int)size ? 0 : -1;
	if ((size_t)(open - name) >= size || !isdigit((unsigned char)open[1]))
		return -1;
	errno = 0;
	v = strtol(open + 1, &end, 10);
	if (errno != 0 || *end != ']' || end[1] != '\0' || v >= OPTIONS_ARRAY_LIMIT)
		return -1;
	memcpy(base, name, (size_t)(open - name));
	base[open - name] = '\0';
	*index = v;
	return 0;
}

/* The index NAME gives an element of an array (already checked by
 * options_table_find), or -1. */
static long name_index(const char *name)
{
	char base[128];
	long index;

	return split_index(name, base, sizeof base, &index) == 0 ? index : -1;
}

const struct options_entry *options_table_find(const char *name, const char **cause)
{
	static char msg[160];
	const struct options_entry *found = NULL;
	char base[128];
	size_t len;
	long index;
	int ambiguous = 0;

	if (strchr(name, '[') != NULL) {
		/* tmux's word for an index it can't read. */
		if (split_index(name, base, sizeof base, &index) != 0) {
			snprintf(msg, sizeof msg, "ambiguous option: %.120s", name);
			*cause = msg;
			return NULL;
		}
		name = base;
	}
	len = strlen(name);

	for (size_t i = 0; i < RMUX_NITEMS(table); i++) {
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
		if (len != 0 && strncmp(table[i].name, name, len) == 0) {
			if (found != NULL)
				ambiguous = 1;
			found = &table[i];
		}
	}
	if (found != NULL && !ambiguous)
		return found;
	snprintf(msg, sizeof msg, "%s option: %.120s", ambiguous ? "ambiguous" : "invalid", name);
	*cause = msg;
	return NULL;
}

/* Sets ------------------------------------------------------------------- */

struct value {
	char *name; /* the entry's name, or the user option's */
	const struct options_entry *entry;
	char *str;
	long long num;
	char **items; /* OPTION_ARRAY: NULL for an index never set or removed */
	size_t nitems;
};

static void array_clear(struct value *v)
{
	for (size_t i = 0; i < v->nitems; i++)
		free(v->items[i]);
	free(v->items);
	v->items = NULL;
	v->nitems = 0;
}

static void array_set(struct value *v, size_t index, const char *item)
{
	if (index >= v->nitems) {
		v->items = xreallocarray(v->items, index + 1, sizeof *v->items);
		memset(v->items + v->nitems, 0, (index + 1 - v->nitems) * sizeof *v->items);
		v->nitems = index + 1;
	}
	free(v->items[index]);
	v->items[index] = xstrdup(item);
}

/* TEXT's words (split at spaces and commas) after the last element. */
static void array_append(struct value *v, const char *text)
{
	while (*text != '\0') {
		size_t n = strcspn(text, " ,");

		if (n != 0) {
			char *word = xstrndup(text, n);

			array_set(v, v->nitems, word);
			free(word);
		}
		text += n;
		if (*text != '\0')
			text++;
	}
}

struct options {
	struct options *parent;
	struct value *values;
	size_t nvalues;
};

struct options *options_create(struct options *parent)
{
	struct options *oo = xcalloc(1, sizeof *oo);

	oo->parent = parent;
	return oo;
}

void options_free(struct options *oo)
{
	if (oo == NULL)
		return;
	for (size_t i = 0; i < oo->nvalues; i++) {
		free(oo->values[i].name);
		free(oo->values[i].str);
		array_clear(&oo->values[i]);
	}
	free(oo->values);
	free(oo);
}

struct options *options_parent(const struct options *oo)
{
	return oo->parent;
}

static struct value *find_local(const struct options *oo, const char *name)
{
	for (size_t i = 0; i < oo->nvalues; i++) {
		if (strcmp(oo->values[i].name, name) == 0)
			return &oo->values[i];
	}
	return NULL;
}

static const struct value *find_chain(const struct options *oo, const char *name)
{
	for (; oo != NULL; oo = oo->parent) {
		const struct value *v = find_local(oo, name);
		if (v != NULL)
			return v;
	}
	return NULL;
}

static struct value *get_local(struct options *oo, const char *name,
    const struct options_entry *e)
{
	struct value *v = find_local(oo, name);

	if (v != NULL)
		return v;
	oo->values = xreallocarray(oo->values, oo->nvalues + 1, sizeof *oo->values);
	v = &oo->values[oo->nvalues++];
	v->name = xstrdup(name);
	v->entry = e;
	v->str = NULL;
	v->num = 0;
	v->items = NULL;
	v->nitems = 0;
	return v;
}

static void remove_local(struct options *oo, struct value *v)
{
	size_t i = (size_t)(v - oo->values);

	free(v->name);
	free(v->str);
	array_clear(v);
	memmove(&oo->values[i], &oo->values[i + 1], (oo->nvalues - i - 1) * sizeof *v);
	oo->nvalues--;
}

static void set_default(struct options *oo, const struct options_entry *e)
{
	struct value *v = get_local(oo, e->name, e);

	free(v->str);
	v->str = NULL;
	array_clear(v);
	if (e->type == OPTION_STRING || e->type == OPTION_STYLE)
		v->str = xstrdup(e->default_string);
	else if (e->type == OPTION_ARRAY)
		array_append(v, e->default_string);
	else
		v->num = e->default_number;
}

void options_set_defaults(struct options *oo, int scope)
{
	for (size_t i = 0; i < RMUX_NITEMS(table); i++) {
		if (table[i].scope & scope)
			set_default(oo, &table[i]);
	}
}

const char *options_get_string(const struct options *oo, const char *name)
{
	const struct value *v = find_chain(oo, name);

	return v != NULL && v->str != NULL ? v->str : "";
}

long long options_get_number(const struct options *oo, const char *name)
{
	const struct value *v = find_chain(oo, name);

	return v != NULL ? v->num : 0;
}

const char **options_get_array(const struct options *oo, const char *name)
{
	const struct value *v = find_chain(oo, name);
	const char **list;
	size_t n = 0;

	list = xcalloc((v != NULL ? v->nitems : 0) + 1, sizeof *list);
	for (size_t i = 0; v != NULL && i < v->nitems; i++) {
		if (v->items[i] != NULL)
			list[n++] = v->items[i];
	}
	list[n] = NULL;
	return list;
}

int options_is_local(const struct options *oo, const char *name)
{
	return find_local(oo, name) != NULL;
}

/* Colours and styles ------------------------------------------------------ */

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

int64_t options_colour_parse(const char *s)
{
	char *end;

	if (*s == '#' && strlen(s) == 7) {
		for (int i = 1; i < 7; i++) {
			if (!isxdigit((unsigned char)s[i]))
				return -1;
		}
		return OPTIONS_COLOUR_RGB | (int64_t)strtol(s + 1, NULL, 16);
	}
	if (strncasecmp(s, "colour", 6) == 0 || strncasecmp(s, "color", 5) == 0) {
		const char *n = s + (tolower((unsigned char)s[4]) == 'u' ? 6 : 5);
		if (!isdigit((unsigned char)*n))
			return -1;
		long v = strtol(n, &end, 10);
		if (*end != '\0' || v < 0 || v > 255)
			return -1;
		return OPTIONS_COLOUR_256 | v;
	}
	if (strcasecmp(s, "default") == 0)
		return OPTIONS_COLOUR_DEFAULT;
	if (strcasecmp(s, "terminal") == 0)
		return OPTIONS_COLOUR_TERMINAL;
	for (int i = 0; i < 8; i++) {
		if (strcasecmp(s, colour_names[i]) == 0)
			return i;
		if (strncasecmp(s, "bright", 6) == 0 && strcasecmp(s + 6, colour_names[i]) == 0)
			return 90 + i;
	}
	if (isdigit((unsigned char)*s)) {
		/* Bare numbers 0-7 and 90-97 are accepted too. */
		long v = strtol(s, &end, 10);
		if (*end == '\0' && ((v >= 0 && v <= 7) || (v >= 90 && v <= 97)))
			return v;
	}
	return -1;
}

const char *options_colour_name(int64_t c, char *buf, unsigned size)
{
	if (c & OPTIONS_COLOUR_RGB)
		snprintf(buf, size, "#%06llx", (unsigned long long)(c & 0xffffff));
	else if (c & OPTIONS_COLOUR_256)
		snprintf(buf, size, "colour%d", (int)(c & 0xff));
	else if (c >= 0 && c <= 7)
		snprintf(buf, size, "%s", colour_names[c]);
	else if (c >= 90 && c <= 97)
		snprintf(buf, size, "bright%s", colour_names[c - 90]);
	else if (c == OPTIONS_COLOUR_TERMINAL)
		snprintf(buf, size, "terminal");
	else if (c == OPTIONS_COLOUR_DEFAULT)
		snprintf(buf, size, "default");
	else
		snprintf(buf, size, "invalid");
	return buf;
}

uint32_t options_colour_to_cell(int64_t c)
{
	if (c & OPTIONS_COLOUR_RGB)
		return COLOUR_RGB | (uint32_t)(c & 0xffffff);
	if (c & OPTIONS_COLOUR_256)
		return colour_palette((unsigned)(c & 0xff));
	if (c >= 0 && c <= 7)
		return colour_palette((unsigned)c);
	if (c >= 90 && c <= 97)
		return colour_palette((unsigned)(c - 90 + 8));
	return COLOUR_DEFAULT;
}

static int style_word_valid(const char *w)
{
	static const char *const attrs[] = {
		"acs", "bright", "bold", "dim", "underscore", "blink", "reverse", "hidden",
		"italics", "strikethrough", "double-underscore", "curly-underscore",
		"dotted-underscore", "dashed-underscore", "overline",
	};
	static const char *const words[] = {
		"default", "push-default", "pop-default", "ignore", "noignore", "nolist", "norange",
		"noalign", "none",
	};

	for (size_t i = 0; i < RMUX_NITEMS(words); i++) {
		if (strcasecmp(w, words[i]) == 0)
			return 1;
	}
	if (strncasecmp(w, "fg=", 3) == 0 || strncasecmp(w, "bg=", 3) == 0 ||
	    strncasecmp(w, "us=", 3) == 0 || strncasecmp(w, "fill=", 5) == 0)
		return options_colour_parse(strchr(w, '=') + 1) != -1;
	if (strncasecmp(w, "align=", 6) == 0) {
		const char *v = w + 6;
		return strcasecmp(v, "left") == 0 || strcasecmp(v, "centre") == 0 ||
		    strcasecmp(v, "right") == 0 || strcasecmp(v, "absolute-centre") == 0;
	}
	if (strncasecmp(w, "list=", 5) == 0) {
		const char *v = w + 5;
		return strcasecmp(v, "on") == 0 || strcasecmp(v, "focus") == 0 ||
		    strcasecmp(v, "left-marker") == 0 || strcasecmp(v, "right-marker") == 0 ||
		    strcasecmp(v, "off") == 0;
	}
	if (strncasecmp(w, "range=", 6) == 0)
		return 1;
	if (strncasecmp(w, "no", 2) == 0)
		w += 2;
	for (size_t i = 0; i < RMUX_NITEMS(attrs); i++) {
		if (strcasecmp(w, attrs[i]) == 0)
			return 1;
	}
	return 0;
}

int options_style_valid(const char *s)
{
	char word[256];

	while (*s != '\0') {
		size_t n = strcspn(s, " ,\t");
		if (n >= sizeof word)
			return -1;
		if (n != 0) {
			memcpy(word, s, n);
			word[n] = '\0';
			if (!style_word_valid(word))
				return -1;
		}
		s += n;
		if (*s != '\0')
			s++;
	}
	return 0;
}

/* Setting ----------------------------------------------------------------- */

static int parse_flag(const char *value, long long *out)
{
	static const char *const on[] = { "on", "yes", "1" };
	static const char *const off[] = { "off", "no", "0" };

	for (int i = 0; i < 3; i++) {
		if (strcasecmp(value, on[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(value, off[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* tmux's strtonum: decimal, leading space allowed, whole string. */
static int parse_number(const char *value, long long min, long long max, long long *out,
    const char **why)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (end == value || *end != '\0') {
		*why = "invalid";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*why = "too small";
		return -1;
	}
	if (errno == ERANGE || v > max) {
		*why = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

int options_set(struct options *oo, const char *name, const char *value, int append,
    int only_if_unset, char **cause)
{
	const struct options_entry *e = NULL;
	const char *why, *given = name;
	struct value *v;
	long long n = 0;
	long index = -1;
	int64_t colour;

	*cause = NULL;
	if (*name == '@') {
		if (value == NULL) {
			*cause = xstrdup("empty value");
			return -1;
		}
	} else {
		e = options_table_find(name, &why);
		if (e == NULL) {
			*cause = xstrdup(why);
			return -1;
		}
		name = e->name;
		index = name_index(given);
	}
	if (index >= 0 && e->type != OPTION_ARRAY) {
		*cause = xasprintf("not an array: %s", given);
		return -1;
	}
	if (only_if_unset && find_local(oo, name) != NULL) {
		*cause = xasprintf("already set: %s", name);
		return -1;
	}
	if (e != NULL && e->type == OPTION_ARRAY) {
		if (value == NULL) {
			*cause = xstrdup("empty value");
			return -1;
		}
		v = get_local(oo, name, e);
		if (index >= 0) {
			array_set(v, (size_t)index, value);
			return 0;
		}
		if (!append)
			array_clear(v);
		array_append(v, value);
		return 0;
	}
	if (e == NULL || e->type == OPTION_STRING || e->type == OPTION_STYLE) {
		if (value == NULL) {
			*cause = xstrdup("empty value");
			return -1;
		}
		const struct value *old = find_chain(oo, name);
		char *s = append && old != NULL && old->str != NULL ?
		    xasprintf("%s%s", old->str, value) : xstrdup(value);
		if (e != NULL && e->type == OPTION_STYLE && strstr(s, "#{") == NULL &&
		    options_style_valid(s) != 0) {
			*cause = xasprintf("invalid style: %s", s);
			free(s);
			return -1;
		}
		v = get_local(oo, name, e);
		free(v->str);
		v->str = s;
		return 0;
	}
	switch (e->type) {
	case OPTION_NUMBER:
		if (value == NULL) {
			*cause = xstrdup("empty value");
			return -1;
		}
		if (parse_number(value, e->minimum, e->maximum, &n, &why) != 0) {
			*cause = xasprintf("value is %s: %s", why, value);
			return -1;
		}
		break;
	case OPTION_FLAG:
		if (value == NULL)
			n = !options_get_number(oo, name);
		else if (parse_flag(value, &n) != 0) {
			*cause = xasprintf("bad value: %s", value);
			return -1;
		}
		break;
	case OPTION_CHOICE:
		if (value == NULL) {
			unsigned count = 0;
			while (e->choices[count] != NULL)
				count++;
			n = options_get_number(oo, name);
			if (count != 2) {
				*cause = xstrdup("empty value");
				return -1;
			}
			n = !n;
			break;
		}
		for (n = 0; e->choices[n] != NULL; n++) {
			if (strcmp(e->choices[n], value) == 0)
				break;
		}
		if (e->choices[n] == NULL) {
			*cause = xasprintf("unknown value: %s", value);
			return -1;
		}
		break;
	case OPTION_KEY: {
		uint64_t key;
		if (value == NULL) {
			*cause = xstrdup("empty value");
			return -1;
		}
		key = key_string_lookup_string(value);
		if (key == KEY_UNKNOWN) {
			*cause = xasprintf("bad key: %s", value);
			return -1;
		}
		n = (long long)key;
		break;
	}
	case OPTION_COLOUR:
		if (value == NULL) {
			*cause = xstrdup("empty value");
			return -1;
		}
		colour = options_colour_parse(value);
		if (colour == -1) {
			*cause = xasprintf("bad colour: %s", value);
			return -1;
		}
		n = colour;
		break;
	default:
		break;
	}
	v = get_local(oo, name, e);
	v->num = n;
	return 0;
}

int options_unset(struct options *oo, const char *name, char **cause)
{
	const struct options_entry *e = NULL;
	const char *why, *given = name;
	struct value *v;
	long index = -1;

	*cause = NULL;
	if (*name != '@') {
		e = options_table_find(name, &why);
		if (e == NULL) {
			*cause = xstrdup(why);
			return -1;
		}
		name = e->name;
		index = name_index(given);
	}
	v = find_local(oo, name);
	if (index >= 0) {
		if (e->type != OPTION_ARRAY) {
			*cause = xasprintf("not an array: %s", given);
			return -1;
		}
		/* One element goes; the others keep their indexes. */
		if (v != NULL && (size_t)index < v->nitems) {
			free(v->items[index]);
			v->items[index] = NULL;
		}
		return 0;
	}
	if (oo->parent == NULL && e != NULL) {
		if (v != NULL)
			set_default(oo, e);
		return 0;
	}
	if (v != NULL)
		remove_local(oo, v);
	return 0;
}

/* Showing ---------------------------------------------------------------- */

static char *value_string(const struct value *v)
{
	char buf[KEY_STRING_MAX];
	const struct options_entry *e = v->entry;

	if (e == NULL || e->type == OPTION_STRING || e->type == OPTION_STYLE)
		return xstrdup(v->str != NULL ? v->str : "");
	switch (e->type) {
	case OPTION_NUMBER:
		return xasprintf("%lld", v->num);
	case OPTION_FLAG:
		return xstrdup(v->num ? "on" : "off");
	case OPTION_CHOICE:
		return xstrdup(e->choices[v->num]);
	case OPTION_KEY:
		return xstrdup(key_string_lookup_key((uint64_t)v->num, buf));
	case OPTION_COLOUR:
		return xstrdup(options_colour_name(v->num, buf, sizeof buf));
	case OPTION_ARRAY: {
		struct buf b;

		buf_init(&b);
		for (size_t i = 0; i < v->nitems; i++) {
			if (v->items[i] != NULL)
				buf_add_printf(&b, "%s%s", b.len != 0 ? " " : "", v->items[i]);
		}
		buf_add_u8(&b, '\0');
		return (char *)b.data;
	}
	default:
		break;
	}
	return xstrdup("");
}

char *options_to_string(const struct options *oo, const char *name)
{
	const struct value *v = find_chain(oo, name);

	return v != NULL ? value_string(v) : NULL;
}

/* Element INDEX of an array, "" if it has none, as show-options prints
 * it: NAME[INDEX] VALUE (quoted), or the value alone. */
static char *show_element(const struct value *v, size_t index, int inherited, int flags)
{
	const char *item = index < v->nitems && v->items[index] != NULL ? v->items[index] : "";
	char *q, *line;

	if (flags & OPTIONS_SHOW_VALUE_ONLY)
		return xstrdup(item);
	q = cmd_parse_quote(item);
	line = xasprintf("%s[%zu]%s %s", v->name, index, inherited ? "*" : "", q);
	free(q);
	return line;
}

/* An array: one line per element; its name alone when it is empty. */
static char *show_array(const struct value *v, int inherited, int flags)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < v->nitems; i++) {
		char *line;

		if (v->items[i] == NULL)
			continue;
		line = show_element(v, i, inherited, flags);
		buf_add_printf(&b, "%s%s", b.len != 0 ? "\n" : "", line);
		free(line);
	}
	if (b.len == 0 && !(flags & OPTIONS_SHOW_VALUE_ONLY))
		buf_add_printf(&b, "%s", v->name);
	buf_add_u8(&b, '\0');
	return (char *)b.data;
}

static char *show_line(const struct value *v, int inherited, int flags)
{
	char *s, *q, *line;

	if (v->entry != NULL && v->entry->type == OPTION_ARRAY)
		return show_array(v, inherited, flags);
	s = value_string(v);
	if (flags & OPTIONS_SHOW_VALUE_ONLY)
		return s;
	/* tmux quotes only string values: "#ff00aa" stays bare. */
	if (v->entry == NULL || v->entry->type == OPTION_STRING || v->entry->type == OPTION_STYLE)
		q = cmd_parse_quote(s);
	else
		q = xstrdup(s);
	line = xasprintf("%s%s %s", v->name, inherited ? "*" : "", q);
	free(q);
	free(s);
	return line;
}

char *options_show_one(const struct options *oo, const char *name, int flags, char **cause)
{
	const struct value *v;
	const char *why;
	long index = -1;

	*cause = NULL;
	if (*name != '@') {
		const struct options_entry *e = options_table_find(name, &why);
		if (e == NULL) {
			*cause = xstrdup(why);
			return NULL;
		}
		/* An index on another type is ignored, as tmux does. */
		if (e->type == OPTION_ARRAY)
			index = name_index(name);
		name = e->name;
	}
	v = find_local(oo, name);
	if (v != NULL)
		return index >= 0 ? show_element(v, (size_t)index, 0, flags) : show_line(v, 0, flags);
	if (flags & OPTIONS_SHOW_INHERITED) {
		v = find_chain(oo, name);
		if (v != NULL)
			return index >= 0 ? show_element(v, (size_t)index, 1, flags) :
			    show_line(v, 1, flags);
	}
	if (*name == '@')
		*cause = xasprintf("invalid option: %s", name);
	return NULL;
}

static int compare_names(const void *a, const void *b)
{
	const struct value *va = *(const struct value *const *)a;
	const struct value *vb = *(const struct value *const *)b;
	int ua = va->name[0] == '@', ub = vb->name[0] == '@';

	if (ua != ub)
		return ua - ub;
	return strcmp(va->name, vb->name);
}

char *options_show_all(const struct options *oo, int scope, int flags)
{
	const struct value **list = NULL;
	size_t n = 0;
	struct buf b;

	for (const struct options *p = oo; p != NULL; p = p->parent) {
		for (size_t i = 0; i < p->nvalues; i++) {
			const struct value *v = &p->values[i];
			if (v->entry != NULL && (v->entry->scope & scope) == 0)
				continue;
			if (p != oo && find_chain(oo, v->name) != v)
				continue;
			list = xreallocarray(list, n + 1, sizeof *list);
			list[n++] = v;
		}
		if (!(flags & OPTIONS_SHOW_INHERITED))
			break;
	}
	if (n > 0)
		qsort(list, n, sizeof *list, compare_names);
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		char *line = show_line(list[i], find_local(oo, list[i]->name) != list[i], flags);
		buf_add_printf(&b, "%s\n", line);
		free(line);
	}
	buf_add_u8(&b, '\0');
	free(list);
	return (char *)b.data;
}
