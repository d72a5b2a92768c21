/*
 * Fuzz the chain grammar (libproxy/chain.c): "proxy=host:port+user%hop
 * +dest:port" with the delimiters picked by the first byte.
 *
 * Properties:
 *   - counts stay within SP_CHAIN_MAX and SP_PROXY_HOPS_MAX, and a
 *     failure names an element that exists;
 *   - every field is NUL-terminated; no host or user could be read by
 *     ssh as an option or hold what a shell would act on;
 *   - the chain written back with sp_chain_proxy_string() and
 *     sp_chain_elem_string() parses again to the same chain;
 *   - each hop as ssh -J gets it (sp_chain_hop_string()) parses back
 *     with sp_addr_parse() to the same user, host and port.
 */
#include "config.h"

#include <string.h>

#include "addr.h"
#include "chain.h"
#include "err.h"
#include "fuzz.h"

#define ELEM_MAX	(SP_USER_MAX + SP_HOST_MAX + 16)

static void
same_chain(const struct sp_chain *a, const struct sp_chain *b,
    const char *spec)
{
	int i;

	FUZZ_CHECK(a->n == b->n && a->proxies.nhops == b->proxies.nhops,
	    "'%s': counts differ", spec);
	for (i = 0; i < a->proxies.nhops; i++) {
		const struct sp_proxy *p = &a->proxies.hops[i];
		const struct sp_proxy *q = &b->proxies.hops[i];

		FUZZ_CHECK(p->type == q->type && p->port == q->port &&
		    strcmp(p->host, q->host) == 0, "'%s': proxy %d differs",
		    spec, i);
	}
	for (i = 0; i < a->n; i++) {
		const struct sp_addr *x = &a->elem[i], *y = &b->elem[i];

		FUZZ_CHECK(x->port == y->port && strcmp(x->host, y->host) == 0 &&
		    strcmp(x->user, y->user) == 0, "'%s': element %d "
		    "differs: '%s%%%s:%u' '%s%%%s:%u'", spec, i, x->user,
		    x->host, x->port, y->user, y->host, y->port);
	}
}

static void
check_elem(const struct sp_addr *e, const char *spec)
{
	char hop[ELEM_MAX];
	struct sp_addr back;
	int r;

	FUZZ_CHECK(FUZZ_TERMINATED(e->host, sizeof(e->host)) &&
	    FUZZ_TERMINATED(e->user, sizeof(e->user)), "unterminated");
	FUZZ_CHECK(e->host[0] != '\0' && e->host[0] != '-' &&
	    e->user[0] != '-', "'%s': '%s' '%s' look like options", spec,
	    e->user, e->host);
	FUZZ_CHECK(strpbrk(e->user, " \t'\"\\$`;&|<>,()*?!{}[]") == NULL,
	    "'%s': user '%s'", spec, e->user);
	if (strchr(e->host, ':') == NULL)
		FUZZ_CHECK(sp_host_check(e->host) == SP_OK, "'%s': host '%s'",
		    spec, e->host);

	FUZZ_CHECK(sp_chain_hop_string(e, 1, hop, sizeof(hop)) == SP_OK,
	    "hop string");
	r = sp_addr_parse(hop, SP_ADDR_USER | SP_ADDR_PORT, &back);
	FUZZ_CHECK(r == SP_OK, "'%s': ssh hop '%s' does not parse: %d", spec,
	    hop, r);
	FUZZ_CHECK(strcmp(back.user, e->user) == 0 &&
	    strcmp(back.host, e->host) == 0 && back.port == e->port,
	    "'%s': ssh hop '%s' parses differently", spec, hop);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const delimsets[] = {
		NULL, "", "+/", "+", "/", ",", " ", "+,"
	};
	static struct sp_chain c, again;
	struct fuzz_in in;
	const char *delims;
	char *spec, *out, *w;
	size_t cap;
	int r, i;

	if (size > 4096)
		return 0;
	fuzz_in_init(&in, data, size);
	delims = delimsets[fuzz_byte(&in) % 8];
	spec = fuzz_rest(&in);

	r = sp_chain_parse(spec, delims, &c);
	if (r != SP_OK) {
		FUZZ_CHECK(r < 0 && r >= SP_ERR_MAX, "odd result %d", r);
		FUZZ_CHECK(c.bad >= 1 && c.bad <= SP_CHAIN_MAX +
		    SP_PROXY_HOPS_MAX + 1, "bad element %d", c.bad);
		sp_route_clear(&c.proxies);
		free(spec);
		return 0;
	}
	FUZZ_CHECK(c.n >= 1 && c.n <= SP_CHAIN_MAX, "n %d", c.n);
	FUZZ_CHECK(c.proxies.nhops >= 0 &&
	    c.proxies.nhops <= SP_PROXY_HOPS_MAX, "nhops %d", c.proxies.nhops);
	for (i = 0; i < c.proxies.nhops; i++) {
		const struct sp_proxy *p = &c.proxies.hops[i];

		FUZZ_CHECK(p->user[0] == '\0' && p->path[0] == '\0' &&
		    p->password == NULL && p->host[0] != '\0' && p->port != 0,
		    "'%s': proxy %d", spec, i);
	}
	for (i = 0; i < c.n; i++)
		check_elem(&c.elem[i], spec);

	/* Written back with the first delimiter, parsed again. */
	cap = (size_t)(c.n + c.proxies.nhops) * (ELEM_MAX + 1) + 1;
	if ((out = malloc(cap)) == NULL)
		abort();
	w = out;
	for (i = 0; i < c.proxies.nhops + c.n; i++) {
		if (i > 0)
			*w++ = delims != NULL && *delims != '\0' ? *delims :
			    SP_CHAIN_DELIMS[0];
		if (i < c.proxies.nhops)
			r = sp_chain_proxy_string(&c.proxies.hops[i], w,
			    ELEM_MAX);
		else
			r = sp_chain_elem_string(&c.elem[i - c.proxies.nhops],
			    w, ELEM_MAX);
		FUZZ_CHECK(r == SP_OK, "element %d does not fit", i);
		w += strlen(w);
	}
	*w = '\0';
	r = sp_chain_parse(out, delims, &again);
	FUZZ_CHECK(r == SP_OK, "'%s' written back as '%s' fails: %d", spec,
	    out, r);
	same_chain(&c, &again, spec);

	sp_route_clear(&c.proxies);
	sp_route_clear(&again.proxies);
	free(out);
	free(spec);
	return 0;
}
