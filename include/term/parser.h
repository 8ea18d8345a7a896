/* parser.h — the DEC/ANSI state machine (after vt100.net's diagram) that
 * turns program output into screen operations (screen_ops.h). Its state
 * survives between calls, so a sequence may be split at any byte. */
#ifndef RMUX_TERM_PARSER_H
#define RMUX_TERM_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "term/screen.h"
#include "term/screen_ops.h"

#define PARSER_INTERMEDIATES_MAX 2 /* more mark the sequence as unknown */
#define PARSER_STRING_MAX 65536u   /* DCS/APC/PM/SOS bodies are counted, not kept */

struct parser {
	unsigned state;
	/* UTF-8 decoding in the ground state. */
	uint32_t utf8_cp;
	unsigned utf8_need; /* continuation bytes still expected */
	unsigned utf8_seen; /* continuation bytes seen */
	uint32_t utf8_min;  /* smallest valid value (overlong check) */
	/* Control sequence being collected. */
	struct screen_params params;
	uint32_t param;     /* value being accumulated */
	int param_started;  /* a digit was seen for the current parameter */
	int param_overflow; /* more than SCREEN_PARAMS_MAX parameters */
	uint8_t private_marker; /* '<' '=' '>' '?' or 0 */
	uint8_t inter[PARSER_INTERMEDIATES_MAX];
	unsigned ninter;    /* may exceed PARSER_INTERMEDIATES_MAX */
	/* OSC being collected: grows up to SCREEN_OSC_MAX, kept between uses. */
	char *osc;
	size_t osc_len, osc_cap;
	int osc_overflow;
	size_t string_len; /* DCS/SOS/PM/APC bytes consumed */
};

void parser_init(struct parser *p);
void parser_free(struct parser *p); /* frees storage; the parser may be reused after init */
/* Feed LEN bytes of program output into S. */
void parser_input(struct parser *p, struct screen *s, const uint8_t *data, size_t len);

#endif
