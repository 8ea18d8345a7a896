/* key_table.c — key tables, tmux 3.3a's default bindings, bind-key,
 * unbind-key, list-keys and the key path (see key_table.h). The default
 * bindings, their notes, the order keys are listed in and the list-keys
 * layout were recorded from tmux 3.3a (list-keys, list-keys -N). */
#include "server/key_table.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/sorted.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "server/key_string.h"
#include "term/utf8.h"

struct key_table {
	char *name;
	struct key_binding **b; /* sorted by key_order() */
	size_t n, cap;
};

struct key_tables {
	struct key_table **t; /* sorted by name */
	size_t n, cap;
	struct key_tables_ops ops;
};

/* tmux 3.3a's default root and prefix bindings, as list-keys prints them. */
static const struct {
	const char *table, *key;
	int repeat;
	const char *note, *command;
} key_defaults[] = {
	{ "prefix", "C-b", 0, "Send the prefix key",
	    "send-prefix" },
	{ "prefix", "C-o", 0, "Rotate through the panes",
	    "rotate-window" },
	{ "prefix", "C-z", 0, "Suspend the current client",
	    "suspend-client" },
	{ "prefix", "Space", 0, "Select next layout",
	    "next-layout" },
	{ "prefix", "!", 0, "Break pane to a new window",
	    "break-pane" },
	{ "prefix", "\"", 0, "Split window vertically",
	    "split-window" },
	{ "prefix", "#", 0, "List all paste buffers",
	    "list-buffers" },
	{ "prefix", "$", 0, "Rename current session",
	    "command-prompt -I \"#S\" { rename-session \"%%\" }" },
	{ "prefix", "%", 0, "Split window horizontally",
	    "split-window -h" },
	{ "prefix", "&", 0, "Kill current window",
	    "confirm-before -p \"kill-window #W? (y/n)\" kill-window" },
	{ "prefix", "'", 0, "Prompt for window index to select",
	    "command-prompt -T window-target -p index { select-window -t \":%%\" }" },
	{ "prefix", "(", 0, "Switch to previous client",
	    "switch-client -p" },
	{ "prefix", ")", 0, "Switch to next client",
	    "switch-client -n" },
	{ "prefix", ",", 0, "Rename current window",
	    "command-prompt -I \"#W\" { rename-window \"%%\" }" },
	{ "prefix", "-", 0, "Delete the most recent paste buffer",
	    "delete-buffer" },
	{ "prefix", ".", 0, "Move the current window",
	    "command-prompt -T target { move-window -t \"%%\" }" },
	{ "prefix", "/", 0, "Describe key binding",
	    "command-prompt -k -p key { list-keys -1N \"%%\" }" },
	{ "prefix", "0", 0, "Select window 0",
	    "select-window -t :=0" },
	{ "prefix", "1", 0, "Select window 1",
	    "select-window -t :=1" },
	{ "prefix", "2", 0, "Select window 2",
	    "select-window -t :=2" },
	{ "prefix", "3", 0, "Select window 3",
	    "select-window -t :=3" },
	{ "prefix", "4", 0, "Select window 4",
	    "select-window -t :=4" },
	{ "prefix", "5", 0, "Select window 5",
	    "select-window -t :=5" },
	{ "prefix", "6", 0, "Select window 6",
	    "select-window -t :=6" },
	{ "prefix", "7", 0, "Select window 7",
	    "select-window -t :=7" },
	{ "prefix", "8", 0, "Select window 8",
	    "select-window -t :=8" },
	{ "prefix", "9", 0, "Select window 9",
	    "select-window -t :=9" },
	{ "prefix", ":", 0, "Prompt for a command",
	    "command-prompt" },
	{ "prefix", ";", 0, "Move to the previously active pane",
	    "last-pane" },
	{ "prefix", "<", 0, NULL,
	    "display-menu -T \"#[align=centre]#{window_index}:#{window_name}\" -x W -y "
	    "W \"#{?#{>:#{session_windows},1},,-}Swap Left\" l { swap-window -t :-1 } \""
	    "#{?#{>:#{session_windows},1},,-}Swap Right\" r { swap-window -t :+1 } \"#{"
	    "?pane_marked_set,,-}Swap Marked\" s { swap-window } '' Kill X { kill-wind"
	    "ow } Respawn R { respawn-window -k } \"#{?pane_marked,Unmark,Mark}\" m { s"
	    "elect-pane -m } Rename n { command-prompt -F -I \"#W\" { rename-window -t "
	    "\"#{window_id}\" \"%%\" } } '' \"New After\" w { new-window -a } \"New At End\" "
	    "W { new-window }" },
	{ "prefix", "=", 0, "Choose a paste buffer from a list",
	    "choose-buffer -Z" },
	{ "prefix", ">", 0, NULL,
	    "display-menu -T \"#[align=centre]#{pane_index} (#{pane_id})\" -x P -y P \"#"
	    "{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Top,}\" < { send-keys -X his"
	    "tory-top } \"#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Bottom,}\" > { "
	    "send-keys -X history-bottom } '' \"#{?mouse_word,Search For #[underscore]"
	    "#{=/9/...:mouse_word},}\" C-r { if-shell -F \"#{?#{m/r:(copy|view)-mode,#{"
	    "pane_mode}},0,1}\" \"copy-mode -t=\" ; send-keys -X -t = search-backward \"#"
	    "{q:mouse_word}\" } \"#{?mouse_word,Type #[underscore]#{=/9/...:mouse_word}"
	    ",}\" C-y { copy-mode -q ; send-keys -l \"#{q:mouse_word}\" } \"#{?mouse_word"
	    ",Copy #[underscore]#{=/9/...:mouse_word},}\" c { copy-mode -q ; set-buffe"
	    "r \"#{q:mouse_word}\" } \"#{?mouse_line,Copy Line,}\" l { copy-mode -q ; set"
	    "-buffer \"#{q:mouse_line}\" } '' \"Horizontal Split\" h { split-window -h } "
	    "\"Vertical Split\" v { split-window -v } '' \"#{?#{>:#{window_panes},1},,-}"
	    "Swap Up\" u { swap-pane -U } \"#{?#{>:#{window_panes},1},,-}Swap Down\" d {"
	    " swap-pane -D } \"#{?pane_marked_set,,-}Swap Marked\" s { swap-pane } '' K"
	    "ill X { kill-pane } Respawn R { respawn-pane -k } \"#{?pane_marked,Unmark"
	    ",Mark}\" m { select-pane -m } \"#{?#{>:#{window_panes},1},,-}#{?window_zoo"
	    "med_flag,Unzoom,Zoom}\" z { resize-pane -Z }" },
	{ "prefix", "?", 0, "List key bindings",
	    "list-keys -N" },
	{ "prefix", "C", 0, "Customize options",
	    "customize-mode -Z" },
	{ "prefix", "D", 0, "Choose a client from a list",
	    "choose-client -Z" },
	{ "prefix", "E", 0, "Spread panes out evenly",
	    "select-layout -E" },
	{ "prefix", "L", 0, "Switch to the last client",
	    "switch-client -l" },
	{ "prefix", "M", 0, "Clear the marked pane",
	    "select-pane -M" },
	{ "prefix", "[", 0, "Enter copy mode",
	    "copy-mode" },
	{ "prefix", "]", 0, "Paste the most recent paste buffer",
	    "paste-buffer -p" },
	{ "prefix", "c", 0, "Create a new window",
	    "new-window" },
	{ "prefix", "d", 0, "Detach the current client",
	    "detach-client" },
	{ "prefix", "f", 0, "Search for a pane",
	    "command-prompt { find-window -Z \"%%\" }" },
	{ "prefix", "i", 0, "Display window information",
	    "display-message" },
	{ "prefix", "l", 0, "Select the previously current window",
	    "last-window" },
	{ "prefix", "m", 0, "Toggle the marked pane",
	    "select-pane -m" },
	{ "prefix", "n", 0, "Select the next window",
	    "next-window" },
	{ "prefix", "o", 0, "Select the next pane",
	    "select-pane -t :.+" },
	{ "prefix", "p", 0, "Select the previous window",
	    "previous-window" },
	{ "prefix", "q", 0, "Display pane numbers",
	    "display-panes" },
	{ "prefix", "r", 0, "Redraw the current client",
	    "refresh-client" },
	{ "prefix", "s", 0, "Choose a session from a list",
	    "choose-tree -Zs" },
	{ "prefix", "t", 0, "Show a clock",
	    "clock-mode" },
	{ "prefix", "w", 0, "Choose a window from a list",
	    "choose-tree -Zw" },
	{ "prefix", "x", 0, "Kill the active pane",
	    "confirm-before -p \"kill-pane #P? (y/n)\" kill-pane" },
	{ "prefix", "z", 0, "Zoom the active pane",
	    "resize-pane -Z" },
	{ "prefix", "{", 0, "Swap the active pane with the pane above",
	    "swap-pane -U" },
	{ "prefix", "}", 0, "Swap the active pane with the pane below",
	    "swap-pane -D" },
	{ "prefix", "~", 0, "Show messages",
	    "show-messages" },
	{ "prefix", "DC", 1, "Reset so the visible part of the window follows the cursor",
	    "refresh-client -c" },
	{ "prefix", "PPage", 0, "Enter copy mode and scroll up",
	    "copy-mode -u" },
	{ "prefix", "Up", 1, "Select the pane above the active pane",
	    "select-pane -U" },
	{ "prefix", "Down", 1, "Select the pane below the active pane",
	    "select-pane -D" },
	{ "prefix", "Left", 1, "Select the pane to the left of the active pane",
	    "select-pane -L" },
	{ "prefix", "Right", 1, "Select the pane to the right of the active pane",
	    "select-pane -R" },
	{ "prefix", "M-1", 0, "Set the even-horizontal layout",
	    "select-layout even-horizontal" },
	{ "prefix", "M-2", 0, "Set the even-vertical layout",
	    "select-layout even-vertical" },
	{ "prefix", "M-3", 0, "Set the main-horizontal layout",
	    "select-layout main-horizontal" },
	{ "prefix", "M-4", 0, "Set the main-vertical layout",
	    "select-layout main-vertical" },
	{ "prefix", "M-5", 0, "Select the tiled layout",
	    "select-layout tiled" },
	{ "prefix", "M-n", 0, "Select the next window with an alert",
	    "next-window -a" },
	{ "prefix", "M-o", 0, "Rotate through the panes in reverse",
	    "rotate-window -D" },
	{ "prefix", "M-p", 0, "Select the previous window with an alert",
	    "previous-window -a" },
	{ "prefix", "M-Up", 1, "Resize the pane up by 5",
	    "resize-pane -U 5" },
	{ "prefix", "M-Down", 1, "Resize the pane down by 5",
	    "resize-pane -D 5" },
	{ "prefix", "M-Left", 1, "Resize the pane left by 5",
	    "resize-pane -L 5" },
	{ "prefix", "M-Right", 1, "Resize the pane right by 5",
	    "resize-pane -R 5" },
	{ "prefix", "C-Up", 1, "Resize the pane up",
	    "resize-pane -U" },
	{ "prefix", "C-Down", 1, "Resize the pane down",
	    "resize-pane -D" },
	{ "prefix", "C-Left", 1, "Resize the pane left",
	    "resize-pane -L" },
	{ "prefix", "C-Right", 1, "Resize the pane right",
	    "resize-pane -R" },
	{ "prefix", "S-Up", 1, "Move the visible part of the window up",
	    "refresh-client -U 10" },
	{ "prefix", "S-Down", 1, "Move the visible part of the window down",
	    "refresh-client -D 10" },
	{ "prefix", "S-Left", 1, "Move the visible part of the window left",
	    "refresh-client -L 10" },
	{ "prefix", "S-Right", 1, "Move the visible part of the window right",
	    "refresh-client -R 10" },
	{ "root", "MouseDown1Pane", 0, NULL,
	    "select-pane -t = \\; send-keys -M" },
	{ "root", "MouseDown1Status", 0, NULL,
	    "select-window -t =" },
	{ "root", "MouseDown2Pane", 0, NULL,
	    "select-pane -t = \\; if-shell -F \"#{||:#{pane_in_mode},#{mouse_any_flag}}"
	    "\" { send-keys -M } { paste-buffer -p }" },
	{ "root", "MouseDown3Pane", 0, NULL,
	    "if-shell -F -t = \"#{||:#{mouse_any_flag},#{&&:#{pane_in_mode},#{?#{m/r:("
	    "copy|view)-mode,#{pane_mode}},0,1}}}\" { select-pane -t = ; send-keys -M "
	    "} { display-menu -T \"#[align=centre]#{pane_index} (#{pane_id})\" -t = -x "
	    "M -y M \"#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Top,}\" < { send-ke"
	    "ys -X history-top } \"#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Botto"
	    "m,}\" > { send-keys -X history-bottom } '' \"#{?mouse_word,Search For #[un"
	    "derscore]#{=/9/...:mouse_word},}\" C-r { if-shell -F \"#{?#{m/r:(copy|view"
	    ")-mode,#{pane_mode}},0,1}\" \"copy-mode -t=\" ; send-keys -X -t = search-ba"
	    "ckward \"#{q:mouse_word}\" } \"#{?mouse_word,Type #[underscore]#{=/9/...:mo"
	    "use_word},}\" C-y { copy-mode -q ; send-keys -l \"#{q:mouse_word}\" } \"#{?m"
	    "ouse_word,Copy #[underscore]#{=/9/...:mouse_word},}\" c { copy-mode -q ; "
	    "set-buffer \"#{q:mouse_word}\" } \"#{?mouse_line,Copy Line,}\" l { copy-mode"
	    " -q ; set-buffer \"#{q:mouse_line}\" } '' \"Horizontal Split\" h { split-win"
	    "dow -h } \"Vertical Split\" v { split-window -v } '' \"#{?#{>:#{window_pane"
	    "s},1},,-}Swap Up\" u { swap-pane -U } \"#{?#{>:#{window_panes},1},,-}Swap "
	    "Down\" d { swap-pane -D } \"#{?pane_marked_set,,-}Swap Marked\" s { swap-pa"
	    "ne } '' Kill X { kill-pane } Respawn R { respawn-pane -k } \"#{?pane_mark"
	    "ed,Unmark,Mark}\" m { select-pane -m } \"#{?#{>:#{window_panes},1},,-}#{?w"
	    "indow_zoomed_flag,Unzoom,Zoom}\" z { resize-pane -Z } }" },
	{ "root", "MouseDown3Status", 0, NULL,
	    "display-menu -T \"#[align=centre]#{window_index}:#{window_name}\" -t = -x "
	    "W -y W \"#{?#{>:#{session_windows},1},,-}Swap Left\" l { swap-window -t :-"
	    "1 } \"#{?#{>:#{session_windows},1},,-}Swap Right\" r { swap-window -t :+1 "
	    "} \"#{?pane_marked_set,,-}Swap Marked\" s { swap-window } '' Kill X { kill"
	    "-window } Respawn R { respawn-window -k } \"#{?pane_marked,Unmark,Mark}\" "
	    "m { select-pane -m } Rename n { command-prompt -F -I \"#W\" { rename-windo"
	    "w -t \"#{window_id}\" \"%%\" } } '' \"New After\" w { new-window -a } \"New At "
	    "End\" W { new-window }" },
	{ "root", "MouseDown3StatusLeft", 0, NULL,
	    "display-menu -T \"#[align=centre]#{session_name}\" -t = -x M -y W Next n {"
	    " switch-client -n } Previous p { switch-client -p } '' Renumber N { move"
	    "-window -r } Rename n { command-prompt -I \"#S\" { rename-session \"%%\" } }"
	    " '' \"New Session\" s { new-session } \"New Window\" w { new-window }" },
	{ "root", "MouseDrag1Pane", 0, NULL,
	    "if-shell -F \"#{||:#{pane_in_mode},#{mouse_any_flag}}\" { send-keys -M } {"
	    " copy-mode -M }" },
	{ "root", "MouseDrag1Border", 0, NULL,
	    "resize-pane -M" },
	{ "root", "WheelUpPane", 0, NULL,
	    "if-shell -F \"#{||:#{pane_in_mode},#{mouse_any_flag}}\" { send-keys -M } {"
	    " copy-mode -e }" },
	{ "root", "WheelUpStatus", 0, NULL,
	    "previous-window" },
	{ "root", "WheelDownStatus", 0, NULL,
	    "next-window" },
	{ "root", "DoubleClick1Pane", 0, NULL,
	    "select-pane -t = \\; if-shell -F \"#{||:#{pane_in_mode},#{mouse_any_flag}}"
	    "\" { send-keys -M } { copy-mode -H ; send-keys -X select-word ; run-shell"
	    " -d 0.3 ; send-keys -X copy-pipe-and-cancel }" },
	{ "root", "TripleClick1Pane", 0, NULL,
	    "select-pane -t = \\; if-shell -F \"#{||:#{pane_in_mode},#{mouse_any_flag}}"
	    "\" { send-keys -M } { copy-mode -H ; send-keys -X select-line ; run-shell"
	    " -d 0.3 ; send-keys -X copy-pipe-and-cancel }" },
	{ "root", "M-MouseDown3Pane", 0, NULL,
	    "display-menu -T \"#[align=centre]#{pane_index} (#{pane_id})\" -t = -x M -y"
	    " M \"#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Top,}\" < { send-keys -"
	    "X history-top } \"#{?#{m/r:(copy|view)-mode,#{pane_mode}},Go To Bottom,}\""
	    " > { send-keys -X history-bottom } '' \"#{?mouse_word,Search For #[unders"
	    "core]#{=/9/...:mouse_word},}\" C-r { if-shell -F \"#{?#{m/r:(copy|view)-mo"
	    "de,#{pane_mode}},0,1}\" \"copy-mode -t=\" ; send-keys -X -t = search-backwa"
	    "rd \"#{q:mouse_word}\" } \"#{?mouse_word,Type #[underscore]#{=/9/...:mouse_"
	    "word},}\" C-y { copy-mode -q ; send-keys -l \"#{q:mouse_word}\" } \"#{?mouse"
	    "_word,Copy #[underscore]#{=/9/...:mouse_word},}\" c { copy-mode -q ; set-"
	    "buffer \"#{q:mouse_word}\" } \"#{?mouse_line,Copy Line,}\" l { copy-mode -q "
	    "; set-buffer \"#{q:mouse_line}\" } '' \"Horizontal Split\" h { split-window "
	    "-h } \"Vertical Split\" v { split-window -v } '' \"#{?#{>:#{window_panes},1"
	    "},,-}Swap Up\" u { swap-pane -U } \"#{?#{>:#{window_panes},1},,-}Swap Down"
	    "\" d { swap-pane -D } \"#{?pane_marked_set,,-}Swap Marked\" s { swap-pane }"
	    " '' Kill X { kill-pane } Respawn R { respawn-pane -k } \"#{?pane_marked,U"
	    "nmark,Mark}\" m { select-pane -m } \"#{?#{>:#{window_panes},1},,-}#{?windo"
	    "w_zoomed_flag,Unzoom,Zoom}\" z { resize-pane -Z }" },
};

