/* key_string.c — key names and key bytes (see key_string.h). The names,
 * the folding of C-x into control characters and the byte sequences were
 * checked against tmux 3.3a (bind-key + list-keys, send-keys into a pane
 * that prints what it reads). */
#include "term/key_string.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"

/* Names, in lookup order: the first name of a key is the one printed. */
static const struct {
	const char *name;
	uint64_t key;
} key_names[] = {
	{ "F1", KEY_F1 }, { "F2", KEY_F2 }, { "F3", KEY_F3 }, { "F4", KEY_F4 },
	{ "F5", KEY_F5 }, { "F6", KEY_F6 }, { "F7", KEY_F7 }, { "F8", KEY_F8 },
	{ "F9", KEY_F9 }, { "F10", KEY_F10 }, { "F11", KEY_F11 }, { "F12", KEY_F12 },
	{ "IC", KEY_IC }, { "Insert", KEY_IC },
	{ "DC", KEY_DC }, { "Delete", KEY_DC },
	{ "Home", KEY_HOME }, { "End", KEY_END },
	{ "NPage", KEY_NPAGE }, { "PageDown", KEY_NPAGE }, { "PgDn", KEY_NPAGE },
	{ "PPage", KEY_PPAGE }, { "PageUp", KEY_PPAGE }, { "PgUp", KEY_PPAGE },
	{ "Tab", '\t' }, { "BTab", KEY_BTAB }, { "Space", ' ' }, { "BSpace", KEY_BSPACE },
	{ "Enter", '\r' }, { "Escape", '\033' },
	{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT },
	{ "KP/", KEY_KP_SLASH }, { "KP*", KEY_KP_STAR }, { "KP-", KEY_KP_MINUS },
	{ "KP7", KEY_KP_SEVEN }, { "KP8", KEY_KP_EIGHT }, { "KP9", KEY_KP_NINE },
	{ "KP+", KEY_KP_PLUS }, { "KP4", KEY_KP_FOUR }, { "KP5", KEY_KP_FIVE },
	{ "KP6", KEY_KP_SIX }, { "KP1", KEY_KP_ONE }, { "KP2", KEY_KP_TWO },
	{ "KP3", KEY_KP_THREE }, { "KPEnter", KEY_KP_ENTER }, { "KP0", KEY_KP_ZERO },
	{ "KP.", KEY_KP_PERIOD },
	{ "FocusIn", KEY_FOCUS_IN }, { "FocusOut", KEY_FOCUS_OUT },
	{ "PasteStart", KEY_PASTE_START }, { "PasteEnd", KEY_PASTE_END },
};

static const char *const mouse_events[KEY_MOUSE_NEVENTS] = {
	"MouseMove", "MouseDown1", "MouseDown2", "MouseDown3", "MouseUp1", "MouseUp2",
	"MouseUp3", "MouseDrag1", "MouseDrag2", "MouseDrag3", "MouseDragEnd1",
	"MouseDragEnd2", "MouseDragEnd3", "WheelUp", "WheelDown", "SecondClick1",
	"SecondClick2", "SecondClick3", "DoubleClick1", "DoubleClick2", "DoubleClick3",
	"TripleClick1", "TripleClick2", "TripleClick3",
};
static const char *const mouse_locations[KEY_MOUSE_NLOCATIONS] = {
	"Pane", "Status", "StatusLeft", "StatusRight", "StatusDefault", "Border",
};

uint64_t key_string_mouse(unsigned event, unsigned location)
{
	if (event >= KEY_MOUSE_NEVENTS || location >= KEY_MOUSE_NLOCATIONS)
		return KEY_UNKNOWN;
	return KEY_MOUSE_FIRST + (uint64_t)event * KEY_MOUSE_NLOCATIONS + location;
}

