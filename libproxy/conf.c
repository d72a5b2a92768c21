/*
 * Reading sshproxy.conf with libconfig.  Only this file knows
 * libconfig: it turns the file into the plain structs of config.h and
 * checks everything it can before anything connects, so a typo is a
 * "file:line:" message and exit 78, never a surprise route.
 */
#include "config.h"
#include "conf.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "dial.h"
#include "err.h"
#include "match.h"
#include "secret.h"
#include "util.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* Longest timeout the file may set: a day. */
#define CFG_SECONDS_MAX	86400

struct loader {
	struct sp_config	*cfg;
	const char		*path;	/* the file, for messages */
	char			*err;
	size_t			 errlen;
	char			 dir[4096];	/* for @include */
};

static int bad(struct loader *, const config_setting_t *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * The file a setting or an error comes from, as a path that works from
 * here: libconfig names an @include'd file as written, and looks for it
 * in the main file's directory (ld->dir), nested includes too.  NULL is
 * the main file itself.
 */
static const char *
source_path(const struct loader *ld, const char *file, char *buf,
    size_t len)
{
	if (file == NULL)
		return ld->path;
	if (file[0] == '/' || ld->dir[0] == '\0' || strcmp(ld->dir, ".") == 0)
		return file;
	snprintf(buf, len, "%s%s%s", ld->dir,
	    ld->dir[strlen(ld->dir) - 1] == '/' ? "" : "/", file);
	return buf;
}

/* "file:line: message"; always returns SP_ERR_CONFIG. */
static int
bad(struct loader *ld, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	const char *file = NULL;
	char path[4352];
	size_t n;
	int line = 0;

	if (s != NULL) {
		file = config_setting_source_file(s);
		line = (int)config_setting_source_line(s);
	}
	file = source_path(ld, file, path, sizeof(path));
	if (line > 0)
		snprintf(ld->err, ld->errlen, "%s:%d: ", file, line);
	else
		snprintf(ld->err, ld->errlen, "%s: ", file);
	n = strlen(ld->err);
	va_start(ap, fmt);
	vsnprintf(ld->err + n, ld->errlen - n, fmt, ap);
	va_end(ap);
	return SP_ERR_CONFIG;
}

/* Where a setting sits, for messages: "proxies.corp.url". */
static void
where(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t *p;
	char tmp[256];
	const char *name;
	unsigned int idx;

	buf[0] = '\0';
	for (p = s; p != NULL && !config_setting_is_root(p);
	    p = config_setting_parent(p)) {
		name = config_setting_name(p);
		if (name != NULL)
			snprintf(tmp, sizeof(tmp), "%s%s%s", name,
			    buf[0] != '\0' && buf[0] != '[' ? "." : "", buf);
		else {
			idx = (unsigned int)config_setting_index(p);
			snprintf(tmp, sizeof(tmp), "[%u]%s%s", idx + 1,
			    buf[0] != '\0' && buf[0] != '[' ? "." : "", buf);
		}
		snprintf(buf, len, "%s", tmp);
	}
}

/* where() into buf, for messages: computed only when one is printed. */
static const char *
at_of(const config_setting_t *s, char *buf, size_t len)
{
	where(s, buf, len);
	return buf;
}
#define AT(s)	at_of((s), at, sizeof(at))

/* Refuse settings that this group does not know (typos). */
static int
known_only(struct loader *ld, const config_setting_t *grp,
    const char *const *names)
{
	config_setting_t *m;
	char at[256], list[512];
	int i, j;

	if (!config_setting_is_group(grp)) {
		where(grp, at, sizeof(at));
		return bad(ld, grp, "%s: want a group { ... }", at);
	}
	for (i = 0; (m = config_setting_get_elem(grp, (unsigned int)i)) !=
	    NULL; i++) {
		for (j = 0; names[j] != NULL; j++)
			if (strcmp(config_setting_name(m), names[j]) == 0)
				break;
		if (names[j] != NULL)
			continue;
		list[0] = '\0';
		for (j = 0; names[j] != NULL; j++)
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), "%s%s", j > 0 ? ", " : "", names[j]);
		where(m, at, sizeof(at));
		return bad(ld, m, "unknown setting '%s' (known here: %s)", at,
		    list);
	}
	return SP_OK;
}

static int
get_string(struct loader *ld, const config_setting_t *s, char **out)
{
	const char *v;
	char at[256];

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		where(s, at, sizeof(at));
		return bad(ld, s, "%s: want a string in double quotes", at);
	}
	v = config_setting_get_string(s);
	if (v == NULL || (*out = strdup(v)) == NULL)
		return SP_ERR_NOMEM;
	return SP_OK;
}

static int
get_bool(struct loader *ld, const config_setting_t *s, int *out)
{
	char at[256];

	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		where(s, at, sizeof(at));
		return bad(ld, s, "%s: want true or false", at);
	}
	*out = config_setting_get_bool(s) != 0;
	return SP_OK;
}

