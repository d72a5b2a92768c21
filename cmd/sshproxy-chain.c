/*
 * sshproxy-chain: turn a host name like "alice%bastion+db:2222+target"
 * into ssh -W target:port -J alice@bastion db -p 2222, and exec it.
 * No shell and no command line built as a string: each hop is one argv
 * word, and every hop gets its own ssh_config Host block.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "chain.h"
#include "common.h"
#include "conf.h"
#include "err.h"
#include "log.h"
#include "nc-opts.h"

static const char *progname = "sshproxy-chain";

#define MAX_SSH_OPTS	32
#define MAX_ARGV	(18 + 2 * MAX_SSH_OPTS)

enum {
	OPT_DRY_RUN = 256,
	OPT_SSH,
	OPT_VERSION
};

static const char shortopts[] = ":c:d:F:ho:qv";

static const struct option longopts[] = {
	{ "delimiters",		required_argument,	NULL, 'd' },
	{ "ssh-config",		required_argument,	NULL, 'F' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "ssh-option",		required_argument,	NULL, 'o' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "dry-run",		no_argument,		NULL, OPT_DRY_RUN },
	{ "ssh",		required_argument,	NULL, OPT_SSH },
	{ "config",		required_argument,	NULL, 'c' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL,			0,			NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-hqv] [-c file] [-d delimiters] [-F ssh_config] [-o option]\n"
"       [--ssh path] [--dry-run] chain [port]\n"
"\n"
"Reach the last host of a chain through the ones before it, for ssh's\n"
"ProxyCommand: in ~/.ssh/config\n"
"    Host *+* */*\n"
"        ProxyCommand %s %%h %%p\n"
"then  ssh alice%%bastion+db:2222+target  (inside ssh_config, as in a\n"
"HostName, write %%%% for each %%).\n"
"Each hop is [user%%]host[:port], IPv6 hosts in brackets; the last one is\n"
"the destination, and its :port wins over the port operand.  Proxies may\n"
"come first, as scheme=host:port (socks5h=127.0.0.1:9050+bastion+target).\n"
"\n"
"  -c, --config=FILE        sshproxy.conf whose policy every hop must pass\n"
"                           (\"none\": no file)\n"
"  -d, --delimiters=CHARS   characters that separate hops (default +/)\n"
"  -F, --ssh-config=FILE    ssh configuration file for ssh and every hop\n"
"  -h, --help               show this help and exit\n"
"  -o, --ssh-option=OPT     pass -o OPT to ssh (repeatable)\n"
"  -q, --quiet              print no diagnostics, not even errors\n"
"  -v, --verbose            say more; also passed to ssh (repeat for more)\n"
"      --dry-run            print the ssh command, one word per line, and\n"
"                           exit without running it\n"
"      --ssh=PATH           the ssh program to run (default: ssh)\n"
"      --version            show the version and exit\n"
"\n"
"Exit status: ssh's own when it ran; 64 usage, 65 malformed chain,\n"
"71 ssh could not be run, 77 a hop refused by sshproxy.conf's policy,\n"
"78 bad sshproxy.conf.  See sshproxy-chain(1).\n",
	    progname, progname);
}

/* One argv word per line, quoted for a POSIX shell when it needs it. */
static void
print_word(const char *w)
{
	const char *p;

	if (*w != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") ==
	    strlen(w)) {
		printf("%s\n", w);
		return;
	}
	putchar('\'');
	for (p = w; *p != '\0'; p++) {
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	}
	fputs("'\n", stdout);
}

/* Append w to buf as one single-quoted shell word; '%' doubled for ssh. */
static int
append_word(char *buf, size_t len, const char *w, int keep_pct)
{
	size_t n = strlen(buf);
	const char *p;

#define PUT(c) do { if (n + 1 >= len) return -1; buf[n++] = (c); } while (0)
	if (n > 0 && buf[n - 1] != '=')
		PUT(' ');
	PUT('\'');
	for (p = w; *p != '\0'; p++) {
		if (*p == '\'') {
			PUT('\''); PUT('\\'); PUT('\''); PUT('\'');
		} else if (*p == '%' && !keep_pct) {
			PUT('%'); PUT('%');
		} else
			PUT(*p);
	}
	PUT('\'');
#undef PUT
	buf[n] = '\0';
	return 0;
}

/*
 * Only proxies before the destination: no ssh to run, open the tunnel
 * here and relay, as sshproxy-nc -x would.
 */
static int
relay_through(struct sp_chain *chain, uint16_t port, int v, int quiet,
    int dry)
{
	struct nc_opts o;
	char url[SP_HOST_MAX + 32];
	int i;

	nc_opts_init(&o);
	o.verbose = v;
	o.quiet = quiet;
	o.route = chain->proxies;
	o.dest = chain->elem[0];
	if (o.dest.port == 0)
		o.dest.port = port;
	if (dry) {
		print_word("sshproxy-nc");
		for (i = 0; i < o.route.nhops; i++) {
			sp_proxy_describe(&o.route.hops[i], url, sizeof(url));
			print_word("-x");
			print_word(url);
		}
		print_word(o.dest.host);
		snprintf(url, sizeof(url), "%u", o.dest.port);
		print_word(url);
		return fflush(stdout) == 0 ? 0 : SP_EXIT_OSERR;
	}
	return nc_run(&o, progname);
}

