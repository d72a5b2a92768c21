/*
 * Fuzz the SOCKS client (libproxy/socks.c sp_socks_handshake()) with
 * the fuzzer's bytes as everything the server says.
 *
 * The first byte picks the variant: SOCKS4 to a numeric target, SOCKS4a
 * with a name, SOCKS5 without credentials, SOCKS5h with user and
 * password, SOCKS5h with Tor isolation credentials, SOCKS5h whose
 * password comes from the ask_password callback (which may fail).  The
 * rest goes into one end of a socketpair before the handshake starts,
 * and that end is shut down for writing, so every read ends with data
 * or EOF and nothing waits; the deadline is a backstop.  Targets are
 * numeric or go to the proxy by name: nothing is resolved.
 *
 * A small model of RFC 1928/1929 and SOCKS4 says where the server's
 * reply ends and whether the handshake must succeed.  Properties:
 *   - success exactly when the model says so, and failures are
 *     documented error codes (the reply codes folded in);
 *   - after success, the bytes still in the socket plus any the
 *     connection holds as pending are exactly the input after the
 *     reply: never a byte taken from the tunnel, never one made up;
 *   - the bound address is NUL-terminated, printable, and has the
 *     reply's type and port;
 *   - what the client sent is a well-formed request for this target,
 *     with the right credentials.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "err.h"
#include "fuzz.h"
#include "log.h"
#include "proxy.h"
#include "socks.h"
#include "util.h"

#define INPUT_MAX	4096	/* far below any socket buffer */

enum variant {
	V_SOCKS4,
	V_SOCKS4A,
	V_SOCKS5,
	V_SOCKS5_AUTH,
	V_SOCKS5_ISOLATE,
	V_SOCKS5_ASK,
	V_COUNT
};

static const char user[] = "alice";
static const char pass[] = "s3cret pa55";

static int
ask_ok(struct sp_proxy *p, void *arg)
{
	if ((p->password = strdup(pass)) == NULL)
		return SP_ERR_NOMEM;
	return SP_OK;
}

static int
ask_fail(struct sp_proxy *p, void *arg)
{
	return SP_ERR_NO_PASSWORD;
}

/*
 * Where the server's reply ends, or -1 if the handshake must fail.
 * with_user/isolate/have_pw describe the proxy as configured.
 */
static long
model(enum variant v, const uint8_t *s, size_t n, int with_user,
    int isolate, int have_pw, int *want_rep)
{
	size_t off = 0, alen;

	*want_rep = -1;
	if (v == V_SOCKS4 || v == V_SOCKS4A) {
		if (n < 8 || (s[0] != 0 && s[0] != 4))
			return -1;
		if (s[1] != 0x5a) {
			*want_rep = s[1];
			return -1;
		}
		return 8;
	}
	if (n < 2 || s[0] != 5)
		return -1;
	if (s[1] == 0x00) {
		if (with_user && isolate)
			return -1;
		off = 2;
	} else if (s[1] == 0x02) {
		if (!with_user || !have_pw || n < 4 ||
		    (s[2] != 1 && s[2] != 5) || s[3] != 0)
			return -1;
		off = 4;
	} else
		return -1;
	if (n < off + 4 || s[off] != 5)
		return -1;
	if (s[off + 1] != 0) {
		*want_rep = s[off + 1];
		return -1;
	}
	switch (s[off + 3]) {
	case 1:
		alen = 4;
		break;
	case 4:
		alen = 16;
		break;
	case 3:
		if (n < off + 5)
			return -1;
		alen = 1 + (size_t)s[off + 4];
		break;
	default:
		return -1;
	}
	if (n < off + 4 + alen + 2)
		return -1;
	return (long)(off + 4 + alen + 2);
}

/* Everything available on fd until EOF; the write side is shut. */
static size_t
drain(int fd, unsigned char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t r;

	while (got < cap) {
		r = recv(fd, buf + got, cap - got, MSG_DONTWAIT);
		if (r > 0)
			got += (size_t)r;
		else if (r == -1 && errno == EINTR)
			continue;
		else
			break;
	}
	return got;
}

