# tests/lib/sshd.bash — a throwaway sshd on loopback and an ssh client
# config that uses nothing from ~/.ssh or /etc/ssh.
#
# Needs tests/lib/common.bash loaded first.  Works as root and as a normal
# user (a non-root sshd can only log in its own user, which is what we do).
#
#   spt_sshd_start DIR [ipv6]
#       generates keys in DIR, writes DIR/sshd_config and DIR/ssh_config,
#       starts sshd (recorded for spt_reap) and waits until it accepts.
#       Sets SSHD_DIR SSHD_PORT SSHD_PID SSH_CONFIG SSHD_LOG.
#       SPT_SSHD_MAXSTARTUPS overrides MaxStartups (default 200:30:400),
#       SPT_SSHD_LOGINGRACE LoginGraceTime (default 30).
#   spt_ssh ARGS...         ssh -F $SSH_CONFIG ARGS...  (no timeout: wrap it)
#   spt_sshd_stop           stop it (spt_reap does this too)

spt_sshd_bin() {
	local s
	s=$(command -v sshd 2>/dev/null) || s=/usr/sbin/sshd
	[[ -x $s ]] || return 1
	# sshd re-execs itself and insists on an absolute path.
	[[ $s == /* ]] || s=$(cd "$(dirname "$s")" && pwd)/$(basename "$s")
	printf '%s\n' "$s"
}

spt_sshd_start() {
	local dir=$1 want6=${2:-} sshd user i
	sshd=$(spt_sshd_bin) || { echo "sshd not installed" >&2; return 1; }
	command -v ssh-keygen >/dev/null || { echo "ssh-keygen not installed" >&2; return 1; }
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	user=$(id -un)

	# Only root's sshd uses the privilege separation directory.
	if spt_is_root && [[ ! -d /run/sshd ]]; then
		mkdir -p /run/sshd
		chmod 755 /run/sshd
	fi

	rm -f "$dir"/host_ed25519 "$dir"/host_ed25519.pub "$dir"/id_ed25519 "$dir"/id_ed25519.pub
	( umask 077
	  ssh-keygen -q -t ed25519 -N '' -C spt-host -f "$dir/host_ed25519" &&
	  ssh-keygen -q -t ed25519 -N '' -C spt-user -f "$dir/id_ed25519" ) </dev/null >/dev/null ||
		{ echo "ssh-keygen failed" >&2; return 1; }
	cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
	chmod 600 "$dir/authorized_keys"

	for (( i = 0; i < 5; i++ )); do
		SSHD_PORT=$(spt_free_port) || return 1
		( umask 077
		  cat >"$dir/sshd_config" <<-EOF
		# throwaway sshd for sshproxy tests
		ListenAddress 127.0.0.1:$SSHD_PORT
		$( [[ -n $want6 ]] && echo "ListenAddress [::1]:$SSHD_PORT" )
		HostKey $dir/host_ed25519
		PidFile $dir/sshd.pid
		AuthorizedKeysFile $dir/authorized_keys
		AuthenticationMethods publickey
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PermitRootLogin prohibit-password
		AllowUsers $user
		UsePAM no
		StrictModes no
		UseDNS no
		PrintMotd no
		PrintLastLog no
		X11Forwarding no
		PermitUserEnvironment no
		MaxStartups ${SPT_SSHD_MAXSTARTUPS:-200:30:400}
		MaxSessions 50
		LoginGraceTime ${SPT_SSHD_LOGINGRACE:-30}
		LogLevel VERBOSE
		Subsystem sftp internal-sftp
		EOF
		)
		"$sshd" -t -f "$dir/sshd_config" ||
			{ echo "sshd -t rejected $dir/sshd_config" >&2; return 1; }
		SSHD_LOG=$(spt_tmpdir)/sshd-$SSHD_PORT.log
		spt_spawn "sshd-$SSHD_PORT" "$sshd" -D -e -f "$dir/sshd_config"
		SSHD_PID=$SPT_PID
		if spt_wait_listen 127.0.0.1 "$SSHD_PORT" 5 &&
		   { [[ -z $want6 ]] || spt_wait_listen ::1 "$SSHD_PORT" 5; }; then
			break
		fi
		# Lost a race for the port (or sshd failed): show why, try again.
		cat "$SSHD_LOG" >&2
		spt_stop_pid "$SSHD_PID"
		SSHD_PID=
	done
	[[ -n $SSHD_PID ]] || { echo "sshd did not start" >&2; return 1; }

	# The client side.  HostKeyAlias makes the known_hosts entry independent of
	# the host name and port the test dials (with or without ProxyCommand).
	printf 'spt-sshd %s\n' "$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" >"$dir/known_hosts"
	( umask 077
	  cat >"$dir/ssh_config" <<-EOF
	# client config for the throwaway sshd; use with ssh -F
	Host *
	    User $user
	    Port $SSHD_PORT
	    HostKeyAlias spt-sshd
	    UserKnownHostsFile $dir/known_hosts
	    GlobalKnownHostsFile /dev/null
	    StrictHostKeyChecking yes
	    CheckHostIP no
	    UpdateHostKeys no
	    VerifyHostKeyDNS no
	    BatchMode yes
	    IdentityFile $dir/id_ed25519
	    IdentitiesOnly yes
	    IdentityAgent none
	    PasswordAuthentication no
	    KbdInteractiveAuthentication no
	    ControlMaster no
	    ControlPath none
	    ConnectTimeout 10
	    ServerAliveInterval 0
	    LogLevel ERROR
	EOF
	)
	SSHD_DIR=$dir
	SSH_CONFIG=$dir/ssh_config
	export SSHD_DIR SSHD_PORT SSHD_PID SSH_CONFIG SSHD_LOG
}

spt_ssh() {
	ssh -F "$SSH_CONFIG" "$@"
}

spt_sshd_stop() {
	[[ -n ${SSHD_PID:-} ]] && spt_stop_pid "$SSHD_PID"
	SSHD_PID=
}
