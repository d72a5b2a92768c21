/*
 * Unit tests: sshproxy.conf (loader errors as "file:line: what",
 * decisions, passwords and file permissions, route building, ~
 * expansion), the probe cache and JSON strings of the audit log.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cache.h"
#include "conf.h"
#include "err.h"
#include "proxy.h"
#include "tap.h"

#define NAME	"t.conf"

static char tmpdir[128];

/* The text loads; cfg is left loaded (free it). */
static int
good(const char *text, struct sp_config *cfg, const char *what)
{
	char err[SP_CFG_ERR_MAX] = "";
	int r = sp_config_load_string(text, NAME, cfg, err, sizeof(err));

	is_int(r, SP_OK, "loads: %s", what);
	if (r != SP_OK)
		printf("#   err: %s\n", err);
	return r;
}

/* The text is refused with "t.conf:LINE: ...words...". */
static void
bad(const char *text, int line, const char *words, const char *what)
{
	struct sp_config cfg;
	char err[SP_CFG_ERR_MAX] = "", want[64];
	int r;

	r = sp_config_load_string(text, NAME, &cfg, err, sizeof(err));
	is_int(r, SP_ERR_CONFIG, "refused: %s", what);
	snprintf(want, sizeof(want), "%s:%d: ", NAME, line);
	ok(strncmp(err, want, strlen(want)) == 0, "  at %s", want);
	ok(strstr(err, words) != NULL, "  says \"%s\"", words);
	if (strncmp(err, want, strlen(want)) != 0 ||
	    strstr(err, words) == NULL)
		printf("#   err: %s\n", err);
	if (r == SP_OK)
		sp_config_free(&cfg);
}

static const char *const PROXIES =
    "proxies = {\n"				/* 1 */
    "  socks = { url = \"socks5h://127.0.0.1:1080\"; };\n"	/* 2 */
    "  web = { url = \"http://127.0.0.1:3128\"; };\n";		/* 3 */

