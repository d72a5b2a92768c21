#!/usr/bin/env bats
#
# Documentation checks: the man pages are clean under mandoc's linter, and
# every option a program lists in its --help is described in its man page
# and offered by its bash, zsh and fish completions.
#
# Environment (set by "make check"; the defaults suit running
# "bats tests/docs.bats" from an in-tree build):
#   top_srcdir       absolute source directory      [$BATS_TEST_DIRNAME/..]
#   top_builddir     absolute build directory       [$BATS_TEST_DIRNAME/..]
#   SSHPROXY_NC      the built sshproxy-nc          [$top_builddir/cmd/sshproxy-nc]
#   SSHPROXY_SOCKS   the built sshproxy-socks       [$top_builddir/cmd/sshproxy-socks]
#   SSHPROXY_ROUTE, SSHPROXY_CHAIN                  likewise for the others
#
# To check the docs against binaries built elsewhere:
#   SSHPROXY_NC=/path/sshproxy-nc SSHPROXY_SOCKS=/path/sshproxy-socks \
#       bats tests/docs.bats
#
# A program whose binary does not exist is left out, so the checks grow as
# programs are added.  Where each program's documentation is expected:
#   man/PROG.1
#   completions/bash/PROG
#   completions/zsh/_sshproxy     in a function _PROG with "-" as "_",
#                                 ending at the first line that is "}"
#   completions/fish/PROG.fish    as "-l NAME" (fish's spelling of --NAME)

PROGRAMS="sshproxy-nc sshproxy-socks sshproxy-route sshproxy-chain"

setup()
{
	: "${top_srcdir:=$BATS_TEST_DIRNAME/..}"
	: "${top_builddir:=$BATS_TEST_DIRNAME/..}"
	: "${SSHPROXY_NC:=$top_builddir/cmd/sshproxy-nc}"
	: "${SSHPROXY_SOCKS:=$top_builddir/cmd/sshproxy-socks}"
	: "${SSHPROXY_ROUTE:=$top_builddir/cmd/sshproxy-route}"
	: "${SSHPROXY_CHAIN:=$top_builddir/cmd/sshproxy-chain}"
}

