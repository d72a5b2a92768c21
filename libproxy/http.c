/*
 * HTTP and HTTPS CONNECT tunnels through libcurl.
 *
 * libcurl is not linked: it is dlopen()ed the first time an HTTP(S) hop
 * is used, so the direct and SOCKS paths never load it (DESIGN.md,
 * Dependencies).  <curl/curl.h> is included for its types and constants
 * only; every call goes through the table "api" filled by dlsym().
 *
 * libcurl dials the proxy (and the SOCKS pre-proxy, if any), sends the
 * CONNECT and stops once the tunnel is up (CURLOPT_CONNECT_ONLY).  For
 * an http:// proxy we then take a duplicate of its socket and let the
 * handle go: the relay splices the plain socket.  For an https:// proxy
 * the socket carries TLS that only libcurl can speak, so the handle
 * stays and the connection's ops go through curl_easy_recv/send.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "err.h"
#include "http.h"
#include "log.h"
#include "onion.h"
#include "util.h"

#define DRAIN_CHUNK	16384		/* bytes per read while draining */
#define DRAIN_MAX	(256 * 1024)	/* most bytes taken before the relay */
#define TRACE_LINE	512		/* longest curl -vvv line we log */

/* The libcurl functions we use, resolved with dlsym(). */
struct curl_api {
	CURLcode	 (*global_init)(long);
	CURL		*(*easy_init)(void);
	CURLcode	 (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	 (*easy_perform)(CURL *);
	CURLcode	 (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode	 (*easy_recv)(CURL *, void *, size_t, size_t *);
	CURLcode	 (*easy_send)(CURL *, const void *, size_t, size_t *);
	void		 (*easy_cleanup)(CURL *);
	const char	*(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *,
			    const char *);
	void		 (*slist_free_all)(struct curl_slist *);
	curl_version_info_data *(*version_info)(CURLversion);
};

static const struct {
	const char	*name;
	size_t		 off;
} api_syms[] = {
	{ "curl_global_init", offsetof(struct curl_api, global_init) },
	{ "curl_easy_init", offsetof(struct curl_api, easy_init) },
	{ "curl_easy_setopt", offsetof(struct curl_api, easy_setopt) },
	{ "curl_easy_perform", offsetof(struct curl_api, easy_perform) },
	{ "curl_easy_getinfo", offsetof(struct curl_api, easy_getinfo) },
	{ "curl_easy_recv", offsetof(struct curl_api, easy_recv) },
	{ "curl_easy_send", offsetof(struct curl_api, easy_send) },
	{ "curl_easy_cleanup", offsetof(struct curl_api, easy_cleanup) },
	{ "curl_easy_strerror", offsetof(struct curl_api, easy_strerror) },
	{ "curl_slist_append", offsetof(struct curl_api, slist_append) },
	{ "curl_slist_free_all", offsetof(struct curl_api, slist_free_all) },
	{ "curl_version_info", offsetof(struct curl_api, version_info) },
};

static struct curl_api		 api;
static const curl_version_info_data *curl_info;
static int			 api_state;	/* 0 untried, 1 ok, -1 failed */

static ssize_t	tls_read(struct sp_conn *, void *, size_t);
static ssize_t	tls_write(struct sp_conn *, const void *, size_t);
static int	tls_shutdown_wr(struct sp_conn *);
static void	tls_close(struct sp_conn *);

static const struct sp_conn_ops tls_ops = {
	.read = tls_read,
	.write = tls_write,
	.shutdown_wr = tls_shutdown_wr,
	.close = tls_close,
};

/*
 * Load libcurl once.  The handle is never closed: libcurl and its TLS
 * library do not expect to be unloaded, and the process is short-lived.
 */
static int
curl_load(void)
{
	void *dl, *p;
	const char *e;
	size_t i;
	CURLcode rc;

	if (api_state != 0)
		return api_state == 1 ? SP_OK : SP_ERR_CURL_LOAD;
	api_state = -1;
	if ((dl = dlopen(SP_CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		sp_debug("dlopen %s: %s", SP_CURL_SONAME,
		    e != NULL ? e : "unknown error");
		return SP_ERR_CURL_LOAD;
	}
	for (i = 0; i < sizeof(api_syms) / sizeof(api_syms[0]); i++) {
		(void)dlerror();
		if ((p = dlsym(dl, api_syms[i].name)) == NULL) {
			e = dlerror();
			sp_debug("%s: %s", SP_CURL_SONAME,
			    e != NULL ? e : api_syms[i].name);
			return SP_ERR_CURL_LOAD;
		}
		/* POSIX: a function's address fits in a void *. */
		memcpy((char *)&api + api_syms[i].off, &p, sizeof(p));
	}
	if ((rc = api.global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		sp_debug("curl_global_init: %s", api.easy_strerror(rc));
		return SP_ERR_CURL_LOAD;
	}
	curl_info = api.version_info(CURLVERSION_NOW);
	if (curl_info == NULL) {
		sp_debug("curl_version_info failed");
		return SP_ERR_CURL_LOAD;
	}
	sp_debug("loaded %s: libcurl %s, %s", SP_CURL_SONAME,
	    curl_info->version, curl_info->ssl_version != NULL ?
	    curl_info->ssl_version : "no TLS");
	/* PRE_PROXY, PROXY_CAINFO and https:// proxies came in 7.52.0. */
	if (curl_info->version_num < 0x073400) {
		sp_error("%s is libcurl %s; 7.52.0 or later is needed",
		    SP_CURL_SONAME, curl_info->version);
		return SP_ERR_CURL_LOAD;
	}
	api_state = 1;
	return SP_OK;
}

/* ASCII only, whatever the locale. */
static int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * Percent-encode what is not an RFC 3986 unreserved character (and not
 * in "keep"), for user names, passwords and socket paths in URLs.
 * "out" has room for three bytes per input byte, and the NUL.
 */
static void
pct_encode(const char *s, const char *keep, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (is_alnum(c) || strchr("-._~", c) != NULL ||
		    (keep != NULL && strchr(keep, c) != NULL)) {
			*out++ = (char)c;
			continue;
		}
		*out++ = '%';
		*out++ = hex[c >> 4];
		*out++ = hex[c & 0xf];
	}
	*out = '\0';
}

/*
 * A host as it goes into a URL: a name, or an IPv6 literal in brackets
 * (with a zone's '%' encoded if zone_ok).  Characters that mean
 * something in a URL ('#', '?', '%', '\\', ...) are refused: otherwise
 * libcurl would CONNECT to, or dial, some other host than the one named.
 */
static int
url_host(const char *host, int zone_ok, char *buf, size_t len)
{
	const unsigned char *p;
	size_t n = 0;
	int v6 = strchr(host, ':') != NULL;

	if (*host == '\0')
		return SP_ERR_HOST_EMPTY;
	/* 3 bytes per character at most, brackets and NUL. */
	if (len < strlen(host) * 3 + 3)
		return SP_ERR_HOST_TOOLONG;
	if (v6)
		buf[n++] = '[';
	for (p = (const unsigned char *)host; *p != '\0'; p++) {
		if (v6 && *p == '%' && zone_ok) {
			memcpy(buf + n, "%25", 3);
			n += 3;
			continue;
		}
		if (is_alnum(*p) || *p == '.' || *p == '-' || *p == '_' ||
		    (v6 && *p == ':') || (!v6 && *p >= 0x80))
			buf[n++] = (char)*p;
		else
			return SP_ERR_HOST_BADCHAR;
	}
	if (v6)
		buf[n++] = ']';
	buf[n] = '\0';
	return SP_OK;
}

static const char *
socks_scheme(enum sp_proxy_type t)
{
	switch (t) {
	case SP_PROXY_SOCKS4:
		return "socks4";
	case SP_PROXY_SOCKS4A:
		return "socks4a";
	case SP_PROXY_SOCKS5:
		return "socks5";
	case SP_PROXY_SOCKS5H:
		return "socks5h";
	default:
		return NULL;
	}
}

/*
 * The pre-proxy URL: "socks5h://user:password@host:port" or, for a unix
 * socket, "socks5h://user:password@localhost/abs/path.sock".  It holds
 * the password: the caller wipes it (explicit_bzero) and frees it.
 */
static int
pre_proxy_url(const struct sp_proxy *pre, const struct sp_proxy *hop,
    char **out)
{
	const char *scheme = socks_scheme(pre->type);
	char host[SP_HOST_MAX * 3 + 3], *url, *p;
	size_t len;
	int r;

	*out = NULL;
	if (scheme == NULL)
		return SP_ERR_HOP_ORDER;
	/* socks4 and socks5 make libcurl resolve the HTTP proxy here. */
	if (!sp_proxy_resolves_remotely(pre->type) && sp_is_onion(hop->host))
		return SP_ERR_ONION_LOCAL;
	if (pre->path[0] == '\0' &&
	    (r = url_host(pre->host, 1, host, sizeof(host))) != SP_OK)
		return r;
	len = strlen(scheme) + 3 + strlen(pre->user) * 3 + 1 +
	    (pre->password != NULL ? strlen(pre->password) * 3 : 0) + 1 +
	    (pre->path[0] != '\0' ? 9 + strlen(pre->path) * 3 :
	    strlen(host) + 6) + 1;
	if ((url = malloc(len)) == NULL)
		return SP_ERR_NOMEM;
	p = url + snprintf(url, len, "%s://", scheme);
	if (pre->user[0] != '\0') {
		pct_encode(pre->user, NULL, p);
		p += strlen(p);
		if (pre->password != NULL) {
			*p++ = ':';
			pct_encode(pre->password, NULL, p);
			p += strlen(p);
		}
		*p++ = '@';
	}
	if (pre->path[0] != '\0') {
		memcpy(p, "localhost", 9);
		pct_encode(pre->path, "/", p + 9);
	} else
		snprintf(p, len - (size_t)(p - url), "%s:%u", host, pre->port);
	*out = url;
	return SP_OK;
}

static void
url_free(char *url)
{
	if (url != NULL) {
		explicit_bzero(url, strlen(url));
		free(url);
	}
}

/*
 * -vvv: libcurl's own account of the connection and the CONNECT
 * headers, one log line per line, credentials blanked out.
 */
static void
trace_line(const char *prefix, const char *s, size_t n, int out)
{
	static const char *const secret[] = {
		"proxy-authorization:", "authorization:"
	};
	/* Room for the marker after the longest line we keep. */
	char line[TRACE_LINE + sizeof(" [redacted]")];
	size_t i, k, v, e;

	if (n >= TRACE_LINE)
		n = TRACE_LINE - 1;
	memcpy(line, s, n);
	line[n] = '\0';
	for (i = 0; out && i < sizeof(secret) / sizeof(secret[0]); i++) {
		k = strlen(secret[i]);
		if (strncasecmp(line, secret[i], k) != 0)
			continue;
		/*
		 * Keep the scheme ("Basic") if something follows it, blank
		 * the rest.  A lone word may be the credential itself, even
		 * with spaces after it.
		 */
		while (line[k] == ' ')
			k++;
		for (v = k; line[v] != '\0' && line[v] != ' '; v++)
			;
		for (e = v; line[e] == ' '; e++)
			;
		if (line[e] == '\0')
			v = k;
		explicit_bzero(line + v, n - v);
		snprintf(line + v, sizeof(line) - v, "%s[redacted]",
		    v > k ? " " : "");
		break;
	}
	sp_trace("curl: %s%s", prefix, line);
	explicit_bzero(line, sizeof(line));
}

static int
curl_trace(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	const char *prefix;
	size_t i, start, n;

	switch (type) {
	case CURLINFO_TEXT:
		prefix = "* ";
		break;
	case CURLINFO_HEADER_IN:
		prefix = "< ";
		break;
	case CURLINFO_HEADER_OUT:
		prefix = "> ";
		break;
	default:
		return 0;
	}
	for (start = 0; start < size; start = i + 1) {
		for (i = start; i < size && data[i] != '\n'; i++)
			;
		n = i - start;
		if (n > 0 && data[start + n - 1] == '\r')
			n--;
		if (n > 0)
			trace_line(prefix, data + start, n,
			    type == CURLINFO_HEADER_OUT);
	}
	return 0;
}

/*
 * libcurl 7.88 reports a socket(2) that failed (out of descriptors) as
 * "couldn't connect" with no errno, which would read as "refused": make
 * the sockets ourselves and remember why one could not be made.
 */
static int open_errno;

static curl_socket_t
curl_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	int fd;

	(void)arg;
	(void)purpose;
	if ((fd = socket(a->family, a->socktype, a->protocol)) == -1)
		open_errno = errno;
	else
		(void)sp_set_cloexec(fd);
	return fd == -1 ? CURL_SOCKET_BAD : (curl_socket_t)fd;
}

/* Nothing libcurl receives may reach stdout: stdout is the ssh stream. */
static size_t
curl_discard(char *p, size_t size, size_t nmemb, void *arg)
{
	return size * nmemb;
}

static int
setopt_fail(const char *name, CURLcode rc)
{
	if (rc == CURLE_OUT_OF_MEMORY)
		return SP_ERR_NOMEM;
	sp_error("%s (libcurl %s): %s: %s", SP_CURL_SONAME,
	    curl_info->version, name, api.easy_strerror(rc));
	return SP_ERR_CURL_LOAD;
}

static int
set_long(CURL *h, CURLoption opt, const char *name, long v)
{
	CURLcode rc;

	if ((rc = api.easy_setopt(h, opt, v)) != CURLE_OK)
		return setopt_fail(name, rc);
	return SP_OK;
}

static int
set_ptr(CURL *h, CURLoption opt, const char *name, const void *v)
{
	CURLcode rc;

	if ((rc = api.easy_setopt(h, opt, v)) != CURLE_OK)
		return setopt_fail(name, rc);
	return SP_OK;
}

#define SET_LONG(h, opt, v)	set_long((h), (opt), #opt, (long)(v))
#define SET_PTR(h, opt, v)	set_ptr((h), (opt), #opt, (v))

/* Our SP_HTTP_AUTH_* mask as libcurl's, less what this libcurl lacks. */
static int
auth_mask(unsigned int want, long *mask)
{
	static const struct {
		unsigned int	 sp;
		unsigned long	 curl;
		int		 feature;
		const char	*name;
	} schemes[] = {
		{ SP_HTTP_AUTH_BASIC, CURLAUTH_BASIC, 0, "Basic" },
		{ SP_HTTP_AUTH_DIGEST, CURLAUTH_DIGEST, 0, "Digest" },
		{ SP_HTTP_AUTH_NTLM, CURLAUTH_NTLM, CURL_VERSION_NTLM,
		    "NTLM" },
		{ SP_HTTP_AUTH_NEGOTIATE, CURLAUTH_NEGOTIATE,
		    CURL_VERSION_SPNEGO, "Negotiate (GSS-API)" },
	};
	unsigned long m = 0;
	size_t i;

	if (want == 0) {
		*mask = (long)CURLAUTH_ANY;
		return SP_OK;
	}
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (!(want & schemes[i].sp))
			continue;
		if (schemes[i].feature != 0 &&
		    !(curl_info->features & schemes[i].feature)) {
			sp_info("%s (libcurl %s) cannot do %s proxy "
			    "authentication", SP_CURL_SONAME,
			    curl_info->version, schemes[i].name);
			continue;
		}
		m |= schemes[i].curl;
	}
	if (m == 0) {
		sp_error("%s (libcurl %s) supports none of the proxy "
		    "authentication schemes asked for", SP_CURL_SONAME,
		    curl_info->version);
		return SP_ERR_CURL_LOAD;
	}
	*mask = (long)m;
	return SP_OK;
}

/* Everything libcurl needs to know, set on a fresh handle. */
static int
setup(CURL *h, const struct sp_proxy *hop, const struct sp_proxy *pre,
    const char *pre_url, const char *host, uint16_t port,
    const struct sp_http_opts *opts, int64_t deadline,
    struct curl_slist *headers, char *errbuf)
{
	char url[SP_HOST_MAX * 3 + 32], phost[SP_HOST_MAX * 3 + 3];
	char purl[sizeof(phost) + 32];
	int https = hop->type == SP_PROXY_HTTPS;
	int64_t left;
	CURLcode rc;
	long auth;
	int r;

	if ((r = url_host(host, 0, phost, sizeof(phost))) != SP_OK) {
		sp_debug("%s: not usable as a CONNECT target", host);
		return r;
	}
	snprintf(url, sizeof(url), "http://%s:%u", phost, port);
	if ((r = url_host(hop->host, 1, phost, sizeof(phost))) != SP_OK) {
		sp_debug("%s: not usable as a proxy host", hop->host);
		return r;
	}
	snprintf(purl, sizeof(purl), "%s://%s:%u", https ? "https" : "http",
	    phost, hop->port);
	if (https && !(curl_info->features & CURL_VERSION_HTTPS_PROXY)) {
		sp_error("%s (libcurl %s, %s) cannot use https:// proxies",
		    SP_CURL_SONAME, curl_info->version,
		    curl_info->ssl_version != NULL ? curl_info->ssl_version :
		    "no TLS");
		return SP_ERR_CURL_LOAD;
	}

	if ((r = SET_PTR(h, CURLOPT_ERRORBUFFER, errbuf)) != SP_OK ||
	    (r = SET_LONG(h, CURLOPT_NOSIGNAL, 1)) != SP_OK ||
	    (r = SET_PTR(h, CURLOPT_URL, url)) != SP_OK ||
	    (r = SET_LONG(h, CURLOPT_CONNECT_ONLY, 1)) != SP_OK ||
	    (r = SET_LONG(h, CURLOPT_HTTPPROXYTUNNEL, 1)) != SP_OK ||
	    (r = SET_PTR(h, CURLOPT_PROXY, purl)) != SP_OK ||
	    (r = SET_LONG(h, CURLOPT_PROXYTYPE, https ? CURLPROXY_HTTPS :
	    CURLPROXY_HTTP)) != SP_OK ||
	    (r = SET_PTR(h, CURLOPT_NOPROXY, "")) != SP_OK ||
	    (r = SET_LONG(h, CURLOPT_TCP_NODELAY, 1)) != SP_OK ||
	    (r = SET_LONG(h, CURLOPT_TCP_KEEPALIVE, 1)) != SP_OK ||
	    (r = SET_PTR(h, CURLOPT_USERAGENT,
	    PACKAGE_NAME "/" PACKAGE_VERSION)) != SP_OK)
		return r;
	if ((rc = api.easy_setopt(h, CURLOPT_WRITEFUNCTION, curl_discard)) !=
	    CURLE_OK)
		return setopt_fail("CURLOPT_WRITEFUNCTION", rc);
	if ((rc = api.easy_setopt(h, CURLOPT_HEADERFUNCTION, curl_discard)) !=
	    CURLE_OK)
		return setopt_fail("CURLOPT_HEADERFUNCTION", rc);
	if ((rc = api.easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION,
	    curl_open_socket)) != CURLE_OK)
		return setopt_fail("CURLOPT_OPENSOCKETFUNCTION", rc);
	if (sp_log_enabled(SP_LOG_TRACE)) {
		if ((rc = api.easy_setopt(h, CURLOPT_DEBUGFUNCTION,
		    curl_trace)) != CURLE_OK)
			return setopt_fail("CURLOPT_DEBUGFUNCTION", rc);
		if ((r = SET_LONG(h, CURLOPT_VERBOSE, 1)) != SP_OK)
			return r;
	}
	if (pre_url != NULL && (r = SET_PTR(h, CURLOPT_PRE_PROXY, pre_url)) !=
	    SP_OK)
		return r;

	if (pre != NULL && pre->user[0] != '\0') {
		/*
		 * libcurl (7.88 and later alike) copies the credentials of
		 * a SOCKS pre-proxy URL over CURLOPT_PROXYUSERNAME and
		 * PROXYPASSWORD and sends them, unasked, to the HTTP proxy
		 * as Basic.  Stop libcurl from authenticating to the HTTP
		 * proxy at all; sp_http_connect() adds our own Basic header
		 * when the HTTP proxy has credentials of its own.
		 */
		if ((r = SET_LONG(h, CURLOPT_PROXYAUTH, CURLAUTH_NONE)) !=
		    SP_OK)
			return r;
	} else if (hop->user[0] != '\0') {
		if ((r = auth_mask(opts != NULL ? opts->auth : 0, &auth)) !=
		    SP_OK ||
		    (r = SET_PTR(h, CURLOPT_PROXYUSERNAME, hop->user)) !=
		    SP_OK ||
		    (r = SET_PTR(h, CURLOPT_PROXYPASSWORD,
		    hop->password != NULL ? hop->password : "")) != SP_OK ||
		    (r = SET_LONG(h, CURLOPT_PROXYAUTH, auth)) != SP_OK)
			return r;
	}
	if (headers != NULL &&
	    ((r = SET_PTR(h, CURLOPT_PROXYHEADER, headers)) != SP_OK ||
	    (r = SET_LONG(h, CURLOPT_HEADEROPT, CURLHEADER_SEPARATE)) !=
	    SP_OK))
		return r;
	if (https && opts != NULL) {
		if (opts->cacert != NULL &&
		    (r = SET_PTR(h, CURLOPT_PROXY_CAINFO, opts->cacert)) !=
		    SP_OK)
			return r;
		if (opts->insecure &&
		    ((r = SET_LONG(h, CURLOPT_PROXY_SSL_VERIFYPEER, 0)) !=
		    SP_OK ||
		    (r = SET_LONG(h, CURLOPT_PROXY_SSL_VERIFYHOST, 0)) !=
		    SP_OK))
			return r;
	}
	if (deadline != 0) {
		if ((left = deadline - sp_clock_ms()) <= 0)
			return SP_ERR_TIMEOUT;
		/* The whole of it: TCP, SOCKS, TLS and the CONNECT reply. */
		if ((r = SET_LONG(h, CURLOPT_CONNECTTIMEOUT_MS, left)) !=
		    SP_OK ||
		    (r = SET_LONG(h, CURLOPT_TIMEOUT_MS, left)) != SP_OK)
			return r;
	}
	return SP_OK;
}

static void
base64(const unsigned char *in, size_t len, char *out)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long v;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = b64[(v >> 6) & 63];
		*out++ = b64[v & 63];
	}
	if (i < len) {
		v = (unsigned long)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned long)in[i + 1] << 8;
		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

