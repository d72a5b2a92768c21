# fish completion for sshproxy-chain

# Print how many operands (chain, port) come before the token being
# completed, not counting option values such as the + in "-d +".
function __sshproxy_chain_operands
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l n 0
    set -l skip 0
    set -l rest 0
    for t in $tokens
        if test $rest -eq 1
            set n (math $n + 1)
        else if test $skip -eq 1
            set skip 0
        else if test "$t" = --
            set rest 1
        else if contains -- $t --delimiters --ssh-config --ssh-option --ssh --config
            set skip 1
        else if string match -qr -- '^-[^-]*[cdFo]$' $t
            # -d +, -vF file: the value is the next token
            set skip 1
        else if not string match -q -- '-?*' $t
            set n (math $n + 1)
        end
    end
    echo $n
end

# Host names for the hop being typed at the end of the chain: everything
# up to the last delimiter (and a "user%") is kept as a prefix.
function __sshproxy_chain_hops
    set -l delims +/
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l i 1
    while test $i -le (count $tokens)
        set -l t $tokens[$i]
        switch $t
            case --
                break
            case '--delimiters=*'
                set delims (string replace -- '--delimiters=' '' $t)
            case -d --delimiters
                set -l j (math $i + 1)
                if test $j -le (count $tokens)
                    set delims $tokens[$j]
                end
            case '-d?*'
                set delims (string sub -s 3 -- $t)
        end
        set i (math $i + 1)
    end

    set -l tok (commandline -ct)
    set -l prefix ''
    set -l chars (string split '' -- $tok)
    set -l k (count $chars)
    while test $k -ge 1
        if string match -q -- "*$chars[$k]*" $delims
            set prefix (string sub -l $k -- $tok)
            break
        end
        set k (math $k - 1)
    end
    set -l host (string sub -s (math (string length -- "$prefix") + 1) -- $tok)
    if string match -qr -- '^[^\[].*%' $host
        set prefix "$prefix"(string replace -r -- '%.*' '%' $host)
        set host (string replace -r -- '^[^%]*%' '' $host)
    end
    # A port or an IPv6 address: nothing to offer.
    if string match -qr -- '[:\[]' $host
        return
    end
    for h in (__fish_print_hostnames)
        printf '%s%s\n' $prefix $h
    end
end

complete -c sshproxy-chain -f

complete -c sshproxy-chain -s c -l config -r -F -a none -d 'sshproxy.conf whose policy every hop must pass (none: no file)'
complete -c sshproxy-chain -s d -l delimiters -x -d 'Characters that separate hops (default +/)'
complete -c sshproxy-chain -s F -l ssh-config -r -F -d 'ssh configuration file for ssh and every hop'
complete -c sshproxy-chain -s h -l help -d 'Print a summary of the options and exit'
complete -c sshproxy-chain -s o -l ssh-option -x -d 'Pass -o OPTION to ssh (repeatable)'
complete -c sshproxy-chain -s q -l quiet -d 'Print no diagnostics, not even errors'
complete -c sshproxy-chain -s v -l verbose -d 'Say more; also passed to ssh (repeat for more)'
complete -c sshproxy-chain -l dry-run -d 'Print the ssh command, one word per line, and exit'
complete -c sshproxy-chain -l ssh -x -a '(__fish_complete_command)' -d 'The ssh program to run'
complete -c sshproxy-chain -l version -d 'Print the version and exit'

complete -c sshproxy-chain -n 'test (__sshproxy_chain_operands) -eq 0' -a '(__sshproxy_chain_hops)' -d 'Chain: [user%]host[:port]+...+destination'
complete -c sshproxy-chain -n 'test (__sshproxy_chain_operands) -eq 1' -a 22 -d Port
