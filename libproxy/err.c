#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static const char *const messages[] = {
	[0] = "success",
	[-SP_ERR_INTERNAL] = "internal error",
	[-SP_ERR_NOMEM] = "out of memory",
	[-SP_ERR_INVALID_ARG] = "invalid argument",
	[-SP_ERR_HOST_EMPTY] = "empty host name",
	[-SP_ERR_HOST_TOOLONG] = "host name longer than 255 characters",
	[-SP_ERR_HOST_BADCHAR] =
	    "not a host name (a space, control or shell character, an empty "
	    "label, or a leading '-')",
	[-SP_ERR_HOST_BRACKET] = "unbalanced or misplaced brackets",
	[-SP_ERR_PORT_EMPTY] = "empty port",
	[-SP_ERR_PORT_RANGE] = "port out of range (1-65535)",
	[-SP_ERR_PORT_UNKNOWN] = "not a port number nor a known TCP service",
	[-SP_ERR_USER_BAD] = "user name not allowed here",
	[-SP_ERR_NOT_NUMERIC] = "not a numeric IP address",
	[-SP_ERR_NOHOST] = "name does not resolve",
	[-SP_ERR_RESOLVE_TEMP] = "temporary failure in name resolution",
	[-SP_ERR_NOADDR_FAMILY] = "no address of the requested family",
	[-SP_ERR_TIMEOUT] = "connection timed out",
	[-SP_ERR_IDLE] = "idle timeout expired",
	[-SP_ERR_NOT_UNIXSOCK] =
	    "standard output is not a unix-domain socket",
	[-SP_ERR_PEER_CLOSED] = "connection closed by peer",
	[-SP_ERR_PROTOCOL] = "protocol error",
	[-SP_ERR_SOURCE_FAMILY] =
	    "source address family does not match the destination",
	[-SP_ERR_HOST_COLON] =
	    "unexpected ':' in host (write an IPv6 address with a port as "
	    "[address]:port)",
	[-SP_ERR_SOURCE_BAD] = "source address is not a numeric IP address",
	[-SP_ERR_PROXY_AUTH] = "proxy authentication failed",
	[-SP_ERR_PROXY_AUTH_NEEDED] =
	    "proxy requires authentication (give a user with -P or in the "
	    "URL)",
	[-SP_ERR_PROXY_DENIED] = "proxy refused the request by its rules",
	[-SP_ERR_PROXY_CLOSED] =
	    "proxy closed the connection before finishing its reply",
	[-SP_ERR_PROXY_URL] = "malformed proxy URL",
	[-SP_ERR_PROXY_PASSWORD] =
	    "no passwords in proxy URLs: anyone can read a command line "
	    "(use --proxy-password-file or --proxy-password-env)",
	[-SP_ERR_ONION_LOCAL] =
	    ".onion names are only reachable through Tor and are never "
	    "resolved locally (use sshproxy-socks, or -x socks5h://)",
	[-SP_ERR_ONION_BAD] = "not a valid onion address",
	[-SP_ERR_CURL_LOAD] =
	    "cannot use libcurl for the HTTP proxy (" SP_CURL_SONAME
	    " missing, or without a feature this proxy needs)",
	[-SP_ERR_PASSWORD_PERMS] =
	    "password file is readable by group or others (chmod 600 it)",
	[-SP_ERR_TLS] = "TLS with the proxy failed",
	[-SP_ERR_HOP_ORDER] =
	    "unsupported order of proxies: an HTTP(S) proxy can only be "
	    "first or follow one SOCKS proxy, a unix-socket proxy only first",
	[-SP_ERR_NO_PASSWORD] = "no password for the proxy",
	[-SP_ERR_CAP_SYS_ADMIN] =
	    "permission denied: entering a network namespace needs "
	    "CAP_SYS_ADMIN",
	[-SP_ERR_CAP_NET_ADMIN] =
	    "permission denied: setting a firewall mark needs CAP_NET_ADMIN "
	    "(or CAP_NET_RAW on Linux 5.17 and later)",
	[-SP_ERR_CAP_NET_RAW] =
	    "permission denied: binding to a device needs CAP_NET_RAW "
	    "on this kernel",
	[-SP_ERR_NO_NETNS] = "no such network namespace",
	[-SP_ERR_NO_VRF] =
	    "no VRF device uses that routing table (on Linux, use --netns, "
	    "--mark or --device instead, or create the VRF)",
	[-SP_ERR_NO_DEVICE] = "no such network device",
	[-SP_ERR_UNSUPPORTED] = "not supported on this operating system",
	[-SP_ERR_USER_EMPTY] = "empty user name before '%'",
	[-SP_ERR_CONFIG] = "bad configuration file",
	[-SP_ERR_POLICY] = "refused by the configuration's policy",
	[-SP_ERR_CANCELLED] = "cancelled: another route was faster",
	[-SP_ERR_CHAIN_PROXY] =
	    "a proxy (scheme=host:port) can only come before the ssh hops, "
	    "and without a user",
	[-SP_ERR_SOCKS_VERSION] =
	    "proxy answered in another SOCKS version (wrong -x scheme?)",
};

