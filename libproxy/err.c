#include "config.h"

#include <errno.h>
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
	    "host name contains a space or control character",
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
};

const char *
sp_strerror(int r)
{
	if (SP_ERR_IS_ERRNO(r))
		return strerror(SP_ERR_TO_ERRNO(r));
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
	switch (r) {
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
	case SP_ERR_NOT_NUMERIC:
	case SP_ERR_SOURCE_BAD:
		return SP_EXIT_DATAERR;
	case SP_ERR_NOHOST:
	case SP_ERR_NOADDR_FAMILY:
		return SP_EXIT_NOHOST;
	case SP_ERR_SOURCE_FAMILY:
		return SP_EXIT_UNAVAILABLE;
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
