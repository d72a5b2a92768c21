/*
 * sshproxy.conf: named proxies, named routes, ordered rules that pick
 * routes by destination, a policy, defaults and the audit log.  Read
 * with libconfig into plain structs; every mistake is reported as
 * "file:line: what is wrong" and the programs exit 78 (EX_CONFIG).
 * See sshproxy.conf(5) for the file itself.
 */
#ifndef SP_CONF_H
#define SP_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "proxy.h"
#include "route.h"

#define SP_CFG_NAME_MAX		63
#define SP_CFG_ROUTES_PER_RULE	8
#define SP_CFG_PORTS_MAX	16
#define SP_CFG_ERR_MAX		1024

/* How a rule with several routes uses them. */
enum sp_cfg_mode {
	SP_CFG_FALLBACK = 0,	/* in order, each after the last failed */
	SP_CFG_RACE		/* staggered; first tunnel up wins */
};

/* What the destination was written as (a rule condition). */
enum sp_cfg_addr {
	SP_CFG_ADDR_ANY = 0,
	SP_CFG_ADDR_INET,	/* an IPv4 address */
	SP_CFG_ADDR_INET6,	/* an IPv6 address */
	SP_CFG_ADDR_NAME	/* a host name */
};

/* Settings that defaults, rules and routes may set; -1: not set. */
struct sp_cfg_settings {
	int	connect_timeout_ms;
	int	idle_timeout_ms;
	int	family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	int	he_delay_ms;
	int	race_delay_ms;
};

struct sp_cfg_proxy {
	char		 name[SP_CFG_NAME_MAX + 1];
	int		 line;
	struct sp_proxy	 proxy;		/* parsed URL and user, no password */
	char		*url;		/* as written (it has no password) */
	char		*password;	/* inline: only in a private file */
	char		*password_file;	/* ~ expanded */
	char		*password_env;
	unsigned int	 auth;		/* SP_HTTP_AUTH_* mask, 0: any */
	char		*cacert;
	int		 insecure;
	char		*headers[SP_HTTP_HEADERS_MAX];
	int		 nheaders;
	int		 isolate;	/* SP_ISOLATE_*, -1: not set */
};

struct sp_cfg_route {
	char			 name[SP_CFG_NAME_MAX + 1];
	int			 line;
	int			 via[SP_PROXY_HOPS_MAX]; /* proxy indices */
	int			 nvia;
	struct sp_sockopts	 so;		/* table, mark, device */
	char			*netns;
	char			*source;
	int			 connect_timeout_ms;	/* -1: not set */
};

struct sp_cfg_rule {
	int			 line;
	char			*host;		/* pattern list */
	uint16_t		 ports[SP_CFG_PORTS_MAX];
	int			 nports;	/* 0: any port */
	enum sp_cfg_addr	 addr;
	int			 routes[SP_CFG_ROUTES_PER_RULE];
	int			 nroutes;
	enum sp_cfg_mode	 mode;
	struct sp_cfg_settings	 set;
};

struct sp_config {
	char			 path[4096];	/* "" if no file was read */
	struct sp_cfg_settings	 defaults;
	struct sp_cfg_proxy	*proxies;
	int			 nproxies;
	struct sp_cfg_route	*routes;	/* [0] is the built-in "direct" */
	int			 nroutes;
	struct sp_cfg_rule	*rules;
	int			 nrules;
	char			*never_direct;	/* policy pattern lists */
	int			 never_direct_line;
	char			*refuse;
	int			 refuse_line;
	char			*audit_file;	/* ~ expanded */
	int			 audit_syslog;
	int			 audit_line;
};

/* What the file decides for one destination. */
struct sp_cfg_decision {
	const struct sp_cfg_rule *rule;	/* NULL: no rule matched */
	int			 refused;	/* by policy: exit 77 */
	char			 why[SP_CFG_ERR_MAX];
	int			 routes[SP_CFG_ROUTES_PER_RULE];
	int			 nroutes;	/* after never_direct */
	enum sp_cfg_mode	 mode;
	struct sp_cfg_settings	 set;	/* rule over defaults */
};

void	sp_config_init(struct sp_config *);
int	sp_config_find(char *, size_t);
int	sp_config_load(const char *, struct sp_config *, char *, size_t);
int	sp_config_load_string(const char *, const char *, struct sp_config *,
	    char *, size_t);
void	sp_config_free(struct sp_config *);
int	sp_config_decide(const struct sp_config *, const char *, uint16_t,
	    struct sp_cfg_decision *);
int	sp_config_refused(const struct sp_config *, const char *, char *,
	    size_t);
int	sp_config_never_direct(const struct sp_config *, const char *);
int	sp_config_route_is_direct(const struct sp_config *, int);
int	sp_config_route_build(const struct sp_config *, int, int,
	    struct sp_route *, struct sp_http_opts *, char *, size_t);
int	sp_config_expand_path(const char *, char **);
int	sp_config_proxy_password(const struct sp_cfg_proxy *, char **, char *,
	    size_t);

#endif /* SP_CONF_H */
