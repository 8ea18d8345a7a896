/* cmd_parse.c — tmux's command syntax (see cmd_parse.h). A hand-written
 * lexer over untrusted text: every allocation is checked, every error is
 * a message attached to a line, and the parser resynchronises at the next
 * line so that one bad line of a config file costs only that line. */
#include "server/cmd_parse.h"

#include <ctype.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"

/* Longest $NAME or ~user considered. */
#define CMD_PARSE_MAX_NAME 1024

/* A growable string whose failures latch instead of aborting. */
struct sbuf {
	char *p;
	size_t len, cap;
	int err;
};

static void sbuf_add(struct sbuf *s, const char *data, size_t len)
{
	if (s->err != 0)
		return;
	if (s->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 32;
		while (cap < s->len + len + 1)
			cap *= 2;
		if (cap > CMD_PARSE_MAX_INPUT * 2) {
			s->err = RMUX_ERR_TOO_BIG;
			return;
		}
		char *p = realloc(s->p, cap);
		if (p == NULL) {
			s->err = RMUX_ERR_NOMEM;
			return;
		}
		s->p = p;
		s->cap = cap;
	}
	memcpy(s->p + s->len, data, len);
	s->len += len;
	s->p[s->len] = '\0';
}

static void sbuf_addc(struct sbuf *s, char c)
{
	sbuf_add(s, &c, 1);
}

static void sbuf_adds(struct sbuf *s, const char *str)
{
	sbuf_add(s, str, strlen(str));
}

/* Take the string out of S (an empty string if nothing was added). */
static char *sbuf_take(struct sbuf *s)
{
	char *p;

	if (s->err == 0 && s->p == NULL)
		sbuf_add(s, "", 0);
	p = s->p;
	s->p = NULL;
	s->len = s->cap = 0;
	return p;
}

/* Results ---------------------------------------------------------------- */

static void free_argv(int argc, char **argv)
{
	if (argv == NULL)
		return;
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

void cmd_parse_result_free(struct cmd_parse_result *r)
{
	for (size_t i = 0; i < r->ncmds; i++)
		free_argv(r->cmds[i].argc, r->cmds[i].argv);
	free(r->cmds);
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i].message);
	free(r->errors);
	memset(r, 0, sizeof *r);
}

/* A command being built: words so far. */
struct words {
	char **argv;
	int argc;
	unsigned line;
};

static int words_add(struct words *w, char *word)
{
	if (word == NULL)
		return RMUX_ERR_NOMEM;
	if (w->argc >= CMD_PARSE_MAX_ARGS) {
		free(word);
		return RMUX_ERR_TOO_BIG;
	}
	char **argv = realloc(w->argv, ((size_t)w->argc + 2) * sizeof *argv);
	if (argv == NULL) {
		free(word);
		return RMUX_ERR_NOMEM;
	}
	argv[w->argc++] = word;
	argv[w->argc] = NULL;
	w->argv = argv;
	return 0;
}

static void words_clear(struct words *w)
{
	free_argv(w->argc, w->argv);
	w->argv = NULL;
	w->argc = 0;
}

/* Move W (if it has words) to the end of R. */
static int result_add(struct cmd_parse_result *r, struct words *w)
{
	if (w->argc == 0)
		return 0;
	if (r->ncmds >= CMD_PARSE_MAX_ARGS * 16)
		return RMUX_ERR_TOO_BIG;
	struct cmd_parse_cmd *cmds = realloc(r->cmds, (r->ncmds + 1) * sizeof *cmds);
	if (cmds == NULL)
		return RMUX_ERR_NOMEM;
	r->cmds = cmds;
	r->cmds[r->ncmds].argc = w->argc;
	r->cmds[r->ncmds].argv = w->argv;
	r->cmds[r->ncmds].line = w->line;
	r->ncmds++;
	w->argv = NULL;
	w->argc = 0;
	return 0;
}

static int result_error(struct cmd_parse_result *r, unsigned line, const char *msg)
{
	struct cmd_parse_error *e = realloc(r->errors, (r->nerrors + 1) * sizeof *e);
	char *m = strdup(msg);

	if (e != NULL)
		r->errors = e;
	if (e == NULL || m == NULL) {
		free(m);
		return RMUX_ERR_NOMEM;
	}
	r->errors[r->nerrors].line = line;
	r->errors[r->nerrors].message = m;
	r->nerrors++;
	return 0;
}