/* The order tmux lists keys in: its key codes differ from ours in where
 * the special keys sit and in how non-ASCII characters are packed (width,
 * then length, then the bytes backwards), so rank ours to match. */
static uint64_t key_order(uint64_t key)
{
	uint64_t mods = key & KEY_MASK_MODIFIERS, k = key & KEY_MASK_KEY;

	if (k < 0x80)
		return mods | k;
	if (k < KEY_BASE) {
		char u[4];
		size_t len = utf8_encode((uint32_t)k, u);
		int w = utf8_width((uint32_t)k);
		uint64_t packed = 0;

		if (w < 0)
			w = 0;
		if (len <= 3) {
			for (size_t i = len; i > 0; i--)
				packed = packed << 8 | (uint8_t)u[i - 1];
		} else
			packed = k;
		return mods | (uint64_t)(w + 1) << 29 | (uint64_t)len << 24 | packed;
	}
	uint64_t rank;
	if (k == KEY_ANY)
		rank = 1;
	else if (k >= KEY_MOUSE_FIRST && k <= KEY_MOUSE_LAST)
		rank = 2 + (k - KEY_MOUSE_FIRST);
	else if (k == KEY_BSPACE)
		rank = 2 + KEY_MOUSE_NEVENTS * KEY_MOUSE_NLOCATIONS;
	else if (k >= KEY_F1 && k <= KEY_KP_PERIOD)
		rank = 3 + KEY_MOUSE_NEVENTS * KEY_MOUSE_NLOCATIONS + (k - KEY_F1) - (k > KEY_BSPACE);
	else
		rank = 0;
	return mods | (0x80 + rank);
}

