/* rmux.c — main: global flags and dispatch to the command given. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: rmux [-V] [command [flags]]\n");
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "+Vh")) != -1) {
		switch (opt) {
		case 'V':
			printf("rmux %s\n", RMUX_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc)
		fprintf(stderr, "rmux: unknown command: %s\n", argv[optind]);
	else
		fprintf(stderr, "rmux: this build has the terminal emulator only; "
				"sessions arrive with the server\n");
	return 1;
}