/* SOCKS5 REP values (RFC 1928 section 6), and Tor's extensions. */
static const char *
socks5_reply_str(int rep)
{
	switch (rep) {
	case 0x01: return "general SOCKS server failure";
	case 0x02: return "connection not allowed by the proxy's rules";
	case 0x03: return "network unreachable (reported by the proxy)";
	case 0x04: return "host unreachable (reported by the proxy)";
	case 0x05: return "connection refused (reported by the proxy)";
	case 0x06: return "TTL expired: the proxy timed out";
	case 0x07: return "command not supported by the proxy";
	case 0x08: return "address type not supported by the proxy";
	case 0xf0: return "onion service descriptor not found (tor 0xF0)";
	case 0xf1: return "onion service descriptor is invalid (tor 0xF1)";
	case 0xf2: return "onion service introduction failed (tor 0xF2)";
	case 0xf3: return "onion service rendezvous failed (tor 0xF3)";
	case 0xf4: return
	    "onion service needs client authorization (tor 0xF4)";
	case 0xf5: return
	    "onion service rejected our client authorization (tor 0xF5)";
	case 0xf6: return "invalid onion service address (tor 0xF6)";
	case 0xf7: return "onion service introduction timed out (tor 0xF7)";
	default: return "unassigned SOCKS5 reply code";
	}
}

static int
socks5_reply_exit(int rep)
{
	switch (rep) {
	case 0x02: case 0xf4: case 0xf5:
		return SP_EXIT_NOPERM;
	case 0x06: case 0xf7:
		return SP_EXIT_TEMPFAIL;
	case 0x07: case 0x08: case 0xf1:
		return SP_EXIT_PROTOCOL;
	case 0xf0:
		return SP_EXIT_NOHOST;
	case 0xf6:
		return SP_EXIT_DATAERR;
	default:
		return SP_EXIT_UNAVAILABLE;
	}
}

static const char *
socks4_reply_str(int cd)
{
	switch (cd) {
	case 0x5b: return "request rejected or failed (SOCKS4 0x5B)";
	case 0x5c: return
	    "request rejected: the proxy cannot reach our identd (SOCKS4 0x5C)";
	case 0x5d: return
	    "request rejected: identd user mismatch (SOCKS4 0x5D)";
	default: return "unknown SOCKS4 reply code";
	}
}

static char http_buf[64];

static const char *
http_status_str(int st)
{
	switch (st) {
	case 400: return "proxy answered 400 Bad Request";
	case 401: return "proxy answered 401 Unauthorized "
	    "(wrong or missing credentials)";
	case 403: return "proxy answered 403 Forbidden (denied by its rules)";
	case 404: return "proxy answered 404 Not Found";
	case 405: return "proxy answered 405: CONNECT not allowed";
	case 407: return "proxy answered 407: authentication required "
	    "or failed";
	case 502: return "proxy answered 502 Bad Gateway "
	    "(it could not connect)";
	case 503: return "proxy answered 503 Service Unavailable";
	case 504: return "proxy answered 504 Gateway Timeout";
	default:
		break;
	}
	snprintf(http_buf, sizeof(http_buf), "proxy answered HTTP %d%s", st,
	    st == 408 ? " Request Timeout" : st == 500 ?
	    " Internal Server Error" : st == 501 ? " Not Implemented" :
	    " (no tunnel)");
	return http_buf;
}

static int
http_status_exit(int st)
{
	switch (st) {
	case 401: case 403: case 407:
		return SP_EXIT_NOPERM;
	case 504: case 408:
		return SP_EXIT_TEMPFAIL;
	case 400: case 405: case 501:
		return SP_EXIT_PROTOCOL;
	default:
		return SP_EXIT_UNAVAILABLE;
	}
}

const char *
sp_strerror(int r)
{
	if (SP_ERR_IS_ERRNO(r))
		return strerror(SP_ERR_TO_ERRNO(r));
	if (SP_ERR_IS_SOCKS5(r))
		return socks5_reply_str(-r - SP_ERR_SOCKS5_BASE);
	if (SP_ERR_IS_SOCKS4(r))
		return socks4_reply_str(-r - SP_ERR_SOCKS4_BASE);
	if (SP_ERR_IS_HTTP(r))
		return http_status_str(-r - SP_ERR_HTTP_BASE);
	if (r > 0 || r < SP_ERR_MAX || messages[-r] == NULL)
		return "unknown error";
	return messages[-r];
}

