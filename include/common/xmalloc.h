/* xmalloc.h — allocation for daemon and UI code: these die on exhaustion.
 * Parsers of untrusted bytes use plain malloc and return RMUX_ERR_NOMEM. */
#ifndef RMUX_COMMON_XMALLOC_H
#define RMUX_COMMON_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