/* A number of seconds, integer or not, as milliseconds. */
static int
get_seconds(struct loader *ld, const config_setting_t *s, int *ms)
{
	double d;
	char at[256];

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		d = (double)config_setting_get_int64(s);
		break;
	case CONFIG_TYPE_FLOAT:
		d = config_setting_get_float(s);
		break;
	default:
		return bad(ld, s, "%s: want a number of seconds (e.g. 5 or "
		    "0.5)", AT(s));
	}
	if (!(d >= 0 && d <= CFG_SECONDS_MAX))
		return bad(ld, s, "%s: %g seconds is out of range (0-%d)",
		    AT(s), d, CFG_SECONDS_MAX);
	*ms = (int)(d * 1000 + 0.5);
	if (d > 0 && *ms == 0)
		*ms = 1;
	return SP_OK;
}

static int
get_int(struct loader *ld, const config_setting_t *s, long long min,
    long long max, long long *out)
{
	char at[256];

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return bad(ld, s, "%s: want a whole number", AT(s));
	*out = config_setting_get_int64(s);
	if (*out < min || *out > max)
		return bad(ld, s, "%s: %lld is out of range (%lld-%lld)", AT(s),
		    *out, min, max);
	return SP_OK;
}

/* A pattern list, checked. */
static int
get_patterns(struct loader *ld, const config_setting_t *s, char **out)
{
	char why[128], at[256];
	int r;

	if ((r = get_string(ld, s, out)) != SP_OK)
		return r;
	if (sp_match_list_check(*out, why, sizeof(why)) != 0) {
		where(s, at, sizeof(at));
		return bad(ld, s, "%s: \"%s\": %s", at, *out, why);
	}
	return SP_OK;
}

/*
 * Settings that take one value or a list of them (via, route, port):
 * values_ok() refuses a group, nth_value() gives element k (NULL past
 * the end) whichever way it was written.
 */
static int
values_ok(struct loader *ld, const config_setting_t *m, const char *what)
{
	char at[256];

	if (config_setting_is_group(m))
		return bad(ld, m, "%s: want %s or a list of them, not a group",
		    AT(m), what);
	return SP_OK;
}

static config_setting_t *
nth_value(config_setting_t *m, int k)
{
	if (!config_setting_is_aggregate(m))
		return k == 0 ? m : NULL;
	return config_setting_get_elem(m, (unsigned int)k);
}

/* Is the file s comes from private enough to hold a password? */
static int
private_file(struct loader *ld, const config_setting_t *s)
{
	char path[4352];
	const char *file = source_path(ld, config_setting_source_file(s),
	    path, sizeof(path));
	struct stat st;

	if (stat(file, &st) == -1)
		return bad(ld, s, "%s", strerror(errno));
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		return bad(ld, s, "a password in a file that others can read "
		    "or write is refused (chmod 600 %s, or use "
		    "password_file)", file);
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return bad(ld, s, "a password in a file owned by another user "
		    "is refused");
	return SP_OK;
}

/* A keyword setting: one of table's names, mapped to its value. */
struct keyword {
	const char	*name;
	int		 value;
};

static int
get_keyword(struct loader *ld, const config_setting_t *s,
    const struct keyword *table, const char *expect, int *out)
{
	char *v = NULL, at[256];
	int r;

	if ((r = get_string(ld, s, &v)) != SP_OK)
		return r;
	for (; table->name != NULL; table++)
		if (strcmp(v, table->name) == 0) {
			*out = table->value;
			free(v);
			return SP_OK;
		}
	r = bad(ld, s, "%s: \"%s\" is not %s", AT(s), v, expect);
	free(v);
	return r;
}

static int
parse_family(struct loader *ld, const config_setting_t *s, int *family)
{
	static const struct keyword families[] = {
		{ "any", AF_UNSPEC }, { "inet", AF_INET }, { "ipv4", AF_INET },
		{ "inet6", AF_INET6 }, { "ipv6", AF_INET6 }, { NULL, 0 }
	};

	return get_keyword(ld, s, families, "any, inet or inet6", family);
}

static void
settings_init(struct sp_cfg_settings *set)
{
	set->connect_timeout_ms = -1;
	set->idle_timeout_ms = -1;
	set->family = -1;
	set->he_delay_ms = -1;
	set->race_delay_ms = -1;
}

/* One of the shared settings, if name is one; 1 if it was. */
static int
setting(struct loader *ld, const config_setting_t *s,
    struct sp_cfg_settings *set, int *r)
{
	const char *name = config_setting_name(s);
	long long v;

