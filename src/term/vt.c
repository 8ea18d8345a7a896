/* vt.c — the emulator facade (vt.h): a screen and the parser that drives
 * it. */
#include "term/vt.h"

#include <stdlib.h>

#include "common/xmalloc.h"
#include "term/parser.h"

struct vt {
	struct screen *screen;
	struct parser parser;
};

struct vt *vt_create(unsigned cols, unsigned rows, unsigned history_limit)
{
	struct vt *vt = xcalloc(1, sizeof *vt);

	vt->screen = screen_create(cols, rows, history_limit);
	parser_init(&vt->parser);
	return vt;
}

void vt_free(struct vt *vt)
{
	if (vt == NULL)
		return;
	parser_free(&vt->parser);
	screen_free(vt->screen);
	free(vt);
}

void vt_input(struct vt *vt, const void *data, size_t len)
{
	parser_input(&vt->parser, vt->screen, data, len);
}

void vt_resize(struct vt *vt, unsigned cols, unsigned rows)
{
	screen_resize(vt->screen, cols, rows);
}

struct screen *vt_screen(struct vt *vt)
{
	return vt->screen;
}
