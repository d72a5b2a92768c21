/*
 * Error codes returned by every libproxy function.
 *
 * A call returns 0 on success or a negative SP_ERR_* code.  Errors that
 * come straight from the operating system carry their errno inside the
 * code (SP_ERR_ERRNO(e)), so no global state is needed to report them.
 * The library never exits and never prints; cmd/ maps codes to exit
 * statuses with sp_err_exit_status() and to words with sp_strerror().
 */
#ifndef SP_ERR_H
#define SP_ERR_H

#define SP_OK			0
#define SP_ERR_INTERNAL		-1	/* a bug: should not happen */
#define SP_ERR_NOMEM		-2	/* out of memory */
#define SP_ERR_INVALID_ARG	-3	/* bad argument to a library call */
#define SP_ERR_HOST_EMPTY	-4	/* empty host name */
#define SP_ERR_HOST_TOOLONG	-5	/* host name longer than 255 bytes */
#define SP_ERR_HOST_BADCHAR	-6	/* control character, space... */
#define SP_ERR_HOST_BRACKET	-7	/* unbalanced or misplaced [ ] */
#define SP_ERR_PORT_EMPTY	-8	/* "host:" */
#define SP_ERR_PORT_RANGE	-9	/* not within 1-65535 */
#define SP_ERR_PORT_UNKNOWN	-10	/* not a number nor a known service */
#define SP_ERR_USER_BAD		-11	/* bad or unexpected user name */
#define SP_ERR_NOT_NUMERIC	-12	/* a name where an address is needed */
#define SP_ERR_NOHOST		-13	/* name does not resolve */
#define SP_ERR_RESOLVE_TEMP	-14	/* resolver failed temporarily */
#define SP_ERR_NOADDR_FAMILY	-15	/* name has no address of that family */
#define SP_ERR_TIMEOUT		-16	/* connect timeout expired */
#define SP_ERR_IDLE		-17	/* idle timeout expired */
#define SP_ERR_NOT_UNIXSOCK	-18	/* fd passing needs a unix socket */
#define SP_ERR_PEER_CLOSED	-19	/* peer closed before finishing */
#define SP_ERR_PROTOCOL		-20	/* peer spoke nonsense */
#define SP_ERR_SOURCE_FAMILY	-21	/* source and target families differ */
#define SP_ERR_HOST_COLON	-22	/* stray ':' in a host */
#define SP_ERR_SOURCE_BAD	-23	/* -s is not a numeric address */
#define SP_ERR_PROXY_AUTH	-24	/* proxy rejected our credentials */
#define SP_ERR_PROXY_AUTH_NEEDED -25	/* proxy wants credentials we lack */
#define SP_ERR_PROXY_DENIED	-26	/* proxy's rules forbid it */
#define SP_ERR_PROXY_CLOSED	-27	/* proxy hung up mid-handshake */
#define SP_ERR_PROXY_URL	-28	/* malformed proxy URL */
#define SP_ERR_PROXY_PASSWORD	-29	/* a password on the command line */
#define SP_ERR_ONION_LOCAL	-30	/* .onion would be resolved here */
#define SP_ERR_ONION_BAD	-31	/* not a valid v3 onion address */
#define SP_ERR_CURL_LOAD	-32	/* libcurl could not be loaded */
#define SP_ERR_PASSWORD_PERMS	-33	/* password file readable by others */
#define SP_ERR_TLS		-34	/* TLS to the proxy failed */
#define SP_ERR_HOP_ORDER	-35	/* hops libcurl cannot chain */
#define SP_ERR_NO_PASSWORD	-36	/* no password could be obtained */
#define SP_ERR_SOCKS_VERSION	-37	/* reply from another SOCKS version */
#define SP_ERR_CAP_SYS_ADMIN	-38	/* setns needs CAP_SYS_ADMIN */
#define SP_ERR_CAP_NET_ADMIN	-39	/* SO_MARK needs CAP_NET_ADMIN */
#define SP_ERR_CAP_NET_RAW	-40	/* SO_BINDTODEVICE needs CAP_NET_RAW */
#define SP_ERR_NO_NETNS		-41	/* no such network namespace */
#define SP_ERR_NO_VRF		-42	/* no VRF device for that table */
#define SP_ERR_NO_DEVICE	-43	/* no such network device */
#define SP_ERR_UNSUPPORTED	-44	/* not on this operating system */
#define SP_ERR_USER_EMPTY	-45	/* "%host": nothing before the % */
#define SP_ERR_CHAIN_PROXY	-46	/* proxy element after an ssh hop */
#define SP_ERR_CONFIG		-47	/* bad configuration file */
#define SP_ERR_POLICY		-48	/* the configuration's policy refuses */
#define SP_ERR_CANCELLED	-49	/* another route won first */
#define SP_ERR_MAX		-49

/* Operating-system errors: errno values folded into the code space. */
#define SP_ERR_ERRNO_BASE	1000
#define SP_ERR_ERRNO(e)		(-(SP_ERR_ERRNO_BASE + (e)))
#define SP_ERR_IS_ERRNO(r)	((r) <= -SP_ERR_ERRNO_BASE && \
				    (r) > -SP_ERR_SOCKS5_BASE)
#define SP_ERR_TO_ERRNO(r)	(-(r) - SP_ERR_ERRNO_BASE)

/* Reply codes from proxies, folded in the same way. */
#define SP_ERR_SOCKS5_BASE	2000	/* SOCKS5 REP 0x01-0xff */
#define SP_ERR_SOCKS5(rep)	(-(SP_ERR_SOCKS5_BASE + (rep)))
#define SP_ERR_IS_SOCKS5(r)	((r) <= -SP_ERR_SOCKS5_BASE && \
				    (r) > -(SP_ERR_SOCKS5_BASE + 256))
#define SP_ERR_SOCKS4_BASE	2300	/* SOCKS4 CD 0x5b-0x5d */
#define SP_ERR_SOCKS4(cd)	(-(SP_ERR_SOCKS4_BASE + (cd)))
#define SP_ERR_IS_SOCKS4(r)	((r) <= -SP_ERR_SOCKS4_BASE && \
				    (r) > -(SP_ERR_SOCKS4_BASE + 256))
#define SP_ERR_HTTP_BASE	3000	/* HTTP status of a failed CONNECT */
#define SP_ERR_HTTP(st)		(-(SP_ERR_HTTP_BASE + (st)))
#define SP_ERR_IS_HTTP(r)	((r) <= -SP_ERR_HTTP_BASE && \
				    (r) > -(SP_ERR_HTTP_BASE + 1000))

/* Exit statuses (sysexits.h), the same in every program: DESIGN.md. */
#define SP_EXIT_OK		0
#define SP_EXIT_FAIL		1	/* -z: unreachable; tunnel broke */
#define SP_EXIT_USAGE		64
#define SP_EXIT_DATAERR		65
#define SP_EXIT_NOHOST		68
#define SP_EXIT_UNAVAILABLE	69
#define SP_EXIT_OSERR		71
#define SP_EXIT_TEMPFAIL	75
#define SP_EXIT_PROTOCOL	76
#define SP_EXIT_NOPERM		77
#define SP_EXIT_CONFIG		78

const char	*sp_strerror(int);
int		 sp_err_exit_status(int);

#endif /* SP_ERR_H */
