#include "config.h"

#include <sys/random.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "onion.h"
#include "proxy.h"

static const struct {
	const char		*scheme;
	enum sp_proxy_type	 type;
	uint16_t		 port;
} schemes[] = {
	{ "socks4",	SP_PROXY_SOCKS4,	1080 },
	{ "socks4a",	SP_PROXY_SOCKS4A,	1080 },
	{ "socks5",	SP_PROXY_SOCKS5,	1080 },
	{ "socks5h",	SP_PROXY_SOCKS5H,	1080 },
	{ "socks",	SP_PROXY_SOCKS5H,	1080 },
	{ "http",	SP_PROXY_HTTP,		8080 },
	{ "https",	SP_PROXY_HTTPS,		443 },
};

const char *
sp_proxy_scheme(enum sp_proxy_type t)
{
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (schemes[i].type == t)
			return schemes[i].scheme;
	return "direct";
}

int
sp_proxy_is_socks(enum sp_proxy_type t)
{
	return t >= SP_PROXY_SOCKS4 && t <= SP_PROXY_SOCKS5H;
}

int
sp_proxy_resolves_remotely(enum sp_proxy_type t)
{
	return t != SP_PROXY_SOCKS4 && t != SP_PROXY_SOCKS5;
}

/* OpenBSD nc's -X values, plus "4a". */
int
sp_proxy_type_parse(const char *s, enum sp_proxy_type *t)
{
	if (strcmp(s, "4") == 0)
		*t = SP_PROXY_SOCKS4;
	else if (strcasecmp(s, "4a") == 0)
		*t = SP_PROXY_SOCKS4A;
	else if (strcmp(s, "5") == 0)
		*t = SP_PROXY_SOCKS5H;	/* nc sends the name, too */
	else if (strcasecmp(s, "connect") == 0)
		*t = SP_PROXY_HTTP;
	else
		return SP_ERR_PROXY_URL;
	return SP_OK;
}

/*
 * "scheme://[user@]host[:port][/]", "socks5h://localhost/abs/path.sock"
 * or "socks5h:///abs/path.sock" for a unix socket, or "host[:port]"
 * when the type comes from -X.  A password in the URL is refused: the
 * command line is visible to every user in ps(1).
 */
int
sp_proxy_parse(const char *url, enum sp_proxy_type deftype,
    struct sp_proxy *p)
{
	struct sp_addr a;
	const char *rest, *sep, *slash, *at;
	char hostpart[SP_USER_MAX + SP_HOST_MAX + 16];
	size_t i, n;
	int r;

	memset(p, 0, sizeof(*p));
	if ((sep = strstr(url, "://")) != NULL) {
		n = (size_t)(sep - url);
		for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			if (strlen(schemes[i].scheme) == n &&
			    strncasecmp(url, schemes[i].scheme, n) == 0)
				break;
		if (i == sizeof(schemes) / sizeof(schemes[0]))
			return SP_ERR_PROXY_URL;
		p->type = schemes[i].type;
		p->port = schemes[i].port;
		rest = sep + 3;
	} else {
		if (deftype == SP_PROXY_NONE)
			return SP_ERR_PROXY_URL;
		p->type = deftype;
		for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			if (schemes[i].type == deftype)
				p->port = schemes[i].port;
		rest = url;
	}

	/*
	 * user:password@ is never accepted; user@ is.  The user is what
	 * comes before the last '@' (as in sp_addr_parse()), so a ':'
	 * anywhere before it is a password: "alice@corp:secret@proxy".
	 */
	slash = strchr(rest, '/');
	n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
	for (at = NULL; n > 0; n--)
		if (rest[n - 1] == '@') {
			at = rest + n - 1;
			break;
		}
	if (at != NULL && memchr(rest, ':', (size_t)(at - rest)) != NULL)
		return SP_ERR_PROXY_PASSWORD;

	n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
	if (n >= sizeof(hostpart))
		return SP_ERR_HOST_TOOLONG;
	memcpy(hostpart, rest, n);
	hostpart[n] = '\0';