/* The client's bytes: greeting, auth, request, all well-formed. */
static void
check_sent(enum variant v, const unsigned char *b, size_t n,
    const char *host, uint16_t port, const struct sp_proxy *p)
{
	size_t off, ul = strlen(user), pl = strlen(pass), hl = strlen(host);

	if (v == V_SOCKS4 || v == V_SOCKS4A) {
		FUZZ_CHECK(n >= 9 && b[0] == 4 && b[1] == 1 &&
		    b[2] == port >> 8 && b[3] == (port & 0xff), "SOCKS4 head");
		FUZZ_CHECK(memcmp(b + 8, p->user, strlen(p->user) + 1) == 0,
		    "SOCKS4 user id");
		if (v == V_SOCKS4A)
			FUZZ_CHECK(b[4] == 0 && b[5] == 0 && b[6] == 0 &&
			    b[7] != 0 && n == 8 + strlen(p->user) + 1 + hl +
			    1 && memcmp(b + n - hl - 1, host, hl + 1) == 0,
			    "SOCKS4a name");
		return;
	}
	FUZZ_CHECK(n >= 3 && b[0] == 5 && b[1] >= 1 && n >= 2 + (size_t)b[1],
	    "SOCKS5 greeting");
	off = 2 + b[1];
	if (n > off && b[off] == 1) {
		/* RFC 1929 request: exactly our user and password. */
		FUZZ_CHECK(n >= off + 3 + ul + pl && b[off + 1] == ul &&
		    memcmp(b + off + 2, user, ul) == 0 &&
		    b[off + 2 + ul] == pl &&
		    memcmp(b + off + 3 + ul, pass, pl) == 0, "RFC 1929 request");
		off += 3 + ul + pl;
	}
	if (n > off)
		FUZZ_CHECK(b[off] == 5 && b[off + 1] == 1 && b[off + 2] == 0 &&
		    n >= off + 4 + 2 && b[n - 2] == port >> 8 &&
		    b[n - 1] == (port & 0xff), "SOCKS5 request");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char sent[4096], after[INPUT_MAX];
	static const char name255[] =
	    "a123456789b123456789c123456789d123456789e123456789"
	    "f123456789g123456789h123456789i123456789j123456789"
	    "k123456789l123456789m123456789n123456789o123456789"
	    "p123456789q123456789r123456789s123456789t123456789"
	    "u123456789v123456789w123456789x123456789y1234.onion";
	struct sp_socks_bound bnd;
	struct sp_proxy p;
	struct sp_conn c;
	enum variant v;
	const char *host;
	const uint8_t *srv;
	size_t nsrv, nafter, nsent;
	uint16_t port;
	unsigned sel;
	long end;
	int sv[2], r, want_rep;

	if (size < 1 || size > INPUT_MAX)
		return 0;
	sel = data[0];
	srv = data + 1;
	nsrv = size - 1;
	v = (enum variant)(sel % V_COUNT);
	port = (uint16_t)(sel & 0x80 ? 22 : 0xff01);

	memset(&p, 0, sizeof(p));
	switch (v) {
	case V_SOCKS4:
		p.type = SP_PROXY_SOCKS4;
		host = "192.0.2.7";
		if (sel & 0x40)
			snprintf(p.user, sizeof(p.user), "%s", user);
		break;
	case V_SOCKS4A:
		p.type = SP_PROXY_SOCKS4A;
		host = sel & 0x40 ? name255 : "db.example";
		snprintf(p.user, sizeof(p.user), "%s", user);
		break;
	case V_SOCKS5:
		p.type = SP_PROXY_SOCKS5;
		host = sel & 0x40 ? "2001:db8::1" : "198.51.100.1";
		break;
	case V_SOCKS5_AUTH:
	case V_SOCKS5_ISOLATE:
		p.type = SP_PROXY_SOCKS5H;
		host = sel & 0x40 ? name255 : "db.example";
		snprintf(p.user, sizeof(p.user), "%s", user);
		if ((p.password = strdup(pass)) == NULL)
			abort();
		p.isolation = v == V_SOCKS5_ISOLATE;
		break;
	default:
		p.type = SP_PROXY_SOCKS5H;
		host = "db.example";
		snprintf(p.user, sizeof(p.user), "%s", user);
		p.ask_password = sel & 0x40 ? ask_fail : ask_ok;
		break;
	}
	end = model(v, srv, nsrv, p.user[0] != '\0', p.isolation,
	    v != V_SOCKS5_ASK || !(sel & 0x40), &want_rep);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		abort();
	if (nsrv > 0 && write(sv[1], srv, nsrv) != (ssize_t)nsrv)
		abort();
	if (shutdown(sv[1], SHUT_WR) == -1)
		abort();
	sp_conn_init(&c, sv[0]);
	memset(&bnd, 0xa5, sizeof(bnd));
	r = sp_socks_handshake(&c, &p, host, port, sp_clock_ms() + 2000, &bnd);

	FUZZ_CHECK((r == SP_OK) == (end >= 0), "variant %d: result %d, model "
	    "%ld", (int)v, r, end);
	if (r != SP_OK) {
		FUZZ_CHECK(r >= SP_ERR_MAX || SP_ERR_IS_SOCKS5(r) ||
		    SP_ERR_IS_SOCKS4(r), "odd error %d", r);
		if (want_rep >= 0 && (v == V_SOCKS4 || v == V_SOCKS4A))
			FUZZ_CHECK(r == SP_ERR_SOCKS4(want_rep) ||
			    r == SP_ERR_PROTOCOL, "SOCKS4 code %d gave %d",
			    want_rep, r);
		else if (want_rep >= 0)
			FUZZ_CHECK(r == SP_ERR_SOCKS5(want_rep), "SOCKS5 code "
			    "%d gave %d", want_rep, r);
		goto out;
	}

	/* The rest of the input is the tunnel's, untouched. */
	nafter = c.npending;
	FUZZ_CHECK(nafter <= nsrv - (size_t)end, "%zu pending, %zu after the "
	    "reply", nafter, nsrv - (size_t)end);
	if (nafter > 0)
		memcpy(after, c.pending, nafter);
	nafter += drain(sv[0], after + nafter, sizeof(after) - nafter);
	FUZZ_CHECK(nafter == nsrv - (size_t)end &&
	    memcmp(after, srv + end, nafter) == 0, "tunnel bytes: %zu, want "
	    "%zu", nafter, nsrv - (size_t)end);

	if (v != V_SOCKS4 && v != V_SOCKS4A) {
		const uint8_t *rep = srv + end - 2;

		FUZZ_CHECK(FUZZ_TERMINATED(bnd.addr, sizeof(bnd.addr)),
		    "bound address unterminated");
		FUZZ_CHECK(bnd.port == (rep[0] << 8 | rep[1]), "bound port");
		FUZZ_CHECK(bnd.atyp == 1 || bnd.atyp == 3 || bnd.atyp == 4,
		    "bound type %d", bnd.atyp);
		for (const char *q = bnd.addr; *q != '\0'; q++)
			FUZZ_CHECK(*q >= 0x20 && *q < 0x7f, "unprintable "
			    "bound address");
	}
	nsent = drain(sv[1], sent, sizeof(sent));
	check_sent(v, sent, nsent, host, port, &p);
 out:
	close(sv[0]);
	close(sv[1]);
	sp_proxy_clear(&p);
	return 0;
}
