/* ctlmsg.h — framing of the control socket between the command line and
 * the daemon. Each message is a 4-byte type, a 4-byte payload length
 * (both big-endian) and the payload. The command line sends one
 * CTLMSG_COMMAND (argv, working directory, a few environment entries);
 * the daemon answers with any number of CTLMSG_STDOUT / CTLMSG_STDERR
 * texts and one CTLMSG_EXIT carrying the exit status. Both ends treat the
 * other's bytes as untrusted. */
#ifndef RMUX_COMMON_CTLMSG_H
#define RMUX_COMMON_CTLMSG_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define CTLMSG_VERSION 1u
#define CTLMSG_HEADER 8u
#define CTLMSG_MAX_PAYLOAD (16u * 1024 * 1024)
#define CTLMSG_MAX_ARGS 4096u
#define CTLMSG_MAX_ENV 256u

#define CTLMSG_COMMAND 1u
#define CTLMSG_STDOUT 2u
#define CTLMSG_STDERR 3u
#define CTLMSG_EXIT 4u

struct ctlmsg_command {
	char *cwd;   /* never NULL after a successful decode */
	int envc;    /* "NAME=value" entries */
	char **env;
	int argc;
	char **argv; /* argc strings plus a NULL */
};

/* Append a framed message. */
void ctlmsg_add(struct buf *b, uint32_t type, const void *payload, size_t len);
/* Append a framed CTLMSG_EXIT with STATUS. */
void ctlmsg_add_exit(struct buf *b, int status);

/* Look at the front of LEN received bytes. Returns the size of one whole
 * message (header included) with *TYPE, *PAYLOAD and *PLEN set; 0 if more
 * bytes are needed; RMUX_ERR_TOO_BIG or RMUX_ERR_MALFORMED (unknown type)
 * if the stream cannot go on. */
long ctlmsg_peek(const void *data, size_t len, uint32_t *type, const uint8_t **payload, size_t *plen);

/* A CTLMSG_COMMAND: encode appends the framed message. */
void ctlmsg_command_encode(struct buf *b, const struct ctlmsg_command *c);
/* Decode a CTLMSG_COMMAND payload. Returns 0 or a negative RMUX_ERR_*; C
 * is left empty on failure and must be freed on success. */
int ctlmsg_command_decode(const uint8_t *payload, size_t len, struct ctlmsg_command *c);
void ctlmsg_command_free(struct ctlmsg_command *c);
/* The value of NAME in C's environment entries, or NULL. */
const char *ctlmsg_command_getenv(const struct ctlmsg_command *c, const char *name);

#endif
