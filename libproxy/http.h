/*
 * HTTP and HTTPS CONNECT through libcurl, loaded at run time with
 * dlopen(3) only when a route has an HTTP(S) hop: the direct and SOCKS
 * paths never pay libcurl's start-up time and memory (DESIGN.md).
 */
#ifndef SP_HTTP_H
#define SP_HTTP_H

#include <stdint.h>

#include "conn.h"
#include "proxy.h"

/*
 * Open a tunnel to host:port through the HTTP(S) proxy "hop".  If "pre"
 * is not NULL it is a SOCKS hop that libcurl dials first
 * (CURLOPT_PRE_PROXY); libcurl cannot run CONNECT over a socket it did
 * not dial itself (curl issue 10626, fixed in 8.0), so nothing else can
 * come before an HTTP hop.  deadline is an sp_clock_ms() value, 0 for
 * none.  On success *out is a plain socket (http://) or a connection
 * whose ops go through curl_easy_send/recv (https://).
 */
int	sp_http_connect(const struct sp_proxy *hop, const struct sp_proxy *pre,
	    const char *host, uint16_t port, const struct sp_http_opts *opts,
	    int64_t deadline, struct sp_conn *out);

#endif /* SP_HTTP_H */
