/* util.c — error names and string helpers. */
#include "common/util.h"

#include <string.h>

const char *rmux_strerror(int err)
{
	switch (err) {
	case RMUX_OK: return "no error";
	case RMUX_ERR_TRUNCATED: return "truncated";
	case RMUX_ERR_MALFORMED: return "malformed";
	case RMUX_ERR_TOO_BIG: return "too big";
	case RMUX_ERR_TRAILING: return "trailing bytes";
	case RMUX_ERR_AUTH: return "authentication failed";
	case RMUX_ERR_NOMEM: return "out of memory";
	case RMUX_ERR_RANGE: return "out of range";
	}
	return "unknown error";
}

size_t rmux_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
