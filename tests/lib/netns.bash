# tests/lib/netns.bash — network namespaces with their own hosts file and DNS
# shellcheck shell=bash disable=SC2034
# resolver, so a test can resolve made-up names without ever touching this
# machine's resolver.  Root only.  Needs tests/lib/common.bash loaded first.
#
#   spt_netns_create            new namespace, only lo up; sets SPT_NS.
#                               /etc/netns/$SPT_NS/{hosts,resolv.conf,nsswitch.conf}
#                               are bind-mounted by `ip netns exec` over /etc.
#   spt_netns_hosts NS LINE...  append lines to the namespace's hosts file
#   spt_netns_dns NS ARGS...    run dnsmasq inside NS on 127.0.0.53 (the
#                               resolv.conf already points there); ARGS are
#                               extra dnsmasq options (--host-record=...).
#                               Names under .spt-test it does not know get
#                               NXDOMAIN; any other name gets REFUSED (which
#                               getaddrinfo reports as a temporary failure).
#                               Sets SPT_DNS_LOG.
#   spt_dns_queries NAME        how many queries for NAME dnsmasq logged
#   spt_netns_drop NS RULE      add an nft rule to NS's input hook, e.g.
#                               "tcp dport 2222 drop",
#                               "meta nfproto ipv6 tcp dport 2222 drop"
#   spt_in_ns NS CMD...         ip netns exec NS CMD...
#   spt_netns_cleanup           delete every namespace this file created
#                               (and its /etc/netns dir); call after spt_reap.

# Names (one per line) of the namespaces we created, for cleanup.
spt_netns_registry() {
	printf '%s\n' "${SPT_NETNS_REGISTRY:-$(spt_tmpdir)/spt-netns}"
}

spt_netns_create() {
	local ns i
	for (( i = 0; i < 10; i++ )); do
		ns=$(spt_uniq)
		[[ -e /run/netns/$ns || -e /etc/netns/$ns ]] && continue
		ip netns add "$ns" 2>/dev/null && break
		ns=
	done
	[[ -n $ns ]] || { echo "spt_netns_create: cannot create a namespace" >&2; return 1; }
	echo "$ns" >>"$(spt_netns_registry)"
	SPT_NS=$ns

	ip -n "$ns" link set lo up || return 1
	# The resolver address (also covered by 127/8, but explicit is clearer).
	ip -n "$ns" addr add 127.0.0.53/32 dev lo || return 1
	# A non-loopback IPv6 address: glibc's AI_ADDRCONFIG ignores ::1, so in a
	# namespace with only lo it would return IPv4 addresses only and a
	# program using AI_ADDRCONFIG would never see the IPv6 half of a dual
	# name.  (127.0.0.53 above already counts as IPv4.)
	ip -n "$ns" addr add 2001:db8:5970::1/128 dev lo nodad || return 1

	mkdir -p "/etc/netns/$ns" || return 1
	cat >"/etc/netns/$ns/hosts" <<-EOF
	127.0.0.1	localhost
	::1	localhost ip6-localhost ip6-loopback
	EOF
	cat >"/etc/netns/$ns/resolv.conf" <<-EOF
	nameserver 127.0.0.53
	options timeout:1 attempts:1
	EOF
	# Files then DNS, nothing that could reach a daemon outside the namespace.
	cat >"/etc/netns/$ns/nsswitch.conf" <<-EOF
	hosts: files dns
	services: files
	EOF
	# nscd would answer from outside the namespace.
	if [[ -S /var/run/nscd/socket || -S /run/nscd/socket ]]; then
		echo "spt_netns_create: nscd is running; name lookups would leave the namespace" >&2
		return 1
	fi
}

spt_netns_hosts() {
	local ns=$1
	shift
	printf '%s\n' "$@" >>"/etc/netns/$ns/hosts"
}

spt_in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

spt_netns_dns() {
	local ns=$1 dir
	shift
	command -v dnsmasq >/dev/null || { echo "dnsmasq not installed" >&2; return 1; }
	dir=$(spt_tmpdir)
	SPT_DNS_LOG=$dir/dnsmasq-$ns.queries
	: >"$SPT_DNS_LOG"
	spt_spawn "dnsmasq-$ns" ip netns exec "$ns" dnsmasq \
		--no-daemon --no-resolv --no-hosts --no-poll \
		--listen-address=127.0.0.53 --bind-interfaces --port=53 \
		--user=root --group=root \
		--local=/spt-test/ \
		--log-queries --log-facility="$SPT_DNS_LOG" \
		--pid-file="$dir/dnsmasq-$ns.pid" \
		"$@"
	SPT_DNS_PID=$SPT_PID
	spt_wait_udp 127.0.0.53 53 5 "$ns" || {
		cat "$dir/dnsmasq-$ns.log" >&2
		return 1
	}
}

# Count the queries for NAME (any type) in the dnsmasq log.  dnsmasq may log
# a moment after it answers, so wait up to 1 s for a non-zero count.
spt_dns_queries() {
	local name=$1 log=${2:-$SPT_DNS_LOG} n i
	for (( i = 0; i < 20; i++ )); do
		n=$(grep -cF "] $name from " "$log" || true)
		(( n > 0 )) && break
		sleep 0.05
	done
	printf '%s\n' "$n"
}

# All queries dnsmasq logged so far.
spt_dns_all_queries() {
	local log=${1:-$SPT_DNS_LOG}
	grep -c 'query\[' "$log" || true
}

spt_netns_drop() {
	local ns=$1
	shift
	if ! ip netns exec "$ns" nft list table inet spt >/dev/null 2>&1; then
		ip netns exec "$ns" nft 'add table inet spt; add chain inet spt in { type filter hook input priority 0; policy accept; }' ||
			return 1
	fi
	ip netns exec "$ns" nft "add rule inet spt in $*"
}

spt_netns_destroy() {
	local ns=$1
	[[ $ns =~ ^spt[0-9a-f]+$ ]] || { echo "refusing to remove namespace '$ns'" >&2; return 1; }
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "/etc/netns/$ns"
}

spt_netns_cleanup() {
	local reg ns
	reg=${1:-$(spt_netns_registry)}
	[[ -f $reg ]] || return 0
	while read -r ns; do
		[[ -n $ns ]] && spt_netns_destroy "$ns"
	done <"$reg"
	rm -f "$reg"
}
