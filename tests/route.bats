#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2153,SC2154  # $ in strings for the servers' shells; stderr, SSHD_DIR come from tests/lib
# sshproxy-route against real servers in network namespaces the test makes
# (root only).  Every address below exists only inside those namespaces;
# nothing is sent to this machine's own network or resolver.
#
#   A   the "other routing domain": lo only, with 10.231.9.9, 10.231.8.8
#       and 2001:db8:9::9 on it.  Servers listen on 0.0.0.0 and :: there:
#       greetings, a cat, and (in one test) an sshd.
#   C   the client.  Two veth paths and no default route:
#         r1 10.231.21.1/24 2001:db8:21::1/64  <->  S1 r1 .2 / ::2
#         r2 10.231.22.1/24 2001:db8:22::1/64  <->  S2 r2 .2 / ::2
#       main table:  10.231.30.1, 10.231.32.1, 2001:db8:32::/64 via S1;
#                    10.231.8.8 via S1, which drops it (connect timeout)
#       table TBL:   10.231.30.1, 10.231.31.1, 2001:db8:31::/64 via S2,
#                    "unreachable default" for both families
#       rules:       fwmark MARK lookup TBL (IPv4 and IPv6)
#       rp_filter 2 (loose) on every interface: replies to marked traffic
#       come in on r2 while the main table points back through r1.  For
#       10.231.31.1, which main does not know at all, the reply's mark is
#       restored from conntrack and src_valid_mark is on.
#       A dnsmasq on 127.0.0.53 answers r30/r40/r6/n6.spt-test.
#   S1  10.231.30.1 and 10.231.32.1 on lo; on 10.231.30.1:P_PATH a server
#       that answers "path1 <client address>"
#   S2  10.231.30.1 and 10.231.31.1 on lo; the same port, on all of S2's
#       addresses, answers "path2 ..."
#   S1 and S2 count every UDP packet that reaches them (--has-route must
#   send none).

load lib/common
load lib/netns
load lib/sshd

: "${SSHPROXY_ROUTE:=$top_builddir/cmd/sshproxy-route}"
export SSHPROXY_ROUTE

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all
	--bounding-set=-all)

