/* options.c — fuzz harness for option values (server/options.h): what
 * set-option, a config file or a client can ask for. The input is a list
 * of records:
 *   flags byte   bit 0 the local (child) set instead of the global one,
 *                bit 1 -a, bit 2 -o, bit 3 a toggle (no value),
 *                bit 4 -u instead of a set, bit 5 the name is text
 *   name         a table index byte, or text up to a NUL (bit 5)
 *   value        text up to a NUL
 * Checked: a refused value comes with a cause, an accepted one without;
 * an accepted value prints (show-options -v) as text that set-option
 * takes back to the same printed value, in a fresh set; colours print as
 * names that parse back to the same colour. */
#include "fuzz.h"
#include "server/options.h"

static void check_colour(const char *s)
{
	char buf[64];
	int64_t c = options_colour_parse(s);

	if (c < 0)
		return;
	const char *name = options_colour_name(c, buf, sizeof buf);
	FUZZ_CHECK(name != NULL);
	FUZZ_CHECK(options_colour_parse(name) == c);
	options_colour_to_cell(c);
}

/* The printed value of NAME in OO sets to itself in a fresh set. */
static void check_round_trip(struct options *global, const char *name)
{
	struct options *fresh = options_create(global);
	char *cause = NULL;
	char *printed = options_to_string(global, name);

	FUZZ_CHECK(printed != NULL);
	if (options_set(fresh, name, printed, 0, 0, &cause) != 0) {
		fprintf(stderr, "fuzz: %s printed as <%s> is refused: %s\n", name, printed, cause);
		FUZZ_CHECK(0);
	}
	FUZZ_CHECK(cause == NULL);
	char *again = options_to_string(fresh, name);
	FUZZ_CHECK(again != NULL);
	if (strcmp(again, printed) != 0) {
		fprintf(stderr, "fuzz: %s: <%s> sets to <%s>\n", name, printed, again);
		FUZZ_CHECK(0);
	}
	FUZZ_CHECK(options_is_local(fresh, name));
	free(again);
	free(printed);
	options_free(fresh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned count;
	const struct options_entry *table = options_table(&count);
	struct options *global = options_create(NULL);
	options_set_defaults(global, OPTION_SCOPE_SERVER | OPTION_SCOPE_SESSION |
	    OPTION_SCOPE_WINDOW | OPTION_SCOPE_PANE);
	struct options *local = options_create(global);

	FUZZ_CHECK(count > 0);
	while (in.left > 0) {
		uint8_t f = fuzz_u8(&in);
		struct options *oo = (f & 1) ? local : global;
		char *name = (f & 0x20) ? fuzz_string(&in, '\0') : strdup(table[fuzz_u8(&in) % count].name);
		char *value = (f & 8) ? NULL : fuzz_string(&in, '\0');
		char *cause = NULL;
		int err;

		FUZZ_CHECK(name != NULL);
		if (f & 0x10)
			err = options_unset(oo, name, &cause);
		else
			err = options_set(oo, name, value, (f >> 1) & 1, (f >> 2) & 1, &cause);
		FUZZ_CHECK(err == 0 || err == -1);
		if (err != 0) {
			FUZZ_CHECK(cause != NULL && cause[0] != '\0');
			free(cause);
		} else {
			FUZZ_CHECK(cause == NULL);
		}
		if (value != NULL) {
			check_colour(value);
			options_style_valid(value);
		}

		const char *why;
		const struct options_entry *e = name[0] == '@' ? NULL : options_table_find(name, &why);
		const char *full = e != NULL ? e->name : name;
		if (err == 0 && !(f & 0x10) && (e != NULL || name[0] == '@')) {
			char *shown = options_show_one(oo, full, 0, &cause);
			FUZZ_CHECK(shown != NULL && cause == NULL);
			free(shown);
			if (oo == global)
				check_round_trip(global, full);
		}
		free(value);
		free(name);
	}
	char *all = options_show_all(local, OPTION_SCOPE_WINDOW | OPTION_SCOPE_PANE,
	    OPTIONS_SHOW_INHERITED);
	FUZZ_CHECK(all != NULL);
	free(all);
	all = options_show_all(global, 0xf, 0);
	FUZZ_CHECK(all != NULL);
	free(all);
	options_free(local);
	options_free(global);
	return 0;
}