static uint64_t search_table(const char *s)
{
	for (size_t i = 0; i < RMUX_NITEMS(key_names); i++) {
		if (strcasecmp(s, key_names[i].name) == 0)
			return key_names[i].key;
	}
	for (unsigned e = 0; e < KEY_MOUSE_NEVENTS; e++) {
		size_t len = strlen(mouse_events[e]);
		if (strncasecmp(s, mouse_events[e], len) != 0)
			continue;
		for (unsigned l = 0; l < KEY_MOUSE_NLOCATIONS; l++) {
			if (strcasecmp(s + len, mouse_locations[l]) == 0)
				return key_string_mouse(e, l);
		}
	}
	return KEY_UNKNOWN;
}

/* Decode exactly one UTF-8 character making up all of S; 0 if not. */
static uint32_t utf8_single(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len = strlen(s);
	uint32_t cp;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07u;
	else
		return 0;
	if (len != n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return cp;
}

uint64_t key_string_lookup_string(const char *s)
{
	/* Keys whose C- form stays a modified key rather than a control
	 * character (tmux's list). */
	static const char other[] = "!#()+,-.0123456789:;<=>'\r\t\177`/";
	uint64_t key, modifiers = 0;

	if (strcasecmp(s, "None") == 0)
		return KEY_NONE;
	if (strcasecmp(s, "Any") == 0)
		return KEY_ANY;
	if (s[0] == '0' && s[1] == 'x') {
		char *end;
		unsigned long u;
		if (!isxdigit((unsigned char)s[2]))
			return KEY_UNKNOWN;
		u = strtoul(s + 2, &end, 16);
		if (*end != '\0' || u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff))
			return KEY_UNKNOWN;
		return u;
	}
	if (s[0] == '^' && s[1] != '\0') {
		modifiers |= KEY_CTRL;
		s++;
	}
	while (s[0] != '\0' && s[1] == '-') {
		switch (s[0]) {
		case 'C': case 'c': modifiers |= KEY_CTRL; break;
		case 'M': case 'm': modifiers |= KEY_META; break;
		case 'S': case 's': modifiers |= KEY_SHIFT; break;
		default: return KEY_UNKNOWN;
		}
		s += 2;
	}
	if (s[0] == '\0')
		return KEY_UNKNOWN;
	if (s[1] == '\0' && (unsigned char)s[0] <= 127) {
		key = (unsigned char)s[0];
		if (key < 32)
			return KEY_UNKNOWN;
	} else if ((unsigned char)s[0] >= 0x80) {
		uint32_t cp = utf8_single(s);
		if (cp == 0)
			return KEY_UNKNOWN;
		return cp | modifiers;
	} else {
		key = search_table(s);
		if (key == KEY_UNKNOWN)
			return KEY_UNKNOWN;
	}
	if (key <= 127 && (modifiers & KEY_CTRL) && strchr(other, (int)key) == NULL &&
	    key != 9 && key != 13 && key != 27) {
		if (key >= 97 && key <= 122)
			key -= 96;
		else if (key >= 64 && key <= 95)
			key -= 64;
		else if (key == 32)
			key = 0;
		else if (key == 63)
			key = 127;
		else
			return KEY_UNKNOWN;
		modifiers &= ~KEY_CTRL;
	}
	/* C-? is DEL itself, so a control DEL (C-DEL, ^DEL) is plain DEL:
	 * otherwise it would print as C-C-?, which reads back as DEL. */
	if (key == 127)
		modifiers &= ~KEY_CTRL;
	return key | modifiers;
}

