/* environ.c — the global, session and pane environments (environ.h): a
 * sorted array (common/sorted.h) per environment, sorted by name. */
#include "server/environ.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/sorted.h"
#include "common/xmalloc.h"
#include "server/options.h"

struct environ {
	struct environ_entry *v;
	size_t n, size;
};

static struct environ *global;

struct environ *environ_create(void)
{
	return xcalloc(1, sizeof(struct environ));
}

void environ_free(struct environ *env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; i < env->n; i++) {
		free(env->v[i].name);
		free(env->v[i].value);
	}
	free(env->v);
	free(env);
}

static int entry_cmp(const void *name, const void *entry)
{
	return strcmp(name, ((const struct environ_entry *)entry)->name);
}

/* Where NAME is or would go; *FOUND says which. */
static size_t position(const struct environ *env, const char *name, int *found)
{
	return sorted_find(env->v, env->n, sizeof *env->v, name, entry_cmp, found);
}

const struct environ_entry *environ_find(const struct environ *env, const char *name)
{
	int found;
	size_t i = position(env, name, &found);

	return found ? &env->v[i] : NULL;
}

void environ_set(struct environ *env, const char *name, const char *value, int flags)
{
	int found;
	size_t i = position(env, name, &found);
	struct environ_entry *e;

	if (!found) {
		env->v = sorted_insert(env->v, &env->n, &env->size, sizeof *env->v, i);
		e = &env->v[i];
		e->name = xstrdup(name);
	} else {
		e = &env->v[i];
		free(e->value);
	}
	e->value = value != NULL ? xstrdup(value) : NULL;
	e->flags = flags;
}

void environ_unset(struct environ *env, const char *name)
{
	int found;
	size_t i = position(env, name, &found);

	if (!found)
		return;
	free(env->v[i].name);
	free(env->v[i].value);
	sorted_remove(env->v, &env->n, sizeof *env->v, i);
}

void environ_put(struct environ *env, const char *entry, int flags)
{
	const char *eq = strchr(entry, '=');
	char *name;

	if (eq == NULL || eq == entry)
		return;
	name = xstrndup(entry, (size_t)(eq - entry));
	environ_set(env, name, eq + 1, flags);
	free(name);
}

size_t environ_count(const struct environ *env)
{
	return env->n;
}

const struct environ_entry *environ_at(const struct environ *env, size_t i)
{
	return i < env->n ? &env->v[i] : NULL;
}

void environ_copy(const struct environ *src, struct environ *dst)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		environ_set(dst, src->v[i].name, src->v[i].value, src->v[i].flags);
}

void environ_update(struct environ *dst, const char *const *patterns, int envc,
    char *const *env)
{
	size_t k;
	int i;

	for (k = 0; patterns[k] != NULL; k++) {
		char *best = NULL;
		const char *value = NULL;

		/* tmux 3.3a takes one variable per pattern: the first match in
		 * name order. */
		for (i = 0; i < envc; i++) {
			const char *eq = strchr(env[i], '=');
			char *name;

			if (eq == NULL || eq == env[i])
				continue;
			name = xstrndup(env[i], (size_t)(eq - env[i]));
			if (fnmatch(patterns[k], name, 0) == 0 &&
			    (best == NULL || strcmp(name, best) < 0)) {
				free(best);
				best = name;
				value = eq + 1;
			} else
				free(name);
		}
		if (best != NULL)
			environ_set(dst, best, value, 0);
		else
			environ_set(dst, patterns[k], NULL, 0);
		free(best);
	}
}

void environ_update_options(struct environ *dst, const struct options *oo, int envc,
    char *const *env)
{
	const char **patterns = options_get_array(oo, "update-environment");

	environ_update(dst, patterns, envc, env);
	free(patterns);
}

char **environ_list(const struct environ *env)
{
	char **list = xcalloc(env->n + 1, sizeof *list);
	size_t i, n = 0;

	for (i = 0; i < env->n; i++) {
		/* Hidden ones stay in the server, as in tmux. */
		if (env->v[i].value != NULL && !(env->v[i].flags & ENVIRON_HIDDEN))
			list[n++] = xasprintf("%s=%s", env->v[i].name, env->v[i].value);
	}
	list[n] = NULL;
	return list;
}

void environ_list_free(char **list)
{
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

struct environ *environ_global(void)
{
	char **e;

	if (global != NULL)
		return global;
	global = environ_create();
	for (e = environ; e != NULL && *e != NULL; e++)
		environ_put(global, *e, 0);
	return global;
}

void environ_global_free(void)
{
	environ_free(global);
	global = NULL;
}
