/* log.h — the -v log file (rmux-server-PID.log, rmux-client-PID.log) and fatal errors. */
#ifndef RMUX_COMMON_LOG_H
#define RMUX_COMMON_LOG_H

/* Open NAME-PID.log in the current directory; logging is off until this is called. */
void log_open(const char *name);
void log_close(void);
int log_enabled(void);
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "rmux: message" to stderr (and the log) and exit(1). */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As fatal, with ": strerror(errno)" appended. */
_Noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