static int
errno_exit_status(int e)
{
	switch (e) {
	case ECONNREFUSED:
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
	case EHOSTDOWN:
	case EADDRNOTAVAIL:
	case EAFNOSUPPORT:
		return SP_EXIT_UNAVAILABLE;
	case ETIMEDOUT:
		return SP_EXIT_TEMPFAIL;
	case EACCES:
	case EPERM:
		return SP_EXIT_NOPERM;
	case ECONNRESET:
	case ECONNABORTED:
	case EPIPE:
		return SP_EXIT_FAIL;
	default:
		return SP_EXIT_OSERR;
	}
}

int
sp_err_exit_status(int r)
{
	if (r == SP_OK)
		return SP_EXIT_OK;
	if (SP_ERR_IS_ERRNO(r))
		return errno_exit_status(SP_ERR_TO_ERRNO(r));
	if (SP_ERR_IS_SOCKS5(r))
		return socks5_reply_exit(-r - SP_ERR_SOCKS5_BASE);
	if (SP_ERR_IS_SOCKS4(r))
		return -r - SP_ERR_SOCKS4_BASE == 0x5b ?
		    SP_EXIT_UNAVAILABLE : SP_EXIT_NOPERM;
	if (SP_ERR_IS_HTTP(r))
		return http_status_exit(-r - SP_ERR_HTTP_BASE);
	switch (r) {
	case SP_ERR_CAP_SYS_ADMIN:
	case SP_ERR_CAP_NET_ADMIN:
	case SP_ERR_CAP_NET_RAW:
	case SP_ERR_PROXY_AUTH:
	case SP_ERR_PROXY_AUTH_NEEDED:
	case SP_ERR_PROXY_DENIED:
	case SP_ERR_NO_PASSWORD:
		return SP_EXIT_NOPERM;
	case SP_ERR_PROXY_CLOSED:
	case SP_ERR_TLS:
	case SP_ERR_SOCKS_VERSION:
		return SP_EXIT_PROTOCOL;
	case SP_ERR_PROXY_URL:
	case SP_ERR_ONION_LOCAL:
	case SP_ERR_ONION_BAD:
		return SP_EXIT_DATAERR;
	case SP_ERR_PROXY_PASSWORD:
	case SP_ERR_HOP_ORDER:
		return SP_EXIT_USAGE;
	case SP_ERR_PASSWORD_PERMS:
	case SP_ERR_CONFIG:
		return SP_EXIT_CONFIG;
	case SP_ERR_POLICY:
		return SP_EXIT_NOPERM;
	case SP_ERR_CURL_LOAD:
		return SP_EXIT_OSERR;
	case SP_ERR_INVALID_ARG:
	case SP_ERR_NOT_UNIXSOCK:
		return SP_EXIT_USAGE;
	case SP_ERR_HOST_EMPTY:
	case SP_ERR_HOST_TOOLONG:
	case SP_ERR_HOST_BADCHAR:
	case SP_ERR_HOST_BRACKET:
	case SP_ERR_HOST_COLON:
	case SP_ERR_PORT_EMPTY:
	case SP_ERR_PORT_RANGE:
	case SP_ERR_PORT_UNKNOWN:
	case SP_ERR_USER_BAD:
	case SP_ERR_USER_EMPTY:
	case SP_ERR_CHAIN_PROXY:
	case SP_ERR_NOT_NUMERIC:
	case SP_ERR_SOURCE_BAD:
		return SP_EXIT_DATAERR;
	case SP_ERR_NOHOST:
	case SP_ERR_NOADDR_FAMILY:
		return SP_EXIT_NOHOST;
	case SP_ERR_SOURCE_FAMILY:
	case SP_ERR_NO_NETNS:
	case SP_ERR_NO_VRF:
	case SP_ERR_NO_DEVICE:
		return SP_EXIT_UNAVAILABLE;
	case SP_ERR_UNSUPPORTED:
		return SP_EXIT_USAGE;
	case SP_ERR_TIMEOUT:
	case SP_ERR_IDLE:
	case SP_ERR_RESOLVE_TEMP:
		return SP_EXIT_TEMPFAIL;
	case SP_ERR_PROTOCOL:
		return SP_EXIT_PROTOCOL;
	case SP_ERR_PEER_CLOSED:
		return SP_EXIT_FAIL;
	case SP_ERR_NOMEM:
	case SP_ERR_INTERNAL:
	default:
		return SP_EXIT_OSERR;
	}
}
