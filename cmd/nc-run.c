/*
 * What sshproxy-nc and sshproxy-socks do once their options are parsed:
 * open the route, then probe, pass the socket, or relay.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "audit.h"
#include "cache.h"
#include "conf.h"
#include "common.h"
#include "conn.h"
#include "err.h"
#include "fdpass.h"
#include "log.h"
#include "nc-opts.h"
#include "proxy.h"
#include "race.h"
#include "relay.h"
#include "secret.h"
#include "tunnel.h"

/* Does this hop want a password we have not got yet? */
static int
needs_password(const struct sp_proxy *h)
{
	return h->user[0] != '\0' && h->password == NULL && !h->isolation &&
	    h->type != SP_PROXY_SOCKS4 && h->type != SP_PROXY_SOCKS4A;
}

static int
ask_password(struct sp_proxy *h, void *arg)
{
	char prompt[SP_HOST_MAX + SP_USER_MAX + 64];

	(void)arg;
	snprintf(prompt, sizeof(prompt), "Password for proxy %s@%s: ",
	    h->user, h->path[0] != '\0' ? h->path : h->host);
	return sp_secret_ask(prompt, &h->password);
}

/*
 * Passwords for hops that have a user: from a file or an environment
 * variable when one is given, else asked for (SSH_ASKPASS or the
 * terminal): for SOCKS5 only if the proxy asks, for HTTP before
 * connecting, since libcurl wants it up front.  A probe never asks
 * (Match exec has no one to answer).  may_ask 2: ask up front even for
 * SOCKS (several routes run at once in child processes, which must
 * not prompt over each other).  Returns an exit status.
 */
static int
get_passwords(struct nc_opts *o, struct sp_route *rt, int may_ask)
{
	char *pw = NULL;
	const char *var;
	int i, r = SP_OK, need = 0;

	for (i = 0; i < rt->nhops; i++)
		need |= needs_password(&rt->hops[i]);
	if (!need)
		return 0;
	var = o->password_env != NULL ? o->password_env :
	    "SSHPROXY_PROXY_PASSWORD";
	if (o->password_file != NULL) {
		if ((r = sp_secret_from_file(o->password_file, &pw)) != SP_OK) {
			sp_error("%s: %s", o->password_file,
			    r == SP_ERR_INVALID_ARG ? "not a regular file "
			    "holding a password" : sp_strerror(r));
			return sp_err_exit_status(r);
		}
	} else if ((r = sp_secret_from_env(var, &pw)) == SP_OK) {
		/* Children (SSH_ASKPASS) need not see it: see nc_run. */
	} else if (o->password_env != NULL) {
		sp_error("--proxy-password-env: %s is not set", var);
		return sp_err_exit_status(r);
	}
	r = SP_OK;
	for (i = 0; i < rt->nhops; i++) {
		struct sp_proxy *h = &rt->hops[i];

		if (!needs_password(h))
			continue;
		if (pw != NULL) {
			if ((h->password = strdup(pw)) == NULL)
				r = SP_ERR_NOMEM;
		} else if (may_ask == 1 && sp_proxy_is_socks(h->type) &&
		    !(i + 1 < rt->nhops &&
		    !sp_proxy_is_socks(rt->hops[i + 1].type)))
			h->ask_password = ask_password;	/* if it asks */
		else if (may_ask)
			/* HTTP, or libcurl's pre-proxy: wanted up front. */
			(void)ask_password(h, NULL);
	}
	sp_secret_free(pw);
	return r == SP_OK ? 0 : sp_err_exit_status(r);
}

