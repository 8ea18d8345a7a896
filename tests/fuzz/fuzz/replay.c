/* replay.c — runs saved inputs through a fuzz harness without libFuzzer:
 * every file named, or every file in every directory named (in name order).
 * Crashes found by fuzzing are saved under regressions/ and become tests
 * this way; the seed corpus runs too, so the suite always replays something.
 * A missing directory counts as empty (git keeps no empty folders). Each
 * input runs in a child process, so one failure does not hide the next. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

static long failures;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *p = realloc(data, cap);
			if (p == NULL) {
				free(data);
				fclose(f);
				return -1;
			}
			data = p;
		}
		size_t n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(data);
		return -1;
	}
	/* Announce first: if the harness crashes, the log names the input. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		free(data);
		return -1;
	}
	if (pid == 0) {
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		exit(0); /* not _exit: the leak checker runs at exit */
	}
	free(data);
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "replay: FAILED %s\n", path);
		failures++;
	}
	return 0;
}

static int skip_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Returns the number of inputs replayed, or -1 on an error. */
static long replay_path(const char *path)
{
	struct stat st;
	struct dirent **names;
	long count = 0;

	if (stat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;
	int n = scandir(path, &names, skip_entry, alphasort);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (count >= 0) {
			size_t size = strlen(path) + strlen(names[i]->d_name) + 2;
			char *file = malloc(size);
			if (file == NULL) {
				count = -1;
			} else {
				snprintf(file, size, "%s/%s", path, names[i]->d_name);
				if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
					count = replay_file(file) == 0 ? count + 1 : -1;
				free(file);
			}
		}
		free(names[i]);
	}
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	long total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		long n = replay_path(argv[i]);
		if (n < 0) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		total += n;
	}
	printf("replayed %ld inputs, %ld failed\n", total, failures);
	/* Nothing replayed means the paths are wrong, not that all is well. */
	return total > 0 && failures == 0 ? 0 : 1;
}
