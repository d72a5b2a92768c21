#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# tests/demo.sh — show sshproxy-nc carrying a real ssh session (`make demo`).
#
# Starts a throwaway sshd on 127.0.0.1 (fresh keys in a temp dir, only the
# current user may log in, with a fresh key), logs in through
#   ProxyCommand sshproxy-nc %h %p
# and again through
#   ProxyCommand sshproxy-nc -F %h %p  +  ProxyUseFdpass yes
# then stops sshd and removes the temp dir.  Works as root and as a normal
# user.  Nothing leaves the machine.
#
# Environment: SSHPROXY_NC (default ./cmd/sshproxy-nc).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
: "${SSHPROXY_NC:=./cmd/sshproxy-nc}"
if [[ ! -x $SSHPROXY_NC ]]; then
	echo "demo: $SSHPROXY_NC does not exist; build it first (make)" >&2
	exit 1
fi
SSHPROXY_NC=$(cd "$(dirname "$SSHPROXY_NC")" && pwd)/$(basename "$SSHPROXY_NC")
for t in ssh ssh-keygen ss setsid timeout; do
	command -v "$t" >/dev/null || { echo "demo: $t is not installed" >&2; exit 1; }
done

# shellcheck source=lib/common.bash
. "$here/lib/common.bash"
# shellcheck source=lib/sshd.bash
. "$here/lib/sshd.bash"
spt_sshd_bin >/dev/null || { echo "demo: sshd is not installed (openssh-server)" >&2; exit 1; }

SPT_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/sshproxy-demo.XXXXXX")
export SPT_TMPDIR

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	local rc=$?
	if [[ -n ${SSHD_PID:-} ]]; then
		echo
		echo "Stopping sshd (pid $SSHD_PID) and removing $SPT_TMPDIR."
	fi
	spt_reap
	rm -rf "$SPT_TMPDIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

indent() {
	sed "/./s/^/${1:-    }/"
}

echo "sshproxy-nc demo"
echo "================"
echo
echo "Program: $SSHPROXY_NC"
echo "Version: $(timeout 5 "$SSHPROXY_NC" --version 2>&1 || true)"
echo

spt_sshd_start "$SPT_TMPDIR/sshd"
echo "Started a throwaway sshd (pid $SSHD_PID) listening on 127.0.0.1 port $SSHD_PORT."
echo "Its host key and a user key for $(id -un) were just made with ssh-keygen in"
echo "$SPT_TMPDIR; it accepts only that key, and only for $(id -un)."
echo

qnc=$(printf %q "$SSHPROXY_NC")
cat >>"$SSH_CONFIG" <<EOF

Host demo-nc
    HostName 127.0.0.1
    ProxyCommand $qnc %h %p

Host demo-fdpass
    HostName 127.0.0.1
    ProxyCommand $qnc -F %h %p
    ProxyUseFdpass yes
EOF

echo "The ssh client reads only $SSH_CONFIG (ssh -F), nothing from ~/.ssh."
echo "Besides the port, user, key and known_hosts file, it has these two hosts:"
echo
sed -n '/^Host demo-nc/,$p' "$SSH_CONFIG" | indent
echo

remote='uname -a; echo hello from sshd'
rc=0

echo "1. ssh demo-nc '$remote'"
echo "   ssh starts sshproxy-nc, which connects to 127.0.0.1:$SSHD_PORT and relays"
echo "   the ssh stream between its stdin/stdout and the TCP connection."
echo "   Output:"
if out=$(timeout 30 ssh -F "$SSH_CONFIG" demo-nc "$remote" 2>&1); then
	printf '%s\n' "$out" | indent '      '
	echo "   ssh exited 0."
else
	rc=$?
	printf '%s\n' "$out" | indent '      '
	echo "   ssh FAILED with exit status $rc."
fi
echo

echo "2. ssh demo-fdpass '$remote'"
echo "   sshproxy-nc -F connects, hands the connected socket to ssh over its stdout"
echo "   (ProxyUseFdpass yes) and exits; ssh then talks to sshd directly."
echo "   Output:"
if out=$(timeout 30 ssh -F "$SSH_CONFIG" demo-fdpass "$remote" 2>&1); then
	printf '%s\n' "$out" | indent '      '
	echo "   ssh exited 0."
else
	r=$?
	rc=$r
	printf '%s\n' "$out" | indent '      '
	echo "   ssh FAILED with exit status $r."
fi

if (( rc != 0 )); then
	echo
	echo "sshd log:"
	indent <"$SSHD_LOG"
fi
exit "$rc"
