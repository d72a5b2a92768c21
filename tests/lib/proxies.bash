# tests/lib/proxies.bash — real SOCKS and HTTP(S) proxies on loopback (or in
# a test namespace), and badproxy.py, our misbehaving one.
# shellcheck shell=bash disable=SC2034
#
# Needs tests/lib/common.bash loaded first (and tests/lib/netns.bash for
# spt_dns_watch).  Every start_* function starts its server with spt_spawn
# (so spt_reap stops it by PID), waits until it listens, and sets variables;
# it prints nothing on stdout and returns non-zero (with the server's log on
# stderr) when the server did not come up.  Common options:
#   --netns NS   run the server inside namespace NS (ip netns exec)
#   --addr A     listen address (default 127.0.0.1; ::1 works too)
#   --port P     listen port (default: a free one)
# Every start_* also sets PROXY_PORT, PROXY_PID and PROXY_URL (the URL a
# client would use) for the server it started last.
#
# Names: danted, microsocks, tinyproxy and squid resolve the names a client
# asks for with the resolver of where they run.  Outside a test namespace
# ask them only for IP literals or "localhost"; to make them resolve
# made-up names start them with --netns in a namespace from netns.bash.
#
#   start_danted [--auth [USER:]PASS] [--external IF]
#       Dante SOCKS4/SOCKS5 server (no SOCKS4a: it answers 0x5B).  With
#       --auth: SOCKS5 username/password (RFC 1929) against a throwaway
#       system account that is created here (USER defaults to a fresh
#       spt* name; an existing account is refused) and deleted by
#       spt_proxies_cleanup.  Root only for --auth.
#       Sets DANTED_PORT DANTED_PID DANTED_LOG DANTED_CONF DANTED_USER DANTED_PASS.
#       DANTED_PID is that of tests/fixtures/reap.py, which runs danted and
#       reaps the helpers danted orphans when it exits (stop it, not danted).
#   start_microsocks [-u USER -P PASS] [-1]
#       SOCKS5 only.  Sets MICROSOCKS_PORT MICROSOCKS_PID MICROSOCKS_LOG.
#   start_tinyproxy [--basic USER:PASS] [--connect-port N]... [--conf-line LINE]...
#       HTTP proxy; without --connect-port CONNECT may go to any port.  Wrong
#       Basic credentials get 401 (not 407); no credentials get 407.
#       Sets TINYPROXY_PORT TINYPROXY_PID TINYPROXY_LOG TINYPROXY_CONF.
#   start_https_proxy [--basic USER:PASS] [--connect-port N]... [--cert-name NAME]
#       stunnel4 (TLS, a certificate from a throwaway CA) in front of a
#       tinyproxy on 127.0.0.1.  The certificate names localhost, 127.0.0.1
#       and ::1, or only DNS:NAME with --cert-name (for mismatch tests).
#       Sets TLSPROXY_PORT TLSPROXY_PID TLSPROXY_LOG TLSPROXY_CACERT (give
#       this to --proxy-cacert) TLSPROXY_CERT TLSPROXY_KEY TLSPROXY_OTHER_CA
#       (a CA that did not sign it), and TINYPROXY_* for the backend.
#       PROXY_URL is https://localhost:PORT.
#   start_squid [--basic USER:PASS] [--digest USER:PASS] [--ntlm]
#               [--connect-port N]... [--dns ADDR]
#       squid 5 as an HTTP CONNECT proxy, no cache.  Each auth option adds
#       a scheme (offered in that order); --ntlm uses ntlm_fake_auth, which
#       accepts any user and password.  Without an auth option: no auth.
#       Digest realm "spt".  --dns: squid's DNS server (default 127.0.0.53
#       with --netns, where netns.bash's dnsmasq listens; 127.0.0.1 otherwise).
#       Sets SQUID_PORT SQUID_PID SQUID_DIR SQUID_LOG (stderr) SQUID_ACCESS_LOG
#       SQUID_CACHE_LOG.  SQUID_PID is tests/fixtures/reap.py's, which
#       SIGKILLs squid when stopped (squid takes 1-2 s to exit on SIGTERM).
#   start_digest_proxy USER:PASS [start_squid options]
#       start_squid --digest USER:PASS; also sets DIGEST_PROXY_PORT DIGEST_PROXY_PID.
#   start_badproxy MODE [--netns NS] [--addr A] [badproxy.py options]
#       tests/fixtures/badproxy.py (see its header for the modes and the log
#       format).  Sets BADPROXY_PORT BADPROXY_PID BADPROXY_LOG (the event log).
#   badproxy_hex LABEL [CONN]        hex of the first "recv LABEL" message
#                                    (in connection CONN, default any)
#   badproxy_wait_end [N] [SECS]     wait until N connections have ended
#   badproxy_wait_log REGEX [SECS]   wait until a log line matches
#   spt_tls_ca DIR NAME              make a CA (DIR/NAME.pem, DIR/NAME.key)
#   spt_dns_watch NS [dnsmasq args]  start netns.bash's dnsmasq in NS (unless
#                                    one listens there already) and mark its log
#   spt_dns_mark                     remember how far the DNS log is now
#   spt_dns_since_mark               print the queries logged since the mark
#   spt_assert_no_dns                fail (listing them) if any query was
#                                    logged since the mark
#   spt_proxies_cleanup              delete the throwaway accounts and the
#                                    private dirs made here; call after spt_reap
#   spt_proxies_teardown             for teardown(): spt_teardown, then
#                                    spt_netns_cleanup (if netns.bash is loaded)
#                                    and spt_proxies_cleanup
#   spt_proxies_teardown_file        the same for teardown_file()
#   spt_proxies_missing CMD...       print why these fixtures cannot run here
#                                    (not root, CMD not installed), or nothing
#
# $SPT_PROXYPROBE is tests/fixtures/proxyprobe.py, a reference SOCKS4/4a/5 and
# HTTP CONNECT client that prints exactly what a proxy answered.

