#!/usr/bin/env bats
# TEMPORARY SCAFFOLDING: checks the proxy fixtures themselves (tests/lib/
# proxies.bash, tests/lib/tor.bash, tests/fixtures/badproxy.py) with
# reference clients (curl, tests/fixtures/proxyprobe.py), not with our
# binaries.  Once the SOCKS/HTTP suites exercise every fixture, delete it.
# Root only (throwaway accounts for danted, squid, tor in a namespace).

load lib/common
load lib/netns
load lib/proxies
load lib/tor

setup_file() {
	spt_setup_file
	export FIX_SKIP=
	FIX_SKIP=$(spt_proxies_missing danted microsocks tinyproxy stunnel4 squid curl openssl socat python3)
	[[ -z $FIX_SKIP ]] && FIX_SKIP=$(spt_tor_missing)
	[[ -n $FIX_SKIP ]] && return 0
	local d=$BATS_FILE_TMPDIR

	# Targets.  web: a minimal HTTP server (for curl); banner: sends an ssh-like
	# banner, then echoes; wc: reads to EOF, then answers (half-close check).
	cat >"$d/web.sh" <<-'EOF'
	#!/bin/bash
	while IFS= read -r l && [[ $l != $'\r' && -n $l ]]; do :; done
	printf 'HTTP/1.0 200 OK\r\nContent-Length: 20\r\n\r\nhello-through-proxy\n'
	EOF
	printf '#!/bin/sh\nprintf "SSH-2.0-target\\r\\n"\nexec cat\n' >"$d/banner.sh"
	printf '#!/bin/sh\nn=$(wc -c)\nprintf "after-eof %%s\\n" "$n"\n' >"$d/wc.sh"
	chmod +x "$d"/*.sh
	spt_server -f web "EXEC:$d/web.sh"
	WEB=$SRV_PORT
	spt_server -f banner "EXEC:$d/banner.sh"
	BANNER=$SRV_PORT
	spt_server -f wc "EXEC:$d/wc.sh"
	WC=$SRV_PORT

	start_danted
	DANTE=$DANTED_PORT
	start_danted --auth 'pw with space'
	DANTE_AUTH=$DANTED_PORT DANTE_USER=$DANTED_USER
	start_microsocks
	MS=$MICROSOCKS_PORT
	start_microsocks -u bob -P 'b0b pw'
	MS_AUTH=$MICROSOCKS_PORT
	start_tinyproxy --basic bob:bobpw --connect-port "$WEB" --connect-port "$WC"
	TP=$TINYPROXY_PORT
	start_https_proxy --basic bob:bobpw
	TLSP=$TLSPROXY_PORT TLSCA=$TLSPROXY_CACERT TLSCA_OTHER=$TLSPROXY_OTHER_CA
	start_digest_proxy carol:'c4r0l pw'
	DIGEST=$DIGEST_PROXY_PORT DIGEST_ACCESS=$SQUID_ACCESS_LOG
	start_squid --ntlm --basic dave:davepw
	NTLM=$SQUID_PORT
	start_tor_offline
	spt_dns_watch "$TOR_NS"
	export WEB BANNER WC DANTE DANTE_AUTH DANTE_USER MS MS_AUTH TP TLSP TLSCA TLSCA_OTHER
	export DIGEST DIGEST_ACCESS NTLM TOR_NS TOR_PORT TOR_URL TOR_UNIX_URL TOR_SOCK TOR_LOG
	export SPT_DNS_LOG
}

teardown_file() {
	spt_proxies_teardown_file
}

setup() {
	spt_setup
	[[ -z $FIX_SKIP ]] || skip "$FIX_SKIP"
	# curl must see no proxy settings but ours.
	unset all_proxy ALL_PROXY http_proxy HTTP_PROXY https_proxy HTTPS_PROXY no_proxy NO_PROXY
}

teardown() {
	spt_proxies_teardown
}

# hex of stdin, lower case, no separators (like badproxy's log)
hex() {
	od -An -v -tx1 | tr -d ' \n'
}

pcurl() {
	timeout 10 curl -q -sS --max-time 8 "$@"
}

probe() {
	timeout 15 python3 "$SPT_PROXYPROBE" "$@"
}

# ---------------------------------------------------------------- danted

@test "danted: socks5h and socks4 work, socks4a is refused with 0x5B" {
	run pcurl -x "socks5h://127.0.0.1:$DANTE" "http://localhost:$WEB/"
	[ "$status" -eq 0 ]
	[ "$output" = hello-through-proxy ]
	run pcurl -x "socks4://127.0.0.1:$DANTE" "http://127.0.0.1:$WEB/"
	[ "$output" = hello-through-proxy ]
	run probe socks4a 127.0.0.1 "$DANTE" localhost "$WEB"
	[[ $output == *"result rep=0x5b"* ]]
}

@test "danted --auth: right password tunnels, wrong one gets 01 01, none gets 05 FF" {
	run pcurl -x "socks5h://127.0.0.1:$DANTE_AUTH" -U "$DANTE_USER:pw with space" "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	run probe socks5 127.0.0.1 "$DANTE_AUTH" localhost "$WEB" --user "$DANTE_USER" --pass nope
	[[ $output == *"auth-reply 0101"* ]]
	run probe socks5 127.0.0.1 "$DANTE_AUTH" localhost "$WEB"
	[[ $output == *"greeting-reply 05ff"* ]]
}

@test "danted keeps half-close (a reply sent after the client's FIN arrives)" {
	run probe socks5 127.0.0.1 "$DANTE" 127.0.0.1 "$WC" --send hello
	[[ $output == *"data $(printf 'after-eof 5\n' | hex)"* ]]
}

# ---------------------------------------------------------------- microsocks

@test "microsocks: no auth, user/pass auth, and it loses half-close" {
	run pcurl -x "socks5h://127.0.0.1:$MS" "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	run pcurl -x "socks5h://127.0.0.1:$MS_AUTH" -U 'bob:b0b pw' "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	run probe socks5 127.0.0.1 "$MS_AUTH" localhost "$WEB" --user bob --pass bad
	# microsocks answers a wrong password with status 0x02 (danted: 0x01)
	[[ $output == *"auth-reply 0102"* ]]
	run probe socks5 127.0.0.1 "$MS" 127.0.0.1 "$WC" --send hello
	[[ $output == *"result ok"* ]]
	[[ $output != *"data 6166"* ]]
}

# ---------------------------------------------------------------- tinyproxy

@test "tinyproxy: Basic auth CONNECT; no creds 407, wrong creds 401, port not allowed 403" {
	run pcurl -p -x "http://127.0.0.1:$TP" -U bob:bobpw "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	run probe http 127.0.0.1 "$TP" localhost "$WEB"
	[[ $output == *"result status=407"* ]]
	[[ $output == *'header Proxy-Authenticate: Basic realm="Tinyproxy"'* ]]
	run probe http 127.0.0.1 "$TP" localhost "$WEB" --user bob --pass bad
	[[ $output == *"result status=401"* ]]
	run probe http 127.0.0.1 "$TP" localhost "$BANNER" --user bob --pass bobpw
	[[ $output == *"result status=403"* ]]
}

@test "tinyproxy loses half-close" {
	run probe http 127.0.0.1 "$TP" 127.0.0.1 "$WC" --user bob --pass bobpw --send hello
	[[ $output == *"result ok"* ]]
	[[ $output != *"data 6166"* ]]
}

# ---------------------------------------------------------------- https proxy

@test "https proxy: CONNECT over TLS with --proxy-cacert; another CA is refused" {
	run pcurl -p -x "https://localhost:$TLSP" --proxy-cacert "$TLSCA" -U bob:bobpw "http://localhost:$WEB/"
	[ "$status" -eq 0 ]
	[ "$output" = hello-through-proxy ]
	run pcurl -p -x "https://127.0.0.1:$TLSP" --proxy-cacert "$TLSCA" -U bob:bobpw "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	run pcurl -p -x "https://localhost:$TLSP" --proxy-cacert "$TLSCA_OTHER" -U bob:bobpw "http://localhost:$WEB/"
	[ "$status" -eq 60 ]
}

# ---------------------------------------------------------------- squid

@test "digest proxy (squid): --proxy-digest works, a wrong password gets 407" {
	run pcurl -p -x "http://127.0.0.1:$DIGEST" --proxy-digest -U 'carol:c4r0l pw' "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	run probe http 127.0.0.1 "$DIGEST" localhost "$WEB"
	[[ $output == *"result status=407"* ]]
	[[ $output == *'header Proxy-Authenticate: Digest realm="spt", nonce="'*'qop="auth"'* ]]
	run pcurl -p -x "http://127.0.0.1:$DIGEST" --proxy-digest -U carol:wrong -o /dev/null \
		-w '%{http_connect}' "http://localhost:$WEB/"
	[[ $output == *407 ]]
	grep -q 'TCP_TUNNEL/200 .* CONNECT localhost:'"$WEB"' carol ' "$DIGEST_ACCESS"
}

@test "squid --ntlm --basic: offers both; NTLM (any user) and Basic both work" {
	run probe http 127.0.0.1 "$NTLM" localhost "$WEB"
	[[ $output == *"header Proxy-Authenticate: NTLM"* ]]
	[[ $output == *'header Proxy-Authenticate: Basic realm="spt"'* ]]
	run pcurl -p -x "http://127.0.0.1:$NTLM" --proxy-ntlm -U anyone:anything "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	run pcurl -p -x "http://127.0.0.1:$NTLM" --proxy-basic -U dave:davepw "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
}

# ---------------------------------------------------------------- tor

@test "tor offline: invalid onion 0xF6 and localhost 0x01 at once, TCP and unix socket" {
	local bad
	bad=$(spt_onion_v3_badsum)
	spt_run ip netns exec "$TOR_NS" curl -q -sS -x "$TOR_URL" "http://$bad/"
	[[ $stderr == *"($(( 0xF6 )))"* ]]
	spt_assert_elapsed_below 2000
	spt_run ip netns exec "$TOR_NS" curl -q -sS -x "$TOR_URL" "http://localhost:22/"
	[[ $stderr == *"(1)"* ]]
	spt_assert_elapsed_below 2000
	[ -S "$TOR_SOCK" ]
	[ "$(stat -c '%a %U' "$(dirname "$TOR_SOCK")")" = "700 debian-tor" ]
	spt_run ip netns exec "$TOR_NS" curl -q -sS -x "$TOR_UNIX_URL" "http://$bad/"
	[[ $stderr == *"(246)"* ]]
	run timeout 10 ip netns exec "$TOR_NS" python3 "$SPT_PROXYPROBE" socks5 127.0.0.1 "$TOR_PORT" "$bad" 22 --user a --pass b
	[[ $output == *"greeting-reply 0502"* ]]
	[[ $output == *"reply 05f60001"* ]]
}

@test "tor offline: a valid v3 onion is held until SocksTimeout, then 0x06" {
	local good
	good=$(spt_onion_v3)
	[ ${#good} -eq 62 ]
	spt_run -t 15 ip netns exec "$TOR_NS" python3 "$SPT_PROXYPROBE" socks5 127.0.0.1 "$TOR_PORT" "$good" 22 --timeout 12
	[[ $output == *"result rep=0x06"* ]]
	spt_assert_elapsed_above 3000
}

@test "DNS leak helper: socks5h through tor makes no query, local resolution is seen" {
	spt_dns_mark
	spt_run ip netns exec "$TOR_NS" curl -q -sS -x "$TOR_URL" "http://$(spt_onion_v3_badsum)/"
	[[ $stderr == *"(246)"* ]]
	spt_run ip netns exec "$TOR_NS" curl -q -sS -x "$TOR_URL" "http://localhost:22/"
	spt_assert_no_dns
	grep -q 'instructed Tor to take care of the DNS resolution' "$TOR_LOG"
	# Positive control: socks5:// (curl resolves locally) is logged.
	spt_run ip netns exec "$TOR_NS" curl -q -sS --socks5 "127.0.0.1:$TOR_PORT" "http://leak.spt-test/"
	[ "$(spt_dns_queries leak.spt-test)" -ge 1 ]
	[[ $(spt_dns_since_mark) == *"leak.spt-test"* ]]
}

@test "fixtures inside a namespace resolve made-up names there (danted, squid)" {
	spt_netns_hosts "$TOR_NS" '127.0.0.1	web.spt-test'
	spt_server -n "$TOR_NS" -f nsweb "EXEC:$BATS_FILE_TMPDIR/web.sh"
	start_danted --netns "$TOR_NS"
	run timeout 10 ip netns exec "$TOR_NS" curl -q -sS -x "$PROXY_URL" "http://web.spt-test:$SRV_PORT/"
	[ "$output" = hello-through-proxy ]
	start_squid --netns "$TOR_NS"
	run timeout 10 ip netns exec "$TOR_NS" curl -q -sS -p -x "$PROXY_URL" "http://web.spt-test:$SRV_PORT/"
	[ "$output" = hello-through-proxy ]
	# squid asks the namespace's dnsmasq about names not in the hosts file
	spt_dns_mark
	run timeout 10 ip netns exec "$TOR_NS" curl -q -sS -p -x "$PROXY_URL" "http://nx.spt-test:$SRV_PORT/"
	[ "$status" -ne 0 ]
	[ "$(spt_dns_queries nx.spt-test)" -ge 1 ]
}

# ---------------------------------------------------------------- badproxy SOCKS5

@test "badproxy socks5-ok: relays, logs the exact request (ATYP 3 + name) and tunnel bytes" {
	start_badproxy socks5-ok
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" localhost "$BANNER" --send hi
	[[ $output == *"result ok"* ]]
	[[ $output == *"data $(printf 'SSH-2.0-target\r\nhi' | hex)"* ]]
	badproxy_wait_end
	[ "$(badproxy_hex greeting)" = 050100 ]
	[ "$(badproxy_hex request)" = "05010003096c6f63616c686f7374$(printf %04x "$BANNER")" ]
	grep -q '^1 close up=2 down=18$' "$BADPROXY_LOG"
	# curl as a client too; socks5 (local resolution) sends ATYP 1
	run pcurl -x "socks5://127.0.0.1:$BADPROXY_PORT" "http://127.0.0.1:$WEB/"
	[ "$output" = hello-through-proxy ]
	[[ $(badproxy_hex request 2) == 05010001* ]]
}

@test "badproxy socks5: garbage, close-mid-greeting, close-mid-reply, no-method" {
	start_badproxy socks5-garbage --hold 2
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"result error bad version"* ]]
	run pcurl -x "socks5h://127.0.0.1:$BADPROXY_PORT" "http://localhost:$WEB/"
	[ "$status" -eq 97 ]

	start_badproxy socks5-close-mid-greeting
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"result eof-after 05"* ]]

	start_badproxy socks5-close-mid-reply
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"greeting-reply 0500"* ]]
	[[ $output == *"result eof-after 050000017f"* ]]

	start_badproxy socks5-no-method
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"greeting-reply 05ff"* ]]
}

@test "badproxy socks5: stall and stall-request never answer" {
	start_badproxy socks5-stall
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" localhost 22 --timeout 0.5
	[[ $output == *"result timeout-after"* ]]
	[[ $output != *greeting-reply* ]]
	badproxy_wait_end
	[ "$(badproxy_hex data)" = 050100 ]

	start_badproxy socks5-stall-request
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" localhost 22 --timeout 0.5
	[[ $output == *"greeting-reply 0500"* ]]
	[[ $output == *"result timeout-after"* ]]
}

@test "badproxy socks5: domain-bnd and ipv6-bnd replies, then the tunnel" {
	start_badproxy socks5-domain-bnd
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER" --send x
	[[ $output == *"reply 050000030d626f756e642e6578616d706c65"* ]]
	[[ $output == *"bnd name=bound.example"* ]]
	[[ $output == *"data $(printf 'SSH-2.0-target\r\nx' | hex)"* ]]
	run pcurl -x "socks5h://127.0.0.1:$BADPROXY_PORT" "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]

	start_badproxy socks5-ipv6-bnd
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER"
	[[ $output == *"reply 0500000400000000000000000000000000000001"* ]]
	[[ $output == *"result ok"* ]]
}

@test "badproxy socks5-early-data: the reply and the target's banner in one segment" {
	start_badproxy socks5-early-data
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER"
	[[ $output == *"first-recv 050000017f000001"*"$(printf 'SSH-2.0-target\r\n' | hex)"* ]]
	[[ $output == *"early $(printf 'SSH-2.0-target\r\n' | hex)"* ]]
	start_badproxy socks5-early-data --early $'SSH-2.0-early\r\n'
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER"
	[[ $output == *"early $(printf 'SSH-2.0-early\r\n' | hex)"* ]]
}

@test "badproxy socks5-auth-required: checks user/pass, 01 01 on wrong ones" {
	start_badproxy socks5-auth-required --user alice --pass 's3cr3t'
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER" --user alice --pass s3cr3t
	[[ $output == *"auth-reply 0100"* ]]
	[[ $output == *"result ok"* ]]
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER" --user alice --pass wrong
	[[ $output == *"auth-reply 0101"* ]]
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER"
	[[ $output == *"greeting-reply 05ff"* ]]
	badproxy_wait_end 3
	# VER 1, ULEN 5 "alice", PLEN 6 "s3cr3t"
	[ "$(badproxy_hex auth 1)" = 0105616c69636506733363723374 ]
	grep -q '^2 socks5 user alice pass wrong$' "$BADPROXY_LOG"
}

@test "badproxy socks5-reply: REP 0x05 and Tor's 0xF0-0xF7, also through curl" {
	local c
	for c in 0x05 0xF0 0xF1 0xF2 0xF3 0xF4 0xF5 0xF6 0xF7; do
		start_badproxy socks5-reply --code "$c"
		run probe socks5 127.0.0.1 "$BADPROXY_PORT" example.onion 22
		[[ $output == *"result rep=$(printf '0x%02x' "$c")"* ]]
	done
	run pcurl -x "socks5h://127.0.0.1:$BADPROXY_PORT" "http://localhost:$WEB/"
	[[ $output == *"($(( 0xF7 )))"* ]]
}

@test "badproxy: --map names, unknown names get 0x04 unresolved, listens on ::1" {
	start_badproxy socks5-ok --map target.spt-test=127.0.0.1
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" target.spt-test "$BANNER"
	[[ $output == *"result ok"* ]]
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" other.spt-test "$BANNER"
	[[ $output == *"result rep=0x04"* ]]
	grep -q '^2 target other.spt-test:[0-9]* fail unresolvable$' "$BADPROXY_LOG"
	if ip -6 addr show dev lo | grep -q 'inet6 ::1/'; then
		start_badproxy http-ok --addr ::1
		[ "$PROXY_URL" = "http://[::1]:$BADPROXY_PORT" ]
		run probe http ::1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER"
		[[ $output == *"result ok"* ]]
	fi
}

@test "badproxy --drip: every reply byte in its own segment still parses" {
	start_badproxy socks5-ok --drip 5
	run probe socks5 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER"
	[[ $output == *"first-recv 05"$'\n'* ]]
	[[ $output == *"result ok"* ]]
}

# ---------------------------------------------------------------- badproxy SOCKS4

@test "badproxy socks4: ok (4 and 4a), garbage, 0x5B, close-mid-reply" {
	start_badproxy socks4-ok
	run probe socks4 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER" --user joe
	[[ $output == *"result ok"* ]]
	run probe socks4a 127.0.0.1 "$BADPROXY_PORT" localhost "$BANNER"
	[[ $output == *"result ok"* ]]
	badproxy_wait_end 2
	[ "$(badproxy_hex request4 1)" = "0401$(printf %04x "$BANNER")7f0000016a6f6500" ]
	[ "$(badproxy_hex request4 2)" = "0401$(printf %04x "$BANNER")00000001006c6f63616c686f737400" ]

	start_badproxy socks4-garbage --hold 1
	run probe socks4 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 22
	[[ $output == *"result error bad version"* ]]

	start_badproxy socks4-reply
	run probe socks4a 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"reply 005b"* ]]
	run pcurl -x "socks4a://127.0.0.1:$BADPROXY_PORT" "http://localhost:$WEB/"
	[[ $output == *"(91)"* ]]

	start_badproxy socks4-close-mid-reply
	run probe socks4 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 22
	[[ $output == *"result eof-after 005a1092"* ]]
}

# ---------------------------------------------------------------- badproxy HTTP

@test "badproxy http-ok and http-407 (Basic, keep-alive), logs the CONNECT request" {
	start_badproxy http-ok
	run pcurl -p -x "http://127.0.0.1:$BADPROXY_PORT" "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	grep -q "^1 http line CONNECT localhost:$WEB HTTP/1.1$" "$BADPROXY_LOG"

	start_badproxy http-407 --user u --pass p
	run probe http 127.0.0.1 "$BADPROXY_PORT" localhost "$WEB"
	[[ $output == *"result status=407"* ]]
	[[ $output == *'header Proxy-Authenticate: Basic realm="badproxy"'* ]]
	# curl first asks without credentials, then again on the same connection
	run pcurl -p -x "http://127.0.0.1:$BADPROXY_PORT" --proxy-anyauth -U u:p "http://localhost:$WEB/"
	[ "$output" = hello-through-proxy ]
	grep -q '^2 http header Proxy-Authorization: Basic dTpw$' "$BADPROXY_LOG"
	run pcurl -p -x "http://127.0.0.1:$BADPROXY_PORT" -U u:wrong -o /dev/null -w '%{http_connect}' "http://localhost:$WEB/"
	[[ $output == *407 ]]
}

@test "badproxy http: 403, status 502, garbage, close-mid-reply" {
	start_badproxy http-403
	run probe http 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"result status=403"* ]]
	start_badproxy http-status --code 502
	run probe http 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"status-line HTTP/1.1 502 Bad Gateway"* ]]
	start_badproxy http-garbage --hold 1
	run probe http 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"result error bad status line"* ]]
	run pcurl -p -x "http://127.0.0.1:$BADPROXY_PORT" "http://localhost:$WEB/"
	[ "$status" -ne 0 ]
	start_badproxy http-close-mid-reply
	run probe http 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"result eof-after $(printf 'HTTP/1.1 200 Conn' | hex)"* ]]
}

@test "badproxy http-early-data: 200 and the banner in one segment" {
	start_badproxy http-early-data
	run probe http 127.0.0.1 "$BADPROXY_PORT" 127.0.0.1 "$BANNER"
	[[ $output == *"first-recv $(printf 'HTTP/1.1 200 Connection established\r\n\r\nSSH-2.0-target\r\n' | hex)"* ]]
	[[ $output == *"result ok"* ]]
}

@test "badproxy http-endless-headers (over 64 KiB) and http-stall" {
	start_badproxy http-endless-headers
	run probe http 127.0.0.1 "$BADPROXY_PORT" localhost 22
	[[ $output == *"result error headers over 65536 bytes"* ]]
	run pcurl -p -x "http://127.0.0.1:$BADPROXY_PORT" "http://localhost:$WEB/"
	[ "$status" -ne 0 ]
	start_badproxy http-stall
	run probe http 127.0.0.1 "$BADPROXY_PORT" localhost 22 --timeout 0.5
	[[ $output == *"result timeout-after"* ]]
	badproxy_wait_log '^1 http line CONNECT localhost:22 HTTP/1.1$'
}
