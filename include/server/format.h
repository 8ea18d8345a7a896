/* format.h — tmux's format language: #{variable}, #{?cond,a,b} (nested),
 * #{==:a,b} #{!=:} #{<:} #{>:} #{<=:} #{>=:} #{||:} #{&&:},
 * #{m:pattern,string}, modifiers #{=N:x} #{=-N:x}
 * (trim to N columns from the left / keep the last N), #{pN:x} (pad),
 * #{l:x} (literal), #{b:x} #{d:x} (basename, dirname), #{n:x} #{w:x}
 * (length, width), #{s/re/with/:x}, the escapes ## #, #} and the aliases
 * #S #I #W #P #D #T #H #h #F. #[style] passes through for the renderer.
 * Pure: strings in, a string out; variables come from a callback. */
#ifndef RMUX_SERVER_FORMAT_H
#define RMUX_SERVER_FORMAT_H

#include <time.h>

/* Deepest nesting of #{...} expanded; deeper input expands to nothing. */
#define FORMAT_MAX_DEPTH 32

struct format_ctx {
	/* The value of variable NAME as a string the caller allocated (format
	 * frees it), or NULL if unknown (it expands to nothing). */
	char *(*lookup)(const char *name, void *arg);
	void *arg;
};

/* Expand FMT. Caller frees. */
char *format_expand(const char *fmt, const struct format_ctx *ctx);
/* As status-left and status-right: strftime(3) over FMT at time T (local
 * time) first, then format expansion. Caller frees. */
char *format_expand_time(const char *fmt, const struct format_ctx *ctx, time_t t);
/* True as tmux's conditionals see it: not empty and not "0". */
int format_true(const char *s);

#endif
