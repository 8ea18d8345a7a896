/* format.c — the format language (see format.h), following tmux 3.3a's
 * rules: a conditional's test is first looked up as a variable and only
 * expanded if it is not one; comparison operands are expanded; trimming
 * counts display columns. */
#include "server/format.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "term/utf8.h"

static char *expand(const char *fmt, size_t len, const struct format_ctx *ctx, int depth);

int format_true(const char *s)
{
	return s != NULL && *s != '\0' && (s[0] != '0' || s[1] != '\0');
}

static char *lookup(const struct format_ctx *ctx, const char *name)
{
	return ctx != NULL && ctx->lookup != NULL ? ctx->lookup(name, ctx->arg) : NULL;
}

/* The end of a #{ ... } starting at S (S points after "#{"): the offset of
 * the matching '}', or -1. */
static long find_close(const char *s, size_t len)
{
	int brackets = 1;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '#' && i + 1 < len) {
			if (s[i + 1] == '{')
				brackets++;
			i++; /* "#x" is never the close */
			continue;
		}
		if (s[i] == '}' && --brackets == 0)
			return (long)i;
	}
	return -1;
}

/* The first SEP in S outside nested #{...} and not escaped as "#,". */
static size_t skip_to(const char *s, size_t len, char sep)
{
	int brackets = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '#' && i + 1 < len) {
			if (s[i + 1] == '{')
				brackets++;
			i++;
			continue;
		}
		if (s[i] == '}' && brackets > 0)
			brackets--;
		else if (s[i] == sep && brackets == 0)
			return i;
	}
	return len;
}

/* Display width of a UTF-8 string. */
static unsigned width_of(const char *s)
{
	size_t len = strlen(s), i = 0;
	unsigned w = 0;

	while (i < len) {
		uint32_t cp;
		i += utf8_decode((const uint8_t *)s + i, len - i, &cp);
		int cw = utf8_width(cp);
		if (cw > 0)
			w += (unsigned)cw;
	}
	return w;
}

/* The argument of =N and pN. As in tmux, anything but a whole number
 * within an int's range (less its most negative value, whose negation
 * would not fit) counts as no argument. */
static int modifier_number(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < -INT_MAX || v > INT_MAX)
		return 0;
	return (int)v;
}

/* The first N columns of S (N > 0), or the last -N. */
static char *trim(const char *s, int n)
{
	size_t len = strlen(s), i = 0, start = 0, end = len;
	unsigned w = 0, total = width_of(s);
	unsigned limit = (unsigned)(n < 0 ? -n : n);

	if (total <= limit)
		return xstrdup(s);
	if (n > 0) {
		while (i < len) {
			uint32_t cp;
			size_t step = utf8_decode((const uint8_t *)s + i, len - i, &cp);
			int cw = utf8_width(cp);
			if (cw > 0 && w + (unsigned)cw > limit)
				break;
			if (cw > 0)
				w += (unsigned)cw;
			i += step;
		}
		end = i;
	} else {
		unsigned skip = total - limit;
		while (i < len) {
			uint32_t cp;
			size_t step = utf8_decode((const uint8_t *)s + i, len - i, &cp);
			int cw = utf8_width(cp);
			if (w >= skip && cw > 0)
				break;
			if (cw > 0)
				w += (unsigned)cw;
			i += step;
		}
		start = i;
	}
	return xstrndup(s + start, end - start);
}

static char *basename_of(const char *s)
{
	const char *slash;
	size_t len = strlen(s);

	while (len > 1 && s[len - 1] == '/')
		len--;
	if (len == 0)
		return xstrdup(".");
	for (slash = s + len; slash > s && slash[-1] != '/'; slash--)
		;
	return xstrndup(slash, len - (size_t)(slash - s));
}

static char *dirname_of(const char *s)
{
	size_t len = strlen(s);

	while (len > 1 && s[len - 1] == '/')
		len--;
	while (len > 0 && s[len - 1] != '/')
		len--;
	while (len > 1 && s[len - 1] == '/')
		len--;
	if (len == 0)
		return xstrdup(".");
	return xstrndup(s, len);
}

/* #{s/RE/WITH/:x}: every match of the extended regular expression, as sed's
 * s///g takes them: an empty match right where the previous match ended is
 * not one. After an empty match the scan steps over a whole character, so
 * the replacement never lands inside a UTF-8 sequence. */
static char *substitute(const char *s, const char *re, const char *with)
{
	regex_t r;
	regmatch_t m;
	struct buf b;
	const char *p = s;
	int after_match = 0;
	uint32_t cp;

	if (*s == '\0' || regcomp(&r, re, REG_EXTENDED) != 0)
		return xstrdup(s);
	buf_init(&b);
	while (regexec(&r, p, 1, &m, p == s ? 0 : REG_NOTBOL) == 0) {
		const char *at = p + m.rm_eo;
		int empty = m.rm_eo == m.rm_so;
		if (!empty || m.rm_so != 0 || !after_match) {
			buf_add(&b, p, (size_t)m.rm_so);
			buf_add(&b, with, strlen(with));
		}
		after_match = !empty;
		p = at;
		if (empty) {
			if (*at == '\0')
				break;
			size_t step = utf8_decode((const uint8_t *)at, strlen(at), &cp);
			buf_add(&b, at, step);
			p = at + step;
		}
	}
	buf_add(&b, p, strlen(p));
	buf_add_u8(&b, '\0');
	regfree(&r);
	return (char *)b.data;
}