static void
test_errors(void)
{
	char text[4096];

	/* Syntax errors, with libconfig's line. */
	bad("\n\ndefaults = { connect_timeout = ; };\n", 3, "syntax error",
	    "a missing value");
	bad("defaults = {\n  connect_timeout = 5;\n\n", 4, "",
	    "an unclosed group");
	bad("rules = ( { host = \"*\" route = \"direct\"; } );\n"
	    "x = ;\n", 2, "", "syntax error on line 2");

	/* Unknown keys at every level. */
	bad("\n\ndefault = { };\n", 3, "unknown setting 'default'",
	    "top level typo");
	bad("defaults = {\n  conect_timeout = 5;\n};\n", 2,
	    "unknown setting 'defaults.conect_timeout'", "defaults typo");
	bad("proxies = {\n  p = {\n    url = \"socks5h://127.0.0.1:1\";\n"
	    "    pasword = \"x\";\n  };\n};\n", 4,
	    "unknown setting 'proxies.p.pasword'", "proxy typo");
	bad("proxies = { p = { url = \"socks5h://127.0.0.1:1\"; }; };\n"
	    "routes = {\n  r = {\n    vai = \"p\";\n  };\n};\n", 4,
	    "unknown setting 'routes.r.vai'", "route typo");
	bad("rules = (\n  { host = \"*\";\n    rute = \"direct\"; }\n);\n", 3,
	    "rute", "rule typo");
	bad("policy = {\n  refused = \"*\";\n};\n", 2,
	    "unknown setting 'policy.refused'", "policy typo");
	bad("audit = {\n  fil = \"/tmp/x\";\n};\n", 2,
	    "unknown setting 'audit.fil'", "audit typo");

	/* Wrong types. */
	bad("defaults = {\n  connect_timeout = \"5\";\n};\n", 2,
	    "want a number of seconds", "a timeout in quotes");
	bad("defaults = {\n  he_delay = 0.5;\n};\n", 2,
	    "want a whole number", "he_delay not whole");
	bad("defaults = {\n  family = 4;\n};\n", 2,
	    "want a string", "family as a number");
	bad("defaults = {\n  family = \"ipx\";\n};\n", 2,
	    "is not any, inet or inet6", "family unknown");
	bad("proxies = {\n  p = {\n    url = 1080;\n  };\n};\n", 3,
	    "want a string", "url as a number");
	bad("proxies = {\n  p = {\n    url = \"https://127.0.0.1:1\";\n"
	    "    insecure = 1;\n  };\n};\n", 4, "want true or false",
	    "insecure as a number");
	bad("defaults = {\n  connect_timeout = 5;\n};\n"
	    "proxies = ( );\n", 4, "want a group of named proxies",
	    "proxies as a list");
	bad("rules = {\n  a = 1;\n};\n", 1, "want a list in parentheses",
	    "rules as a group");
	bad("rules = (\n  { host = \"*\";\n    port = \"22\";\n"
	    "    route = \"direct\"; }\n);\n", 3, "want a whole number",
	    "port in quotes");
	/* One value or a list of them, never a group. */
	bad("rules = (\n  { host = \"*\";\n    port = { p = 22; };\n"
	    "    route = \"direct\"; }\n);\n", 3, "want a port or a list "
	    "of them, not a group", "port as a group");
	bad("rules = (\n  { host = \"*\";\n"
	    "    route = { r = \"direct\"; }; }\n);\n", 3,
	    "want a route name or a list of them, not a group",
	    "route as a group");
	bad("proxies = { p = { url = \"socks5h://127.0.0.1:1\"; }; };\n"
	    "routes = {\n  r = {\n    via = { a = \"p\"; };\n  };\n};\n", 4,
	    "want a proxy name or a list of them, not a group",
	    "via as a group");
	bad("proxies = { p = { url = \"socks5h://127.0.0.1:1\"; }; };\n"
	    "routes = {\n  r = {\n    via = 7;\n  };\n};\n", 4,
	    "want a string", "via as a number");
	bad("rules = (\n  { host = \"*\";\n    port = [ 22, \"x\" ];\n"
	    "    route = \"direct\"; }\n);\n", 3, "", "mixed array (libconfig)");
	bad("rules = (\n  { host = \"*\";\n    route = \"direct\";\n"
	    "    mode = \"parallel\"; }\n);\n", 4,
	    "is not fallback or race", "unknown mode");
	bad("rules = (\n  { host = \"*\";\n    route = \"direct\";\n"
	    "    address_family = \"ipv4\"; }\n);\n", 4,
	    "is not inet, inet6 or name", "unknown address_family");

	/* Out of range. */
	bad("defaults = {\n  connect_timeout = 100000;\n};\n", 2,
	    "out of range", "timeout above a day");
	bad("defaults = {\n  idle_timeout = -1;\n};\n", 2,
	    "out of range", "negative timeout");
	bad("defaults = {\n  he_delay = 5;\n};\n", 2, "out of range",
	    "he_delay below 10");
	bad("defaults = {\n  he_delay = 2001;\n};\n", 2, "out of range",
	    "he_delay above 2000");
	bad("rules = (\n  { host = \"*\";\n    port = 0;\n"
	    "    route = \"direct\"; }\n);\n", 3, "out of range", "port 0");
	bad("rules = (\n  { host = \"*\";\n    port = [ 22, 65536 ];\n"
	    "    route = \"direct\"; }\n);\n", 3, "out of range",
	    "port 65536 in a list");
	bad("routes = {\n  r = {\n    table = 70000;\n  };\n};\n", 3,
	    "out of range", "table 70000");

	/* Names that do not exist. */
	snprintf(text, sizeof(text), "%s};\nroutes = {\n  r = {\n"
	    "    via = [ \"socks\", \"sox\" ];\n  };\n};\n", PROXIES);
	bad(text, 7, "no proxy named \"sox\"", "unknown proxy in via");
	snprintf(text, sizeof(text), "%s};\nroutes = {\n  r = { via = "
	    "\"socks\"; };\n};\nrules = (\n  { host = \"*\";\n"
	    "    route = [ \"r\", \"rr\" ]; }\n);\n", PROXIES);
	bad(text, 10, "no route named \"rr\"", "unknown route in a rule");
	snprintf(text, sizeof(text), "%s};\nroutes = {\n  r = { via = "
	    "\"socks\"; };\n};\nrules = (\n  { host = \"*\";\n"
	    "    route = [ \"r\", \"direct\", \"r\" ]; }\n);\n", PROXIES);
	bad(text, 10, "listed twice", "a route twice in one rule");

	/* Rules need host and route. */
	bad("rules = (\n  { host = \"*\"; route = \"direct\"; },\n"
	    "  { port = 22; route = \"direct\"; }\n);\n", 3,
	    "rule without host", "rule without host");
	bad("rules = (\n  { host = \"*\"; route = \"direct\"; },\n\n"
	    "  { host = \"*\"; }\n);\n", 4, "rule without route",
	    "rule without route");
	bad("rules = (\n  { host = \"*\";\n    route = [ ]; }\n);\n", 3,
	    "empty list", "empty route list");

	/* The built-in route. */
	bad("proxies = { p = { url = \"socks5h://127.0.0.1:1\"; }; };\n"
	    "routes = {\n  direct = { via = \"p\"; };\n};\n", 3,
	    "route direct is built in", "a route named direct");

	/* Proxy consistency. */
	bad("proxies = {\n  p = {\n    url = \"socks5://127.0.0.1:1\";\n"
	    "    isolate = \"destination\";\n  };\n};\n", 4,
	    "needs a socks5h", "isolate on socks5://");
	bad("proxies = {\n  p = {\n    url = \"http://127.0.0.1:1\";\n"
	    "    isolate = \"connection\";\n  };\n};\n", 4,
	    "needs a socks5h", "isolate on http://");
	bad("proxies = {\n  p = {\n    url = \"socks5h://127.0.0.1:1\";\n"
	    "    isolate = \"circuit\";\n  };\n};\n", 4,
	    "is not destination, connection or none", "unknown isolate");
	bad("proxies = {\n  p = {\n    url = \"http://127.0.0.1:1\";\n"
	    "    cacert = \"/etc/ssl/ca.pem\";\n  };\n};\n", 2,
	    "cacert and insecure are for https", "cacert on http://");
	bad("proxies = {\n  p = {\n    url = \"socks5h://127.0.0.1:1\";\n"
	    "    auth = \"basic\";\n  };\n};\n", 2,
	    "auth and headers are for HTTP", "auth on SOCKS");
	bad("proxies = {\n  p = {\n    url = \"http://127.0.0.1:1\";\n"
	    "    auth = \"basic,kerberos\";\n  };\n};\n", 4,
	    "want basic, digest", "unknown auth scheme");
	bad("proxies = {\n  p = {\n    url = \"http://127.0.0.1:1\";\n"
	    "    headers = [ \"NoColon\" ];\n  };\n};\n", 4,
	    "Name: value", "a header without a colon");
	bad("proxies = {\n  p = {\n    url = \"socks5h://127.0.0.1:1\";\n"
	    "    password_env = \"PW\";\n  };\n};\n", 2,
	    "a password without a user", "password without user");
	bad("proxies = {\n  p = {\n    url = \"socks5h://u@127.0.0.1:1\";\n"
	    "    password_file = \"/nonexistent\";\n"
	    "    password_env = \"PW\";\n  };\n};\n", 2,
	    "give one of password, password_file and password_env",
	    "two password sources");
	bad("proxies = {\n  p = {\n    url = \"socks5h://u@127.0.0.1:1\";\n"
	    "    user = \"v\";\n  };\n};\n", 4, "the url has a user already",
	    "user twice");
	bad("proxies = {\n  p = {\n    url = \"socks5h://127.0.0.1:1\";\n"
	    "    user = \"a:b\";\n  };\n};\n", 4, "not a usable user name",
	    "user with a colon");
	bad("proxies = {\n  p = {\n    url = \"socks5h://127.0.0.1:1\";\n"
	    "    user = \"u\";\n    isolate = \"destination\";\n  };\n};\n",
	    2, "isolation uses the user name", "isolate with a user");
	bad("proxies = {\n  p = {\n    user = \"u\";\n  };\n};\n", 2,
	    "url is missing", "no url");

	/* HTTP hops in one route must agree. */
	bad("proxies = {\n"
	    "  h1 = { url = \"http://127.0.0.1:1\"; auth = \"basic\"; };\n"
	    "  h2 = { url = \"http://127.0.0.1:2\"; auth = \"digest\"; };\n"
	    "};\nroutes = {\n  r = {\n    via = [ \"h1\", \"h2\" ];\n"
	    "  };\n};\n", 6, "differ in auth", "HTTP hops that differ");

	/* Routing domains. */
	bad("routes = {\n  r = {\n    table = 1;\n    netns = \"x\";\n"
	    "  };\n};\n", 2, "table and netns exclude each other",
	    "table and netns");
	bad("proxies = { h = { url = \"http://127.0.0.1:1\"; }; };\n"
	    "routes = {\n  r = {\n    via = \"h\";\n    table = 1;\n"
	    "  };\n};\n", 3, "need a SOCKS first hop", "table with HTTP first");
	bad("routes = {\n  r = {\n    source = \"host.example\";\n"
	    "  };\n};\n", 3, "not a numeric address", "source by name");
	bad("routes = {\n  r = {\n    netns = \"..\";\n  };\n};\n", 3,
	    "not a namespace name", "netns ..");
	bad("routes = {\n  r = {\n    device = \"a/b\";\n  };\n};\n", 3,
	    "not an interface name", "device with a slash");
	bad("proxies = { p = { url = \"socks5h://127.0.0.1:1\"; }; };\n"
	    "routes = {\n  r = {\n    via = [ ];\n  };\n};\n", 4, "empty",
	    "empty via");

	/*
	 * Whole numbers at the edges of their ranges.  libconfig 1.5 reads
	 * a literal beyond 32 bits without the L suffix as a truncated int
	 * (4294967296 is 0), so 64-bit values are written with L.
	 */
	{
		struct sp_config cfg;

		if (good("routes = { r = { mark = 4294967295L; table = 65535; "
		    "}; };", &cfg, "mark 2^32-1, table 65535") == SP_OK) {
			ok(cfg.routes[1].so.has_mark &&
			    cfg.routes[1].so.mark == 4294967295u, "  mark");
			is_int(cfg.routes[1].so.rtable, 65535, "  table");
			sp_config_free(&cfg);
		}
	}
	bad("routes = {\n  r = {\n    mark = 4294967296L;\n  };\n};\n", 3,
	    "out of range", "mark 2^32");
	bad("routes = {\n  r = {\n    mark = -1;\n  };\n};\n", 3,
	    "out of range", "mark -1");
	bad("routes = {\n  r = {\n    table = -1;\n  };\n};\n", 3,
	    "out of range", "table -1");
	{
		char longname[200];

		memset(longname, 'n', 64);
		longname[64] = '\0';
		snprintf(text, sizeof(text), "routes = {\n  %s = { table = 1; "
		    "};\n};\n", longname);
		bad(text, 2, "longer than 63", "a 64-character route name");
		snprintf(text, sizeof(text), "proxies = {\n  %s = { url = "
		    "\"socks5h://127.0.0.1:1\"; };\n};\n", longname);
		bad(text, 2, "longer than 63", "a 64-character proxy name");
	}

	/* URLs. */
	bad("proxies = {\n  p = {\n    url = \"127.0.0.1:1080\";\n"
	    "  };\n};\n", 3, "write scheme://host:port", "url without scheme");
	bad("proxies = {\n  p = {\n    url = \"ftp://127.0.0.1:21\";\n"
	    "  };\n};\n", 3, "proxy p:", "unknown scheme");
	bad("proxies = {\n  p = {\n    url = \"socks5h://127.0.0.1:99999\";\n"
	    "  };\n};\n", 3, "proxy p:", "port out of range in url");
	{
		struct sp_config cfg;
		char err[SP_CFG_ERR_MAX] = "";

		bad("proxies = {\n  p = {\n    url = \"socks5h://u:"
		    "s3cr3tpw@127.0.0.1:1\";\n  };\n};\n", 3,
		    "no passwords in URLs", "password in url");
		(void)sp_config_load_string("proxies = {\n  p = {\n    url = "
		    "\"socks5h://u:s3cr3tpw@127.0.0.1:1\";\n  };\n};\n", NAME,
		    &cfg, err, sizeof(err));
		ok(strstr(err, "s3cr3tpw") == NULL,
		    "  the password is not in the message");
	}

	/* Patterns. */
	bad("rules = (\n  { host = \"!bad.example\";\n"
	    "    route = \"direct\"; }\n);\n", 2, "only negated",
	    "negated-only host");
	bad("rules = (\n  { host = \"\";\n    route = \"direct\"; }\n);\n",
	    2, "empty pattern list", "empty host");
	bad("policy = {\n  refuse = \"!x\";\n};\n", 2, "only negated",
	    "negated-only refuse");
	bad("policy = {\n  never_direct = \"a !\";\n};\n", 2,
	    "'!' must be followed", "lone ! in never_direct");

	/* Audit. */
	bad("audit = {\n  file = \"/tmp/a.log\";\n  syslog = true;\n};\n",
	    1, "file or syslog, not both", "audit file and syslog");
	bad("audit = {\n  file = \"logs/a.log\";\n};\n", 2,
	    "want an absolute path", "relative audit file");
	bad("audit = {\n  syslog = \"yes\";\n};\n", 2, "want true or false",
	    "audit syslog as a string");
}

