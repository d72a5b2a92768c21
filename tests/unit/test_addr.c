/* Unit tests: host, port and user parsing (libproxy/addr.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "tap.h"

static void
parse_ok(const char *s, unsigned int flags, const char *user,
    const char *host, unsigned port)
{
	struct sp_addr a;
	int r = sp_addr_parse(s, flags, &a);

	is_int(r, SP_OK, "parse '%s'", s);
	if (r == SP_OK) {
		is_str(a.user, user, "  user of '%s'", s);
		is_str(a.host, host, "  host of '%s'", s);
		is_int(a.port, port, "  port of '%s'", s);
	}
}

/* The input as a printable string for the test's description. */
static const char *
shown(const char *s)
{
	static char buf[80];
	size_t n = 0;

	for (; *s != '\0' && n < sizeof(buf) - 8; s++) {
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\\x%02x",
			    (unsigned char)*s);
		else
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return buf;
}

static void
parse_bad(const char *s, unsigned int flags, int want)
{
	struct sp_addr a;

	is_int(sp_addr_parse(s, flags, &a), want, "reject '%s': %s", shown(s),
	    sp_strerror(want));
}

static void
port_is(const char *s, int want_r, unsigned want_port)
{
	uint16_t p = 0;
	int r = sp_port_parse(s, &p);

	is_int(r, want_r, "port '%s' -> %s", s, sp_strerror(want_r));
	if (r == SP_OK && want_r == SP_OK)
		is_int(p, want_port, "  value of port '%s'", s);
}

int
main(void)
{
	char big[400];
	const unsigned int P = SP_ADDR_PORT, U = SP_ADDR_USER,
	    NP = SP_ADDR_NEED_PORT;

	/* Good forms. */
	parse_ok("example.com", 0, "", "example.com", 0);
	parse_ok("example.com:22", P, "", "example.com", 22);
	parse_ok("192.0.2.1:2222", P, "", "192.0.2.1", 2222);
	parse_ok("[::1]:22", P, "", "::1", 22);
	parse_ok("[2001:db8::1]", P, "", "2001:db8::1", 0);
	parse_ok("::1", P, "", "::1", 0);
	parse_ok("fe80::1%lo", 0, "", "fe80::1%lo", 0);
	parse_ok("[fe80::1%lo]:22", P, "", "fe80::1%lo", 22);
	parse_ok("alice@bastion", U, "alice", "bastion", 0);
	parse_ok("alice@bastion:2222", U | P, "alice", "bastion", 2222);
	parse_ok("a@b@host", U, "a@b", "host", 0);
	parse_ok("bob@[::1]:22", U | P, "bob", "::1", 22);
	parse_ok("host:ssh", P, "", "host", 22);
	parse_ok("host:65535", NP, "", "host", 65535);
	parse_ok("under_score.example", 0, "", "under_score.example", 0);
	parse_ok("abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion",
	    0, "",
	    "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion",
	    0);

	/* Hosts that are not. */
	parse_bad("", 0, SP_ERR_HOST_EMPTY);
	parse_bad(":22", P, SP_ERR_HOST_EMPTY);
	parse_bad("[]:22", P, SP_ERR_HOST_EMPTY);
	parse_bad("[]", P, SP_ERR_HOST_EMPTY);
	memset(big, 'a', 256);
	big[256] = '\0';
	parse_bad(big, 0, SP_ERR_HOST_TOOLONG);
	memset(big, 'a', 300);
	strcpy(big + 300, ":22");
	parse_bad(big, P, SP_ERR_HOST_TOOLONG);
	memset(big, 'a', 255);
	big[255] = '\0';
	parse_ok(big, 0, "", big, 0);
	parse_bad("exa mple", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("exa\tmple", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("exa\nmple", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("exa\x7fmple", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("exa\x1bmple", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("-oProxyCommand=x", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("a/b", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("a..b", 0, SP_ERR_HOST_BADCHAR);
	parse_bad(".a", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("x.onion..", 0, SP_ERR_HOST_BADCHAR);
	parse_bad("x.onion%y", 0, SP_ERR_HOST_BADCHAR);
	parse_ok("a.b.", 0, "", "a.b.", 0);

	/* Brackets and colons. */
	parse_bad("[::1", P, SP_ERR_HOST_BRACKET);
	parse_bad("::1]", P, SP_ERR_HOST_BRACKET);
	parse_bad("[::1]x", P, SP_ERR_HOST_BRACKET);
	parse_bad("[::1]22", P, SP_ERR_HOST_BRACKET);
	parse_bad("[foo:bar]", P, SP_ERR_HOST_BADCHAR);
	parse_bad("a:b:c", P, SP_ERR_HOST_COLON);
	parse_bad("host:22", 0, SP_ERR_HOST_COLON);
	parse_bad("[::1]:22", 0, SP_ERR_HOST_COLON);

	/* Ports. */
	parse_bad("host:", P, SP_ERR_PORT_EMPTY);
	parse_bad("host", NP, SP_ERR_PORT_EMPTY);
	parse_bad("[::1]", NP, SP_ERR_PORT_EMPTY);
	parse_bad("host:0", P, SP_ERR_PORT_RANGE);
	parse_bad("host:65536", P, SP_ERR_PORT_RANGE);
	parse_bad("host:99999999999999999999", P, SP_ERR_PORT_RANGE);
	parse_bad("host:nosuchservice", P, SP_ERR_PORT_UNKNOWN);
	parse_bad("[::1]:0", P, SP_ERR_PORT_RANGE);

	/* Users. */
	parse_bad("alice@host", 0, SP_ERR_USER_BAD);
	parse_bad("@host", U, SP_ERR_USER_BAD);
	parse_bad("al\x01ice@host", U, SP_ERR_USER_BAD);
	parse_bad("alice@", U, SP_ERR_HOST_EMPTY);

	/* Ports alone. */
	port_is("22", SP_OK, 22);
	port_is("1", SP_OK, 1);
	port_is("65535", SP_OK, 65535);
	port_is("0022", SP_OK, 22);
	port_is("ssh", SP_OK, 22);
	port_is("http", SP_OK, 80);
	port_is("0", SP_ERR_PORT_RANGE, 0);
	port_is("65536", SP_ERR_PORT_RANGE, 0);
	port_is("-1", SP_ERR_PORT_RANGE, 0);
	port_is("+22", SP_ERR_PORT_RANGE, 0);
	port_is("", SP_ERR_PORT_EMPTY, 0);
	port_is("abc", SP_ERR_PORT_UNKNOWN, 0);
	port_is("22abc", SP_ERR_PORT_UNKNOWN, 0);
	port_is(" 22", SP_ERR_PORT_UNKNOWN, 0);
	port_is("ss h", SP_ERR_PORT_UNKNOWN, 0);
	port_is("domain", SP_OK, 53);

	/* Numeric detection and formatting. */
	ok(sp_addr_is_numeric("127.0.0.1"), "127.0.0.1 is numeric");
	ok(sp_addr_is_numeric("::1"), "::1 is numeric");
	ok(!sp_addr_is_numeric("localhost"), "localhost is not numeric");
	ok(!sp_addr_is_numeric("1.2.3.4.5"), "1.2.3.4.5 is not numeric");
	{
		char buf[64];

		sp_addr_format("::1", 22, buf, sizeof(buf));
		is_str(buf, "[::1]:22", "format v6");
		sp_addr_format("example.com", 2222, buf, sizeof(buf));
		is_str(buf, "example.com:2222", "format name");
		is_int(sp_addr_format("example.com", 2222, buf, 5),
		    SP_ERR_INVALID_ARG, "format into a short buffer");
	}
	return tap_done();
}
