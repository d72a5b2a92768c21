/*
 * Unit tests: the SOCKS codec (libproxy/socks.c) from canned bytes.
 * A child process plays the server over a socketpair: it checks what
 * we sent and answers with canned replies, sometimes a byte at a time,
 * sometimes with tunnel bytes glued to the reply.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "err.h"
#include "proxy.h"
#include "socks.h"
#include "tap.h"
#include "util.h"

/* One scripted exchange: expect these bytes, then send those. */
struct step {
	const unsigned char	*expect;
	size_t			 nexpect;
	const unsigned char	*send;
	size_t			 nsend;
	int			 dribble;	/* send a byte at a time */
	int			 close_after;
};

static void
server(int fd, const struct step *steps, int nsteps)
{
	unsigned char buf[1024];
	int i;
	size_t j, got;
	ssize_t n;

	for (i = 0; i < nsteps; i++) {
		for (got = 0; got < steps[i].nexpect; got += (size_t)n)
			if ((n = read(fd, buf + got, steps[i].nexpect - got))
			    <= 0)
				_exit(10 + i);
		if (memcmp(buf, steps[i].expect, steps[i].nexpect) != 0)
			_exit(20 + i);
		if (steps[i].dribble) {
			for (j = 0; j < steps[i].nsend; j++) {
				if (write(fd, steps[i].send + j, 1) != 1)
					_exit(30 + i);
				usleep(2000);
			}
		} else if (steps[i].nsend > 0 &&
		    write(fd, steps[i].send, steps[i].nsend) !=
		    (ssize_t)steps[i].nsend)
			_exit(30 + i);
		if (steps[i].close_after)
			_exit(0);
	}
	/* Stay until the client is done, so EOF is never the answer. */
	(void)read(fd, buf, 1);
	_exit(0);
}

/* Run a handshake against a scripted server; returns the result. */
static int
run(const struct sp_proxy *p, const char *host, uint16_t port,
    const struct step *steps, int nsteps, int timeout_ms,
    int *server_status, unsigned char *after, size_t nafter)
{
	struct sp_socks_bound bnd;
	struct sp_conn c;
	int sv[2], r, st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return SP_ERR_INTERNAL;
	if ((pid = fork()) == 0) {
		close(sv[0]);
		server(sv[1], steps, nsteps);
	}
	close(sv[1]);
	sp_set_nonblock(sv[0], 1);
	sp_conn_init(&c, sv[0]);
	r = sp_socks_handshake(&c, p, host, port,
	    sp_clock_ms() + timeout_ms, &bnd);
	if (r == SP_OK && nafter > 0) {
		/* The bytes after the reply must still be in the socket. */
		size_t got = 0;
		ssize_t n;

		sp_set_nonblock(sv[0], 0);
		while (got < nafter && (n = read(sv[0], after + got,
		    nafter - got)) > 0)
			got += (size_t)n;
	}
	close(sv[0]);		/* the server sees EOF and exits */
	waitpid(pid, &st, 0);
	*server_status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return r;
}

static const unsigned char g_none[] = { 5, 1, 0 };
static const unsigned char m_none[] = { 5, 0 };
static const unsigned char req_name[] = { 5, 1, 0, 3, 11,
	'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm', 0, 22 };
static const unsigned char ok_v4[] = { 5, 0, 0, 1, 127, 0, 0, 1, 0x12,
	0x34 };

