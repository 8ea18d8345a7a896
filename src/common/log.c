/* log.c — the optional -v log file and the fatal-error exits. */
#include "common/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static FILE *log_file;

void log_open(const char *name)
{
	char path[256];

	log_close();
	snprintf(path, sizeof path, "%s-%ld.log", name, (long)getpid());
	log_file = fopen(path, "a");
	if (log_file != NULL)
		setvbuf(log_file, NULL, _IOLBF, 0);
}

void log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

int log_enabled(void)
{
	return log_file != NULL;
}

static void __attribute__((format(printf, 1, 0))) log_vwrite(const char *fmt, va_list ap)
{
	struct timeval tv;

	if (log_file == NULL)
		return;
	gettimeofday(&tv, NULL);
	fprintf(log_file, "%lld.%06ld ", (long long)tv.tv_sec, (long)tv.tv_usec);
	vfprintf(log_file, fmt, ap);
	fputc('\n', log_file);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(fmt, ap);
	va_end(ap);
}

static _Noreturn void __attribute__((format(printf, 1, 0)))
die(const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	fprintf(stderr, "rmux: %s%s%s\n", msg, suffix ? ": " : "", suffix ? suffix : "");
	log_debug("fatal: %s%s%s", msg, suffix ? ": " : "", suffix ? suffix : "");
	exit(1);
}

void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die(fmt, ap, NULL);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;
	const char *err = strerror(errno);

	va_start(ap, fmt);
	die(fmt, ap, err);
}
