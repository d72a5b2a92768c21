#!/usr/bin/env bats
# sshproxy-chain end to end: three throwaway sshd on 127.0.0.1 (and ::1),
# each with its own host key, and a client ssh_config that sends every
# host name with a delimiter in it through sshproxy-chain:
#
#   Host *+* */*
#       ProxyCommand $SSHPROXY_CHAIN -F <this file> %h %p
#   Host a | b | c      HostName 127.0.0.1, Port PA | PB | PC
#
# The destination is always written as an address (127.0.0.1:PC, [::1]:PC):
# sshproxy-chain hands it to "ssh -W" as typed, and the last hop's sshd looks
# it up itself, without the client's ssh_config, so a made-up alias such as
# "c" would reach this machine's resolver.  Hops may be aliases (a, b): each
# hop is looked up in the ssh_config by the ssh that connects to it.
#
# known_hosts holds each sshd's key under "[127.0.0.1]:P" and "[::1]:P",
# which is how the ssh for each hop names it, and the destination's key
# once more under "c".  The outer ssh checks the destination's key under the
# host name as typed, the whole chain, so the config maps chains that end
# at c's address to that entry with HostKeyAlias c.
#
# No root needed.  Everything is on loopback, every run under timeout.

load lib/common
load lib/sshd
load lib/netns
load lib/proxies

: "${SSHPROXY_CHAIN:=$top_builddir/cmd/sshproxy-chain}"
export SSHPROXY_CHAIN

setup_file() {
	spt_setup_file
	# The tests count logins on shared sshd: one at a time.
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
	# bats 1.8 cannot skip from setup_file: leave the reason for setup().
	export CHAIN_SKIP=
	local t
	for t in ssh ssh-keygen; do
		if ! command -v "$t" >/dev/null; then
			CHAIN_SKIP="$t not installed"
			return 0
		fi
	done
	if ! spt_sshd_bin >/dev/null; then
		CHAIN_SKIP="sshd not installed"
		return 0
	fi
	[[ -x $SSHPROXY_CHAIN ]] || return 0	# setup() says so

	export HAVE_V6=
	if ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/'; then
		HAVE_V6=1
	fi

	local d=$BATS_FILE_TMPDIR n port key
	export CH_DIR=$d ME
	ME=$(id -un)
	: >"$d/known_hosts"
	for n in a b c; do
		spt_sshd_start "$d/$n" $HAVE_V6
		port=$SSHD_PORT
		key=$(cut -d' ' -f1,2 "$d/$n/host_ed25519.pub")
		printf '[127.0.0.1]:%s,[::1]:%s %s\n' "$port" "$port" "$key" \
			>>"$d/known_hosts"
		printf -v "P${n^^}" '%s' "$port"
		printf -v "KEY_${n^^}" '%s' "$key"
		printf -v "LOG_${n^^}" '%s' "$SSHD_LOG"
	done
	export PA PB PC KEY_A KEY_B KEY_C LOG_A LOG_B LOG_C
	printf 'c %s\n' "$KEY_C" >>"$d/known_hosts"
	# One client key for all three: a's.
	cat "$d/a/id_ed25519.pub" >>"$d/b/authorized_keys"
	cat "$d/a/id_ed25519.pub" >>"$d/c/authorized_keys"

	# The config the tests use, one without the HostKeyAlias block, and one
	# whose ProxyCommand is a wrapper that counts its runs.
	cat >"$d/chain-wrap" <<-EOF
	#!/bin/sh
	printf '%s\n' "\$*" >>"$d/chain-runs"
	exec $(printf %q "$SSHPROXY_CHAIN") "\$@"
	EOF
	chmod +x "$d/chain-wrap"
	write_config "$d/ssh_config" "$SSHPROXY_CHAIN" alias
	write_config "$d/ssh_config.noalias" "$SSHPROXY_CHAIN"
	write_config "$d/ssh_config.wrap" "$d/chain-wrap" alias
	export CFG=$d/ssh_config
	export DEST=127.0.0.1:$PC
}

