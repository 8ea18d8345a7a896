/* key_string.h — moved to term/key_string.h (the client decodes keys with
 * the same codes); this forwarding header goes once every includer uses the
 * new path. */
#include "term/key_string.h"