/* The lexer -------------------------------------------------------------- */

#define CP_EOF (-1)

struct lexer {
	const unsigned char *p, *end;
	unsigned line;
	unsigned escapes; /* backslashes read but not yet returned */
	int pushed;       /* one character of lookahead, or CP_EOF - 1 */
	const struct cmd_parse_opts *opts;
	const char *error; /* set on the first error of the line */
};

#define CP_NONE (CP_EOF - 1)

static int raw_getc(struct lexer *lx)
{
	if (lx->p >= lx->end)
		return CP_EOF;
	return *lx->p++;
}

/* The next character with backslash-newline removed: a run of backslashes
 * of odd length before a newline loses one backslash and the newline (so
 * continuation works inside quotes too); an even run is only escaped
 * backslashes. */
static int lex_getc(struct lexer *lx)
{
	int ch;

	if (lx->pushed != CP_NONE) {
		ch = lx->pushed;
		lx->pushed = CP_NONE;
		return ch;
	}
	if (lx->escapes != 0) {
		lx->escapes--;
		return '\\';
	}
	for (;;) {
		unsigned run = 0;
		while ((ch = raw_getc(lx)) == '\\')
			run++;
		if (run == 0)
			return ch;
		if (ch == '\n' && run % 2 == 1) {
			lx->line++;
			run--;
			if (run == 0)
				continue;
		} else if (ch != CP_EOF)
			lx->p--;
		lx->escapes = run - 1;
		return '\\';
	}
}

static void lex_ungetc(struct lexer *lx, int ch)
{
	lx->pushed = ch;
}

static const char *lookup_env(struct lexer *lx, const char *name)
{
	if (lx->opts != NULL && lx->opts->getenv != NULL)
		return lx->opts->getenv(name, lx->opts->arg);
	return getenv(name);
}

static void add_utf8(struct sbuf *s, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sbuf_add(s, b, n);
}

/* After a backslash outside single quotes. Returns 0, 1 if the input
 * ended, or -1 with lx->error set. */
static int lex_escape(struct lexer *lx, struct sbuf *s)
{
	int ch = lex_getc(lx), o2, o3;
	unsigned size = 0;

	switch (ch) {
	case CP_EOF:
		return 1;
	case '4': case '5': case '6': case '7':
		lx->error = "invalid octal escape";
		return -1;
	case '0': case '1': case '2': case '3':
		o2 = lex_getc(lx);
		o3 = o2 >= '0' && o2 <= '7' ? lex_getc(lx) : CP_EOF;
		if (o2 < '0' || o2 > '7' || o3 < '0' || o3 > '7') {
			lx->error = "invalid octal escape";
			return -1;
		}
		sbuf_addc(s, (char)(((ch - '0') << 6) | ((o2 - '0') << 3) | (o3 - '0')));
		return 0;
	case 'a': sbuf_addc(s, '\a'); return 0;
	case 'b': sbuf_addc(s, '\b'); return 0;
	case 'e': sbuf_addc(s, '\033'); return 0;
	case 'f': sbuf_addc(s, '\f'); return 0;
	case 's': sbuf_addc(s, ' '); return 0;
	case 'v': sbuf_addc(s, '\v'); return 0;
	case 'r': sbuf_addc(s, '\r'); return 0;
	case 'n': sbuf_addc(s, '\n'); return 0;
	case 't': sbuf_addc(s, '\t'); return 0;
	case 'u': size = 4; break;
	case 'U': size = 8; break;
	case '\n':
		lx->line++;
		sbuf_addc(s, '\n');
		return 0;
	default:
		sbuf_addc(s, (char)ch);
		return 0;
	}

	uint32_t cp = 0;
	for (unsigned i = 0; i < size; i++) {
		ch = lex_getc(lx);
		if (ch == CP_EOF || !isxdigit(ch)) {
			lx->error = "invalid \\u argument";
			return -1;
		}
		cp = cp << 4 | (uint32_t)(isdigit(ch) ? ch - '0' : tolower(ch) - 'a' + 10);
	}
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		lx->error = "invalid \\u argument";
		return -1;
	}
	add_utf8(s, cp);
	return 0;
}