/* --proxy-env: all_proxy unless no_proxy names the destination. */
static int
proxy_from_env(struct nc_opts *o)
{
	const char *url, *no;
	int r;

	if (o->route.nhops > 0)
		return SP_OK;		/* -x wins, and is never bypassed */
	if ((url = getenv("all_proxy")) == NULL || *url == '\0')
		url = getenv("ALL_PROXY");
	if (url == NULL || *url == '\0')
		return SP_OK;
	if ((no = getenv("no_proxy")) == NULL)
		no = getenv("NO_PROXY");
	if (sp_no_proxy_match(no, o->dest.host)) {
		sp_info("%s is in no_proxy: going direct", o->dest.host);
		return SP_OK;
	}
	if ((r = sp_proxy_parse(url, SP_PROXY_NONE, &o->route.hops[0])) !=
	    SP_OK) {
		if (r == SP_ERR_PROXY_PASSWORD) {
			sp_error("all_proxy: passwords in proxy URLs are refused "
			    "(use --proxy-password-file or "
			    "--proxy-password-env)");
			return SP_ERR_PROXY_URL;
		}
		sp_error("all_proxy: %s", sp_strerror(r));
		return r;
	}
	if (o->route.hops[0].user[0] == '\0' && o->proxy_user != NULL)
		snprintf(o->route.hops[0].user, sizeof(o->route.hops[0].user),
		    "%s", o->proxy_user);
	o->route.nhops = 1;
	return SP_OK;
}

static int
fail(int r, const char *what)
{
	sp_error("%s: %s", what, sp_strerror(r));
	return sp_err_exit_status(r);
}

/* Where a hop listens, for messages: "127.0.0.1:9050" or a path. */
static void
hop_where(const struct sp_proxy *p, char *buf, size_t len)
{
	if (p->path[0] != '\0')
		snprintf(buf, len, "%s", p->path);
	else
		sp_addr_format(p->host, p->port, buf, len);
}

/* Tell a refused first hop apart: "tor is not running on ...". */
static void
report(const struct nc_opts *o, int r, const char *where,
    const char *also)
{
	char hop[SP_HOST_MAX + SP_PROXY_PATH_MAX + 16];

	if (r == SP_ERR_ERRNO(ECONNREFUSED) && o->route.nhops > 0) {
		hop_where(&o->first, hop, sizeof(hop));
		if (o->proxy_label != NULL)
			sp_error("%s is not running on %s%s%s", o->proxy_label,
			    hop, also[0] != '\0' ? " nor on " : "", also);
		else
			sp_error("%s: %s (is the proxy running?)", where,
			    sp_strerror(r));
		return;
	}
	if (r == SP_ERR_PROXY_DENIED && o->first.isolation)
		sp_error("%s: %s (it does not take username/password: try "
		    "--isolate=none)", where, sp_strerror(r));
	else
		sp_error("%s: %s", where, sp_strerror(r));
}


/* The routes to try, as the command line or the file decided. */
struct plan {
	struct sp_attempt	 att[SP_RACE_MAX];
	int			 n;
	enum sp_race_mode	 mode;
	int			 delay_ms;
	struct sp_cfg_decision	 d;
	int			 from_file;	/* the file chose routes */
	int			 refused;	/* by the policy */
	char			 rule[4200];	/* "file:line" or "" */
	char			 key[2048];	/* for the probe cache */
};

/* What the audit log hears about this run. */
struct outcome {
	const char		*route;
	char			 via[1024];
	struct sp_relay_stats	 st;
	int			 cached;
	char			 reason[SP_CFG_ERR_MAX + 128];
};

static void set_reason(struct outcome *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_reason(struct outcome *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
	va_end(ap);
}

static void
sockopts_desc(const struct sp_sockopts *so, const char *netns,
    const char *source, char *buf, size_t len)
{
	buf[0] = '\0';
	if (netns != NULL)
		snprintf(buf + strlen(buf), len - strlen(buf), " netns %s",
		    netns);
	if (so->rtable >= 0)
		snprintf(buf + strlen(buf), len - strlen(buf), " table %d",
		    so->rtable);
	if (so->has_mark)
		snprintf(buf + strlen(buf), len - strlen(buf), " mark %#x",
		    (unsigned int)so->mark);
	if (so->device[0] != '\0')
		snprintf(buf + strlen(buf), len - strlen(buf), " device %s",
		    so->device);
	if (source != NULL)
		snprintf(buf + strlen(buf), len - strlen(buf), " source %s",
		    source);
}

/* "socks5h://127.0.0.1:9050 http://proxy:3128" or "direct". */
static void
route_desc(const struct sp_attempt *a, char *buf, size_t len)
{
	char hop[SP_HOST_MAX + SP_USER_MAX + SP_PROXY_PATH_MAX + 32];
	char so[256];
	int i;

	buf[0] = '\0';
	for (i = 0; i < a->route.nhops; i++) {
		sp_proxy_describe(&a->route.hops[i], hop, sizeof(hop));
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i > 0 ? " " : "via ", hop);
	}
	if (a->route.nhops == 0)
		snprintf(buf, len, "direct");
	sockopts_desc(&a->so, a->netns, a->dial.source, so, sizeof(so));
	snprintf(buf + strlen(buf), len - strlen(buf), "%s", so);
}

