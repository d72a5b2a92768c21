/*
 * Fuzz the part of the HTTP CONNECT path that is ours (libproxy/http.c).
 *
 * libcurl dials, sends the CONNECT and parses the proxy's reply; we do
 * not fuzz libcurl.  What http.c does itself is: check hosts before
 * they go into URLs (url_host), percent-encode credentials into the
 * SOCKS pre-proxy URL, build the Basic Proxy-Authorization header,
 * pass the --proxy-header list, map libcurl's failures and the CONNECT
 * status to our error codes, take the bytes that came after the reply
 * (drain), and blank credentials out of -vvv trace lines.
 *
 * To reach those static functions this file includes http.c, and fills
 * its libcurl table with fakes driven by the fuzzer's bytes instead of
 * calling dlopen(): nothing is dialled, nothing is resolved.  sp_log
 * is renamed for http.c only, so every log line it writes is checked.
 *
 * The first byte picks the mode:
 *   - trace: the rest is what libcurl hands its debug callback.  Lines
 *     are logged as they are, except that an Authorization or
 *     Proxy-Authorization header going out keeps at most its scheme.
 *   - connect: proxies, credentials, target, headers and libcurl's
 *     answers come from the input.  The URLs given to libcurl must say
 *     exactly the hosts, ports and credentials asked for; the header
 *     list is the user's headers plus, when both hops have users, a
 *     Basic header that decodes to "user:password"; a failed perform
 *     is never success, a CONNECT status is mapped as documented;
 *     drained bytes are exactly what libcurl returned; no log line
 *     holds a password; and nothing leaks (LeakSanitizer).
 */
#define sp_log	fuzz_http_log
#include "http.c"
#undef sp_log

#include <stdarg.h>

#include "fuzz.h"

#define FZ_STR_MAX	4096

void	fuzz_http_log(int, const char *, ...);

/* What the fake libcurl was told and what it is to answer. */
static struct {
	int		 setopt_calls;
	int		 setopt_fail;	/* fail call number n; 0 never */
	CURLcode	 perform_rc;
	long		 connectcode, header_size, proxy_error, os_errno;
	int		 socket_mode;
	const uint8_t	*recv;
	size_t		 nrecv, chunk;
	int		 recv_end;	/* 0 again, 1 EOF, 2 error */
	int		 handles;
	int		 performed;
	char		 url[FZ_STR_MAX], proxy[FZ_STR_MAX], pre[FZ_STR_MAX];
	char		 puser[FZ_STR_MAX], ppass[FZ_STR_MAX];
	int		 has_url, has_proxy, has_pre, has_puser;
	long		 proxyauth;
	struct curl_slist *headers;
	curl_debug_callback debug;
	char		*errbuf;
	/* The header list as it was when perform ran. */
	char		 seen[SP_HTTP_HEADERS_MAX + 1][FZ_STR_MAX];
	int		 nseen;
	int		 nuser;		/* headers given by the user */
	const struct sp_http_opts *opts;
	const char	*pub[6];	/* hosts, users, path: may be logged */
} fz;

/* Log lines from http.c, and the secrets none of them may hold. */
static const char	*fz_secret[4];
static int		 fz_capture;
static char		 fz_lines[64][1024];
static int		 fz_nlines;

static int		 fz_sock = -1;	/* stands for libcurl's socket */
static curl_version_info_data fz_info;

/* "\001" and a letter before s, in place of s (which is freed). */
static char *
fz_marked(char **s, char tag)
{
	size_t n = strlen(*s);
	char *m;

	if ((m = malloc(n + 3)) == NULL)
		abort();
	m[0] = '\001';
	m[1] = tag;
	memcpy(m + 2, *s, n + 1);
	free(*s);
	*s = m;
	return m;
}

/* Does one of the user's own headers, a host or a user name hold s? */
static int
fz_in_user_headers(const char *s)
{
	int i;

	for (i = 0; i < fz.nuser; i++)
		if (strstr(fz.opts->headers[i], s) != NULL)
			return 1;
	for (i = 0; i < 6; i++)
		if (fz.pub[i] != NULL && strstr(fz.pub[i], s) != NULL)
			return 1;
	return 0;
}