static void
test_decide(void)
{
	struct sp_config cfg;
	struct sp_cfg_decision d;
	const char *text =
	    "defaults = {\n"					/* 1 */
	    "  connect_timeout = 7;\n"				/* 2 */
	    "  idle_timeout = 60;\n"				/* 3 */
	    "  race_delay = 0.5;\n"				/* 4 */
	    "};\n"						/* 5 */
	    "proxies = {\n"					/* 6 */
	    "  socks = { url = \"socks5h://127.0.0.1:1080\"; };\n"	/* 7 */
	    "  web = { url = \"http://127.0.0.1:3128\"; };\n"	/* 8 */
	    "};\n"						/* 9 */
	    "routes = {\n"					/* 10 */
	    "  s = { via = \"socks\"; connect_timeout = 2; };\n"	/* 11 */
	    "  w = { via = \"web\"; };\n"			/* 12 */
	    "  local = { source = \"127.0.0.1\"; };\n"		/* 13 */
	    "};\n"						/* 14 */
	    "rules = (\n"					/* 15 */
	    "  { host = \"*.corp.example !gw.corp.example\";\n"	/* 16 */
	    "    port = [ 22, 2222 ];\n"			/* 17 */
	    "    route = [ \"s\", \"w\" ]; mode = \"race\";\n"	/* 18 */
	    "    connect_timeout = 3; },\n"			/* 19 */
	    "  { host = \"*.corp.example\";\n"			/* 20 */
	    "    route = \"w\"; },\n"				/* 21 */
	    "  { host = \"10.*\"; address_family = \"inet\";\n"	/* 22 */
	    "    route = \"s\"; family = \"inet\"; },\n"	/* 23 */
	    "  { host = \"*\"; address_family = \"inet6\";\n"	/* 24 */
	    "    route = \"w\"; },\n"				/* 25 */
	    "  { host = \"*.name\"; address_family = \"name\";\n"	/* 26 */
	    "    route = \"s\"; idle_timeout = 0; },\n"		/* 27 */
	    "  { host = \"mixed.example\";\n"			/* 28 */
	    "    route = [ \"direct\", \"s\", \"local\" ]; },\n"	/* 29 */
	    "  { host = \"onlydirect.example\";\n"		/* 30 */
	    "    route = [ \"direct\", \"local\" ]; }\n"	/* 31 */
	    ");\n"						/* 32 */
	    "policy = {\n"					/* 33 */
	    "  refuse = \"*.evil.example, 192.0.2.*\";\n"	/* 34 */
	    "  never_direct = \"mixed.example onlydirect.example "
	    "nomatch.example\";\n"				/* 35 */
	    "};\n";						/* 36 */
	int r;

	if (good(text, &cfg, "the decision file") != SP_OK)
		return;
	is_int(cfg.nroutes, 4, "direct plus three routes");
	is_str(cfg.routes[0].name, "direct", "route 0 is direct");
	ok(sp_config_route_is_direct(&cfg, 0), "direct is direct");
	ok(!sp_config_route_is_direct(&cfg, 1), "s is not direct");
	ok(sp_config_route_is_direct(&cfg, 3),
	    "a route without via is direct");
	is_int(cfg.rules[0].line, 16, "rule 1 line");
	is_int(cfg.refuse_line, 34, "refuse line");
	is_int(cfg.never_direct_line, 35, "never_direct line");

	/* First match wins, ports. */
	r = sp_config_decide(&cfg, "db.corp.example", 22, &d);
	is_int(r, SP_OK, "db.corp.example:22 allowed");
	ok(d.rule == &cfg.rules[0], "  rule 1");
	is_int(d.nroutes, 2, "  two routes");
	is_int(d.routes[0], 1, "  s first");
	is_int(d.routes[1], 2, "  w second");
	is_int(d.mode, SP_CFG_RACE, "  race");
	is_int(d.set.connect_timeout_ms, 3000, "  the rule's timeout wins");
	is_int(d.set.idle_timeout_ms, 60000, "  the default idle timeout");
	is_int(d.set.race_delay_ms, 500, "  the default race_delay");
	is_int(d.set.family, -1, "  family not set");
	r = sp_config_decide(&cfg, "DB.Corp.Example", 2222, &d);
	ok(r == SP_OK && d.rule == &cfg.rules[0], "port 2222, any case");
	r = sp_config_decide(&cfg, "db.corp.example", 443, &d);
	ok(r == SP_OK && d.rule == &cfg.rules[1], "port 443: rule 2");
	is_int(d.mode, SP_CFG_FALLBACK, "  fallback");
	is_int(d.set.connect_timeout_ms, 7000, "  the default timeout");
	r = sp_config_decide(&cfg, "gw.corp.example", 22, &d);
	ok(r == SP_OK && d.rule == &cfg.rules[1],
	    "negated in rule 1: rule 2");

	/* address_family */
	r = sp_config_decide(&cfg, "10.1.2.3", 22, &d);
	ok(r == SP_OK && d.rule == &cfg.rules[2], "10.1.2.3: inet rule");
	is_int(d.set.family, AF_INET, "  family inet");
	r = sp_config_decide(&cfg, "10.example", 22, &d);
	ok(r == SP_OK && d.rule != &cfg.rules[2],
	    "10.example is a name: not the inet rule");
	r = sp_config_decide(&cfg, "2001:db8::1", 22, &d);
	ok(r == SP_OK && d.rule == &cfg.rules[3], "IPv6 literal: inet6 rule");
	r = sp_config_decide(&cfg, "x.name", 22, &d);
	ok(r == SP_OK && d.rule == &cfg.rules[4], "x.name: name rule");
	is_int(d.set.idle_timeout_ms, 0, "  idle_timeout 0 overlays 60");
	r = sp_config_decide(&cfg, "10.0.0.1.name", 22, &d);
	ok(r == SP_OK && d.rule == &cfg.rules[4], "a name ending in .name");

	/* No match: direct with the defaults. */
	r = sp_config_decide(&cfg, "192.168.1.1", 22, &d);
	is_int(r, SP_OK, "no rule matches: allowed");
	ok(d.rule == NULL, "  no rule");
	is_int(d.nroutes, 1, "  one route");
	is_int(d.routes[0], 0, "  direct");
	is_int(d.mode, SP_CFG_FALLBACK, "  fallback");
	is_int(d.set.connect_timeout_ms, 7000, "  default timeout");
	is_int(d.set.he_delay_ms, -1, "  he_delay not set");

	/* refuse */
	r = sp_config_decide(&cfg, "www.evil.example", 22, &d);
	is_int(r, SP_ERR_POLICY, "refused by policy");
	ok(d.refused, "  refused");
	is_int(d.nroutes, 0, "  no routes");
	ok(strstr(d.why, "t.conf:34") != NULL, "  why names t.conf:34 (%s)",
	    d.why);
	ok(strstr(d.why, "www.evil.example") != NULL, "  why names the host");
	r = sp_config_decide(&cfg, "192.0.2.5", 22, &d);
	is_int(r, SP_ERR_POLICY, "refused address");
	{
		char why[512];

		ok(sp_config_refused(&cfg, "x.EVIL.example", why,
		    sizeof(why)) == 1, "sp_config_refused: yes");
		ok(sp_config_refused(&cfg, "good.example", why,
		    sizeof(why)) == 0, "sp_config_refused: no");
		/* Other spellings of a refused name or address. */
		ok(sp_config_refused(&cfg, "x.evil.example.", why,
		    sizeof(why)) == 1, "refused with a trailing dot");
		ok(sp_config_refused(&cfg, "192.0.2.005", why,
		    sizeof(why)) == 1, "refused: 192.0.2.005");
		ok(sp_config_refused(&cfg, "3221225989", why,
		    sizeof(why)) == 1, "refused: 3221225989 (192.0.2.5)");
		ok(sp_config_refused(&cfg, "0xc0000205", why,
		    sizeof(why)) == 1, "refused: 0xc0000205");
		ok(sp_config_refused(&cfg, "192.0.517", why,
		    sizeof(why)) == 1, "refused: 192.0.517");
		ok(sp_config_refused(&cfg, "192.0.3.6", why,
		    sizeof(why)) == 0, "not refused: 192.0.3.6");
		ok(sp_config_refused(&cfg, "x.evil.example..", why,
		    sizeof(why)) == 0, "two trailing dots are not stripped");
	}

	/* never_direct */
	r = sp_config_decide(&cfg, "mixed.example", 22, &d);
	is_int(r, SP_OK, "never_direct with a proxy route left");
	is_int(d.nroutes, 1, "  direct routes dropped");
	is_int(d.routes[0], 1, "  s remains");
	r = sp_config_decide(&cfg, "onlydirect.example", 22, &d);
	is_int(r, SP_ERR_POLICY, "never_direct, only direct routes");
	ok(d.refused && d.nroutes == 0, "  refused, no routes");
	ok(strstr(d.why, "t.conf:35") != NULL &&
	    strstr(d.why, "line 30") != NULL, "  why names both lines (%s)",
	    d.why);
	r = sp_config_decide(&cfg, "nomatch.example", 22, &d);
	is_int(r, SP_ERR_POLICY, "never_direct, no rule at all");
	ok(strstr(d.why, "no rule gives it a proxy route") != NULL,
	    "  why says no rule (%s)", d.why);
	sp_config_free(&cfg);

	/* An empty file: everything direct, nothing set. */
	if (good("", &cfg, "an empty file") == SP_OK) {
		r = sp_config_decide(&cfg, "anything", 1, &d);
		ok(r == SP_OK && d.rule == NULL && d.nroutes == 1 &&
		    d.routes[0] == 0, "  direct");
		is_int(d.set.connect_timeout_ms, -1, "  no timeout");
		sp_config_free(&cfg);
	}

	/* Seconds: fractions, rounding, tiny values. */
	if (good("defaults = { connect_timeout = 0.0001; idle_timeout = 0;"
	    " race_delay = 1.2345; };", &cfg, "fractions") == SP_OK) {
		is_int(cfg.defaults.connect_timeout_ms, 1,
		    "  0.0001 s is 1 ms, not 0 (none)");
		is_int(cfg.defaults.idle_timeout_ms, 0, "  0 is 0");
		is_int(cfg.defaults.race_delay_ms, 1235, "  rounded");
		sp_config_free(&cfg);
	}
}