/* The file's settings, where the command line did not give them. */
static void
apply_settings(struct nc_opts *o, const struct sp_cfg_settings *set)
{
	if (!(o->set & NC_SET_TIMEOUT) && set->connect_timeout_ms >= 0)
		o->dial.timeout_ms = set->connect_timeout_ms;
	if (!(o->set & NC_SET_IDLE) && set->idle_timeout_ms >= 0)
		o->relay.idle_timeout_ms = set->idle_timeout_ms;
	if (!(o->set & NC_SET_FAMILY) && set->family >= 0)
		o->dial.family = set->family;
	if (!(o->set & NC_SET_HE_DELAY) && set->he_delay_ms >= 0)
		o->dial.he_delay_ms = set->he_delay_ms;
}

/* Without a timeout anywhere, one route of several waits this long. */
#define NC_ROUTE_TIMEOUT_MS	10000

/*
 * Decide the routes: the command line's (-x, --proxy-env, or what
 * sshproxy-socks and sshproxy-route set up), else the file's rules.
 * The policy applies either way.  Returns 0 or an exit status, with
 * the reason printed (and in out->reason).
 */
static int
make_plan(struct nc_opts *o, struct plan *pl, struct outcome *out)
{
	const struct sp_config *cfg = o->cfg;
	char err[SP_CFG_ERR_MAX], desc[1200];
	int i, k, r, cli;

	memset(pl, 0, sizeof(*pl));
	pl->mode = SP_RACE_FALLBACK;
	cli = cfg == NULL || !o->use_rules || o->route.nhops > 0;
	if (cfg != NULL) {
		r = sp_config_decide(cfg, o->dest.host, o->dest.port, &pl->d);
		if (pl->d.rule != NULL)
			snprintf(pl->rule, sizeof(pl->rule), "%s:%d", cfg->path,
			    pl->d.rule->line);
		if (r == SP_ERR_POLICY && (pl->d.nroutes == 0 && !cli)) {
			set_reason(out, "%s",
			    pl->d.why);
			pl->refused = 1;
			return SP_EXIT_NOPERM;
		}
		if (sp_config_refused(cfg, o->dest.host, err, sizeof(err))) {
			set_reason(out, "%s", err);
			pl->refused = 1;
			return SP_EXIT_NOPERM;
		}
		if (cli && o->route.nhops == 0 &&
		    sp_config_never_direct(cfg, o->dest.host)) {
			set_reason(out, "%s must not "
			    "be reached directly (%s:%d: never_direct = "
			    "\"%s\")",
			    o->dest.host, cfg->path, cfg->never_direct_line,
			    cfg->never_direct);
			pl->refused = 1;
			return SP_EXIT_NOPERM;
		}
		apply_settings(o, &pl->d.set);
	}
	if (cli) {
		struct sp_attempt *a = &pl->att[0];

		a->name = NULL;
		a->route = o->route;		/* the hops move over */
		memset(&o->route, 0, sizeof(o->route));
		a->http = o->http;
		a->dial = o->dial;
		sp_sockopts_init(&a->so);
		pl->n = 1;
	} else {
		pl->from_file = 1;
		pl->mode = pl->d.mode == SP_CFG_RACE ? SP_RACE_STAGGER :
		    SP_RACE_FALLBACK;
		pl->delay_ms = pl->d.set.race_delay_ms >= 0 ?
		    pl->d.set.race_delay_ms : SP_RACE_DELAY_DEFAULT;
		for (i = 0; i < pl->d.nroutes; i++) {
			const struct sp_cfg_route *cr =
			    &cfg->routes[pl->d.routes[i]];
			struct sp_attempt *a = &pl->att[i];

			pl->n++;
			a->name = cr->name;
			r = sp_config_route_build(cfg, pl->d.routes[i],
			    !o->explain, &a->route, &a->http, err,
			    sizeof(err));
			if (r != SP_OK) {
				set_reason(out,
				    "%s", err);
				return sp_err_exit_status(r);
			}
			for (k = 0; k < cr->nvia; k++)
				if ((r = sp_proxy_isolate(&a->route.hops[k],
				    cfg->proxies[cr->via[k]].isolate,
				    o->dest.host, o->dest.port)) != SP_OK) {
					set_reason(out, "%s",
					    sp_strerror(r));
					return sp_err_exit_status(r);
				}
			a->dial = o->dial;
			if (!(o->set & NC_SET_TIMEOUT) &&
			    cr->connect_timeout_ms >= 0)
				a->dial.timeout_ms = cr->connect_timeout_ms;
			if (a->dial.timeout_ms == 0 && pl->d.nroutes > 1)
				a->dial.timeout_ms = NC_ROUTE_TIMEOUT_MS;
			if (!(o->set & NC_SET_SOURCE) && cr->source != NULL)
				a->dial.source = cr->source;
			a->so = cr->so;
			a->netns = cr->netns;
		}
	}
	if (o->cache_s == 0)
		return 0;	/* the key only names probe cache entries */
	snprintf(pl->key, sizeof(pl->key), "%s %u", o->dest.host,
	    o->dest.port);
	for (i = 0; i < pl->n; i++) {
		route_desc(&pl->att[i], desc, sizeof(desc));
		snprintf(pl->key + strlen(pl->key), sizeof(pl->key) -
		    strlen(pl->key), " | %s%s%s", pl->att[i].name != NULL ?
		    pl->att[i].name : "", pl->att[i].name != NULL ? ": " : "",
		    desc);
	}
	return 0;
}