setup_file() {
	spt_setup_file
	# bats 1.8 cannot skip from setup_file: leave the reason for setup().
	export ROUTE_SKIP=
	if ! spt_is_root; then
		ROUTE_SKIP="needs root (network namespaces, policy routing)"
		return 0
	fi
	local t
	for t in ip nft dnsmasq socat setpriv; do
		if ! command -v "$t" >/dev/null; then
			ROUTE_SKIP="$t not installed"
			return 0
		fi
	done
	[[ -x $SSHPROXY_ROUTE ]] || return 0	# setup() says so

	spt_netns_create; NS_A=$SPT_NS
	spt_netns_create; NS_C=$SPT_NS
	spt_netns_create; NS_S1=$SPT_NS
	spt_netns_create; NS_S2=$SPT_NS

	# --- A: the server namespace
	ip -n "$NS_A" addr add 10.231.9.9/32 dev lo
	ip -n "$NS_A" addr add 10.231.8.8/32 dev lo
	spt_server -n "$NS_A" -a 0.0.0.0 -f hello-a 'SYSTEM:echo hello-from-A'
	P_HELLO=$SRV_PORT
	spt_server -n "$NS_A" -a 0.0.0.0 -f cat-a 'EXEC:cat'
	P_CAT=$SRV_PORT
	ip -n "$NS_A" addr add 2001:db8:9::9/128 dev lo nodad
	spt_server -n "$NS_A" -a :: -f hello6-a 'SYSTEM:echo hello-from-A-v6'
	P_HELLO6=$SRV_PORT

	# --- C, S1, S2: two paths
	local i ns
	for i in 1 2; do
		ns=NS_S$i
		ns=${!ns}
		ip -n "$NS_C" link add r$i type veth peer name r$i netns "$ns"
		ip -n "$NS_C" addr add 10.231.2$i.1/24 dev r$i
		ip -n "$NS_C" addr add 2001:db8:2$i::1/64 dev r$i nodad
		ip -n "$ns" addr add 10.231.2$i.2/24 dev r$i
		ip -n "$ns" addr add 2001:db8:2$i::2/64 dev r$i nodad
		ip -n "$NS_C" link set r$i up
		ip -n "$ns" link set r$i up
		ip -n "$ns" addr add 10.231.30.1/32 dev lo
		ip -n "$ns" addr add 10.231.3$((i == 1 ? 2 : 1)).1/32 dev lo
		ip -n "$ns" -6 addr add 2001:db8:3$((i == 1 ? 2 : 1))::1/128 dev lo
		ip netns exec "$ns" nft -f - <<-EOF
		table inet sptroute {
			counter udp_seen { }
			chain pre {
				type filter hook prerouting priority -300; policy accept;
				meta l4proto udp counter name "udp_seen"
				ip daddr 10.231.8.8 drop
			}
		}
		EOF
	done
	for ns in "$NS_C" "$NS_S1" "$NS_S2"; do
		ip netns exec "$ns" sh -c 'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 2 >"$f"; done'
	done

	MARK=$(( 0x5970 + RANDOM % 256 ))
	TBL=$(( 1000 + RANDOM % 1000 ))
	ip -n "$NS_C" route add 10.231.30.1/32 via 10.231.21.2
	ip -n "$NS_C" route add 10.231.32.1/32 via 10.231.21.2
	ip -n "$NS_C" route add 10.231.8.8/32 via 10.231.21.2
	ip -n "$NS_C" -6 route add 2001:db8:32::/64 via 2001:db8:21::2
	ip -n "$NS_C" route add 10.231.30.1/32 via 10.231.22.2 table "$TBL"
	ip -n "$NS_C" route add 10.231.31.1/32 via 10.231.22.2 table "$TBL"
	ip -n "$NS_C" route add unreachable default table "$TBL"
	ip -n "$NS_C" -6 route add 2001:db8:31::/64 via 2001:db8:22::2 table "$TBL"
	ip -n "$NS_C" -6 route add unreachable default table "$TBL"
	ip -n "$NS_C" rule add fwmark "$MARK" lookup "$TBL" pref 100
	ip -n "$NS_C" -6 rule add fwmark "$MARK" lookup "$TBL" pref 100
	# Replies from 10.231.31.1, which only the marked table knows, fail
	# even the loose reverse path check unless they carry the mark too:
	# restore it from conntrack and let the check use it.
	ip netns exec "$NS_C" nft -f - <<-EOF
	table inet sptmark {
		chain out {
			type route hook output priority mangle; policy accept;
			meta mark != 0 ct mark set meta mark
		}
		chain pre {
			type filter hook prerouting priority mangle; policy accept;
			ct mark != 0 meta mark set ct mark
		}
	}
	EOF
	ip netns exec "$NS_C" sh -c 'echo 1 >/proc/sys/net/ipv4/conf/all/src_valid_mark'

	P_PATH=$(spt_free_port "$NS_S1")
	spt_server -n "$NS_S1" -a 10.231.30.1 -p "$P_PATH" -f path1 \
		'SYSTEM:echo path1 $SOCAT_PEERADDR'
	spt_server -n "$NS_S2" -a 0.0.0.0 -p "$P_PATH" -f path2 \
		'SYSTEM:echo path2 $SOCAT_PEERADDR'

	spt_netns_dns "$NS_C" \
		--host-record=r30.spt-test,10.231.30.1 \
		--host-record=r40.spt-test,10.231.40.1 \
		--host-record=r6.spt-test,2001:db8:21::2 \
		--host-record=n6.spt-test,2001:db8:99::1

	export NS_A NS_C NS_S1 NS_S2 P_HELLO P_HELLO6 P_CAT P_PATH MARK TBL SPT_DNS_LOG
}

teardown_file() {
	spt_teardown_file
	spt_netns_cleanup
}

setup() {
	spt_setup
	[[ -z $ROUTE_SKIP ]] || skip "$ROUTE_SKIP"
	[[ -x $SSHPROXY_ROUTE ]] || skip "sshproxy-route not built: $SSHPROXY_ROUTE"
	R=$SSHPROXY_ROUTE
}

teardown() {
	spt_teardown
	# Namespaces a test made for itself (the VRF case).
	spt_netns_cleanup
}

# in_c [-t SECS] ARGS...: run sshproxy-route ARGS inside the client namespace.
in_c() {
	local t=10
	if [[ $1 == -t ]]; then
		t=$2
		shift 2
	fi
	spt_run -t "$t" ip netns exec "$NS_C" "$R" "$@"
}

