/*
 * Proxy hops: what "-x socks5h://alice@proxy:1080" means, parsed once
 * into a plain struct that dial, socks and http work from.
 */
#ifndef SP_PROXY_H
#define SP_PROXY_H

#include <stdint.h>

#include "addr.h"

#define SP_PROXY_PATH_MAX	107	/* sun_path less the NUL */
#define SP_PROXY_HOPS_MAX	8
#define SP_HTTP_HEADERS_MAX	16

enum sp_proxy_type {
	SP_PROXY_NONE = 0,
	SP_PROXY_SOCKS4,	/* target resolved here, IPv4 only */
	SP_PROXY_SOCKS4A,	/* target resolved by the proxy */
	SP_PROXY_SOCKS5,	/* target resolved here */
	SP_PROXY_SOCKS5H,	/* target resolved by the proxy */
	SP_PROXY_HTTP,		/* HTTP CONNECT */
	SP_PROXY_HTTPS		/* HTTP CONNECT over TLS to the proxy */
};

/* Tor stream isolation (IsolateSOCKSAuth), for socks5h:// hops. */
#define SP_ISOLATE_NONE		0
#define SP_ISOLATE_DESTINATION	1	/* one circuit per host:port */
#define SP_ISOLATE_CONNECTION	2	/* one circuit per connection */

/* HTTP proxy authentication schemes (a mask; 0 means any). */
#define SP_HTTP_AUTH_BASIC	0x01
#define SP_HTTP_AUTH_DIGEST	0x02
#define SP_HTTP_AUTH_NTLM	0x04
#define SP_HTTP_AUTH_NEGOTIATE	0x08

struct sp_proxy {
	enum sp_proxy_type	 type;
	char			 host[SP_HOST_MAX + 1];
	uint16_t		 port;
	char			 path[SP_PROXY_PATH_MAX + 1]; /* unix socket */
	char			 user[SP_USER_MAX + 1];	/* "" if none */
	char			*password;	/* heap, wiped; NULL if none */
	/* SOCKS5 credentials used only for Tor stream isolation. */
	int			 isolation;
	/* Asked for the password only when the proxy wants one. */
	int			(*ask_password)(struct sp_proxy *, void *);
	void			*ask_arg;
};

/* Options for HTTP(S) hops, shared by every HTTP hop of a route. */
struct sp_http_opts {
	unsigned int	 auth;		/* SP_HTTP_AUTH_* mask; 0: any */
	const char	*cacert;	/* CA file for https:// proxies */
	int		 insecure;	/* do not verify the proxy's cert */
	const char	*headers[SP_HTTP_HEADERS_MAX];
	int		 nheaders;
};

/* A route: hops in order, then the destination. */
struct sp_route {
	struct sp_proxy	 hops[SP_PROXY_HOPS_MAX];
	int		 nhops;
};

int		 sp_proxy_parse(const char *, enum sp_proxy_type,
		    struct sp_proxy *);
int		 sp_proxy_type_parse(const char *, enum sp_proxy_type *);
const char	*sp_proxy_scheme(enum sp_proxy_type);
int		 sp_proxy_is_socks(enum sp_proxy_type);
int		 sp_proxy_resolves_remotely(enum sp_proxy_type);
void		 sp_proxy_describe(const struct sp_proxy *, char *, size_t);
void		 sp_proxy_clear(struct sp_proxy *);
void		 sp_route_clear(struct sp_route *);
int		 sp_no_proxy_match(const char *, const char *);
int		 sp_route_check(const struct sp_route *);
void		 sp_proxy_redact_url(const char *, char *, size_t);
int		 sp_proxy_isolate(struct sp_proxy *, int, const char *,
		    uint16_t);
int		 sp_isolate_parse(const char *, int *);
int		 sp_http_auth_parse(const char *, unsigned int *);

#endif /* SP_PROXY_H */
