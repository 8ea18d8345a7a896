/* cmd_parse.c — fuzz harness for the command parser (server/cmd_parse.h):
 * config files and prompt text through cmd_parse_string(), shell-split
 * command lines through cmd_parse_argv(). The first byte picks:
 *   bit 0    argv mode: the rest split at NUL bytes is the argument list
 *   bits 1-3 the first line number (0-7)
 * Checked: every command has at least one word, no word is NULL and argv
 * ends with NULL; line numbers stay within the text; every word quoted by
 * cmd_parse_quote() reads back as that one word; a printed command list
 * reads back as the same words; the words of a parse, given back as an
 * argument list, split into the same commands. $NAME and ~ come from a
 * fixed environment. */
#include "common/util.h"
#include "fuzz.h"
#include "server/cmd_parse.h"

static const char *fuzz_getenv(const char *name, void *arg)
{
	(void)arg;
	if (strcmp(name, "HOME") == 0)
		return "/home/fuzz";
	if (strcmp(name, "X") == 0)
		return "two words";
	if (strcmp(name, "Q") == 0)
		return "\"';\\";
	if (strcmp(name, "EMPTY") == 0)
		return "";
	return NULL;
}

static const struct cmd_parse_opts opts = { fuzz_getenv, NULL, 0 };

static void check_result(const struct cmd_parse_result *r, unsigned first, unsigned last)
{
	for (size_t i = 0; i < r->ncmds; i++) {
		const struct cmd_parse_cmd *c = &r->cmds[i];
		FUZZ_CHECK(c->argc >= 1 && c->argv != NULL);
		for (int j = 0; j < c->argc; j++)
			FUZZ_CHECK(c->argv[j] != NULL);
		FUZZ_CHECK(c->argv[c->argc] == NULL);
		FUZZ_CHECK(c->line >= first && c->line <= last);
		if (i > 0)
			FUZZ_CHECK(c->line >= r->cmds[i - 1].line);
	}
	for (size_t i = 0; i < r->nerrors; i++) {
		FUZZ_CHECK(r->errors[i].message != NULL && r->errors[i].message[0] != '\0');
		FUZZ_CHECK(r->errors[i].line >= first && r->errors[i].line <= last);
	}
}

/* Parse TEXT, which must give no error and one command; its words. */
static struct cmd_parse_result reparse(const char *text)
{
	struct cmd_parse_result r;

	int err = cmd_parse_string(text, strlen(text), &opts, &r);
	if (err != 0 || r.ncmds > 1)
		fprintf(stderr, "fuzz: reparse of <%s>: %d, %zu commands\n", text, err, r.ncmds);
	FUZZ_CHECK(err == 0 && r.nerrors == 0 && r.ncmds <= 1);
	return r;
}

static void check_quote(const char *word)
{
	char *q = cmd_parse_quote(word);
	struct cmd_parse_result r = reparse(q);

	if (r.ncmds != 1 || r.cmds[0].argc != 1 || strcmp(r.cmds[0].argv[0], word) != 0)
		fprintf(stderr, "fuzz: <%s> quoted as <%s> reads back otherwise\n", word, q);
	FUZZ_CHECK(r.ncmds == 1 && r.cmds[0].argc == 1);
	FUZZ_CHECK(strcmp(r.cmds[0].argv[0], word) == 0);
	cmd_parse_result_free(&r);
	free(q);
}

/* The words of R with ";" between commands, as an argument list. */
static char **flatten(const struct cmd_parse_result *r, int *argc)
{
	size_t n = 0;

	for (size_t i = 0; i < r->ncmds; i++)
		n += (size_t)r->cmds[i].argc + 1;
	char **argv = calloc(n + 1, sizeof *argv);
	FUZZ_CHECK(argv != NULL);
	n = 0;
	for (size_t i = 0; i < r->ncmds; i++) {
		if (i > 0)
			argv[n++] = (char *)";";
		for (int j = 0; j < r->cmds[i].argc; j++)
			argv[n++] = r->cmds[i].argv[j];
	}
	*argc = (int)n;
	return argv;
}

