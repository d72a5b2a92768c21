#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "http.h"
#include "log.h"
#include "onion.h"
#include "socks.h"
#include "tunnel.h"
#include "util.h"

/*
 * Which hops can follow which: SOCKS hops run over anything, but
 * libcurl can only CONNECT over a socket it dialled itself, so an
 * HTTP(S) hop is either the first hop or follows exactly one SOCKS hop
 * that libcurl dials as its pre-proxy.  A unix-socket proxy can only be
 * the first hop: there is nothing to "connect to" a path through.
 */
int
sp_route_check(const struct sp_route *rt)
{
	int i;

	for (i = 0; i < rt->nhops; i++) {
		const struct sp_proxy *h = &rt->hops[i];

		if (h->path[0] != '\0' && i > 0)
			return SP_ERR_HOP_ORDER;
		/*
		 * The first hop is dialled here (or by libcurl), and a hop
		 * behind a socks4/socks5 pre-proxy is resolved by libcurl:
		 * neither may be a .onion name.
		 */
		if (sp_is_onion(h->host) && (i == 0 ||
		    !sp_proxy_resolves_remotely(rt->hops[i - 1].type)))
			return SP_ERR_ONION_LOCAL;
		if (sp_proxy_is_socks(h->type))
			continue;
		if (i > 1 || (i == 1 && !sp_proxy_is_socks(rt->hops[0].type)))
			return SP_ERR_HOP_ORDER;
	}
	return SP_OK;
}

/*
 * The name the hop will be asked for: itself for socks4a/socks5h/HTTP,
 * a numeric address resolved here for socks4/socks5.  A .onion name is
 * never resolved here, whatever the route says.
 */
static int
target_for(const struct sp_proxy *hop, const char *host,
    const struct sp_dial_opts *d, char *buf, size_t len)
{
	if (sp_proxy_resolves_remotely(hop->type) || sp_addr_is_numeric(host)) {
		snprintf(buf, len, "%s", host);
		return SP_OK;
	}
	if (sp_is_onion(host))
		return SP_ERR_ONION_LOCAL;
	sp_debug("%s: resolving locally for %s://", host,
	    sp_proxy_scheme(hop->type));
	return sp_resolve_one(host, d, hop->type == SP_PROXY_SOCKS4 ?
	    AF_INET : AF_UNSPEC, buf, len);
}

int
sp_tunnel_open(const struct sp_route *rt, const char *host, uint16_t port,
    const struct sp_dial_opts *d, const struct sp_http_opts *hopts,
    struct sp_conn *out)
{
	struct sp_dial_opts dopts = *d;
	struct sp_conn c;
	const struct sp_proxy *h;
	const char *next_host;
	char desc[SP_HOST_MAX + SP_USER_MAX + SP_PROXY_PATH_MAX + 32];
	char target[SP_HOST_MAX + 1];
	uint16_t next_port;
	int64_t deadline;
	int r, i, fd;

	sp_conn_init(out, -1);
	if (rt == NULL || rt->nhops == 0) {
		if ((r = sp_dial(host, port, d, &fd)) != SP_OK)
			return r;
		sp_conn_init(out, fd);
		return SP_OK;
	}
	if ((r = sp_route_check(rt)) != SP_OK)
		return r;
	deadline = sp_clock_ms() + (d->timeout_ms > 0 ? d->timeout_ms :
	    SP_HANDSHAKE_TIMEOUT_MS);
	sp_conn_init(&c, -1);

	/* The first hop (or two, when libcurl dials a SOCKS pre-proxy). */
	i = 0;
	if (rt->nhops > 1 && !sp_proxy_is_socks(rt->hops[1].type))
		i = 2;
	else if (!sp_proxy_is_socks(rt->hops[0].type))
		i = 1;
	if (i > 0) {
		h = &rt->hops[i - 1];
		next_host = i < rt->nhops ? rt->hops[i].host : host;
		next_port = i < rt->nhops ? rt->hops[i].port : port;
		sp_proxy_describe(h, desc, sizeof(desc));
		sp_info("via %s", desc);
		r = sp_http_connect(h, i == 2 ? &rt->hops[0] : NULL, next_host,
		    next_port, hopts, deadline, &c);
		if (r != SP_OK)
			return r;
	} else {
		h = &rt->hops[0];
		sp_proxy_describe(h, desc, sizeof(desc));
		sp_info("via %s", desc);
		if (deadline - sp_clock_ms() <= 0)
			return SP_ERR_TIMEOUT;
		if (h->path[0] != '\0')
			r = sp_dial_unix(h->path, (int)(deadline - sp_clock_ms()),
			    &fd);
		else {
			dopts.timeout_ms = (int)(deadline - sp_clock_ms());
			if (dopts.timeout_ms <= 0)
				return SP_ERR_TIMEOUT;
			r = sp_dial(h->host, h->port, &dopts, &fd);
		}
		if (r != SP_OK)
			return r;
		sp_conn_init(&c, fd);
	}

	/* Each SOCKS hop asks for the next hop, the last for the target. */
	for (; i < rt->nhops; i++) {
		h = &rt->hops[i];
		next_host = i + 1 < rt->nhops ? rt->hops[i + 1].host : host;
		next_port = i + 1 < rt->nhops ? rt->hops[i + 1].port : port;
		if ((r = target_for(h, next_host, d, target, sizeof(target))) !=
		    SP_OK)
			goto fail;
		sp_debug("%s: asking for %s port %u", sp_proxy_scheme(h->type),
		    target, next_port);
		if ((r = sp_socks_handshake(&c, h, target, next_port, deadline,
		    NULL)) != SP_OK)
			goto fail;
		if (i + 1 < rt->nhops) {
			sp_proxy_describe(&rt->hops[i + 1], desc, sizeof(desc));
			sp_info("via %s", desc);
		}
	}
	*out = c;
	return SP_OK;
 fail:
	sp_conn_close(&c);
	return r;
}
