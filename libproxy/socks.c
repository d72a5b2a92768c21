#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "io.h"
#include "log.h"
#include "socks.h"

#define SOCKS5_VER		0x05
#define SOCKS5_CMD_CONNECT	0x01
#define SOCKS5_AUTH_NONE	0x00
#define SOCKS5_AUTH_USERPASS	0x02
#define SOCKS5_AUTH_NOACCEPT	0xff
#define SOCKS5_USERPASS_VER	0x01
#define SOCKS4_VER		0x04
#define SOCKS4_GRANTED		0x5a

/* CONNECT request: VER CMD RSV ATYP DST.ADDR DST.PORT (RFC 1928 4). */
int
sp_socks5_request(const char *host, uint16_t port, unsigned char *buf,
    size_t cap, size_t *len)
{
	struct in_addr a4;
	struct in6_addr a6;
	size_t n = 0, hl = strlen(host);

	if (cap < 4 + 1 + 255 + 2)
		return SP_ERR_INVALID_ARG;
	buf[n++] = SOCKS5_VER;
	buf[n++] = SOCKS5_CMD_CONNECT;
	buf[n++] = 0x00;
	if (inet_pton(AF_INET, host, &a4) == 1) {
		buf[n++] = SOCKS5_ATYP_IPV4;
		memcpy(buf + n, &a4, 4);
		n += 4;
	} else if (inet_pton(AF_INET6, host, &a6) == 1) {
		buf[n++] = SOCKS5_ATYP_IPV6;
		memcpy(buf + n, &a6, 16);
		n += 16;
	} else {
		if (hl == 0)
			return SP_ERR_HOST_EMPTY;
		if (hl > 255)
			return SP_ERR_HOST_TOOLONG;
		buf[n++] = SOCKS5_ATYP_DOMAIN;
		buf[n++] = (unsigned char)hl;
		memcpy(buf + n, host, hl);
		n += hl;
	}
	buf[n++] = (unsigned char)(port >> 8);
	buf[n++] = (unsigned char)(port & 0xff);
	*len = n;
	return SP_OK;
}

/* RFC 1929: VER ULEN UNAME PLEN PASSWD, each at most 255 bytes. */
int
sp_socks5_auth_request(const char *user, const char *pass,
    unsigned char *buf, size_t cap, size_t *len)
{
	size_t ul = strlen(user), pl = strlen(pass);

	if (ul == 0 || ul > 255 || pl > 255 || cap < 3 + ul + pl)
		return SP_ERR_INVALID_ARG;
	buf[0] = SOCKS5_USERPASS_VER;
	buf[1] = (unsigned char)ul;
	memcpy(buf + 2, user, ul);
	buf[2 + ul] = (unsigned char)pl;
	memcpy(buf + 3 + ul, pass, pl);
	*len = 3 + ul + pl;
	return SP_OK;
}

/*
 * Given the reply's ATYP and what follows it (buf[0] is ATYP), how long
 * is ATYP + BND.ADDR + BND.PORT?  A domain name needs its length byte,
 * so with only one byte at hand *total may be provisional: call again
 * with two.
 */
int
sp_socks5_bound_len(const unsigned char *buf, size_t have, size_t *total)
{
	if (have < 1)
		return SP_ERR_INVALID_ARG;
	switch (buf[0]) {
	case SOCKS5_ATYP_IPV4:
		*total = 1 + 4 + 2;
		return SP_OK;
	case SOCKS5_ATYP_IPV6:
		*total = 1 + 16 + 2;
		return SP_OK;
	case SOCKS5_ATYP_DOMAIN:
		*total = have < 2 ? 2 : (size_t)(1 + 1 + buf[1] + 2);
		return SP_OK;
	default:
		return SP_ERR_PROTOCOL;
	}
}

int
sp_socks5_bound_parse(const unsigned char *buf, size_t len,
    struct sp_socks_bound *b)
{
	size_t total, i;
	int r;

	if ((r = sp_socks5_bound_len(buf, len, &total)) != SP_OK)
		return r;
	if (len < total || (buf[0] == SOCKS5_ATYP_DOMAIN && len < 2))
		return SP_ERR_PROTOCOL;
	memset(b, 0, sizeof(*b));
	b->atyp = buf[0];
	switch (buf[0]) {
	case SOCKS5_ATYP_IPV4:
		inet_ntop(AF_INET, buf + 1, b->addr, sizeof(b->addr));
		break;
	case SOCKS5_ATYP_IPV6:
		inet_ntop(AF_INET6, buf + 1, b->addr, sizeof(b->addr));
		break;
	default:
		/* Shown in logs only: keep it printable. */
		for (i = 0; i < buf[1]; i++)
			b->addr[i] = buf[2 + i] >= 0x20 && buf[2 + i] < 0x7f ?
			    (char)buf[2 + i] : '?';
		b->addr[i] = '\0';
		break;
	}
	b->port = (uint16_t)(buf[total - 2] << 8 | buf[total - 1]);
	return SP_OK;
}