_spt_px_fixtures=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures" && pwd)
SPT_BADPROXY=$_spt_px_fixtures/badproxy.py
SPT_PROXYPROBE=$_spt_px_fixtures/proxyprobe.py

# Things to undo, one per line: "user NAME" or "dir PATH".
spt_proxies_registry() {
	printf '%s\n' "${SPT_PROXIES_REGISTRY:-$(spt_tmpdir)/spt-proxies}"
}

spt_proxies_missing() {
	local c
	if ! spt_is_root; then
		echo "needs root"
		return 0
	fi
	for c in "$@"; do
		if ! command -v "$c" >/dev/null && [[ ! -x /usr/sbin/$c ]]; then
			echo "$c not installed"
			return 0
		fi
	done
}

# shellcheck disable=SC2120  # optional REGISTRY argument
spt_proxies_cleanup() {
	local reg kind what
	reg=${1:-$(spt_proxies_registry)}
	[[ -f $reg ]] || return 0
	while read -r kind what; do
		case $kind in
		user)
			[[ $what =~ ^[a-z_][a-z0-9_-]*$ ]] && userdel "$what" 2>/dev/null
			;;
		dir)
			[[ $what == /tmp/spt-* && -d $what ]] && rm -rf -- "$what"
			;;
		esac
	done < <(tac "$reg")
	rm -f "$reg"
}

spt_proxies_teardown() {
	spt_teardown
	if declare -F spt_netns_cleanup >/dev/null; then
		spt_netns_cleanup
	fi
	spt_proxies_cleanup
}

spt_proxies_teardown_file() {
	spt_teardown_file
	if declare -F spt_netns_cleanup >/dev/null; then
		spt_netns_cleanup
	fi
	spt_proxies_cleanup
}