static char *expand_str(const char *s, const struct format_ctx *ctx, int depth)
{
	return expand(s, strlen(s), ctx, depth);
}

/* The value of one variable, or of an expression if it is not a name. */
static char *value_of(const char *name, const struct format_ctx *ctx, int depth)
{
	char *v = lookup(ctx, name);

	return v != NULL ? v : xstrdup("");
}

/* A comparison or logic operator at the start of BODY ("==:" ...). */
static int binary_op(const char *body, size_t *oplen)
{
	static const char *const ops[] = { "||:", "&&:", "==:", "!=:", "<=:", ">=:", "<:", ">:" };

	for (int i = 0; i < 8; i++) {
		size_t n = strlen(ops[i]);
		if (strncmp(body, ops[i], n) == 0) {
			*oplen = n;
			return i;
		}
	}
	return -1;
}

/* #{?cond,a,b}: in tmux 3.3a everything after the second comma is b. */
static char *conditional(const char *body, size_t len, const struct format_ctx *ctx, int depth)
{
	size_t c = skip_to(body, len, ',');
	char *cond, *found;
	int yes;

	if (c == len)
		return xstrdup("");
	cond = xstrndup(body, c);
	found = lookup(ctx, cond);
	if (found == NULL) {
		/* Not a variable: expand it; no effect means false. */
		found = expand_str(cond, ctx, depth);
		if (strcmp(found, cond) == 0) {
			free(found);
			found = xstrdup("");
		}
	}
	yes = format_true(found);
	free(found);
	free(cond);
	body += c + 1;
	len -= c + 1;
	size_t v = skip_to(body, len, ',');
	if (yes)
		return expand(body, v, ctx, depth);
	if (v == len)
		return xstrdup("");
	return expand(body + v + 1, len - v - 1, ctx, depth);
}

/* The inside of one #{...}. */
static char *replace(const char *body, size_t len, const struct format_ctx *ctx, int depth)
{
	char *copy = xstrndup(body, len), *out = NULL, *value;
	size_t oplen;
	int op;

	if (len > 0 && copy[0] == '?') {
		out = conditional(copy + 1, len - 1, ctx, depth);
		goto done;
	}
	if ((op = binary_op(copy, &oplen)) >= 0) {
		const char *rest = copy + oplen;
		size_t rlen = len - oplen, c = skip_to(rest, rlen, ',');
		char *a = expand(rest, c, ctx, depth);
		char *b = c < rlen ? expand(rest + c + 1, rlen - c - 1, ctx, depth) : xstrdup("");
		int r = 0, cmp = strcmp(a, b);
		switch (op) {
		case 0: r = format_true(a) || format_true(b); break;
		case 1: r = format_true(a) && format_true(b); break;
		case 2: r = cmp == 0; break;
		case 3: r = cmp != 0; break;
		case 4: r = cmp <= 0; break;
		case 5: r = cmp >= 0; break;
		case 6: r = cmp < 0; break;
		case 7: r = cmp > 0; break;
		}
		free(a);
		free(b);
		out = xstrdup(r ? "1" : "0");
		goto done;
	}
	if (strncmp(copy, "m:", 2) == 0) {
		const char *rest = copy + 2;
		size_t rlen = len - 2, c = skip_to(rest, rlen, ',');
		char *pattern = expand(rest, c, ctx, depth);
		char *s = c < rlen ? expand(rest + c + 1, rlen - c - 1, ctx, depth) : xstrdup("");
		out = xstrdup(fnmatch(pattern, s, 0) == 0 ? "1" : "0");
		free(pattern);
		free(s);
		goto done;
	}

	/* Modifiers "m1;m2:" before the variable. */
	int trim_n = 0, pad = 0;
	int literal = 0, base = 0, dir = 0, length = 0, width = 0;
	char *sub_re = NULL, *sub_with = NULL;
	char *name = copy;
	char *colon = NULL;
	size_t first = strcspn(copy, ":,#{}");
	if (copy[first] == ':')
		colon = copy + first;
	if (colon != NULL) {
		*colon = '\0';
		name = colon + 1;
		for (char *m = strtok(copy, ";"); m != NULL; m = strtok(NULL, ";")) {
			if (m[0] == '=')
				trim_n = modifier_number(m + 1);
			else if (m[0] == 'p')
				pad = modifier_number(m + 1);
			else if (strcmp(m, "l") == 0)
				literal = 1;
			else if (strcmp(m, "b") == 0)
				base = 1;
			else if (strcmp(m, "d") == 0)
				dir = 1;
			else if (strcmp(m, "n") == 0)
				length = 1;
			else if (strcmp(m, "w") == 0)
				width = 1;
			else if (m[0] == 's' && m[1] != '\0') {
				/* s/re/with/ with any separator character. */
				char sep = m[1], *p1 = strchr(m + 2, sep);
				char *p2 = p1 != NULL ? strchr(p1 + 1, sep) : NULL;
				if (p2 != NULL) {
					free(sub_re);
					free(sub_with);
					sub_re = xstrndup(m + 2, (size_t)(p1 - (m + 2)));
					sub_with = xstrndup(p1 + 1, (size_t)(p2 - (p1 + 1)));
				}
			}
		}
	}
	if (literal)
		value = xstrdup(name);
	else if (strstr(name, "#{") != NULL || strchr(name, '#') != NULL)
		value = expand_str(name, ctx, depth);
	else
		value = value_of(name, ctx, depth);
	if (sub_re != NULL) {
		char *v = substitute(value, sub_re, sub_with);
		free(value);
		value = v;
	}
	/* An unknown variable stays empty whatever the modifiers. */
	if ((base || dir) && *value != '\0') {
		char *v = base ? basename_of(value) : dirname_of(value);
		free(value);
		value = v;
	}
	if (trim_n != 0) {
		char *v = trim(value, trim_n);
		free(value);
		value = v;
	}
	if (length || width) {
		char *v = xasprintf("%u", length ? (unsigned)strlen(value) : width_of(value));
		free(value);
		value = v;
	}
	if (pad != 0) {
		unsigned w = width_of(value), want = (unsigned)(pad < 0 ? -pad : pad);
		if (want > 10000)
			want = 10000;
		if (w < want) {
			char *spaces = xmalloc(want - w + 1);
			memset(spaces, ' ', want - w);
			spaces[want - w] = '\0';
			char *v = pad > 0 ? xasprintf("%s%s", value, spaces) : xasprintf("%s%s", spaces, value);
			free(spaces);
			free(value);
			value = v;
		}
	}
	free(sub_re);
	free(sub_with);
	out = value;
done:
	free(copy);
	return out;
}

