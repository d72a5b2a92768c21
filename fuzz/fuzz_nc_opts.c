/*
 * Fuzz the sshproxy-nc command line (cmd/nc-opts.c nc_parse_args()).
 * The input is split at NUL bytes into argv[1..]; argv[0] is the
 * program name.  nc_parse_args() only parses: it never resolves,
 * dials or reads files.
 *
 * Properties:
 *   - the result is 0 or one of the documented exit statuses, and a
 *     refusal always comes with a reason, NUL-terminated in its buffer;
 *   - on success the destination is complete and parses again after
 *     sp_addr_format(), proxies are within bounds and hold no password,
 *     HTTP headers are "Name: value" without CR or LF, and timeouts
 *     are positive.
 */
#include "config.h"

#include <string.h>

#include "addr.h"
#include "err.h"
#include "fuzz.h"
#include "nc-opts.h"

#define ARGS_MAX	64

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nc_opts o;
	struct sp_addr back;
	struct fuzz_in in;
	char *argv[ARGS_MAX + 2], err[256], hp[SP_HOST_MAX + 16];
	int argc = 0, r, i;

	if (size > 4096)
		return 0;
	fuzz_in_init(&in, data, size);
	argv[argc++] = strdup("sshproxy-nc");
	while (in.left > 0 && argc <= ARGS_MAX)
		argv[argc++] = fuzz_string(&in);
	argv[argc] = NULL;

	memset(err, 'X', sizeof(err));
	r = nc_parse_args(argc, argv, &o, err, sizeof(err));
	FUZZ_CHECK(FUZZ_TERMINATED(err, sizeof(err)), "reason unterminated");
	FUZZ_CHECK(r == 0 || r == SP_EXIT_USAGE || r == SP_EXIT_DATAERR,
	    "exit status %d (%s)", r, err);
	if (r != 0) {
		FUZZ_CHECK(err[0] != '\0', "status %d without a reason", r);
		goto out;
	}
	if (o.action == NC_HELP || o.action == NC_VERSION)
		goto out;

	FUZZ_CHECK(o.dest.host[0] != '\0' && o.dest.port != 0,
	    "incomplete destination");
	FUZZ_CHECK(FUZZ_TERMINATED(o.dest.host, sizeof(o.dest.host)) &&
	    o.dest.user[0] == '\0', "destination fields");
	FUZZ_CHECK(sp_addr_format(o.dest.host, o.dest.port, hp, sizeof(hp)) ==
	    SP_OK, "format");
	r = sp_addr_parse(hp, SP_ADDR_NEED_PORT, &back);
	FUZZ_CHECK(r == SP_OK && strcmp(back.host, o.dest.host) == 0 &&
	    back.port == o.dest.port, "'%s' does not parse back: %d", hp, r);

	FUZZ_CHECK(o.route.nhops >= 0 && o.route.nhops <= SP_PROXY_HOPS_MAX,
	    "nhops %d", o.route.nhops);
	for (i = 0; i < o.route.nhops; i++) {
		const struct sp_proxy *p = &o.route.hops[i];

		FUZZ_CHECK(p->type >= SP_PROXY_SOCKS4 &&
		    p->type <= SP_PROXY_HTTPS && p->password == NULL &&
		    p->host[0] != '\0' &&
		    FUZZ_TERMINATED(p->user, sizeof(p->user)),
		    "hop %d", i);
	}
	FUZZ_CHECK(o.http.nheaders >= 0 &&
	    o.http.nheaders <= SP_HTTP_HEADERS_MAX, "nheaders");
	for (i = 0; i < o.http.nheaders; i++)
		FUZZ_CHECK(strchr(o.http.headers[i], ':') != NULL &&
		    strpbrk(o.http.headers[i], "\r\n") == NULL,
		    "header '%s'", o.http.headers[i]);
	FUZZ_CHECK(o.dial.timeout_ms >= 0 && o.relay.idle_timeout_ms >= 0,
	    "negative timeout");
	FUZZ_CHECK(!(o.quiet && o.verbose), "-q with -v");
 out:
	sp_route_clear(&o.route);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}