static int
write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd == -1)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -1;
	}
	close(fd);
	return chmod(path, mode);
}

static void
test_files(void)
{
	struct sp_config cfg;
	struct sp_route rt;
	struct sp_http_opts http;
	char path[512], pwpath[512], err[SP_CFG_ERR_MAX], text[2048];
	char *pw;
	int r;

	snprintf(path, sizeof(path), "%s/inline.conf", tmpdir);
	snprintf(pwpath, sizeof(pwpath), "%s/pw", tmpdir);
	snprintf(text, sizeof(text),
	    "proxies = {\n"
	    "  p = {\n"
	    "    url = \"socks5h://alice@127.0.0.1:1080\";\n"
	    "    password = \"inl1ne pw\";\n"
	    "  };\n"
	    "  f = {\n"
	    "    url = \"http://127.0.0.1:3128\";\n"
	    "    user = \"bob\";\n"
	    "    password_file = \"%s\";\n"
	    "    auth = \"basic, digest\";\n"
	    "    headers = [ \"X-A: 1\", \"X-B: two\" ];\n"
	    "  };\n"
	    "  e = {\n"
	    "    url = \"socks5://carol@127.0.0.1:1081\";\n"
	    "    password_env = \"SPT_CONF_TEST_PW\";\n"
	    "  };\n"
	    "  t = {\n"
	    "    url = \"https://127.0.0.1:3129\";\n"
	    "    cacert = \"/etc/ssl/x.pem\";\n"
	    "  };\n"
	    "};\n"
	    "routes = {\n"
	    "  rp = { via = \"p\"; };\n"
	    "  rf = { via = [ \"e\", \"f\" ]; };\n"
	    "  rt = { via = \"t\"; };\n"
	    "};\n", pwpath);

	/* An inline password: the file must be private. */
	if (write_file(path, text, 0600) != 0 ||
	    write_file(pwpath, "f1le pw\n", 0600) != 0) {
		ok(0, "write temp files: %s", strerror(errno));
		return;
	}
	r = sp_config_load(path, &cfg, err, sizeof(err));
	is_int(r, SP_OK, "0600 file with an inline password loads");
	if (r != SP_OK)
		printf("#   err: %s\n", err);
	else {
		is_str(cfg.path, path, "  cfg.path");
		ok(cfg.proxies[0].password != NULL &&
		    strcmp(cfg.proxies[0].password, "inl1ne pw") == 0,
		    "  the inline password");
		ok(cfg.proxies[0].proxy.password == NULL,
		    "  not in the parsed proxy");

		/* sp_config_route_build */
		r = sp_config_route_build(&cfg, 1, 1, &rt, &http, err,
		    sizeof(err));
		is_int(r, SP_OK, "build rp");
		ok(rt.nhops == 1 && rt.hops[0].password != NULL &&
		    strcmp(rt.hops[0].password, "inl1ne pw") == 0,
		    "  inline password in the hop");
		is_str(rt.hops[0].user, "alice", "  user from the url");
		is_int(rt.hops[0].port, 1080, "  port");
		sp_route_clear(&rt);

		r = sp_config_route_build(&cfg, 1, 0, &rt, &http, err,
		    sizeof(err));
		ok(r == SP_OK && rt.hops[0].password == NULL,
		    "  without secrets: no password");
		sp_route_clear(&rt);

		unsetenv("SPT_CONF_TEST_PW");
		err[0] = '\0';
		r = sp_config_route_build(&cfg, 2, 1, &rt, &http, err,
		    sizeof(err));
		is_int(r, SP_ERR_NO_PASSWORD, "rf: variable not set");
		ok(strstr(err, "SPT_CONF_TEST_PW is not set") != NULL,
		    "  says so (%s)", err);
		is_int(rt.nhops, 0, "  route cleared");

		setenv("SPT_CONF_TEST_PW", "env pw", 1);
		r = sp_config_route_build(&cfg, 2, 1, &rt, &http, err,
		    sizeof(err));
		is_int(r, SP_OK, "build rf");
		ok(rt.nhops == 2 && rt.hops[0].password != NULL &&
		    strcmp(rt.hops[0].password, "env pw") == 0,
		    "  password from the environment");
		ok(rt.hops[1].password != NULL &&
		    strcmp(rt.hops[1].password, "f1le pw") == 0,
		    "  password from the file, without the newline");
		is_str(rt.hops[1].user, "bob", "  user from user =");
		is_int(http.auth, SP_HTTP_AUTH_BASIC | SP_HTTP_AUTH_DIGEST,
		    "  http auth");
		is_int(http.nheaders, 2, "  two headers");
		ok(http.nheaders == 2 && strcmp(http.headers[1], "X-B: two")
		    == 0, "  header text");
		ok(http.cacert == NULL && !http.insecure, "  no TLS options");
		sp_route_clear(&rt);
		unsetenv("SPT_CONF_TEST_PW");

		r = sp_config_route_build(&cfg, 3, 1, &rt, &http, err,
		    sizeof(err));
		ok(r == SP_OK && http.cacert != NULL &&
		    strcmp(http.cacert, "/etc/ssl/x.pem") == 0, "rt: cacert");
		is_int(http.auth, 0, "  auth any");
		sp_route_clear(&rt);

		/* A password file others can read. */
		chmod(pwpath, 0640);
		setenv("SPT_CONF_TEST_PW", "env pw", 1);
		err[0] = '\0';
		r = sp_config_route_build(&cfg, 2, 1, &rt, &http, err,
		    sizeof(err));
		is_int(r, SP_ERR_PASSWORD_PERMS, "0640 password_file refused");
		is_int(sp_err_exit_status(r), 78, "  exit 78");
		ok(strstr(err, pwpath) != NULL, "  names the file (%s)", err);
		sp_route_clear(&rt);
		unsetenv("SPT_CONF_TEST_PW");
		chmod(pwpath, 0600);

		r = sp_config_proxy_password(&cfg.proxies[0], &pw, err,
		    sizeof(err));
		ok(r == SP_OK && pw != NULL && strcmp(pw, "inl1ne pw") == 0,
		    "sp_config_proxy_password inline");
		free(pw);
		sp_config_free(&cfg);
		ok(cfg.nproxies == 0 && cfg.proxies == NULL,
		    "sp_config_free leaves it empty");
	}

	/* The same file readable by others: refused, naming the file. */
	chmod(path, 0640);
	err[0] = '\0';
	r = sp_config_load(path, &cfg, err, sizeof(err));
	is_int(r, SP_ERR_CONFIG, "0640 file with an inline password refused");
	is_int(sp_err_exit_status(r), 78, "  exit 78");
	snprintf(text, sizeof(text), "%s:4: ", path);
	ok(strncmp(err, text, strlen(text)) == 0, "  at %s (%s)", text, err);
	ok(strstr(err, "chmod 600") != NULL &&
	    strstr(err, "password_file") != NULL,
	    "  suggests chmod 600 or password_file");
	ok(strstr(err, "inl1ne") == NULL, "  never prints the password");
	chmod(path, 0604);
	err[0] = '\0';
	r = sp_config_load(path, &cfg, err, sizeof(err));
	is_int(r, SP_ERR_CONFIG, "0604 refused too");
	ok(strstr(err, path) != NULL, "  names the file");
	chmod(path, 0620);
	r = sp_config_load(path, &cfg, err, sizeof(err));
	is_int(r, SP_ERR_CONFIG, "0620 (group-writable) refused too");

	/* Without the inline password, a 0644 file is fine. */
	if (write_file(path, "proxies = { f = { url = \"socks5h://u@"
	    "127.0.0.1:1\"; password_file = \"/x\"; }; };\n", 0644) == 0) {
		r = sp_config_load(path, &cfg, err, sizeof(err));
		is_int(r, SP_OK, "0644 file with password_file loads");
		if (r == SP_OK)
			sp_config_free(&cfg);
	}

	/* Loading problems. */
	snprintf(path, sizeof(path), "%s/missing.conf", tmpdir);
	r = sp_config_load(path, &cfg, err, sizeof(err));
	is_int(r, SP_ERR_CONFIG, "a missing file");
	snprintf(text, sizeof(text), "%s: ", path);
	ok(strncmp(err, text, strlen(text)) == 0 &&
	    strstr(err, strerror(ENOENT)) != NULL, "  file: No such file");
	r = sp_config_load(tmpdir, &cfg, err, sizeof(err));
	is_int(r, SP_ERR_CONFIG, "a directory");
	ok(strstr(err, "not a regular file") != NULL, "  not a regular file");

	/* Syntax errors in a real file give its name and the line. */
	snprintf(path, sizeof(path), "%s/broken.conf", tmpdir);
	if (write_file(path, "# comment\n\nrules = (\n  { host = \"*\"\n"
	    "    route = ; }\n);\n", 0644) == 0) {
		r = sp_config_load(path, &cfg, err, sizeof(err));
		is_int(r, SP_ERR_CONFIG, "a broken file");
		snprintf(text, sizeof(text), "%s:5: ", path);
		ok(strncmp(err, text, strlen(text)) == 0, "  at %s (%s)", text,
		    err);
	}
	if (write_file(path, "defaults = {\n  he_delay = 1;\n};\n",
	    0644) == 0) {
		r = sp_config_load(path, &cfg, err, sizeof(err));
		snprintf(text, sizeof(text), "%s:2: ", path);
		ok(r == SP_ERR_CONFIG && strncmp(err, text, strlen(text)) == 0,
		    "a semantic error in a file: %s (%s)", text, err);
	}

	/* @include: relative to the file, errors name the included file. */
	snprintf(path, sizeof(path), "%s/inc.conf", tmpdir);
	snprintf(pwpath, sizeof(pwpath), "%s/main.conf", tmpdir);
	if (write_file(path, "\nbogus = 1;\n", 0644) == 0 &&
	    write_file(pwpath, "defaults = { connect_timeout = 1; };\n"
	    "@include \"inc.conf\"\n", 0644) == 0) {
		r = sp_config_load(pwpath, &cfg, err, sizeof(err));
		is_int(r, SP_ERR_CONFIG, "an error in an included file");
		ok(strstr(err, "inc.conf:2: ") != NULL, "  at inc.conf:2 (%s)",
		    err);
	}

	/* A password in an @include'd file: that file must be private. */
	snprintf(path, sizeof(path), "%s/incpw.conf", tmpdir);
	snprintf(pwpath, sizeof(pwpath), "%s/main2.conf", tmpdir);
	if (write_file(path, "proxies = {\n  p = {\n    url = "
	    "\"socks5h://u@127.0.0.1:1\";\n    password = \"x\";\n  };\n};\n",
	    0644) == 0 && write_file(pwpath, "@include \"incpw.conf\"\n",
	    0600) == 0) {
		r = sp_config_load(pwpath, &cfg, err, sizeof(err));
		is_int(r, SP_ERR_CONFIG, "an included 0644 file with a password");
		ok(strstr(err, "incpw.conf:4: ") != NULL &&
		    strstr(err, "chmod 600") != NULL, "  at incpw.conf:4 (%s)",
		    err);
		chmod(path, 0600);
		r = sp_config_load(pwpath, &cfg, err, sizeof(err));
		is_int(r, SP_OK, "  0600: loads (%s)", r == SP_OK ? "" : err);
		if (r == SP_OK)
			sp_config_free(&cfg);
	}
}

