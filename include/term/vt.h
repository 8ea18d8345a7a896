/* vt.h — a terminal emulator: bytes a program writes in, a screen out.
 * No I/O: the owner reads the pty, feeds vt_input(), then sends
 * screen->replies back to the program and forwards screen->clipboard. */
#ifndef RMUX_TERM_VT_H
#define RMUX_TERM_VT_H

#include <stddef.h>

#include "term/screen.h"

struct vt;

struct vt *vt_create(unsigned cols, unsigned rows, unsigned history_limit);
void vt_free(struct vt *vt);
/* Feed program output. Any byte sequence is accepted; a sequence split
 * across calls is continued. */
void vt_input(struct vt *vt, const void *data, size_t len);
void vt_resize(struct vt *vt, unsigned cols, unsigned rows);
struct screen *vt_screen(struct vt *vt);

#endif
