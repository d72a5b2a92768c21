# fish completion for sshproxy-nc

# Print how many operands (host, port) come before the token being completed,
# not counting option values such as the 5 in "-w 5".
function __sshproxy_nc_operands
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
        else if contains -- $t --idle-timeout --source --timeout --he-delay
            set skip 1
        else if string match -qr -- '^-[^-]*[isw]$' $t
            # -w 5, -zw 5: the value is the next token
            set skip 1
        else if not string match -q -- '-?*' $t
            set n (math $n + 1)
        end
    end
    echo $n
end

complete -c sshproxy-nc -f

complete -c sshproxy-nc -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c sshproxy-nc -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c sshproxy-nc -s F -l fdpass -d 'Pass the connected socket to ssh (ProxyUseFdpass) and exit'
complete -c sshproxy-nc -s h -l help -d 'Print a summary of the options and exit'
complete -c sshproxy-nc -l he-delay -x -d 'Delay between Happy Eyeballs attempts, ms (default 250)'
complete -c sshproxy-nc -s i -l idle-timeout -x -d 'End the tunnel after this many seconds without data'
complete -c sshproxy-nc -s N -l half-close -d 'On EOF on stdin, shut down only the sending side (default)'
complete -c sshproxy-nc -l no-half-close -d 'On EOF on stdin, keep the connection open both ways'
complete -c sshproxy-nc -s n -l numeric -d 'Never look up names; host must be a numeric address'
complete -c sshproxy-nc -s q -l quiet -d 'Print no diagnostics, not even errors'
complete -c sshproxy-nc -s s -l source -x -a '(__fish_print_addresses)' -d 'Connect from this local address'
complete -c sshproxy-nc -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c sshproxy-nc -l version -d 'Print the version and exit'
complete -c sshproxy-nc -s w -l timeout -x -d 'Give up connecting after this many seconds'
complete -c sshproxy-nc -s z -l probe -d 'Only test whether a TCP connection can be made'

complete -c sshproxy-nc -n 'test (__sshproxy_nc_operands) -eq 0' -a '(__fish_print_hostnames)' -d Host
complete -c sshproxy-nc -n 'test (__sshproxy_nc_operands) -eq 1' -a 22 -d Port
