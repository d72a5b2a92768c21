/*
 * Fuzz host, port and address parsing (libproxy/addr.c).
 *
 * The first byte picks what to call and, for sp_addr_parse(), its
 * flags; the rest is the string.  Besides not crashing:
 *   - results are NUL-terminated, within bounds, and obey the flags;
 *   - a parsed address, written back with sp_addr_format(), parses
 *     again to the same user, host and port;
 *   - no host ever holds whitespace, control characters or the
 *     characters that mean something around a host or in a shell;
 *   - a host sp_host_check() accepts parses as an address by itself;
 *   - a decimal port parses to its value and survives "%u".
 * Nothing here resolves names: ports use the local services file and
 * sp_addr_is_numeric() uses AI_NUMERICHOST.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "fuzz.h"

#define BAD_AROUND_HOST	"@/,;'\"`$\\|&<>()*?!{}[]"

static void
check_host_chars(const char *host)
{
	const unsigned char *p;

	for (p = (const unsigned char *)host; *p != '\0'; p++)
		FUZZ_CHECK(*p > ' ' && *p != 0x7f &&
		    strchr(BAD_AROUND_HOST, *p) == NULL,
		    "host '%s' has byte 0x%02x", host, *p);
	FUZZ_CHECK(host[0] != '-', "host '%s' starts with '-'", host);
}

static void
same_addr(const struct sp_addr *a, const struct sp_addr *b, const char *how)
{
	FUZZ_CHECK(strcmp(a->user, b->user) == 0, "%s: user '%s' != '%s'",
	    how, a->user, b->user);
	FUZZ_CHECK(strcmp(a->host, b->host) == 0, "%s: host '%s' != '%s'",
	    how, a->host, b->host);
	FUZZ_CHECK(a->port == b->port, "%s: port %u != %u", how, a->port,
	    b->port);
}

static void
fuzz_addr_parse(const char *s, unsigned int flags)
{
	struct sp_addr a, b;
	char buf[SP_USER_MAX + SP_HOST_MAX + 16], hp[SP_HOST_MAX + 16];
	int r;

	r = sp_addr_parse(s, flags, &a);
	FUZZ_CHECK(r <= 0 && r >= SP_ERR_MAX, "odd result %d", r);
	if (r != SP_OK)
		return;

	FUZZ_CHECK(FUZZ_TERMINATED(a.user, sizeof(a.user)), "user unterminated");
	FUZZ_CHECK(FUZZ_TERMINATED(a.host, sizeof(a.host)), "host unterminated");
	FUZZ_CHECK(a.host[0] != '\0', "empty host from '%s'", s);
	FUZZ_CHECK((flags & SP_ADDR_USER) || a.user[0] == '\0',
	    "user '%s' without SP_ADDR_USER", a.user);
	FUZZ_CHECK((flags & (SP_ADDR_PORT | SP_ADDR_NEED_PORT)) ||
	    a.port == 0, "port %u without a port flag", a.port);
	FUZZ_CHECK(!(flags & SP_ADDR_NEED_PORT) || a.port != 0,
	    "no port with SP_ADDR_NEED_PORT");
	check_host_chars(a.host);
	if (strchr(a.host, ':') != NULL)
		FUZZ_CHECK(sp_addr_is_numeric(a.host),
		    "host '%s' with ':' is not an address", a.host);
	else
		FUZZ_CHECK(sp_host_check(a.host) == SP_OK,
		    "host '%s' fails sp_host_check", a.host);

	/* Written back the way messages and ssh show it, parsed again. */
	if (a.port != 0) {
		FUZZ_CHECK(sp_addr_format(a.host, a.port, hp, sizeof(hp)) ==
		    SP_OK, "cannot format '%s'", a.host);
	} else if (strchr(a.host, ':') != NULL)
		snprintf(hp, sizeof(hp), "[%s]", a.host);
	else
		snprintf(hp, sizeof(hp), "%s", a.host);
	snprintf(buf, sizeof(buf), "%s%s%s", a.user,
	    a.user[0] != '\0' ? "@" : "", hp);
	r = sp_addr_parse(buf, flags | SP_ADDR_PORT, &b);
	FUZZ_CHECK(r == SP_OK, "'%s' (from '%s') does not parse again: %d",
	    buf, s, r);
	same_addr(&a, &b, "round trip");
}

static void
fuzz_host_check(const char *s)
{
	struct sp_addr a;
	int r;

	r = sp_host_check(s);
	if (r != SP_OK)
		return;
	FUZZ_CHECK(strlen(s) >= 1 && strlen(s) <= SP_HOST_MAX, "length");
	check_host_chars(s);
	FUZZ_CHECK(strstr(s, "..") == NULL && s[0] != '.', "empty label");
	/* A checked host without ':' is an address by itself. */
	if (strchr(s, ':') == NULL) {
		r = sp_addr_parse(s, 0, &a);
		FUZZ_CHECK(r == SP_OK, "checked host '%s' fails to parse: %d",
		    s, r);
		FUZZ_CHECK(strcmp(a.host, s) == 0, "host changed: '%s'",
		    a.host);
	}
}

static void
fuzz_port(const char *s)
{
	char buf[16];
	uint16_t port = 0, again = 0;
	const char *p;
	unsigned long v = 0;
	int r, digits = *s != '\0';

	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			digits = 0;
		else if (v <= 65535)
			v = v * 10 + (unsigned long)(*p - '0');
	}
	r = sp_port_parse(s, &port);
	if (digits) {
		/* Decimal: exactly 1-65535, however many leading zeros. */
		FUZZ_CHECK((r == SP_OK) == (v >= 1 && v <= 65535),
		    "'%s': result %d", s, r);
		if (r == SP_OK)
			FUZZ_CHECK(port == v, "'%s' gave %u", s, port);
	}
	if (r != SP_OK)
		return;
	FUZZ_CHECK(port != 0, "port 0 from '%s'", s);
	snprintf(buf, sizeof(buf), "%u", port);
	FUZZ_CHECK(sp_port_parse(buf, &again) == SP_OK && again == port,
	    "port %u does not survive", port);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in;
	unsigned sel;
	char *s;

	/* Longer than any host, user and port together is not interesting. */
	if (size > 1024)
		return 0;
	fuzz_in_init(&in, data, size);
	sel = fuzz_byte(&in);
	s = fuzz_rest(&in);
	switch (sel >> 6) {
	case 0:
	case 1:
		fuzz_addr_parse(s, sel & 0x07);
		break;
	case 2:
		fuzz_host_check(s);
		break;
	default:
		fuzz_port(s);
		break;
	}
	free(s);
	return 0;
}
