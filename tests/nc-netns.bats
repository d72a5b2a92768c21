#!/usr/bin/env bats
# sshproxy-nc with host names, connect timeouts and Happy Eyeballs, inside a
# network namespace of our own (root only).  The namespace has only lo; its
# /etc/netns/NS/hosts holds the test names and its resolv.conf points at a
# dnsmasq on 127.0.0.53 inside it, so no name ever reaches this machine's
# resolver and every DNS query is logged where we can count it.
#
#   dual.spt-test     ::1 and 127.0.0.1 (hosts file)
#   v4.spt-test       127.0.0.1 (hosts file)
#   v6.spt-test       ::1 (hosts file)
#   dns4.spt-test     127.0.0.1 (DNS)
#   dnsdual.spt-test  ::1 and 127.0.0.1 (DNS)
#   *.spt-test        anything else: NXDOMAIN
#   other names       REFUSED (getaddrinfo: temporary failure)
#
#   P_HE    IPv6 SYNs dropped, IPv4 listener answering "hello-v4"
#   P_V6    IPv4 SYNs dropped, IPv6 listener answering "hello-v6"
#   P_DROP  all SYNs dropped

load lib/common
load lib/netns

setup_file() {
	spt_setup_file
	# bats 1.8 cannot skip from setup_file: leave the reason for setup().
	export NETNS_SKIP=
	if ! spt_is_root; then
		NETNS_SKIP="needs root (network namespaces, nft)"
		return 0
	fi
	local t
	for t in ip nft dnsmasq socat getent; do
		if ! command -v "$t" >/dev/null; then
			NETNS_SKIP="$t not installed"
			return 0
		fi
	done
	spt_netns_create
	NS=$SPT_NS
	spt_netns_hosts "$NS" \
		'::1	dual.spt-test' \
		'127.0.0.1	dual.spt-test' \
		'127.0.0.1	v4.spt-test' \
		'::1	v6.spt-test'
	spt_netns_dns "$NS" \
		--host-record=dns4.spt-test,127.0.0.1 \
		--host-record=dnsdual.spt-test,127.0.0.1,::1

	P_HE=$(spt_free_port "$NS")
	spt_netns_drop "$NS" "meta nfproto ipv6 tcp dport $P_HE drop"
	spt_server -n "$NS" -p "$P_HE" -f he-v4 'SYSTEM:echo hello-v4'

	P_V6=$(spt_free_port "$NS")
	spt_netns_drop "$NS" "meta nfproto ipv4 tcp dport $P_V6 drop"
	spt_server -n "$NS" -a ::1 -p "$P_V6" -f v6-v6 'SYSTEM:echo hello-v6'

	P_DROP=$(spt_free_port "$NS")
	spt_netns_drop "$NS" "tcp dport $P_DROP drop"

	export NS P_HE P_V6 P_DROP SPT_DNS_LOG
}

teardown_file() {
	spt_teardown_file
	spt_netns_cleanup
}

setup() {
	spt_setup
	[[ -z $NETNS_SKIP ]] || skip "$NETNS_SKIP"
	spt_require_nc
}

teardown() {
	spt_teardown
}

# nsrun [-t SECS] ARGS...: run sshproxy-nc ARGS inside the namespace.
nsrun() {
	local t=10
	if [[ $1 == -t ]]; then
		t=$2
		shift 2
	fi
	spt_run -t "$t" ip netns exec "$NS" "$SSHPROXY_NC" "$@"
}

@test "netns: the fixture resolves names only through its own hosts file and dnsmasq" {
	run timeout 10 ip netns exec "$NS" getent ahosts dual.spt-test
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "::1 "* ]]
	[[ $output == *"127.0.0.1 "* ]]
	run timeout 10 ip netns exec "$NS" getent ahosts dnsdual.spt-test
	[ "$status" -eq 0 ]
	[[ $output == *"::1 "* && $output == *"127.0.0.1 "* ]]
	[ "$(spt_dns_queries dnsdual.spt-test)" -ge 1 ]
	run timeout 10 ip netns exec "$NS" getent ahosts nx0.spt-test
	[ "$status" -eq 2 ]
	[ "$(spt_dns_queries nx0.spt-test)" -ge 1 ]
}

@test "Happy Eyeballs: IPv6 SYNs dropped, IPv4 answers: connected well under -w 5" {
	# Meaningful only if getaddrinfo really gives both, IPv6 first.
	run timeout 10 ip netns exec "$NS" getent ahosts dual.spt-test
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "::1 "* ]]
	[[ $output == *"127.0.0.1 "* ]]

	nsrun -w 5 dual.spt-test "$P_HE"
	spt_assert_status 0
	[ "$output" = hello-v4 ]
	spt_assert_no_stderr
	spt_assert_elapsed_below 1500
}

@test "Happy Eyeballs: the same with both addresses from DNS (AAAA + A)" {
	nsrun -w 5 dnsdual.spt-test "$P_HE"
	spt_assert_status 0
	[ "$output" = hello-v4 ]
	spt_assert_elapsed_below 1500
	[ "$(spt_dns_queries dnsdual.spt-test)" -ge 1 ]
}

@test "Happy Eyeballs: --he-delay sets the delay before the IPv4 attempt" {
	nsrun -w 5 --he-delay=1000 dual.spt-test "$P_HE"
	spt_assert_status 0
	[ "$output" = hello-v4 ]
	spt_assert_elapsed_above 900
	spt_assert_elapsed_below 2500
}

