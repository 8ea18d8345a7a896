/* options.h — the option table (names, types, scopes, tmux 3.3a defaults
 * plus rmux's own options) and option sets with inheritance: a pane's set
 * falls back to its window's, a window's to the global window set, a
 * session's to the global session set. Values are parsed and printed with
 * tmux's words and error messages, so set-option and show-options behave
 * like tmux's. */
#ifndef RMUX_SERVER_OPTIONS_H
#define RMUX_SERVER_OPTIONS_H

#include <stdint.h>

#define OPTION_STRING 0
#define OPTION_NUMBER 1
#define OPTION_FLAG 2
#define OPTION_CHOICE 3
#define OPTION_KEY 4
#define OPTION_COLOUR 5
#define OPTION_STYLE 6 /* a string checked as a style unless it holds #{ */
/* A list of strings, NAME[INDEX] one by one; the default and a value set
 * without an index are split at spaces and commas. */
#define OPTION_ARRAY 7
#define OPTIONS_ARRAY_LIMIT 65536

/* Scopes, as bits: an entry may be a window option settable on panes. */
#define OPTION_SCOPE_SERVER 0x1
#define OPTION_SCOPE_SESSION 0x2
#define OPTION_SCOPE_WINDOW 0x4
#define OPTION_SCOPE_PANE 0x8

struct options_entry {
	const char *name;
	int type;
	int scope;
	long long minimum, maximum;  /* OPTION_NUMBER */
	const char *const *choices;  /* OPTION_CHOICE, NULL-terminated */
	const char *default_string;  /* STRING, STYLE, ARRAY */
	long long default_number;    /* NUMBER, FLAG, CHOICE index, KEY, COLOUR */
};

/* The table entry for NAME: exact, or a unique prefix; an array's index
 * (NAME[3]) is not part of the name. NULL with *CAUSE
 * set to "invalid option: NAME" or "ambiguous option: NAME" (static
 * buffer) otherwise. User options (@name) have no entry. */
const struct options_entry *options_table_find(const char *name, const char **cause);
/* Every entry, in name order; *COUNT gets the number. */
const struct options_entry *options_table(unsigned *count);

struct options;

/* A set inheriting from PARENT (NULL for a global set). */
struct options *options_create(struct options *parent);
void options_free(struct options *oo);
/* Fill a global set with the defaults of every entry in SCOPE (bits). */
void options_set_defaults(struct options *oo, int scope);
struct options *options_parent(const struct options *oo);

/* set-option: parse VALUE for NAME (full name or prefix, or @user; NAME[I]
 * for one element of an array, which -u then removes) and store it in OO. VALUE NULL toggles a flag or a two-way choice (an error,
 * "empty value", for other types). APPEND (-a) appends to strings. ONLY_IF_UNSET
 * (-o) refuses with "already set: NAME". Returns 0, or -1 with *CAUSE
 * (caller frees) in tmux's words. */
int options_set(struct options *oo, const char *name, const char *value, int append,
    int only_if_unset, char **cause);
/* set-option -u: a local set forgets NAME (it inherits again); a global
 * set goes back to the default (user options disappear). */
int options_unset(struct options *oo, const char *name, char **cause);

/* Lookups by exact name, following parents; for table entries always
 * found in a set chain ending in a defaults-filled global set. */
const char *options_get_string(const struct options *oo, const char *name);
long long options_get_number(const struct options *oo, const char *name);
/* The elements of the array NAME (the nearest set in the chain holding it)
 * in index order, as a NULL-ended list pointing into the set: free the
 * list only, before the option changes. */
const char **options_get_array(const struct options *oo, const char *name);
/* Whether OO itself (not a parent) holds NAME. */
int options_is_local(const struct options *oo, const char *name);

/* The value as show-options -v prints it (caller frees); NULL if NAME is
 * not set anywhere in the chain. */
char *options_to_string(const struct options *oo, const char *name);

/* show-options output. One option: "name value" with the value quoted as
 * tmux does, "name* value" when INHERITED (-A) came from a parent, only
 * the value when VALUE_ONLY (-v). Returns NULL with *CAUSE if NAME is
 * unknown or unset. */
#define OPTIONS_SHOW_VALUE_ONLY 0x1
#define OPTIONS_SHOW_INHERITED 0x2 /* -A: include values from parents */
char *options_show_one(const struct options *oo, const char *name, int flags, char **cause);
/* Every option of OO (and with OPTIONS_SHOW_INHERITED its parents') whose
 * scope intersects SCOPE, one line each, sorted by name; user options
 * last. Caller frees. */
char *options_show_all(const struct options *oo, int scope, int flags);

/* Colours as tmux parses and prints them ("red" and "colour1" stay
 * distinct): 0-7 the basic colours, 8 default, 9 terminal, 90-97 bright,
 * OPTIONS_COLOUR_256 | N, OPTIONS_COLOUR_RGB | 0xRRGGBB; -1 if invalid. */
#define OPTIONS_COLOUR_DEFAULT 8
#define OPTIONS_COLOUR_TERMINAL 9
#define OPTIONS_COLOUR_256 0x100
#define OPTIONS_COLOUR_RGB 0x1000000
int64_t options_colour_parse(const char *s);
const char *options_colour_name(int64_t colour, char *buf, unsigned size);
/* The same colour as a term/cell.h COLOUR_* value (bright N is palette
 * N - 90 + 8). */
uint32_t options_colour_to_cell(int64_t colour);
/* 0 if S is a valid style (fg=, bg=, us=, attributes, align= ...). */
int options_style_valid(const char *s);

#endif
