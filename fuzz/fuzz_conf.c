/*
 * Fuzz the sshproxy.conf loader (libproxy/conf.c through libconfig)
 * and what is decided from a loaded file (libproxy/policy.c).
 *
 * The input is "file text NUL host NUL host ...".  Properties:
 *   - the loader answers SP_OK or SP_ERR_CONFIG, and a refusal has a
 *     message that starts with the file's name and is terminated;
 *   - a loaded file is self-consistent: every rule's routes and every
 *     route's proxies exist, route 0 is "direct", names fit;
 *   - for each host: a decision is SP_OK or SP_ERR_POLICY, a refusal
 *     has a reason and no routes, an answer has 1-8 valid routes, and
 *     every route builds (without fetching secrets) into a route the
 *     tunnel accepts;
 *   - sp_config_free leaves nothing behind (LeakSanitizer).
 * Inputs with @include are skipped: they would read files.
 */
#include "config.h"

#include <string.h>

#include "conf.h"
#include "err.h"
#include "fuzz.h"
#include "proxy.h"

static void
check_loaded(const struct sp_config *cfg)
{
	int i, k;

	FUZZ_CHECK(cfg->nroutes >= 1 && strcmp(cfg->routes[0].name,
	    "direct") == 0, "no built-in direct route");
	for (i = 0; i < cfg->nroutes; i++) {
		FUZZ_CHECK(FUZZ_TERMINATED(cfg->routes[i].name,
		    sizeof(cfg->routes[i].name)), "route name");
		FUZZ_CHECK(cfg->routes[i].nvia >= 0 &&
		    cfg->routes[i].nvia <= SP_PROXY_HOPS_MAX, "nvia");
		for (k = 0; k < cfg->routes[i].nvia; k++)
			FUZZ_CHECK(cfg->routes[i].via[k] >= 0 &&
			    cfg->routes[i].via[k] < cfg->nproxies, "via");
	}
	for (i = 0; i < cfg->nrules; i++) {
		FUZZ_CHECK(cfg->rules[i].host != NULL, "rule without host");
		FUZZ_CHECK(cfg->rules[i].nroutes >= 1 &&
		    cfg->rules[i].nroutes <= SP_CFG_ROUTES_PER_RULE, "nroutes");
		for (k = 0; k < cfg->rules[i].nroutes; k++)
			FUZZ_CHECK(cfg->rules[i].routes[k] >= 0 &&
			    cfg->rules[i].routes[k] < cfg->nroutes, "route");
	}
}

static void
check_host(const struct sp_config *cfg, const char *host)
{
	struct sp_cfg_decision d;
	struct sp_http_opts http;
	struct sp_route rt;
	char err[SP_CFG_ERR_MAX];
	int r, i;

	r = sp_config_decide(cfg, host, 22, &d);
	FUZZ_CHECK(r == SP_OK || r == SP_ERR_POLICY, "decide %d", r);
	FUZZ_CHECK(FUZZ_TERMINATED(d.why, sizeof(d.why)), "why");
	if (r == SP_ERR_POLICY) {
		FUZZ_CHECK(d.refused && d.why[0] != '\0' && d.nroutes == 0,
		    "refusal without reason");
		return;
	}
	FUZZ_CHECK(d.nroutes >= 1 && d.nroutes <= SP_CFG_ROUTES_PER_RULE,
	    "%d routes", d.nroutes);
	for (i = 0; i < d.nroutes; i++) {
		FUZZ_CHECK(d.routes[i] >= 0 && d.routes[i] < cfg->nroutes,
		    "route index");
		r = sp_config_route_build(cfg, d.routes[i], 0, &rt, &http, err,
		    sizeof(err));
		FUZZ_CHECK(r == SP_OK, "route build %d", r);
		FUZZ_CHECK(sp_route_check(&rt) == SP_OK, "loaded a route the "
		    "tunnel refuses");
		sp_route_clear(&rt);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_config cfg;
	struct fuzz_in in;
	char err[SP_CFG_ERR_MAX], *text, *host;
	int r, n;

	if (size > 8192)
		return 0;
	fuzz_in_init(&in, data, size);
	text = fuzz_string(&in);
	if (strstr(text, "include") != NULL) {
		free(text);
		return 0;
	}
	r = sp_config_load_string(text, "fuzz.conf", &cfg, err, sizeof(err));
	FUZZ_CHECK(r == SP_OK || r == SP_ERR_CONFIG || r == SP_ERR_NOMEM,
	    "load %d", r);
	if (r != SP_OK) {
		FUZZ_CHECK(FUZZ_TERMINATED(err, sizeof(err)) &&
		    strncmp(err, "fuzz.conf", 9) == 0, "message '%s'", err);
		free(text);
		return 0;
	}
	check_loaded(&cfg);
	for (n = 0; n < 4 && in.left > 0; n++) {
		host = fuzz_string(&in);
		check_host(&cfg, host);
		free(host);
	}
	if (n == 0)
		check_host(&cfg, "db.example.com");
	sp_config_free(&cfg);
	free(text);
	return 0;
}
