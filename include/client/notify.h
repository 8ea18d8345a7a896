/* notify.h — the connection-status bar: after NOTIFY_AFTER_MS without
 * hearing the server, the top row of the frame says how long ago the last
 * contact was and how to quit (mosh's wording, the convention people know),
 * bold white on blue, refreshed every second until contact returns. */
#ifndef RMUX_CLIENT_NOTIFY_H
#define RMUX_CLIENT_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "client/display.h"

#define NOTIFY_AFTER_MS 6000
#define NOTIFY_TEXT_MAX 128

/* The bar's text for NOW and the time the server was last heard into OUT
 * (NOTIFY_TEXT_MAX bytes). Returns 1 when the bar shows, else 0 and OUT
 * is empty. */
int notify_text(uint64_t now, uint64_t last_heard, char *out, size_t size);
/* Put the bar (if it shows) over the top row of F. Returns 1 if it did. */
int notify_overlay(struct display_frame *f, uint64_t now, uint64_t last_heard);
/* When the bar next appears or changes (ms, same clock). */
uint64_t notify_next_change(uint64_t now, uint64_t last_heard);

#endif