static void
test_expand(void)
{
	char *out = NULL;
	const char *home = getenv("HOME");
	char *saved = home != NULL ? strdup(home) : NULL;

	setenv("HOME", "/home/spt", 1);
	ok(sp_config_expand_path("~/a/b", &out) == SP_OK && out != NULL &&
	    strcmp(out, "/home/spt/a/b") == 0, "~/a/b");
	free(out);
	ok(sp_config_expand_path("~/", &out) == SP_OK &&
	    strcmp(out, "/home/spt/") == 0, "~/");
	free(out);
	ok(sp_config_expand_path("/abs/p", &out) == SP_OK &&
	    strcmp(out, "/abs/p") == 0, "absolute as it is");
	free(out);
	ok(sp_config_expand_path("rel/p", &out) == SP_OK &&
	    strcmp(out, "rel/p") == 0, "relative as it is");
	free(out);
	ok(sp_config_expand_path("a~/b", &out) == SP_OK &&
	    strcmp(out, "a~/b") == 0, "~ not at the start");
	free(out);
	is_int(sp_config_expand_path("~", &out), SP_ERR_INVALID_ARG,
	    "~ alone");
	ok(out == NULL, "  *out NULL");
	is_int(sp_config_expand_path("~root/x", &out), SP_ERR_INVALID_ARG,
	    "~user/");
	setenv("HOME", "relative", 1);
	is_int(sp_config_expand_path("~/x", &out), SP_ERR_INVALID_ARG,
	    "relative HOME");
	unsetenv("HOME");
	is_int(sp_config_expand_path("~/x", &out), SP_ERR_INVALID_ARG,
	    "no HOME");
	/* ~ in the file, without HOME. */
	{
		struct sp_config cfg;
		char err[SP_CFG_ERR_MAX];
		int r;

		r = sp_config_load_string("audit = {\n  file = \"~/a.log\";\n"
		    "};\n", NAME, &cfg, err, sizeof(err));
		ok(r == SP_ERR_CONFIG && strstr(err, "t.conf:2: ") == err &&
		    strstr(err, "~ needs HOME") != NULL,
		    "audit.file ~ without HOME (%s)", err);
		setenv("HOME", "/home/spt", 1);
		r = sp_config_load_string("audit = {\n  file = \"~/a.log\";\n"
		    "};\n", NAME, &cfg, err, sizeof(err));
		ok(r == SP_OK && cfg.audit_file != NULL &&
		    strcmp(cfg.audit_file, "/home/spt/a.log") == 0,
		    "audit.file ~ expanded");
		if (r == SP_OK)
			sp_config_free(&cfg);
	}
	if (saved != NULL) {
		setenv("HOME", saved, 1);
		free(saved);
	} else
		unsetenv("HOME");
}