/*
 * Both the SOCKS pre-proxy and the HTTP proxy want credentials, and
 * libcurl cannot keep them apart (see setup()): authenticate to the HTTP
 * proxy ourselves, with Basic, if Basic is allowed.
 */
static int
basic_header(const struct sp_proxy *hop, const struct sp_http_opts *opts,
    struct curl_slist **headers)
{
	static const char name[] = "Proxy-Authorization: Basic ";
	const char *pw = hop->password != NULL ? hop->password : "";
	struct curl_slist *l;
	char *plain, *hdr;
	size_t ulen = strlen(hop->user), plen = strlen(pw), n;

	if (opts != NULL && opts->auth != 0 &&
	    !(opts->auth & SP_HTTP_AUTH_BASIC)) {
		sp_error("libcurl cannot authenticate to a SOCKS proxy and an "
		    "HTTP proxy at once except with Basic for the HTTP proxy");
		return SP_ERR_INVALID_ARG;
	}
	sp_debug("SOCKS and HTTP proxy credentials: Basic for the HTTP proxy");
	n = ulen + 1 + plen;
	if ((plain = malloc(n + 1)) == NULL)
		return SP_ERR_NOMEM;
	if ((hdr = malloc(sizeof(name) + (n + 2) / 3 * 4)) == NULL) {
		free(plain);
		return SP_ERR_NOMEM;
	}
	memcpy(plain, hop->user, ulen);
	plain[ulen] = ':';
	memcpy(plain + ulen + 1, pw, plen + 1);
	memcpy(hdr, name, sizeof(name) - 1);
	base64((unsigned char *)plain, n, hdr + sizeof(name) - 1);
	explicit_bzero(plain, n);
	free(plain);
	l = api.slist_append(*headers, hdr);
	explicit_bzero(hdr, strlen(hdr));
	free(hdr);
	if (l == NULL)
		return SP_ERR_NOMEM;
	*headers = l;
	return SP_OK;
}

