#!/usr/bin/env bats
# sshproxy-socks (and sshproxy-nc's onion handling) against a real tor with
# no network (tests/lib/tor.bash) and against tests/fixtures/badproxy.py.
# Root only.  Everything runs inside $TOR_NS, a namespace with only lo, its
# own hosts file and a dnsmasq on 127.0.0.53 that logs every query, so no
# name reaches this machine's resolver and DNS leaks can be counted.
#
# tor there (SocksPort 127.0.0.1:9050 and a unix SocksPort, ExtendedErrors,
# SocksTimeout 5):
#   an invalid onion name -> 0xF6 at once; localhost, 127.0.0.1 -> 0x01 at
#   once; a valid v3 onion -> held until SocksTimeout, then 0x06.
# NS_BANNER: a server in $TOR_NS that sends "SSH-2.0-target\r\n" and closes.

load lib/common
load lib/netns
load lib/proxies
load lib/tor

BANNER_TEXT=$'SSH-2.0-target\r\n'

setup_file() {
	spt_setup_file
	export TOR_SKIP=
	TOR_SKIP=$(spt_proxies_missing socat python3 dnsmasq)
	[[ -z $TOR_SKIP ]] && TOR_SKIP=$(spt_tor_missing)
	[[ -n $TOR_SKIP ]] && return 0
	local d=$BATS_FILE_TMPDIR

	start_tor_offline
	spt_dns_watch "$TOR_NS"
	printf '#!/bin/sh\nprintf "SSH-2.0-target\\r\\n"\n' >"$d/banner.sh"
	chmod +x "$d/banner.sh"
	spt_server -n "$TOR_NS" -f nsbanner "EXEC:$d/banner.sh"
	NS_BANNER=$SRV_PORT

	HOLD=$d/hold
	mkfifo "$HOLD"
	spt_spawn hold-fifo bash -c 'exec sleep 3600 >"$1"' _ "$HOLD"

	GOOD_ONION=$(spt_onion_v3)
	BAD_ONION=$(spt_onion_v3_badsum)
	export TOR_NS TOR_PORT TOR_URL TOR_UNIX_URL TOR_SOCK TOR_LOG SPT_DNS_LOG
	export NS_BANNER HOLD GOOD_ONION BAD_ONION
}

teardown_file() {
	spt_proxies_teardown_file
}

setup() {
	spt_setup
	[[ -z $TOR_SKIP ]] || skip "$TOR_SKIP"
	[[ -x ${SSHPROXY_SOCKS:=$top_builddir/cmd/sshproxy-socks} ]] ||
		skip "sshproxy-socks not built: $SSHPROXY_SOCKS"
	spt_require_nc
	SOCKS=$SSHPROXY_SOCKS
	NC=$SSHPROXY_NC
	T=$BATS_TEST_TMPDIR
	unset TOR_SOCKS_HOST TOR_SOCKS_PORT all_proxy ALL_PROXY
}

teardown() {
	spt_proxies_teardown
}

# ---------------------------------------------------------------- helpers

# start_badproxies [--netns NS] SPEC...: one badproxy per SPEC ("MODE
# [badproxy options]", split on blanks), all started at once (each takes
# ~0.3 s to come up).  Sets BP_PORTS[i] and BP_PIDS[i] in the order given.
start_badproxies() {
	local ns='' dir i pf c tag spec
	local -a pre=() a
	if [[ $1 == --netns ]]; then
		ns=$2
		pre=(ip netns exec "$ns")
		shift 2
	fi
	dir=$(spt_tmpdir)
	tag=bp-$(spt_uniq)
	BP_PORTS=() BP_PIDS=()
	i=0
	for spec in "$@"; do
		read -r -a a <<<"$spec"
		spt_spawn "$tag-$i" "${pre[@]}" python3 "$SPT_BADPROXY" --mode "${a[@]}" \
			--listen 127.0.0.1 --port 0 --port-file "$dir/$tag-$i.port" --log "$dir/$tag-$i.events"
		BP_PIDS+=("$SPT_PID")
		i=$(( i + 1 ))
	done
	for (( i = 0; i < $#; i++ )); do
		pf=$dir/$tag-$i.port
		for (( c = 0; c < 250; c++ )); do
			[[ -s $pf ]] && break
			sleep 0.02
		done
		[[ -s $pf ]] || { echo "badproxy $i did not start:" >&2; cat "$dir/$tag-$i.log" >&2; return 1; }
		BP_PORTS+=("$(<"$pf")")
	done
}

# inns [-t SECS] [-n NS] PROG ARGS...: PROG inside $TOR_NS (or NS) with a
# stdin that never reaches EOF.
inns() {
	local t=10 ns=$TOR_NS
	while :; do
		case $1 in
		-t) t=$2; shift 2 ;;
		-n) ns=$2; shift 2 ;;
		*) break ;;
		esac
	done
	spt_run -i -t "$t" ip netns exec "$ns" "$@" <"$HOLD"
}