static void binding_free(struct key_binding *bd)
{
	if (bd == NULL)
		return;
	free(bd->note);
	free(bd->text);
	cmd_parse_result_free(&bd->cmds);
	free(bd);
}

static void table_free(struct key_table *t)
{
	for (unsigned i = 0; i < t->n; i++)
		binding_free(t->b[i]);
	free(t->b);
	free(t->name);
	free(t);
}

static int table_cmp(const void *name, const void *t)
{
	return strcmp(name, (*(struct key_table *const *)t)->name);
}

/* Index of NAME in KT, or where it would go (*FOUND says which). */
static size_t table_index(const struct key_tables *kt, const char *name, int *found)
{
	return sorted_find(kt->t, kt->n, sizeof *kt->t, name, table_cmp, found);
}

static struct key_table *table_find(const struct key_tables *kt, const char *name)
{
	int found;
	size_t i = table_index(kt, name, &found);
	return found ? kt->t[i] : NULL;
}

static struct key_table *table_get(struct key_tables *kt, const char *name)
{
	int found;
	size_t i = table_index(kt, name, &found);

	if (found)
		return kt->t[i];
	kt->t = sorted_insert(kt->t, &kt->n, &kt->cap, sizeof *kt->t, i);
	kt->t[i] = xcalloc(1, sizeof **kt->t);
	kt->t[i]->name = xstrdup(name);
	return kt->t[i];
}