#if LIBCURL_VERSION_NUM >= 0x074900
/* A SOCKS pre-proxy failed: libcurl 7.73+ says how. */
static int
map_socks_error(CURL *h, const struct sp_proxy *pre)
{
	long px = 0;

	if (api.easy_getinfo(h, CURLINFO_PROXY_ERROR, &px) != CURLE_OK)
		return SP_ERR_PROTOCOL;
	sp_debug("libcurl: SOCKS pre-proxy error %ld", px);
	switch (px) {
	case CURLPX_REPLY_GENERAL_SERVER_FAILURE:
		return SP_ERR_SOCKS5(0x01);
	case CURLPX_REPLY_NOT_ALLOWED:
		return SP_ERR_SOCKS5(0x02);
	case CURLPX_REPLY_NETWORK_UNREACHABLE:
		return SP_ERR_SOCKS5(0x03);
	case CURLPX_REPLY_HOST_UNREACHABLE:
		return SP_ERR_SOCKS5(0x04);
	case CURLPX_REPLY_CONNECTION_REFUSED:
		return SP_ERR_SOCKS5(0x05);
	case CURLPX_REPLY_TTL_EXPIRED:
		return SP_ERR_SOCKS5(0x06);
	case CURLPX_REPLY_COMMAND_NOT_SUPPORTED:
		return SP_ERR_SOCKS5(0x07);
	case CURLPX_REPLY_ADDRESS_TYPE_NOT_SUPPORTED:
		return SP_ERR_SOCKS5(0x08);
	case CURLPX_REPLY_UNASSIGNED:
		/* libcurl folds Tor's 0xF0-0xF7 in here; the code is lost. */
		return SP_ERR_SOCKS5(0x09);
	case CURLPX_REQUEST_FAILED:
		return SP_ERR_SOCKS4(0x5b);
	case CURLPX_IDENTD:
		return SP_ERR_SOCKS4(0x5c);
	case CURLPX_IDENTD_DIFFER:
		return SP_ERR_SOCKS4(0x5d);
	case CURLPX_NO_AUTH:
		return pre->user[0] != '\0' ? SP_ERR_PROXY_DENIED :
		    SP_ERR_PROXY_AUTH_NEEDED;
	case CURLPX_USER_REJECTED:
	case CURLPX_GSSAPI:
	case CURLPX_GSSAPI_PERMSG:
	case CURLPX_GSSAPI_PROTECTION:
		return SP_ERR_PROXY_AUTH;
	case CURLPX_BAD_VERSION:
		return SP_ERR_SOCKS_VERSION;
	case CURLPX_RESOLVE_HOST:
		return SP_ERR_NOHOST;
	case CURLPX_LONG_HOSTNAME:
		return SP_ERR_HOST_TOOLONG;
	case CURLPX_LONG_USER:
		return SP_ERR_USER_BAD;
	case CURLPX_LONG_PASSWD:
		return SP_ERR_INVALID_ARG;
	case CURLPX_CLOSED:
	case CURLPX_RECV_ADDRESS:
	case CURLPX_RECV_AUTH:
	case CURLPX_RECV_CONNECT:
	case CURLPX_RECV_REQACK:
	case CURLPX_SEND_AUTH:
	case CURLPX_SEND_CONNECT:
	case CURLPX_SEND_REQUEST:
		return SP_ERR_PROXY_CLOSED;
	default:
		return SP_ERR_PROTOCOL;
	}
}
#endif

