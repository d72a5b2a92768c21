# tests/lib/tor.bash — a real tor with no network, inside a namespace of its own.
# shellcheck shell=bash disable=SC2034
#
# Needs tests/lib/common.bash, netns.bash and proxies.bash loaded first.  Root
# only.  tor runs in a namespace that has only lo (netns.bash's, so it has
# its own hosts file and resolv.conf -> 127.0.0.53): nothing can leave the
# machine, and its SOCKS listener answers at once:
#   an invalid .onion name              -> 0xF6 (ExtendedErrors)
#   localhost, 127.0.0.1, private addrs -> 0x01
#   a valid v3 onion, any public name   -> held until SocksTimeout (5 s), then 0x06
# Clients must run in the same namespace: ip netns exec "$TOR_NS" CMD...
#
#   start_tor_offline [--netns NS] [--port P] [--no-unix] [--no-extended-errors]
#                     [--torrc LINE]...
#       Without --netns a fresh namespace is made (spt_netns_create) and
#       --port defaults to 9050, tor's standard port, so a client's default
#       proxy works there.  In a given namespace the default is a free port.
#       Unless --no-unix, also a unix SocksPort in a 0700 dir owned by
#       debian-tor (waited for: tor opens it about 1 s after the TCP one).
#       torrc: SocksPort 127.0.0.1:P ExtendedErrors IsolateSOCKSAuth,
#       SocksTimeout 5, TestSocks 1 + SafeLogging 0 (tor logs whether each
#       request carried a name or an address: grep TOR_LOG for
#       "instructed Tor to take care of the DNS resolution" vs "unsafe").
#       Sets TOR_NS TOR_PORT TOR_PID TOR_DIR TOR_LOG TOR_SOCK (the unix
#       socket, or empty) TOR_URL (socks5h://127.0.0.1:P) TOR_UNIX_URL
#       (socks5h://localhost/path.sock), and PROXY_PORT PROXY_PID PROXY_URL.
#   stop_tor_offline
#       Stops tor by PID; removes its namespace (if start_tor_offline made
#       it) and its directory.  In teardown, spt_reap + spt_netns_cleanup +
#       spt_proxies_cleanup (in that order) do the same.
#   spt_tor_missing          why tor fixtures cannot run here, or nothing
#   spt_onion_v3 [PUBKEY_HEX]
#       a valid v3 onion address (checksum and version right) for the
#       ed25519 key PUBKEY_HEX (default: the base point, a valid key)
#   spt_onion_v3_badsum      the same address with a wrong checksum (tor: 0xF6)

spt_tor_missing() {
	if ! spt_is_root; then
		echo "needs root (network namespace for an offline tor)"
	elif ! command -v tor >/dev/null && [[ ! -x /usr/sbin/tor ]]; then
		echo "tor not installed"
	elif ! getent passwd debian-tor >/dev/null; then
		echo "no debian-tor account (tor package from Debian expected)"
	elif ! command -v ip >/dev/null; then
		echo "ip (iproute2) not installed"
	fi
}

start_tor_offline() {
	local ns='' port='' unix=1 ext=' ExtendedErrors' made_ns='' dir line
	local -a extra=()
	while (( $# )); do
		case $1 in
		--netns) ns=$2; shift 2 ;;
		--port) port=$2; shift 2 ;;
		--no-unix) unix=''; shift ;;
		--no-extended-errors) ext=''; shift ;;
		--torrc) extra+=("$2"); shift 2 ;;
		*) echo "start_tor_offline: unknown option $1" >&2; return 1 ;;
		esac
	done
	local why
	why=$(spt_tor_missing)
	[[ -z $why ]] || { echo "start_tor_offline: $why" >&2; return 1; }
	if [[ -z $ns ]]; then
		spt_netns_create || return 1
		ns=$SPT_NS made_ns=1
		port=${port:-9050}
	fi
	port=${port:-$(spt_free_port "$ns")} || return 1

	# tor drops to debian-tor; bats' run dir is 0700 root, so tor's files
	# live in a private dir under /tmp that debian-tor owns.
	dir=$(_spt_px_privdir debian-tor:debian-tor tor) || return 1
	mkdir -m 700 "$dir/data" "$dir/sock" && chown debian-tor:debian-tor "$dir/data" "$dir/sock" ||
		return 1
	{
		echo "# throwaway offline tor for sshproxy tests"
		echo "DataDirectory $dir/data"
		echo "SocksPort 127.0.0.1:$port$ext IsolateSOCKSAuth"
		[[ -n $unix ]] && echo "SocksPort unix:$dir/sock/socks.sock$ext IsolateSOCKSAuth"
		echo "SocksTimeout 5"
		echo "User debian-tor"
		echo "Log notice stderr"
		echo "ClientOnly 1"
		echo "AvoidDiskWrites 1"
		echo "TestSocks 1"
		echo "SafeLogging 0"
		for line in "${extra[@]}"; do
			echo "$line"
		done
	} >"$dir/torrc"

	TOR_NS=$ns TOR_PORT=$port TOR_DIR=$dir TOR_MADE_NS=$made_ns
	TOR_LOG=$(spt_tmpdir)/tor-$ns-$port.log
	spt_spawn "tor-$ns-$port" ip netns exec "$ns" tor -f "$dir/torrc" --defaults-torrc /dev/null
	TOR_PID=$SPT_PID
	if ! spt_wait_listen 127.0.0.1 "$port" 10 "$ns"; then
		cat "$TOR_LOG" >&2
		stop_tor_offline
		return 1
	fi
	TOR_SOCK=
	if [[ -n $unix ]]; then
		local i
		for (( i = 0; i < 100; i++ )); do
			[[ -S $dir/sock/socks.sock ]] && break
			sleep 0.05
		done
		if [[ ! -S $dir/sock/socks.sock ]]; then
			echo "tor: no unix SocksPort after 5 s" >&2
			cat "$TOR_LOG" >&2
			stop_tor_offline
			return 1
		fi
		TOR_SOCK=$dir/sock/socks.sock
	fi
	TOR_URL=socks5h://127.0.0.1:$port
	TOR_UNIX_URL=${TOR_SOCK:+socks5h://localhost$TOR_SOCK}
	PROXY_PORT=$TOR_PORT PROXY_PID=$TOR_PID PROXY_URL=$TOR_URL
}

stop_tor_offline() {
	[[ -n ${TOR_PID:-} ]] && spt_stop_pid "$TOR_PID"
	TOR_PID=
	if [[ -n ${TOR_MADE_NS:-} && -n ${TOR_NS:-} ]]; then
		spt_netns_destroy "$TOR_NS"
		TOR_NS='' TOR_MADE_NS=''
	fi
	if [[ ${TOR_DIR:-} == /tmp/spt-tor.* && -d $TOR_DIR ]]; then
		rm -rf -- "$TOR_DIR"
	fi
	TOR_DIR=
}

spt_onion_v3() {
	python3 - "${1:-58$(printf '66%.0s' {1..31})}" <<-'EOF'
	import base64, hashlib, sys
	pk = bytes.fromhex(sys.argv[1])
	assert len(pk) == 32
	ck = hashlib.sha3_256(b".onion checksum" + pk + b"\x03").digest()[:2]
	print(base64.b32encode(pk + ck + b"\x03").decode().lower() + ".onion")
	EOF
}

spt_onion_v3_badsum() {
	local a
	a=$(spt_onion_v3 "$@") || return 1
	# Characters 53-54 hold most of the checksum; flip one.
	local c=${a:53:1}
	if [[ $c == a ]]; then c=b; else c=a; fi
	printf '%s\n' "${a:0:53}$c${a:54}"
}
