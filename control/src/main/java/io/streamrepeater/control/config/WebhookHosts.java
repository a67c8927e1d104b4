package io.streamrepeater.control.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * {@code server.webhookHosts}: where webhooks may be sent (issue 17). Empty: anywhere the server can reach, internal
 * addresses included. Otherwise each entry is a host name ({@code hooks.example.com}), a domain's subdomains
 * ({@code *.example.com}), an IP address, or an IP network ({@code 203.0.113.0/24}, {@code 2001:db8::/32}); host
 * names are matched as written in the webhook URL, networks only against URLs written with an IP address.
 */
public final class WebhookHosts {
    private WebhookHosts() {}

    /** Checks one entry of the list; returns it. */
    static String requireRule(String rule) {
        if (rule == null || rule.isBlank() || rule.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("webhookHosts entry '" + rule + "' must be a host name, *.domain, an IP"
                    + " address or an IP network such as 203.0.113.0/24");
        }
        int slash = rule.indexOf('/');
        if (slash >= 0) {
            InetAddress network = literal(rule.substring(0, slash));
            int bits;
            try {
                bits = Integer.parseInt(rule.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (network == null || bits < 0 || bits > network.getAddress().length * 8) {
                throw new IllegalArgumentException("webhookHosts entry '" + rule + "' is not an IP network"
                        + " (ADDRESS/BITS, e.g. 203.0.113.0/24)");
            }
        }
        return rule;
    }

    /** Whether {@code rules} let a webhook be sent to {@code url}; an empty list lets any. */
    public static boolean allows(List<String> rules, String url) {
        if (rules.isEmpty()) {
            return true;
        }
        String host = URI.create(url).getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress address = literal(host);
        for (String rule : rules) {
            String r = rule.toLowerCase(Locale.ROOT);
            int slash = r.indexOf('/');
            if (slash >= 0) {
                if (address != null
                        && inNetwork(
                                address, literal(r.substring(0, slash)), Integer.parseInt(r.substring(slash + 1)))) {
                    return true;
                }
            } else if (r.startsWith("*.")) {
                if (address == null && host.endsWith(r.substring(1))) {
                    return true;
                }
            } else if ((address != null && literal(r) != null) ? address.equals(literal(r)) : host.equals(r)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inNetwork(InetAddress address, InetAddress network, int bits) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (n[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address written in {@code text} when it is an IP literal (never a DNS lookup), else null. */
    private static InetAddress literal(String text) {
        boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (ipv4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        boolean ipv6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
