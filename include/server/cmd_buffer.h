/* cmd_buffer.h — the paste buffer commands (set-buffer, show-buffer,
 * list-buffers, delete-buffer, paste-buffer, save-buffer, load-buffer) and
 * the server's one store of buffers. */
#ifndef RMUX_SERVER_CMD_BUFFER_H
#define RMUX_SERVER_CMD_BUFFER_H

struct paste_store;

/* The server's buffers, made on first use. */
struct paste_store *cmd_buffer_store(void);

#endif