/* The one cache file in dir (there is only one key at a time). */
static int
cache_file(const char *dir, char *buf, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "probe-", 6) == 0) {
			snprintf(buf, len, "%s/%s", dir, de->d_name);
			n++;
		}
	closedir(d);
	return n;
}

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
test_cache(void)
{
	char run[256], dir[512], got[4096], file[4200], text[4200];
	const char *key = "127.0.0.1 22 | direct";
	long age;
	int res, r;

	snprintf(run, sizeof(run), "%s/run", tmpdir);
	if (mkdir(run, 0700) != 0) {
		ok(0, "mkdir %s", run);
		return;
	}
	setenv("XDG_RUNTIME_DIR", run, 1);
	snprintf(dir, sizeof(dir), "%s/sshproxy", run);

	r = sp_cache_dir(got, sizeof(got));
	ok(r == SP_OK && strcmp(got, dir) == 0, "cache dir under "
	    "XDG_RUNTIME_DIR (%s)", got);
	{
		struct stat st;

		ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700,
		    "  created 0700");
	}

	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST, "a miss");
	is_int(sp_cache_put(key, 0), SP_OK, "put reachable");
	res = -1;
	is_int(sp_cache_get(key, 60, &res, &age), SP_OK, "a hit");
	is_int(res, 0, "  reachable");
	ok(age >= 0 && age <= 2, "  age %ld", age);
	is_int(sp_cache_get("127.0.0.1 23 | direct", 60, &res, &age),
	    SP_ERR_NOHOST, "another key misses");
	is_int(sp_cache_put(key, 7), SP_OK, "put not reachable (any non-0)");
	is_int(sp_cache_get(key, 60, &res, &age), SP_OK, "  a hit");
	is_int(res, 1, "  not reachable");
	is_int(cache_file(dir, file, sizeof(file)), 1,
	    "one file, no temporary files left");
	is_int(count_files(dir), 1, "nothing else in the directory");

	/* The file as written. */
	{
		FILE *fp = fopen(file, "r");
		char line[256];
		int n = 0;

		if (fp != NULL) {
			while (fgets(line, sizeof(line), fp) != NULL)
				n++;
			rewind(fp);
			if (fgets(line, sizeof(line), fp) == NULL)
				line[0] = '\0';
			is_str(line, "sshproxy-probe-cache 1\n", "magic first");
			fclose(fp);
		}
		is_int(n, 4, "four lines");
	}