	*r = SP_OK;
	if (strcmp(name, "connect_timeout") == 0)
		*r = get_seconds(ld, s, &set->connect_timeout_ms);
	else if (strcmp(name, "idle_timeout") == 0)
		*r = get_seconds(ld, s, &set->idle_timeout_ms);
	else if (strcmp(name, "race_delay") == 0)
		*r = get_seconds(ld, s, &set->race_delay_ms);
	else if (strcmp(name, "family") == 0)
		*r = parse_family(ld, s, &set->family);
	else if (strcmp(name, "he_delay") == 0) {
		if ((*r = get_int(ld, s, SP_HE_DELAY_MIN, SP_HE_DELAY_MAX,
		    &v)) == SP_OK)
			set->he_delay_ms = (int)v;
	} else
		return 0;
	return 1;
}

static int
load_defaults(struct loader *ld, const config_setting_t *grp)
{
	static const char *const names[] = { "connect_timeout",
	    "idle_timeout", "family", "he_delay", "race_delay", NULL };
	config_setting_t *m;
	int i, r;

	if ((r = known_only(ld, grp, names)) != SP_OK)
		return r;
	for (i = 0; (m = config_setting_get_elem(grp, (unsigned int)i)) !=
	    NULL; i++) {
		(void)setting(ld, m, &ld->cfg->defaults, &r);
		if (r != SP_OK)
			return r;
	}
	return SP_OK;
}

static int
load_proxy(struct loader *ld, config_setting_t *grp, struct sp_cfg_proxy *p)
{
	static const char *const names[] = { "url", "user", "password",
	    "password_file", "password_env", "auth", "cacert", "insecure",
	    "headers", "isolate", NULL };
	config_setting_t *m, *h;
	char *v = NULL, at[256], shown[128];
	int i, r;

	p->line = (int)config_setting_source_line(grp);
	p->isolate = -1;
	if (strlen(config_setting_name(grp)) > SP_CFG_NAME_MAX)
		return bad(ld, grp, "proxy name longer than %d characters",
		    SP_CFG_NAME_MAX);
	snprintf(p->name, sizeof(p->name), "%s", config_setting_name(grp));
	if ((r = known_only(ld, grp, names)) != SP_OK)
		return r;
	if ((m = config_setting_get_member(grp, "url")) == NULL)
		return bad(ld, grp, "proxy %s: url is missing (e.g. url = "
		    "\"socks5h://127.0.0.1:9050\";)", p->name);
	if ((r = get_string(ld, m, &p->url)) != SP_OK)
		return r;
	if ((r = sp_proxy_parse(p->url, SP_PROXY_NONE, &p->proxy)) != SP_OK) {
		sp_proxy_redact_url(p->url, shown, sizeof(shown));
		if (r == SP_ERR_PROXY_PASSWORD)
			return bad(ld, m, "proxy %s: no passwords in URLs "
			    "(use password, password_file or password_env)",
			    p->name);
		return bad(ld, m, "proxy %s: \"%s\": %s%s", p->name, shown,
		    sp_strerror(r), strstr(p->url, "://") == NULL ?
		    " (write scheme://host:port)" : "");
	}
	for (i = 0; (m = config_setting_get_elem(grp, (unsigned int)i)) !=
	    NULL; i++) {
		const char *name = config_setting_name(m);

		r = SP_OK;
		if (strcmp(name, "user") == 0) {
			if ((r = get_string(ld, m, &v)) != SP_OK)
				return r;
			if (p->proxy.user[0] != '\0')
				r = bad(ld, m, "%s: the url has a user already",
				    AT(m));
			else if (v[0] == '\0' ||
			    strlen(v) >= sizeof(p->proxy.user) ||
			    strpbrk(v, "\r\n:@") != NULL)
				r = bad(ld, m, "%s: not a usable user name",
				    AT(m));
			else
				snprintf(p->proxy.user, sizeof(p->proxy.user),
				    "%s", v);
			free(v);
			v = NULL;
		} else if (strcmp(name, "password") == 0) {
			if ((r = get_string(ld, m, &p->password)) == SP_OK) {
				if (strlen(p->password) > SP_SECRET_MAX)
					r = bad(ld, m, "%s: longer than %d "
					    "bytes", AT(m), SP_SECRET_MAX);
				else
					r = private_file(ld, m);
			}
		} else if (strcmp(name, "password_file") == 0) {
			if ((r = get_string(ld, m, &v)) == SP_OK) {
				r = sp_config_expand_path(v, &p->password_file);
				if (r == SP_ERR_INVALID_ARG)
					r = bad(ld, m, "%s: \"%s\": ~ needs "
					    "HOME and only ~/ is understood",
					    AT(m), v);
			}
			free(v);
			v = NULL;
		} else if (strcmp(name, "password_env") == 0)
			r = get_string(ld, m, &p->password_env);
		else if (strcmp(name, "auth") == 0) {
			if ((r = get_string(ld, m, &v)) == SP_OK &&
			    sp_http_auth_parse(v, &p->auth) != SP_OK)
				r = bad(ld, m, "%s: \"%s\": want basic, "
				    "digest, ntlm, negotiate or any, comma "
				    "separated",
				    AT(m), v);
			free(v);
			v = NULL;
		} else if (strcmp(name, "cacert") == 0) {
			if ((r = get_string(ld, m, &v)) == SP_OK)
				r = sp_config_expand_path(v, &p->cacert);
			if (r == SP_ERR_INVALID_ARG)
				r = bad(ld, m, "%s: ~ needs HOME", AT(m));
			free(v);
			v = NULL;
		} else if (strcmp(name, "insecure") == 0)
			r = get_bool(ld, m, &p->insecure);
		else if (strcmp(name, "headers") == 0) {
			if (!config_setting_is_aggregate(m) ||
			    config_setting_length(m) > SP_HTTP_HEADERS_MAX)
				return bad(ld, m, "%s: want a list of at "
				    "most %d \"Name: value\" strings", AT(m),
				    SP_HTTP_HEADERS_MAX);
			while ((h = config_setting_get_elem(m,
			    (unsigned int)p->nheaders)) != NULL) {
				if ((r = get_string(ld, h,
				    &p->headers[p->nheaders])) != SP_OK)
					return r;
				if (strchr(p->headers[p->nheaders++], ':') ==
				    NULL || strpbrk(p->headers[p->nheaders - 1],
				    "\r\n") != NULL)
					return bad(ld, h, "%s: want \"Name: "
					    "value\" on one line", AT(m));
			}
		} else if (strcmp(name, "isolate") == 0) {
			if ((r = get_string(ld, m, &v)) != SP_OK)
				return r;
			if (sp_isolate_parse(v, &p->isolate) != SP_OK)
				r = bad(ld, m, "%s: \"%s\" is not destination, "
				    "connection or none", AT(m), v);
			free(v);
			v = NULL;
			if (r == SP_OK && p->isolate > SP_ISOLATE_NONE &&
			    p->proxy.type != SP_PROXY_SOCKS5H)
				r = bad(ld, m, "%s: isolation needs a "
				    "socks5h:// proxy (Tor)", AT(m));
		}
		if (r != SP_OK)
			return r;
	}
	if ((p->password != NULL) + (p->password_file != NULL) +
	    (p->password_env != NULL) > 1)
		return bad(ld, grp, "proxy %s: give one of password, "
		    "password_file and password_env", p->name);
	if ((p->password != NULL || p->password_file != NULL ||
	    p->password_env != NULL) && p->proxy.user[0] == '\0')
		return bad(ld, grp, "proxy %s: a password without a user",
		    p->name);
	if (p->isolate > SP_ISOLATE_NONE && p->proxy.user[0] != '\0')
		return bad(ld, grp, "proxy %s: isolation uses the user name "
		    "itself: drop user or isolate", p->name);
	if ((p->cacert != NULL || p->insecure) &&
	    p->proxy.type != SP_PROXY_HTTPS)
		return bad(ld, grp, "proxy %s: cacert and insecure are for "
		    "https:// proxies", p->name);
	if ((p->auth != 0 || p->nheaders > 0) &&
	    sp_proxy_is_socks(p->proxy.type))
		return bad(ld, grp, "proxy %s: auth and headers are for HTTP "
		    "proxies", p->name);
	return SP_OK;
}

