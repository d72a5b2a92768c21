/*
 * Fuzz proxy URLs (libproxy/proxy.c): sp_proxy_parse(),
 * sp_proxy_redact_url() and sp_no_proxy_match().  The first byte picks
 * the function and its small arguments.
 *
 * Properties:
 *   - a parsed proxy is complete and sane (type, host, port or path,
 *     NUL-terminated fields, no password), and sp_proxy_describe()
 *     gives a URL that parses again to the same proxy;
 *   - a URL with "user:password@" is never accepted, whatever '@'
 *     the user name holds;
 *   - sp_proxy_redact_url() output is NUL-terminated within the buffer
 *     and never holds what could be a password: for every ':' after
 *     the scheme and every later '@', the text between them does not
 *     appear in the output unless it also appears in what is left of
 *     the URL without it;
 *   - sp_no_proxy_match() ignores case, always matches with "*", and a
 *     host that matches keeps matching with a subdomain in front.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "proxy.h"

static void
fuzz_parse(const char *url, enum sp_proxy_type deftype)
{
	struct sp_proxy p, q;
	char desc[SP_USER_MAX + SP_HOST_MAX + SP_PROXY_PATH_MAX + 64];
	const char *rest, *at, *slash, *colon;
	int r;

	r = sp_proxy_parse(url, deftype, &p);
	if (r != SP_OK) {
		FUZZ_CHECK(r < 0 && r >= SP_ERR_MAX, "odd result %d", r);
		FUZZ_CHECK(p.password == NULL, "password after failure");
		return;
	}
	FUZZ_CHECK(p.type >= SP_PROXY_SOCKS4 && p.type <= SP_PROXY_HTTPS,
	    "type %d", (int)p.type);
	FUZZ_CHECK(p.password == NULL, "a password came out of a URL");
	FUZZ_CHECK(FUZZ_TERMINATED(p.host, sizeof(p.host)) &&
	    FUZZ_TERMINATED(p.user, sizeof(p.user)) &&
	    FUZZ_TERMINATED(p.path, sizeof(p.path)), "unterminated field");
	FUZZ_CHECK(p.host[0] != '\0', "empty host from '%s'", url);
	if (p.path[0] != '\0') {
		FUZZ_CHECK(p.path[0] == '/' && sp_proxy_is_socks(p.type) &&
		    p.port == 0 && strcmp(p.host, "localhost") == 0,
		    "odd unix socket proxy from '%s'", url);
	} else
		FUZZ_CHECK(p.port != 0, "no port from '%s'", url);

	/* A ':' before an '@' of the host part is a password: refused. */
	rest = strstr(url, "://");
	rest = rest != NULL ? rest + 3 : url;
	slash = strchr(rest, '/');
	colon = strchr(rest, ':');
	at = strchr(rest, '@');
	if (slash == NULL)
		slash = rest + strlen(rest);
	if (colon != NULL && colon < slash)
		FUZZ_CHECK(at == NULL || at > slash ||
		    strchr(colon, '@') == NULL || strchr(colon, '@') > slash,
		    "'%s' has a password but was accepted", url);

	sp_proxy_describe(&p, desc, sizeof(desc));
	FUZZ_CHECK(strlen(desc) < sizeof(desc) - 1, "description cut");
	r = sp_proxy_parse(desc, SP_PROXY_NONE, &q);
	FUZZ_CHECK(r == SP_OK, "'%s' (from '%s') does not parse: %d", desc,
	    url, r);
	FUZZ_CHECK(p.type == q.type && p.port == q.port &&
	    strcmp(p.host, q.host) == 0 && strcmp(p.user, q.user) == 0 &&
	    strcmp(p.path, q.path) == 0, "'%s' and '%s' differ", url, desc);
	sp_proxy_clear(&p);
	sp_proxy_clear(&q);
}

/* Does hay hold needle (of length n)?  Needles may be empty. */
static int
has(const char *hay, const char *needle, size_t n)
{
	return n == 0 || memmem(hay, strlen(hay), needle, n) != NULL;
}