static void table_remove(struct key_tables *kt, const char *name)
{
	int found;
	size_t i = table_index(kt, name, &found);

	if (!found)
		return;
	table_free(kt->t[i]);
	sorted_remove(kt->t, &kt->n, sizeof *kt->t, i);
}

static int binding_cmp(const void *order, const void *bd)
{
	uint64_t want = *(const uint64_t *)order;
	uint64_t have = key_order((*(struct key_binding *const *)bd)->key);

	return want < have ? -1 : want > have;
}

/* Index of KEY's binding in T, or where it would go (*FOUND says which). */
static size_t binding_index(const struct key_table *t, uint64_t key, int *found)
{
	uint64_t want = key_order(key);

	return sorted_find(t->b, t->n, sizeof *t->b, &want, binding_cmp, found);
}

/* Put BD into T, replacing any binding of the same key. */
static void table_put(struct key_table *t, struct key_binding *bd)
{
	int found;
	size_t i = binding_index(t, bd->key, &found);

	if (found) {
		binding_free(t->b[i]);
		t->b[i] = bd;
		return;
	}
	t->b = sorted_insert(t->b, &t->n, &t->cap, sizeof *t->b, i);
	t->b[i] = bd;
}

static struct key_binding *table_lookup(const struct key_table *t, uint64_t key)
{
	int found;
	size_t i;