static int same_commands(const struct cmd_parse_result *a, const struct cmd_parse_result *b)
{
	if (a->ncmds != b->ncmds)
		return 0;
	for (size_t i = 0; i < a->ncmds; i++) {
		if (a->cmds[i].argc != b->cmds[i].argc)
			return 0;
		for (int j = 0; j < a->cmds[i].argc; j++) {
			if (strcmp(a->cmds[i].argv[j], b->cmds[i].argv[j]) != 0)
				return 0;
		}
	}
	return 1;
}

static void check_round_trips(const struct cmd_parse_result *r)
{
	int simple = 1, argc;
	size_t words = 0;

	for (size_t i = 0; i < r->ncmds; i++) {
		for (int j = 0; j < r->cmds[i].argc; j++) {
			const char *w = r->cmds[i].argv[j];
			size_t len = strlen(w);
			/* A word ending in ';' is a separator to cmd_parse_argv(). */
			if (len > 0 && w[len - 1] == ';')
				simple = 0;
			if (words++ < 64)
				check_quote(w);
		}
	}
	if (r->ncmds == 0)
		return;

	/* Printed: commands joined by a literal ";" word, all on one line. */
	char *text = cmd_parse_print(r);
	struct cmd_parse_result back = reparse(text);
	char **flat = flatten(r, &argc);
	FUZZ_CHECK(back.ncmds == 1 && back.cmds[0].argc == argc);
	for (int i = 0; i < argc; i++)
		FUZZ_CHECK(strcmp(back.cmds[0].argv[i], flat[i]) == 0);
	cmd_parse_result_free(&back);
	free(text);

	if (simple) {
		struct cmd_parse_result split;
		FUZZ_CHECK(cmd_parse_argv(argc, flat, &split) == 0);
		FUZZ_CHECK(same_commands(r, &split));
		cmd_parse_result_free(&split);
	}
	free(flat);
}

static void run_argv(const uint8_t *data, size_t size)
{
	size_t n = 1;
	for (size_t i = 0; i < size; i++)
		n += data[i] == '\0';
	char *copy = malloc(size + 1);
	char **argv = calloc(n + 1, sizeof *argv);
	FUZZ_CHECK(copy != NULL && argv != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	int argc = 0;
	for (char *p = copy; argc < (int)n; p += strlen(p) + 1)
		argv[argc++] = p;

	struct cmd_parse_result r;
	int err = cmd_parse_argv(argc, argv, &r);
	FUZZ_CHECK(err == 0);
	check_result(&r, 1, 1);
	FUZZ_CHECK(r.nerrors == 0);
	/* Separators take words away, nothing adds any. */
	size_t words = 0;
	for (size_t i = 0; i < r.ncmds; i++)
		words += (size_t)r.cmds[i].argc;
	FUZZ_CHECK(words <= (size_t)argc);
	cmd_parse_result_free(&r);
	free(argv);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	uint8_t h = data[0];
	data++, size--;
	if (h & 1) {
		run_argv(data, size);
		return 0;
	}

	struct cmd_parse_opts o = opts;
	o.first_line = (h >> 1) & 7;
	unsigned first = o.first_line ? o.first_line : 1;
	unsigned last = first;
	for (size_t i = 0; i < size; i++)
		last += data[i] == '\n';

	struct cmd_parse_result r;
	int err = cmd_parse_string((const char *)data, size, &o, &r);
	FUZZ_CHECK(err == 0 || err == RMUX_ERR_MALFORMED);
	FUZZ_CHECK((err == RMUX_ERR_MALFORMED) == (r.nerrors != 0));
	check_result(&r, first, last);
	check_round_trips(&r);
	cmd_parse_result_free(&r);
	return 0;
}