/* Why curl_easy_perform() failed, as one of our codes. */
static int
map_error(CURL *h, CURLcode rc, const struct sp_proxy *hop,
    const struct sp_proxy *pre, const char *errbuf)
{
	long status = 0, oserr = 0, hsize = 0;

	sp_debug("libcurl: %s (%d)", api.easy_strerror(rc), (int)rc);
	if (errbuf[0] != '\0')
		sp_info("libcurl: %s", errbuf);

	/* The proxy answered the CONNECT, but not with 2xx. */
	if (api.easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &status) !=
	    CURLE_OK)
		status = 0;
	if (status != 0 && (status < 200 || status > 299)) {
		if (status == 407 || status == 401)
			return hop->user[0] != '\0' ? SP_ERR_PROXY_AUTH :
			    SP_ERR_PROXY_AUTH_NEEDED;
		if (status < 100 || status > 999)
			return SP_ERR_PROTOCOL;
		return SP_ERR_HTTP((int)status);
	}

	switch (rc) {
	case CURLE_OUT_OF_MEMORY:
		return SP_ERR_NOMEM;
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
		return SP_ERR_NOHOST;
	case CURLE_OPERATION_TIMEDOUT:
		return SP_ERR_TIMEOUT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_INTERFACE_FAILED:
		if (api.easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr) !=
		    CURLE_OK || oserr <= 0)
			oserr = open_errno != 0 ? open_errno : ECONNREFUSED;
		return SP_ERR_ERRNO((int)oserr);
	case CURLE_RECV_ERROR:
		/*
		 * libcurl says "CONNECT tunnel failed, response 0" both when
		 * the proxy hung up mid-reply and when its reply was not
		 * HTTP at all.  Only the second counts header bytes.
		 */
		if (api.easy_getinfo(h, CURLINFO_HEADER_SIZE, &hsize) ==
		    CURLE_OK && hsize > 0) {
			sp_debug("libcurl: %ld header bytes, no HTTP status",
			    hsize);
			return SP_ERR_PROTOCOL;
		}
		return SP_ERR_PROXY_CLOSED;
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
		return SP_ERR_PROXY_CLOSED;
	case CURLE_WEIRD_SERVER_REPLY:
		return SP_ERR_PROTOCOL;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