	if (t == NULL)
		return NULL;
	i = binding_index(t, key, &found);
	return found ? t->b[i] : NULL;
}

/* A key bind-key accepts: a real key, not None or the internal events. */
static uint64_t bindable_key(const char *name, char **cause)
{
	uint64_t key = key_string_lookup_string(name);
	uint64_t k = key & KEY_MASK_KEY;

	if (key == KEY_UNKNOWN || key == KEY_NONE || k == KEY_NONE || k == KEY_UNKNOWN ||
	    (k >= KEY_FOCUS_IN && k <= KEY_PASTE_END)) {
		if (cause != NULL)
			*cause = xasprintf("unknown key: %s", name);
		return KEY_UNKNOWN;
	}
	return key;
}

/* Text in tmux's syntax with its { } blocks turned into quoted words, so
 * cmd_parse reads a block as the one argument tmux makes of it. */
static char *unbrace(const char *s)
{
	struct buf b;
	char quote = 0, *out;

	buf_init(&b);
	for (size_t i = 0; s[i] != '\0'; i++) {
		char ch = s[i];

		if (quote != 0) {
			if (ch == '\\' && quote == '"' && s[i + 1] != '\0') {
				buf_add(&b, s + i, 2);
				i++;
				continue;
			}
			if (ch == quote)
				quote = 0;
			buf_add_u8(&b, (uint8_t)ch);
			continue;
		}
		if (ch == '\\' && s[i + 1] != '\0') {
			buf_add(&b, s + i, 2);
			i++;
			continue;
		}
		if (ch == '"' || ch == '\'') {
			quote = ch;
			buf_add_u8(&b, (uint8_t)ch);
			continue;
		}
		if (ch == '{' && (i == 0 || s[i - 1] == ' ') && (s[i + 1] == ' ' || s[i + 1] == '\0')) {
			/* Find the matching } outside quotes. */
			size_t j = i + 1, depth = 1;
			char q = 0;
			for (; s[j] != '\0'; j++) {
				if (q != 0) {
					if (s[j] == '\\' && q == '"' && s[j + 1] != '\0')
						j++;
					else if (s[j] == q)
						q = 0;
				} else if (s[j] == '\\' && s[j + 1] != '\0')
					j++;
				else if (s[j] == '"' || s[j] == '\'')
					q = s[j];
				else if (s[j] == '{' && s[j - 1] == ' ')
					depth++;
				else if (s[j] == '}' && s[j - 1] == ' ' && --depth == 0)
					break;
			}
			size_t a = i + 1, e = j;
			while (a < e && s[a] == ' ')
				a++;
			while (e > a && s[e - 1] == ' ')
				e--;
			char *inner = xstrndup(s + a, e - a);
			char *q2 = cmd_parse_quote(inner);
			buf_add(&b, q2, strlen(q2));
			free(q2);
			free(inner);
			i = s[j] == '\0' ? j - 1 : j;
			continue;
		}
		buf_add_u8(&b, (uint8_t)ch);
	}
	buf_add_u8(&b, 0);
	out = xstrdup((char *)b.data);
	buf_free(&b);
	return out;
}

static struct key_binding *binding_new(uint64_t key, int repeat, const char *note)
{
	struct key_binding *bd = xcalloc(1, sizeof *bd);

	bd->key = key;
	bd->repeat = repeat != 0;
	bd->note = note != NULL ? xstrdup(note) : NULL;
	return bd;
}

/* The first parse error of R as tmux reports a bad command string. */
static char *parse_cause(const struct cmd_parse_result *r, int err)
{
	if (r->nerrors != 0)
		return xstrdup(r->errors[0].message);
	return xstrdup(err == RMUX_ERR_TOO_BIG ? "command too long" : "out of memory");
}

/* Parse a command string as bind-key does: a ";" word (from \; in the
 * text) separates commands as well. */