#define CACHE_SET(fmt, ...) do {					\
	snprintf(text, sizeof(text), fmt, __VA_ARGS__);			\
	(void)write_file(file, text, 0600);				\
} while (0)
	CACHE_SET("sshproxy-probe-cache 1\n%lld\n0\n%s\n",
	    (long long)time(NULL) - 100, key);
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST,
	    "expired (100 s old, max 60)");
	r = sp_cache_get(key, 200, &res, &age);
	ok(r == SP_OK && age >= 100 && age <= 102, "  young enough for 200 "
	    "(age %ld)", age);
	CACHE_SET("sshproxy-probe-cache 1\n%lld\n0\n%s\n",
	    (long long)time(NULL) - 5, key);
	is_int(sp_cache_get(key, 5, &res, &age), SP_ERR_NOHOST,
	    "exactly max_age old: expired");
	CACHE_SET("sshproxy-probe-cache 1\n%lld\n0\n%s\n",
	    (long long)time(NULL) + 3600, key);
	is_int(sp_cache_get(key, 86400, &res, &age), SP_ERR_NOHOST,
	    "a timestamp in the future is refused");
	CACHE_SET("sshproxy-probe-cache 1\n%lld\n0\n%s\n",
	    (long long)time(NULL), "127.0.0.1 22 | other");
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST,
	    "another key in the file is refused");
	CACHE_SET("sshproxy-probe-cache 2\n%lld\n0\n%s\n",
	    (long long)time(NULL), key);
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST,
	    "wrong magic");
	CACHE_SET("sshproxy-probe-cache 1\n%lld\n2\n%s\n",
	    (long long)time(NULL), key);
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST,
	    "result 2");
	CACHE_SET("sshproxy-probe-cache 1\n%lldx\n0\n%s\n",
	    (long long)time(NULL), key);
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST,
	    "a bad timestamp");
	CACHE_SET("sshproxy-probe-cache 1\n%lld\n0\n%s",
	    (long long)time(NULL), key);
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST,
	    "no final newline (a torn write)");
	CACHE_SET("sshproxy-probe-cache 1\n%lld\n0\n%s\nextra\n",
	    (long long)time(NULL), key);
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST,
	    "a fifth line");
	CACHE_SET("%s", "\x01\x02garbage\xff\n\n\n\n");
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST, "garbage");
	CACHE_SET("%s", "");
	is_int(sp_cache_get(key, 60, &res, &age), SP_ERR_NOHOST,
	    "an empty file");
	CACHE_SET("sshproxy-probe-cache 1\n%lld\n0\n%s\n",
	    (long long)time(NULL), key);
	is_int(sp_cache_get(key, 60, &res, &age), SP_OK,
	    "the rewritten file is good again");

	/* A symlink in place of the file is not followed. */
	{
		char target[600];

		snprintf(target, sizeof(target), "%s/elsewhere", tmpdir);
		rename(file, target);
		if (symlink(target, file) == 0)
			is_int(sp_cache_get(key, 60, &res, &age),
			    SP_ERR_NOHOST, "a symlinked entry is not read");
		unlink(file);
		unlink(target);
	}

	/* A long key is refused by put, not truncated. */
	{
		char *big = malloc(3000);

		if (big != NULL) {
			memset(big, 'k', 2999);
			big[2999] = '\0';
			is_int(sp_cache_put(big, 0), SP_ERR_INVALID_ARG,
			    "a 3000-byte key is refused");
			free(big);
		}
	}

	/* The directory must be ours and closed to others. */
	chmod(dir, 0770);
	r = sp_cache_dir(got, sizeof(got));
	ok(r != SP_OK, "a group-writable cache dir is refused");
	is_int(sp_cache_put(key, 0), r, "  put fails the same way");
	ok(sp_cache_get(key, 60, &res, &age) != SP_OK, "  get finds nothing");
	chmod(dir, 0700);
	rmdir(dir);
	snprintf(text, sizeof(text), "%s/real", tmpdir);
	mkdir(text, 0700);
	if (symlink(text, dir) == 0) {
		r = sp_cache_dir(got, sizeof(got));
		ok(r != SP_OK, "a symlinked cache dir is refused");
		ok(sp_cache_put(key, 0) != SP_OK, "  put fails");
		is_int(count_files(text), 0, "  nothing written through it");
		unlink(dir);
	}
	rmdir(text);

	/* XDG_RUNTIME_DIR itself unsafe: the /tmp directory instead. */
	chmod(run, 0777);
	r = sp_cache_dir(got, sizeof(got));
	snprintf(text, sizeof(text), "/tmp/sshproxy-%lu",
	    (unsigned long)geteuid());
	ok(strcmp(got, text) == 0, "an open XDG_RUNTIME_DIR is not used "
	    "(%s)", got);
	chmod(run, 0700);
	unsetenv("XDG_RUNTIME_DIR");
}