void
fuzz_http_log(int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int i;

	if (!sp_log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < 4; i++)
		if (fz_secret[i] != NULL)
			FUZZ_CHECK(strstr(msg, fz_secret[i]) == NULL,
			    "log line shows a secret: %s", msg);
	if (fz_capture && fz_nlines < 64)
		snprintf(fz_lines[fz_nlines++], sizeof(fz_lines[0]), "%s",
		    msg);
}

static CURL *
fz_easy_init(void)
{
	fz.handles++;
	return malloc(16);	/* freed by fz_easy_cleanup: LSan checks */
}

static void
fz_easy_cleanup(CURL *h)
{
	fz.handles--;
	free(h);
}

static void
fz_copy(char *dst, const char *src, int *flag)
{
	snprintf(dst, FZ_STR_MAX, "%s", src != NULL ? src : "");
	if (flag != NULL)
		*flag = src != NULL;
}

static CURLcode
fz_easy_setopt(CURL *h, CURLoption opt, ...)
{
	va_list ap;
	long l = 0;
	void *ptr = NULL;

	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		l = va_arg(ap, long);
	else if (opt == CURLOPT_DEBUGFUNCTION)
		fz.debug = va_arg(ap, curl_debug_callback);
	else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
		ptr = va_arg(ap, void *);
	else
		(void)va_arg(ap, void *);
	va_end(ap);

	/* Only the calls before perform may be made to fail. */
	if (!fz.performed && ++fz.setopt_calls == fz.setopt_fail)
		return CURLE_UNKNOWN_OPTION;
	switch (opt) {
	case CURLOPT_URL:
		fz_copy(fz.url, ptr, &fz.has_url);
		break;
	case CURLOPT_PROXY:
		fz_copy(fz.proxy, ptr, &fz.has_proxy);
		break;
	case CURLOPT_PRE_PROXY:
		fz_copy(fz.pre, ptr, &fz.has_pre);
		break;
	case CURLOPT_PROXYUSERNAME:
		fz_copy(fz.puser, ptr, &fz.has_puser);
		break;
	case CURLOPT_PROXYPASSWORD:
		fz_copy(fz.ppass, ptr, NULL);
		break;
	case CURLOPT_PROXYHEADER:
		fz.headers = ptr;
		break;
	case CURLOPT_PROXYAUTH:
		fz.proxyauth = l;
		break;
	case CURLOPT_ERRORBUFFER:
		fz.errbuf = ptr;
		break;
	default:
		break;
	}
	return CURLE_OK;
}

/* Feed one header line to the trace callback, as libcurl would. */
static void
fz_trace_out(CURL *h, const char *line)
{
	char buf[FZ_STR_MAX + 4];
	int n;

	if (fz.debug == NULL)
		return;
	n = snprintf(buf, sizeof(buf), "%s\r\n", line);
	if (n > 0 && (size_t)n < sizeof(buf))
		fz.debug(h, CURLINFO_HEADER_OUT, buf, (size_t)n, NULL);
}

static CURLcode
fz_easy_perform(CURL *h)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const struct curl_slist *l;
	char plain[FZ_STR_MAX * 2], enc[FZ_STR_MAX * 3], hdr[FZ_STR_MAX * 3];
	size_t i, n, o = 0;

	fz.performed = 1;
	fz.nseen = 0;
	for (l = fz.headers; l != NULL; l = l->next) {
		FUZZ_CHECK(fz.nseen < SP_HTTP_HEADERS_MAX + 1, "too many "
		    "headers");
		snprintf(fz.seen[fz.nseen++], FZ_STR_MAX, "%s", l->data);
		/* Our own Basic header: its value is a secret. */
		fz_secret[3] = NULL;
		if (l->next == NULL && fz.nseen > fz.nuser &&
		    strncmp(l->data, "Proxy-Authorization: Basic ", 27) == 0 &&
		    strlen(l->data + 27) >= 16 &&
		    !fz_in_user_headers(l->data + 27))
			fz_secret[3] = l->data + 27;
		fz_trace_out(h, l->data);
		fz_secret[3] = NULL;
	}
	/* libcurl's own Basic header, when it authenticates. */
	if (fz.has_puser && fz.proxyauth != (long)CURLAUTH_NONE) {
		n = (size_t)snprintf(plain, sizeof(plain), "%s:%s", fz.puser,
		    fz.ppass);
		for (i = 0; i < n; i += 3) {
			unsigned long v = (unsigned long)(uint8_t)plain[i] << 16;

			if (i + 1 < n)
				v |= (unsigned long)(uint8_t)plain[i + 1] << 8;
			if (i + 2 < n)
				v |= (uint8_t)plain[i + 2];
			enc[o++] = b64[v >> 18];
			enc[o++] = b64[(v >> 12) & 63];
			enc[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
			enc[o++] = i + 2 < n ? b64[v & 63] : '=';
		}
		enc[o] = '\0';
		snprintf(hdr, sizeof(hdr), "Proxy-Authorization: Basic %s",
		    enc);
		fz_secret[2] = o >= 16 && !fz_in_user_headers(enc) ? enc : NULL;
		fz_trace_out(h, hdr);
		fz_secret[2] = NULL;
	}
	fz_trace_out(h, "Host: fuzz");
	if (fz.errbuf != NULL && fz.perform_rc != CURLE_OK)
		snprintf(fz.errbuf, CURL_ERROR_SIZE, "fake failure %d",
		    (int)fz.perform_rc);
	return fz.perform_rc;
}