# write_config FILE CHAIN_PROGRAM [alias]
write_config() {
	local f=$1 prog=$2 alias=${3:-}
	{
		cat <<-EOF
		# client config for chain.bats; use with ssh -F
		Host *+* */*
		    ProxyCommand $(printf %q "$prog") -F $(printf %q "$f") %h %p
		EOF
		if [[ -n $alias ]]; then
			cat <<-EOF
			# Chains that end at c: check c's key under "c".
			Host *+127.0.0.1:$PC */127.0.0.1:$PC *+[::1]:$PC *+127.0.0.1
			    HostKeyAlias c
			# A chain hidden behind an alias: %% is how ssh_config
			# writes a literal %.
			Host via-ab
			    HostName $ME%%a+b+127.0.0.1:$PC
			    ProxyCommand $(printf %q "$prog") -F $(printf %q "$f") %h %p
			    HostKeyAlias c
			EOF
		fi
		cat <<-EOF
		Host a
		    HostName 127.0.0.1
		    Port $PA
		Host b
		    HostName 127.0.0.1
		    Port $PB
		Host c
		    HostName 127.0.0.1
		    Port $PC
		Host *
		    User $ME
		    UserKnownHostsFile $CH_DIR/known_hosts
		    GlobalKnownHostsFile /dev/null
		    StrictHostKeyChecking yes
		    CheckHostIP no
		    UpdateHostKeys no
		    VerifyHostKeyDNS no
		    BatchMode yes
		    IdentityFile $CH_DIR/a/id_ed25519
		    IdentitiesOnly yes
		    IdentityAgent none
		    PasswordAuthentication no
		    KbdInteractiveAuthentication no
		    ControlMaster no
		    ControlPath none
		    ConnectTimeout 10
		    LogLevel ERROR
		EOF
	} >"$f"
}

teardown_file() {
	spt_teardown_file
}

setup() {
	[[ -z ${CHAIN_SKIP:-} ]] || skip "$CHAIN_SKIP"
	[[ -x $SSHPROXY_CHAIN ]] || skip "sshproxy-chain not built: $SSHPROXY_CHAIN"
	spt_setup
	CHAIN=$SSHPROXY_CHAIN
	T=$BATS_TEST_TMPDIR
}

teardown() {
	spt_proxies_teardown
	spt_teardown
}

# ---------------------------------------------------------------- helpers

# How many logins sshd LOG has accepted so far.
accepted() {
	grep -c 'Accepted publickey' "$1" || true
}

# Remember the login counts of the three sshd.
count_logins() {
	N_A=$(accepted "$LOG_A")
	N_B=$(accepted "$LOG_B")
	N_C=$(accepted "$LOG_C")
}

# Each sshd named in $1 ("abc", "ac", ...) accepted exactly one more login
# since count_logins, and the others none.
assert_logins() {
	local n want now before
	for n in a b c; do
		want=0
		[[ $1 == *$n* ]] && want=1
		case $n in
		a) now=$(accepted "$LOG_A") before=$N_A ;;
		b) now=$(accepted "$LOG_B") before=$N_B ;;
		c) now=$(accepted "$LOG_C") before=$N_C ;;
		esac
		if (( now - before != want )); then
			echo "sshd $n accepted $((now - before)) logins, expected $want" >&2
			return 1
		fi
	done
}

# ssh -F $CFG ... 'echo $SSH_CONNECTION' and check that the session runs on
# the sshd listening on port $1 (the 4th field: the server's port).
ssh_lands_on() {
	local port=$1
	shift
	spt_run -t 30 ssh -F "$CFG" "$@" 'echo $SSH_CONNECTION'
	spt_assert_status 0
	local -a f
	read -ra f <<<"$output"
	if [[ ${f[3]:-} != "$port" ]]; then
		echo "SSH_CONNECTION is '$output', expected server port $port" >&2
		return 1
	fi
	SERVER_ADDR=${f[2]}
}

# ---------------------------------------------------------------- real chains

@test "a SOCKS5 proxy before the ssh hops: socks5h=127.0.0.1:P+a+DEST" {
	start_microsocks
	count_logins
	ssh_lands_on "$PC" "socks5h=127.0.0.1:$MICROSOCKS_PORT+a+$DEST"
	spt_assert_no_stderr
	assert_logins ac
	# A proxy straight before the destination needs no ssh hop at all.
	count_logins
	ssh_lands_on "$PC" "socks5h=127.0.0.1:$MICROSOCKS_PORT+$DEST"
	assert_logins c
	# It really is the proxy's way: without it listening, no way in.
	kill "$MICROSOCKS_PID"
	wait "$MICROSOCKS_PID" 2>/dev/null || true
	spt_run -t 30 ssh -F "$CFG" "socks5h=127.0.0.1:$MICROSOCKS_PORT+a+$DEST" true
	spt_assert_status 255
}