static void
plan_clear(struct plan *pl)
{
	int i;

	for (i = 0; i < pl->n; i++)
		sp_route_clear(&pl->att[i].route);
}

static const char *
family_name(int f)
{
	return f == AF_INET ? "inet" : f == AF_INET6 ? "inet6" : "any";
}

static void
print_ms(const char *key, int ms)
{
	if (ms <= 0)
		printf("%s none\n", key);
	else
		printf("%s %d.%03d\n", key, ms / 1000, ms % 1000);
}

/* Where a hop's password would come from, never the password. */
static const char *
password_source(const struct nc_opts *o, const struct sp_attempt *a, int i,
    char *buf, size_t len)
{
	const struct sp_cfg_route *cr;
	const struct sp_cfg_proxy *p;

	if (a->route.hops[i].isolation)
		return "isolation (derived)";
	if (a->route.hops[i].user[0] == '\0')
		return NULL;
	if (a->name != NULL && o->cfg != NULL) {
		for (cr = o->cfg->routes; cr < o->cfg->routes +
		    o->cfg->nroutes; cr++)
			if (cr->name == a->name)
				break;
		if (cr < o->cfg->routes + o->cfg->nroutes) {
			p = &o->cfg->proxies[cr->via[i]];
			if (p->password != NULL)
				return "in the configuration file (hidden)";
			if (p->password_file != NULL) {
				snprintf(buf, len, "password_file %s",
				    p->password_file);
				return buf;
			}
			if (p->password_env != NULL) {
				snprintf(buf, len, "password_env %s (%s)",
				    p->password_env, getenv(p->password_env) !=
				    NULL ? "set" : "NOT SET");
				return buf;
			}
		}
	}
	if (o->password_file != NULL)
		return "--proxy-password-file";
	if (o->password_env != NULL)
		return "--proxy-password-env";
	return "SSHPROXY_PROXY_PASSWORD, else asked";
}

/*
 * --explain: what would happen, like ssh -G: which file, which rule,
 * the routes and every setting, one "key value" per line on stdout.
 * Secrets are never printed.  Exits 0, or 77 if the policy refuses.
 */
