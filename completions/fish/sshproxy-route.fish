# fish completion for sshproxy-route

# Print how many operands (host, port) come before the token being completed,
# not counting option values such as the 5 in "-w 5".
function __sshproxy_route_operands
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
        else if contains -- $t --idle-timeout --source --timeout --rtable \
                --netns --mark --device
            set skip 1
        else if string match -qr -- '^-[^-]*[iswT]$' $t
            # -w 5, -zw 5, -T 1: the value is the next token
            set skip 1
        else if not string match -q -- '-?*' $t
            set n (math $n + 1)
        end
    end
    echo $n
end

# Is --has-route on the command line (one operand only)?
function __sshproxy_route_has_route
    contains -- --has-route (commandline -opc)
end

# Network namespaces made by "ip netns add".
function __sshproxy_route_netns
    for f in /run/netns/*
        test -e $f; and basename $f
    end
end

# Network interfaces, VRF devices included.
function __sshproxy_route_devices
    for f in /sys/class/net/*
        test -e $f; and basename $f
    end
end

complete -c sshproxy-route -f

complete -c sshproxy-route -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c sshproxy-route -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c sshproxy-route -s F -l fdpass -d 'Pass the connected socket to ssh (ProxyUseFdpass) and exit'
complete -c sshproxy-route -s h -l help -d 'Print a summary of the options and exit'
complete -c sshproxy-route -l has-route -d 'Only check for a route to host; no packet is sent'
complete -c sshproxy-route -l resolve -d 'Let --has-route look up a host name'
complete -c sshproxy-route -s i -l idle-timeout -x -d 'End the tunnel after this many seconds without data'
complete -c sshproxy-route -s N -l half-close -d 'On EOF on stdin, shut down only the sending side (default)'
complete -c sshproxy-route -l no-half-close -d 'On EOF on stdin, keep the connection open both ways'
complete -c sshproxy-route -s n -l numeric -d 'Never look up names; host must be a numeric address'
complete -c sshproxy-route -s q -l quiet -d 'Print no diagnostics, not even errors'
complete -c sshproxy-route -s s -l source -x -a '(__fish_print_addresses)' -d 'Connect from this local address'
complete -c sshproxy-route -s T -l rtable -x -d 'Routing table: OpenBSD rdomain, FreeBSD fib, Linux VRF table'
complete -c sshproxy-route -l netns -r -a '(__sshproxy_route_netns)' -d 'Linux: connect from this network namespace (name or path)'
complete -c sshproxy-route -l mark -x -d 'Linux: set this firewall mark (fwmark routing)'
complete -c sshproxy-route -l device -x -a '(__sshproxy_route_devices)' -d 'Linux: leave through this interface or VRF'
complete -c sshproxy-route -s v -l verbose -d 'More diagnostics on stderr (repeat for more)'
complete -c sshproxy-route -l version -d 'Print the version and exit'
complete -c sshproxy-route -s w -l timeout -x -d 'Give up connecting after this many seconds'
complete -c sshproxy-route -s z -l probe -d 'Only test whether a TCP connection can be made'

complete -c sshproxy-route -n 'test (__sshproxy_route_operands) -eq 0' -a '(__fish_print_hostnames)' -d Host
complete -c sshproxy-route -n 'not __sshproxy_route_has_route; and test (__sshproxy_route_operands) -eq 1' -a 22 -d Port
