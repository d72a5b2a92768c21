/* Unit tests: durations, numbers, error table (libproxy/util.c, err.c). */
#include "config.h"

#include <errno.h>

#include "err.h"
#include "tap.h"
#include "util.h"

static void
secs(const char *s, int want_r, int want_ms)
{
	int ms = -1, r = sp_parse_seconds(s, &ms);

	is_int(r, want_r, "seconds '%s' %s", s, want_r ? "refused" : "ok");
	if (r == SP_OK && want_r == SP_OK)
		is_int(ms, want_ms, "  '%s' is %d ms", s, want_ms);
}

int
main(void)
{
	unsigned long v;
	int i;

	secs("1", SP_OK, 1000);
	secs("0.5", SP_OK, 500);
	secs(".25", SP_OK, 250);
	secs("2.125", SP_OK, 2125);
	secs("10.", SP_ERR_INVALID_ARG, 0);
	secs("0.001", SP_OK, 1);
	secs("1000000", SP_OK, 1000000000);
	secs("1000001", SP_ERR_INVALID_ARG, 0);
	secs("99999999999999999999", SP_ERR_INVALID_ARG, 0);
	secs("0", SP_ERR_INVALID_ARG, 0);
	secs("0.0", SP_ERR_INVALID_ARG, 0);
	secs("0.0001", SP_ERR_INVALID_ARG, 0);
	secs("", SP_ERR_INVALID_ARG, 0);
	secs(".", SP_ERR_INVALID_ARG, 0);
	secs("-1", SP_ERR_INVALID_ARG, 0);
	secs("1s", SP_ERR_INVALID_ARG, 0);
	secs("1,5", SP_ERR_INVALID_ARG, 0);
	secs(" 1", SP_ERR_INVALID_ARG, 0);
	secs("1e3", SP_ERR_INVALID_ARG, 0);

	is_int(sp_parse_uint("250", 10, 2000, &v), SP_OK, "uint 250");
	is_int(v, 250, "  value 250");
	is_int(sp_parse_uint("9", 10, 2000, &v), SP_ERR_INVALID_ARG,
	    "uint below min");
	is_int(sp_parse_uint("2001", 10, 2000, &v), SP_ERR_INVALID_ARG,
	    "uint above max");
	is_int(sp_parse_uint("", 0, 10, &v), SP_ERR_INVALID_ARG, "uint empty");
	is_int(sp_parse_uint("1x", 0, 10, &v), SP_ERR_INVALID_ARG,
	    "uint trailing garbage");
	is_int(sp_parse_uint("99999999999999999999999", 0, 10, &v),
	    SP_ERR_INVALID_ARG, "uint overflow");

	/* Every code has words and an exit status from DESIGN.md. */
	for (i = SP_ERR_MAX; i <= 0; i++)
		ok(strcmp(sp_strerror(i), "unknown error") != 0,
		    "code %d has a message: %s", i, sp_strerror(i));
	is_int(sp_err_exit_status(SP_OK), 0, "ok -> 0");
	is_int(sp_err_exit_status(SP_ERR_PORT_RANGE), 65, "bad port -> 65");
	is_int(sp_err_exit_status(SP_ERR_NOHOST), 68, "no host -> 68");
	is_int(sp_err_exit_status(SP_ERR_ERRNO(ECONNREFUSED)), 69,
	    "refused -> 69");
	is_int(sp_err_exit_status(SP_ERR_ERRNO(EHOSTUNREACH)), 69,
	    "unreachable -> 69");
	is_int(sp_err_exit_status(SP_ERR_TIMEOUT), 75, "timeout -> 75");
	is_int(sp_err_exit_status(SP_ERR_ERRNO(ETIMEDOUT)), 75,
	    "kernel timeout -> 75");
	is_int(sp_err_exit_status(SP_ERR_RESOLVE_TEMP), 75,
	    "resolver failure -> 75");
	is_int(sp_err_exit_status(SP_ERR_ERRNO(EMFILE)), 71, "EMFILE -> 71");
	is_int(sp_err_exit_status(SP_ERR_NOT_UNIXSOCK), 64,
	    "no unix socket for -F -> 64");
	is_str(sp_strerror(SP_ERR_ERRNO(ECONNREFUSED)), strerror(ECONNREFUSED),
	    "errno codes carry strerror");
	is_str(sp_strerror(5), "unknown error", "positive is unknown");
	is_str(sp_strerror(SP_ERR_MAX - 1), "unknown error",
	    "past the table is unknown");
	return tap_done();
}
