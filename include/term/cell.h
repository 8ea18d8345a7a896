/* cell.h — one character cell of the visible grid and the pen it carries.
 * Cells are 16 bytes so a row of 80 is 1280 bytes; history lines are stored
 * in a far more compact encoding (history.h). */
#ifndef RMUX_TERM_CELL_H
#define RMUX_TERM_CELL_H

#include <assert.h>
#include <stdint.h>

/* A colour: the top byte is the kind, the low 24 bits the value. */
#define COLOUR_DEFAULT 0x00000000u
#define COLOUR_PALETTE 0x01000000u /* low byte: index 0-255 */
#define COLOUR_RGB 0x02000000u     /* low 24 bits: 0xRRGGBB */
#define COLOUR_KIND(c) ((c)&0xff000000u)
#define COLOUR_VALUE(c) ((c)&0x00ffffffu)

static inline uint32_t colour_palette(unsigned index)
{
	return COLOUR_PALETTE | (index & 0xffu);
}

static inline uint32_t colour_rgb(unsigned r, unsigned g, unsigned b)
{
	return COLOUR_RGB | (r & 0xffu) << 16 | (g & 0xffu) << 8 | (b & 0xffu);
}

/* Rendition bits of cell.attr. */
#define ATTR_BOLD 0x0001u
#define ATTR_DIM 0x0002u
#define ATTR_ITALIC 0x0004u
#define ATTR_BLINK 0x0008u
#define ATTR_REVERSE 0x0010u
#define ATTR_HIDDEN 0x0020u
#define ATTR_STRIKE 0x0040u
#define ATTR_OVERLINE 0x0080u
/* Underline style in bits 8-10: SGR 4:N. */
#define ATTR_UL_SHIFT 8
#define ATTR_UL_MASK 0x0700u
#define UL_NONE 0u
#define UL_SINGLE 1u
#define UL_DOUBLE 2u
#define UL_CURLY 3u
#define UL_DOTTED 4u
#define UL_DASHED 5u
#define ATTR_UNDERLINE(style) (((unsigned)(style) << ATTR_UL_SHIFT) & ATTR_UL_MASK)
#define ATTR_UL_STYLE(attr) (((attr)&ATTR_UL_MASK) >> ATTR_UL_SHIFT)
/* All rendition bits: what SGR 0 clears and what a style compares. */
#define ATTR_STYLE_MASK 0x07ffu

/* Shape bits of cell.attr: not part of the pen. */
#define CELL_WIDE 0x0800u      /* first half of a double-width character */
#define CELL_WIDE_TAIL 0x1000u /* second half: shows nothing of its own */
#define CELL_CLUSTER 0x2000u   /* ch is an id in the screen's cluster table
				  (base character plus combining marks) */
#define CELL_SHAPE_MASK 0x3800u

struct cell {
	uint32_t ch;   /* Unicode scalar, or a cluster id when CELL_CLUSTER */
	uint32_t fg;   /* COLOUR_* */
	uint32_t bg;   /* COLOUR_* */
	uint16_t attr; /* ATTR_* rendition | CELL_* shape */
	uint16_t link; /* OSC 8 hyperlink id, 0 = none */
};
static_assert(sizeof(struct cell) == 16, "cells must stay 16 bytes");

/* The pen: what a written character takes (cell minus ch and shape). */
struct pen {
	uint32_t fg;
	uint32_t bg;
	uint16_t attr; /* rendition bits only */
	uint16_t link;
};

/* A cleared cell: a space in the pen's background, as xterm's
 * background-colour erase does. */
static inline struct cell cell_blank(const struct pen *pen)
{
	struct cell c = { ' ', COLOUR_DEFAULT, pen ? pen->bg : COLOUR_DEFAULT, 0, 0 };
	return c;
}

/* Same look: colours, rendition and link (not the character). */
static inline int cell_same_style(const struct cell *a, const struct cell *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->link == b->link &&
	       ((a->attr ^ b->attr) & ATTR_STYLE_MASK) == 0;
}

#endif