#if LIBCURL_VERSION_NUM >= 0x074d00
	case CURLE_SSL_CLIENTCERT:
#endif
		return SP_ERR_TLS;
	case CURLE_LOGIN_DENIED:
	case CURLE_AUTH_ERROR:
		return SP_ERR_PROXY_AUTH;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_NOT_BUILT_IN:
	case CURLE_FAILED_INIT:
		sp_error("%s (libcurl %s): %s", SP_CURL_SONAME,
		    curl_info->version, errbuf[0] != '\0' ? errbuf :
		    api.easy_strerror(rc));
		return SP_ERR_CURL_LOAD;
	case CURLE_URL_MALFORMAT:
		return SP_ERR_PROXY_URL;
#if LIBCURL_VERSION_NUM >= 0x074900
	case CURLE_PROXY:
		if (pre != NULL)
			return map_socks_error(h, pre);
		return SP_ERR_PROTOCOL;
#endif
	default:
		return SP_ERR_PROTOCOL;
	}
}

/*
 * Take what libcurl can give us now without waiting: whatever the
 * proxy sent after its reply (in the same packet, or in the same TLS
 * record, where poll(2) on the socket could not see it).  It goes to
 * the relay first, as c->pending.  EOF or an error is left for the
 * relay to find again.
 */