static void
socks5_cases(void)
{
	struct sp_proxy p;
	unsigned char after[16];
	int st, r, code;
	char name[64];

	memset(&p, 0, sizeof(p));
	p.type = SP_PROXY_SOCKS5H;

	{
		struct step s[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req_name, sizeof(req_name), ok_v4, sizeof(ok_v4), 0,
			    0 },
		};
		is_int(run(&p, "example.com", 22, s, 2, 2000, &st, NULL, 0),
		    SP_OK, "socks5h: name goes to the proxy (ATYP 3)");
		is_int(st, 0, "  server saw the exact bytes");
	}
	{
		static const unsigned char rep[] = { 5, 0, 0, 1, 10, 0, 0, 1,
			0, 80, 'S', 'S', 'H', '-' };
		struct step s[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req_name, sizeof(req_name), rep, sizeof(rep), 0, 0 },
		};
		memset(after, 0, sizeof(after));
		is_int(run(&p, "example.com", 22, s, 2, 2000, &st, after, 4),
		    SP_OK, "socks5: tunnel bytes glued to the reply");
		ok(memcmp(after, "SSH-", 4) == 0,
		    "  were left in the socket for the relay");
	}
	{
		static const unsigned char rep[] = { 5, 0, 0, 3, 13,
			'b', 'o', 'u', 'n', 'd', '.', 'e', 'x', 'a', 'm', 'p',
			'l', 'e', 0x04, 0x38, 'X' };
		struct step s[] = {
			{ g_none, 3, m_none, 2, 1, 0 },
			{ req_name, sizeof(req_name), rep, sizeof(rep), 1, 0 },
		};
		memset(after, 0, sizeof(after));
		is_int(run(&p, "example.com", 22, s, 2, 3000, &st, after, 1),
		    SP_OK, "socks5: domain-name BND.ADDR, a byte at a time");
		ok(after[0] == 'X', "  the byte after it is the tunnel's");
	}
	{
		static const unsigned char rep[] = { 5, 0, 0, 4,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 22,
			'Y' };
		struct step s[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req_name, sizeof(req_name), rep, sizeof(rep), 0, 0 },
		};
		is_int(run(&p, "example.com", 22, s, 2, 2000, &st, after, 1),
		    SP_OK, "socks5: IPv6 BND.ADDR");
		ok(after[0] == 'Y', "  exact length consumed");
	}
	{
		static const unsigned char req4[] = { 5, 1, 0, 1, 192, 0, 2, 1,
			0, 22 };
		static const unsigned char req6[] = { 5, 1, 0, 4, 0x20, 0x01,
			0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 22 };
		struct step s4[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req4, sizeof(req4), ok_v4, sizeof(ok_v4), 0, 0 },
		};
		struct step s6[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req6, sizeof(req6), ok_v4, sizeof(ok_v4), 0, 0 },
		};
		is_int(run(&p, "192.0.2.1", 22, s4, 2, 2000, &st, NULL, 0),
		    SP_OK, "socks5: IPv4 target as ATYP 1");
		is_int(st, 0, "  exact request bytes");
		is_int(run(&p, "2001:db8::1", 22, s6, 2, 2000, &st, NULL, 0),
		    SP_OK, "socks5: IPv6 target as ATYP 4");
		is_int(st, 0, "  exact request bytes");
	}
	/* Every reply code maps to its own error. */
	for (code = 1; code <= 0xff; code++) {
		unsigned char rep[] = { 5, (unsigned char)code, 0, 1, 0, 0, 0,
			0, 0, 0 };
		struct step s[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req_name, sizeof(req_name), rep, sizeof(rep), 0, 0 },
		};

		if (!(code <= 8 || code >= 0xf0))
			continue;
		r = run(&p, "example.com", 22, s, 2, 2000, &st, NULL, 0);
		snprintf(name, sizeof(name), "reply 0x%02x", code);
		is_int(r, SP_ERR_SOCKS5(code), "socks5 %s: %s", name,
		    sp_strerror(r));
	}
	is_int(sp_err_exit_status(SP_ERR_SOCKS5(0xf6)), 65,
	    "tor 0xF6 (bad onion) exits 65");
	is_int(sp_err_exit_status(SP_ERR_SOCKS5(0xf0)), 68,
	    "tor 0xF0 (no descriptor) exits 68");
	is_int(sp_err_exit_status(SP_ERR_SOCKS5(0x06)), 75,
	    "0x06 (TTL expired) exits 75");
	is_int(sp_err_exit_status(SP_ERR_SOCKS5(0x02)), 77,
	    "0x02 (ruleset) exits 77");
	is_int(sp_err_exit_status(SP_ERR_SOCKS5(0x05)), 69,
	    "0x05 (refused) exits 69");
	ok(strstr(sp_strerror(SP_ERR_SOCKS5(0xf0)), "descriptor") != NULL,
	    "0xF0 in words: %s", sp_strerror(SP_ERR_SOCKS5(0xf0)));

	/* Misbehaving servers. */
	{
		static const unsigned char garbage[] = { 'H', 'T' };
		struct step s[] = { { g_none, 3, garbage, 2, 0, 0 } };
		is_int(run(&p, "example.com", 22, s, 1, 2000, &st, NULL, 0),
		    SP_ERR_PROTOCOL, "garbage greeting reply");
	}
	{
		static const unsigned char v4[] = { 0, 0x5a };
		struct step s[] = { { g_none, 3, v4, 2, 0, 0 } };
		is_int(run(&p, "example.com", 22, s, 1, 2000, &st, NULL, 0),
		    SP_ERR_SOCKS_VERSION, "a SOCKS4 server answering");
	}
	{
		static const unsigned char half[] = { 5 };
		struct step s[] = { { g_none, 3, half, 1, 0, 1 } };
		is_int(run(&p, "example.com", 22, s, 1, 2000, &st, NULL, 0),
		    SP_ERR_PROXY_CLOSED, "close in the middle of the greeting");
	}
	{
		static const unsigned char part[] = { 5, 0, 0, 1, 127, 0 };
		struct step s[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req_name, sizeof(req_name), part, sizeof(part), 0, 1 },
		};
		is_int(run(&p, "example.com", 22, s, 2, 2000, &st, NULL, 0),
		    SP_ERR_PROXY_CLOSED, "truncated BND.ADDR then close");
	}
	{
		static const unsigned char part[] = { 5, 0, 0, 1, 127, 0 };
		struct step s[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req_name, sizeof(req_name), part, sizeof(part), 0, 0 },
		};
		is_int(run(&p, "example.com", 22, s, 2, 300, &st, NULL, 0),
		    SP_ERR_TIMEOUT, "truncated BND.ADDR then a stall: timeout");
	}
	{
		struct step s[] = { { g_none, 3, NULL, 0, 0, 0 } };
		is_int(run(&p, "example.com", 22, s, 1, 300, &st, NULL, 0),
		    SP_ERR_TIMEOUT, "server never answers: timeout");
	}
	{
		static const unsigned char bad_atyp[] = { 5, 0, 0, 9, 0, 0 };
		struct step s[] = {
			{ g_none, 3, m_none, 2, 0, 0 },
			{ req_name, sizeof(req_name), bad_atyp, sizeof(bad_atyp),
			    0, 0 },
		};
		is_int(run(&p, "example.com", 22, s, 2, 2000, &st, NULL, 0),
		    SP_ERR_PROTOCOL, "unknown ATYP in the reply");
	}
	{
		static const unsigned char m_ff[] = { 5, 0xff };
		struct step s[] = { { g_none, 3, m_ff, 2, 0, 0 } };
		is_int(run(&p, "example.com", 22, s, 1, 2000, &st, NULL, 0),
		    SP_ERR_PROXY_AUTH_NEEDED,
		    "no acceptable method without a user: auth needed");
	}
	{
		static const unsigned char m_up[] = { 5, 2 };
		struct step s[] = { { g_none, 3, m_up, 2, 0, 0 } };
		is_int(run(&p, "example.com", 22, s, 1, 2000, &st, NULL, 0),
		    SP_ERR_PROTOCOL, "server picks a method we did not offer");
	}

	/* RFC 1929 username/password. */
	{
		static const unsigned char g_up[] = { 5, 2, 0, 2 };
		static const unsigned char m_up[] = { 5, 2 };
		static const unsigned char auth[] = { 1, 5, 'a', 'l', 'i', 'c',
			'e', 6, 's', 'e', 'c', 'r', 'e', 't' };
		static const unsigned char auth_ok[] = { 1, 0 };
		static const unsigned char auth_bad[] = { 1, 1 };
		struct step good[] = {
			{ g_up, 4, m_up, 2, 0, 0 },
			{ auth, sizeof(auth), auth_ok, 2, 0, 0 },
			{ req_name, sizeof(req_name), ok_v4, sizeof(ok_v4), 0,
			    0 },
		};
		struct step bad[] = {
			{ g_up, 4, m_up, 2, 0, 0 },
			{ auth, sizeof(auth), auth_bad, 2, 0, 0 },
		};
		char pw[] = "secret";

		snprintf(p.user, sizeof(p.user), "alice");
		p.password = pw;
		is_int(run(&p, "example.com", 22, good, 3, 2000, &st, NULL, 0),
		    SP_OK, "user/password accepted");
		is_int(st, 0, "  exact RFC 1929 bytes");
		is_int(run(&p, "example.com", 22, bad, 2, 2000, &st, NULL, 0),
		    SP_ERR_PROXY_AUTH, "user/password refused");
		is_int(sp_err_exit_status(SP_ERR_PROXY_AUTH), 77,
		    "  exits 77");
		p.password = NULL;
		{
			struct step s[] = { { g_up, 4, m_up, 2, 0, 0 } };
			is_int(run(&p, "example.com", 22, s, 1, 2000, &st,
			    NULL, 0), SP_ERR_NO_PASSWORD,
			    "server wants a password we do not have");
		}
		{
			static const unsigned char g_iso[] = { 5, 1, 2 };
			struct step s[] = {
				{ g_iso, 3, m_up, 2, 0, 0 },
				{ auth, sizeof(auth), auth_ok, 2, 0, 0 },
				{ req_name, sizeof(req_name), ok_v4,
				    sizeof(ok_v4), 0, 0 },
			};
			p.password = pw;
			p.isolation = 1;
			is_int(run(&p, "example.com", 22, s, 3, 2000, &st,
			    NULL, 0), SP_OK,
			    "isolation credentials: only method 2 offered");
			is_int(st, 0, "  exact greeting");
			p.isolation = 0;
		}
	}
}

