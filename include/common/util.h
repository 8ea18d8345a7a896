/* util.h — error codes and small helpers shared by every layer. */
#ifndef RMUX_COMMON_UTIL_H
#define RMUX_COMMON_UTIL_H

#include <stddef.h>

/* Parsers of untrusted bytes return 0 or one of these (negative). */
#define RMUX_OK 0
#define RMUX_ERR_TRUNCATED -1 /* input ended inside a field */
#define RMUX_ERR_MALFORMED -2 /* a field has an impossible value */
#define RMUX_ERR_TOO_BIG -3   /* a length exceeds its limit */
#define RMUX_ERR_TRAILING -4  /* bytes left over after a complete message */
#define RMUX_ERR_AUTH -5      /* authentication failed */
#define RMUX_ERR_NOMEM -6     /* an allocation the caller may survive failed */
#define RMUX_ERR_RANGE -7     /* a number outside its allowed range */

#define RMUX_MIN(a, b) ((a) < (b) ? (a) : (b))
#define RMUX_MAX(a, b) ((a) > (b) ? (a) : (b))
#define RMUX_CLAMP(v, lo, hi) RMUX_MIN(RMUX_MAX((v), (lo)), (hi))
#define RMUX_NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A short English name for an RMUX_ERR_* code. */
const char *rmux_strerror(int err);

/* strlcpy semantics: always terminates, returns strlen(src). */
size_t rmux_strlcpy(char *dst, const char *src, size_t size);

#endif