# A private directory under /tmp (bats' run dir is 0700 root, so daemons that
# drop privileges could not reach anything below it).  Owned by OWNER, 0700.
_spt_px_privdir() {
	local owner=$1 tag=$2 d
	d=$(mktemp -d "/tmp/spt-$tag.XXXXXX") || return 1
	echo "dir $d" >>"$(spt_proxies_registry)"
	chown "$owner" "$d" && chmod 700 "$d" || return 1
	printf '%s\n' "$d"
}

# A throwaway system account with a password (for danted).
_spt_px_add_user() {
	local user=$1 pass=$2
	if getent passwd "$user" >/dev/null; then
		echo "account $user exists already; not touching it" >&2
		return 1
	fi
	useradd -r -M -N -d /nonexistent -s /usr/sbin/nologin -c "sshproxy test" "$user" ||
		return 1
	echo "user $user" >>"$(spt_proxies_registry)"
	printf '%s:%s\n' "$user" "$pass" | chpasswd
}

# Parse the common options into _ns _addr _port; the rest into _rest.
_spt_px_common() {
	_ns='' _addr=127.0.0.1 _port='' _rest=()
	while (( $# )); do
		case $1 in
		--netns) _ns=$2; shift 2 ;;
		--addr) _addr=$2; shift 2 ;;
		--port) _port=$2; shift 2 ;;
		*) _rest+=("$1"); shift ;;
		esac
	done
}

# "ADDR:PORT" for a URL or config file, brackets around IPv6.
_spt_px_hostport() {
	if [[ $1 == *:* ]]; then
		printf '[%s]:%s\n' "$1" "$2"
	else
		printf '%s:%s\n' "$1" "$2"
	fi
}

# _spt_px_run NAME CMD...: spt_spawn inside $_ns if set.
_spt_px_run() {
	local name=$1
	shift
	if [[ -n $_ns ]]; then
		spt_spawn "$name" ip netns exec "$_ns" "$@"
	else
		spt_spawn "$name" "$@"
	fi
}

# _spt_px_up NAME PID PORT: wait for the listener; on failure show the log,
# stop the process and fail.
_spt_px_up() {
	local name=$1 pid=$2 port=$3
	if spt_wait_listen "$_addr" "$port" 5 "$_ns"; then
		return 0
	fi
	echo "--- $name log:" >&2
	cat "$(spt_tmpdir)/$name.log" >&2
	spt_stop_pid "$pid"
	return 1
}

# ---------------------------------------------------------------- danted

start_danted() {
	local _ns _addr _port _rest auth='' user='' pass='' ext=lo conf dir try method
	_spt_px_common "$@"
	set -- "${_rest[@]}"
	while (( $# )); do
		case $1 in
		--auth) auth=$2; shift 2 ;;
		--external) ext=$2; shift 2 ;;
		*) echo "start_danted: unknown option $1" >&2; return 1 ;;
		esac
	done
	command -v danted >/dev/null || [[ -x /usr/sbin/danted ]] ||
		{ echo "danted not installed" >&2; return 1; }
	dir=$(spt_tmpdir)
	method=none
	DANTED_USER='' DANTED_PASS=''
	if [[ -n $auth ]]; then
		if [[ $auth == *:* ]]; then
			user=${auth%%:*} pass=${auth#*:}
		else
			pass=$auth
		fi
		[[ -n $user ]] || user=$(spt_uniq)
		_spt_px_add_user "$user" "$pass" || return 1
		DANTED_USER=$user DANTED_PASS=$pass
		method=username
	fi
	for (( try = 0; try < 3; try++ )); do
		DANTED_PORT=${_port:-$(spt_free_port "$_ns")} || return 1
		conf=$dir/danted-$DANTED_PORT.conf
		cat >"$conf" <<-EOF
		# throwaway danted for sshproxy tests
		logoutput: stderr
		internal: $_addr port = $DANTED_PORT
		external: $ext
		clientmethod: none
		socksmethod: $method
		user.privileged: root
		user.unprivileged: nobody
		timeout.negotiate: 30
		timeout.io: 0
		client pass {
		    from: 0/0 to: 0/0
		    log: error
		}
		socks pass {
		    from: 0/0 to: 0/0
		    command: connect
		    log: connect disconnect error
		}
		EOF
		DANTED_CONF=$conf
		DANTED_LOG=$dir/danted-$DANTED_PORT.log
		# danted's parent exits at once on SIGTERM and orphans its helpers:
		# reap.py adopts and reaps them.  DANTED_PID is reap.py's.
		_spt_px_run "danted-$DANTED_PORT" python3 "$_spt_px_fixtures/reap.py" \
			danted -f "$conf" -p "$dir/danted-$DANTED_PORT.pid"
		DANTED_PID=$SPT_PID
		_spt_px_up "danted-$DANTED_PORT" "$DANTED_PID" "$DANTED_PORT" && break
		DANTED_PID=
		[[ -n $_port ]] && break
	done
	[[ -n $DANTED_PID ]] || return 1
	PROXY_PORT=$DANTED_PORT PROXY_PID=$DANTED_PID
	PROXY_URL=socks5h://$(_spt_px_hostport "$_addr" "$DANTED_PORT")
}