hexof() {
	printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
}

assert_words() {
	local re
	for re in "$@"; do
		if ! grep -Eqi -- "$re" "$err_file"; then
			echo "stderr does not match /$re/: $stderr" >&2
			return 1
		fi
	done
}

# STATUS, nothing on stdout, a diagnostic from PROG (first line prefixed),
# matching WORDS.
assert_fail_prog() {
	local prog=$1 st=$2
	shift 2
	spt_assert_status "$st"
	spt_assert_no_stdout
	spt_assert_stderr
	if [[ $(head -n 1 "$err_file") != "$prog: "* ]]; then
		echo "diagnostic not prefixed with '$prog: ': $stderr" >&2
		return 1
	fi
	assert_words "$@"
}

assert_fail() {
	assert_fail_prog sshproxy-socks "$@"
}

assert_banner() {
	if ! printf '%s' "$BANNER_TEXT" | cmp -s - "$out_file"; then
		echo "stdout is not exactly the banner:" >&2
		od -c "$out_file" | head -5 >&2
		return 1
	fi
}

assert_tunnel() {
	spt_assert_status 0
	assert_banner
	spt_assert_no_stderr
}

# SOCKS requests tor has seen so far (TestSocks logs one line per request).
tor_requests() {
	grep -c 'Your application (using socks' "$TOR_LOG" || true
}

assert_badproxy_untouched() {
	sleep 0.2
	if grep -q ' accept ' "$BADPROXY_LOG" 2>/dev/null; then
		echo "badproxy was connected to:" >&2
		cat "$BADPROXY_LOG" >&2
		return 1
	fi
}

# The isolation password for HOST:PORT: first 16 bytes of SHA3-256 of the
# lower-cased "host:port", in hex (sshproxy-socks(1), Stream isolation).
iso_pass() {
	python3 -c 'import hashlib, sys; print(hashlib.sha3_256(sys.argv[1].lower().encode()).hexdigest()[:32])' "$1"
}

# A v3 onion with a valid checksum and version whose key is not a valid
# ed25519 point: the identity element (y = 1).  Our local check (length,
# base32, checksum, version) passes it; tor refuses it with 0xF6.
onion_bad_key() {
	spt_onion_v3 "01$(printf '00%.0s' {1..31})"
}

# The same address as spt_onion_v3 but with version byte V (checksum right).
onion_version() {
	python3 - "$1" <<-'EOF'
	import base64, hashlib, sys
	pk = bytes.fromhex("58" + "66" * 31)
	v = bytes([int(sys.argv[1])])
	ck = hashlib.sha3_256(b".onion checksum" + pk + v).digest()[:2]
	print(base64.b32encode(pk + ck + v).decode().lower() + ".onion")
	EOF
}

# ---------------------------------------------------------------- onion checks

@test "an onion with a bad checksum is 65 before anything is sent (tor sees no request)" {
	local before
	before=$(tor_requests)
	spt_dns_mark
	inns "$SOCKS" "$BAD_ONION" 22
	assert_fail 65 'checksum'
	inns "$SOCKS" -z "$BAD_ONION" 22
	assert_fail 65 'checksum'
	inns "$SOCKS" -x "$TOR_URL" "ssh.$BAD_ONION" 22
	assert_fail 65 'checksum'
	sleep 0.3
	[ "$(tor_requests)" -eq "$before" ]
	[ "$(grep -cF "${BAD_ONION%.onion}" "$TOR_LOG")" -eq 0 ]
	# and to a proxy that logs every connection: none
	start_badproxy socks5-ok --netns "$TOR_NS"
	inns "$SOCKS" -x "$PROXY_URL" "$BAD_ONION" 22
	assert_fail 65 'checksum'
	assert_badproxy_untouched
	spt_assert_no_dns
}

