#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chain.h"
#include "err.h"

/* One element: "[user%]host[:port]"; '%' separates the user. */
static int
elem_parse(const char *s, size_t len, struct sp_addr *a)
{
	char buf[SP_USER_MAX + SP_HOST_MAX + 16];
	const char *pct;
	size_t ulen;
	int r;

	if (len == 0)
		return SP_ERR_HOST_EMPTY;
	if (len >= sizeof(buf))
		return SP_ERR_HOST_TOOLONG;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* The user is what precedes the first '%' outside brackets. */
	pct = buf[0] == '[' ? NULL : strchr(buf, '%');
	if (pct != NULL && strchr(buf, '[') != NULL && strchr(buf, '[') < pct)
		pct = NULL;
	if (pct != NULL) {
		ulen = (size_t)(pct - buf);
		if (ulen == 0)
			return SP_ERR_USER_EMPTY;
		if (ulen > SP_USER_MAX)
			return SP_ERR_USER_BAD;
		if (strchr(pct + 1, '%') != NULL && pct[1] != '[')
			return SP_ERR_USER_BAD;
		/* "user%host" -> "user@host" for the address parser. */
		buf[ulen] = '@';
	}
	memset(a, 0, sizeof(*a));
	if ((r = sp_addr_parse(buf, SP_ADDR_USER | SP_ADDR_PORT, a)) != SP_OK)
		return r;
	/*
	 * ssh would read these as options or remote commands.  Brackets
	 * belong to IPv6 hosts: in a user they hide delimiters and '%'
	 * ("a[%b+c@d" was one element with user "a[%b+c").
	 */
	if (a->user[0] == '-' || strpbrk(a->user,
	    " \t'\"\\$`;&|<>,()*?!{}[]") != NULL)
		return SP_ERR_USER_BAD;
	return SP_OK;
}

/*
 * "socks5h=127.0.0.1:1080": a proxy in front of the ssh hops.  The
 * scheme and '=' instead of "://", which ssh would not take in a host
 * name.  Returns 1 if s is such an element, 0 if not, or an error.
 */
static int
proxy_elem(const char *s, size_t len, struct sp_proxy *p)
{
	char url[SP_HOST_MAX + 32];
	const char *eq = memchr(s, '=', len);
	size_t sl;
	int r;

	if (eq == NULL)
		return 0;
	sl = (size_t)(eq - s);
	if (len - sl - 1 + sl + 4 >= sizeof(url))
		return SP_ERR_HOST_TOOLONG;
	snprintf(url, sizeof(url), "%.*s://%.*s", (int)sl, s,
	    (int)(len - sl - 1), eq + 1);
	if ((r = sp_proxy_parse(url, SP_PROXY_NONE, p)) != SP_OK)
		return r;
	if (p->user[0] != '\0' || p->path[0] != '\0')
		return SP_ERR_CHAIN_PROXY;
	return 1;
}

/*
 * Split spec at any of delims.  On error, c->bad is the 1-based element
 * at fault, so the message can point at it.
 */
int
sp_chain_parse(const char *spec, const char *delims, struct sp_chain *c)
{
	const char *p = spec, *end;
	size_t len;
	int r, depth;

	memset(c, 0, sizeof(*c));
	if (delims == NULL || *delims == '\0')
		delims = SP_CHAIN_DELIMS;
	for (;;) {
		/* A delimiter inside [...] is part of an IPv6 address. */
		for (end = p, depth = 0; *end != '\0'; end++) {
			if (*end == '[')
				depth++;
			else if (*end == ']' && depth > 0)
				depth--;
			else if (depth == 0 && strchr(delims, *end) != NULL)
				break;
		}
		len = (size_t)(end - p);
		if (c->n == SP_CHAIN_MAX) {
			c->bad = c->proxies.nhops + c->n + 1;
			return SP_ERR_INVALID_ARG;
		}
		r = proxy_elem(p, len, &c->proxies.hops[c->proxies.nhops]);
		if (r == 1) {
			if (c->n > 0 || c->proxies.nhops == SP_PROXY_HOPS_MAX) {
				c->bad = c->proxies.nhops + c->n + 1;
				return SP_ERR_CHAIN_PROXY;
			}
			c->proxies.nhops++;
		} else if (r < 0 || (r = elem_parse(p, len, &c->elem[c->n])) !=
		    SP_OK) {
			c->bad = c->proxies.nhops + c->n + 1;
			return r;
		} else if (strpbrk(c->elem[c->n].host, delims) != NULL) {
			/* "[a+b]": a delimiter hidden in brackets, not v6. */
			c->bad = c->proxies.nhops + c->n + 1;
			return SP_ERR_HOST_BADCHAR;
		} else
			c->n++;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	/*
	 * The last element is the destination, never a proxy: a chain of
	 * proxies alone has no destination (and c->elem[c->n - 1] would
	 * be read before the array).
	 */
	if (c->n == 0) {
		c->bad = c->proxies.nhops;
		return SP_ERR_CHAIN_PROXY;
	}
	return SP_OK;
}

/* "user@host:port" / "user@[v6]:port" as ssh -J wants it. */
int
sp_chain_hop_string(const struct sp_addr *a, int with_port, char *buf,
    size_t len)
{
	const char *v6 = strchr(a->host, ':') != NULL ? "[" : "";
	char port[8] = "";
	int n;

	if (with_port && a->port != 0)
		snprintf(port, sizeof(port), ":%u", a->port);
	n = snprintf(buf, len, "%s%s%s%s%s%s", a->user,
	    a->user[0] != '\0' ? "@" : "", v6, a->host, *v6 != '\0' ? "]" :
	    "", port);
	return n < 0 || (size_t)n >= len ? SP_ERR_INVALID_ARG : SP_OK;
}

/* An element as the chain grammar writes it: "user%host:port". */
int
sp_chain_elem_string(const struct sp_addr *a, char *buf, size_t len)
{
	const char *v6 = strchr(a->host, ':') != NULL ? "[" : "";
	char port[8] = "";
	int n;

	if (a->port != 0)
		snprintf(port, sizeof(port), ":%u", a->port);
	n = snprintf(buf, len, "%s%s%s%s%s%s", a->user,
	    a->user[0] != '\0' ? "%" : "", v6, a->host, *v6 != '\0' ? "]" :
	    "", port);
	return n < 0 || (size_t)n >= len ? SP_ERR_INVALID_ARG : SP_OK;
}

/* A proxy element: "socks5h=127.0.0.1:1080". */
int
sp_chain_proxy_string(const struct sp_proxy *p, char *buf, size_t len)
{
	const char *v6 = strchr(p->host, ':') != NULL ? "[" : "";
	int n;

	n = snprintf(buf, len, "%s=%s%s%s:%u", sp_proxy_scheme(p->type), v6,
	    p->host, *v6 != '\0' ? "]" : "", p->port);
	return n < 0 || (size_t)n >= len ? SP_ERR_INVALID_ARG : SP_OK;
}