static int
drain(CURL *h, struct sp_conn *c)
{
	unsigned char *buf = NULL, *nbuf;
	size_t len = 0, n;
	CURLcode rc;

	while (len < DRAIN_MAX) {
		if ((nbuf = realloc(buf, len + DRAIN_CHUNK)) == NULL) {
			free(buf);
			return SP_ERR_NOMEM;
		}
		buf = nbuf;
		n = 0;
		rc = api.easy_recv(h, buf + len, DRAIN_CHUNK, &n);
		if (rc != CURLE_OK || n == 0) {
			if (rc != CURLE_OK && rc != CURLE_AGAIN)
				sp_debug("libcurl: after CONNECT: %s",
				    api.easy_strerror(rc));
			break;
		}
		len += n;
	}
	if (len == 0) {
		free(buf);
		return SP_OK;
	}
	sp_debug("%zu byte%s after the CONNECT reply", len,
	    len == 1 ? "" : "s");
	c->pending = buf;
	c->npending = len;
	return SP_OK;
}

int
sp_http_connect(const struct sp_proxy *hop, const struct sp_proxy *pre,
    const char *host, uint16_t port, const struct sp_http_opts *opts,
    int64_t deadline, struct sp_conn *out)
{
	struct curl_slist *headers = NULL, *l;
	char errbuf[CURL_ERROR_SIZE], *pre_url = NULL;
	curl_socket_t s = CURL_SOCKET_BAD;
	CURL *h = NULL;
	CURLcode rc;
	long status = 0;
	int r, fd = -1, i;

	sp_conn_init(out, -1);
	if (hop == NULL || host == NULL || port == 0 ||
	    (hop->type != SP_PROXY_HTTP && hop->type != SP_PROXY_HTTPS))
		return SP_ERR_INVALID_ARG;
	if (hop->path[0] != '\0')
		return SP_ERR_HOP_ORDER;
	if ((r = curl_load()) != SP_OK)
		return r;
	if (pre != NULL && (r = pre_proxy_url(pre, hop, &pre_url)) != SP_OK)
		return r;
	for (i = 0; opts != NULL && i < opts->nheaders; i++) {
		if ((l = api.slist_append(headers, opts->headers[i])) ==
		    NULL) {
			r = SP_ERR_NOMEM;
			goto out;
		}
		headers = l;
	}
	if (pre != NULL && pre->user[0] != '\0' && hop->user[0] != '\0' &&
	    (r = basic_header(hop, opts, &headers)) != SP_OK)
		goto out;
	if ((h = api.easy_init()) == NULL) {
		r = SP_ERR_NOMEM;
		goto out;
	}
	errbuf[0] = '\0';
	if ((r = setup(h, hop, pre, pre_url, host, port, opts, deadline,
	    headers, errbuf)) != SP_OK)
		goto out;

	sp_debug("libcurl: CONNECT %s port %u%s", host, port,
	    pre != NULL ? ", through the SOCKS proxy first" : "");
	open_errno = 0;
	rc = api.easy_perform(h);
	/* libcurl keeps these pointers; they must not outlive us. */
	(void)api.easy_setopt(h, CURLOPT_PROXYHEADER, NULL);
	(void)api.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	(void)api.easy_setopt(h, CURLOPT_VERBOSE, 0L);
	if (rc != CURLE_OK) {
		r = map_error(h, rc, hop, pre, errbuf);
		goto out;
	}
	if (api.easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &status) ==
	    CURLE_OK)
		sp_debug("proxy answered %ld", status);
	if (api.easy_getinfo(h, CURLINFO_ACTIVESOCKET, &s) != CURLE_OK ||
	    s == CURL_SOCKET_BAD) {
		sp_debug("libcurl: no socket after CONNECT");
		r = SP_ERR_INTERNAL;
		goto out;
	}

	if (hop->type == SP_PROXY_HTTPS) {
		/* libcurl owns the socket; we only poll it. */
		(void)sp_set_cloexec(s);
		out->fd = s;
		out->ops = &tls_ops;
		out->ctx = h;
		h = NULL;	/* out owns it now */
		if ((r = drain(out->ctx, out)) != SP_OK)
			sp_conn_close(out);
		goto out;
	}

	/*
	 * http://: a plain socket from here on.  Keep a duplicate and let
	 * libcurl close its own.  Nothing is drained into "pending": libcurl
	 * reads a CONNECT response a byte at a time and never past its
	 * end, so what the server sent next is still in the socket, where
	 * the relay finds it and where -F hands it to ssh.
	 */
	if ((fd = fcntl(s, F_DUPFD_CLOEXEC, 3)) == -1) {
		r = SP_ERR_ERRNO(errno);
		goto out;
	}
	if ((r = sp_set_nonblock(fd, 1)) != SP_OK) {
		close(fd);
		goto out;
	}
	out->fd = fd;
	r = SP_OK;
 out:
	if (h != NULL)
		api.easy_cleanup(h);
	if (headers != NULL) {
		/* They may hold credentials: wipe libcurl's copies. */
		for (l = headers; l != NULL; l = l->next)
			explicit_bzero(l->data, strlen(l->data));
		api.slist_free_all(headers);
	}
	url_free(pre_url);
	return r;
}

