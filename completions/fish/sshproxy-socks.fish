# fish completion for sshproxy-socks

# Print how many operands (host, port) come before the token being completed,
# not counting option values such as the 5 in "-w 5".
function __sshproxy_socks_operands
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
        else if contains -- $t --idle-timeout --timeout --proxy --isolate --config
            set skip 1
        else if string match -qr -- '^-[^-]*[ciwx]$' $t
            # -w 5, -zw 5, -x URL: the value is the next token
            set skip 1
        else if not string match -q -- '-?*' $t
            set n (math $n + 1)
        end
    end
    echo $n
end

complete -c sshproxy-socks -f

complete -c sshproxy-socks -s c -l config -r -F -a none -d 'Read this sshproxy.conf instead of the default (none: no file)'
complete -c sshproxy-socks -s F -l fdpass -d 'Pass the socket to ssh (ProxyUseFdpass) and exit'
complete -c sshproxy-socks -s h -l help -d 'Print a summary of the options and exit'
complete -c sshproxy-socks -s i -l idle-timeout -x -d 'End the tunnel after this many seconds without data'
complete -c sshproxy-socks -l isolate -x -a 'destination\t"One circuit per host and port (default)" connection\t"New circuits for every connection" none\t"No isolation"' -d 'Which connections may share a Tor circuit'
complete -c sshproxy-socks -s N -l half-close -d 'On EOF on stdin, shut down only the sending side (default)'
complete -c sshproxy-socks -l no-half-close -d 'On EOF on stdin, keep the tunnel open both ways'
complete -c sshproxy-socks -s q -l quiet -d 'Print no diagnostics, not even errors'
complete -c sshproxy-socks -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c sshproxy-socks -l version -d 'Print the version and exit'
complete -c sshproxy-socks -s w -l timeout -x -d 'Give up opening the tunnel after this many seconds'
complete -c sshproxy-socks -s x -l proxy -x -a 'socks5h://127.0.0.1:9050\t"Tor" socks5h://127.0.0.1:9150\t"Tor Browser" socks5h://\t"SOCKS5, names looked up by the proxy" socks4a://\t"SOCKS4a, names looked up by the proxy"' -d 'SOCKS proxy to use instead of Tor\'s usual ports'
complete -c sshproxy-socks -s z -l probe -d 'Only test whether the tunnel can be opened'

complete -c sshproxy-socks -n 'test (__sshproxy_socks_operands) -eq 0' -a '(__fish_print_hostnames)' -d Host
complete -c sshproxy-socks -n 'test (__sshproxy_socks_operands) -eq 1' -a 22 -d Port