static void
fuzz_redact(const char *url, size_t len)
{
	char *buf, *rest;
	const char *start, *slash, *first, *c, *a;
	size_t ul = strlen(url), n;

	if ((buf = malloc(len)) == NULL || (rest = malloc(ul + 8)) == NULL)
		abort();
	memset(buf, 'X', len);
	sp_proxy_redact_url(url, buf, len);
	FUZZ_CHECK(FUZZ_TERMINATED(buf, len), "output not terminated");
	FUZZ_CHECK(strlen(buf) <= ul + 4, "output longer than the URL");

	/*
	 * A password starts at a ':' before the first '/' and may run to
	 * any later '@' (people do not encode "p@ss" or "pa/ss").
	 */
	start = strstr(url, "://");
	start = start != NULL ? start + 3 : url;
	slash = strchr(start, '/');
	first = strchr(start, ':');
	for (c = first; c != NULL && (slash == NULL || c < slash);
	    c = strchr(c + 1, ':')) {
		for (a = strchr(c + 1, '@'); a != NULL; a = strchr(a + 1, '@')) {
			n = (size_t)(a - c - 1);
			if (n == 0)
				continue;
			/*
			 * The URL less this candidate and the stars, or less
			 * everything from the first ':' to the last '@'.
			 */
			snprintf(rest, ul + 8, "%.*s:***%s", (int)(c - url),
			    url, a);
			if (has(rest, c + 1, n))
				continue;
			snprintf(rest, ul + 8, "%.*s:***%s", (int)(first - url),
			    url, strrchr(a, '@'));
			if (has(rest, c + 1, n))
				continue;
			FUZZ_CHECK(!has(buf, c + 1, n), "'%s' shows '%.*s' "
			    "as '%s'", url, (int)n, c + 1, buf);
		}
	}
	free(rest);
	free(buf);
}

static void
fuzz_no_proxy(const char *list, const char *host)
{
	char *up, *sub, *star;
	size_t i, hl = strlen(host);
	int m;

	m = sp_no_proxy_match(list, host);
	FUZZ_CHECK(m == 0 || m == 1, "result %d", m);
	if ((up = strdup(host)) == NULL || (sub = malloc(hl + 3)) == NULL ||
	    (star = malloc(strlen(list) + 3)) == NULL)
		abort();
	for (i = 0; i < hl; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	FUZZ_CHECK(sp_no_proxy_match(list, up) == m, "case matters for "
	    "'%s' in '%s'", host, list);
	snprintf(sub, hl + 3, "x.%s", host);
	if (m)
		FUZZ_CHECK(sp_no_proxy_match(list, sub) == 1, "'%s' matches "
		    "'%s' but '%s' does not", list, host, sub);
	snprintf(star, strlen(list) + 3, "%s,*", list);
	if (strlen(star) < 1024)
		FUZZ_CHECK(sp_no_proxy_match(star, host) == 1, "'%s' does "
		    "not match '%s'", star, host);
	free(star);
	free(sub);
	free(up);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum sp_proxy_type deftypes[] = {
		SP_PROXY_NONE, SP_PROXY_SOCKS4, SP_PROXY_SOCKS4A,
		SP_PROXY_SOCKS5, SP_PROXY_SOCKS5H, SP_PROXY_HTTP,
		SP_PROXY_HTTPS, SP_PROXY_NONE
	};
	struct fuzz_in in;
	unsigned sel;
	char *s, *t;

	if (size > 2048)
		return 0;
	fuzz_in_init(&in, data, size);
	sel = fuzz_byte(&in);
	switch (sel & 3) {
	case 0:
	case 1:
		s = fuzz_rest(&in);
		fuzz_parse(s, deftypes[(sel >> 2) & 7]);
		free(s);
		break;
	case 2:
		/* Every ':' with every '@' is checked: keep it short. */
		if (in.left > 512)
			in.left = 512;
		s = fuzz_rest(&in);
		/* Small buffers, as callers cut long URLs, or room. */
		fuzz_redact(s, (sel >> 2) >= 48 ? strlen(s) + 16 :
		    1 + (sel >> 2) * 5);
		free(s);
		break;
	default:
		s = fuzz_string(&in);
		t = fuzz_rest(&in);
		fuzz_no_proxy(s, t);
		free(t);
		free(s);
		break;
	}
	return 0;
}