/* errno for a curl_easy_recv/send failure. */
static int
curl_errno(CURLcode rc)
{
	switch (rc) {
	case CURLE_RECV_ERROR:
		return ECONNRESET;
	case CURLE_SEND_ERROR:
		return EPIPE;
	case CURLE_OUT_OF_MEMORY:
		return ENOMEM;
	case CURLE_UNSUPPORTED_PROTOCOL:	/* the connection is gone */
		return ENOTCONN;
	default:
		return EPROTO;
	}
}

/*
 * Read what there is, up to len, without waiting.  The TLS library may
 * hold decrypted bytes that poll(2) on the socket cannot see, so keep
 * reading until libcurl says "again", EOF or an error: a short count
 * means nothing is left inside.  The relay reads again before it polls
 * whenever a read returned data (relay.c).
 */
static ssize_t
tls_read(struct sp_conn *c, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got = 0, n;
	CURLcode rc = CURLE_OK;

	while (got < len) {
		n = 0;
		rc = api.easy_recv(c->ctx, p + got, len - got, &n);
		if (rc != CURLE_OK || n == 0)
			break;
		got += n;
	}
	if (got > 0)
		return (ssize_t)got;	/* EOF or an error comes next time */
	if (rc == CURLE_OK)
		return 0;
	if (rc == CURLE_AGAIN) {
		errno = EAGAIN;
		return -1;
	}
	sp_debug("libcurl: recv: %s", api.easy_strerror(rc));
	errno = curl_errno(rc);
	return -1;
}