int
nc_explain(struct nc_opts *o)
{
	struct plan pl;
	struct outcome out;
	char desc[1200], auth[64];
	int status, i, k;

	memset(&out, 0, sizeof(out));
	sp_log_init("sshproxy-nc", o->quiet ? SP_LOG_QUIET : SP_LOG_ERROR);
	status = make_plan(o, &pl, &out);
	printf("config %s\n", o->cfg != NULL ? o->cfg->path : "none");
	printf("destination %s %u\n", o->dest.host, o->dest.port);
	if (pl.rule[0] != '\0') {
		printf("rule %s\n", pl.rule);
		printf("match host \"%s\"", pl.d.rule->host);
		for (i = 0; i < pl.d.rule->nports; i++)
			printf("%s%u", i == 0 ? " port " : ",",
			    pl.d.rule->ports[i]);
		if (pl.d.rule->addr != SP_CFG_ADDR_ANY)
			printf(" address_family %s",
			    pl.d.rule->addr == SP_CFG_ADDR_INET ? "inet" :
			    pl.d.rule->addr == SP_CFG_ADDR_INET6 ? "inet6" :
			    "name");
		printf("\n");
	} else if (o->cfg == NULL)
		printf("rule none (no configuration file)\n");
	else if (status == 0 && !pl.from_file)
		printf("rule none (the route is the command line's)\n");
	else
		printf("rule none (no rule matched: direct, with the "
		    "defaults)\n");
	if (status != 0) {
		printf("%s %s\n", pl.refused ? "refused" : "error", out.reason);
		plan_clear(&pl);
		return status;
	}
	printf("policy allow\n");
	printf("mode %s\n", pl.mode == SP_RACE_STAGGER ? "race" : "fallback");
	if (pl.mode == SP_RACE_STAGGER)
		printf("race_delay %d.%03d\n", pl.delay_ms / 1000,
		    pl.delay_ms % 1000);
	for (i = 0; i < pl.n; i++) {
		const struct sp_attempt *a = &pl.att[i];

		route_desc(a, desc, sizeof(desc));
		if (a->name != NULL && strcmp(a->name, "direct") == 0 &&
		    strcmp(desc, "direct") == 0)
			printf("route direct\n");
		else
			printf("route %s %s\n", a->name != NULL ? a->name :
			    "command-line", desc);
		for (k = 0; k < a->route.nhops; k++) {
			const char *src = password_source(o, a, k, desc,
			    sizeof(desc));

			if (src != NULL)
				printf("  password %s@%s: %s\n",
				    a->route.hops[k].isolation ? "sshproxy" :
				    a->route.hops[k].user,
				    a->route.hops[k].path[0] != '\0' ?
				    a->route.hops[k].path :
				    a->route.hops[k].host, src);
		}
		if (a->http.auth != 0 || a->http.cacert != NULL ||
		    a->http.insecure || a->http.nheaders > 0) {
			snprintf(auth, sizeof(auth), "%s%s%s%s%s",
			    a->http.auth == 0 ? ",any" : "",
			    a->http.auth & SP_HTTP_AUTH_BASIC ? ",basic" : "",
			    a->http.auth & SP_HTTP_AUTH_DIGEST ? ",digest" : "",
			    a->http.auth & SP_HTTP_AUTH_NTLM ? ",ntlm" : "",
			    a->http.auth & SP_HTTP_AUTH_NEGOTIATE ?
			    ",negotiate" : "");
			printf("  http auth %s\n", auth + 1);
			if (a->http.cacert != NULL)
				printf("  http cacert %s\n", a->http.cacert);
			if (a->http.insecure)
				printf("  http insecure yes\n");
			for (k = 0; k < a->http.nheaders; k++)
				printf("  http header %s\n",
				    a->http.headers[k]);
		}
		print_ms("  connect_timeout", a->dial.timeout_ms);
	}
	print_ms("connect_timeout", o->dial.timeout_ms);
	print_ms("idle_timeout", o->relay.idle_timeout_ms);
	printf("family %s\n", family_name(o->dial.family));
	printf("he_delay %d\n", o->dial.he_delay_ms > 0 ? o->dial.he_delay_ms :
	    SP_HE_DELAY_DEFAULT);
	printf("half_close %s\n", o->relay.no_half_close ? "no" : "yes");
	if (o->cfg != NULL && (o->cfg->audit_file != NULL ||
	    o->cfg->audit_syslog))
		printf("audit %s\n", o->cfg->audit_syslog ? "syslog" :
		    o->cfg->audit_file);
	else
		printf("audit none\n");
	plan_clear(&pl);
	return fflush(stdout) == 0 ? 0 : SP_EXIT_OSERR;
}