	if (slash != NULL && slash[1] != '\0') {
		/* A unix socket: only for SOCKS, host empty or localhost. */
		if (!sp_proxy_is_socks(p->type))
			return SP_ERR_PROXY_URL;
		if (strlen(slash) > SP_PROXY_PATH_MAX)
			return SP_ERR_PROXY_URL;
		if (at != NULL) {
			n = (size_t)(at - rest);
			if (n == 0 || n > SP_USER_MAX)
				return SP_ERR_USER_BAD;
			memcpy(p->user, rest, n);
			p->user[n] = '\0';
			memmove(hostpart, hostpart + n + 1,
			    strlen(hostpart + n + 1) + 1);
		}
		if (hostpart[0] != '\0' && strcmp(hostpart, "localhost") != 0)
			return SP_ERR_PROXY_URL;
		snprintf(p->path, sizeof(p->path), "%s", slash);
		snprintf(p->host, sizeof(p->host), "localhost");
		p->port = 0;
		return SP_OK;
	}
	if ((r = sp_addr_parse(hostpart, SP_ADDR_USER | SP_ADDR_PORT, &a)) !=
	    SP_OK)
		return r;
	memcpy(p->user, a.user, sizeof(p->user));
	memcpy(p->host, a.host, sizeof(p->host));
	if (a.port != 0)
		p->port = a.port;
	return SP_OK;
}

/* For messages: "socks5h://alice@proxy:1080", never a password. */
void
sp_proxy_describe(const struct sp_proxy *p, char *buf, size_t len)
{
	const char *v6 = strchr(p->host, ':') != NULL ? "[" : "";

	if (p->path[0] != '\0')
		snprintf(buf, len, "%s://%s%s%s", sp_proxy_scheme(p->type),
		    p->user, p->user[0] != '\0' ? "@" : "", p->path);
	else
		snprintf(buf, len, "%s://%s%s%s%s%s:%u",
		    sp_proxy_scheme(p->type), p->user,
		    p->user[0] != '\0' ? "@" : "", v6, p->host,
		    *v6 != '\0' ? "]" : "", p->port);
}

void
sp_proxy_clear(struct sp_proxy *p)
{
	if (p->password != NULL) {
		explicit_bzero(p->password, strlen(p->password));
		free(p->password);
	}
	memset(p, 0, sizeof(*p));
}

void
sp_route_clear(struct sp_route *r)
{
	int i;

	for (i = 0; i < r->nhops; i++)
		sp_proxy_clear(&r->hops[i]);
	r->nhops = 0;
}

/*
 * no_proxy as curl reads it: comma-separated names, "*" for all; a name
 * matches itself and its subdomains, with or without a leading dot.
 * Used only with --proxy-env: an explicit -x is never bypassed.
 */
int
sp_no_proxy_match(const char *list, const char *host)
{
	char buf[1024], *w, *save = NULL;
	size_t hl = strlen(host), wl;

	if (list == NULL || strlen(list) >= sizeof(buf))
		return 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (w = strtok_r(buf, ", \t", &save); w != NULL;
	    w = strtok_r(NULL, ", \t", &save)) {
		if (strcmp(w, "*") == 0)
			return 1;
		if (*w == '.')
			w++;
		wl = strlen(w);
		if (wl == 0 || wl > hl)
			continue;
		if (strcasecmp(host + hl - wl, w) == 0 &&
		    (hl == wl || host[hl - wl - 1] == '.'))
			return 1;
	}
	return 0;
}

/*
 * A proxy URL as it may be shown: "scheme://user:secret@host" becomes
 * "scheme://user:***@host", so a password typed where it does not
 * belong is not repeated into logs.  Passwords are not URL-encoded
 * when people type them: "user:p@ss@host" and "user:pa/ss@host" must
 * not show "ss".  So a ':' before the first '/' starts the password
 * and the last '@' after it ends it; a port followed by a path with
 * an '@' in it is blanked too, which is the lesser harm.
 */