static CURLcode
fz_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	va_list ap;
	void *out;

	va_start(ap, info);
	out = va_arg(ap, void *);
	va_end(ap);
	switch (info) {
	case CURLINFO_HTTP_CONNECTCODE:
		*(long *)out = fz.connectcode;
		return CURLE_OK;
	case CURLINFO_HEADER_SIZE:
		*(long *)out = fz.header_size;
		return CURLE_OK;
	case CURLINFO_PROXY_ERROR:
		*(long *)out = fz.proxy_error;
		return CURLE_OK;
	case CURLINFO_OS_ERRNO:
		*(long *)out = fz.os_errno;
		return CURLE_OK;
	case CURLINFO_ACTIVESOCKET:
		if (fz.socket_mode == 2)
			return CURLE_BAD_FUNCTION_ARGUMENT;
		*(curl_socket_t *)out = fz.socket_mode == 1 ?
		    CURL_SOCKET_BAD : fz_sock;
		return CURLE_OK;
	default:
		return CURLE_UNKNOWN_OPTION;
	}
}

static CURLcode
fz_easy_recv(CURL *h, void *buf, size_t len, size_t *n)
{
	size_t k = fz.nrecv < fz.chunk ? fz.nrecv : fz.chunk;

	if (k > len)
		k = len;
	*n = k;
	if (k > 0) {
		memcpy(buf, fz.recv, k);
		fz.recv += k;
		fz.nrecv -= k;
		return CURLE_OK;
	}
	return fz.recv_end == 0 ? CURLE_AGAIN : fz.recv_end == 1 ?
	    CURLE_OK : CURLE_RECV_ERROR;
}

static CURLcode
fz_easy_send(CURL *h, const void *buf, size_t len, size_t *n)
{
	*n = len;
	return CURLE_OK;
}

static const char *
fz_easy_strerror(CURLcode rc)
{
	return "fake libcurl error";
}

static struct curl_slist *
fz_slist_append(struct curl_slist *list, const char *s)
{
	struct curl_slist *e, *l;

	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->data = strdup(s)) == NULL)
		abort();
	if (list == NULL)
		return e;
	for (l = list; l->next != NULL; l = l->next)
		;
	l->next = e;
	return list;
}

static void
fz_slist_free_all(struct curl_slist *list)
{
	struct curl_slist *next;

	for (; list != NULL; list = next) {
		next = list->next;
		free(list->data);
		free(list);
	}
}

int	LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		abort();
	fz_sock = sv[0];
	api.easy_init = fz_easy_init;
	api.easy_setopt = fz_easy_setopt;
	api.easy_perform = fz_easy_perform;
	api.easy_getinfo = fz_easy_getinfo;
	api.easy_recv = fz_easy_recv;
	api.easy_send = fz_easy_send;
	api.easy_cleanup = fz_easy_cleanup;
	api.easy_strerror = fz_easy_strerror;
	api.slist_append = fz_slist_append;
	api.slist_free_all = fz_slist_free_all;
	fz_info.version = "7.88.1-fuzz";
	fz_info.version_num = 0x075801;
	curl_info = &fz_info;
	api_state = 1;		/* never dlopen() */
	return 0;
}