static int parse_commands(const char *text, struct cmd_parse_result *r)
{
	struct cmd_parse_result first, part;
	int err = cmd_parse_string(text, strlen(text), NULL, &first);

	if (err != 0) {
		*r = first;
		return err;
	}
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < first.ncmds; i++) {
		if ((err = cmd_parse_argv(first.cmds[i].argc, first.cmds[i].argv, &part)) != 0) {
			cmd_parse_result_free(r);
			break;
		}
		r->cmds = xreallocarray(r->cmds, r->ncmds + part.ncmds, sizeof *r->cmds);
		for (size_t j = 0; j < part.ncmds; j++) {
			part.cmds[j].line = first.cmds[i].line;
			r->cmds[r->ncmds++] = part.cmds[j];
		}
		free(part.cmds);
		part.cmds = NULL;
		part.ncmds = 0;
		cmd_parse_result_free(&part);
	}
	cmd_parse_result_free(&first);
	return err;
}

/* Check and print the commands of BD (PRINT from the ops). */
static int binding_print(const struct key_tables *kt, struct key_binding *bd, char **cause)
{
	struct buf b;

	if (kt->ops.print == NULL) {
		bd->text = cmd_parse_print(&bd->cmds);
		return 0;
	}
	buf_init(&b);
	for (size_t i = 0; i < bd->cmds.ncmds; i++) {
		char *why = NULL;
		char *one = kt->ops.print(bd->cmds.cmds[i].argc, bd->cmds.cmds[i].argv, &why,
		    kt->ops.arg);
		if (one == NULL) {
			buf_free(&b);
			*cause = why != NULL ? why : xstrdup("invalid command");
			return -1;
		}
		free(why);
		if (i != 0)
			buf_add(&b, " \\; ", 4);
		buf_add(&b, one, strlen(one));
		free(one);
	}
	buf_add_u8(&b, 0);
	bd->text = xstrdup((char *)b.data);
	buf_free(&b);
	return 0;
}

static void set_note(struct key_tables *kt, const char *table, uint64_t key, const char *note)
{
	struct key_binding *bd = table_lookup(table_get(kt, table), key);

	if (bd != NULL) {
		free(bd->note);
		bd->note = note != NULL ? xstrdup(note) : NULL;
	}
}

int key_tables_bind(struct key_tables *kt, const char *table, const char *keyname, int repeat,
    const char *note, int argc, char *const *argv, char **cause)
{
	struct key_binding *bd;
	uint64_t key;
	int err;

	if ((key = bindable_key(keyname, cause)) == KEY_UNKNOWN)
		return -1;
	if (argc <= 0) {
		set_note(kt, table, key, note);
		return 0;
	}
	bd = binding_new(key, repeat, note);
	if (argc == 1)
		err = parse_commands(argv[0], &bd->cmds);
	else
		err = cmd_parse_argv(argc, argv, &bd->cmds);
	if (err != 0) {
		*cause = parse_cause(&bd->cmds, err);
		binding_free(bd);
		return -1;
	}
	if (binding_print(kt, bd, cause) != 0) {
		binding_free(bd);
		return -1;
	}
	table_put(table_get(kt, table), bd);
	return 0;
}

int key_tables_bind_text(struct key_tables *kt, const char *table, const char *keyname,
    int repeat, const char *note, const char *command, char **cause)
{
	struct key_binding *bd;
	uint64_t key;
	char *flat;
	int err;

	if ((key = bindable_key(keyname, cause)) == KEY_UNKNOWN)
		return -1;
	bd = binding_new(key, repeat, note);
	flat = unbrace(command);
	err = parse_commands(flat, &bd->cmds);
	free(flat);
	if (err != 0) {
		*cause = parse_cause(&bd->cmds, err);
		binding_free(bd);
		return -1;
	}
	bd->text = xstrdup(command);
	table_put(table_get(kt, table), bd);
	return 0;
}

int key_tables_unbind(struct key_tables *kt, const char *table, const char *keyname, int all,
    int quiet, char **cause)
{
	struct key_table *t;
	uint64_t key = KEY_NONE;
	int found;

	if (all && keyname != NULL) {
		if (!quiet)
			*cause = xstrdup("key given with -a");
		return -1;
	}
	if (!all) {
		if (keyname == NULL) {
			if (!quiet)
				*cause = xstrdup("missing key");
			return -1;
		}
		if ((key = bindable_key(keyname, quiet ? NULL : cause)) == KEY_UNKNOWN)
			return -1;
	}
	if ((t = table_find(kt, table)) == NULL) {
		if (strcmp(table, "root") == 0)
			return 0;
		if (!quiet)
			*cause = xasprintf("table %s doesn't exist", table);
		return -1;
	}
	if (!all) {
		size_t i = binding_index(t, key, &found);
		if (!found)
			return 0;
		binding_free(t->b[i]);
		sorted_remove(t->b, &t->n, sizeof *t->b, i);
	}
	if (all || t->n == 0)
		table_remove(kt, table);
	return 0;
}

struct key_tables *key_tables_create(const struct key_tables_ops *ops)
{
	struct key_tables *kt = xcalloc(1, sizeof *kt);

	if (ops != NULL)
		kt->ops = *ops;
	table_get(kt, "root");
	for (size_t i = 0; i < RMUX_NITEMS(key_defaults); i++) {
		char *cause = NULL;
		/* The defaults are fixed text known to parse. */
		if (key_tables_bind_text(kt, key_defaults[i].table, key_defaults[i].key,
		    key_defaults[i].repeat, key_defaults[i].note, key_defaults[i].command,
		    &cause) != 0)
			abort();
	}
	return kt;
}

