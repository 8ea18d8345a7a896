/* notify.c — the connection-status bar (see notify.h). The time is shown
 * in whole seconds, minutes:seconds past a minute and hours:minutes:seconds
 * past an hour, so the bar stays short enough for a narrow terminal. */
#include "client/notify.h"

#include <stdio.h>
#include <string.h>


int notify_text(uint64_t now, uint64_t last_heard, char *out, size_t size)
{
	uint64_t s;
	char ago[48];

	if (size > 0)
		out[0] = '\0';
	if (now < last_heard || now - last_heard < NOTIFY_AFTER_MS)
		return 0;
	s = (now - last_heard) / 1000;
	if (s < 60)
		snprintf(ago, sizeof ago, "%u seconds", (unsigned)s);
	else if (s < 3600)
		snprintf(ago, sizeof ago, "%u:%02u", (unsigned)(s / 60), (unsigned)(s % 60));
	else
		snprintf(ago, sizeof ago, "%llu:%02u:%02u", (unsigned long long)(s / 3600),
		    (unsigned)(s / 60 % 60), (unsigned)(s % 60));
	snprintf(out, size, "rmux: Last contact %s ago. [To quit: Ctrl-^ .]", ago);
	return 1;
}

int notify_overlay(struct display_frame *f, uint64_t now, uint64_t last_heard)
{
	char text[NOTIFY_TEXT_MAX];
	struct cell c = { ' ', COLOUR_PALETTE | 7u, COLOUR_PALETTE | 4u, ATTR_BOLD, 0 };
	size_t len;

	if (!notify_text(now, last_heard, text, sizeof text) || f->rows == 0)
		return 0;
	len = strlen(text);
	for (unsigned x = 0; x < f->cols; x++) {
		c.ch = x < len ? (uint32_t)(unsigned char)text[x] : ' ';
		f->cells[x] = c;
	}
	/* The bar hides what is under it; a cursor there would sit on top. */
	if (f->cy == 0)
		f->cursor_visible = 0;
	return 1;
}

uint64_t notify_next_change(uint64_t now, uint64_t last_heard)
{
	uint64_t age;

	if (now < last_heard)
		return last_heard + NOTIFY_AFTER_MS;
	age = now - last_heard;
	if (age < NOTIFY_AFTER_MS)
		return last_heard + NOTIFY_AFTER_MS;
	return now + (1000 - age % 1000);
}