/* After a '$' outside single quotes: $NAME or ${NAME}. */
static int lex_variable(struct lexer *lx, struct sbuf *s)
{
	char name[CMD_PARSE_MAX_NAME + 1];
	size_t n = 0;
	int ch = lex_getc(lx), brace = 0;
	const char *value;

	if (ch == '{')
		brace = 1;
	else if (ch == CP_EOF || (!isalnum(ch) && ch != '_')) {
		if (ch != CP_EOF)
			lex_ungetc(lx, ch);
		sbuf_addc(s, '$');
		return 0;
	} else
		name[n++] = (char)ch;
	for (;;) {
		ch = lex_getc(lx);
		if (brace && ch == '}')
			break;
		if (ch == CP_EOF || (!isalnum(ch) && ch != '_')) {
			if (brace) {
				lx->error = "invalid environment variable";
				return -1;
			}
			if (ch != CP_EOF)
				lex_ungetc(lx, ch);
			break;
		}
		if (n == CMD_PARSE_MAX_NAME) {
			lx->error = "invalid environment variable";
			return -1;
		}
		name[n++] = (char)ch;
	}
	name[n] = '\0';
	if (n == 0 && brace) {
		lx->error = "invalid environment variable";
		return -1;
	}
	value = lookup_env(lx, name);
	if (value != NULL)
		sbuf_adds(s, value);
	return 0;
}

/* A '~' starting a word: ~ or ~user up to a slash, space or quote. */
static int lex_tilde(struct lexer *lx, struct sbuf *s)
{
	char name[CMD_PARSE_MAX_NAME + 1];
	size_t n = 0;
	int ch;
	const char *home = NULL;
	struct passwd *pw;

	for (;;) {
		ch = lex_getc(lx);
		if (ch == CP_EOF || strchr("/ \t\n\"';", ch) != NULL)
			break;
		if (n == CMD_PARSE_MAX_NAME) {
			lx->error = "syntax error";
			return -1;
		}
		name[n++] = (char)ch;
	}
	if (ch != CP_EOF)
		lex_ungetc(lx, ch);
	name[n] = '\0';
	if (n == 0) {
		home = lookup_env(lx, "HOME");
		if (home == NULL || *home == '\0') {
			pw = getpwuid(getuid());
			home = pw != NULL ? pw->pw_dir : NULL;
		}
	} else {
		pw = getpwnam(name);
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL) {
		lx->error = "syntax error";
		return -1;
	}
	sbuf_adds(s, home);
	return 0;
}

/* One word starting with CH. Returns 0 with *out set, 1 if there was no
 * word after all, or -1 (lx->error, or an allocation failure in *err). */
static int lex_word(struct lexer *lx, int ch, char **out, int *err)
{
	struct sbuf s = { 0 };
	enum { NONE, SINGLE, DOUBLE } state = NONE;
	int start = 1;

	*out = NULL;
	for (;; ch = lex_getc(lx), start = 0) {
		if (ch == CP_EOF) {
			if (state != NONE) {
				lx->error = "unterminated quote";
				goto fail;
			}
			break;
		}
		if (state == NONE && (ch == ' ' || ch == '\t' || ch == '\n' || ch == ';' ||
		    ch == '{' || ch == '}')) {
			lex_ungetc(lx, ch);
			break;
		}
		if (ch == '\n') {
			lx->line++;
			sbuf_addc(&s, '\n');
			continue;
		}
		if (state == SINGLE) {
			if (ch == '\'')
				state = NONE;
			else
				sbuf_addc(&s, (char)ch);
			continue;
		}
		if (ch == '\\') {
			int e = lex_escape(lx, &s);
			if (e < 0)
				goto fail;
			if (e == 1 && start && state == NONE)
				return 1; /* a lone backslash ending the input: no word */
			continue;
		}
		if (ch == '$') {
			if (lex_variable(lx, &s) != 0)
				goto fail;
			continue;
		}
		if (ch == '~' && start && state == NONE) {
			if (lex_tilde(lx, &s) != 0)
				goto fail;
			continue;
		}
		if (ch == '"') {
			state = state == DOUBLE ? NONE : DOUBLE;
			continue;
		}
		if (ch == '\'' && state == NONE) {
			state = SINGLE;
			continue;
		}
		sbuf_addc(&s, (char)ch);
	}
	if (s.err != 0) {
		*err = s.err;
		free(s.p);
		return -1;
	}
	*out = sbuf_take(&s);
	if (*out == NULL) {
		*err = RMUX_ERR_NOMEM;
		return -1;
	}
	return 0;
fail:
	if (s.err != 0)
		*err = s.err;
	free(s.p);
	return -1;
}