@test "--dry-run with a proxy: ourselves as ProxyCommand for the rest" {
	local -a L
	spt_run "$CHAIN" --dry-run 'socks5h=127.0.0.1:1080+alice%a+b:2222+t' 22
	spt_assert_status 0
	mapfile -t L <<<"$output"
	[ "${L[0]}" = ssh ]
	[ "${L[1]}" = -o ]
	[[ ${L[2]} == "'ProxyCommand="* ]]
	[[ ${L[2]} == *"socks5h=127.0.0.1:1080+alice%%a+%h"*" %p'" ]]
	[ "${L[3]}" = -W ]
	[ "${L[4]}" = t:22 ]
	[ "${L[5]}" = -p ]
	[ "${L[6]}" = 2222 ]
	[ "${L[7]}" = b ]
	spt_run "$CHAIN" --dry-run 'a+socks5h=127.0.0.1:1080+b' 22
	spt_assert_status 65
	[[ $stderr == *"hop 2"*"before the ssh hops"* ]]
}

@test "ssh a+b+DEST: the session runs on the third sshd, through a and b" {
	count_logins
	ssh_lands_on "$PC" "a+b+$DEST"
	[ "$SERVER_ADDR" = 127.0.0.1 ]
	spt_assert_no_stderr
	assert_logins abc
}

@test "ssh a/b/DEST: '/' separates hops as well" {
	count_logins
	ssh_lands_on "$PC" "a/b/$DEST"
	assert_logins abc
}

@test "ssh a+DEST: one hop, no -J" {
	count_logins
	ssh_lands_on "$PC" "a+$DEST"
	assert_logins ac
}

@test "running sshproxy-chain by hand relays the destination's SSH banner" {
	count_logins
	spt_run -t 20 "$CHAIN" -F "$CFG" "a+b+$DEST"
	spt_assert_status 0
	[[ $output == SSH-2.0-OpenSSH* ]]
	assert_logins ab
}

@test "hop users: user%host, for a -J hop and for the last hop" {
	count_logins
	ssh_lands_on "$PC" "$ME%a+$ME%b+$DEST"
	assert_logins abc

	# user@ before the chain is the outer ssh's: the user on the destination.
	count_logins
	ssh_lands_on "$PC" "$ME@$ME%a+b+$DEST"
	assert_logins abc

	# A user sshd refuses shows up in the log of that hop, and only there.
	local nouser=sptnouser$RANDOM
	spt_run -t 30 ssh -F "$CFG" "$nouser%a+b+$DEST" true
	spt_assert_status 255
	grep -q "$nouser" "$LOG_A"
	! grep -q "$nouser" "$LOG_B"

	spt_run -t 30 ssh -F "$CFG" "a+$nouser%b+$DEST" true
	spt_assert_status 255
	grep -q "$nouser" "$LOG_B"
	! grep -q "$nouser" "$LOG_C"
}

@test "a single % typed on the command line is what reaches %h; %% is not undone" {
	# ssh hands the host name from the command line to %h untouched.
	ssh_lands_on "$PC" "$ME%a+b+$DEST"

	spt_run -t 30 ssh -F "$CFG" "$ME%%a+b+$DEST" true
	spt_assert_status 255
	[[ $stderr == *"sshproxy-chain: '$ME%%a+b+$DEST': hop 1: "* ]]
}

@test "%% in an ssh_config HostName is a literal %: a chain behind an alias" {
	count_logins
	ssh_lands_on "$PC" via-ab
	assert_logins abc
}

@test "ports: hops written as 127.0.0.1:PORT, first and last" {
	count_logins
	ssh_lands_on "$PC" "127.0.0.1:$PA+b+$DEST"
	assert_logins abc

	count_logins
	ssh_lands_on "$PC" "a+127.0.0.1:$PB+$DEST"
	assert_logins abc

	count_logins
	ssh_lands_on "$PC" "$ME%127.0.0.1:$PA+$ME%127.0.0.1:$PB+$DEST"
	assert_logins abc
}

