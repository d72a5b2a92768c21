/* Unit tests: the sshproxy-nc command line (cmd/nc-opts.c). */
#include "config.h"

#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "nc-opts.h"
#include "tap.h"

#define MAXARGS	24

static struct nc_opts o;
static char errbuf[512];

/* Run the parser on a NULL-terminated list of words after argv[0]. */
static int
parse(const char *first, ...)
{
	static char words[MAXARGS + 1][400];
	char *argv[MAXARGS + 2];
	const char *w;
	va_list ap;
	int argc = 0;

	snprintf(words[0], sizeof(words[0]), "sshproxy-nc");
	argv[argc] = words[argc];
	argc++;
	va_start(ap, first);
	for (w = first; w != NULL && argc < MAXARGS;
	    w = va_arg(ap, const char *)) {
		snprintf(words[argc], sizeof(words[argc]), "%s", w);
		argv[argc] = words[argc];
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;
	return nc_parse_args(argc, argv, &o, errbuf, sizeof(errbuf));
}

int
main(void)
{
	char big[310];

	is_int(parse("host", "22", NULL), 0, "host port");
	is_str(o.dest.host, "host", "  host");
	is_int(o.dest.port, 22, "  port");
	is_int(o.action, NC_RELAY, "  relay by default");
	is_int(o.dial.family, AF_UNSPEC, "  any family");
	is_int(o.dial.timeout_ms, 0, "  no connect timeout");
	is_int(o.relay.no_half_close, 0, "  half-close on");

	is_int(parse("host:2222", NULL), 0, "host:port operand");
	is_int(o.dest.port, 2222, "  port 2222");
	is_int(parse("[::1]:22", NULL), 0, "[v6]:port operand");
	is_str(o.dest.host, "::1", "  v6 host");
	is_int(parse("::1", "ssh", NULL), 0, "bare v6 and a service name");
	is_int(o.dest.port, 22, "  ssh is 22");

	is_int(parse("-4", "-w", "0.5", "-i", "30", "-s", "127.0.0.1",
	    "host", "22", NULL), 0, "-4 -w -i -s");
	is_int(o.dial.family, AF_INET, "  -4");
	is_int(o.dial.timeout_ms, 500, "  -w 0.5");
	is_int(o.relay.idle_timeout_ms, 30000, "  -i 30");
	is_str(o.dial.source, "127.0.0.1", "  -s");
	is_int(parse("--ipv6", "--timeout=2", "--idle-timeout", "1.5",
	    "--source=::1", "--he-delay=100", "host", "22", NULL), 0,
	    "long forms");
	is_int(o.dial.family, AF_INET6, "  --ipv6");
	is_int(o.dial.timeout_ms, 2000, "  --timeout=2");
	is_int(o.relay.idle_timeout_ms, 1500, "  --idle-timeout 1.5");
	is_int(o.dial.he_delay_ms, 100, "  --he-delay=100");

	is_int(parse("-z", "host", "22", NULL), 0, "-z");
	is_int(o.action, NC_PROBE, "  probe");
	is_int(parse("-F", "host", "22", NULL), 0, "-F");
	is_int(o.action, NC_FDPASS, "  fd passing");
	is_int(parse("-vvv", "host", "22", NULL), 0, "-vvv");
	is_int(o.verbose, 3, "  verbose 3");
	is_int(parse("-q", "host", "22", NULL), 0, "-q");
	is_int(o.quiet, 1, "  quiet");
	is_int(parse("-N", "host", "22", NULL), 0, "-N (nc compatibility)");
	is_int(o.relay.no_half_close, 0, "  -N keeps half-close");
	is_int(parse("--no-half-close", "host", "22", NULL), 0,
	    "--no-half-close");
	is_int(o.relay.no_half_close, 1, "  half-close off");
	is_int(parse("-n", "127.0.0.1", "22", NULL), 0, "-n");
	is_int(o.dial.numeric, 1, "  numeric");
	is_int(parse("host", "22", "-v", NULL), 0, "option after operands");
	is_int(o.verbose, 1, "  -v seen");
	is_int(parse("--help", NULL), 0, "--help");
	is_int(o.action, NC_HELP, "  help");
	is_int(parse("-h", "extra", "junk", "words", NULL), 0,
	    "-h wins over bad operands");
	is_int(o.action, NC_HELP, "  help");
	is_int(parse("--version", NULL), 0, "--version");
	is_int(o.action, NC_VERSION, "  version");

	/* Bad command lines: 64. */
	is_int(parse(NULL), SP_EXIT_USAGE, "no operands");
	is_int(parse("host", NULL), SP_EXIT_USAGE, "host without port");
	ok(strstr(errbuf, "missing port") != NULL, "  says: %s", errbuf);
	is_int(parse("a", "1", "b", NULL), SP_EXIT_USAGE, "three operands");
	is_int(parse("-y", "host", "22", NULL), SP_EXIT_USAGE,
	    "unknown short option");
	ok(strstr(errbuf, "-y") != NULL, "  names it: %s", errbuf);
	is_int(parse("--bogus", "host", "22", NULL), SP_EXIT_USAGE,
	    "unknown long option");
	ok(strstr(errbuf, "--bogus") != NULL, "  names it: %s", errbuf);
	is_int(parse("host", "22", "-w", NULL), SP_EXIT_USAGE,
	    "-w without a value");
	is_int(parse("-w", "0", "host", "22", NULL), SP_EXIT_USAGE, "-w 0");
	is_int(parse("-w", "abc", "host", "22", NULL), SP_EXIT_USAGE,
	    "-w abc");
	is_int(parse("-w", "-1", "host", "22", NULL), SP_EXIT_USAGE, "-w -1");
	is_int(parse("-i", "1x", "host", "22", NULL), SP_EXIT_USAGE, "-i 1x");
	is_int(parse("--he-delay=5", "host", "22", NULL), SP_EXIT_USAGE,
	    "--he-delay below the RFC 8305 floor");
	is_int(parse("--he-delay=abc", "host", "22", NULL), SP_EXIT_USAGE,
	    "--he-delay abc");
	is_int(parse("-F", "-z", "host", "22", NULL), SP_EXIT_USAGE,
	    "-F with -z");
	is_int(parse("-q", "-v", "host", "22", NULL), SP_EXIT_USAGE,
	    "-q with -v");
	is_int(parse("--timeout", NULL), SP_EXIT_USAGE,
	    "--timeout without a value");

	/* Proxies. */
	is_int(parse("-x", "socks5h://127.0.0.1:9050", "-x", "http://p:3128",
	    "host", "22", NULL), 0, "two -x hops");
	is_int(o.route.nhops, 2, "  two hops");
	is_int(o.route.hops[0].type, SP_PROXY_SOCKS5H, "  socks5h first");
	is_int(o.route.hops[1].type, SP_PROXY_HTTP, "  http second");
	is_int(parse("-x", "p:1080", "-X", "5", "-P", "alice", "host", "22",
	    NULL), 0, "nc style: -x host:port -X 5 -P user (any order)");
	is_int(o.route.hops[0].type, SP_PROXY_SOCKS5H, "  -X 5 is socks5h");
	is_str(o.route.hops[0].user, "alice", "  -P user");
	is_int(parse("-X", "connect", "-x", "p", "host", "22", NULL), 0,
	    "-X connect");
	is_int(o.route.hops[0].port, 8080, "  default HTTP port");
	is_int(parse("-x", "p:1080", "host", "22", NULL), SP_EXIT_DATAERR,
	    "-x without a scheme or -X");
	ok(strstr(errbuf, "no scheme") != NULL, "  says: %s", errbuf);
	is_int(parse("-x", "socks5h://u:pw@p", "host", "22", NULL),
	    SP_EXIT_USAGE, "password in a proxy URL");
	ok(strstr(errbuf, "password") != NULL, "  says: %s", errbuf);
	is_int(parse("-X", "6", "-x", "p", "host", "22", NULL), SP_EXIT_USAGE,
	    "-X 6");
	is_int(parse("-X", "5", "host", "22", NULL), SP_EXIT_USAGE,
	    "-X without -x");
	is_int(parse("--proxy-auth=digest,basic", "-x", "http://p", "host",
	    "22", NULL), 0, "--proxy-auth list");
	is_int(o.http.auth, SP_HTTP_AUTH_DIGEST | SP_HTTP_AUTH_BASIC,
	    "  digest|basic");
	is_int(parse("--proxy-auth=kerberos", "host", "22", NULL),
	    SP_EXIT_USAGE, "--proxy-auth kerberos");
	is_int(parse("--proxy-header=X-A: 1", "--proxy-header", "X-B: 2",
	    "host", "22", NULL), 0, "--proxy-header twice");
	is_int(o.http.nheaders, 2, "  two headers");
	is_int(parse("--proxy-header=nocolon", "host", "22", NULL),
	    SP_EXIT_USAGE, "--proxy-header without a colon");
	is_int(parse("-x", "socks5h://a", "-x", "socks5h://b", "-x",
	    "socks5h://c", "-x", "socks5h://d", "-x", "socks5h://e", "-x",
	    "socks5h://f", "-x", "socks5h://g", "-x", "socks5h://h", "-x",
	    "socks5h://i", "host", "22", NULL), SP_EXIT_USAGE,
	    "nine -x hops: more than SP_PROXY_HOPS_MAX");
	ok(strstr(errbuf, "at most") != NULL, "  says: %s", errbuf);

	/* Malformed hosts and ports: 65. */
	is_int(parse("host", "0", NULL), SP_EXIT_DATAERR, "port 0");
	ok(strstr(errbuf, "port '0'") != NULL, "  says: %s", errbuf);
	is_int(parse("host", "65536", NULL), SP_EXIT_DATAERR, "port 65536");
	is_int(parse("host", "abc", NULL), SP_EXIT_DATAERR, "port abc");
	is_int(parse("", "22", NULL), SP_EXIT_DATAERR, "empty host");
	memset(big, 'h', 300);
	big[300] = '\0';
	is_int(parse(big, "22", NULL), SP_EXIT_DATAERR, "300-character host");
	ok(strlen(errbuf) < 200, "  message stays short (%zu)",
	    strlen(errbuf));
	is_int(parse("alice@host", "22", NULL), SP_EXIT_DATAERR, "user@host");
	is_int(parse("host:22", "22", NULL), SP_EXIT_DATAERR,
	    "host:port with a port operand");
	is_int(parse("[::1", "22", NULL), SP_EXIT_DATAERR, "unclosed bracket");
	is_int(parse("host:0", NULL), SP_EXIT_DATAERR, "host:0");
	is_int(parse("bad\x01host", "22", NULL), SP_EXIT_DATAERR,
	    "control character");
	return tap_done();
}
