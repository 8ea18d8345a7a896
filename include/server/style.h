/* style.h — tmux style strings ("fg=red,bg=colour236,bold,noitalics",
 * "default", "align=right", "list=focus", "push-default" ...) applied to a
 * pen, and the inline #[style] markers of expanded formats (status line,
 * messages). Parsing is of user text: errors are returned, never fatal. */
#ifndef RMUX_SERVER_STYLE_H
#define RMUX_SERVER_STYLE_H

#include <stddef.h>

#include "term/cell.h"

#define STYLE_ALIGN_DEFAULT 0
#define STYLE_ALIGN_LEFT 1
#define STYLE_ALIGN_CENTRE 2
#define STYLE_ALIGN_RIGHT 3
#define STYLE_ALIGN_ABSOLUTE_CENTRE 4

#define STYLE_LIST_OFF 0
#define STYLE_LIST_ON 1
#define STYLE_LIST_FOCUS 2
#define STYLE_LIST_LEFT_MARKER 3
#define STYLE_LIST_RIGHT_MARKER 4

#define STYLE_DEFAULT_BASE 0
#define STYLE_DEFAULT_PUSH 1
#define STYLE_DEFAULT_POP 2

struct style {
	struct pen pen;
	int align;        /* STYLE_ALIGN_* */
	int list;         /* STYLE_LIST_* */
	int default_type; /* STYLE_DEFAULT_*: push-default / pop-default seen */
	int fill;         /* fill= given */
	uint32_t fill_colour;
};

/* A style with BASE's pen (NULL: the terminal's default) and nothing else. */
void style_init(struct style *sy, const struct pen *base);
/* Apply the words of S (comma or space separated) on top of SY, as tmux's
 * style_parse: "default" resets colours and attributes to BASE's. Returns
 * 0, or -1 with SY unchanged and *CAUSE = "invalid style: S" (malloc'd;
 * CAUSE may be NULL). */
int style_apply(struct style *sy, const struct pen *base, const char *s, char **cause);
/* The pen S gives on top of BASE, ignoring errors (a bad word leaves BASE):
 * for option values already checked when set. */
struct pen style_pen(const struct pen *base, const char *s);

/* A run of text with its #[...] markers resolved into cells. */
struct style_cells {
	struct cell *cells;
	unsigned n, cap;
	/* The focus range of a list (list=focus), cells [focus_start,
	 * focus_end), or -1 if none. */
	int focus_start, focus_end;
};
void style_cells_free(struct style_cells *sc);

/* Draw TEXT (an expanded format: UTF-8 with #[style] markers; ## is a
 * literal #) into OUT, starting with pen BASE and with BASE as what
 * "default" means until a push-default. Control characters are dropped;
 * wide characters take their two cells (CELL_WIDE then CELL_WIDE_TAIL);
 * combining marks are dropped. */
void style_draw(struct style_cells *out, const struct pen *base, const char *text);
/* Display width of TEXT without its markers. */
unsigned style_width(const char *text);

#endif
