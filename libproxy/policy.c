/*
 * What sshproxy.conf decides for one destination: which rule, which
 * routes in which mode, which settings, and whether the policy refuses.
 * Plain structs in, plain structs out; no libconfig here, so programs
 * that only act on a decision need not link it.
 */
#include "config.h"
#include "conf.h"

#include <sys/socket.h>

#include <netdb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "match.h"
#include "secret.h"

/* "~/x" under $HOME; anything else as it is.  *out is malloc'ed. */
int
sp_config_expand_path(const char *in, char **out)
{
	const char *home;
	size_t n;

	*out = NULL;
	if (in[0] == '~') {
		home = getenv("HOME");
		if (in[1] != '/' || home == NULL || home[0] != '/')
			return SP_ERR_INVALID_ARG;
		n = strlen(home) + strlen(in);
		if ((*out = malloc(n)) == NULL)
			return SP_ERR_NOMEM;
		snprintf(*out, n, "%s%s", home, in + 1);
		return SP_OK;
	}
	if ((*out = strdup(in)) == NULL)
		return SP_ERR_NOMEM;
	return SP_OK;
}

/*
 * The host as the patterns see it: one trailing dot dropped, and an
 * address in its one canonical spelling, so "127.1", "2130706433",
 * "0x7f000001" and "0:0:0:0:0:0:0:1" cannot walk past a pattern written
 * for 127.0.0.1 or ::1 (the resolver would connect to those all the
 * same).
 */
