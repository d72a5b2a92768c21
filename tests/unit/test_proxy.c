/* Unit tests: proxy URLs, no_proxy, onion addresses, password files. */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "onion.h"
#include "proxy.h"
#include "secret.h"
#include "tap.h"

static void
url_ok(const char *url, enum sp_proxy_type def, enum sp_proxy_type type,
    const char *user, const char *host, unsigned port, const char *path)
{
	struct sp_proxy p;
	int r = sp_proxy_parse(url, def, &p);

	is_int(r, SP_OK, "proxy '%s'", url);
	if (r != SP_OK)
		return;
	is_int(p.type, type, "  type");
	is_str(p.user, user, "  user");
	is_str(p.host, host, "  host");
	is_int(p.port, port, "  port");
	is_str(p.path, path, "  path");
	ok(p.password == NULL, "  no password");
}

static void
url_bad(const char *url, enum sp_proxy_type def, int want)
{
	struct sp_proxy p;

	is_int(sp_proxy_parse(url, def, &p), want, "reject proxy '%s': %s",
	    url, sp_strerror(want));
}

static void
onion(const char *host, int want, const char *why_has)
{
	const char *why;
	int r = sp_onion_check(host, &why);

	is_int(r, want, "onion '%.24s...': %s", host,
	    why != NULL ? why : "ok");
	if (why_has != NULL)
		ok(why != NULL && strstr(why, why_has) != NULL,
		    "  says '%s'", why_has);
}

