#!/usr/bin/env bats
#
# The installed layout: "make install DESTDIR=..." puts the programs,
# man pages, completions and contrib snippets where the Makefile's lists
# say (make print-install-paths), in the standard directories, and
# "make uninstall" takes them all away again.  Nothing else is installed
# (libsshproxy.a stays private).
#
# Environment (set by "make check"): top_builddir, SPT_MAKE (make).
# SPT_INSTALL_ARGS: more make arguments for install, uninstall and
# print-install-paths alike, e.g. "prefix=/usr" for a distribution's
# layout (.ci/run does that).

load lib/common

setup_file()
{
	: "${top_builddir:=$BATS_TEST_DIRNAME/..}"
	export SPT_ROOT=$BATS_FILE_TMPDIR/root
	# A make of our own: not the jobserver of the "make check" above us.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${SPT_MAKE:-make}" -s \
	    -C "$top_builddir" install DESTDIR="$SPT_ROOT" ${SPT_INSTALL_ARGS:-} \
	    >"$BATS_FILE_TMPDIR/install.log" 2>&1 ||
	    { cat "$BATS_FILE_TMPDIR/install.log" >&2; return 1; }
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${SPT_MAKE:-make}" -s \
	    -C "$top_builddir" print-install-paths ${SPT_INSTALL_ARGS:-} \
	    >"$BATS_FILE_TMPDIR/paths"
}

# The expected paths as "KIND PATH" lines.
paths()
{
	cat "$BATS_FILE_TMPDIR/paths"
}

@test "install: every program, man page, completion and snippet is in place" {
	local kind path n=0 bad=0
	while read -r kind path; do
		n=$((n + 1))
		if [[ ! -f $SPT_ROOT$path ]]; then
			echo "missing: $path"
			bad=$((bad + 1))
		elif [[ $kind == x && ! -x $SPT_ROOT$path ]]; then
			echo "not executable: $path"
			bad=$((bad + 1))
		fi
	done < <(paths)
	echo "$n paths checked"
	((n >= 4 + 4 + 4 + 1 + 4))
	((bad == 0))
}

@test "install: nothing is installed that the lists do not name" {
	local f extra=0
	while IFS= read -r f; do
		f=${f#"$SPT_ROOT"}
		if ! paths | grep -qxF -- "x $f" && ! paths | grep -qxF -- "f $f"
		then
			echo "unexpected: $f"
			extra=$((extra + 1))
		fi
	done < <(find "$SPT_ROOT" -type f)
	((extra == 0))
}

@test "install: the standard directories (bin, man1, completions, doc)" {
	local p
	for p in sshproxy-nc sshproxy-socks sshproxy-route sshproxy-chain; do
		paths | grep -qE "^x /.*/bin/$p\$"
		paths | grep -qE "^f /.*/man/man1/$p\\.1\$"
		paths | grep -qE "^f /.*/bash-completion/completions/$p\$"
		paths | grep -qE "^f /.*/fish/vendor_completions\\.d/$p\\.fish\$"
	done
	paths | grep -qE '^f /.*/zsh/vendor-completions/_sshproxy$'
	paths | grep -qE '^f /.*/doc/sshproxy/ssh_config\.example$'
	# Each man page in the directory of its section (sshproxy.conf.5
	# in man5).
	local kind path dir
	while read -r kind path; do
		[[ $path == */man/man* ]] || continue
		dir=${path%/*}
		[[ ${dir##*/man} == "${path##*.}" ]] ||
		    { echo "wrong section: $path"; return 1; }
	done < <(paths)
}

@test "install: the installed programs run, and bash loads their completions" {
	local kind path
	while read -r kind path; do
		[[ $kind == x ]] || continue
		spt_run "$SPT_ROOT$path" --version
		spt_assert_status 0
		[[ $output == "${path##*/} "* ]]
	done < <(paths)
	# bash-completion loads completions/PROG on demand; source them
	# directly and check that each registers a completion for PROG.
	while read -r kind path; do
		[[ $path == */bash-completion/completions/* ]] || continue
		bash -c '. "$1" && complete -p "$2"' _ "$SPT_ROOT$path" \
		    "${path##*/}"
	done < <(paths)
}

@test "install: the installed man pages are clean under mandoc -Tlint" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local kind path out
	while read -r kind path; do
		[[ $path == */man/man*/* ]] || continue
		out=$(mandoc -Tlint -Wwarning "$SPT_ROOT$path" 2>&1 |
		    grep -v 'mandoc\.db' || true)
		[[ -z $out ]] || { echo "$out"; return 1; }
	done < <(paths)
}

@test "uninstall: removes every file it installed" {
	local left
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${SPT_MAKE:-make}" -s \
	    -C "$top_builddir" uninstall DESTDIR="$SPT_ROOT" ${SPT_INSTALL_ARGS:-}
	left=$(find "$SPT_ROOT" -type f)
	[[ -z $left ]] || { echo "left behind: $left"; return 1; }
}