@test "other malformed onions are 65 locally: v2 length, wrong version, bad base32, wrong length" {
	local v2=expyuzz4wqqyqhjn.onion
	local v4 b32 short
	v4=$(onion_version 4)
	b32=${GOOD_ONION:0:10}1${GOOD_ONION:11}
	short=${GOOD_ONION:1}
	start_badproxy socks5-ok --netns "$TOR_NS"
	spt_dns_mark
	inns "$SOCKS" -x "$PROXY_URL" "$v2" 22
	assert_fail 65 'version 2|v2|16'
	inns "$SOCKS" -x "$PROXY_URL" "$v4" 22
	assert_fail 65 'version'
	inns "$SOCKS" -x "$PROXY_URL" "$b32" 22
	assert_fail 65 'onion|base32|character'
	inns "$SOCKS" -x "$PROXY_URL" "$short" 22
	assert_fail 65 'onion|length|56|long|short'
	assert_badproxy_untouched
	spt_assert_no_dns
}

@test "valid onions pass the check in any case, with a final dot, with labels before" {
	start_badproxy socks5-ok --netns "$TOR_NS" --map "$GOOD_ONION=127.0.0.1" \
		--map "${GOOD_ONION^^}=127.0.0.1" --map "$GOOD_ONION.=127.0.0.1" \
		--map "www.$GOOD_ONION=127.0.0.1"
	spt_dns_mark
	local h n=0
	for h in "$GOOD_ONION" "${GOOD_ONION^^}" "$GOOD_ONION." "www.$GOOD_ONION"; do
		inns "$SOCKS" -x "$PROXY_URL" "$h" "$NS_BANNER"
		assert_tunnel
		n=$(( n + 1 ))
	done
	badproxy_wait_end "$n"
	spt_assert_no_dns
}

@test "tor refuses an onion our check passes (key not on the curve): 65 with (tor 0xF6)" {
	local bad
	bad=$(onion_bad_key)
	inns "$SOCKS" "$bad" 22
	assert_fail 65 'invalid' '\(tor 0xF6\)'
	spt_assert_elapsed_below 3000
}

@test "sshproxy-nc -x socks5h:// sends a v2-length onion to tor: 65 with (tor 0xF6)" {
	spt_dns_mark
	inns "$NC" -x "$TOR_URL" expyuzz4wqqyqhjn.onion 22
	assert_fail_prog sshproxy-nc 65 'invalid' '\(tor 0xF6\)'
	spt_assert_elapsed_below 3000
	spt_assert_no_dns
}

# ---------------------------------------------------------------- tor's answers

@test "localhost and 127.0.0.1 through tor: 0x01, 69, general SOCKS server failure" {
	local before
	before=$(tor_requests)
	inns "$SOCKS" localhost 22
	assert_fail 69 'general SOCKS server failure'
	inns "$SOCKS" -x "$TOR_URL" 127.0.0.1 22
	assert_fail 69 'general SOCKS server failure'
	# -z: not reachable, silently
	inns "$SOCKS" -z localhost 22
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_no_stderr
	sleep 0.2
	(( $(tor_requests) >= before + 3 ))
}

@test "a valid v3 onion tor cannot reach: 0x06 after SocksTimeout (5 s), 75" {
	spt_dns_mark
	inns -t 20 "$SOCKS" "$GOOD_ONION" 22
	assert_fail 75 'TTL expired|timed out'
	spt_assert_elapsed_above 4000
	spt_assert_elapsed_below 12000
	spt_assert_no_dns
}

@test "tor's unix SocksPort: -x socks5h://localhost/path and socks5h:///path" {
	[ -n "$TOR_SOCK" ] || skip "no unix SocksPort"
	local before
	before=$(tor_requests)
	inns "$SOCKS" -x "$TOR_UNIX_URL" localhost 22
	assert_fail 69 'general SOCKS server failure'
	inns "$SOCKS" -x "socks5h://$TOR_SOCK" localhost 22
	assert_fail 69 'general SOCKS server failure'
	inns "$SOCKS" -x "$TOR_UNIX_URL" "$(onion_bad_key)" 22
	assert_fail 65 '\(tor 0xF6\)'
	inns "$NC" -x "$TOR_UNIX_URL" localhost 22
	assert_fail_prog sshproxy-nc 69 'general SOCKS server failure'
	sleep 0.2
	(( $(tor_requests) >= before + 4 ))
}