@test "scp and sftp: a chain with '+', no ':', the destination's port from -P" {
	command -v scp >/dev/null && command -v sftp >/dev/null ||
		skip "scp or sftp not installed"
	printf 'chain %s\n' "$RANDOM" >"$T/src.txt"
	spt_run -t 30 scp -F "$CFG" -P "$PC" "$ME%a+b+127.0.0.1:$T/src.txt" "$T/scp.txt"
	spt_assert_status 0
	cmp "$T/src.txt" "$T/scp.txt"

	count_logins
	spt_run -i -t 30 sftp -b - -F "$CFG" -P "$PC" "a+b+127.0.0.1" \
		<<<"get $T/src.txt $T/sftp.txt"
	spt_assert_status 0
	cmp "$T/src.txt" "$T/sftp.txt"
	assert_logins abc
}

@test "a hop's key is checked under its own name: b's port with a's key fails" {
	# Swap a's and b's keys in a copy of known_hosts.
	sed -e "s|^\(\[127.0.0.1\]:$PB,\[::1\]:$PB\) .*|\1 $KEY_A|" \
		"$CH_DIR/known_hosts" >"$T/known_hosts"
	grep -q "^\[127.0.0.1\]:$PB,.* $KEY_A\$" "$T/known_hosts"
	sed "s|$CH_DIR/known_hosts|$T/known_hosts|" "$CFG" >"$T/ssh_config"
	sed -i "s|-F $CFG|-F $T/ssh_config|" "$T/ssh_config"
	spt_run -t 30 ssh -F "$T/ssh_config" "a+b+$DEST" true
	spt_assert_status 255
	[[ $stderr == *"Host key for [127.0.0.1]:$PB has changed"* ]]
}

@test "IPv6 hops: [::1]:PORT first, last, and as the destination" {
	[ -n "$HAVE_V6" ] || skip "no ::1 on lo"
	count_logins
	ssh_lands_on "$PC" "[::1]:$PA+b+[::1]:$PC"
	[ "$SERVER_ADDR" = ::1 ]
	assert_logins abc

	count_logins
	ssh_lands_on "$PC" "a+$ME%[::1]:$PB+$DEST"
	[ "$SERVER_ADDR" = 127.0.0.1 ]
	assert_logins abc
}

@test "the destination's :port wins over %p; without one, %p is used" {
	# ssh -p 1: %p is 1, ignored because the destination has a port.
	ssh_lands_on "$PC" -p 1 "a+b+$DEST"
	# No port in the chain: ssh -p gives %p.
	ssh_lands_on "$PC" -p "$PC" "a+b+127.0.0.1"
}

@test "the outer ssh checks the destination's key under the whole chain name" {
	# Without HostKeyAlias nothing in known_hosts matches "a+b+DEST".
	spt_run -t 30 ssh -F "$CH_DIR/ssh_config.noalias" "a+b+$DEST" true
	spt_assert_status 255
	[[ $stderr == *"No ED25519 host key is known for a+b+$DEST"* ]]

	# An entry under that very name is accepted...
	cp "$CH_DIR/known_hosts" "$T/known_hosts"
	printf '%s %s\n' "a+b+$DEST" "$KEY_C" >>"$T/known_hosts"
	spt_run -t 30 ssh -F "$CH_DIR/ssh_config.noalias" \
		-o UserKnownHostsFile="$T/known_hosts" "a+b+$DEST" true
	spt_assert_status 0

	# ...but only for that spelling of the chain.
	spt_run -t 30 ssh -F "$CH_DIR/ssh_config.noalias" \
		-o UserKnownHostsFile="$T/known_hosts" "a/b/$DEST" true
	spt_assert_status 255
	[[ $stderr == *"No ED25519 host key is known for a/b/$DEST"* ]]
}

@test "HostKeyAlias: the destination's key is checked end to end under its alias" {
	# The config says HostKeyAlias c: any spelling of the chain works.
	spt_run -t 30 ssh -F "$CFG" "a+b+$DEST" true
	spt_assert_status 0
	spt_run -t 30 ssh -F "$CFG" "a/b/$DEST" true
	spt_assert_status 0

	# "c" with a hop's key: the key c's sshd shows through the chain is
	# its own, so this must fail.
	grep -v '^c ' "$CH_DIR/known_hosts" >"$T/known_hosts"
	printf 'c %s\n' "$KEY_B" >>"$T/known_hosts"
	spt_run -t 30 ssh -F "$CFG" -o UserKnownHostsFile="$T/known_hosts" \
		"a+b+$DEST" true
	spt_assert_status 255
	[[ $stderr == *"Host key for c has changed"* ]]
}