static int
find_proxy(const struct sp_config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nproxies; i++)
		if (strcmp(cfg->proxies[i].name, name) == 0)
			return i;
	return -1;
}

static int
find_route(const struct sp_config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nroutes; i++)
		if (strcmp(cfg->routes[i].name, name) == 0)
			return i;
	return -1;
}

/* Do two HTTP hops of one route agree?  libcurl takes one set. */
static int
http_same(const struct sp_cfg_proxy *a, const struct sp_cfg_proxy *b)
{
	int i;

	if (a->auth != b->auth || a->insecure != b->insecure ||
	    a->nheaders != b->nheaders ||
	    (a->cacert == NULL) != (b->cacert == NULL) ||
	    (a->cacert != NULL && strcmp(a->cacert, b->cacert) != 0))
		return 0;
	for (i = 0; i < a->nheaders; i++)
		if (strcmp(a->headers[i], b->headers[i]) != 0)
			return 0;
	return 1;
}

static int
load_route(struct loader *ld, config_setting_t *grp, struct sp_cfg_route *rt)
{
	static const char *const names[] = { "via", "table", "netns", "mark",
	    "device", "source", "connect_timeout", NULL };
	struct sp_config *cfg = ld->cfg;
	struct sp_route check;
	config_setting_t *m, *e;
	char *v = NULL, at[256];
	long long n;
	int i, k, r, http = -1;

	rt->line = (int)config_setting_source_line(grp);
	if (strlen(config_setting_name(grp)) > SP_CFG_NAME_MAX)
		return bad(ld, grp, "route name longer than %d characters",
		    SP_CFG_NAME_MAX);
	snprintf(rt->name, sizeof(rt->name), "%s", config_setting_name(grp));
	rt->connect_timeout_ms = -1;
	sp_sockopts_init(&rt->so);
	if (strcmp(rt->name, "direct") == 0)
		return bad(ld, grp, "route direct is built in: give yours "
		    "another name");
	if ((r = known_only(ld, grp, names)) != SP_OK)
		return r;
	for (i = 0; (m = config_setting_get_elem(grp, (unsigned int)i)) !=
	    NULL; i++) {
		const char *name = config_setting_name(m);

		r = SP_OK;
		if (strcmp(name, "via") == 0) {
			if ((r = values_ok(ld, m, "a proxy name")) != SP_OK)
				return r;
			for (k = 0; (e = nth_value(m, k)) != NULL; k++) {
				if (k == SP_PROXY_HOPS_MAX)
					return bad(ld, m, "%s: at most %d hops",
					    AT(m), SP_PROXY_HOPS_MAX);
				if ((r = get_string(ld, e, &v)) != SP_OK)
					return r;
				rt->via[k] = find_proxy(cfg, v);
				if (rt->via[k] < 0) {
					r = bad(ld, e, "%s: no proxy named "
					    "\"%s\" in proxies", AT(m), v);
					free(v);
					return r;
				}
				free(v);
				v = NULL;
				rt->nvia++;
			}
			if (rt->nvia == 0)
				return bad(ld, m, "%s: empty (leave via out "
				    "for a direct route)", AT(m));
		} else if (strcmp(name, "table") == 0) {
			if ((r = get_int(ld, m, 0, 65535, &n)) == SP_OK)
				rt->so.rtable = (int)n;
		} else if (strcmp(name, "mark") == 0) {
			if ((r = get_int(ld, m, 0, UINT32_MAX, &n)) == SP_OK) {
				rt->so.mark = (uint32_t)n;
				rt->so.has_mark = 1;
			}
		} else if (strcmp(name, "device") == 0) {
			if ((r = get_string(ld, m, &v)) == SP_OK) {
				if (v[0] == '\0' ||
				    strlen(v) >= sizeof(rt->so.device) ||
				    strpbrk(v, "/ \t\n") != NULL)
					r = bad(ld, m, "%s: \"%s\" is not an "
					    "interface name", AT(m), v);
				else
					snprintf(rt->so.device,
					    sizeof(rt->so.device), "%s", v);
			}
			free(v);
			v = NULL;
		} else if (strcmp(name, "netns") == 0) {
			if ((r = get_string(ld, m, &rt->netns)) == SP_OK &&
			    (rt->netns[0] == '\0' ||
			    strcmp(rt->netns, ".") == 0 ||
			    strcmp(rt->netns, "..") == 0))
				r = bad(ld, m, "%s: not a namespace name",
				    AT(m));
		} else if (strcmp(name, "source") == 0) {
			if ((r = get_string(ld, m, &rt->source)) == SP_OK &&
			    !sp_addr_is_numeric(rt->source))
				r = bad(ld, m, "%s: \"%s\" is not a numeric "
				    "address", AT(m), rt->source);
		} else if (strcmp(name, "connect_timeout") == 0)
			r = get_seconds(ld, m, &rt->connect_timeout_ms);
		if (r != SP_OK)
			return r;
	}
	if (rt->so.rtable >= 0 && rt->netns != NULL)
		return bad(ld, grp, "route %s: table and netns exclude each "
		    "other", rt->name);
	/* The hops must stack the way the tunnel can build them. */
	memset(&check, 0, sizeof(check));
	for (i = 0; i < rt->nvia; i++) {
		const struct sp_cfg_proxy *p = &cfg->proxies[rt->via[i]];

		check.hops[check.nhops++] = p->proxy;
		if (sp_proxy_is_socks(p->proxy.type))
			continue;
		if (http >= 0 && !http_same(&cfg->proxies[http], p))
			return bad(ld, grp, "route %s: HTTP proxies %s and %s "
			    "differ in auth, headers or TLS settings; one "
			    "route takes one set", rt->name,
			    cfg->proxies[http].name, p->name);
		http = rt->via[i];
	}
	if ((r = sp_route_check(&check)) != SP_OK)
		return bad(ld, grp, "route %s: %s", rt->name, sp_strerror(r));
	if (rt->nvia > 0 && !sp_proxy_is_socks(cfg->proxies[rt->via[0]]
	    .proxy.type) && (rt->so.rtable >= 0 || rt->so.has_mark ||
	    rt->so.device[0] != '\0' || rt->source != NULL))
		return bad(ld, grp, "route %s: table, mark, device and source "
		    "need a SOCKS first hop or none (libcurl dials HTTP "
		    "proxies itself); netns works with any", rt->name);
	return SP_OK;
}