static void
json(const char *in, const char *want)
{
	char buf[256];
	size_t n = sp_json_string(buf, sizeof(buf), in);

	/* want, not in: raw control characters would break TAP. */
	is_str(buf, want, "json %s", want);
	is_int(n, strlen(want), "  length");
}

static void
test_json(void)
{
	char buf[8];
	size_t n;

	json("", "\"\"");
	json("plain", "\"plain\"");
	json("a\"b", "\"a\\\"b\"");
	json("back\\slash", "\"back\\\\slash\"");
	json("tab\tnl\ncr\r", "\"tab\\u0009nl\\u000acr\\u000d\"");
	json("\x01\x1f", "\"\\u0001\\u001f\"");
	json("del\x7f", "\"del\\u007f\"");
	json("caf\xc3\xa9", "\"caf\\u00c3\\u00a9\"");
	json("\xff", "\"\\u00ff\"");
	json("</script>", "\"</script>\"");
	n = sp_json_string(buf, sizeof(buf), NULL);
	ok(n == 2 && strcmp(buf, "\"\"") == 0, "NULL is \"\"");

	/* Truncation: always terminated, returns what it needed. */
	n = sp_json_string(buf, sizeof(buf), "abcdefghij");
	is_int(n, 12, "needs 12");
	is_int(strlen(buf), 7, "  truncated to 7 and terminated");
	ok(strncmp(buf, "\"abcdef", 7) == 0, "  the start (%s)", buf);
	n = sp_json_string(buf, 1, "abc");
	ok(n == 5 && buf[0] == '\0', "len 1: empty");
	n = sp_json_string(buf, 0, "abc");
	is_int(n, 5, "len 0: only the length");
	n = sp_json_string(buf, sizeof(buf), "\x01\x02");
	ok(n == 14 && strlen(buf) == 7, "an escape cut short is terminated");
}

int
main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/spt-conf-XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_errors();
	test_decide();
	test_files();
	test_expand();
	test_cache();
	test_json();
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", tmpdir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmpdir);
	}
	return tap_done();
}