/* Drop what is left of the current line after an error. */
static void skip_line(struct lexer *lx)
{
	int ch;

	do
		ch = lex_getc(lx);
	while (ch != CP_EOF && ch != '\n');
	if (ch == '\n')
		lx->line++;
}

int cmd_parse_string(const char *text, size_t len, const struct cmd_parse_opts *o,
    struct cmd_parse_result *r)
{
	struct lexer lx;
	struct cmd_parse_result line_cmds = { 0 };
	struct words w = { 0 };
	int ch, err = 0, ret = 0;
	char *word;

	memset(r, 0, sizeof *r);
	if (len > CMD_PARSE_MAX_INPUT)
		return RMUX_ERR_TOO_BIG;
	memset(&lx, 0, sizeof lx);
	lx.p = (const unsigned char *)text;
	lx.end = lx.p + len;
	lx.line = (o != NULL && o->first_line != 0) ? o->first_line : 1;
	lx.pushed = CP_NONE;
	lx.opts = o;

	for (;;) {
		ch = lex_getc(&lx);
		if (ch == ' ' || ch == '\t')
			continue;
		if (ch == CP_EOF || ch == '\n' || ch == ';') {
			if ((err = result_add(&line_cmds, &w)) != 0)
				goto out;
			if (ch == ';')
				continue;
			/* A complete line: its commands join the result. */
			for (size_t i = 0; i < line_cmds.ncmds; i++) {
				struct words moved = { line_cmds.cmds[i].argv, line_cmds.cmds[i].argc,
					line_cmds.cmds[i].line };
				line_cmds.cmds[i].argv = NULL;
				line_cmds.cmds[i].argc = 0;
				if ((err = result_add(r, &moved)) != 0) {
					words_clear(&moved);
					goto out;
				}
			}
			line_cmds.ncmds = 0;
			if (ch == CP_EOF)
				break;
			lx.line++;
			continue;
		}
		if (ch == '#') {
			do
				ch = lex_getc(&lx);
			while (ch != CP_EOF && ch != '\n');
			lex_ungetc(&lx, ch);
			continue;
		}
		if (ch == '{' || ch == '}') {
			lx.error = "syntax error";
		} else {
			if (w.argc == 0)
				w.line = lx.line;
			int got = lex_word(&lx, ch, &word, &err);
			if (got == 1)
				continue;
			if (got == 0) {
				if ((err = words_add(&w, word)) != 0)
					goto out;
				continue;
			}
			if (err != 0)
				goto out;
		}
		/* An error: report it and drop this line's commands. */
		if ((err = result_error(r, lx.line, lx.error)) != 0)
			goto out;
		lx.error = NULL;
		words_clear(&w);
		cmd_parse_result_free(&line_cmds);
		skip_line(&lx);
	}
	ret = r->nerrors != 0 ? RMUX_ERR_MALFORMED : 0;
out:
	words_clear(&w);
	cmd_parse_result_free(&line_cmds);
	if (err != 0) {
		cmd_parse_result_free(r);
		return err;
	}
	return ret;
}

int cmd_parse_argv(int argc, char *const *argv, struct cmd_parse_result *r)
{
	struct words w = { 0 };
	int err = 0;

	memset(r, 0, sizeof *r);
	if (argc > CMD_PARSE_MAX_ARGS * 16)
		return RMUX_ERR_TOO_BIG;
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]);
		char *copy = strdup(argv[i]);

		if (copy == NULL) {
			err = RMUX_ERR_NOMEM;
			goto out;
		}
		w.line = 1;
		if (len != 0 && copy[len - 1] == ';') {
			copy[--len] = '\0';
			if (len > 0 && copy[len - 1] == '\\') {
				/* "foo\;" is the word "foo;". */
				copy[len - 1] = ';';
			} else {
				if (len != 0 && (err = words_add(&w, copy)) != 0)
					goto out;
				if (len == 0)
					free(copy);
				if ((err = result_add(r, &w)) != 0)
					goto out;
				continue;
			}
		}
		if ((err = words_add(&w, copy)) != 0)
			goto out;
	}
	err = result_add(r, &w);