/* ---- trace mode ---- */

static void
check_trace_line(const char *orig, size_t n, const char *got, int out)
{
	static const char *const names[] = {
		"proxy-authorization:", "authorization:"
	};
	char line[TRACE_LINE];
	const char *shown;	/* cut at TRACE_LINE - 1 bytes, as http.c does */
	size_t i, k, w, len, kept, rk;

	FUZZ_CHECK(strncmp(got, "curl: > ", 8) == 0 ||
	    strncmp(got, "curl: < ", 8) == 0 ||
	    strncmp(got, "curl: * ", 8) == 0, "prefix of '%s'", got);
	shown = got + 8;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, orig, n);
	line[n] = '\0';
	len = strlen(line);
	for (i = 0; out && i < 2; i++)
		if (strncasecmp(line, names[i], strlen(names[i])) == 0)
			break;
	if (!out || i == 2) {
		FUZZ_CHECK(strcmp(shown, line) == 0, "'%s' shown as '%s'",
		    line, shown);
		return;
	}
	/*
	 * Credentials: a prefix of the line, then "[redacted]".  The
	 * prefix is the name, spaces, and at most one word (the scheme)
	 * and a space, and only when something follows the scheme.
	 */
	rk = strlen("[redacted]");
	kept = strlen(shown);
	FUZZ_CHECK(kept >= rk && strcmp(shown + kept - rk, "[redacted]") == 0,
	    "'%s' not redacted: '%s'", line, shown);
	kept -= rk;
	FUZZ_CHECK(kept <= len && strncmp(shown, line, kept) == 0,
	    "'%s' shown as '%s'", line, shown);
	k = strlen(names[i]);
	while (k < len && line[k] == ' ')
		k++;
	if (kept > k) {
		for (w = k; w < kept && line[w] != ' '; w++)
			;
		FUZZ_CHECK(w + 1 == kept, "'%s' shows more than the scheme: "
		    "'%s'", line, shown);
		for (w = kept; w < len && line[w] == ' '; w++)
			;
		FUZZ_CHECK(w < len, "'%s': its only word is shown: '%s'",
		    line, shown);
	}
}

static void
fuzz_trace(const uint8_t *data, size_t size, curl_infotype type)
{
	size_t i, start, n;
	int line = 0, out = type == CURLINFO_HEADER_OUT;

	fz_capture = 1;
	fz_nlines = 0;
	sp_log_init(NULL, SP_LOG_TRACE);
	(void)curl_trace(NULL, type, (char *)(uintptr_t)data, size, NULL);
	fz_capture = 0;
	if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN &&
	    type != CURLINFO_HEADER_OUT) {
		FUZZ_CHECK(fz_nlines == 0, "data logged");
		return;
	}
	for (start = 0; start < size && line < 64; start = i + 1) {
		for (i = start; i < size && data[i] != '\n'; i++)
			;
		n = i - start;
		if (n > 0 && data[start + n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		FUZZ_CHECK(line < fz_nlines, "line %d not logged", line);
		check_trace_line((const char *)data + start, n,
		    fz_lines[line], out);
		line++;
	}
	if (line < 64)
		FUZZ_CHECK(line == fz_nlines, "%d lines, %d logged", line,
		    fz_nlines);
}

/* ---- connect mode ---- */

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into out; only unreserved bytes may be bare. */
static int
pct_decode(const char *s, size_t n, const char *keep, char *out)
{
	size_t i;
	int h, l;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			if ((h = unhex(s[i + 1])) < 0 ||
			    (l = unhex(s[i + 2])) < 0)
				return -1;
			*out++ = (char)(h << 4 | l);
			i += 2;
		} else if (is_alnum(c) || strchr("-._~", c) != NULL ||
		    (keep != NULL && strchr(keep, c) != NULL))
			*out++ = (char)c;
		else
			return -1;
	}
	*out = '\0';
	return 0;
}