# ---------------------------------------------------------------- microsocks

start_microsocks() {
	local _ns _addr _port _rest try
	local -a extra=()
	_spt_px_common "$@"
	set -- "${_rest[@]}"
	while (( $# )); do
		case $1 in
		-u|-P) extra+=("$1" "$2"); shift 2 ;;
		-1) extra+=(-1); shift ;;
		*) echo "start_microsocks: unknown option $1" >&2; return 1 ;;
		esac
	done
	command -v microsocks >/dev/null || { echo "microsocks not installed" >&2; return 1; }
	MICROSOCKS_PID=
	for (( try = 0; try < 3; try++ )); do
		MICROSOCKS_PORT=${_port:-$(spt_free_port "$_ns")} || return 1
		MICROSOCKS_LOG=$(spt_tmpdir)/microsocks-$MICROSOCKS_PORT.log
		_spt_px_run "microsocks-$MICROSOCKS_PORT" \
			microsocks -i "$_addr" -p "$MICROSOCKS_PORT" "${extra[@]}"
		MICROSOCKS_PID=$SPT_PID
		_spt_px_up "microsocks-$MICROSOCKS_PORT" "$MICROSOCKS_PID" "$MICROSOCKS_PORT" && break
		MICROSOCKS_PID=
		[[ -n $_port ]] && break
	done
	[[ -n $MICROSOCKS_PID ]] || return 1
	PROXY_PORT=$MICROSOCKS_PORT PROXY_PID=$MICROSOCKS_PID
	PROXY_URL=socks5h://$(_spt_px_hostport "$_addr" "$MICROSOCKS_PORT")
}

# ---------------------------------------------------------------- tinyproxy