# ---------------------------------------------------------------- finding tor

@test "finding tor: nothing on 9050 nor 9150 in a fresh namespace is 69 with the message" {
	spt_netns_create
	local ns=$SPT_NS
	inns -n "$ns" "$SOCKS" localhost 22
	assert_fail 69 'tor is not running on 127\.0\.0\.1:9050 nor on 127\.0\.0\.1:9150'
	inns -n "$ns" "$SOCKS" -z localhost 22
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_no_stderr
	# Tor Browser's port is the fallback
	start_badproxy socks5-reply --code 0x05 --netns "$ns" --port 9150
	inns -n "$ns" "$SOCKS" localhost 22
	assert_fail 69 'connection refused'
	badproxy_wait_log '^1 socks5 connect cmd=1 atyp=3 host=localhost port=22$'
}

@test "finding tor: 127.0.0.1:9050 by default; TOR_SOCKS_HOST and TOR_SOCKS_PORT override it" {
	# default: tor on 9050 answers localhost with 0x01
	inns "$SOCKS" localhost 22
	assert_fail 69 'general SOCKS server failure'

	start_badproxy socks5-ok --netns "$TOR_NS" --map "$GOOD_ONION=127.0.0.1"
	inns env TOR_SOCKS_PORT="$BADPROXY_PORT" "$SOCKS" "$GOOD_ONION" "$NS_BANNER"
	assert_tunnel
	inns env TOR_SOCKS_HOST=127.0.0.1 TOR_SOCKS_PORT="$BADPROXY_PORT" \
		"$SOCKS" "$GOOD_ONION" "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end 2
	# -x wins over the variables
	inns env TOR_SOCKS_PORT="$BADPROXY_PORT" "$SOCKS" -x "$TOR_URL" localhost 22
	assert_fail 69 'general SOCKS server failure'
	# not a port: 64
	inns env TOR_SOCKS_PORT=notaport "$SOCKS" localhost 22
	assert_fail 64 'TOR_SOCKS_PORT'
	inns env TOR_SOCKS_PORT=70000 "$SOCKS" localhost 22
	assert_fail 64 'TOR_SOCKS_PORT'
}

@test "sshproxy-socks refuses -x proxies that would resolve names here: 64" {
	local url
	start_badproxy socks5-ok --netns "$TOR_NS"
	for url in "socks5://127.0.0.1:$BADPROXY_PORT" "socks4://127.0.0.1:$BADPROXY_PORT" \
		"http://127.0.0.1:$BADPROXY_PORT" "https://127.0.0.1:$BADPROXY_PORT"; do
		inns "$SOCKS" -x "$url" "$GOOD_ONION" 22
		assert_fail 64 'socks5h|socks4a|proxy'
	done
	assert_badproxy_untouched
}

# ---------------------------------------------------------------- stream isolation

@test "--isolate=destination (default): the same credentials per destination, others for others" {
	local pa pb
	start_badproxy socks5-ok --netns "$TOR_NS" --map a.spt-test=127.0.0.1 \
		--map b.spt-test=127.0.0.1 --map A.SPT-TEST=127.0.0.1
	pa=$(iso_pass "a.spt-test:$NS_BANNER")
	pb=$(iso_pass "b.spt-test:$NS_BANNER")
	spt_dns_mark
	inns "$SOCKS" -x "$PROXY_URL" a.spt-test "$NS_BANNER"
	assert_tunnel
	inns "$SOCKS" --isolate=destination -x "$PROXY_URL" a.spt-test "$NS_BANNER"
	assert_tunnel
	inns "$SOCKS" -x "$PROXY_URL" b.spt-test "$NS_BANNER"
	assert_tunnel
	inns "$SOCKS" -x "$PROXY_URL" A.SPT-TEST "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end 4
	# only method 0x02 is offered
	local c
	for c in 1 2 3 4; do
		[ "$(badproxy_hex greeting "$c")" = 050102 ]
	done
	[ "$(badproxy_hex auth 1)" = "0108$(hexof sshproxy)20$(hexof "$pa")" ]
	[ "$(badproxy_hex auth 2)" = "$(badproxy_hex auth 1)" ]
	[ "$(badproxy_hex auth 3)" = "0108$(hexof sshproxy)20$(hexof "$pb")" ]
	[ "$(badproxy_hex auth 4)" = "$(badproxy_hex auth 1)" ]
	spt_assert_no_dns
}

