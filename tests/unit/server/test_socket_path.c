/* test_socket_path.c — where the control socket goes and which socket
 * directories are refused. Runs in a private RMUX_TMPDIR. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/socket_path.h"

static char base[] = "/tmp/rmux-sp-XXXXXX";
static char dir[256];

static int setup(void **state)
{
	if (mkdtemp(base) == NULL)
		return -1;
	setenv("RMUX_TMPDIR", base, 1);
	snprintf(dir, sizeof dir, "%s/rmux-%u", base, (unsigned)getuid());
	return 0;
}

static int teardown(void **state)
{
	rmdir(dir);
	rmdir(base);
	return 0;
}

static void test_resolve_creates_private_dir(void **state)
{
	char path[256], err[256], want[300];
	struct stat sb;

	rmdir(dir);
	assert_int_equal(socket_path_resolve(NULL, path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/default", dir);
	assert_string_equal(path, want);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(socket_path_resolve("work", path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/work", dir);
	assert_string_equal(path, want);
}

static void test_refuses_open_dir(void **state)
{
	char path[256], err[256];

	mkdir(dir, 0700);
	chmod(dir, 0777);
	assert_int_equal(socket_path_resolve("x", path, sizeof path, err, sizeof err), -1);
	assert_non_null(strstr(err, "unsafe permissions"));
	chmod(dir, 0750);
	assert_int_equal(socket_path_resolve("x", path, sizeof path, err, sizeof err), -1);
	chmod(dir, 0700);
	assert_int_equal(socket_path_resolve("x", path, sizeof path, err, sizeof err), 0);
}

static void test_refuses_bad_names(void **state)
{
	char path[256], err[256], longname[200];

	assert_int_equal(socket_path_resolve("a/b", path, sizeof path, err, sizeof err), -1);
	assert_non_null(strstr(err, "'/'"));
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_int_equal(socket_path_resolve(longname, path, sizeof path, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
}

static void test_check_dir_not_dir(void **state)
{
	char file[300], err[256];
	FILE *f;

	snprintf(file, sizeof file, "%s/file", base);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(socket_path_check_dir(file, (unsigned)getuid(), err, sizeof err), -1);
	assert_non_null(strstr(err, "not a directory"));
	assert_int_equal(socket_path_check_dir(base, (unsigned)getuid() + 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "not owned"));
	unlink(file);
}

static void test_absolute(void **state)
{
	char path[256], err[256], want[300], cwd[256];

	assert_int_equal(socket_path_absolute("/x/y", path, sizeof path, err, sizeof err), 0);
	assert_string_equal(path, "/x/y");
	/* The daemon leaves for "/" before it binds: a relative -S path is
	 * joined to the directory the command line ran in. */
	assert_int_equal(chdir(base), 0);
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(socket_path_absolute("sub/sock", path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/sub/sock", cwd);
	assert_string_equal(path, want);
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(socket_path_absolute("s", path, sizeof path, err, sizeof err), 0);
	assert_string_equal(path, "/s");
	assert_int_equal(socket_path_absolute("/long/enough", path, 8, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
}

static void test_from_env(void **state)
{
	char path[256];

	assert_int_equal(socket_path_from_env("/tmp/rmux-0/default,1234,0", path, sizeof path), 0);
	assert_string_equal(path, "/tmp/rmux-0/default");
	assert_int_equal(socket_path_from_env("/only/socket", path, sizeof path), 0);
	assert_string_equal(path, "/only/socket");
	assert_int_equal(socket_path_from_env(NULL, path, sizeof path), -1);
	assert_int_equal(socket_path_from_env("", path, sizeof path), -1);
	assert_int_equal(socket_path_from_env(",12,3", path, sizeof path), -1);
	assert_int_equal(socket_path_from_env("/a/b,1,2", path, 4), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_creates_private_dir),
		cmocka_unit_test(test_refuses_open_dir),
		cmocka_unit_test(test_refuses_bad_names),
		cmocka_unit_test(test_check_dir_not_dir),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_from_env),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