static int run(struct nc_opts *, const char *, struct plan *,
    struct outcome *);

int
nc_run(struct nc_opts *o, const char *progname)
{
	struct sp_audit audit = { -1, 0 };
	struct sp_audit_rec rec;
	struct outcome out;
	struct plan pl;
	const char *var;
	int status, r, i;

	memset(&out, 0, sizeof(out));
	memset(&pl, 0, sizeof(pl));
	if (o->cfg != NULL && (o->cfg->audit_file != NULL ||
	    o->cfg->audit_syslog) && (r = sp_audit_open(&audit,
	    o->cfg->audit_file, o->cfg->audit_syslog)) != SP_OK) {
		sp_log_init(progname, o->quiet ? SP_LOG_QUIET : SP_LOG_ERROR);
		sp_error("%s:%d: audit file %s: %s", o->cfg->path,
		    o->cfg->audit_line, o->cfg->audit_file, sp_strerror(r));
		return SP_EXIT_CONFIG;
	}
	memset(&rec, 0, sizeof(rec));
	rec.start_ms = sp_audit_now();
	status = run(o, progname, &pl, &out);
	/* The password from the environment: children need not see it. */
	var = o->password_env != NULL ? o->password_env :
	    "SSHPROXY_PROXY_PASSWORD";
	(void)unsetenv(var);
	if (audit.fd >= 0 || audit.use_syslog) {
		rec.end_ms = sp_audit_now();
		rec.program = progname;
		rec.host = o->dest.host;
		rec.port = o->dest.port;
		rec.action = o->action == NC_PROBE ? "probe" :
		    o->action == NC_FDPASS ? "fdpass" : "relay";
		rec.rule = pl.rule[0] != '\0' ? pl.rule : NULL;
		rec.route = out.route;
		rec.via = out.via;
		rec.cached = out.cached;
		rec.bytes_out = out.st.to_remote;
		rec.bytes_in = out.st.to_local;
		rec.status = status;
		rec.reason = out.reason[0] != '\0' ? out.reason :
		    status == 0 ? "ok" : "failed";
		if ((r = sp_audit_write(&audit, &rec)) != SP_OK)
			sp_error("audit log: %s", sp_strerror(r));
		sp_audit_close(&audit);
	}
	for (i = 0; i < pl.n; i++)
		sp_route_clear(&pl.att[i].route);
	return status;
}

/* Print why, keep it for the audit log, return the status. */
static int
refuse(struct outcome *out, int status)
{
	sp_error("%s", out->reason);
	return status;
}

static int
run(struct nc_opts *o, const char *progname, struct plan *pl,
    struct outcome *out)
{
	struct sp_cmd_signals sigs;
	struct sp_race_result rr = { -1, -1 };
	struct sp_conn conn;
	struct sp_attempt *a;
	char where[2 * SP_HOST_MAX + SP_PROXY_PATH_MAX + 64];
	char also[SP_HOST_MAX + SP_PROXY_PATH_MAX + 16] = "";
	char failed[1024];
	int r, status, level, i, cached;
	long age;

	/* A probe is silent unless asked: its answer is the exit status. */
	level = o->quiet ? SP_LOG_QUIET : o->verbose;
	if (o->action == NC_PROBE && o->verbose == 0)
		level = SP_LOG_QUIET;
	sp_log_init(progname, level);
	sp_addr_format(o->dest.host, o->dest.port, where, sizeof(where));

	/* Refuse -F before connecting anywhere if ssh cannot take an fd. */
	if (o->action == NC_FDPASS &&
	    (r = sp_fdpass_check(STDOUT_FILENO)) != SP_OK) {
		set_reason(out, "-F: %s (use it "
		    "with ProxyUseFdpass yes)", sp_strerror(r));
		return refuse(out, SP_EXIT_USAGE);
	}