@test "--isolate=connection: fresh random credentials each run; none: no credentials at all" {
	local p1 p2 pa
	start_badproxy socks5-ok --netns "$TOR_NS" --map a.spt-test=127.0.0.1
	pa=$(iso_pass "a.spt-test:$NS_BANNER")
	inns "$SOCKS" --isolate=connection -x "$PROXY_URL" a.spt-test "$NS_BANNER"
	assert_tunnel
	inns "$SOCKS" --isolate=connection -x "$PROXY_URL" a.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end 2
	[ "$(badproxy_hex greeting 1)" = 050102 ]
	[ "$(badproxy_hex greeting 2)" = 050102 ]
	p1=$(awk '$1 == 1 && $2 == "socks5" && $3 == "user" { print $4 " " $6 }' "$BADPROXY_LOG")
	p2=$(awk '$1 == 2 && $2 == "socks5" && $3 == "user" { print $4 " " $6 }' "$BADPROXY_LOG")
	echo "connection credentials: '$p1' '$p2'" >&2
	[[ $p1 =~ ^sshproxy\ [0-9a-f]{32}$ ]]
	[[ $p2 =~ ^sshproxy\ [0-9a-f]{32}$ ]]
	[ "$p1" != "$p2" ]
	[ "${p1#* }" != "$pa" ]

	inns "$SOCKS" --isolate=none -x "$PROXY_URL" a.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end 3
	[ "$(badproxy_hex greeting 3)" = 050100 ]
	[ "$(grep -c '^3 socks5 user ' "$BADPROXY_LOG")" -eq 0 ]

	# through socks4a no user name is sent, whatever the mode
	start_badproxy socks4-ok --netns "$TOR_NS" --map a.spt-test=127.0.0.1
	inns "$SOCKS" -x "socks4a://127.0.0.1:$BADPROXY_PORT" a.spt-test "$NS_BANNER"
	assert_tunnel
	badproxy_wait_end 1
	[ "$(badproxy_hex request4 1)" = "0401$(printf %04x "$NS_BANNER")0000000100$(hexof a.spt-test)00" ]
}

@test "--isolate: tor takes the credentials; a bad mode is 64" {
	inns "$SOCKS" --isolate=connection localhost 22
	assert_fail 69 'general SOCKS server failure'
	inns "$SOCKS" --isolate=destination localhost 22
	assert_fail 69 'general SOCKS server failure'
	inns "$SOCKS" --isolate=bogus localhost 22
	assert_fail 64 'isolate'
}

# ---------------------------------------------------------------- Tor's reply codes