const char *key_string_lookup_key(uint64_t key, char *out)
{
	uint64_t k = key & KEY_MASK_KEY;
	char tmp[16];

	out[0] = '\0';
	switch (k) {
	case KEY_NONE:
		strcpy(out, "None");
		return out;
	case KEY_UNKNOWN:
		strcpy(out, "Unknown");
		return out;
	case KEY_ANY:
		strcpy(out, "Any");
		return out;
	}
	if (key & KEY_CTRL)
		strcat(out, "C-");
	if (key & KEY_META)
		strcat(out, "M-");
	if (key & KEY_SHIFT)
		strcat(out, "S-");
	for (size_t i = 0; i < RMUX_NITEMS(key_names); i++) {
		if (key_names[i].key == k) {
			strcat(out, key_names[i].name);
			return out;
		}
	}
	if (KEY_IS_MOUSE(k)) {
		uint64_t m = k - KEY_MOUSE_FIRST;
		strcat(out, mouse_events[m / KEY_MOUSE_NLOCATIONS]);
		strcat(out, mouse_locations[m % KEY_MOUSE_NLOCATIONS]);
		return out;
	}
	if (k >= 128 && k < KEY_BASE && !(k >= 0xd800 && k <= 0xdfff)) {
		/* A Unicode character, written as UTF-8. */
		size_t n = strlen(out);
		uint32_t cp = (uint32_t)k;
		if (cp < 0x800) {
			out[n++] = (char)(0xc0 | cp >> 6);
		} else if (cp < 0x10000) {
			out[n++] = (char)(0xe0 | cp >> 12);
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		} else {
			out[n++] = (char)(0xf0 | cp >> 18);
			out[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		}
		out[n++] = (char)(0x80 | (cp & 0x3f));
		out[n] = '\0';
		return out;
	}
	if (k >= 128) {
		snprintf(out, KEY_STRING_MAX, "Invalid#%llx", (unsigned long long)key);
		return out;
	}
	if (k == 0)
		snprintf(tmp, sizeof tmp, "C-Space");
	else if (k < 32)
		snprintf(tmp, sizeof tmp, "C-%c", (int)(k > 26 ? 64 + k : 96 + k));
	else if (k == 127)
		snprintf(tmp, sizeof tmp, "C-?");
	else
		snprintf(tmp, sizeof tmp, "%c", (int)k);
	strcat(out, tmp);
	return out;
}

/* Bytes ------------------------------------------------------------------ */

/* Keys with xterm's modified form: '_' stands for the modifier number. */
static const struct {
	uint64_t key;
	const char *plain;
	const char *modified;
} key_seqs[] = {
	{ KEY_F1, "\033OP", "\033[1;_P" },
	{ KEY_F2, "\033OQ", "\033[1;_Q" },
	{ KEY_F3, "\033OR", "\033[1;_R" },
	{ KEY_F4, "\033OS", "\033[1;_S" },
	{ KEY_F5, "\033[15~", "\033[15;_~" },
	{ KEY_F6, "\033[17~", "\033[17;_~" },
	{ KEY_F7, "\033[18~", "\033[18;_~" },
	{ KEY_F8, "\033[19~", "\033[19;_~" },
	{ KEY_F9, "\033[20~", "\033[20;_~" },
	{ KEY_F10, "\033[21~", "\033[21;_~" },
	{ KEY_F11, "\033[23~", "\033[23;_~" },
	{ KEY_F12, "\033[24~", "\033[24;_~" },
	{ KEY_IC, "\033[2~", "\033[2;_~" },
	{ KEY_DC, "\033[3~", "\033[3;_~" },
	{ KEY_HOME, "\033[1~", "\033[1;_H" },
	{ KEY_END, "\033[4~", "\033[1;_F" },
	{ KEY_NPAGE, "\033[6~", "\033[6;_~" },
	{ KEY_PPAGE, "\033[5~", "\033[5;_~" },
	{ KEY_UP, "\033[A", "\033[1;_A" },
	{ KEY_DOWN, "\033[B", "\033[1;_B" },
	{ KEY_RIGHT, "\033[C", "\033[1;_C" },
	{ KEY_LEFT, "\033[D", "\033[1;_D" },
	{ KEY_BTAB, "\033[Z", NULL },
	{ KEY_PASTE_START, "\033[200~", NULL },
	{ KEY_PASTE_END, "\033[201~", NULL },
};

/* The keypad: what it sends normally and in application mode. */
static const struct {
	uint64_t key;
	char normal;
	char app;
} keypad[] = {
	{ KEY_KP_SLASH, '/', 'o' }, { KEY_KP_STAR, '*', 'j' }, { KEY_KP_MINUS, '-', 'm' },
	{ KEY_KP_SEVEN, '7', 'w' }, { KEY_KP_EIGHT, '8', 'x' }, { KEY_KP_NINE, '9', 'y' },
	{ KEY_KP_PLUS, '+', 'k' }, { KEY_KP_FOUR, '4', 't' }, { KEY_KP_FIVE, '5', 'u' },
	{ KEY_KP_SIX, '6', 'v' }, { KEY_KP_ONE, '1', 'q' }, { KEY_KP_TWO, '2', 'r' },
	{ KEY_KP_THREE, '3', 's' }, { KEY_KP_ENTER, '\n', 'M' }, { KEY_KP_ZERO, '0', 'p' },
	{ KEY_KP_PERIOD, '.', 'n' },
};

static int put_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int key_string_to_bytes(uint64_t key, int modes, char *out)
{
	uint64_t k = key & KEY_MASK_KEY, mods = key & KEY_MASK_MODIFIERS;
	int n = 0;

	if (k == KEY_BSPACE)
		k = 0x7f;
	/* Characters: with M- an Escape first; other modifiers only where a
	 * control character exists for them. */
	if (k < KEY_BASE && !(k >= 0xd800 && k <= 0xdfff)) {
		if (mods & KEY_SHIFT)
			return -1;
		if (mods & KEY_CTRL) {
			switch (k) {
			case ' ': case '2': k = 0; break;
			case '|': k = 28; break;
			case '6': k = 30; break;
			case '-': case '/': k = 31; break;
			case '?': k = 127; break;
			default:
				if (k >= 'A' && k <= '_')
					k = k - 'A' + 1;
				else if (k >= 'a' && k <= '~')
					k -= 96;
				else
					return -1;
			}
		}
		if (mods & KEY_META)
			out[n++] = '\033';
		n += put_utf8((uint32_t)k, out + n);
		return n;
	}
	for (size_t i = 0; i < RMUX_NITEMS(keypad); i++) {
		if (keypad[i].key != k)
			continue;
		if (mods & (KEY_CTRL | KEY_SHIFT))
			return -1;
		if (mods & KEY_META)
			out[n++] = '\033';
		if (modes & KEY_MODE_KEYPAD) {
			out[n++] = '\033';
			out[n++] = 'O';
			out[n++] = keypad[i].app;
		} else
			out[n++] = keypad[i].normal;
		return n;
	}
	for (size_t i = 0; i < RMUX_NITEMS(key_seqs); i++) {
		if (key_seqs[i].key != k)
			continue;
		if (mods == 0 || (mods == KEY_META && key_seqs[i].modified == NULL)) {
			if (mods & KEY_META)
				out[n++] = '\033';
			if ((modes & KEY_MODE_CURSOR) && k >= KEY_UP && k <= KEY_RIGHT) {
				out[n++] = '\033';
				out[n++] = 'O';
				out[n++] = key_seqs[i].plain[2];
				return n;
			}
			size_t len = strlen(key_seqs[i].plain);
			memcpy(out + n, key_seqs[i].plain, len);
			return n + (int)len;
		}
		if (key_seqs[i].modified == NULL)
			return -1;
		/* xterm's modifier parameter: 1 + shift(1) + meta(2) + ctrl(4). */
		int m = 1 + ((mods & KEY_SHIFT) ? 1 : 0) + ((mods & KEY_META) ? 2 : 0) +
		    ((mods & KEY_CTRL) ? 4 : 0);
		for (const char *p = key_seqs[i].modified; *p != '\0'; p++)
			out[n++] = *p == '_' ? (char)('0' + m) : *p;
		return n;
	}
	return -1;
}