	if (o->proxy_env && (r = proxy_from_env(o)) != SP_OK) {
		set_reason(out, "all_proxy: %s",
		    sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if ((status = make_plan(o, pl, out)) != 0) {
		/* A refusal is not "unreachable", even for a probe. */
		sp_log_init(progname, o->quiet ? SP_LOG_QUIET :
		    SP_LOG_ERROR + o->verbose);
		return refuse(out, status);
	}
	if (pl->rule[0] != '\0')
		sp_info("%s: rule %s", where, pl->rule);
	for (i = 0; i < pl->n; i++) {
		a = &pl->att[i];
		if (o->action == NC_FDPASS)
			for (r = 0; r < a->route.nhops; r++)
				if (a->route.hops[r].type == SP_PROXY_HTTPS) {
					set_reason(out, "-F cannot be "
					    "used through an https:// proxy: "
					    "its TLS stays in this process "
					    "(drop -F and ProxyUseFdpass)");
					return refuse(out, SP_EXIT_USAGE);
				}
		if ((r = sp_route_check(&a->route)) != SP_OK) {
			set_reason(out, "%s",
			    sp_strerror(r));
			return refuse(out, sp_err_exit_status(r));
		}
	}

	/* -z --cache: an answer young enough needs no connection. */
	if (o->action == NC_PROBE && o->cache_s > 0) {
		if (sp_cache_get(pl->key, o->cache_s, &cached, &age) ==
		    SP_OK) {
			sp_info("%s: %s (cached %ld s ago)", where,
			    cached == 0 ? "reachable" : "not reachable", age);
			out->cached = 1;
			set_reason(out, "%s "
			    "(cached)", cached == 0 ? "reachable" :
			    "not reachable");
			return cached == 0 ? SP_EXIT_OK : SP_EXIT_FAIL;
		}
	}

	for (i = 0; i < pl->n; i++)
		if ((status = get_passwords(o, &pl->att[i].route,
		    o->action == NC_PROBE ? 0 : pl->n > 1 ? 2 : 1)) != 0) {
			set_reason(out, "no proxy "
			    "password");
			return status;
		}
	if (pl->n == 1 && pl->att[0].route.nhops > 0) {
		char hop[SP_HOST_MAX + SP_USER_MAX + SP_PROXY_PATH_MAX + 32];

		o->first = pl->att[0].route.hops[0];
		o->first.password = NULL;
		o->route.nhops = pl->att[0].route.nhops;  /* for report() */

		sp_proxy_describe(&pl->att[0].route.hops[0], hop, sizeof(hop));
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " via %s", hop);
	}

	r = sp_race_open(pl->att, pl->n, pl->mode, pl->delay_ms, o->dest.host,
	    o->dest.port, &conn, &rr);
	if (r == SP_ERR_ERRNO(ECONNREFUSED) && pl->n == 1 &&
	    o->fallback.type != SP_PROXY_NONE) {
		/* Nothing on the default port: try the other default. */
		hop_where(&o->fallback, also, sizeof(also));
		sp_info("nothing listens there; trying %s", also);
		sp_proxy_clear(&pl->att[0].route.hops[0]);
		pl->att[0].route.hops[0] = o->fallback;
		memset(&o->fallback, 0, sizeof(o->fallback));
		sp_addr_format(o->dest.host, o->dest.port, where,
		    sizeof(where));
		r = sp_race_open(pl->att, 1, pl->mode, pl->delay_ms,
		    o->dest.host, o->dest.port, &conn, &rr);
		if (r != SP_ERR_ERRNO(ECONNREFUSED))
			also[0] = '\0';
	}
	if (rr.winner >= 0) {
		out->route = pl->att[rr.winner].name;
		route_desc(&pl->att[rr.winner], out->via, sizeof(out->via));
	} else if (pl->n == 1)
		route_desc(&pl->att[0], out->via, sizeof(out->via));
	else
		for (i = 0; i < pl->n; i++)	/* the routes tried */
			snprintf(out->via + strlen(out->via), sizeof(out->via) -
			    strlen(out->via), "%s%s", i > 0 ? ", " : "",
			    pl->att[i].name);
	for (i = 0; i < pl->n; i++)
		sp_route_clear(&pl->att[i].route);
	if (r != SP_OK) {
		status = sp_err_exit_status(r);
		failed[0] = '\0';
		if (pl->n > 1) {
			for (i = 0; i < pl->n; i++)
				snprintf(failed + strlen(failed),
				    sizeof(failed) - strlen(failed), "%s%s: %s",
				    i > 0 ? "; " : "", pl->att[i].name,
				    pl->att[i].started ?
				    sp_strerror(pl->att[i].result) :
				    "not tried");
			set_reason(out, "no route "
			    "worked (%s)", failed);
		} else
			set_reason(out, "%s",
			    sp_strerror(r));
		/*
		 * A typo in ssh_config, a missing privilege or device is
		 * not "unreachable": even a probe says so and exits with
		 * its own status.
		 */
		if (pl->n == 1 && (status == SP_EXIT_USAGE ||
		    status == SP_EXIT_DATAERR || status == SP_EXIT_CONFIG ||
		    r == SP_ERR_CAP_SYS_ADMIN || r == SP_ERR_CAP_NET_ADMIN ||
		    r == SP_ERR_CAP_NET_RAW || r == SP_ERR_NO_DEVICE ||
		    r == SP_ERR_NO_VRF || r == SP_ERR_NO_NETNS)) {
			sp_log_init(progname, o->quiet ? SP_LOG_QUIET :
			    SP_LOG_ERROR + o->verbose);
			return fail(r, r == SP_ERR_SOURCE_BAD ?
			    pl->att[0].dial.source : where);
		}
		if (o->action == NC_PROBE) {
			sp_info("%s: not reachable: %s", where,
			    pl->n > 1 ? out->reason : sp_strerror(r));
			if (o->cache_s > 0)
				(void)sp_cache_put(pl->key, 1);
		} else if (pl->n > 1)
			sp_error("%s: %s", where, out->reason);
		else
			report(o, r, where, also);
		return o->action == NC_PROBE ? SP_EXIT_FAIL : status;
	}

	switch (o->action) {
	case NC_PROBE:
		sp_info("%s: reachable%s%s", where, out->route != NULL ?
		    " by route " : "", out->route != NULL ? out->route : "");
		sp_conn_close(&conn);
		sp_race_done(&rr);
		if (o->cache_s > 0)
			(void)sp_cache_put(pl->key, 0);
		set_reason(out, "reachable");
		return SP_EXIT_OK;
	case NC_FDPASS:
		if (conn.npending > 0 || rr.pump > 0) {
			/* Never the case for SOCKS and http://; never lose them. */
			sp_conn_close(&conn);
			sp_race_done(&rr);
			set_reason(out, "-F: the "
			    "tunnel already holds data for ssh; run without "
			    "-F");
			return refuse(out, SP_EXIT_PROTOCOL);
		}
		r = sp_fdpass_send(STDOUT_FILENO, conn.fd);
		sp_conn_close(&conn);
		set_reason(out, "%s", r == SP_OK ?
		    "passed to ssh" : sp_strerror(r));
		return r == SP_OK ? SP_EXIT_OK : fail(r, "-F");
	default:
		break;
	}

	sp_cmd_catch_signals(&sigs);
	o->relay.wait_mask = &sigs.wait_mask;
	o->relay.stop = &sp_cmd_stop;
	r = sp_relay(STDIN_FILENO, STDOUT_FILENO, &conn, &o->relay, &out->st);
	sp_conn_close(&conn);
	sp_race_done(&rr);
	sp_debug("%s: %llu bytes sent, %llu received", where,
	    (unsigned long long)out->st.to_remote,
	    (unsigned long long)out->st.to_local);
	if (r == SP_ERR_IDLE) {
		set_reason(out, "%s",
		    sp_strerror(r));
		return fail(r, where);
	}
	if (r != SP_OK) {
		set_reason(out, "%s",
		    sp_strerror(r));
		sp_error("%s: %s", where, sp_strerror(r));
		return SP_EXIT_FAIL;
	}
	status = sp_cmd_stop_status();
	set_reason(out, "%s", status == 0 ?
	    "closed" : "stopped by a signal");
	return status;
}