/*
 * sshproxy.conf's policy covers every hop: a refused bastion is as
 * refused as a refused destination (exit 77, before ssh runs).
 */
static int
policy_check(const struct sp_chain *chain, const char *path, int quiet,
    int v)
{
	struct nc_opts o;
	char why[SP_CFG_ERR_MAX];
	int i, status;

	nc_opts_init(&o);
	o.config_path = path;
	o.quiet = quiet;
	if ((status = nc_load_config(&o, progname)) != 0 || o.cfg == NULL)
		return status;
	sp_log_init(progname, quiet ? SP_LOG_QUIET : v);
	for (i = 0; i < chain->n; i++)
		if (sp_config_refused(o.cfg, chain->elem[i].host, why,
		    sizeof(why))) {
			sp_error("hop %d: %s", chain->proxies.nhops + i + 1,
			    why);
			status = SP_EXIT_NOPERM;
			break;
		}
	nc_free_config(&o);
	return status;
}

int
main(int argc, char *argv[])
{
	struct sp_chain chain;
	const char *delims = SP_CHAIN_DELIMS, *config = NULL, *ssh = "ssh";
	const char *spconf = NULL;
	const char *sshopts[MAX_SSH_OPTS], *av[MAX_ARGV + 1];
	char target[SP_HOST_MAX + 16], jumps[SP_CHAIN_MAX *
	    (SP_USER_MAX + SP_HOST_MAX + 16)], hop[SP_USER_MAX +
	    SP_HOST_MAX + 16], lport[8], verbose[8] = "-";
	const struct sp_addr *last, *dest;
	static char proxycmd[8192], spec[SP_CHAIN_MAX * (SP_USER_MAX +
	    SP_HOST_MAX + 32)];
	uint16_t defport = 22;
	int c, r, i, nopts = 0, nav = 0, dry = 0, quiet = 0, v = 0;

	if ((r = sp_cmd_start(progname)) != 0)
		return r;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			spconf = optarg;
			break;
		case 'd':
			if (*optarg == '\0' || strpbrk(optarg,
			    "[]%:@ \t") != NULL || strlen(optarg) > 8) {
				sp_error("-d: delimiters may not be empty, "
				    "blanks, or any of []%%:@");
				return SP_EXIT_USAGE;
			}
			delims = optarg;
			break;
		case 'F':
			config = optarg;
			break;
		case 'h':
			return sp_cmd_help(usage);
		case 'o':
			if (nopts == MAX_SSH_OPTS) {
				sp_error("at most %d -o options", MAX_SSH_OPTS);
				return SP_EXIT_USAGE;
			}
			sshopts[nopts++] = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			if (v < 3)
				verbose[++v] = 'v';
			break;
		case OPT_DRY_RUN:
			dry = 1;
			break;
		case OPT_SSH:
			ssh = optarg;
			break;
		case OPT_VERSION:
			return sp_cmd_version(progname);
		case ':':
			sp_error("option %s needs an argument",
			    argv[optind - 1]);
			goto usage_error;
		default:
			if (optopt != 0)
				sp_error("unknown option -%c", optopt);
			else
				sp_error("unknown option %s", argv[optind - 1]);
			goto usage_error;
		}
	}
	sp_log_init(progname, quiet ? SP_LOG_QUIET : v);
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2) {
		sp_error(argc < 1 ? "missing chain" : "too many operands");
		goto usage_error;
	}
	if (argc == 2 && (r = sp_port_parse(argv[1], &defport)) != SP_OK) {
		sp_error("port '%.64s': %s", argv[1], sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if ((r = sp_chain_parse(argv[0], delims, &chain)) != SP_OK) {
		if (r == SP_ERR_INVALID_ARG)
			sp_error("'%.64s%s': more than %d hops before the "
			    "destination", argv[0], strlen(argv[0]) > 64 ?
			    "..." : "", SP_CHAIN_MAX - 1);
		else
			sp_error("'%.64s%s': hop %d: %s", argv[0],
			    strlen(argv[0]) > 64 ? "..." : "", chain.bad,
			    sp_strerror(r));
		return SP_EXIT_DATAERR;
	}
	if (chain.n + chain.proxies.nhops < 2) {
		sp_error("'%.64s': not a chain: write hop%cdestination",
		    argv[0], delims[0]);
		return SP_EXIT_DATAERR;
	}
	if ((r = policy_check(&chain, spconf, quiet, v)) != 0)
		return r;
	if (chain.proxies.nhops > 0 &&
	    (r = sp_route_check(&chain.proxies)) != SP_OK) {
		sp_error("'%.64s': %s", argv[0], sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if (chain.n == 1)
		return relay_through(&chain, defport, v, quiet, dry);

	dest = &chain.elem[chain.n - 1];
	last = &chain.elem[chain.n - 2];
	if (dest->user[0] != '\0') {
		sp_error("'%.64s': the destination's user is ssh's to choose: "
		    "write %s@...%c%s, not ...%c%s%%%s", argv[0], dest->user,
		    delims[0], dest->host, delims[0], dest->user, dest->host);
		return SP_EXIT_DATAERR;
	}
	sp_addr_format(dest->host, dest->port != 0 ? dest->port : defport,
	    target, sizeof(target));
	jumps[0] = '\0';
	for (i = 0; chain.proxies.nhops == 0 && i < chain.n - 2; i++) {
		sp_chain_hop_string(&chain.elem[i], 1, hop, sizeof(hop));
		if (i > 0)
			strcat(jumps, ",");
		strcat(jumps, hop);
	}

	av[nav++] = ssh;
	if (config != NULL) {
		av[nav++] = "-F";
		av[nav++] = config;
	}
	if (v > 0)
		av[nav++] = verbose;
	for (i = 0; i < nopts; i++) {
		av[nav++] = "-o";
		av[nav++] = sshopts[i];
	}
	if (chain.proxies.nhops > 0) {
		/*
		 * Proxies first: ssh cannot hand -J hops a proxy, so the
		 * hop before the last is reached by running ourselves as
		 * its ProxyCommand with the rest of the chain, down to the
		 * proxies, which we then open ourselves.  Every word is
		 * quoted; the grammar already keeps shell characters out.
		 */
		char self[4096], elem[SP_USER_MAX + SP_HOST_MAX + 32];
		ssize_t sl;

		if ((sl = readlink("/proc/self/exe", self, sizeof(self) - 1)) >
		    0)
			self[sl] = '\0';
		else
			snprintf(self, sizeof(self), "%s", progname);
		/* ssh runs it as "exec <command>" with the user's shell. */
		snprintf(proxycmd, sizeof(proxycmd), "ProxyCommand=");
		r = append_word(proxycmd, sizeof(proxycmd), self, 0);
		if (config != NULL && r == 0)
			r = append_word(proxycmd, sizeof(proxycmd), "-F", 0) |
			    append_word(proxycmd, sizeof(proxycmd), config, 0);
		if (spconf != NULL && r == 0)
			r = append_word(proxycmd, sizeof(proxycmd), "-c", 0) |
			    append_word(proxycmd, sizeof(proxycmd), spconf, 0);
		if (v > 0 && r == 0)
			r = append_word(proxycmd, sizeof(proxycmd), verbose, 0);
		for (i = 0; i < nopts && r == 0; i++)
			r = append_word(proxycmd, sizeof(proxycmd), "-o", 0) |
			    append_word(proxycmd, sizeof(proxycmd), sshopts[i],
			    0);
		if (r == 0)
			r = append_word(proxycmd, sizeof(proxycmd), "-d", 0) |
			    append_word(proxycmd, sizeof(proxycmd), "+", 0);
		spec[0] = '\0';
		for (i = 0; i < chain.proxies.nhops; i++) {
			sp_chain_proxy_string(&chain.proxies.hops[i], elem,
			    sizeof(elem));
			strcat(spec, elem);
			strcat(spec, "+");
		}
		for (i = 0; i < chain.n - 2; i++) {
			sp_chain_elem_string(&chain.elem[i], elem,
			    sizeof(elem));
			strcat(spec, elem);
			strcat(spec, "+");
		}
		if (r == 0)
			r = append_word(proxycmd, sizeof(proxycmd), spec, 0);
		if (r == 0) {
			/* %h and %p are for ssh to fill in. */
			size_t n = strlen(proxycmd);

			if (n + 8 < sizeof(proxycmd)) {
				proxycmd[n - 1] = '\0';
				strcat(proxycmd, "%h' %p");
			} else
				r = -1;
		}
		if (r != 0) {
			sp_error("'%.64s': the chain is too long to pass on",
			    argv[0]);
			return SP_EXIT_DATAERR;
		}
		av[nav++] = "-o";
		av[nav++] = proxycmd;
	}
	av[nav++] = "-W";
	av[nav++] = target;
	if (jumps[0] != '\0') {
		av[nav++] = "-J";
		av[nav++] = jumps;
	}
	if (last->user[0] != '\0') {
		av[nav++] = "-l";
		av[nav++] = last->user;
	}
	if (last->port != 0) {
		snprintf(lport, sizeof(lport), "%u", last->port);
		av[nav++] = "-p";
		av[nav++] = lport;
	}
	av[nav++] = last->host;
	av[nav] = NULL;

	if (dry) {
		for (i = 0; i < nav; i++)
			print_word(av[i]);
		return fflush(stdout) == 0 ? 0 : SP_EXIT_OSERR;
	}
	for (i = 0; sp_log_enabled(SP_LOG_INFO) && i < nav; i++)
		sp_info("argv[%d] = %s", i, av[i]);
	execvp(ssh, (char *const *)(uintptr_t)av);
	sp_error("%s: %s", ssh, strerror(errno));
	return SP_EXIT_OSERR;
 usage_error:
	if (!quiet)
		fprintf(stderr, "%s: try \'%s --help\' for more "
		    "information\n", progname, progname);
	return SP_EXIT_USAGE;
}