static void
canon_host(const char *host, char *buf, size_t len)
{
	struct addrinfo hints, *res;
	size_t n;

	snprintf(buf, len, "%s", host);
	n = strlen(buf);
	if (n > 1 && buf[n - 1] == '.' && buf[n - 2] != '.')
		buf[n - 1] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(buf, NULL, &hints, &res) != 0)
		return;
	if (getnameinfo(res->ai_addr, res->ai_addrlen, buf, (socklen_t)len,
	    NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(buf, len, "%s", host);
	freeaddrinfo(res);
}

static enum sp_cfg_addr
addr_kind(const char *host)
{
	if (!sp_addr_is_numeric(host))
		return SP_CFG_ADDR_NAME;
	return strchr(host, ':') != NULL ? SP_CFG_ADDR_INET6 :
	    SP_CFG_ADDR_INET;
}

static int
rule_matches(const struct sp_cfg_rule *ru, const char *host, uint16_t port)
{
	int i;

	if (sp_match_list(ru->host, host) != SP_MATCH_YES)
		return 0;
	if (ru->addr != SP_CFG_ADDR_ANY && ru->addr != addr_kind(host))
		return 0;
	if (ru->nports == 0)
		return 1;
	for (i = 0; i < ru->nports; i++)
		if (ru->ports[i] == port)
			return 1;
	return 0;
}

/* A route with no proxy hop goes direct, whatever its routing domain. */
int
sp_config_route_is_direct(const struct sp_config *cfg, int ri)
{
	return cfg->routes[ri].nvia == 0;
}

/*
 * Does the policy refuse host outright?  Returns 1 with the reason in
 * why, else 0.
 */
int
sp_config_refused(const struct sp_config *cfg, const char *host, char *why,
    size_t len)
{
	char canon[SP_HOST_MAX + 1];

	canon_host(host, canon, sizeof(canon));
	if (cfg->refuse == NULL || sp_match_list(cfg->refuse, canon) !=
	    SP_MATCH_YES)
		return 0;
	snprintf(why, len, "%.255s is refused by policy (%.300s:%d: refuse = "
	    "\"%.200s\")", host, cfg->path, cfg->refuse_line, cfg->refuse);
	return 1;
}

/* Must host never be reached without a proxy? */
int
sp_config_never_direct(const struct sp_config *cfg, const char *host)
{
	char canon[SP_HOST_MAX + 1];

	canon_host(host, canon, sizeof(canon));
	return cfg->never_direct != NULL &&
	    sp_match_list(cfg->never_direct, canon) == SP_MATCH_YES;
}

static void
overlay(struct sp_cfg_settings *to, const struct sp_cfg_settings *from)
{
	if (from->connect_timeout_ms >= 0)
		to->connect_timeout_ms = from->connect_timeout_ms;
	if (from->idle_timeout_ms >= 0)
		to->idle_timeout_ms = from->idle_timeout_ms;
	if (from->family >= 0)
		to->family = from->family;
	if (from->he_delay_ms >= 0)
		to->he_delay_ms = from->he_delay_ms;
	if (from->race_delay_ms >= 0)
		to->race_delay_ms = from->race_delay_ms;
}

/*
 * The first rule that matches host and port wins, like ssh_config.
 * Without one, the destination goes direct with the defaults.  Returns
 * SP_OK, or SP_ERR_POLICY with d->refused set and the reason in d->why.
 */
int
sp_config_decide(const struct sp_config *cfg, const char *typed,
    uint16_t port, struct sp_cfg_decision *d)
{
	char host[SP_HOST_MAX + 1];
	int i, n;

	canon_host(typed, host, sizeof(host));
	memset(d, 0, sizeof(*d));
	d->set = cfg->defaults;
	d->routes[0] = 0;
	d->nroutes = 1;
	d->mode = SP_CFG_FALLBACK;
	if (sp_config_refused(cfg, typed, d->why, sizeof(d->why))) {
		d->refused = 1;
		d->nroutes = 0;
		return SP_ERR_POLICY;
	}
	for (i = 0; i < cfg->nrules; i++)
		if (rule_matches(&cfg->rules[i], host, port))
			break;
	if (i < cfg->nrules) {
		d->rule = &cfg->rules[i];
		memcpy(d->routes, d->rule->routes, sizeof(d->routes));
		d->nroutes = d->rule->nroutes;
		d->mode = d->rule->mode;
		overlay(&d->set, &d->rule->set);
	}
	if (cfg->never_direct == NULL ||
	    sp_match_list(cfg->never_direct, host) != SP_MATCH_YES)
		return SP_OK;
	for (i = n = 0; i < d->nroutes; i++)
		if (!sp_config_route_is_direct(cfg, d->routes[i]))
			d->routes[n++] = d->routes[i];
	if (n < d->nroutes && n > 0)
		d->nroutes = n;
	else if (n == 0) {
		d->nroutes = 0;
		d->refused = 1;
		if (d->rule != NULL)
			snprintf(d->why, sizeof(d->why), "%.255s must not be "
			    "reached directly (%.300s:%d: never_direct = "
			    "\"%.200s\") and the "
			    "rule at line %d has no proxy route", host,
			    cfg->path, cfg->never_direct_line,
			    cfg->never_direct, d->rule->line);
		else
			snprintf(d->why, sizeof(d->why), "%.255s must not be "
			    "reached directly (%.300s:%d: never_direct = "
			    "\"%.200s\") and no "
			    "rule gives it a proxy route", host, cfg->path,
			    cfg->never_direct_line, cfg->never_direct);
		return SP_ERR_POLICY;
	}
	return SP_OK;
}

/* A proxy's password from the file: inline, a file, or a variable. */
int
sp_config_proxy_password(const struct sp_cfg_proxy *p, char **pw, char *err,
    size_t errlen)
{
	int r = SP_OK;

	*pw = NULL;
	if (p->password != NULL) {
		if ((*pw = strdup(p->password)) == NULL)
			r = SP_ERR_NOMEM;
	} else if (p->password_file != NULL) {
		if ((r = sp_secret_from_file(p->password_file, pw)) != SP_OK)
			snprintf(err, errlen, "proxy %s: %s: %s", p->name,
			    p->password_file, r == SP_ERR_INVALID_ARG ?
			    "not a regular file holding a password" :
			    sp_strerror(r));
	} else if (p->password_env != NULL) {
		if ((r = sp_secret_from_env(p->password_env, pw)) != SP_OK) {
			snprintf(err, errlen, "proxy %s: password_env: %s is "
			    "not set", p->name, p->password_env);
			r = SP_ERR_NO_PASSWORD;
		}
	}
	if (r == SP_ERR_NOMEM)
		snprintf(err, errlen, "%s", sp_strerror(r));
	return r;
}

/*
 * Route ri as the tunnel wants it: hops with their passwords (from the
 * file, a password file or a variable, if secrets is set; a hop with a
 * user and none of these is left for the caller to ask), and the HTTP
 * options.  The
 * http strings point into cfg.  On failure the route is cleared and
 * err says why.
 */
int
sp_config_route_build(const struct sp_config *cfg, int ri, int secrets,
    struct sp_route *rt, struct sp_http_opts *http, char *err,
    size_t errlen)
{
	const struct sp_cfg_route *cr = &cfg->routes[ri];
	int i, k, r;

	memset(rt, 0, sizeof(*rt));
	memset(http, 0, sizeof(*http));
	for (i = 0; i < cr->nvia; i++) {
		const struct sp_cfg_proxy *p = &cfg->proxies[cr->via[i]];

		rt->hops[i] = p->proxy;
		rt->hops[i].password = NULL;
		rt->nhops++;
		if (secrets && (r = sp_config_proxy_password(p,
		    &rt->hops[i].password, err, errlen)) != SP_OK) {
			sp_route_clear(rt);
			return r;
		}
		if (sp_proxy_is_socks(p->proxy.type))
			continue;
		http->auth = p->auth;
		http->cacert = p->cacert;
		http->insecure = p->insecure;
		for (k = 0; k < p->nheaders; k++)
			http->headers[k] = p->headers[k];
		http->nheaders = p->nheaders;
	}
	return SP_OK;
}