@test "sshproxy-socks: each SOCKS5 reply code gives the words and exit status of its man page" {
	spt_skip_under_valgrind "one run per reply code: minutes under valgrind;" \
	    "make check-asan runs it"
	local i code st words
	local -a tab=("0x01 69 general SOCKS server failure" "0x02 77 not allowed"
		"0x03 69 network unreachable" "0x04 69 host unreachable" "0x05 69 connection refused"
		"0x06 75 TTL expired" "0x07 76 command not supported" "0x08 76 address type not supported"
		"0xF0 68 descriptor.*(can ?not|not) (be )?found" "0xF1 76 descriptor.*invalid"
		"0xF2 69 introduction failed" "0xF3 69 rendezvous failed"
		"0xF4 77 client authori[sz]ation" "0xF5 77 client authori[sz]ation"
		"0xF6 65 invalid" "0xF7 75 introduction timed out")
	local -a codes=("${tab[@]%% *}")
	start_badproxies --netns "$TOR_NS" "${codes[@]/#/socks5-reply --code }"
	for (( i = 0; i < ${#tab[@]}; i++ )); do
		read -r code st words <<<"${tab[i]}"
		inns "$SOCKS" -x "socks5h://127.0.0.1:${BP_PORTS[i]}" "$GOOD_ONION" 22
		echo "# code $code: expecting $st /$words/" >&2
		assert_fail "$st" "$words"
		if (( code >= 0xF0 )); then
			assert_words "\\(tor $code\\)"
		fi
		# -z: 1 and silent, except a malformed host (0xF6): 65 (man: Probing
		# "malformed onion addresses are still reported and give ... 65")
		inns "$SOCKS" -z -x "socks5h://127.0.0.1:${BP_PORTS[i]}" "$GOOD_ONION" 22
		if (( code == 0xF6 )); then
			assert_fail 65 "$words"
		else
			spt_assert_status 1
			spt_assert_no_stdout
			spt_assert_no_stderr
		fi
	done
}

@test "sshproxy-socks: a proxy that declines the isolation credentials: 77 (refuses) or 76 (hangs up)" {
	start_badproxy socks5-no-method --netns "$TOR_NS"
	inns "$SOCKS" -x "$PROXY_URL" "$GOOD_ONION" 22
	assert_fail 77 'refused|auth|method|credential|isolate'
	start_badproxy socks5-close-mid-greeting --netns "$TOR_NS"
	inns "$SOCKS" -x "$PROXY_URL" "$GOOD_ONION" 22
	assert_fail 76 'closed|protocol|reply'
	start_badproxy socks5-auth-required --netns "$TOR_NS" --user someone --pass else
	inns "$SOCKS" -x "$PROXY_URL" "$GOOD_ONION" 22
	assert_fail 77 'auth'
	# with --isolate=none the same proxy that wants no auth works
	start_badproxy socks5-ok --netns "$TOR_NS" --prefer-noauth --map "$GOOD_ONION=127.0.0.1"
	inns "$SOCKS" --isolate=none -x "$PROXY_URL" "$GOOD_ONION" "$NS_BANNER"
	assert_tunnel
}

# ---------------------------------------------------------------- DNS leaks

@test "DNS leak: sshproxy-socks to onions and made-up names makes no query (tor and badproxy)" {
	start_badproxy socks5-ok --netns "$TOR_NS" --map leak.spt-test=127.0.0.1
	spt_dns_mark
	inns "$SOCKS" -x "$PROXY_URL" leak.spt-test "$NS_BANNER"
	assert_tunnel
	inns "$SOCKS" -x "$PROXY_URL" leak2.spt-test "$NS_BANNER"
	assert_fail 69 'host unreachable'
	inns "$SOCKS" -z -x "$PROXY_URL" leak3.spt-test "$NS_BANNER"
	spt_assert_status 1
	inns "$SOCKS" "$BAD_ONION" 22
	spt_assert_status 65
	inns "$SOCKS" "$(onion_bad_key)" 22
	spt_assert_status 65
	# tor holds a public name until SocksTimeout: -w 1 ends it (75)
	inns "$SOCKS" -w 1 -x "$TOR_UNIX_URL" leak4.spt-test 22
	assert_fail 75 'time'
	spt_assert_elapsed_below 2500
	spt_assert_no_dns
	grep -q 'instructed Tor to take care of the DNS resolution' "$TOR_LOG"
	[ "$(grep -c 'unsafe' "$TOR_LOG")" -eq 0 ]
}

@test "DNS leak: sshproxy-nc straight to a .onion is 65 and makes no query" {
	spt_dns_mark
	inns "$NC" "$GOOD_ONION" 22
	assert_fail_prog sshproxy-nc 65 'onion'
	inns "$NC" -w 2 "$GOOD_ONION:22"
	assert_fail_prog sshproxy-nc 65 'onion'
	inns "$NC" -x "socks5://127.0.0.1:$TOR_PORT" "$GOOD_ONION" 22
	assert_fail_prog sshproxy-nc 65 'onion'
	spt_assert_no_dns
	# positive control: a made-up name is asked for here
	inns "$NC" made-up-name.spt-test 22
	assert_fail_prog sshproxy-nc 68 'made-up-name.spt-test'
	[ "$(spt_dns_queries made-up-name.spt-test)" -ge 1 ]
}