/* "[host]" or "host" as a URL holds it, with a zone's '%' as "%25". */
static void
want_host(const char *host, int zone, char *out, size_t len)
{
	size_t o = 0;
	const char *p;
	int v6 = strchr(host, ':') != NULL;

	if (v6)
		out[o++] = '[';
	for (p = host; *p != '\0' && o + 5 < len; p++) {
		if (*p == '%' && zone && v6) {
			memcpy(out + o, "%25", 3);
			o += 3;
		} else
			out[o++] = *p;
	}
	if (v6)
		out[o++] = ']';
	out[o] = '\0';
}

static int
host_ok_for_url(const char *host, int zone)
{
	const unsigned char *p;
	int v6 = strchr(host, ':') != NULL;

	if (*host == '\0')
		return 0;
	for (p = (const unsigned char *)host; *p != '\0'; p++)
		if (!(is_alnum(*p) || *p == '.' || *p == '-' || *p == '_' ||
		    (v6 && *p == ':') || (v6 && zone && *p == '%') ||
		    (!v6 && *p >= 0x80)))
			return 0;
	return 1;
}

static int
b64_value(int c)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != '\0' ? strchr(b64, c) : NULL;

	return p != NULL ? (int)(p - b64) : -1;
}

/* Decode standard base64 with padding; -1 if malformed. */
static long
b64_decode(const char *s, unsigned char *out)
{
	size_t n = strlen(s), i;
	long o = 0;
	int v[4], k;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2)
				v[k] = -2;
			else if ((v[k] = b64_value(s[i + k])) < 0)
				return -1;
		}
		if (v[2] == -2 && v[3] != -2)
			return -1;
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (v[2] >= 0)
			out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (v[3] >= 0)
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return o;
}