@test "-4 and -6 select the address family of a dual-stack name" {
	nsrun -w 5 -4 dual.spt-test "$P_HE"
	spt_assert_status 0
	[ "$output" = hello-v4 ]
	spt_assert_elapsed_below 1000

	nsrun -w 5 -6 dual.spt-test "$P_V6"
	spt_assert_status 0
	[ "$output" = hello-v6 ]
	spt_assert_elapsed_below 1000

	nsrun -w 0.5 --ipv6 dual.spt-test "$P_HE"
	spt_assert_status 75
	spt_assert_no_stdout
	spt_assert_elapsed_below 1500

	nsrun -w 0.5 --ipv4 dual.spt-test "$P_V6"
	spt_assert_status 75
	spt_assert_no_stdout
	spt_assert_elapsed_below 1500
}

@test "hosts-file names: IPv4-only and IPv6-only" {
	nsrun -w 5 v4.spt-test "$P_HE"
	spt_assert_status 0
	[ "$output" = hello-v4 ]
	nsrun -w 5 v6.spt-test "$P_V6"
	spt_assert_status 0
	[ "$output" = hello-v6 ]
}

@test "DNS name: connects to the address dnsmasq gave" {
	nsrun -w 5 dns4.spt-test "$P_HE"
	spt_assert_status 0
	[ "$output" = hello-v4 ]
	[ "$(spt_dns_queries dns4.spt-test)" -ge 1 ]
}

@test "connect timeout: -w 1 against dropped SYNs exits 75 in time" {
	nsrun -t 10 -w 1 127.0.0.1 "$P_DROP"
	spt_assert_status 75
	spt_assert_no_stdout
	spt_assert_diag
	spt_assert_elapsed_above 900
	spt_assert_elapsed_below 2500
}

@test "connect timeout: fractional -w 0.5 and --timeout=0.5" {
	nsrun -t 10 -w 0.5 127.0.0.1 "$P_DROP"
	spt_assert_status 75
	spt_assert_elapsed_above 400
	spt_assert_elapsed_below 1500
	nsrun -t 10 --timeout=0.5 ::1 "$P_DROP"
	spt_assert_status 75
	spt_assert_elapsed_above 400
	spt_assert_elapsed_below 1500
}

@test "connect timeout covers all addresses of a name, not each one" {
	nsrun -t 10 -w 1 dual.spt-test "$P_DROP"
	spt_assert_status 75
	spt_assert_no_stdout
	spt_assert_elapsed_above 900
	spt_assert_elapsed_below 2500
}

@test "-z against dropped SYNs: exit 1, silent, after -w" {
	nsrun -t 10 -z -w 1 127.0.0.1 "$P_DROP"
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_no_stderr
	spt_assert_elapsed_below 2500
}

@test "-z on a name: reachable 0, dual-stack via Happy Eyeballs 0" {
	nsrun -z -w 5 v4.spt-test "$P_HE"
	spt_assert_status 0
	spt_assert_no_stdout
	spt_assert_no_stderr
	nsrun -z -w 5 dual.spt-test "$P_HE"
	spt_assert_status 0
	spt_assert_no_stdout
	spt_assert_no_stderr
	spt_assert_elapsed_below 1500
}

@test "unresolvable name: -z exits 1 silently; without -z 68 with a message; dnsmasq saw the queries" {
	nsrun -z nx1.spt-test 22
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_no_stderr
	[ "$(spt_dns_queries nx1.spt-test)" -ge 1 ]

	nsrun nx2.spt-test 22
	spt_assert_status 68
	spt_assert_no_stdout
	spt_assert_diag
	[[ $stderr == *nx2.spt-test* ]]
	[ "$(spt_dns_queries nx2.spt-test)" -ge 1 ]
}

@test "temporary DNS failure (server refuses): exit 75" {
	nsrun tmpfail.spt-other 22
	spt_assert_status 75
	spt_assert_no_stdout
	spt_assert_diag
	[ "$(spt_dns_queries tmpfail.spt-other)" -ge 1 ]
}

@test "-n with a name: exit 65, nothing resolved" {
	nsrun -n v4.spt-test "$P_HE"
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_diag
	nsrun --numeric num.spt-test "$P_HE"
	spt_assert_status 65
	sleep 0.3
	[ "$(grep -c 'num.spt-test' "$SPT_DNS_LOG" || true)" -eq 0 ]

	nsrun -n 127.0.0.1 "$P_HE"
	spt_assert_status 0
	[ "$output" = hello-v4 ]
}

@test "malformed hosts: exit 65 with a message, never looked up" {
	local before after long
	long=$(printf 'a%.0s' {1..60})
	long="$long.$long.$long.$long.$long.spt-test"
	(( ${#long} > 255 ))
	before=$(spt_dns_all_queries)

	for host in "" "$long" alice@v4.spt-test root@127.0.0.1 $'bad\001host.spt-test' $'nl\nhost.spt-test'; do
		nsrun "$host" "$P_HE"
		spt_assert_status 65
		spt_assert_no_stdout
		spt_assert_stderr
	done
	nsrun -z alice@v4.spt-test "$P_HE"
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_stderr
	nsrun "alice@v4.spt-test:$P_HE"
	spt_assert_status 65
	spt_assert_no_stdout

	sleep 0.3
	after=$(spt_dns_all_queries)
	if (( after != before )); then
		echo "malformed hosts reached the resolver:" >&2
		tail -n $(( (after - before) * 2 )) "$SPT_DNS_LOG" >&2
		return 1
	fi
}

@test "odd operands with names are rejected (64 or 65), never looked up" {
	local before after
	before=$(spt_dns_all_queries)
	nsrun 127.0.0.1:22 23
	[[ $status == 64 || $status == 65 ]]
	spt_assert_no_stdout
	spt_assert_stderr
	nsrun -s notanaddress.spt-test 127.0.0.1 "$P_HE"
	[[ $status == 64 || $status == 65 ]]
	spt_assert_no_stdout
	spt_assert_stderr
	sleep 0.3
	after=$(spt_dns_all_queries)
	(( after == before ))
}