/* "route" of a rule: a name or a list of names. */
static int
rule_routes(struct loader *ld, config_setting_t *m, struct sp_cfg_rule *ru)
{
	config_setting_t *e;
	char *v = NULL, at[256];
	int k, r, j;

	if ((r = values_ok(ld, m, "a route name")) != SP_OK)
		return r;
	for (k = 0; (e = nth_value(m, k)) != NULL; k++) {
		if (k == SP_CFG_ROUTES_PER_RULE)
			return bad(ld, m, "%s: at most %d routes", AT(m),
			    SP_CFG_ROUTES_PER_RULE);
		if ((r = get_string(ld, e, &v)) != SP_OK)
			return r;
		ru->routes[k] = find_route(ld->cfg, v);
		if (ru->routes[k] < 0) {
			r = bad(ld, e, "%s: no route named \"%s\" in routes "
			    "(direct is built in)", AT(m), v);
			free(v);
			return r;
		}
		for (j = 0; j < k; j++)
			if (ru->routes[j] == ru->routes[k]) {
				r = bad(ld, e, "%s: route \"%s\" is listed "
				    "twice", AT(m), v);
				free(v);
				return r;
			}
		free(v);
		v = NULL;
		ru->nroutes++;
	}
	if (ru->nroutes == 0)
		return bad(ld, m, "%s: empty list", AT(m));
	return SP_OK;
}

