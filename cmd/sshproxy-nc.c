/*
 * sshproxy-nc: connect to host:port and relay stdio, pass the socket to
 * ssh (-F), or only check that a connection can be made (-z).
 */
#include "config.h"

#include <stdio.h>

#include "common.h"
#include "dial.h"
#include "err.h"
#include "log.h"
#include "nc-opts.h"

static const char *progname = "sshproxy-nc";

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-46FhNnqvz] [-c file] [-i idle] [-s source] [-w timeout]\n"
"           host port\n"
"       %s [options] host:port | [address]:port\n"
"       %s [-c file] --explain host [port]\n"
"\n"
"Connect to host:port and relay standard input and output, for ssh's\n"
"ProxyCommand.  Diagnostics go to standard error only.\n"
"\n"
"  -4, --ipv4               use IPv4 addresses only\n"
"  -c, --config=FILE        read FILE instead of sshproxy.conf (\"none\":\n"
"                           no file); see sshproxy.conf(5)\n"
"      --explain            print the rule, routes and settings the file\n"
"                           gives host (port 22 if not given); no connect\n"
"  -6, --ipv6               use IPv6 addresses only\n"
"  -F, --fdpass             pass the connected socket to ssh and exit\n"
"                           (ssh_config: ProxyUseFdpass yes)\n"
"  -h, --help               show this help and exit\n"
"  -i, --idle-timeout=SECS  end the tunnel after SECS seconds without data\n"
"  -N, --half-close         on EOF on stdin, shut down the socket's write\n"
"                           side and keep reading (the default)\n"
"      --no-half-close      on EOF on stdin, leave the socket open\n"
"  -n, --numeric            do not resolve names: host must be an address\n"
"  -q, --quiet              print no diagnostics, not even errors\n"
"  -s, --source=ADDR        connect from the local address ADDR\n"
"  -v, --verbose            say more on stderr (repeat for more)\n"
"  -w, --timeout=SECS       give up connecting after SECS seconds\n"
"                           (fractions allowed: 0.5)\n"
"      --he-delay=MS        Happy Eyeballs delay between connection\n"
"                           attempts (default %d ms)\n"
"  -z, --probe              only check that a connection can be made:\n"
"                           exit 0 if so, 1 if not (for Match exec)\n"
"      --cache=SECS         with -z: reuse an answer up to SECS seconds old\n"
"\n"
"Proxies:\n"
"  -x, --proxy=URL          go through this proxy; repeat for a chain:\n"
"                           socks4://, socks4a://, socks5://, socks5h://,\n"
"                           http://, https://[user@]host[:port],\n"
"                           socks5h://localhost/path/to.sock\n"
"  -X, --proxy-type=TYPE    4, 4a, 5 or connect, for -x host:port (nc style)\n"
"  -P, --proxy-user=USER    user name for the proxy\n"
"      --proxy-password-file=FILE  read the proxy password from FILE\n"
"      --proxy-password-env=VAR    read it from environment variable VAR\n"
"                           (default SSHPROXY_PROXY_PASSWORD, then a prompt)\n"
"      --proxy-env          use all_proxy/ALL_PROXY and no_proxy if set\n"
"      --proxy-auth=LIST    HTTP proxy auth: basic,digest,ntlm,negotiate,any\n"
"      --proxy-cacert=FILE  CA certificates for an https:// proxy\n"
"      --proxy-insecure     do not verify an https:// proxy's certificate\n"
"      --proxy-header=HDR   add \"Name: value\" to the CONNECT request\n"
"      --version            show the version and exit\n"
"\n"
"Exit status: 0 ok, 1 not reachable (-z) or tunnel broke, 64 usage,\n"
"65 bad host, port or proxy URL, 68 unknown host, 69 refused or\n"
"unreachable, 71 system error, 75 timed out, 76 proxy protocol error,\n"
"77 proxy authentication failed, denied or refused by policy, 78 bad\n"
"configuration file or unsafe password file.\n"
"See sshproxy-nc(1).\n",
	    progname, progname, progname, SP_HE_DELAY_DEFAULT);
}

int
main(int argc, char *argv[])
{
	struct nc_opts o;
	char err[512];
	int status;

	if ((status = sp_cmd_start(progname)) != 0)
		return status;
	if ((status = nc_parse_args(argc, argv, &o, err, sizeof(err))) != 0)
		return sp_cmd_bad_args(progname, o.quiet, status, err);
	if (o.action == NC_HELP)
		return sp_cmd_help(usage);
	if (o.action == NC_VERSION)
		return sp_cmd_version(progname);
	o.use_rules = 1;
	if ((status = nc_load_config(&o, progname)) != 0)
		return status;
	status = o.explain ? nc_explain(&o) : nc_run(&o, progname);
	nc_free_config(&o);
	return status;
}
