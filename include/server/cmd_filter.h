/* cmd_filter.h — the -f filter of list-sessions, list-windows and
 * list-panes: a format expanded for each row; the row is listed unless it
 * expands to "" or "0" (tmux's rule). */
#ifndef RMUX_SERVER_CMD_FILTER_H
#define RMUX_SERVER_CMD_FILTER_H

#include <stdlib.h>

#include "server/cmd.h"
#include "server/format.h"

/* Whether the row of S, W and P passes FILTER (NULL: every row does). */
static inline int cmd_filter(const char *filter, struct session *s, struct window *w,
    struct pane *p)
{
	char *v;
	int keep;

	if (filter == NULL)
		return 1;
	v = cmd_format(filter, s, w, p);
	keep = format_true(v);
	free(v);
	return keep;
}

#endif