static int
load_rule(struct loader *ld, config_setting_t *grp, struct sp_cfg_rule *ru)
{
	static const char *const names[] = { "host", "port",
	    "address_family", "route", "mode", "connect_timeout",
	    "idle_timeout", "family", "he_delay", "race_delay", NULL };
	config_setting_t *m, *e;
	char at[256];
	long long n;
	int i, k, r;

	ru->line = (int)config_setting_source_line(grp);
	settings_init(&ru->set);
	if ((r = known_only(ld, grp, names)) != SP_OK)
		return r;
	if (config_setting_get_member(grp, "host") == NULL)
		return bad(ld, grp, "rule without host (use host = \"*\"; to "
		    "match every destination)");
	if (config_setting_get_member(grp, "route") == NULL)
		return bad(ld, grp, "rule without route (e.g. route = "
		    "\"direct\";)");
	for (i = 0; (m = config_setting_get_elem(grp, (unsigned int)i)) !=
	    NULL; i++) {
		const char *name = config_setting_name(m);

		if (setting(ld, m, &ru->set, &r)) {
			if (r != SP_OK)
				return r;
			continue;
		}
		if (strcmp(name, "host") == 0)
			r = get_patterns(ld, m, &ru->host);
		else if (strcmp(name, "port") == 0) {
			if ((r = values_ok(ld, m, "a port")) != SP_OK)
				return r;
			for (k = 0; (e = nth_value(m, k)) != NULL; k++) {
				if (k == SP_CFG_PORTS_MAX)
					return bad(ld, m, "%s: at most %d "
					    "ports", AT(m), SP_CFG_PORTS_MAX);
				if ((r = get_int(ld, e, 1, 65535, &n)) != SP_OK)
					return r;
				ru->ports[ru->nports++] = (uint16_t)n;
			}
			if (ru->nports == 0)
				return bad(ld, m, "%s: empty list", AT(m));
		} else if (strcmp(name, "address_family") == 0) {
			static const struct keyword addrs[] = {
				{ "inet", SP_CFG_ADDR_INET },
				{ "inet6", SP_CFG_ADDR_INET6 },
				{ "name", SP_CFG_ADDR_NAME }, { NULL, 0 }
			};

			r = get_keyword(ld, m, addrs, "inet, inet6 or name",
			    &k);
			if (r == SP_OK)
				ru->addr = (enum sp_cfg_addr)k;
		} else if (strcmp(name, "route") == 0)
			r = rule_routes(ld, m, ru);
		else if (strcmp(name, "mode") == 0) {
			static const struct keyword modes[] = {
				{ "fallback", SP_CFG_FALLBACK },
				{ "race", SP_CFG_RACE }, { NULL, 0 }
			};

			r = get_keyword(ld, m, modes, "fallback or race", &k);
			if (r == SP_OK)
				ru->mode = (enum sp_cfg_mode)k;
		}
		if (r != SP_OK)
			return r;
	}
	return SP_OK;
}

