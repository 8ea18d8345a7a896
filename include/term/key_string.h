/* key_string.h — key codes and their names as tmux 3.3a writes them (C-b,
 * M-x, S-Up, F1, KPEnter, é ...), and the bytes a key sends to a pane
 * (xterm encodings; cursor and keypad application modes; modified keys as
 * CSI 1;N X). A key code is a Unicode scalar or a KEY_* special key, with
 * modifier bits above. */
#ifndef RMUX_TERM_KEY_STRING_H
#define RMUX_TERM_KEY_STRING_H

#include <stddef.h>
#include <stdint.h>

#define KEY_META (1ull << 40)
#define KEY_CTRL (1ull << 41)
#define KEY_SHIFT (1ull << 42)
#define KEY_MASK_MODIFIERS (KEY_META | KEY_CTRL | KEY_SHIFT)
#define KEY_MASK_KEY ((1ull << 40) - 1)

/* Special keys live above Unicode. Control characters are plain codes:
 * C-b is 0x02, Enter 0x0d, Tab 0x09, Escape 0x1b, C-Space 0x00. */
#define KEY_BASE 0x110000ull
enum {
	KEY_NONE = KEY_BASE,
	KEY_UNKNOWN,
	KEY_ANY,
	KEY_FOCUS_IN,
	KEY_FOCUS_OUT,
	KEY_PASTE_START,
	KEY_PASTE_END,
	KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6,
	KEY_F7, KEY_F8, KEY_F9, KEY_F10, KEY_F11, KEY_F12,
	KEY_IC, KEY_DC, KEY_HOME, KEY_END, KEY_NPAGE, KEY_PPAGE,
	KEY_BTAB, KEY_BSPACE,
	KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT,
	KEY_KP_SLASH, KEY_KP_STAR, KEY_KP_MINUS,
	KEY_KP_SEVEN, KEY_KP_EIGHT, KEY_KP_NINE, KEY_KP_PLUS,
	KEY_KP_FOUR, KEY_KP_FIVE, KEY_KP_SIX,
	KEY_KP_ONE, KEY_KP_TWO, KEY_KP_THREE, KEY_KP_ENTER,
	KEY_KP_ZERO, KEY_KP_PERIOD,
	KEY_MOUSE_FIRST /* mouse keys: see key_string_mouse() */
};

/* Mouse keys: KEY_MOUSE_FIRST + event * KEY_MOUSE_NLOCATIONS + location,
 * events in tmux's order (MouseMove, MouseDown1-3, MouseUp1-3, MouseDrag1-3,
 * MouseDragEnd1-3, WheelUp, WheelDown, SecondClick1-3, DoubleClick1-3,
 * TripleClick1-3)
 * and locations Pane, Status, StatusLeft, StatusRight, StatusDefault,
 * Border. */
#define KEY_MOUSE_NLOCATIONS 6
#define KEY_MOUSE_NEVENTS 24
#define KEY_MOUSE_LAST (KEY_MOUSE_FIRST + KEY_MOUSE_NEVENTS * KEY_MOUSE_NLOCATIONS - 1)
#define KEY_IS_MOUSE(k) (((k)&KEY_MASK_KEY) >= KEY_MOUSE_FIRST && ((k)&KEY_MASK_KEY) <= KEY_MOUSE_LAST)

/* Pane modes that change what a key sends (DECCKM, DECKPAM). */
#define KEY_MODE_CURSOR 0x1
#define KEY_MODE_KEYPAD 0x2

/* A key name (case-insensitive, modifiers C- M- S- in any order, ^x for
 * C-x, 0xNN) to a key code; KEY_UNKNOWN if it is not a key. "None" is
 * KEY_NONE (valid for prefix2, not for bind-key). */
uint64_t key_string_lookup_string(const char *s);

/* The name tmux prints for KEY, into OUT (at least KEY_STRING_MAX bytes). */
#define KEY_STRING_MAX 64
const char *key_string_lookup_key(uint64_t key, char *out);

/* The bytes KEY sends to a pane in MODES (KEY_MODE_*). Returns their
 * length (at most KEY_BYTES_MAX), or -1 when tmux sends nothing for this
 * key: send-keys then sends the key's name as text, as tmux does. */
#define KEY_BYTES_MAX 32
int key_string_to_bytes(uint64_t key, int modes, char *out);

/* The mouse key for EVENT (0 .. KEY_MOUSE_NEVENTS-1) at LOCATION. */
uint64_t key_string_mouse(unsigned event, unsigned location);

#endif