static ssize_t
tls_write(struct sp_conn *c, const void *buf, size_t len)
{
	size_t n = 0;
	CURLcode rc;

	/*
	 * OpenSSL wants a write that returned "again" repeated with the
	 * same bytes; the relay does so (it keeps its buffer until sent).
	 */
	rc = api.easy_send(c->ctx, buf, len, &n);
	if (rc == CURLE_OK)
		return (ssize_t)n;
	if (rc == CURLE_AGAIN) {
		errno = EAGAIN;
		return -1;
	}
	sp_debug("libcurl: send: %s", api.easy_strerror(rc));
	errno = curl_errno(rc);
	return -1;
}

/*
 * TLS has no half-close libcurl can give us: it cannot send a lone
 * close_notify, and shutdown(2) under the TLS layer sends a FIN without
 * one, which a TLS terminator may take for a truncated session and
 * drop both ways (stunnel happens to pass it on as a half-close).  So
 * stdin's EOF is not passed on through an https:// proxy; the tunnel
 * stays open both ways until the server closes it or ssh goes away.
 */
static int
tls_shutdown_wr(struct sp_conn *c)
{
	sp_debug("https proxy: no half-close through TLS, leaving the "
	    "tunnel open");
	return SP_OK;
}

/* libcurl closes the socket (c->fd) with the handle. */
static void
tls_close(struct sp_conn *c)
{
	if (c->ctx != NULL)
		api.easy_cleanup(c->ctx);
	c->ctx = NULL;
	c->fd = -1;
}