static int
load_policy(struct loader *ld, const config_setting_t *grp)
{
	static const char *const names[] = { "never_direct", "refuse", NULL };
	config_setting_t *m;
	int r;

	if ((r = known_only(ld, grp, names)) != SP_OK)
		return r;
	if ((m = config_setting_get_member(grp, "never_direct")) != NULL) {
		if ((r = get_patterns(ld, m, &ld->cfg->never_direct)) != SP_OK)
			return r;
		ld->cfg->never_direct_line =
		    (int)config_setting_source_line(m);
	}
	if ((m = config_setting_get_member(grp, "refuse")) != NULL) {
		if ((r = get_patterns(ld, m, &ld->cfg->refuse)) != SP_OK)
			return r;
		ld->cfg->refuse_line = (int)config_setting_source_line(m);
	}
	return SP_OK;
}

static int
load_audit(struct loader *ld, const config_setting_t *grp)
{
	static const char *const names[] = { "file", "syslog", NULL };
	config_setting_t *m;
	char *v = NULL;
	int r;

	if ((r = known_only(ld, grp, names)) != SP_OK)
		return r;
	ld->cfg->audit_line = (int)config_setting_source_line(grp);
	if ((m = config_setting_get_member(grp, "file")) != NULL) {
		if ((r = get_string(ld, m, &v)) != SP_OK)
			return r;
		r = sp_config_expand_path(v, &ld->cfg->audit_file);
		free(v);
		if (r == SP_ERR_INVALID_ARG)
			return bad(ld, m, "audit.file: ~ needs HOME and only "
			    "~/ is understood");
		if (r != SP_OK)
			return r;
		if (ld->cfg->audit_file[0] != '/')
			return bad(ld, m, "audit.file: want an absolute path "
			    "(or ~/...)");
	}
	if ((m = config_setting_get_member(grp, "syslog")) != NULL &&
	    (r = get_bool(ld, m, &ld->cfg->audit_syslog)) != SP_OK)
		return r;
	if (ld->cfg->audit_file != NULL && ld->cfg->audit_syslog)
		return bad(ld, grp, "audit: file or syslog, not both");
	return SP_OK;
}

static int
load_all(struct loader *ld, config_t *lc)
{
	static const char *const top[] = { "defaults", "proxies", "routes",
	    "rules", "policy", "audit", NULL };
	struct sp_config *cfg = ld->cfg;
	config_setting_t *root = config_root_setting(lc), *s, *m;
	int i, n, r;

	if ((r = known_only(ld, root, top)) != SP_OK)
		return r;
	if ((s = config_setting_get_member(root, "defaults")) != NULL &&
	    (r = load_defaults(ld, s)) != SP_OK)
		return r;

	if ((s = config_setting_get_member(root, "proxies")) != NULL) {
		if (!config_setting_is_group(s))
			return bad(ld, s, "proxies: want a group of named "
			    "proxies: proxies = { tor = { url = ...; }; };");
		n = config_setting_length(s);
		if ((cfg->proxies = calloc((size_t)n + 1,
		    sizeof(*cfg->proxies))) == NULL)
			return SP_ERR_NOMEM;
		for (i = 0; i < n; i++) {
			m = config_setting_get_elem(s, (unsigned int)i);
			if (!config_setting_is_group(m))
				return bad(ld, m, "proxies.%s: want a group "
				    "{ url = ...; }", config_setting_name(m));
			cfg->nproxies++;
			if ((r = load_proxy(ld, m, &cfg->proxies[i])) != SP_OK)
				return r;
		}
	}

	n = 0;
	if ((s = config_setting_get_member(root, "routes")) != NULL) {
		if (!config_setting_is_group(s))
			return bad(ld, s, "routes: want a group of named "
			    "routes: routes = { office = { via = ...; }; };");
		n = config_setting_length(s);
	}
	if ((cfg->routes = calloc((size_t)n + 1, sizeof(*cfg->routes))) ==
	    NULL)
		return SP_ERR_NOMEM;
	snprintf(cfg->routes[0].name, sizeof(cfg->routes[0].name), "direct");
	sp_sockopts_init(&cfg->routes[0].so);
	cfg->routes[0].connect_timeout_ms = -1;
	cfg->nroutes = 1;
	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(s, (unsigned int)i);
		if (!config_setting_is_group(m))
			return bad(ld, m, "routes.%s: want a group { ... }",
			    config_setting_name(m));
		cfg->nroutes++;
		if ((r = load_route(ld, m, &cfg->routes[i + 1])) != SP_OK)
			return r;
	}

	if ((s = config_setting_get_member(root, "rules")) != NULL) {
		if (config_setting_type(s) != CONFIG_TYPE_LIST)
			return bad(ld, s, "rules: want a list in parentheses: "
			    "rules = ( { host = ...; route = ...; } );");
		n = config_setting_length(s);
		if ((cfg->rules = calloc((size_t)n + 1,
		    sizeof(*cfg->rules))) == NULL)
			return SP_ERR_NOMEM;
		for (i = 0; i < n; i++) {
			m = config_setting_get_elem(s, (unsigned int)i);
			if (!config_setting_is_group(m))
				return bad(ld, m, "rules: each rule is a group "
				    "{ host = ...; route = ...; }");
			cfg->nrules++;
			if ((r = load_rule(ld, m, &cfg->rules[i])) != SP_OK)
				return r;
		}
	}
	if ((s = config_setting_get_member(root, "policy")) != NULL &&
	    (r = load_policy(ld, s)) != SP_OK)
		return r;
	if ((s = config_setting_get_member(root, "audit")) != NULL &&
	    (r = load_audit(ld, s)) != SP_OK)
		return r;
	return SP_OK;
}