@test "no recursion: sshproxy-chain runs once for a+b+DEST" {
	rm -f "$CH_DIR/chain-runs"
	spt_run -t 30 ssh -F "$CH_DIR/ssh_config.wrap" "a+b+$DEST" 'echo ok'
	spt_assert_status 0
	[ "$output" = ok ]
	# The hops a and b are looked up by ssh processes that read the same
	# config; neither name has a delimiter, so "Host *+* */*" never matches.
	[ "$(wc -l <"$CH_DIR/chain-runs")" -eq 1 ]
	[ "$(cat "$CH_DIR/chain-runs")" = "-F $CH_DIR/ssh_config.wrap a+b+$DEST 22" ]
}

@test "ssh's exit status comes through: an unreachable hop gives 255" {
	local closed
	closed=$(spt_free_port)
	spt_run -t 20 "$CHAIN" -F "$CFG" "127.0.0.1:$closed+b+$DEST"
	spt_assert_status 255
	spt_assert_no_stdout
}

# ---------------------------------------------------------------- --dry-run

@test "--dry-run: the exact argv, one word per line" {
	local got want

	spt_run "$CHAIN" --dry-run a+b+c 22
	spt_assert_status 0
	spt_assert_no_stderr
	want=$(cat <<-'EOF'
	ssh
	-W
	c:22
	-J
	a
	b
	EOF
	)
	[ "$output" = "$want" ]

	spt_run "$CHAIN" --dry-run 'alice%bastion+db:2222+target' 2200
	want=$(cat <<-'EOF'
	ssh
	-W
	target:2200
	-J
	alice@bastion
	-p
	2222
	db
	EOF
	)
	[ "$output" = "$want" ]

	# The destination's :port wins over the port operand; '/' separates.
	spt_run "$CHAIN" --dry-run 'jump/bob%gw:2022/target:8022' 22
	want=$(cat <<-'EOF'
	ssh
	-W
	target:8022
	-J
	jump
	-l
	bob
	-p
	2022
	gw
	EOF
	)
	[ "$output" = "$want" ]

	# -F, -v (repeated), -o in order; words that need it are quoted.
	spt_run "$CHAIN" --dry-run -F /etc/spt/ssh_config -vv \
		-o ConnectTimeout=5 -o "SetEnv GREETING='hi there'" \
		'u%[2001:db8::1]:2022+v%h2:24+w%[2001:db8::2]:25+[2001:db8::3]' 2222
	want=$(cat <<-'EOF'
	ssh
	-F
	/etc/spt/ssh_config
	-vv
	-o
	ConnectTimeout=5
	-o
	'SetEnv GREETING='\''hi there'\'''
	-W
	'[2001:db8::3]:2222'
	-J
	'u@[2001:db8::1]:2022,v@h2:24'
	-l
	w
	-p
	25
	2001:db8::2
	EOF
	)
	[ "$output" = "$want" ]

	# A delimiter of one's own; --ssh names the program; -v at most thrice.
	spt_run "$CHAIN" --dry-run -d '~' --ssh /opt/ssh/bin/ssh -vvvv 'a~b:33~c' 44
	want=$(cat <<-'EOF'
	/opt/ssh/bin/ssh
	-vvv
	-W
	c:44
	-J
	a
	-p
	33
	b
	EOF
	)
	[ "$output" = "$want" ]

	# The default port is 22.
	spt_run "$CHAIN" --dry-run 'a+[::1]'
	want=$(printf '%s\n' ssh -W "'[::1]:22'" a)
	[ "$output" = "$want" ]
}

@test "--dry-run prints exactly the argv that is executed" {
	# A stand-in for ssh that prints its arguments, one per line.
	cat >"$T/fake-ssh" <<-'EOF'
	#!/bin/sh
	for a in "$0" "$@"; do printf '%s\n' "$a"; done
	EOF
	chmod +x "$T/fake-ssh"
	local spec=root%a+b:2222+[::1]:99 dry ran
	local -a opts=(--ssh "$T/fake-ssh" -F "$T/my config" -v
		-o "SetEnv X='a b'" -o 'User=me')

	spt_run "$CHAIN" "${opts[@]}" "$spec" 22
	spt_assert_status 0
	ran=$output

	spt_run "$CHAIN" --dry-run "${opts[@]}" "$spec" 22
	spt_assert_status 0
	# Read the words back as a POSIX shell would (no globbing of [::1]).
	dry=$(set -f; eval "set -- $(tr '\n' ' ' <"$out_file")"; printf '%s\n' "$@")
	[ "$dry" = "$ran" ]
}

# ---------------------------------------------------------------- errors