# The path of the binary for program $1: $SSHPROXY_NC for sshproxy-nc, etc.
binary()
{
	local var=${1^^}
	var=${var//-/_}
	printf '%s\n' "${!var:-$top_builddir/cmd/$1}"
}

# The programs that have been built.
built_programs()
{
	local p
	for p in $PROGRAMS; do
		[[ -x $(binary "$p") ]] && printf '%s\n' "$p"
	done
	return 0
}

# --help of program $1 on stdout; fails if the program does not exit 0.
help_text()
{
	local out
	if ! out=$(timeout 10 "$(binary "$1")" --help </dev/null 2>/dev/null); then
		echo "$1 --help did not exit with status 0" >&2
		return 1
	fi
	if [[ -z $out ]]; then
		echo "$1 --help printed nothing on stdout" >&2
		return 1
	fi
	printf '%s\n' "$out"
}

# The long options (--name) in --help text on stdin, one per line.
long_options()
{
	grep -oE -- '--[a-z0-9][a-z0-9-]*' | sed 's/-*$//' | sort -u
}

# The short options in --help text on stdin, as single characters: each
# "-x" standing alone ("-x, --long", "[-x value]") and each letter of a
# usage cluster such as "[-46Fz]".
short_options()
{
	local text
	text=$(cat)
	{
		printf '%s\n' "$text" |
		    grep -oE -- '(^|[][ ,(|])-[A-Za-z0-9]([] ,)|=]|$)' |
		    sed -E 's/^[][ ,(|]?-(.).*/\1/'
		printf '%s\n' "$text" |
		    grep -oE -- '\[-[A-Za-z0-9]{2,}\]' |
		    sed -E 's/^\[-//; s/\]$//' | fold -w1
	} | sort -u
}

# Man page $1 as plain text, each paragraph on one line so that nothing is
# split by line breaks.  Without mandoc, an approximation from the source.
man_text()
{
	if command -v mandoc >/dev/null; then
		mandoc -Tascii -Owidth=1000 "$1" | sed $'s/.\b//g'
	else
		sed -E 's/\\-/-/g; s/(^\.|[[:space:]])Fl[[:space:]]+/\1-/g' "$1"
	fi
}

# Whether the text on stdin contains the word $1 (an option such as "-z"
# or "--probe"), not as part of a longer option.
has_word()
{
	grep -qE -- "(^|[^A-Za-z0-9-])$1([^A-Za-z0-9-]|\$)"
}

# The exit statuses listed in the "Exit status:" paragraph of --help text
# on stdin, one per line.
help_exit_statuses()
{
	sed -n '/^Exit status:/,/^$/p' | grep -oE '(^|[ ,:])[0-9]{1,3}( |,|$)' |
	    tr -dc '0-9\n' | sort -un
}

# The statuses that start a tag in the EXIT STATUS section of man page $1.
man_exit_statuses()
{
	man_text "$1" | sed -n '/^EXIT STATUS/,/^[A-Z][A-Z ]*$/p' |
	    grep -oE '^ +[0-9]{1,3}( |$)' | tr -dc '0-9\n' | sort -un
}

# The values an option takes, for the options whose values the completions
# offer: "program option value...".  Each value must appear in the
# program's --help and in all of its completions.
OPTION_VALUES="
sshproxy-nc --proxy-type 4 4a 5 connect
sshproxy-nc --proxy-auth basic digest ntlm negotiate any
sshproxy-socks --isolate destination connection none
"

# The zsh completion function for program $1.
zsh_function()
{
	local fn=_${1//-/_}
	awk -v fn="$fn" '
	    index($0, fn "()") == 1 { p = 1 }
	    p { print }
	    p && /^}[[:space:]]*$/ { exit }
	' "$top_srcdir/completions/zsh/_sshproxy"
}

@test "man pages are clean under mandoc -Tlint -Wwarning" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local f out pages=0 bad=0
	for f in "$top_srcdir"/man/*.[1-8]; do
		[[ -e $f ]] || continue
		pages=$((pages + 1))
		# Messages about the system's mandoc.db are not about our pages.
		out=$(mandoc -Tlint -Wwarning "$f" 2>&1 | grep -v 'mandoc\.db' ||
		    true)
		if [[ -n $out ]]; then
			printf '%s\n' "$out"
			bad=$((bad + 1))
		fi
	done
	echo "$pages man pages checked, $bad with messages"
	((pages > 0))
	((bad == 0))
}

@test "every long option in --help is in the man page and all completions" {
	local progs p help opt man missing=0
	progs=$(built_programs)
	[[ -n $progs ]] || skip "no program has been built yet"
	for p in $progs; do
		help=$(help_text "$p")
		if [[ -z $(long_options <<<"$help") ]]; then
			echo "$p: no long options found in --help"
			missing=$((missing + 1))
			continue
		fi
		local page=$top_srcdir/man/$p.1
		local bash=$top_srcdir/completions/bash/$p
		local fish=$top_srcdir/completions/fish/$p.fish
		local zsh
		zsh=$(zsh_function "$p")
		[[ -f $page ]] || { echo "$p: $page is missing"; missing=$((missing + 1)); }
		[[ -f $bash ]] || { echo "$p: $bash is missing"; missing=$((missing + 1)); }
		[[ -f $fish ]] || { echo "$p: $fish is missing"; missing=$((missing + 1)); }
		[[ -n $zsh ]] || { echo "$p: no function _${p//-/_} in completions/zsh/_sshproxy"; missing=$((missing + 1)); }
		man=
		[[ -f $page ]] && man=$(man_text "$page")
		for opt in $(long_options <<<"$help"); do
			local where=
			[[ -f $page ]] && ! has_word "$opt" <<<"$man" &&
			    where+=" man/$p.1"
			[[ -f $bash ]] && ! has_word "$opt" <"$bash" &&
			    where+=" completions/bash/$p"
			[[ -n $zsh ]] && ! has_word "$opt" <<<"$zsh" &&
			    where+=" completions/zsh/_sshproxy(_${p//-/_})"
			[[ -f $fish ]] && ! grep -qE -- \
			    "(^|[[:space:]])(-l|--long-option)[[:space:]=]+['\"]?${opt#--}(['\"[:space:]]|\$)" \
			    "$fish" && where+=" completions/fish/$p.fish"
			if [[ -n $where ]]; then
				echo "$p: $opt missing from:$where"
				missing=$((missing + 1))
			fi
		done
	done
	((missing == 0))
}

@test "every short option in --help is in the man page" {
	local progs p help opt man missing=0
	progs=$(built_programs)
	[[ -n $progs ]] || skip "no program has been built yet"
	for p in $progs; do
		help=$(help_text "$p")
		local page=$top_srcdir/man/$p.1
		if [[ ! -f $page ]]; then
			echo "$p: $page is missing"
			missing=$((missing + 1))
			continue
		fi
		if [[ -z $(short_options <<<"$help") ]]; then
			echo "$p: no short options found in --help"
			missing=$((missing + 1))
			continue
		fi
		man=$(man_text "$page")
		for opt in $(short_options <<<"$help"); do
			if ! has_word "-$opt" <<<"$man"; then
				echo "$p: -$opt missing from man/$p.1"
				missing=$((missing + 1))
			fi
		done
	done
	((missing == 0))
}

@test "completion scripts parse" {
	local f bad=0 checked=0
	for f in "$top_srcdir"/completions/bash/*; do
		[[ -f $f ]] || continue
		checked=$((checked + 1))
		bash -n "$f" || { echo "bash -n $f failed"; bad=$((bad + 1)); }
	done
	if command -v zsh >/dev/null; then
		for f in "$top_srcdir"/completions/zsh/_*; do
			[[ -f $f ]] || continue
			checked=$((checked + 1))
			zsh -n "$f" || { echo "zsh -n $f failed"; bad=$((bad + 1)); }
		done
	fi
	if command -v fish >/dev/null; then
		for f in "$top_srcdir"/completions/fish/*.fish; do
			[[ -f $f ]] || continue
			checked=$((checked + 1))
			fish -n "$f" || { echo "fish -n $f failed"; bad=$((bad + 1)); }
		done
	fi
	echo "$checked completion scripts checked"
	((checked > 0))
	((bad == 0))
}

@test "every exit status in --help is described in the man page" {
	local progs p help page st missing=0 listed
	progs=$(built_programs)
	[[ -n $progs ]] || skip "no program has been built yet"
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	for p in $progs; do
		help=$(help_text "$p")
		page=$top_srcdir/man/$p.1
		[[ -f $page ]] || continue	# reported by the test above
		listed=$(help_exit_statuses <<<"$help")
		if [[ -z $listed ]]; then
			echo "$p: no \"Exit status:\" paragraph in --help"
			missing=$((missing + 1))
			continue
		fi
		for st in $listed; do
			if ! grep -qx -- "$st" <<<"$(man_exit_statuses "$page")"; then
				echo "$p: exit status $st missing from EXIT STATUS in man/$p.1"
				missing=$((missing + 1))
			fi
		done
	done
	((missing == 0))
}

@test "option values are in --help and offered by all completions" {
	local line p opt v help zsh where missing=0 checked=0
	while read -r p opt line; do
		[[ -n $p ]] || continue
		[[ -x $(binary "$p") ]] || continue
		checked=$((checked + 1))
		help=$(help_text "$p")
		zsh=$(zsh_function "$p")
		if ! has_word "$opt" <<<"$help"; then
			echo "$p: $opt is not in --help (update OPTION_VALUES)"
			missing=$((missing + 1))
			continue
		fi
		for v in $line; do
			where=
			has_word "$v" <<<"$help" || where+=" --help"
			has_word "$v" <"$top_srcdir/completions/bash/$p" ||
			    where+=" completions/bash/$p"
			has_word "$v" <<<"$zsh" ||
			    where+=" completions/zsh/_sshproxy(_${p//-/_})"
			has_word "$v" <"$top_srcdir/completions/fish/$p.fish" ||
			    where+=" completions/fish/$p.fish"
			if [[ -n $where ]]; then
				echo "$p $opt: value $v missing from:$where"
				missing=$((missing + 1))
			fi
		done
	done <<<"$OPTION_VALUES"
	((checked > 0)) || skip "none of the programs with such options is built"
	((missing == 0))
}
