/* paste.h — the server's paste buffers as tmux keeps them: automatic
 * buffers named buffer0, buffer1... (at most `buffer-limit` of them, the
 * oldest dropped first), named buffers set by the user, listed newest
 * first; and the bytes paste-buffer writes to a pane. */
#ifndef RMUX_SERVER_PASTE_H
#define RMUX_SERVER_PASTE_H

#include <stddef.h>

#include "common/buf.h"

#define PASTE_DEFAULT_LIMIT 50u /* tmux's buffer-limit */
#define PASTE_NAME_MAX 256

struct paste_store;

struct paste_store *paste_create(void);
void paste_free(struct paste_store *ps);
/* buffer-limit: automatic buffers beyond it are dropped, oldest first. */
void paste_set_limit(struct paste_store *ps, unsigned limit);

/* Add DATA as a new automatic buffer (copy mode, set-buffer without -b);
 * returns its name. Empty data adds nothing and returns NULL. */
const char *paste_add(struct paste_store *ps, const void *data, size_t len);
/* set-buffer -b NAME: create or replace NAME (it becomes the newest).
 * Returns 0, or -1 with *CAUSE (static text) for a bad name. */
int paste_set(struct paste_store *ps, const char *name, const void *data, size_t len,
	      const char **cause);
/* set-buffer -a: append to NAME (or the newest buffer when NAME is NULL,
 * or a new automatic one when there is none). */
int paste_append(struct paste_store *ps, const char *name, const void *data, size_t len,
		 const char **cause);
/* set-buffer -n: rename; -1 with *CAUSE if OLD is missing or NEW is bad. */
int paste_rename(struct paste_store *ps, const char *oldname, const char *newname,
		 const char **cause);
/* delete-buffer; -1 if there is no such buffer. */
int paste_delete(struct paste_store *ps, const char *name);

/* The data of NAME, or of the newest buffer when NAME is NULL (sets
 * *NAMEP if not NULL); NULL if absent. */
const char *paste_get(const struct paste_store *ps, const char *name, size_t *len,
		      const char **namep);
/* Listing, newest first: the I-th buffer's name and data, NULL past the end. */
size_t paste_count(const struct paste_store *ps);
const char *paste_at(const struct paste_store *ps, size_t i, const char **namep, size_t *len);

/* What paste-buffer writes: DATA with each LF replaced by SEPARATOR
 * (NULL: tmux's default "\r"; -r is SEPARATOR "\n"), between ESC [200~
 * and ESC [201~ when BRACKETED (paste-buffer -p and the pane set ?2004). */
void paste_encode(struct buf *out, const void *data, size_t len, const char *separator,
		  int bracketed);

/* list-buffers' sample (#{buffer_sample}): the first 200 bytes with tmux's escaping of
 * control characters (\n, \t, \\, \ooo), "..." when cut. Malloc'd. */
char *paste_sample(const void *data, size_t len);

#endif