static void
socks4_cases(void)
{
	struct sp_proxy p;
	unsigned char buf[600];
	size_t len;
	int st;
	static const unsigned char req4[] = { 4, 1, 0, 22, 192, 0, 2, 1, 0 };
	static const unsigned char req4a[] = { 4, 1, 0, 22, 0, 0, 0, 1, 'u',
		0, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm', 0 };
	static const unsigned char granted[] = { 0, 0x5a, 0, 0, 0, 0, 0, 0,
		'Z' };
	static const unsigned char rejected[] = { 0, 0x5b, 0, 0, 0, 0, 0, 0 };
	static const unsigned char s5[] = { 5, 0, 0, 0, 0, 0, 0, 0 };
	unsigned char after[1];

	memset(&p, 0, sizeof(p));
	p.type = SP_PROXY_SOCKS4;
	{
		struct step s[] = { { req4, sizeof(req4), granted,
		    sizeof(granted), 0, 0 } };
		is_int(run(&p, "192.0.2.1", 22, s, 1, 2000, &st, after, 1),
		    SP_OK, "socks4: granted");
		is_int(st, 0, "  exact request");
		ok(after[0] == 'Z', "  8-byte reply, nothing more read");
	}
	{
		struct step s[] = { { req4, sizeof(req4), rejected,
		    sizeof(rejected), 0, 0 } };
		is_int(run(&p, "192.0.2.1", 22, s, 1, 2000, &st, NULL, 0),
		    SP_ERR_SOCKS4(0x5b), "socks4: rejected (0x5B)");
	}
	{
		struct step s[] = { { req4, sizeof(req4), s5, sizeof(s5), 0,
		    0 } };
		is_int(run(&p, "192.0.2.1", 22, s, 1, 2000, &st, NULL, 0),
		    SP_ERR_SOCKS_VERSION, "socks4: a SOCKS5 server answering");
	}
	is_int(sp_socks4_request("example.com", 22, "", 0, buf, sizeof(buf),
	    &len), SP_ERR_NOT_NUMERIC, "socks4 (not 4a) needs an address");
	p.type = SP_PROXY_SOCKS4A;
	snprintf(p.user, sizeof(p.user), "u");
	{
		struct step s[] = { { req4a, sizeof(req4a), granted, 8, 1,
		    0 } };
		is_int(run(&p, "example.com", 22, s, 1, 2000, &st, NULL, 0),
		    SP_OK, "socks4a: name after the user id, reply dribbled");
		is_int(st, 0, "  exact request");
	}
}

static void
codec_cases(void)
{
	unsigned char buf[600];
	char big[300];
	size_t len, total;
	struct sp_socks_bound b;
	static const unsigned char dom[] = { 3, 3, 'a', 'b', 'c', 0, 80 };

	memset(big, 'a', 256);
	big[256] = '\0';
	is_int(sp_socks5_request(big, 22, buf, sizeof(buf), &len),
	    SP_ERR_HOST_TOOLONG, "a 256-byte name does not fit SOCKS5");
	big[255] = '\0';
	is_int(sp_socks5_request(big, 22, buf, sizeof(buf), &len), SP_OK,
	    "a 255-byte name does");
	is_int(len, 4 + 1 + 255 + 2, "  request length");
	is_int(sp_socks5_request("", 22, buf, sizeof(buf), &len),
	    SP_ERR_HOST_EMPTY, "an empty name");
	is_int(sp_socks5_auth_request("", "x", buf, sizeof(buf), &len),
	    SP_ERR_INVALID_ARG, "RFC 1929 needs a user");
	big[255] = 'a';
	big[256] = '\0';
	is_int(sp_socks5_auth_request("u", big, buf, sizeof(buf), &len),
	    SP_ERR_INVALID_ARG, "a 256-byte password does not fit RFC 1929");
	is_int(sp_socks5_bound_len(dom, 1, &total), SP_OK,
	    "domain BND length with one byte");
	is_int(total, 2, "  asks for the length byte");
	is_int(sp_socks5_bound_len(dom, 2, &total), SP_OK,
	    "domain BND length with two");
	is_int(total, 7, "  ATYP + len + 3 + port");
	is_int(sp_socks5_bound_parse(dom, sizeof(dom), &b), SP_OK,
	    "domain BND parses");
	is_str(b.addr, "abc", "  name");
	is_int(b.port, 80, "  port");
	is_int(sp_socks5_bound_parse(dom, 4, &b), SP_ERR_PROTOCOL,
	    "truncated domain BND");
	{
		static const unsigned char v4[] = { 1, 10, 1, 2, 3, 0x01, 0xbb };
		is_int(sp_socks5_bound_parse(v4, sizeof(v4), &b), SP_OK,
		    "IPv4 BND parses");
		is_str(b.addr, "10.1.2.3", "  address");
		is_int(b.port, 443, "  port");
		is_int(sp_socks5_bound_parse(v4, 5, &b), SP_ERR_PROTOCOL,
		    "truncated IPv4 BND");
	}
	{
		static const unsigned char ctl[] = { 3, 2, 0x1b, 'x', 0, 1 };
		is_int(sp_socks5_bound_parse(ctl, sizeof(ctl), &b), SP_OK,
		    "BND name with a control character");
		is_str(b.addr, "?x", "  is made printable");
	}
	{
		static const unsigned char bad[] = { 7, 0, 0 };
		is_int(sp_socks5_bound_len(bad, 3, &total), SP_ERR_PROTOCOL,
		    "unknown ATYP");
	}
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	codec_cases();
	socks5_cases();
	socks4_cases();
	return tap_done();
}
