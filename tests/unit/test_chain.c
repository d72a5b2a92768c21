/* Unit tests: the chain grammar (libproxy/chain.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "chain.h"
#include "err.h"
#include "tap.h"

static struct sp_chain c;

static void
bad(const char *spec, const char *delims, int want, int at)
{
	int r = sp_chain_parse(spec, delims, &c);

	is_int(r, want, "reject '%.40s': %s", spec, sp_strerror(want));
	is_int(c.bad, at, "  points at hop %d", at);
}

int
main(void)
{
	char big[1100], buf[600];

	is_int(sp_chain_parse("alice%bastion+db:2222+target", NULL, &c),
	    SP_OK, "alice%%bastion+db:2222+target");
	is_int(c.n, 3, "  three elements");
	is_str(c.elem[0].user, "alice", "  hop 1 user");
	is_str(c.elem[0].host, "bastion", "  hop 1 host");
	is_int(c.elem[0].port, 0, "  hop 1 no port");
	is_str(c.elem[1].host, "db", "  hop 2 host");
	is_int(c.elem[1].port, 2222, "  hop 2 port");
	is_str(c.elem[2].host, "target", "  destination");

	is_int(sp_chain_parse("a/b", NULL, &c), SP_OK, "'/' joins too");
	is_int(c.n, 2, "  two elements");
	is_int(sp_chain_parse("a+b/c", NULL, &c), SP_OK, "mixed delimiters");
	is_int(c.n, 3, "  three elements");
	is_int(sp_chain_parse("a,b", ",", &c), SP_OK, "own delimiter");
	is_int(c.n, 2, "  two elements");
	is_int(sp_chain_parse("a+b", ",", &c), SP_OK,
	    "with -d , a '+' does not split");
	is_int(c.n, 1, "  one element: not a chain");

	is_int(sp_chain_parse("bob%[::1]:2200+[2001:db8::1]", NULL, &c), SP_OK,
	    "IPv6 hops in brackets");
	is_str(c.elem[0].user, "bob", "  user");
	is_str(c.elem[0].host, "::1", "  v6 host");
	is_int(c.elem[0].port, 2200, "  port");
	is_str(c.elem[1].host, "2001:db8::1", "  v6 destination");
	is_int(sp_chain_parse("[fe80::1%lo]:22+x", NULL, &c), SP_OK,
	    "zone in brackets is not a user");
	is_str(c.elem[0].user, "", "  no user");
	is_str(c.elem[0].host, "fe80::1%lo", "  host with zone");

	sp_chain_hop_string(&c.elem[0], 1, buf, sizeof(buf));
	is_str(buf, "[fe80::1%lo]:22", "hop string v6 with port");
	sp_chain_parse("alice%bastion:2200+x", NULL, &c);
	sp_chain_hop_string(&c.elem[0], 1, buf, sizeof(buf));
	is_str(buf, "alice@bastion:2200", "hop string user@host:port");

	bad("+", NULL, SP_ERR_HOST_EMPTY, 1);
	bad("a++b", NULL, SP_ERR_HOST_EMPTY, 2);
	bad("a+b+", NULL, SP_ERR_HOST_EMPTY, 3);
	bad("host:0+x", NULL, SP_ERR_PORT_RANGE, 1);
	bad("x+host:65536", NULL, SP_ERR_PORT_RANGE, 2);
	bad("%host+x", NULL, SP_ERR_USER_EMPTY, 1);
	bad("[::1+x", NULL, SP_ERR_HOST_BRACKET, 1);
	bad("a+b]+c", NULL, SP_ERR_HOST_BRACKET, 2);
	bad("-oProxyCommand=x+y", NULL, SP_ERR_PROXY_URL, 1);
	bad("-oProxyCommand+y", NULL, SP_ERR_HOST_BADCHAR, 1);

	/* Proxies in front of the ssh hops. */
	is_int(sp_chain_parse("socks5h=127.0.0.1:1080+http=[::1]:3128+a+t",
	    NULL, &c), SP_OK, "two proxies, a hop and the destination");
	is_int(c.proxies.nhops, 2, "  two proxies");
	is_int(c.proxies.hops[0].type, SP_PROXY_SOCKS5H, "  socks5h first");
	is_int(c.proxies.hops[0].port, 1080, "  its port");
	is_int(c.proxies.hops[1].type, SP_PROXY_HTTP, "  then http");
	is_str(c.proxies.hops[1].host, "::1", "  v6 proxy host");
	is_int(c.n, 2, "  then the ssh hop and the destination");
	sp_chain_proxy_string(&c.proxies.hops[1], buf, sizeof(buf));
	is_str(buf, "http=[::1]:3128", "proxy element written back");
	sp_chain_parse("bob%[::1]:22+t", NULL, &c);
	sp_chain_elem_string(&c.elem[0], buf, sizeof(buf));
	is_str(buf, "bob%[::1]:22", "ssh element written back");
	bad("a+socks5h=127.0.0.1:1080+t", NULL, SP_ERR_CHAIN_PROXY, 2);
	bad("gopher=h:1+t", NULL, SP_ERR_PROXY_URL, 1);
	bad("socks5h=alice@h:1+t", NULL, SP_ERR_CHAIN_PROXY, 1);
	bad("socks5h=h:0+t", NULL, SP_ERR_PORT_RANGE, 1);
	/* Found by fuzz_chain: a delimiter in brackets. */
	bad("[a+b]+t", NULL, SP_ERR_HOST_BADCHAR, 1);
	/* Found by fuzz_chain: brackets in a user name. */
	bad("alice[%b+db@2222+target", NULL, SP_ERR_USER_BAD, 1);
	bad("u[1]@host+t", NULL, SP_ERR_USER_BAD, 1);
	/* Found by fuzz_chain: proxies only, no destination. */
	bad("socks5h=127.0.0.1:1080", NULL, SP_ERR_CHAIN_PROXY, 1);
	bad("socks5h=127.0.0.1:1+socks5h=127.0.0.1:2", NULL,
	    SP_ERR_CHAIN_PROXY, 2);
	bad("-l%x+y", NULL, SP_ERR_USER_BAD, 1);
	bad("a b+c", NULL, SP_ERR_HOST_BADCHAR, 1);
	bad("u$(id)%h+c", NULL, SP_ERR_USER_BAD, 1);
	memset(big, 'a', 1000);
	strcpy(big + 1000, "+x");
	bad(big, NULL, SP_ERR_HOST_TOOLONG, 1);
	bad("a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p+q", NULL, SP_ERR_INVALID_ARG, 17);
	return tap_done();
}