start_tinyproxy() {
	local _ns _addr _port _rest basic='' dir conf try p line
	local -a cports=() lines=()
	_spt_px_common "$@"
	set -- "${_rest[@]}"
	while (( $# )); do
		case $1 in
		--basic) basic=$2; shift 2 ;;
		--connect-port) cports+=("$2"); shift 2 ;;
		--conf-line) lines+=("$2"); shift 2 ;;
		*) echo "start_tinyproxy: unknown option $1" >&2; return 1 ;;
		esac
	done
	command -v tinyproxy >/dev/null || { echo "tinyproxy not installed" >&2; return 1; }
	dir=$(spt_tmpdir)
	TINYPROXY_PID=
	for (( try = 0; try < 3; try++ )); do
		TINYPROXY_PORT=${_port:-$(spt_free_port "$_ns")} || return 1
		conf=$dir/tinyproxy-$TINYPROXY_PORT.conf
		{
			echo "# throwaway tinyproxy for sshproxy tests"
			echo "Port $TINYPROXY_PORT"
			echo "Listen $_addr"
			echo "Timeout 600"
			echo "LogLevel Info"
			echo "MaxClients 100"
			echo "DisableViaHeader Yes"
			echo "PidFile \"$dir/tinyproxy-$TINYPROXY_PORT.pid\""
			[[ -n $basic ]] && echo "BasicAuth ${basic%%:*} ${basic#*:}"
			for p in "${cports[@]}"; do
				echo "ConnectPort $p"
			done
			for line in "${lines[@]}"; do
				echo "$line"
			done
		} >"$conf"
		TINYPROXY_CONF=$conf
		TINYPROXY_LOG=$dir/tinyproxy-$TINYPROXY_PORT.log
		_spt_px_run "tinyproxy-$TINYPROXY_PORT" tinyproxy -d -c "$conf"
		TINYPROXY_PID=$SPT_PID
		_spt_px_up "tinyproxy-$TINYPROXY_PORT" "$TINYPROXY_PID" "$TINYPROXY_PORT" && break
		TINYPROXY_PID=
		[[ -n $_port ]] && break
	done
	[[ -n $TINYPROXY_PID ]] || return 1
	PROXY_PORT=$TINYPROXY_PORT PROXY_PID=$TINYPROXY_PID
	PROXY_URL=http://$(_spt_px_hostport "$_addr" "$TINYPROXY_PORT")
}

# ---------------------------------------------------------------- TLS

