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
        else if contains -- $t --idle-timeout --source --timeout --he-delay \
                --config --cache --proxy --proxy-type --proxy-user --proxy-auth --proxy-cacert \
                --proxy-header --proxy-password-env --proxy-password-file
            set skip 1
        else if string match -qr -- '^-[^-]*[ciswPXx]$' $t
            # -w 5, -zw 5, -x URL, -c FILE: the value is the next token
            set skip 1
        else if not string match -q -- '-?*' $t
            set n (math $n + 1)
        end
    end
    echo $n
end

# Proxy URLs for -x: the schemes, then host names after "scheme://".
function __sshproxy_nc_proxy_urls
    set -l tok (commandline -ct | string replace -r -- '^--proxy=' '')
    if set -l scheme (string match -r -- '^[a-z0-9]+://' $tok)
        printf '%s\n' $scheme(__fish_print_hostnames)
    else
        printf '%s\t%s\n' \
            socks5h:// 'SOCKS5, names looked up by the proxy' \
            socks5:// 'SOCKS5, names looked up here' \
            socks4a:// 'SOCKS4a, names looked up by the proxy' \
            socks4:// 'SOCKS4, names looked up here' \
            http:// 'HTTP CONNECT' \
            https:// 'HTTP CONNECT over TLS'
    end
end

# --proxy-auth takes a comma-separated list: complete its last item.
function __sshproxy_nc_auth_schemes
    set -l tok (commandline -ct | string replace -r -- '^--proxy-auth=' '')
    set -l prefix (string match -r -- '^.*,' $tok)
    for s in basic digest ntlm negotiate any
        printf '%s%s\n' "$prefix" $s
    end
end

complete -c sshproxy-nc -f

complete -c sshproxy-nc -s 4 -l ipv4 -d 'Use IPv4 addresses only'
complete -c sshproxy-nc -s 6 -l ipv6 -d 'Use IPv6 addresses only'
complete -c sshproxy-nc -s c -l config -r -F -a none -d 'Read this sshproxy.conf instead of the default (none: no file)'
complete -c sshproxy-nc -l explain -d 'Print what sshproxy.conf decides for the host; connect nowhere'
complete -c sshproxy-nc -l cache -x -d 'With -z: reuse an answer up to this many seconds old'
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

complete -c sshproxy-nc -s x -l proxy -x -a '(__sshproxy_nc_proxy_urls)' -d 'Go through this proxy (repeat for a chain)'
complete -c sshproxy-nc -s X -l proxy-type -x -a '4\tSOCKS4 4a\tSOCKS4a 5\t"SOCKS5, names looked up by the proxy" connect\t"HTTP CONNECT"' -d 'Protocol of -x values without a scheme'
complete -c sshproxy-nc -s P -l proxy-user -x -d 'User name for the proxies'
complete -c sshproxy-nc -l proxy-password-file -r -F -d 'Read the proxy password from this file'
complete -c sshproxy-nc -l proxy-password-env -x -a '(set --names --export)' -d 'Read the proxy password from this variable'
complete -c sshproxy-nc -l proxy-env -d 'Use all_proxy and no_proxy from the environment'
complete -c sshproxy-nc -l proxy-auth -x -a '(__sshproxy_nc_auth_schemes)' -d 'HTTP proxy authentication schemes allowed'
complete -c sshproxy-nc -l proxy-cacert -r -F -d 'CA certificates to verify an https proxy with'
complete -c sshproxy-nc -l proxy-insecure -d 'Do not verify the certificate of an https proxy'
complete -c sshproxy-nc -l proxy-header -x -d 'Add "Name: value" to the CONNECT request'

complete -c sshproxy-nc -n 'test (__sshproxy_nc_operands) -eq 0' -a '(__fish_print_hostnames)' -d Host
complete -c sshproxy-nc -n 'test (__sshproxy_nc_operands) -eq 1' -a 22 -d Port