void
sp_config_init(struct sp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	settings_init(&cfg->defaults);
}

/*
 * Which file to read: $XDG_CONFIG_HOME/sshproxy/sshproxy.conf (or
 * ~/.config/...), else SYSCONFDIR/sshproxy.conf.  Returns 1 with the
 * path in buf if one exists, 0 if none does.
 */
int
sp_config_find(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		snprintf(buf, len, "%s/sshproxy/sshproxy.conf", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(buf, len, "%s/.config/sshproxy/sshproxy.conf", home);
	else
		buf[0] = '\0';
	if (buf[0] != '\0' && access(buf, F_OK) == 0)
		return 1;
	snprintf(buf, len, "%s/sshproxy.conf", SYSCONFDIR);
	if (access(buf, F_OK) == 0)
		return 1;
	buf[0] = '\0';
	return 0;
}

/* Where @include looks: next to the file. */
static void
include_dir(config_t *lc, const char *path, char *dir, size_t len)
{
	char *slash;

	snprintf(dir, len, "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	} else
		snprintf(dir, len, ".");
	config_set_include_dir(lc, dir);
}

static int
finish(struct loader *ld, config_t *lc, int ok)
{
	const char *file;
	char path[4352];
	int r;

	if (!ok) {
		file = source_path(ld, config_error_file(lc), path,
		    sizeof(path));
		if (config_error_type(lc) == CONFIG_ERR_FILE_IO)
			snprintf(ld->err, ld->errlen, "%s: %s", file,
			    config_error_text(lc));
		else
			snprintf(ld->err, ld->errlen, "%s:%d: %s", file,
			    config_error_line(lc), config_error_text(lc));
		config_destroy(lc);
		return SP_ERR_CONFIG;
	}
	r = load_all(ld, lc);
	config_destroy(lc);
	if (r == SP_ERR_NOMEM)
		snprintf(ld->err, ld->errlen, "%s: %s", ld->path,
		    sp_strerror(r));
	if (r != SP_OK)
		sp_config_free(ld->cfg);
	return r;
}

/*
 * Read path into cfg (initialised here).  Returns SP_OK, or
 * SP_ERR_CONFIG with "file:line: what" in err.
 */
int
sp_config_load(const char *path, struct sp_config *cfg, char *err,
    size_t errlen)
{
	struct loader ld = { cfg, path, err, errlen, "" };
	config_t lc;
	struct stat st;
	FILE *fp;
	int ok, fd;

	sp_config_init(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return SP_ERR_CONFIG;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return SP_ERR_CONFIG;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return SP_ERR_CONFIG;
	}
	config_init(&lc);
	include_dir(&lc, path, ld.dir, sizeof(ld.dir));
	ok = config_read(&lc, fp) == CONFIG_TRUE;
	fclose(fp);
	return finish(&ld, &lc, ok);
}

/* The same from a string, for tests; name stands in for the file. */
int
sp_config_load_string(const char *text, const char *name,
    struct sp_config *cfg, char *err, size_t errlen)
{
	struct loader ld = { cfg, name, err, errlen, "" };
	config_t lc;
	int ok;

	sp_config_init(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	config_init(&lc);
	ok = config_read_string(&lc, text) == CONFIG_TRUE;
	return finish(&ld, &lc, ok);
}

void
sp_config_free(struct sp_config *cfg)
{
	int i, k;

	for (i = 0; i < cfg->nproxies; i++) {
		struct sp_cfg_proxy *p = &cfg->proxies[i];

		free(p->url);
		if (p->password != NULL)
			sp_secret_free(p->password);
		free(p->password_file);
		free(p->password_env);
		free(p->cacert);
		for (k = 0; k < p->nheaders; k++)
			free(p->headers[k]);
	}
	free(cfg->proxies);
	for (i = 0; i < cfg->nroutes; i++) {
		free(cfg->routes[i].netns);
		free(cfg->routes[i].source);
	}
	free(cfg->routes);
	for (i = 0; i < cfg->nrules; i++)
		free(cfg->rules[i].host);
	free(cfg->rules);
	free(cfg->never_direct);
	free(cfg->refuse);
	free(cfg->audit_file);
	sp_config_init(cfg);
}