# spt_tls_ca DIR NAME: a throwaway CA, DIR/NAME.pem + DIR/NAME.key.
spt_tls_ca() {
	local dir=$1 name=$2
	( umask 077
	  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/$name.key" -out "$dir/$name.pem" -days 2 \
		-subj "/CN=sshproxy test CA $name" \
		-addext 'basicConstraints=critical,CA:TRUE' \
		-addext 'keyUsage=critical,keyCertSign,cRLSign' ) >/dev/null 2>&1 ||
		{ echo "spt_tls_ca: openssl failed" >&2; return 1; }
}

# spt_tls_leaf DIR CA NAME SAN: DIR/NAME.pem + DIR/NAME.key signed by DIR/CA.
_spt_tls_leaf() {
	local dir=$1 ca=$2 name=$3 san=$4
	( umask 077
	  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "/CN=${san#*:}" &&
	  printf '%s\n' "subjectAltName=$san" 'basicConstraints=CA:FALSE' \
		'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' \
		>"$dir/$name.ext" &&
	  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.pem" -CAkey "$dir/$ca.key" \
		-CAcreateserial -days 2 -extfile "$dir/$name.ext" -out "$dir/$name.pem" ) \
		>/dev/null 2>&1 || { echo "spt_tls_leaf: openssl failed" >&2; return 1; }
}

start_https_proxy() {
	local _ns _addr _port _rest name='' dir tdir conf try backend
	local -a tp=()
	_spt_px_common "$@"
	set -- "${_rest[@]}"
	while (( $# )); do
		case $1 in
		--basic|--connect-port|--conf-line) tp+=("$1" "$2"); shift 2 ;;
		--cert-name) name=$2; shift 2 ;;
		*) echo "start_https_proxy: unknown option $1" >&2; return 1 ;;
		esac
	done
	command -v stunnel4 >/dev/null || { echo "stunnel4 not installed" >&2; return 1; }
	command -v openssl >/dev/null || { echo "openssl not installed" >&2; return 1; }
	dir=$(spt_tmpdir)
	tdir=$(mktemp -d "$dir/tls.XXXXXX") || return 1
	spt_tls_ca "$tdir" ca && spt_tls_ca "$tdir" otherca || return 1
	if [[ -n $name ]]; then
		_spt_tls_leaf "$tdir" ca proxy "DNS:$name" || return 1
	else
		_spt_tls_leaf "$tdir" ca proxy 'DNS:localhost,IP:127.0.0.1,IP:::1' || return 1
	fi
	TLSPROXY_CACERT=$tdir/ca.pem TLSPROXY_OTHER_CA=$tdir/otherca.pem
	TLSPROXY_CERT=$tdir/proxy.pem TLSPROXY_KEY=$tdir/proxy.key

	# The plain HTTP proxy behind it, on 127.0.0.1 in the same namespace.
	backend=()
	[[ -n $_ns ]] && backend=(--netns "$_ns")
	start_tinyproxy "${backend[@]}" "${tp[@]}" || return 1

	TLSPROXY_PID=
	for (( try = 0; try < 3; try++ )); do
		TLSPROXY_PORT=${_port:-$(spt_free_port "$_ns")} || return 1
		conf=$tdir/stunnel-$TLSPROXY_PORT.conf
		cat >"$conf" <<-EOF
		; throwaway TLS terminator for sshproxy tests
		foreground = yes
		syslog = no
		debug = notice
		pid = $tdir/stunnel.pid
		[https-proxy]
		accept = $(_spt_px_hostport "$_addr" "$TLSPROXY_PORT" | tr -d '[]')
		connect = 127.0.0.1:$TINYPROXY_PORT
		cert = $TLSPROXY_CERT
		key = $TLSPROXY_KEY
		EOF
		TLSPROXY_LOG=$dir/stunnel-$TLSPROXY_PORT.log
		_spt_px_run "stunnel-$TLSPROXY_PORT" stunnel4 "$conf"
		TLSPROXY_PID=$SPT_PID
		_spt_px_up "stunnel-$TLSPROXY_PORT" "$TLSPROXY_PID" "$TLSPROXY_PORT" && break
		TLSPROXY_PID=
		[[ -n $_port ]] && break
	done
	[[ -n $TLSPROXY_PID ]] || return 1
	PROXY_PORT=$TLSPROXY_PORT PROXY_PID=$TLSPROXY_PID
	if [[ $_addr == *:* ]]; then
		PROXY_URL=https://[$_addr]:$TLSPROXY_PORT
	else
		PROXY_URL=https://localhost:$TLSPROXY_PORT
	fi
}

# ---------------------------------------------------------------- squid

start_squid() {
	local _ns _addr _port _rest dns='' dir try u p sd ha1 auth=0
	local -a cports=() schemes=()
	_spt_px_common "$@"
	set -- "${_rest[@]}"
	while (( $# )); do
		case $1 in
		--basic|--digest) schemes+=("${1#--}=$2"); shift 2 ;;
		--ntlm) schemes+=(ntlm=); shift ;;
		--connect-port) cports+=("$2"); shift 2 ;;
		--dns) dns=$2; shift 2 ;;
		*) echo "start_squid: unknown option $1" >&2; return 1 ;;
		esac
	done
	command -v squid >/dev/null || [[ -x /usr/sbin/squid ]] ||
		{ echo "squid not installed" >&2; return 1; }
	spt_is_root || { echo "start_squid: needs root" >&2; return 1; }
	if [[ -z $dns ]]; then
		if [[ -n $_ns ]]; then dns=127.0.0.53; else dns=127.0.0.1; fi
	fi
	dir=$(spt_tmpdir)
	# squid refuses to run as root and drops to "proxy": its files live in a
	# private dir that user can reach.
	sd=$(_spt_px_privdir proxy:proxy squid) || return 1
	SQUID_DIR=$sd
	SQUID_PID=
	for (( try = 0; try < 3; try++ )); do
		SQUID_PORT=${_port:-$(spt_free_port "$_ns")} || return 1
		{
			echo "# throwaway squid for sshproxy tests"
			echo "http_port $(_spt_px_hostport "$_addr" "$SQUID_PORT")"
			echo "pid_filename $sd/squid.pid"
			echo "cache_log $sd/cache.log"
			echo "access_log stdio:$sd/access.log"
			echo "cache_store_log none"
			echo "logfile_rotate 0"
			echo "cache deny all"
			echo "cache_mem 1 MB"
			echo "coredump_dir $sd"
			echo "netdb_filename none"
			echo "pinger_enable off"
			echo "shutdown_lifetime 0 seconds"
			echo "visible_hostname spt-squid"
			echo "dns_nameservers $dns"
			echo "max_filedescriptors 1024"
			echo "forwarded_for delete"
			echo "via off"
			for p in "${schemes[@]}"; do
				u=${p#*=} u=${u%%:*}
				case $p in
				ntlm=*)
					echo "auth_param ntlm program /usr/lib/squid/ntlm_fake_auth"
					echo "auth_param ntlm children 2 startup=1 idle=1"
					;;
				digest=*)
					ha1=$(printf '%s:spt:%s' "$u" "${p#*:}" | md5sum | cut -d' ' -f1)
					printf '%s:spt:%s\n' "$u" "$ha1" >>"$sd/digest.pw"
					echo "auth_param digest program /usr/lib/squid/digest_file_auth -c $sd/digest.pw"
					echo "auth_param digest realm spt"
					echo "auth_param digest children 2 startup=1 idle=1"
					;;
				basic=*)
					printf '%s:%s\n' "$u" "$(openssl passwd -apr1 "${p#*:}")" >>"$sd/basic.pw"
					echo "auth_param basic program /usr/lib/squid/basic_ncsa_auth $sd/basic.pw"
					echo "auth_param basic realm spt"
					echo "auth_param basic children 2 startup=1 idle=1"
					;;
				esac
				auth=1
			done
			if (( ${#cports[@]} )); then
				echo "acl spt_ports port ${cports[*]}"
				echo "http_access deny CONNECT !spt_ports"
			fi
			if (( auth )); then
				echo "acl spt_authed proxy_auth REQUIRED"
				echo "http_access deny !spt_authed"
			fi
			echo "http_access allow all"
		} >"$sd/squid.conf"
		chown -R proxy:proxy "$sd"
		squid -k parse -f "$sd/squid.conf" >"$dir/squid-parse.log" 2>&1 ||
			{ cat "$dir/squid-parse.log" >&2; return 1; }
		SQUID_LOG=$dir/squid-$SQUID_PORT.log
		SQUID_ACCESS_LOG=$sd/access.log SQUID_CACHE_LOG=$sd/cache.log
		# squid needs 1-2 s to exit on SIGTERM: reap.py gives it SIGKILL
		# instead (it is throwaway).  SQUID_PID is reap.py's.
		_spt_px_run "squid-$SQUID_PORT" python3 "$_spt_px_fixtures/reap.py" -g -s KILL \
			squid -N -f "$sd/squid.conf"
		SQUID_PID=$SPT_PID
		_spt_px_up "squid-$SQUID_PORT" "$SQUID_PID" "$SQUID_PORT" && break
		cat "$SQUID_CACHE_LOG" >&2
		SQUID_PID=
		[[ -n $_port ]] && break
	done
	[[ -n $SQUID_PID ]] || return 1
	PROXY_PORT=$SQUID_PORT PROXY_PID=$SQUID_PID
	PROXY_URL=http://$(_spt_px_hostport "$_addr" "$SQUID_PORT")
}

start_digest_proxy() {
	local cred=$1
	shift
	[[ $cred == *:* ]] || { echo "start_digest_proxy USER:PASS [options]" >&2; return 1; }
	start_squid --digest "$cred" "$@" || return 1
	DIGEST_PROXY_PORT=$SQUID_PORT DIGEST_PROXY_PID=$SQUID_PID
}

# ---------------------------------------------------------------- badproxy

start_badproxy() {
	local mode=$1 _ns _addr _port _rest dir pf i name
	shift
	_spt_px_common "$@"
	dir=$(spt_tmpdir)
	name=badproxy-$(spt_uniq)
	pf=$dir/$name.port
	BADPROXY_LOG=$dir/$name.events
	_spt_px_run "$name" python3 "$SPT_BADPROXY" --mode "$mode" --listen "$_addr" \
		--port "${_port:-0}" --port-file "$pf" --log "$BADPROXY_LOG" "${_rest[@]}"
	BADPROXY_PID=$SPT_PID
	for (( i = 0; i < 100; i++ )); do
		[[ -s $pf ]] && break
		spt_alive "$BADPROXY_PID" || break
		sleep 0.02
	done
	if [[ ! -s $pf ]]; then
		echo "--- $name log:" >&2
		cat "$dir/$name.log" >&2
		spt_stop_pid "$BADPROXY_PID"
		return 1
	fi
	BADPROXY_PORT=$(<"$pf")
	PROXY_PORT=$BADPROXY_PORT PROXY_PID=$BADPROXY_PID
	case $mode in
	socks4*) PROXY_URL=socks4a://$(_spt_px_hostport "$_addr" "$BADPROXY_PORT") ;;
	http*) PROXY_URL=http://$(_spt_px_hostport "$_addr" "$BADPROXY_PORT") ;;
	*) PROXY_URL=socks5h://$(_spt_px_hostport "$_addr" "$BADPROXY_PORT") ;;
	esac
}

