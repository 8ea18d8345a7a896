/* environ.h — environments as tmux keeps them: the global one (the
 * daemon's own environment when it started), one per session (the
 * variables of the command line that made it named by the session option
 * update-environment, plus set-environment), and the merged one a new
 * pane starts with. A variable may be "removed" (value NULL): it hides
 * the global one. */
#ifndef RMUX_SERVER_ENVIRON_H
#define RMUX_SERVER_ENVIRON_H

#include <stddef.h>

/* Shown only by show-environment -h and never given to a pane
 * (set-environment -h). */
#define ENVIRON_HIDDEN 0x1

struct environ_entry {
	char *name;
	char *value; /* NULL: removed */
	int flags;
};

struct environ;

struct environ *environ_create(void);
void environ_free(struct environ *env);
/* The entry named NAME, or NULL. */
const struct environ_entry *environ_find(const struct environ *env, const char *name);
/* Set NAME to VALUE (NULL: mark it removed), replacing any entry. */
void environ_set(struct environ *env, const char *name, const char *value, int flags);
/* Forget NAME altogether (no-op if absent). */
void environ_unset(struct environ *env, const char *name);
/* A "NAME=value" string; one without '=' or with an empty name is
 * ignored. */
void environ_put(struct environ *env, const char *entry, int flags);
/* Entries in name order: I from 0 to environ_count() - 1. */
size_t environ_count(const struct environ *env);
const struct environ_entry *environ_at(const struct environ *env, size_t i);
/* Every entry of SRC into DST (removed ones too, so they hide DST's). */
void environ_copy(const struct environ *src, struct environ *dst);
/* update-environment: for each pattern of PATTERNS (fnmatch, a NULL-ended
 * list), the "NAME=value" entry of the client's ENV (ENVC of them) first
 * in name order among those it matches is set in DST, as tmux 3.3a does;
 * a pattern matching none marks that name removed. */
void environ_update(struct environ *dst, const char *const *patterns, int envc,
    char *const *env);
/* environ_update() with the patterns of the option update-environment as
 * OO (a session's options, or the global ones) has it. */
struct options;
void environ_update_options(struct environ *dst, const struct options *oo, int envc,
    char *const *env);
/* The set entries of ENV but the hidden ones as a NULL-ended "NAME=value" list for a new
 * process. Free with environ_list_free. */
char **environ_list(const struct environ *env);
void environ_list_free(char **list);

/* The global environment: the daemon's environment the first time it is
 * asked for (the daemon asks at start). */
struct environ *environ_global(void);
void environ_global_free(void);

#endif