int
main(void)
{
	const enum sp_proxy_type N = SP_PROXY_NONE;
	char tmpl[] = "/tmp/sp-test-pw.XXXXXX", *pw;
	int fd;

	url_ok("socks5h://127.0.0.1:9050", N, SP_PROXY_SOCKS5H, "",
	    "127.0.0.1", 9050, "");
	url_ok("socks5://proxy", N, SP_PROXY_SOCKS5, "", "proxy", 1080, "");
	url_ok("SOCKS4A://alice@proxy:1081", N, SP_PROXY_SOCKS4A, "alice",
	    "proxy", 1081, "");
	url_ok("socks4://[::1]:1080", N, SP_PROXY_SOCKS4, "", "::1", 1080, "");
	url_ok("http://proxy.corp", N, SP_PROXY_HTTP, "", "proxy.corp", 8080,
	    "");
	url_ok("https://bob@proxy.corp:8443/", N, SP_PROXY_HTTPS, "bob",
	    "proxy.corp", 8443, "");
	url_ok("socks5h://localhost/run/tor/socks", N, SP_PROXY_SOCKS5H, "",
	    "localhost", 0, "/run/tor/socks");
	url_ok("socks5h:///run/tor/socks", N, SP_PROXY_SOCKS5H, "",
	    "localhost", 0, "/run/tor/socks");
	url_ok("proxy:3128", SP_PROXY_HTTP, SP_PROXY_HTTP, "", "proxy", 3128,
	    "");
	url_ok("proxy", SP_PROXY_SOCKS5H, SP_PROXY_SOCKS5H, "", "proxy", 1080,
	    "");
	url_bad("proxy:1080", N, SP_ERR_PROXY_URL);
	url_bad("gopher://proxy", N, SP_ERR_PROXY_URL);
	url_bad("socks5h://alice:secret@proxy", N, SP_ERR_PROXY_PASSWORD);
	url_bad("http://:secret@proxy", N, SP_ERR_PROXY_PASSWORD);
	/* Found by fuzz_proxy: the password went into the user name. */
	url_bad("http://alice@corp:secret@proxy", N, SP_ERR_PROXY_PASSWORD);
	url_bad("socks5h://", N, SP_ERR_HOST_EMPTY);
	url_bad("socks5h://proxy:0", N, SP_ERR_PORT_RANGE);
	url_bad("socks5h://proxy:99999", N, SP_ERR_PORT_RANGE);
	url_bad("socks5h://pro xy", N, SP_ERR_HOST_BADCHAR);
	url_bad("socks5h://[::1", N, SP_ERR_HOST_BRACKET);
	url_bad("http://localhost/some.sock", N, SP_ERR_PROXY_URL);
	url_bad("socks5h://otherhost/some.sock", N, SP_ERR_PROXY_URL);
	{
		char big[300];

		snprintf(big, sizeof(big), "socks5h://localhost/%0200d/x", 0);
		url_bad(big, N, SP_ERR_PROXY_URL);
	}
	{
		enum sp_proxy_type t;

		is_int(sp_proxy_type_parse("5", &t), SP_OK, "-X 5");
		is_int(t, SP_PROXY_SOCKS5H, "  names go to the proxy, as nc");
		is_int(sp_proxy_type_parse("connect", &t), SP_OK, "-X connect");
		is_int(t, SP_PROXY_HTTP, "  is HTTP");
		is_int(sp_proxy_type_parse("4a", &t), SP_OK, "-X 4a");
		is_int(sp_proxy_type_parse("6", &t), SP_ERR_PROXY_URL, "-X 6");
	}
	{
		struct sp_proxy p;
		char buf[128];

		sp_proxy_parse("socks5h://alice@[::1]:1080", N, &p);
		sp_proxy_describe(&p, buf, sizeof(buf));
		is_str(buf, "socks5h://alice@[::1]:1080", "describe");
	}

	{
		char buf[128];

		sp_proxy_redact_url("socks5h://alice:S3cret@p:1080", buf,
		    sizeof(buf));
		is_str(buf, "socks5h://alice:***@p:1080", "redact a password");
		ok(strstr(buf, "S3cret") == NULL, "  gone");
		sp_proxy_redact_url("http://bob@p/x:y@z", buf, sizeof(buf));
		is_str(buf, "http://bob@p/x:y@z", "no password: unchanged");
		sp_proxy_redact_url("u:pw@host:1", buf, sizeof(buf));
		is_str(buf, "u:***@host:1", "redact without a scheme");
		/* Found by fuzz_proxy: unencoded '@' and '/' in passwords. */
		sp_proxy_redact_url("http://bob:p@ss@proxy:3128", buf,
		    sizeof(buf));
		is_str(buf, "http://bob:***@proxy:3128", "redact p@ss");
		sp_proxy_redact_url("socks5h://bob:pa/ss@proxy:1080", buf,
		    sizeof(buf));
		is_str(buf, "socks5h://bob:***@proxy:1080", "redact pa/ss");
		sp_proxy_redact_url("http://alice@corp:S3cret@p:3128", buf,
		    sizeof(buf));
		is_str(buf, "http://alice@corp:***@p:3128",
		    "redact after a user with '@'");
		sp_proxy_redact_url("http://[::1]:3128", buf, sizeof(buf));
		is_str(buf, "http://[::1]:3128", "no '@': unchanged");
	}
	ok(sp_no_proxy_match("*", "anything"), "no_proxy *");
	ok(sp_no_proxy_match("example.com", "example.com"), "no_proxy exact");
	ok(sp_no_proxy_match("example.com", "a.example.com"),
	    "no_proxy subdomain");
	ok(sp_no_proxy_match(".example.com", "a.example.com"),
	    "no_proxy leading dot");
	ok(!sp_no_proxy_match("example.com", "badexample.com"),
	    "no_proxy is not a plain suffix");
	ok(sp_no_proxy_match("foo, localhost ,bar", "localhost"),
	    "no_proxy list with spaces");
	ok(!sp_no_proxy_match("", "localhost"), "empty no_proxy");
	ok(!sp_no_proxy_match(NULL, "localhost"), "unset no_proxy");

	ok(sp_is_onion("abc.onion"), "is onion");
	ok(sp_is_onion("ABC.ONION."), "is onion, case and final dot");
	ok(!sp_is_onion("onion"), "'onion' alone is not");
	ok(!sp_is_onion("example.com"), "example.com is not");
	ok(!sp_is_onion("x.onion.example.com"), "onion in the middle is not");
	onion("example.com", SP_OK, NULL);
	onion("zklycewkdo64v6wcggzzui64jwtyn37ycr6e44vzqb3yll7ojc567tyd.onion", SP_OK, NULL);
	onion("hyr6qfqahfmuum4jj5swjynrgsf326qardkcyswlopxk5vm4aco726yd.onion", SP_OK, NULL);
	onion("www.zklycewkdo64v6wcggzzui64jwtyn37ycr6e44vzqb3yll7ojc567tyd.onion", SP_OK, NULL);
	onion("ZKLYCEWKDO64V6WCGGZZUI64JWTYN37YCR6E44VZQB3YLL7OJC567TYD.ONION", SP_OK, NULL);
	onion("zklycewkdo64v6wcggzzui64jwtyn37ycr6e44vzqb3yll7ojc567tyd.onion.", SP_OK, NULL);
	onion("aklycewkdo64v6wcggzzui64jwtyn37ycr6e44vzqb3yll7ojc567tyd.onion", SP_ERR_ONION_BAD, "checksum");
	onion("zklycewkdo64v6wcggzzui64jwtyn37ycr6e44vzqb3yll7ojc567tyc.onion", SP_ERR_ONION_BAD,
	    "version");
	onion("1klycewkdo64v6wcggzzui64jwtyn37ycr6e44vzqb3yll7ojc567tyd.onion", SP_ERR_ONION_BAD, "a-z");
	onion("abcdefghijklmnop.onion", SP_ERR_ONION_BAD, "v2");
	onion("short.onion", SP_ERR_ONION_BAD, "56");
	onion(".onion", SP_ERR_ONION_BAD, "56");
	is_int(sp_err_exit_status(SP_ERR_ONION_BAD), 65, "bad onion exits 65");
	{
		uint8_t d[32];

		sp_sha3_256("abc", 3, d);
		ok(d[0] == 0x3a && d[1] == 0x98 && d[31] == 0x32,
		    "SHA3-256(abc)");
	}

	/* Password files: owner-only, first line, wiped. */
	if ((fd = mkstemp(tmpl)) == -1)
		return 1;
	(void)!write(fd, "s3cret\nsecond line\n", 19);
	close(fd);
	chmod(tmpl, 0600);
	is_int(sp_secret_from_file(tmpl, &pw), SP_OK, "password file 0600");
	is_str(pw, "s3cret", "  first line only");
	sp_secret_free(pw);
	chmod(tmpl, 0640);
	is_int(sp_secret_from_file(tmpl, &pw), SP_ERR_PASSWORD_PERMS,
	    "password file 0640 refused");
	chmod(tmpl, 0604);
	is_int(sp_secret_from_file(tmpl, &pw), SP_ERR_PASSWORD_PERMS,
	    "password file 0604 refused");
	is_int(sp_err_exit_status(SP_ERR_PASSWORD_PERMS), 78, "  exits 78");
	unlink(tmpl);
	ok(SP_ERR_IS_ERRNO(sp_secret_from_file(tmpl, &pw)),
	    "missing password file");
	setenv("SP_TEST_PW", "envpw", 1);
	is_int(sp_secret_from_env("SP_TEST_PW", &pw), SP_OK, "password env");
	is_str(pw, "envpw", "  value");
	sp_secret_free(pw);
	unsetenv("SP_TEST_PW");
	is_int(sp_secret_from_env("SP_TEST_PW", &pw), SP_ERR_NO_PASSWORD,
	    "unset password env");
	return tap_done();
}
