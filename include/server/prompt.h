/* prompt.h — what a session's message line shows in place of its status
 * line: a message (display-message, errors of commands typed at the
 * prompt or run by key bindings) for display-time ms, or the command
 * prompt (command-prompt, confirm-before), which takes the session's keys
 * before its key tables do. The key path is per session, so the prompt
 * and the message are too. */
#ifndef RMUX_SERVER_PROMPT_H
#define RMUX_SERVER_PROMPT_H

#include <stdint.h>

#include "common/buf.h"

struct pane;
struct session;

/* What prompt_show() reports. */
#define PROMPT_SHOW_NONE 0
#define PROMPT_SHOW_MESSAGE 1
#define PROMPT_SHOW_PROMPT 2

/* command-prompt flags. */
#define PROMPT_SINGLE 0x1u  /* -1: one key answers */
#define PROMPT_KEY 0x2u     /* -k: one key answers with its name */
#define PROMPT_NUMERIC 0x4u /* -N: digits only */
#define PROMPT_CONFIRM 0x8u /* confirm-before: y runs, any other key cancels */
/* -i: the template runs on every change of the input with it after "="
 * (C-r and C-s: "-" and "+"); Enter only closes. The initial input comes
 * back with C-r or C-s on an empty input. */
#define PROMPT_INCREMENTAL 0x10u

/* Most characters of prompt input and entries of prompt history. */
#define PROMPT_INPUT_MAX 4096
#define PROMPT_HISTORY_MAX 100

/* Show TEXT on S's message line for DELAY_MS (negative: the display-time
 * option; 0: until a key). Replaces any message shown. */
void prompt_message(struct session *s, const char *text, long delay_ms);
/* The first line of ERR as an error message on the session with id
 * SESSION_ID, first letter capitalised as tmux shows errors. Nothing when
 * ERR is empty or the session is gone. */
void prompt_error(int session_id, const struct buf *err);
void prompt_clear_message(struct session *s);

/* Open the prompt on S. PROMPTS is comma-separated (one prompt per
 * answer), INPUTS the initial inputs likewise (either may be NULL), both
 * already expanded. TEMPLATE gets the answers for %1..%9 and %% (NULL:
 * the answer is the command). Commands run as typed in pane P (may be
 * NULL). A prompt already open is replaced. */
void prompt_open(struct session *s, struct pane *p, const char *prompts, const char *inputs,
    const char *template, unsigned flags);
void prompt_close(struct session *s);
int prompt_is_open(const struct session *s);

/* KEY typed into S: a shown message goes (the key goes on), an open
 * prompt takes the key. Returns 1 if the prompt took it; then *PP is S's
 * active pane again, or NULL if S is gone (the command run by Enter may
 * have changed anything). */
int prompt_key(struct session *s, struct pane **pp, uint64_t key);

/* What S's message line shows: PROMPT_SHOW_NONE; PROMPT_SHOW_MESSAGE with
 * the expanded message in *TEXT; or PROMPT_SHOW_PROMPT with the prompt in
 * *TEXT, its input (UTF-8) in *INPUT and the cursor in *CURSOR (an index in
 * characters of the input). Pointers stay valid until the next change.
 * Any argument but S may be NULL. */
int prompt_show(const struct session *s, const char **text, const char **input,
    unsigned *cursor);
/* A number that changes whenever what prompt_show() reports does. */
uint64_t prompt_serial(const struct session *s);
/* Bring V's message line up to date with S (the message in message-style,
 * or the prompt with its cursor; none when neither shows). */
struct view;
void prompt_view(struct view *v, const struct session *s);

/* Run TEXT as commands typed in pane PANE_ID (-1: the active pane) of the
 * session with id SID; an error shows as a message there. */
void prompt_run_text(int sid, int pane_id, const char *text);

/* TEMPLATE with the answer S for %IDX and the first %% (a third % quotes
 * the characters the command parser treats specially). Caller frees. */
char *prompt_template_replace(const char *template, const char *s, int idx);

/* Free S's message and prompt (session_destroy). */
void prompt_free(struct session *s);
/* Free the prompt history (server exit). */
void prompt_free_history(void);

#endif