# As nobody, with no capabilities at all, inside the client namespace.
in_c_nobody() {
	spt_run ip netns exec "$NS_C" "${NOBODY[@]}" "$R" "$@"
}

# How many UDP packets namespace $1 has received.
udp_seen() {
	ip netns exec "$1" nft list counter inet sptroute udp_seen |
		sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

# has_route EXPECTED ARGS...: --has-route ARGS in C exits EXPECTED, silently.
has_route() {
	local want=$1
	shift
	in_c --has-route "$@"
	spt_assert_status "$want"
	spt_assert_no_stdout
	spt_assert_no_stderr
}

# ------------------------------------------------------------ (a) --netns

@test "fixture: 10.231.9.9 answers in A, and C has no route to it" {
	run timeout 10 ip netns exec "$NS_A" socat -T 5 - "TCP4:10.231.9.9:$P_HELLO"
	[ "$status" -eq 0 ]
	[ "$output" = hello-from-A ]
	run timeout 10 ip -n "$NS_C" route get 10.231.9.9
	[ "$status" -ne 0 ]
}

@test "--netns NAME reaches a server that exists only inside A" {
	spt_run "$R" --netns "$NS_A" 10.231.9.9 "$P_HELLO"
	spt_assert_status 0
	[ "$output" = hello-from-A ]
	spt_assert_no_stderr
	spt_run "$R" --netns="$NS_A" -w 2 10.231.8.8 "$P_HELLO"
	spt_assert_status 0
	[ "$output" = hello-from-A ]
	spt_run "$R" --netns "$NS_A" -w 2 2001:db8:9::9 "$P_HELLO6"
	spt_assert_status 0
	[ "$output" = hello-from-A-v6 ]
	spt_assert_no_stderr
}

@test "--netns PATH (/run/netns/NAME) works the same" {
	spt_run "$R" --netns "/run/netns/$NS_A" 10.231.9.9 "$P_HELLO"
	spt_assert_status 0
	[ "$output" = hello-from-A ]
	spt_assert_no_stderr
}

@test "without --netns: no route is 69, packets that vanish are 75" {
	in_c 10.231.9.9 "$P_HELLO"
	spt_assert_status 69
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	[[ $stderr == *"unreachable"* ]]
	in_c 2001:db8:9::9 "$P_HELLO6"
	spt_assert_status 69
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route

	# C routes 10.231.8.8 to S1, which drops it.
	in_c -w 1 10.231.8.8 "$P_HELLO"
	spt_assert_status 75
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	spt_assert_elapsed_above 900
	spt_assert_elapsed_below 3000

	# -z: the same facts as exit 1, silently.
	in_c -z -w 1 10.231.9.9 "$P_HELLO"
	spt_assert_status 1
	spt_assert_no_stderr
	spt_run "$R" -z -w 2 --netns "$NS_A" 10.231.9.9 "$P_HELLO"
	spt_assert_status 0
	spt_assert_no_stdout
}

@test "--netns relays 1 MiB both ways byte for byte, files and pipes (half-close ends it)" {
	local in=$BATS_TEST_TMPDIR/in.bin out=$BATS_TEST_TMPDIR/out.bin
	head -c 1048576 /dev/urandom >"$in"
	spt_run -t 20 -i -o "$out" "$R" --netns "$NS_A" 10.231.9.9 "$P_CAT" <"$in"
	spt_assert_status 0
	spt_assert_no_stderr
	cmp "$in" "$out"

	# Pipes on both sides, as ssh gives a ProxyCommand (the splice path).
	rm -f "$out"
	spt_run -t 20 -o "$out" bash -c 'cat "$1" | "$2" --netns "$3" "$4" "$5" | cat' \
		_ "$in" "$R" "$NS_A" 10.231.9.9 "$P_CAT"
	spt_assert_status 0
	spt_assert_no_stderr
	cmp "$in" "$out"
}

@test "ssh through sshd inside A: ProxyCommand relay and -F with ProxyUseFdpass" {
	command -v sshd >/dev/null || [[ -x /usr/sbin/sshd ]] || skip "sshd not installed"
	local dir=$BATS_TEST_TMPDIR/sshd qr want in out
	# Let the library write keys and configs, then move sshd into A.
	spt_sshd_start "$dir"
	spt_sshd_stop
	sed -i "s/^ListenAddress .*/ListenAddress 10.231.9.9:$SSHD_PORT/" \
		"$SSHD_DIR/sshd_config"
	spt_spawn "sshd-a" ip netns exec "$NS_A" "$(spt_sshd_bin)" -D -e \
		-f "$SSHD_DIR/sshd_config"
	# shellcheck disable=SC2034  # what spt_sshd_stop stops
	SSHD_PID=$SPT_PID
	spt_wait_listen 10.231.9.9 "$SSHD_PORT" 5 "$NS_A"

	want=$(ip netns exec "$NS_A" readlink /proc/self/ns/net)
	qr=$(printf %q "$R")

	spt_run -t 20 ssh -F "$SSH_CONFIG" \
		-o "ProxyCommand=$qr --netns $NS_A %h %p" \
		10.231.9.9 'readlink /proc/self/ns/net'
	spt_assert_status 0
	[ "$output" = "$want" ]

	spt_run -t 20 ssh -F "$SSH_CONFIG" \
		-o "ProxyCommand=$qr --netns $NS_A -F %h %p" \
		-o ProxyUseFdpass=yes 10.231.9.9 'readlink /proc/self/ns/net'
	spt_assert_status 0
	[ "$output" = "$want" ]

	in=$BATS_TEST_TMPDIR/in.bin
	out=$BATS_TEST_TMPDIR/out.bin
	head -c 262144 /dev/urandom >"$in"
	spt_run -t 20 -i -o "$out" ssh -F "$SSH_CONFIG" \
		-o "ProxyCommand=$qr --netns $NS_A -F %h %p" \
		-o ProxyUseFdpass=yes 10.231.9.9 cat <"$in"
	spt_assert_status 0
	cmp "$in" "$out"
}

# ------------------------------------------------------------ (b) --mark

@test "fwmark: without --mark path 1, with --mark path 2 (main vs. table)" {
	in_c -w 5 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path1 10.231.21.1" ]
	spt_assert_no_stderr

	in_c -w 5 --mark "$MARK" 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path2 10.231.22.1" ]
	spt_assert_no_stderr

	in_c -w 5 --mark="$MARK" 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path2 10.231.22.1" ]

	# A mark no rule knows: the main table.
	in_c -w 5 --mark $((MARK + 1000)) 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path1 10.231.21.1" ]
}

@test "fwmark: --mark together with --netns, run from outside" {
	spt_run "$R" -w 5 --netns "$NS_C" --mark "$MARK" 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path2 10.231.22.1" ]
	spt_run "$R" -w 5 --netns "$NS_C" 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path1 10.231.21.1" ]
}

@test "fwmark: an address only the marked table knows; -z honours the mark" {
	in_c -w 2 10.231.31.1 "$P_PATH"
	spt_assert_status 69
	in_c -w 5 --mark "$MARK" 10.231.31.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path2 10.231.22.1" ]

	in_c -z -w 2 10.231.31.1 "$P_PATH"
	spt_assert_status 1
	spt_assert_no_stderr
	in_c -z -w 2 --mark "$MARK" 10.231.31.1 "$P_PATH"
	spt_assert_status 0
	spt_assert_no_stdout
	spt_assert_no_stderr
	# The marked table has "unreachable default": main's 10.231.32.1 is gone.
	in_c -z -w 2 --mark "$MARK" 10.231.32.1 "$P_PATH"
	spt_assert_status 1
}

# ------------------------------------------------------------ (c) --has-route

@test "--has-route IPv4: 0 with a route, 1 without, silent; no packet sent" {
	local u1 u2
	u1=$(udp_seen "$NS_S1")
	u2=$(udp_seen "$NS_S2")
	has_route 0 10.231.30.1
	has_route 0 10.231.21.77	# on-link
	has_route 0 127.0.0.1
	has_route 1 10.231.40.1
	has_route 1 10.231.31.1	# only in the marked table
	has_route 0 -4 10.231.32.1
	has_route 1 -6 10.231.30.1	# not an IPv6 address
	[ "$(udp_seen "$NS_S1")" = "$u1" ]
	[ "$(udp_seen "$NS_S2")" = "$u2" ]
	# Not even an ARP request for the on-link address.
	[ -z "$(ip -n "$NS_C" neigh show 10.231.21.77)" ]
}

@test "--has-route IPv6: 0 with a route, 1 without, silent; no packet sent" {
	local u1 u2
	u1=$(udp_seen "$NS_S1")
	u2=$(udp_seen "$NS_S2")
	has_route 0 2001:db8:21::2
	has_route 0 2001:db8:32::1
	has_route 0 -6 ::1
	has_route 1 2001:db8:99::1
	has_route 1 2001:db8:31::1	# only in the marked table
	has_route 1 -4 2001:db8:21::2
	has_route 0 2001:db8:21::77	# on-link
	[ "$(udp_seen "$NS_S1")" = "$u1" ]
	[ "$(udp_seen "$NS_S2")" = "$u2" ]
	# No neighbour solicitation either.
	[ -z "$(ip -n "$NS_C" -6 neigh show 2001:db8:21::77)" ]
}

@test "--has-route -v says what it found, on stderr only" {
	in_c --has-route -v 10.231.30.1
	spt_assert_status 0
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	in_c --has-route -v 10.231.40.1
	spt_assert_status 1
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	[[ $stderr == *"no route"* ]]
}

@test "--has-route --mark asks the table the mark selects" {
	local u1 u2
	u1=$(udp_seen "$NS_S1")
	u2=$(udp_seen "$NS_S2")
	has_route 0 --mark "$MARK" 10.231.31.1
	has_route 1 --mark "$MARK" 10.231.32.1	# table: unreachable default
	has_route 0 --mark "$MARK" 10.231.30.1
	has_route 0 --mark "$MARK" 2001:db8:31::1
	has_route 1 --mark "$MARK" 2001:db8:32::1
	# A mark without a rule: the main table.
	has_route 1 --mark $((MARK + 1000)) 10.231.31.1
	has_route 0 --mark $((MARK + 1000)) 10.231.32.1
	[ "$(udp_seen "$NS_S1")" = "$u1" ]
	[ "$(udp_seen "$NS_S2")" = "$u2" ]
}

@test "--has-route --netns asks another namespace's table" {
	spt_run "$R" --has-route --netns "$NS_C" 10.231.30.1
	spt_assert_status 0
	spt_assert_no_stderr
	spt_run "$R" --has-route --netns "$NS_C" 10.231.40.1
	spt_assert_status 1
	spt_assert_no_stderr
	spt_run "$R" --has-route --netns "$NS_A" 10.231.30.1
	spt_assert_status 1
	spt_run "$R" --has-route --netns "/run/netns/$NS_C" --mark "$MARK" 10.231.31.1
	spt_assert_status 0
}

@test "--has-route with a name: 65 without --resolve, nothing looked up" {
	local before
	before=$(spt_dns_all_queries)
	in_c --has-route r30.spt-test
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	[[ $stderr == *--resolve* ]]
	in_c --has-route -q r30.spt-test
	spt_assert_status 65
	spt_assert_no_stderr
	sleep 0.3
	[ "$(spt_dns_all_queries)" -eq "$before" ]
}

@test "--has-route --resolve looks the name up in C's resolver: 0 or 1" {
	has_route 0 --resolve r30.spt-test
	[ "$(spt_dns_queries r30.spt-test)" -ge 1 ]
	has_route 1 --resolve r40.spt-test
	has_route 0 --resolve -6 r6.spt-test
	has_route 1 --resolve -6 n6.spt-test
	has_route 0 --resolve --mark "$MARK" r30.spt-test
	# NXDOMAIN and a name only in A's world: no route either way.
	has_route 1 --resolve nx.spt-test
	[ "$(spt_dns_queries nx.spt-test)" -ge 1 ]
}

# ------------------------------------------------------------ (d) errors

@test "a missing namespace is 69 \"no such network namespace\"" {
	local gone=sptgone$RANDOM
	[[ ! -e /run/netns/$gone ]]
	spt_run "$R" --netns "$gone" 10.231.9.9 "$P_HELLO"
	spt_assert_status 69
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	[[ $stderr == *"no such network namespace"* ]]
	spt_run "$R" --netns "/run/netns/$gone" 10.231.9.9 "$P_HELLO"
	spt_assert_status 69
	[[ $stderr == *"no such network namespace"* ]]
	spt_run "$R" --has-route --netns "$gone" 10.231.9.9
	spt_assert_status 69
	[[ $stderr == *"no such network namespace"* ]]
}

@test "without CAP_SYS_ADMIN, --netns is 77 naming the capability" {
	spt_run "${NOBODY[@]}" "$R" --netns "$NS_A" 10.231.9.9 "$P_HELLO"
	spt_assert_status 77
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	[[ $stderr == *CAP_SYS_ADMIN* ]]
	spt_run "${NOBODY[@]}" "$R" --has-route --netns "$NS_A" 10.231.9.9
	spt_assert_status 77
	[[ $stderr == *CAP_SYS_ADMIN* ]]
}

@test "without CAP_NET_ADMIN, --mark is 77 naming the capability" {
	in_c_nobody --mark "$MARK" 10.231.30.1 "$P_PATH"
	spt_assert_status 77
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	[[ $stderr == *CAP_NET_ADMIN* ]]
	in_c_nobody --has-route --mark "$MARK" 10.231.30.1
	spt_assert_status 77
	[[ $stderr == *CAP_NET_ADMIN* ]]
	# A probe does not hide it as "not reachable" either.
	in_c_nobody -z --mark "$MARK" 10.231.30.1 "$P_PATH"
	spt_assert_status 77
	[[ $stderr == *CAP_NET_ADMIN* ]]
	# Without --mark nobody gets through: it was the mark, not the user.
	in_c_nobody -w 5 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path1 10.231.21.1" ]
}

@test "--device: a missing interface is 69; an existing one is used" {
	in_c --device nosuch 10.231.30.1 "$P_PATH"
	spt_assert_status 69
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	[[ $stderr == *"no such network device"* ]]
	in_c --has-route --device nosuch 10.231.30.1
	spt_assert_status 69
	[[ $stderr == *"no such network device"* ]]
	in_c -z --device nosuch 10.231.30.1 "$P_PATH"
	spt_assert_status 69
	[[ $stderr == *"no such network device"* ]]

	# Bound to r2, the connection leaves through r2 whatever the main
	# table says: the kernel takes 10.231.30.1 to be on that link, and
	# S2, which has the address, answers.
	in_c -w 5 --device r2 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path2 10.231.22.1" ]
	in_c -w 5 --device=r1 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path1 10.231.21.1" ]
	# IPv6 makes no such guess: only routes through the device count.
	has_route 0 --device r1 2001:db8:32::1
	has_route 1 --device r2 2001:db8:32::1
	has_route 0 --device r2 2001:db8:22::2
}

# ------------------------------------------------------------ (e) -T

@test "-T on Linux without a VRF for that table: 69 naming --netns, --mark, --device" {
	in_c -T "$TBL" 10.231.30.1 "$P_PATH"
	spt_assert_status 69
	spt_assert_no_stdout
	spt_assert_diag sshproxy-route
	[[ $stderr == *--netns* && $stderr == *--mark* && $stderr == *--device* ]]
	in_c --rtable="$TBL" --has-route 10.231.30.1
	spt_assert_status 69
	[[ $stderr == *--netns* && $stderr == *--mark* && $stderr == *--device* ]]
	# Table 0 is the BSDs' default domain: on Linux it changes nothing,
	# so one ssh_config line works on both.
	in_c -T 0 -w 5 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path1 10.231.21.1" ]
}

@test "--mark takes hex as ip-rule(8) writes it; --has-route refuses relay options" {
	in_c -w 5 --mark "$(printf '0x%x' "$MARK")" 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path2 10.231.22.1" ]
	for o in "-s 10.231.21.1" "-i 5" "-N" "--no-half-close" "-n"; do
		# shellcheck disable=SC2086
		in_c --has-route $o 10.231.30.1
		spt_assert_status 64
	done
}

@test "-T N picks the VRF device whose table is N" {
	local nc ns vt=$(( 2000 + RANDOM % 1000 ))
	spt_netns_create; nc=$SPT_NS
	spt_netns_create; ns=$SPT_NS
	if ! ip -n "$nc" link add sptvrf type vrf table "$vt" 2>/dev/null; then
		skip "no VRF module"
	fi
	ip -n "$nc" link set sptvrf up
	ip -n "$nc" link add v1 type veth peer name v1 netns "$ns"
	ip -n "$nc" link set v1 master sptvrf
	ip -n "$nc" addr add 10.231.50.1/24 dev v1
	ip -n "$ns" addr add 10.231.50.2/24 dev v1
	ip -n "$nc" link set v1 up
	ip -n "$ns" link set v1 up
	spt_server -n "$ns" -a 10.231.50.2 vrf-srv 'SYSTEM:echo via-vrf'

	# The connected route lives in the VRF's table, not in main.
	spt_run ip netns exec "$nc" "$R" -w 2 10.231.50.2 "$SRV_PORT"
	spt_assert_status 69
	spt_run ip netns exec "$nc" "$R" -w 5 -T "$vt" 10.231.50.2 "$SRV_PORT"
	spt_assert_status 0
	[ "$output" = via-vrf ]
	spt_run ip netns exec "$nc" "$R" -v -w 5 -T "$vt" 10.231.50.2 "$SRV_PORT"
	spt_assert_status 0
	[[ $stderr == *sptvrf* ]]
	spt_run ip netns exec "$nc" "$R" --has-route -T "$vt" 10.231.50.2
	spt_assert_status 0
	spt_run ip netns exec "$nc" "$R" --has-route 10.231.50.2
	spt_assert_status 1
	spt_run ip netns exec "$nc" "$R" -T $((vt + 1)) 10.231.50.2 "$SRV_PORT"
	spt_assert_status 69
}

# ------------------------------------------------------------ (f) bad input

@test "bad command lines are 64 with a hint, before anything is done" {
	spt_skip_under_valgrind "dozens of runs of the option parser: half a" \
	    "minute under valgrind; make check-asan runs it, leaks included"
	local long=abcdefghijklmnop		# 16 characters
	local -a bad
	local args
	bad=(
		"-T abc 10.231.30.1 22"
		"-T -1 10.231.30.1 22"
		"-T 99999999999 10.231.30.1 22"
		"--mark -1 10.231.30.1 22"
		"--mark 4294967296 10.231.30.1 22"
		"--mark 12abc 10.231.30.1 22"
		"--mark= 10.231.30.1 22"
		"--device $long 10.231.30.1 22"
		"--device a/b 10.231.30.1 22"
		"-T 1 --netns $NS_A 10.231.30.1 22"
		"--netns $NS_A -T 1 --has-route 10.231.30.1"
		"-T 1 --device r1 10.231.30.1 22"
		"--resolve 10.231.30.1 22"
		"--has-route 10.231.30.1 22"
		"--has-route"
		"--has-route -z 10.231.30.1"
		"-F -z 10.231.30.1 22"
		"10.231.30.1"
		"--no-such-option 10.231.30.1 22"
		"--mark"
	)
	for args in "${bad[@]}"; do
		# shellcheck disable=SC2086
		in_c $args
		if [[ $status != 64 ]]; then
			echo "sshproxy-route $args: expected 64, got $status" >&2
			return 1
		fi
		spt_assert_no_stdout
		spt_assert_stderr
		[[ $stderr == *"--help"* ]]
	done
	# -q wins over the message, not over the status.
	in_c -q -v 10.231.30.1 22
	spt_assert_status 64
	spt_assert_no_stdout
	# The largest values that fit are accepted.
	has_route 0 --mark 4294967295 10.231.30.1
	in_c --has-route --device abcdefghijklmno 10.231.30.1
	spt_assert_status 69
	[[ $stderr == *"no such network device"* ]]
}

# ------------------------------------------------------------ (g) no libcurl

@test "sshproxy-route does not link or load libcurl" {
	command -v ldd >/dev/null || skip "ldd not installed"
	spt_skip_under_valgrind "the program is a wrapper script there;" \
	    "this checks the real binary's libraries"
	run ldd "$R"
	[ "$status" -eq 0 ]
	[[ $output != *curl* ]]
	[[ $output != *libconfig* ]]

	# The dynamic loader's own log: every library opened, dlopen() included.
	spt_run ip netns exec "$NS_C" env LD_DEBUG=libs "$R" -vv -w 5 \
		--mark "$MARK" 10.231.30.1 "$P_PATH"
	spt_assert_status 0
	[ "$output" = "path2 10.231.22.1" ]
	[[ $stderr == *"sshproxy-route: "* ]]
	[[ $stderr == *"calling init"* ]]
	[[ $stderr != *curl* ]]
	spt_run ip netns exec "$NS_C" env LD_DEBUG=libs "$R" -vv --has-route \
		--resolve r30.spt-test
	spt_assert_status 0
	[[ $stderr != *curl* ]]
}