void
sp_proxy_redact_url(const char *url, char *buf, size_t len)
{
	const char *start, *at, *colon, *slash;

	start = strstr(url, "://");
	start = start != NULL ? start + 3 : url;
	slash = strchr(start, '/');
	colon = memchr(start, ':', slash != NULL ? (size_t)(slash - start) :
	    strlen(start));
	at = colon != NULL ? strrchr(colon, '@') : NULL;
	if (at == NULL) {
		snprintf(buf, len, "%s", url);
		return;
	}
	snprintf(buf, len, "%.*s:***%s", (int)(colon - url), url, at);
}

/*
 * Tor's IsolateSOCKSAuth puts streams with different SOCKS credentials
 * on different circuits.  Per destination, the credential is derived
 * from host and port, so ssh sessions to one host share a circuit and
 * sessions to different hosts never do.
 */
int
sp_proxy_isolate(struct sp_proxy *p, int iso, const char *host,
    uint16_t port)
{
	uint8_t d[32];
	char in[SP_HOST_MAX + 16], *pw;
	size_t i;

	if (iso <= SP_ISOLATE_NONE || p->type != SP_PROXY_SOCKS5H)
		return SP_OK;
	if (iso == SP_ISOLATE_DESTINATION) {
		snprintf(in, sizeof(in), "%s:%u", host, port);
		for (i = 0; in[i] != '\0'; i++)
			if (in[i] >= 'A' && in[i] <= 'Z')
				in[i] = (char)(in[i] - 'A' + 'a');
		sp_sha3_256(in, strlen(in), d);
	} else if (getrandom(d, sizeof(d), 0) != (ssize_t)sizeof(d))
		return SP_ERR_INTERNAL;
	if ((pw = malloc(33)) == NULL)
		return SP_ERR_NOMEM;
	for (i = 0; i < 16; i++)
		snprintf(pw + 2 * i, 3, "%02x", d[i]);
	snprintf(p->user, sizeof(p->user), "sshproxy");
	if (p->password != NULL) {
		explicit_bzero(p->password, strlen(p->password));
		free(p->password);
	}
	p->password = pw;
	p->isolation = 1;
	return SP_OK;
}

/*
 * "basic,digest" (commas or spaces) into SP_HTTP_AUTH_* bits; "any" (or
 * nothing) is 0.  SP_ERR_INVALID_ARG for an unknown word.
 */
int
sp_http_auth_parse(const char *s, unsigned int *mask)
{
	const char *p = s, *w;
	size_t n;

	*mask = 0;
	while (*p != '\0') {
		while (*p == ',' || *p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (w = p; *p != '\0' && *p != ',' && *p != ' '; p++)
			;
		n = (size_t)(p - w);
		if (n == 5 && strncmp(w, "basic", n) == 0)
			*mask |= SP_HTTP_AUTH_BASIC;
		else if (n == 6 && strncmp(w, "digest", n) == 0)
			*mask |= SP_HTTP_AUTH_DIGEST;
		else if (n == 4 && strncmp(w, "ntlm", n) == 0)
			*mask |= SP_HTTP_AUTH_NTLM;
		else if (n == 9 && strncmp(w, "negotiate", n) == 0)
			*mask |= SP_HTTP_AUTH_NEGOTIATE;
		else if (n == 3 && strncmp(w, "any", n) == 0)
			*mask = 0;
		else
			return SP_ERR_INVALID_ARG;
	}
	return SP_OK;
}

/* "destination", "connection" or "none" into SP_ISOLATE_*. */
int
sp_isolate_parse(const char *s, int *iso)
{
	if (strcmp(s, "destination") == 0)
		*iso = SP_ISOLATE_DESTINATION;
	else if (strcmp(s, "connection") == 0)
		*iso = SP_ISOLATE_CONNECTION;
	else if (strcmp(s, "none") == 0)
		*iso = SP_ISOLATE_NONE;
	else
		return SP_ERR_INVALID_ARG;
	return SP_OK;
}