# run_bad SPEC WANT: exit 65, nothing on stdout, one line naming WANT.
run_bad() {
	spt_run "$CHAIN" --dry-run "$1" 22
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_diag sshproxy-chain
	[ "$(wc -l <"$err_file")" -eq 1 ]
	if [[ $stderr != *"$2"* ]]; then
		echo "expected the message to name '$2': $stderr" >&2
		return 1
	fi
	# A long chain is not echoed in full.
	(( err_bytes < 300 ))
}

@test "malformed chains exit 65 with a message naming the hop" {
	spt_skip_under_valgrind "dozens of runs of the option parser: half a" \
	    "minute under valgrind; make check-asan runs it, leaks included"
	local long
	long=$(printf 'x%.0s' {1..1000})
	run_bad '+' 'hop 1'
	run_bad 'a++b' 'hop 2'
	run_bad 'a+b+' 'hop 3'
	run_bad 'a+host:0' 'hop 2'
	run_bad 'a+host:65536+c' 'hop 2'
	run_bad 'a+host:+c' 'hop 2'
	run_bad 'a+host:22x+c' 'hop 2'
	run_bad '%host+b' 'hop 1'
	run_bad 'a+%host' 'hop 2'
	run_bad '[::1+b' 'hop 1'
	run_bad 'a+[::1' 'hop 2'
	run_bad 'a+b]+c' 'hop 2'
	run_bad "$long+b" 'hop 1'
	run_bad "a+$long+c" 'hop 2'
	run_bad "a+$(printf 'u%.0s' {1..300})%b+c" 'hop 2'
	run_bad 'a+-oProxyCommand=x+c' 'hop 2'
	run_bad 'a+b c+d' 'hop 2'
	run_bad 'a' 'not a chain'
	run_bad 'bastion' 'not a chain'
	run_bad "$(printf 'h+%.0s' {1..16})z" 'hops'
}

@test "a bad port operand exits 65" {
	spt_run "$CHAIN" --dry-run a+b 0
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_diag sshproxy-chain
	spt_run "$CHAIN" --dry-run a+b 65536
	spt_assert_status 65
	spt_run "$CHAIN" --dry-run a+b nosuchservice
	spt_assert_status 65
}

@test "-q: a malformed chain still exits 65, silently" {
	spt_run "$CHAIN" -q --dry-run 'a++b' 22
	spt_assert_status 65
	spt_assert_no_stdout
	spt_assert_no_stderr
}

@test "usage errors exit 64, nothing on stdout" {
	spt_skip_under_valgrind "dozens of runs of the option parser: half a" \
	    "minute under valgrind; make check-asan runs it, leaks included"
	local -a o40=()
	local i
	for (( i = 0; i < 40; i++ )); do
		o40+=(-o "ConnectTimeout=$i")
	done
	local -a cases=(
		''
		'a+b 22 33'
		'--bogus a+b 22'
		'-x a+b 22'
		'-d'
		'--ssh'
	)
	local c
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		spt_run "$CHAIN" --dry-run $c
		spt_assert_status 64
		spt_assert_no_stdout
		spt_assert_stderr
	done
	for c in '' ':' '%' '[' ']' '@' ' '; do
		spt_run "$CHAIN" --dry-run -d "$c" a+b 22
		spt_assert_status 64
		spt_assert_no_stdout
		spt_assert_diag sshproxy-chain
	done
	spt_run "$CHAIN" --dry-run "${o40[@]}" a+b 22
	spt_assert_status 64
	spt_assert_no_stdout
}

@test "--ssh /nonexistent exits 71 and names it" {
	spt_run "$CHAIN" --ssh /nonexistent/ssh a+b 22
	spt_assert_status 71
	spt_assert_no_stdout
	spt_assert_diag sshproxy-chain
	[[ $stderr == *"/nonexistent/ssh"* ]]
}

@test "--help and --version go to stdout and exit 0" {
	spt_run "$CHAIN" --help
	spt_assert_status 0
	spt_assert_no_stderr
	[[ $output == usage:* ]]
	spt_run "$CHAIN" --version
	spt_assert_status 0
	[[ $output == sshproxy-chain* ]]
}

# ---------------------------------------------------------------- regressions

@test "a comma in a hop is refused, not split into two -J hops" {
	spt_run "$CHAIN" --dry-run 'a,b+c+d' 22
	spt_assert_status 65
	spt_assert_no_stdout
}