/*
 * SOCKS4: VN CD DSTPORT DSTIP USERID NUL; SOCKS4a puts 0.0.0.1 in DSTIP
 * and the name after the user id.
 */
int
sp_socks4_request(const char *host, uint16_t port, const char *userid,
    int v4a, unsigned char *buf, size_t cap, size_t *len)
{
	struct in_addr a4;
	size_t ul = strlen(userid), hl = strlen(host), n;

	if (ul > 255 || hl > 255 || cap < 8 + ul + 1 + hl + 1)
		return SP_ERR_INVALID_ARG;
	buf[0] = SOCKS4_VER;
	buf[1] = 0x01;
	buf[2] = (unsigned char)(port >> 8);
	buf[3] = (unsigned char)(port & 0xff);
	if (inet_pton(AF_INET, host, &a4) == 1) {
		memcpy(buf + 4, &a4, 4);
		v4a = 0;
	} else if (!v4a)
		return SP_ERR_NOT_NUMERIC;
	else {
		if (hl == 0)
			return SP_ERR_HOST_EMPTY;
		buf[4] = buf[5] = buf[6] = 0;
		buf[7] = 1;
	}
	n = 8;
	memcpy(buf + n, userid, ul);
	n += ul;
	buf[n++] = '\0';
	if (v4a) {
		memcpy(buf + n, host, hl);
		n += hl;
		buf[n++] = '\0';
	}
	*len = n;
	return SP_OK;
}

static int
socks5_auth(struct sp_conn *c, const struct sp_proxy *p, int64_t deadline)
{
	unsigned char buf[3 + 255 + 255], rep[2];
	size_t len;
	int r;

	if (p->password == NULL && p->ask_password != NULL &&
	    (r = p->ask_password((struct sp_proxy *)(uintptr_t)p,
	    p->ask_arg)) != SP_OK)
		return r;
	if (p->password == NULL)
		return SP_ERR_NO_PASSWORD;
	if ((r = sp_socks5_auth_request(p->user, p->password, buf,
	    sizeof(buf), &len)) != SP_OK)
		return r;
	r = sp_io_write_all(c, buf, len, deadline);
	explicit_bzero(buf, sizeof(buf));
	if (r != SP_OK || (r = sp_io_read_exact(c, rep, 2, deadline)) != SP_OK)
		return r;
	/* RFC 1929 says version 1; some servers echo 5.  Accept both. */
	if (rep[0] != SOCKS5_USERPASS_VER && rep[0] != SOCKS5_VER)
		return SP_ERR_PROTOCOL;
	return rep[1] == 0x00 ? SP_OK : SP_ERR_PROXY_AUTH;
}

static int
socks5_handshake(struct sp_conn *c, const struct sp_proxy *p,
    const char *host, uint16_t port, int64_t deadline,
    struct sp_socks_bound *bnd)
{
	unsigned char buf[4 + 1 + 255 + 2], *b = buf;
	size_t len, total;
	int r, with_user = p->user[0] != '\0';

	/*
	 * Offer username/password only when we have a user; with a fixed
	 * credential (Tor isolation) offer nothing else, so the server
	 * cannot skip it.
	 */
	len = 0;
	buf[len++] = SOCKS5_VER;
	if (!with_user) {
		buf[len++] = 1;
		buf[len++] = SOCKS5_AUTH_NONE;
	} else if (p->isolation) {
		buf[len++] = 1;
		buf[len++] = SOCKS5_AUTH_USERPASS;
	} else {
		buf[len++] = 2;
		buf[len++] = SOCKS5_AUTH_NONE;
		buf[len++] = SOCKS5_AUTH_USERPASS;
	}
	if ((r = sp_io_write_all(c, buf, len, deadline)) != SP_OK)
		return r;
	if ((r = sp_io_read_exact(c, buf, 2, deadline)) != SP_OK)
		return r;
	if (buf[0] != SOCKS5_VER) {
		sp_debug("SOCKS5 greeting answered with version %u", buf[0]);
		return buf[0] == 0x00 || buf[0] == SOCKS4_VER ?
		    SP_ERR_SOCKS_VERSION : SP_ERR_PROTOCOL;
	}
	switch (buf[1]) {
	case SOCKS5_AUTH_NONE:
		if (with_user && p->isolation)
			return SP_ERR_PROTOCOL;
		break;
	case SOCKS5_AUTH_USERPASS:
		if (!with_user)
			return SP_ERR_PROTOCOL;
		sp_debug("SOCKS5: authenticating as %s", p->user);
		if ((r = socks5_auth(c, p, deadline)) != SP_OK)
			return r;
		break;
	case SOCKS5_AUTH_NOACCEPT:
		return with_user ? SP_ERR_PROXY_DENIED :
		    SP_ERR_PROXY_AUTH_NEEDED;
	default:
		sp_debug("SOCKS5: server chose method 0x%02x we did not offer",
		    buf[1]);
		return SP_ERR_PROTOCOL;
	}

