/* pane.h — one pane: a program on a pty and the emulator that reads it. */
#ifndef RMUX_SERVER_PANE_H
#define RMUX_SERVER_PANE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "common/buf.h"
#include "server/pty.h"

/* Most bytes read from one pane per loop turn: a flooding pane must not
 * starve the others or the control socket. */
#define PANE_READ_SLICE (64u * 1024)
/* Most bytes read from a pane whose program has gone, before closing. */
#define PANE_DRAIN_MAX (1024u * 1024)

#define PANE_F_EXITED 0x1u /* the child was reaped */
#define PANE_F_EOF 0x2u    /* the pty gave EOF or an error */
#define PANE_F_DEAD_SHOWN 0x4u /* remain-on-exit kept it: "Pane is dead" */

/* Longest OSC 52 selection name kept ("c", "p", "s0", "cp" ...). */
#define PANE_CLIP_SEL_MAX 16

struct window;
struct event;
struct copy_mode;
struct options;

struct pane {
	int id;                 /* the N of %N */
	struct window *window;
	int fd;
	pid_t pid;
	int status;             /* wait status once PANE_F_EXITED */
	char tty[PTY_NAME_MAX];
	struct vt *vt;
	unsigned sx, sy, xoff, yoff;
	unsigned flags;
	uint64_t used;          /* last time selected: directional select-pane */
	struct event *ev_read;
	struct event *ev_write;
	struct buf out;         /* bytes for the program not yet written */
	struct copy_mode *copy; /* copy mode (cmd_copy.c), NULL when not in it */
	char *searchstr;        /* the last copy mode's search, NULL none */
	struct options *options; /* inherits the window's */
	int argc;               /* the command, for respawn-pane */
	char **argv;
	time_t dead_time;
	uint32_t clipboards;    /* clipboard payloads from this pane so far */
	/* The history's generation (struct view_pane): bumped when lines
	 * already numbered change (cleared, reflowed, popped back). */
	uint32_t hist_gen;
	uint64_t hist_total;    /* history_total() when last looked at */
	unsigned hist_size;     /* history_size() then */
	struct pane *next_all;
};

/* Start SP's program in a new pane of W (not yet placed in W's layout).
 * Returns NULL with a message in CAUSE (caller frees) on failure. */
struct pane *pane_create(struct window *w, struct pty_spawn *sp, unsigned history_limit,
    char **cause);
/* Close the pty (the program gets SIGHUP) and free everything. */
void pane_free(struct pane *p);
struct pane *pane_find(int id);
struct pane *pane_first(void);
int pane_next_id(void);

void pane_resize(struct pane *p, unsigned sx, unsigned sy);
/* The generation of P's history (see struct view_pane), noticing a clear
 * (clear-history, CSI 3 J) or lines popped back since the last call. */
uint32_t pane_history_gen(struct pane *p);
/* Queue bytes for the program. */
void pane_write(struct pane *p, const void *data, size_t len);
/* Whether the pane should be closed now (the program is gone). */
int pane_is_dead(const struct pane *p);
/* Read what the program left in the pty before it is closed. */
void pane_drain(struct pane *p);
/* Note that PID exited with STATUS (from SIGCHLD); 1 if it was a pane. */
int pane_child_exited(pid_t pid, int status);

/* remain-on-exit: whether the dead P stays (on; failed and a non-zero
 * status or a signal), and keeping it: the "Pane is dead" line at the
 * bottom as tmux writes it, no more reads. */
int pane_remains(const struct pane *p);
void pane_show_dead(struct pane *p);
/* respawn-pane: end the program if it still runs (SIGHUP) and start SP's
 * on a fresh pty in the same pane; the screen is reset, history kept.
 * Returns 0, or -1 with CAUSE. */
int pane_respawn(struct pane *p, struct pty_spawn *sp, char **cause);
/* After P moved to another window: its own options now fall back to the
 * new window's. */
void pane_reparent_options(struct pane *p);

/* A clipboard payload from P for the clients of its session to set in
 * their terminals (session_clipboard): OSC 52 from P's program when
 * set-clipboard is external or on (on also makes a paste buffer of it, as
 * tmux), or a copy made in P. SEL is the OSC 52 selection (NULL: "c"). */
void pane_set_clipboard(struct pane *p, const char *sel, const void *data, size_t len);

#endif