out:
	words_clear(&w);
	if (err != 0)
		cmd_parse_result_free(r);
	return err;
}

/* Printing --------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at S, or 0. */
static size_t utf8_valid(const unsigned char *s)
{
	size_t n;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Whether ARG has a byte that prints as a backslash escape: only double
 * quotes (or none) read such an escape back. */
static int quote_needs_escape(const unsigned char *s)
{
	while (*s != '\0') {
		size_t n = *s >= 0x80 ? utf8_valid(s) : 0;
		if (n != 0) {
			s += n;
			continue;
		}
		if (*s == '\\' || *s < 0x20 || *s >= 0x7f)
			return 1;
		s++;
	}
	return 0;
}

char *cmd_parse_quote(const char *arg)
{
	static const char dquoted[] = " #';${}%";
	static const char squoted[] = " \"";
	const unsigned char *s = (const unsigned char *)arg;
	struct sbuf b = { 0 };
	char quote = 0;

	if (*arg == '\0')
		return xstrdup("''");
	if (arg[strcspn(arg, dquoted)] != '\0')
		quote = '"';
	else if (arg[strcspn(arg, squoted)] != '\0')
		quote = quote_needs_escape(s) ? '"' : '\'';
	if (arg[0] != ' ' && arg[1] == '\0' && (quote != 0 || arg[0] == '~'))
		return xasprintf("\\%c", arg[0]);

	if (quote != 0)
		sbuf_addc(&b, quote);
	if (arg[0] == '~' && quote != '\'')
		sbuf_addc(&b, '\\');
	while (*s != '\0') {
		size_t n = *s >= 0x80 ? utf8_valid(s) : 0;
		if (n != 0) {
			sbuf_add(&b, (const char *)s, n);
			s += n;
			continue;
		}
		switch (*s) {
		case '\n': sbuf_adds(&b, "\\n"); break;
		case '\r': sbuf_adds(&b, "\\r"); break;
		case '\t': sbuf_adds(&b, "\\t"); break;
		case '\b': sbuf_adds(&b, "\\b"); break;
		case '\a': sbuf_adds(&b, "\\a"); break;
		case '\v': sbuf_adds(&b, "\\v"); break;
		case '\f': sbuf_adds(&b, "\\f"); break;
		case '\\': sbuf_adds(&b, "\\\\"); break;
		case '"':
			if (quote == '"')
				sbuf_addc(&b, '\\');
			sbuf_addc(&b, (char)*s);
			break;
		case '$':
			/* Only a $ that would expand needs its backslash. */
			if (quote == '"' && (isalnum(s[1]) || s[1] == '_' || s[1] == '{'))
				sbuf_addc(&b, '\\');
			sbuf_addc(&b, (char)*s);
			break;
		default:
			if (*s < 0x20 || *s >= 0x7f) {
				char oct[5] = { '\\', (char)('0' + (*s >> 6)), (char)('0' + ((*s >> 3) & 7)),
					(char)('0' + (*s & 7)), 0 };
				sbuf_adds(&b, oct);
			} else
				sbuf_addc(&b, (char)*s);
		}
		s++;
	}
	if (quote != 0)
		sbuf_addc(&b, quote);
	if (b.err != 0) {
		free(b.p);
		return xstrdup("");
	}
	char *out = sbuf_take(&b);
	return out != NULL ? out : xstrdup("");
}

char *cmd_parse_print(const struct cmd_parse_result *r)
{
	struct sbuf b = { 0 };

	for (size_t i = 0; i < r->ncmds; i++) {
		if (i != 0)
			sbuf_adds(&b, " \\; ");
		for (int j = 0; j < r->cmds[i].argc; j++) {
			char *q = cmd_parse_quote(r->cmds[i].argv[j]);
			if (j != 0)
				sbuf_addc(&b, ' ');
			sbuf_adds(&b, q);
			free(q);
		}
	}
	if (b.err != 0) {
		free(b.p);
		return xstrdup("");
	}
	char *out = sbuf_take(&b);
	return out != NULL ? out : xstrdup("");
}