void key_tables_free(struct key_tables *kt)
{
	if (kt == NULL)
		return;
	for (unsigned i = 0; i < kt->n; i++)
		table_free(kt->t[i]);
	free(kt->t);
	free(kt);
}

int key_tables_exists(const struct key_tables *kt, const char *name)
{
	return strcmp(name, "root") == 0 || table_find(kt, name) != NULL;
}

const struct key_binding *key_tables_get(const struct key_tables *kt, const char *table,
    uint64_t key)
{
	return table_lookup(table_find(kt, table), key);
}

unsigned key_tables_count(const struct key_tables *kt, const char *table)
{
	const struct key_table *t = table_find(kt, table);
	return t != NULL ? (unsigned)t->n : 0;
}

const char *key_tables_table_name(const char *t_flag, int n_flag)
{
	if (t_flag != NULL)
		return t_flag;
	return n_flag ? "root" : "prefix";
}

/* Display width of a UTF-8 string. */
static unsigned str_width(const char *s)
{
	size_t len = strlen(s), off = 0;
	unsigned w = 0;

	while (off < len) {
		uint32_t cp;
		off += utf8_decode((const uint8_t *)s + off, len - off, &cp);
		int cw = utf8_width(cp);
		w += cw > 0 ? (unsigned)cw : 0;
	}
	return w;
}

/* S then spaces up to WIDTH columns. */
static void add_padded(struct buf *b, const char *s, unsigned width)
{
	unsigned w = str_width(s);

	buf_add(b, s, strlen(s));
	for (; w < width; w++)
		buf_add_u8(b, ' ');
}

static int note_listed(const struct key_binding *bd, uint64_t only, int all)
{
	if (only != KEY_UNKNOWN && bd->key != only)
		return 0;
	if (KEY_IS_MOUSE(bd->key))
		return 0;
	return all || (bd->note != NULL && *bd->note != '\0');
}

/* The widest key name among the noted bindings (-a does not count). */
static unsigned notes_width(const struct key_table *t, uint64_t only)
{
	unsigned width = 0;
	char name[KEY_STRING_MAX];

	for (unsigned i = 0; t != NULL && i < t->n; i++) {
		if (!note_listed(t->b[i], only, 0))
			continue;
		unsigned w = str_width(key_string_lookup_key(t->b[i]->key, name));
		if (w > width)
			width = w;
	}
	return width;
}

static int notes_print(struct buf *b, const struct key_table *t, unsigned width, uint64_t only,
    int flags, const char *start)
{
	char name[KEY_STRING_MAX];
	int found = 0;

	for (unsigned i = 0; t != NULL && i < t->n; i++) {
		const struct key_binding *bd = t->b[i];
		if (!note_listed(bd, only, flags & KEY_LIST_ALL))
			continue;
		found = 1;
		buf_add(b, start, strlen(start));
		add_padded(b, key_string_lookup_key(bd->key, name), width + 1);
		if (bd->note != NULL && *bd->note != '\0')
			buf_add(b, bd->note, strlen(bd->note));
		else
			buf_add(b, bd->text, strlen(bd->text));
		buf_add_u8(b, '\n');
		if (flags & KEY_LIST_FIRST)
			break;
	}
	return found;
}

static int list_notes(const struct key_tables *kt, struct buf *b, const char *table,
    uint64_t only, int flags, const char *prefix_string, uint64_t prefix_key)
{
	char name[KEY_STRING_MAX];
	int found;

	if (table != NULL) {
		const struct key_table *t = table_find(kt, table);
		return notes_print(b, t, notes_width(t, only), only, flags,
		    prefix_string != NULL ? prefix_string : "");
	}

	const struct key_table *root = table_find(kt, "root"), *prefix = table_find(kt, "prefix");
	char *start;
	unsigned width = notes_width(root, only);

	if (prefix_string != NULL)
		start = xstrdup(prefix_string);
	else if (prefix_key != KEY_NONE)
		start = xasprintf("%s ", key_string_lookup_key(prefix_key, name));
	else
		start = xstrdup("");
	if (prefix_key != KEY_NONE) {
		unsigned w = notes_width(prefix, only);
		if (w == 0)
			prefix_key = KEY_NONE;
		else if (w > width)
			width = w;
	}
	char *blank = xmalloc(str_width(start) + 1);
	memset(blank, ' ', str_width(start));
	blank[str_width(start)] = '\0';
	found = notes_print(b, root, width, only, flags, blank);
	if (prefix_key != KEY_NONE && notes_print(b, prefix, width, only, flags, start))
		found = 1;
	free(blank);
	free(start);
	return found;
}