static void
set_field(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

static void
check_urls(const struct sp_proxy *hop, const struct sp_proxy *pre,
    const char *host, uint16_t port)
{
	char want[FZ_STR_MAX], h[FZ_STR_MAX], dec[FZ_STR_MAX];
	const char *p, *at, *colon, *scheme_end;

	if (fz.has_url) {
		FUZZ_CHECK(host_ok_for_url(host, 0), "target '%s' let into a "
		    "URL", host);
		want_host(host, 0, h, sizeof(h));
		snprintf(want, sizeof(want), "http://%s:%u", h, port);
		FUZZ_CHECK(strcmp(fz.url, want) == 0, "URL '%s', want '%s'",
		    fz.url, want);
	}
	if (fz.has_proxy) {
		FUZZ_CHECK(host_ok_for_url(hop->host, 1), "proxy '%s' let "
		    "into a URL", hop->host);
		want_host(hop->host, 1, h, sizeof(h));
		snprintf(want, sizeof(want), "%s://%s:%u",
		    hop->type == SP_PROXY_HTTPS ? "https" : "http", h,
		    hop->port);
		FUZZ_CHECK(strcmp(fz.proxy, want) == 0, "proxy URL '%s', "
		    "want '%s'", fz.proxy, want);
	}
	if (fz.has_pre) {
		FUZZ_CHECK(pre != NULL, "pre-proxy without a pre hop");
		scheme_end = strstr(fz.pre, "://");
		FUZZ_CHECK(scheme_end != NULL, "pre-proxy URL '%s'", fz.pre);
		p = scheme_end + 3;
		at = strchr(p, '@');
		if (pre->user[0] != '\0') {
			FUZZ_CHECK(at != NULL, "no user in the pre-proxy URL");
			colon = memchr(p, ':', (size_t)(at - p));
			FUZZ_CHECK((colon != NULL) == (pre->password != NULL),
			    "password in the pre-proxy URL");
			FUZZ_CHECK(pct_decode(p, (size_t)((colon != NULL ?
			    colon : at) - p), NULL, dec) == 0 &&
			    strcmp(dec, pre->user) == 0, "user '%s' encoded "
			    "wrongly in the pre-proxy URL", pre->user);
			if (colon != NULL)
				FUZZ_CHECK(pct_decode(colon + 1,
				    (size_t)(at - colon - 1), NULL, dec) == 0 &&
				    strcmp(dec, pre->password) == 0,
				    "password encoded wrongly");
			p = at + 1;
		} else
			FUZZ_CHECK(at == NULL || (pre->path[0] != '\0' &&
			    at > strchr(p, '/')), "user in the pre-proxy "
			    "URL: '%s'", fz.pre);
		if (pre->path[0] != '\0') {
			FUZZ_CHECK(strncmp(p, "localhost/", 10) == 0 &&
			    pct_decode(p + 9, strlen(p + 9), "/", dec) == 0 &&
			    strcmp(dec, pre->path) == 0, "socket path in '%s'",
			    fz.pre);
		} else {
			FUZZ_CHECK(host_ok_for_url(pre->host, 1), "pre-proxy "
			    "'%s' let into a URL", pre->host);
			want_host(pre->host, 1, h, sizeof(h));
			snprintf(want, sizeof(want), "%s:%u", h, pre->port);
			FUZZ_CHECK(strcmp(p, want) == 0, "pre-proxy host '%s', "
			    "want '%s'", p, want);
		}
	}
}

static void
check_headers(const struct sp_proxy *hop, const struct sp_proxy *pre,
    const struct sp_http_opts *opts, int r)
{
	static const char name[] = "Proxy-Authorization: Basic ";
	unsigned char dec[FZ_STR_MAX * 2];
	char want[FZ_STR_MAX * 2];
	int i, basic = pre != NULL && pre->user[0] != '\0' &&
	    hop->user[0] != '\0';
	long n;

	for (i = 0; i < opts->nheaders && i < fz.nseen; i++)
		FUZZ_CHECK(strcmp(fz.seen[i], opts->headers[i]) == 0,
		    "header %d changed", i);
	if (fz.nseen <= opts->nheaders) {
		FUZZ_CHECK(!basic, "Basic header missing");
		return;
	}
	FUZZ_CHECK(basic && fz.nseen == opts->nheaders + 1, "%d headers",
	    fz.nseen);
	FUZZ_CHECK(strncmp(fz.seen[i], name, sizeof(name) - 1) == 0,
	    "header '%s'", fz.seen[i]);
	n = b64_decode(fz.seen[i] + sizeof(name) - 1, dec);
	snprintf(want, sizeof(want), "%s:%s", hop->user,
	    hop->password != NULL ? hop->password : "");
	FUZZ_CHECK(n >= 0 && (size_t)n == strlen(want) &&
	    memcmp(dec, want, (size_t)n) == 0, "Basic header for '%s'",
	    hop->user);
	FUZZ_CHECK(!fz.has_puser || fz.proxyauth == (long)CURLAUTH_NONE,
	    "libcurl asked to authenticate too");
}

static void
check_result(int r, const struct sp_proxy *hop, struct sp_conn *out,
    const uint8_t *recv, size_t nrecv, int performed)
{
	long st = fz.connectcode;
	int ex;

	FUZZ_CHECK(r == SP_OK || (r < 0 && r >= SP_ERR_MAX) ||
	    SP_ERR_IS_ERRNO(r) || SP_ERR_IS_SOCKS5(r) ||
	    SP_ERR_IS_SOCKS4(r) || SP_ERR_IS_HTTP(r), "odd result %d", r);
	ex = sp_err_exit_status(r);
	FUZZ_CHECK(ex == 0 || ex == 1 || (ex >= 64 && ex <= 78),
	    "exit status %d", ex);
	FUZZ_CHECK(sp_strerror(r) != NULL, "no words for %d", r);
	if (!performed)
		return;
	if (fz.perform_rc != CURLE_OK) {
		FUZZ_CHECK(r != SP_OK, "perform failed, result success");
		if (st != 0 && (st < 200 || st > 299)) {
			if (st == 401 || st == 407)
				FUZZ_CHECK(r == (hop->user[0] != '\0' ?
				    SP_ERR_PROXY_AUTH :
				    SP_ERR_PROXY_AUTH_NEEDED), "status %ld "
				    "gave %d", st, r);
			else if (st >= 100 && st <= 999)
				FUZZ_CHECK(r == SP_ERR_HTTP((int)st) &&
				    SP_ERR_IS_HTTP(r), "status %ld gave %d",
				    st, r);
			else
				FUZZ_CHECK(r == SP_ERR_PROTOCOL, "status %ld "
				    "gave %d", st, r);
		}
		return;
	}
	if (fz.socket_mode != 0) {
		FUZZ_CHECK(r != SP_OK, "success without a socket");
		return;
	}
	FUZZ_CHECK(r == SP_OK, "perform worked, result %d", r);
	FUZZ_CHECK(out->fd >= 0, "no fd");
	if (hop->type == SP_PROXY_HTTPS) {
		size_t want = nrecv;

		if (want > DRAIN_MAX) {
			/* Whole chunks until the cap was reached. */
			FUZZ_CHECK(out->npending >= DRAIN_MAX &&
			    out->npending <= want, "drained %zu",
			    out->npending);
			want = out->npending;
		}
		FUZZ_CHECK(out->npending == want && (want == 0 ||
		    memcmp(out->pending, recv, want) == 0), "drained %zu "
		    "of %zu", out->npending, want);
		FUZZ_CHECK(out->ops == &tls_ops && out->fd == fz_sock,
		    "https tunnel ops");
	} else {
		FUZZ_CHECK(out->ops == NULL && out->npending == 0 &&
		    out->fd != fz_sock, "http tunnel is a plain duplicate");
	}
}

static void
fuzz_connect(struct fuzz_in *in)
{
	static const CURLcode codes[] = {
		CURLE_OK, CURLE_OUT_OF_MEMORY, CURLE_COULDNT_RESOLVE_PROXY,
		CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT,
		CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_GOT_NOTHING,
		CURLE_WEIRD_SERVER_REPLY, CURLE_SSL_CONNECT_ERROR,
		CURLE_LOGIN_DENIED, CURLE_UNSUPPORTED_PROTOCOL,
		CURLE_URL_MALFORMAT, CURLE_PROXY, CURLE_SEND_ERROR,
		CURLE_PEER_FAILED_VERIFICATION
	};
	static const enum sp_proxy_type pretypes[] = {
		SP_PROXY_SOCKS4, SP_PROXY_SOCKS4A, SP_PROXY_SOCKS5,
		SP_PROXY_SOCKS5H, SP_PROXY_HTTP, SP_PROXY_NONE
	};
	struct sp_proxy hop, pre;
	struct sp_http_opts opts;
	struct sp_conn out;
	char *s[16], *host;
	const uint8_t *recv0;
	size_t nrecv0;
	unsigned f1, f2, b;
	int ns = 0, i, r, use_pre;
	uint16_t port;

	memset(&fz, 0, sizeof(fz));
	memset(&hop, 0, sizeof(hop));
	memset(&pre, 0, sizeof(pre));
	memset(&opts, 0, sizeof(opts));

	f1 = fuzz_byte(in);
	f2 = fuzz_byte(in);
	hop.type = f1 & 1 ? SP_PROXY_HTTPS : SP_PROXY_HTTP;
	if ((f1 & 0x0e) == 0x0e)
		hop.type = SP_PROXY_SOCKS5H;	/* must be refused */
	use_pre = f1 & 0x10;
	pre.type = pretypes[(f1 >> 5) % 6];
	hop.port = (uint16_t)(fuzz_byte(in) << 8 | fuzz_byte(in));
	pre.port = (uint16_t)(fuzz_byte(in) << 8 | 1);
	port = (uint16_t)(fuzz_byte(in) << 8 | fuzz_byte(in));
	sp_log_init(NULL, f2 & 1 ? SP_LOG_TRACE : SP_LOG_ERROR);
	fz_info.features = (f2 & 2 ? CURL_VERSION_NTLM : 0) |
	    (f2 & 4 ? CURL_VERSION_SPNEGO : 0) |
	    (f2 & 8 ? 0 : CURL_VERSION_HTTPS_PROXY);
	fz_info.ssl_version = f2 & 16 ? NULL : "FuzzTLS/1.0";
	opts.auth = fuzz_byte(in) & 0x1f;
	opts.insecure = (f2 >> 5) & 1;
	opts.cacert = f2 & 0x40 ? "/nonexistent/ca.pem" : NULL;

	/* Strings: target, hop host/user/password, pre host/user/password/path. */
	for (ns = 0; ns < 8; ns++)
		s[ns] = fuzz_string(in);
	host = s[0];
	set_field(hop.host, sizeof(hop.host), s[1]);
	set_field(hop.user, sizeof(hop.user), s[2]);
	/*
	 * Passwords start with a byte no message holds, so that finding
	 * one in a log line means it came from the password.
	 */
	b = fuzz_byte(in);
	hop.password = b & 1 ? fz_marked(&s[3], 'H') : NULL;
	set_field(pre.host, sizeof(pre.host), s[4]);
	set_field(pre.user, sizeof(pre.user), s[5]);
	pre.password = b & 2 ? fz_marked(&s[6], 'P') : NULL;
	if (b & 4)	/* sp_proxy_parse() gives only absolute paths */
		snprintf(pre.path, sizeof(pre.path), "/%s", s[7]);
	if (b & 8)
		set_field(hop.path, sizeof(hop.path), "/hop.sock");
	opts.nheaders = (int)((b >> 4) % 4);
	for (i = 0; i < opts.nheaders; i++) {
		s[ns] = fuzz_string(in);
		opts.headers[i] = s[ns++];
	}

	if (f2 & 0x80)		/* no options at all */
		opts.nheaders = 0;

	b = fuzz_byte(in);
	fz.setopt_fail = b < 40 ? (int)b : 0;
	b = fuzz_byte(in);
	fz.perform_rc = b < 16 * 8 ? codes[b % 16] : (CURLcode)b;
	fz.connectcode = (long)(fuzz_byte(in) << 8 | fuzz_byte(in)) - 100;
	fz.header_size = fuzz_byte(in) & 1;
	fz.proxy_error = (long)fuzz_byte(in) % 40;
	fz.os_errno = (long)fuzz_byte(in) - 10;
	b = fuzz_byte(in);
	fz.socket_mode = b % 8 < 6 ? 0 : b % 8 - 5;
	fz.recv_end = (int)((b >> 3) % 3);
	fz.chunk = 1 + ((b >> 5) << 11);
	fz.recv = recv0 = in->p;
	fz.nrecv = nrecv0 = in->left;
	fz.nuser = opts.nheaders;
	fz.opts = &opts;
	fz.pub[0] = host;
	fz.pub[1] = hop.host;
	fz.pub[2] = hop.user;
	fz.pub[3] = pre.host;
	fz.pub[4] = pre.user;
	fz.pub[5] = pre.path;

	/* Never in a log line (unless the input put them elsewhere too). */
	fz_secret[0] = hop.password;
	fz_secret[1] = pre.password;
	for (i = 0; i < 2; i++)
		if (fz_secret[i] != NULL && (strstr(host, fz_secret[i]) ||
		    strstr(hop.host, fz_secret[i]) ||
		    strstr(pre.host, fz_secret[i]) ||
		    strstr(pre.path, fz_secret[i]) ||
		    strstr(pre.user, fz_secret[i]) ||
		    strstr(hop.user, fz_secret[i])))
			fz_secret[i] = NULL;
	for (i = 0; i < opts.nheaders; i++) {
		if (fz_secret[0] != NULL &&
		    strstr(opts.headers[i], fz_secret[0]) != NULL)
			fz_secret[0] = NULL;
		if (fz_secret[1] != NULL &&
		    strstr(opts.headers[i], fz_secret[1]) != NULL)
			fz_secret[1] = NULL;
	}

	r = sp_http_connect(&hop, use_pre ? &pre : NULL, host, port,
	    f2 & 0x80 ? NULL : &opts, 0, &out);
	fz_secret[0] = fz_secret[1] = NULL;

	check_result(r, &hop, &out, recv0, nrecv0, fz.performed);
	if (fz.has_url || fz.has_proxy || fz.has_pre)
		check_urls(&hop, use_pre ? &pre : NULL, host, port);
	if (fz.performed)
		check_headers(&hop, use_pre ? &pre : NULL, &opts, r);

	if (r == SP_OK)
		sp_conn_close(&out);
	FUZZ_CHECK(fz.handles == 0, "%d libcurl handles left", fz.handles);
	for (i = 0; i < ns; i++)
		free(s[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in;
	unsigned sel;

	if (size < 1 || size > 64 * 1024)
		return 0;
	fuzz_in_init(&in, data, size);
	sel = fuzz_byte(&in);
	switch (sel % 4) {
	case 0:
		fuzz_trace(in.p, in.left, CURLINFO_HEADER_OUT);
		break;
	case 1:
		fuzz_trace(in.p, in.left, (curl_infotype)(sel >> 2));
		break;
	default:
		fuzz_connect(&in);
		break;
	}
	sp_log_init(NULL, SP_LOG_ERROR);
	return 0;
}