# badproxy_hex LABEL [CONN]: hex of the first "recv LABEL" message.
badproxy_hex() {
	local label=$1 conn=${2:-} log=${BADPROXY_LOG:?}
	awk -v l="$label" -v c="$conn" \
		'$2 == "recv" && $3 == l && (c == "" || $1 == c) { print $4; exit }' "$log"
}

badproxy_wait_log() {
	local re=$1 secs=${2:-3} i
	for (( i = 0; i < secs * 20; i++ )); do
		grep -Eq -- "$re" "${BADPROXY_LOG:?}" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "badproxy log has no line matching /$re/ after ${secs}s:" >&2
	cat "$BADPROXY_LOG" >&2
	return 1
}

# Wait until N connections have ended (default 1).
badproxy_wait_end() {
	local n=${1:-1} secs=${2:-3} i
	for (( i = 0; i < secs * 20; i++ )); do
		(( $(grep -c '^[0-9]* end$' "${BADPROXY_LOG:?}" 2>/dev/null || true) >= n )) && return 0
		sleep 0.05
	done
	echo "badproxy: fewer than $n connections ended after ${secs}s" >&2
	cat "$BADPROXY_LOG" >&2
	return 1
}

# ---------------------------------------------------------------- DNS leaks
#
# With netns.bash: the namespace's resolv.conf points at 127.0.0.53, where
# spt_netns_dns runs dnsmasq with --log-queries.  A client run in that
# namespace that resolves anything locally shows up in that log.
#
#   spt_dns_watch "$NS"            # once (setup_file or the test)
#   spt_dns_mark                   # right before the client runs
#   ... ip netns exec "$NS" client ...
#   spt_assert_no_dns              # zero queries since the mark

spt_dns_watch() {
	local ns=$1
	shift
	if [[ -z ${SPT_DNS_LOG:-} ]] ||
	   [[ -z $(ip netns exec "$ns" ss -Hlun 'sport = :53') ]]; then
		spt_netns_dns "$ns" "$@" || return 1
	fi
	spt_dns_mark
}

spt_dns_mark() {
	SPT_DNS_MARK=$(wc -l <"${SPT_DNS_LOG:?no DNS log: spt_dns_watch first}")
}

spt_dns_since_mark() {
	tail -n "+$(( ${SPT_DNS_MARK:-0} + 1 ))" "${SPT_DNS_LOG:?}" | grep 'query\[' || true
}

# dnsmasq logs a moment after it answers: give it that moment, then check.
spt_assert_no_dns() {
	local q
	sleep 0.2
	q=$(spt_dns_since_mark)
	if [[ -n $q ]]; then
		echo "expected no DNS queries, dnsmasq logged:" >&2
		printf '%s\n' "$q" >&2
		return 1
	fi
}
