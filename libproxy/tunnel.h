/*
 * A route to the destination: direct, or through proxy hops in order.
 * This is the one place that knows how hops stack: it dials the first
 * hop (or lets libcurl do it for an HTTP hop), then runs each next
 * hop's handshake over the connection so far.
 */
#ifndef SP_TUNNEL_H
#define SP_TUNNEL_H

#include <stdint.h>

#include "conn.h"
#include "dial.h"
#include "proxy.h"

/* Without -w, a proxy that accepts and then says nothing gives up here. */
#define SP_HANDSHAKE_TIMEOUT_MS	120000

int	sp_tunnel_open(const struct sp_route *, const char *, uint16_t,
	    const struct sp_dial_opts *, const struct sp_http_opts *,
	    struct sp_conn *);

#endif /* SP_TUNNEL_H */