	if ((r = sp_socks5_request(host, port, buf, sizeof(buf), &len)) !=
	    SP_OK)
		return r;
	if ((r = sp_io_write_all(c, buf, len, deadline)) != SP_OK)
		return r;

	/* VER REP RSV ATYP, then the rest by ATYP: never a byte more. */
	if ((r = sp_io_read_exact(c, buf, 4, deadline)) != SP_OK)
		return r;
	if (buf[0] != SOCKS5_VER)
		return SP_ERR_PROTOCOL;
	if (buf[1] != 0x00) {
		sp_debug("SOCKS5: reply code 0x%02x", buf[1]);
		return SP_ERR_SOCKS5(buf[1]);
	}
	b = buf + 3;
	if ((r = sp_socks5_bound_len(b, 1, &total)) != SP_OK)
		return r;
	if (b[0] == SOCKS5_ATYP_DOMAIN) {
		if ((r = sp_io_read_exact(c, b + 1, 1, deadline)) != SP_OK)
			return r;
		if ((r = sp_socks5_bound_len(b, 2, &total)) != SP_OK)
			return r;
		r = sp_io_read_exact(c, b + 2, total - 2, deadline);
	} else
		r = sp_io_read_exact(c, b + 1, total - 1, deadline);
	if (r != SP_OK)
		return r;
	if (bnd != NULL && sp_socks5_bound_parse(b, total, bnd) == SP_OK)
		sp_debug("SOCKS5: connected, proxy bound %s port %u",
		    bnd->addr, bnd->port);
	return SP_OK;
}

static int
socks4_handshake(struct sp_conn *c, const struct sp_proxy *p,
    const char *host, uint16_t port, int64_t deadline)
{
	unsigned char buf[8 + 256 + 256];
	size_t len;
	int r;

	if ((r = sp_socks4_request(host, port, p->user,
	    p->type == SP_PROXY_SOCKS4A, buf, sizeof(buf), &len)) != SP_OK)
		return r;
	if ((r = sp_io_write_all(c, buf, len, deadline)) != SP_OK)
		return r;
	if ((r = sp_io_read_exact(c, buf, 8, deadline)) != SP_OK)
		return r;
	/* VN is 0 in the protocol; some servers answer 4.  5 is SOCKS5. */
	if (buf[0] != 0x00 && buf[0] != SOCKS4_VER)
		return buf[0] == SOCKS5_VER ? SP_ERR_SOCKS_VERSION :
		    SP_ERR_PROTOCOL;
	if (buf[1] == SOCKS4_GRANTED)
		return SP_OK;
	if (buf[1] < 0x5b || buf[1] > 0x5d)
		return SP_ERR_PROTOCOL;
	return SP_ERR_SOCKS4(buf[1]);
}

/*
 * Ask the SOCKS server at the other end of c to connect to host:port.
 * For socks4:// and socks5:// the caller has already resolved host to
 * an address; for socks4a:// and socks5h:// the name goes to the proxy.
 */
int
sp_socks_handshake(struct sp_conn *c, const struct sp_proxy *p,
    const char *host, uint16_t port, int64_t deadline,
    struct sp_socks_bound *bnd)
{
	struct sp_socks_bound tmp;

	switch (p->type) {
	case SP_PROXY_SOCKS4:
	case SP_PROXY_SOCKS4A:
		return socks4_handshake(c, p, host, port, deadline);
	case SP_PROXY_SOCKS5:
	case SP_PROXY_SOCKS5H:
		return socks5_handshake(c, p, host, port, deadline,
		    bnd != NULL ? bnd : &tmp);
	default:
		return SP_ERR_INVALID_ARG;
	}
}