char *key_tables_list(const struct key_tables *kt, const char *table, const char *keyname,
    int flags, const char *prefix_string, uint64_t prefix_key, char **cause)
{
	uint64_t only = KEY_UNKNOWN;
	char name[KEY_STRING_MAX];
	struct buf b;
	int found = 0;
	char *out;

	if (keyname != NULL && (only = bindable_key(keyname, cause)) == KEY_UNKNOWN)
		return NULL;
	buf_init(&b);
	if (flags & KEY_LIST_NOTES) {
		found = list_notes(kt, &b, table, only, flags, prefix_string, prefix_key);
		goto out;
	}
	if (table != NULL && !key_tables_exists(kt, table)) {
		*cause = xasprintf("table %s doesn't exist", table);
		buf_free(&b);
		return NULL;
	}

	/* Columns are as wide as the widest table name and key listed; the
	 * -r column is there only if some listed binding repeats. */
	unsigned tablewidth = 0, keywidth = 0;
	int repeat = 0;
	for (unsigned i = 0; i < kt->n; i++) {
		const struct key_table *t = kt->t[i];
		if (table != NULL && strcmp(t->name, table) != 0)
			continue;
		for (unsigned j = 0; j < t->n; j++) {
			if (only != KEY_UNKNOWN && t->b[j]->key != only)
				continue;
			char *q = cmd_parse_quote(key_string_lookup_key(t->b[j]->key, name));
			repeat |= t->b[j]->repeat;
			tablewidth = RMUX_MAX(tablewidth, str_width(t->name));
			keywidth = RMUX_MAX(keywidth, str_width(q));
			free(q);
		}
	}
	for (unsigned i = 0; i < kt->n; i++) {
		const struct key_table *t = kt->t[i];
		if (table != NULL && strcmp(t->name, table) != 0)
			continue;
		for (unsigned j = 0; j < t->n; j++) {
			const struct key_binding *bd = t->b[j];
			if (only != KEY_UNKNOWN && bd->key != only)
				continue;
			found = 1;
			char *q = cmd_parse_quote(key_string_lookup_key(bd->key, name));
			buf_add(&b, "bind-key ", 9);
			if (repeat)
				buf_add(&b, bd->repeat ? "-r " : "   ", 3);
			buf_add(&b, "-T ", 3);
			add_padded(&b, t->name, tablewidth);
			buf_add_u8(&b, ' ');
			add_padded(&b, q, keywidth);
			buf_add_u8(&b, ' ');
			buf_add(&b, bd->text, strlen(bd->text));
			buf_add_u8(&b, '\n');
			free(q);
		}
	}
out:
	if (only != KEY_UNKNOWN && !found) {
		*cause = xasprintf("unknown key: %s", keyname);
		buf_free(&b);
		return NULL;
	}
	buf_add_u8(&b, 0);
	out = xstrdup((char *)b.data);
	buf_free(&b);
	return out;
}

/* ---- the key path ---- */

const char *key_client_table(const struct key_client *c, const char *default_table)
{
	if (c->table != NULL)
		return c->table;
	return default_table != NULL ? default_table : "root";
}

void key_client_set_table(struct key_client *c, const char *table)
{
	free(c->table);
	c->table = table != NULL ? xstrdup(table) : NULL;
}

void key_client_clear(struct key_client *c)
{
	free(c->table);
	memset(c, 0, sizeof *c);
}

int key_client_expire(struct key_client *c, uint64_t now)
{
	if (!c->repeat || now < c->repeat_until)
		return 0;
	c->repeat = 0;
	key_client_set_table(c, NULL);
	return 1;
}

int key_tables_dispatch(const struct key_tables *kt, struct key_client *c,
    const struct key_dispatch *d, uint64_t key, const struct key_binding **bdp)
{
	const char *deflt = d->default_table != NULL ? d->default_table : "root";
	const char *table;
	uint64_t key0;
	int was_repeat, first_default;

	*bdp = NULL;
	key_client_expire(c, d->now);

	/* The pane's mode table stands in for the default table. */
	table = key_client_table(c, deflt);
	if (strcmp(table, deflt) == 0 && d->mode_table != NULL)
		table = d->mode_table;
	first_default = strcmp(table, deflt) == 0;

	for (;;) {
		key0 = key & (KEY_MASK_KEY | KEY_MASK_MODIFIERS);
		if (key0 != KEY_NONE && (key0 == d->prefix || key0 == d->prefix2) &&
		    strcmp(table, "prefix") != 0) {
			key_client_set_table(c, "prefix");
			return KEY_DISPATCH_PREFIX;
		}
		was_repeat = c->repeat;

		const struct key_binding *bd = key_tables_get(kt, table, key0);
		if (bd == NULL)
			bd = key_tables_get(kt, table, KEY_ANY);
		if (bd != NULL) {
			if (c->repeat && !bd->repeat) {
				/* A plain key ends a repeat run and is tried afresh. */
				key_client_set_table(c, NULL);
				c->repeat = 0;
				table = deflt;
				first_default = 1;
				continue;
			}
			if (d->repeat_time != 0 && bd->repeat) {
				c->repeat = 1;
				c->repeat_until = d->now + d->repeat_time;
			} else {
				c->repeat = 0;
				key_client_set_table(c, NULL);
			}
			*bdp = bd;
			return KEY_DISPATCH_RUN;
		}
		if (strcmp(table, deflt) != 0 || c->repeat) {
			key_client_set_table(c, NULL);
			table = deflt;
			if (c->repeat)
				first_default = 1;
			c->repeat = 0;
			continue;
		}
		if (!first_default && !was_repeat) {
			key_client_set_table(c, NULL);
			return KEY_DISPATCH_DROP;
		}
		return KEY_DISPATCH_PANE;
	}
}

void key_binding_dup(const struct key_binding *bd, struct cmd_parse_result *out)
{
	memset(out, 0, sizeof *out);
	if (bd->cmds.ncmds == 0)
		return;
	out->cmds = xcalloc(bd->cmds.ncmds, sizeof *out->cmds);
	out->ncmds = bd->cmds.ncmds;
	for (size_t i = 0; i < bd->cmds.ncmds; i++) {
		const struct cmd_parse_cmd *from = &bd->cmds.cmds[i];
		struct cmd_parse_cmd *to = &out->cmds[i];
		to->argc = from->argc;
		to->line = from->line;
		to->argv = xcalloc((size_t)from->argc + 1, sizeof *to->argv);
		for (int j = 0; j < from->argc; j++)
			to->argv[j] = xstrdup(from->argv[j]);
	}
}