static const struct {
	char c;
	const char *name;
} aliases[] = {
	{ 'D', "pane_id" }, { 'F', "window_flags" }, { 'H', "host" }, { 'I', "window_index" },
	{ 'P', "pane_index" }, { 'S', "session_name" }, { 'T', "pane_title" },
	{ 'W', "window_name" }, { 'h', "host_short" },
};

static char *expand(const char *fmt, size_t len, const struct format_ctx *ctx, int depth)
{
	struct buf b;

	buf_init(&b);
	if (depth >= FORMAT_MAX_DEPTH)
		goto out;
	for (size_t i = 0; i < len; i++) {
		char c = fmt[i];
		if (c != '#' || i + 1 == len) {
			buf_add_u8(&b, (uint8_t)c);
			continue;
		}
		c = fmt[++i];
		if (c == '#' || c == ',' || c == '}') {
			buf_add_u8(&b, (uint8_t)c);
			continue;
		}
		if (c == '{') {
			long end = find_close(fmt + i + 1, len - i - 1);
			if (end < 0) {
				/* Unterminated: the rest is dropped, as tmux does. */
				break;
			}
			char *v = replace(fmt + i + 1, (size_t)end, ctx, depth + 1);
			buf_add(&b, v, strlen(v));
			free(v);
			i += (size_t)end + 1;
			continue;
		}
		int found = 0;
		for (size_t a = 0; a < sizeof aliases / sizeof aliases[0]; a++) {
			if (aliases[a].c == c) {
				char *v = value_of(aliases[a].name, ctx, depth);
				buf_add(&b, v, strlen(v));
				free(v);
				found = 1;
				break;
			}
		}
		if (!found) {
			/* "#[" styles and unknown "#x" stay for later stages. */
			buf_add_u8(&b, '#');
			buf_add_u8(&b, (uint8_t)c);
		}
	}
out:
	buf_add_u8(&b, '\0');
	return (char *)b.data;
}

char *format_expand(const char *fmt, const struct format_ctx *ctx)
{
	return expand(fmt, strlen(fmt), ctx, 0);
}

char *format_expand_time(const char *fmt, const struct format_ctx *ctx, time_t t)
{
	struct tm tm;
	size_t cap = strlen(fmt) * 4 + 256, n;
	char *buf, *out;

	if (*fmt == '\0' || strchr(fmt, '%') == NULL)
		return format_expand(fmt, ctx);
	localtime_r(&t, &tm);
	for (;;) {
		buf = xmalloc(cap);
		/* The template is the user's status string, as in tmux. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		n = strftime(buf, cap, fmt, &tm);
#pragma GCC diagnostic pop
		if (n != 0 || cap > 65536)
			break;
		free(buf);
		cap *= 4;
	}
	if (n == 0)
		buf[0] = '\0';
	out = format_expand(buf, ctx);
	free(buf);
	return out;
}
