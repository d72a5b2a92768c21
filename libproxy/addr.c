#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "err.h"

/*
 * A host is anything a resolver or a proxy could be asked about, so we
 * do not insist on RFC 1123 syntax (proxies resolve names with
 * underscores, and ".onion" names are case-insensitive base32).  What
 * we refuse is what can only be a mistake or an attack: nothing at all,
 * more than a DNS name can hold, whitespace and control characters
 * (they end up in logs and in ssh command lines), and a leading '-'
 * (it would be read as an option by the next program in a chain).
 */
int
sp_host_check(const char *host)
{
	size_t len = strlen(host), i;

	if (len == 0)
		return SP_ERR_HOST_EMPTY;
	if (len > SP_HOST_MAX)
		return SP_ERR_HOST_TOOLONG;
	if (host[0] == '-')
		return SP_ERR_HOST_BADCHAR;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)host[i];

		if (c <= ' ' || c == 0x7f)
			return SP_ERR_HOST_BADCHAR;
		/*
		 * Brackets, '@', '/', '%' and ',' have meanings around a
		 * host (IPv6, user, path, zone, ssh -J lists); shell
		 * characters are never part of a name and are dangerous
		 * wherever a name ends up in a command.
		 */
		if (strchr("[]@/%,;'\"`$\\|&<>()*?!{}", c) != NULL)
			return SP_ERR_HOST_BADCHAR;
	}
	/* An empty label ("a..b") is no name; it also hides ".onion.." */
	if (strstr(host, "..") != NULL || host[0] == '.')
		return SP_ERR_HOST_BADCHAR;
	return SP_OK;
}

/*
 * A port is a decimal number 1-65535 or the name of a TCP service from
 * the services database (local file, never DNS).
 */
int
sp_port_parse(const char *s, uint16_t *port)
{
	struct servent *se;
	unsigned long v = 0;
	const char *p;
	int digits = 1;

	if (*s == '\0')
		return SP_ERR_PORT_EMPTY;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			digits = 0;
			break;
		}
		if (v <= 65535)
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (digits) {
		if (v < 1 || v > 65535)
			return SP_ERR_PORT_RANGE;
		*port = (uint16_t)v;
		return SP_OK;
	}
	if (strlen(s) > 64)
		return SP_ERR_PORT_UNKNOWN;
	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f)
			return SP_ERR_PORT_UNKNOWN;
	}
	if (*s == '-' || *s == '+')
		return SP_ERR_PORT_RANGE;
	if ((se = getservbyname(s, "tcp")) == NULL)
		return SP_ERR_PORT_UNKNOWN;
	*port = ntohs((uint16_t)se->s_port);
	return *port == 0 ? SP_ERR_PORT_RANGE : SP_OK;
}

/*
 * Parse "[user@]host[:port]" where host may be "[v6]".  An IPv6 address
 * without brackets is accepted only when no port is allowed to follow or
 * when it is unambiguous (more than one colon and no brackets means the
 * whole thing is the address: "::1", "fe80::1%eth0").
 */
int
sp_addr_parse(const char *s, unsigned int flags, struct sp_addr *a)
{
	const char *at, *h, *hend, *colon = NULL, *close;
	size_t ulen, hlen;
	int r;

	memset(a, 0, sizeof(*a));

	/* The user is everything before the last '@' ("a@b"@host). */
	if ((at = strrchr(s, '@')) != NULL) {
		if (!(flags & SP_ADDR_USER))
			return SP_ERR_USER_BAD;
		ulen = (size_t)(at - s);
		if (ulen == 0 || ulen > SP_USER_MAX)
			return SP_ERR_USER_BAD;
		for (h = s; h < at; h++) {
			unsigned char c = (unsigned char)*h;

			if (c < ' ' || c == 0x7f)
				return SP_ERR_USER_BAD;
		}
		memcpy(a->user, s, ulen);
		a->user[ulen] = '\0';
		s = at + 1;
	}

	if (*s == '[') {
		if ((close = strchr(s, ']')) == NULL)
			return SP_ERR_HOST_BRACKET;
		h = s + 1;
		hend = close;
		if (close[1] == ':')
			colon = close + 1;
		else if (close[1] != '\0')
			return SP_ERR_HOST_BRACKET;
	} else {
		if (strchr(s, ']') != NULL)
			return SP_ERR_HOST_BRACKET;
		h = s;
		colon = strchr(s, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;	/* bare IPv6 address, no port */
		hend = colon != NULL ? colon : s + strlen(s);
	}

	hlen = (size_t)(hend - h);
	if (hlen == 0)
		return SP_ERR_HOST_EMPTY;
	if (hlen > SP_HOST_MAX)
		return SP_ERR_HOST_TOOLONG;
	memcpy(a->host, h, hlen);
	a->host[hlen] = '\0';

	if (*s != '[' && strchr(a->host, ':') != NULL) {
		/* Unbracketed with colons: must be an IPv6 literal. */
		if (!sp_addr_is_numeric(a->host))
			return SP_ERR_HOST_COLON;
	} else if (*s == '[' && strchr(a->host, ':') != NULL &&
	    !sp_addr_is_numeric(a->host))
		return SP_ERR_HOST_BADCHAR;
	if (strchr(a->host, ':') == NULL &&
	    (r = sp_host_check(a->host)) != SP_OK)
		return r;

	if (colon != NULL) {
		if (!(flags & (SP_ADDR_PORT | SP_ADDR_NEED_PORT)))
			return SP_ERR_HOST_COLON;
		if ((r = sp_port_parse(colon + 1, &a->port)) != SP_OK)
			return r;
	} else if (flags & SP_ADDR_NEED_PORT)
		return SP_ERR_PORT_EMPTY;
	return SP_OK;
}

/* Is this an IPv4 or IPv6 literal (IPv6 with an optional %zone)? */
int
sp_addr_is_numeric(const char *host)
{
	struct addrinfo hints, *res;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return 0;
	freeaddrinfo(res);
	return 1;
}

/* "host port" for messages: "[::1]:22", "example.com:22". */
int
sp_addr_format(const char *host, uint16_t port, char *buf, size_t len)
{
	int n;

	if (strchr(host, ':') != NULL)
		n = snprintf(buf, len, "[%s]:%u", host, port);
	else
		n = snprintf(buf, len, "%s:%u", host, port);
	return n < 0 || (size_t)n >= len ? SP_ERR_INVALID_ARG : SP_OK;
}
