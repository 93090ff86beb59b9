package io.clipstream.ingest.api;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which image URLs ingest may read: those under an allowed prefix ({@code file:} directories, checked on the real
 * path; {@code http(s):} scheme, host, port and path), and of those, over HTTP, only ones whose host resolves to
 * public addresses, unless an allowed network names the internal address. Refusals happen before anything is read
 * or any connection is made.
 */
final class ImageUrlPolicy {

    static final String PREFIXES_KEY = "clipstream.ingest.image-urls.allowed-prefixes";
    static final String NETWORKS_KEY = "clipstream.ingest.image-urls.allowed-networks";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Ranges an image host may not resolve to unless allowed: loopback, internal, link-local (cloud metadata), ... */
    private static final List<Network> REFUSED = List.of(
            Network.parse("0.0.0.0/8", "unspecified"),
            Network.parse("10.0.0.0/8", "private"),
            Network.parse("100.64.0.0/10", "shared (CGNAT; 100.100.100.200 is a cloud metadata service)"),
            Network.parse("127.0.0.0/8", "loopback"),
            Network.parse("169.254.0.0/16", "link-local (169.254.169.254 is the cloud metadata service)"),
            Network.parse("172.16.0.0/12", "private"),
            Network.parse("192.0.0.0/24", "IETF protocol (192.0.0.192 is a cloud metadata service)"),
            Network.parse("192.168.0.0/16", "private"),
            Network.parse("198.18.0.0/15", "benchmarking"),
            Network.parse("224.0.0.0/4", "multicast"),
            Network.parse("240.0.0.0/4", "reserved or broadcast"),
            Network.parse("::/128", "unspecified"),
            Network.parse("::1/128", "loopback"),
            Network.parse("fe80::/10", "link-local"),
            Network.parse("fec0::/10", "site-local"),
            Network.parse("fc00::/7", "unique local (private; fd00:ec2::254 is the cloud metadata service)"),
            Network.parse("ff00::/8", "multicast"));

    /** An http(s) prefix: URLs match on scheme, host and port exactly, and on the path by whole segments. */
    private record HttpPrefix(String text, String scheme, String host, int port, String path) {
        boolean matches(String scheme, String host, int port, String path) {
            return this.scheme.equals(scheme) && this.host.equals(host) && this.port == port
                    && (path.equals(this.path) || path.startsWith(this.path.endsWith("/") ? this.path : this.path + "/"));
        }
    }

    /** An allowed directory, as configured and as its real path (the configured one may be a link). */
    private record Directory(String text, Path configured, Path real) {
    }

    /** Where an allowed http(s) URL connects: the address checked, which is the one connected to. */
    record HttpTarget(URI uri, boolean https, String host, int port, String requestUri, InetAddress address) {
    }

    private final List<HttpPrefix> httpPrefixes;
    private final List<Directory> directories;
    private final List<Network> allowedNetworks;

    private ImageUrlPolicy(List<HttpPrefix> httpPrefixes, List<Directory> directories, List<Network> allowedNetworks) {
        this.httpPrefixes = httpPrefixes;
        this.directories = directories;
        this.allowedNetworks = allowedNetworks;
    }

    /**
     * The policy for these settings.
     *
     * @throws IllegalArgumentException naming the setting and the value when a prefix or network is not usable, or
     *         when there is no prefix at all (URLs allowed with nothing they may name is a mistake, told at start-up)
     */
    static ImageUrlPolicy of(List<String> prefixes, List<String> networks) {
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("clipstream.ingest.allow-image-urls=true needs " + PREFIXES_KEY
                    + ": the URL prefixes images may be read from (file:///dir/, https://host/path/)");
        }
        List<HttpPrefix> http = new ArrayList<>();
        List<Directory> dirs = new ArrayList<>();
        for (String prefix : prefixes) {
            URI uri;
            try {
                uri = new URI(prefix.strip());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(PREFIXES_KEY + ": " + prefix + " is not a URL: " + e.getMessage());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException(PREFIXES_KEY + ": " + prefix + " has a query or fragment");
            }
            switch (scheme) {
                case "file" -> dirs.add(directory(prefix, uri));
                case "http", "https" -> http.add(httpPrefix(prefix, uri, scheme));
                default -> throw new IllegalArgumentException(PREFIXES_KEY + ": " + prefix
                        + " must start with file:, http: or https:");
            }
        }
        return new ImageUrlPolicy(List.copyOf(http), List.copyOf(dirs),
                networks.stream().map(n -> Network.parse(n.strip(), "allowed")).toList());
    }

    private static Directory directory(String text, URI uri) {
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException(PREFIXES_KEY + ": " + text + " names a host; write file:///dir/");
        }
        Path configured;
        try {
            configured = Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalArgumentException(PREFIXES_KEY + ": " + text + " is not a directory: " + e.getMessage());
        }
        if (hasDotDot(configured)) {
            throw new IllegalArgumentException(PREFIXES_KEY + ": " + text + " contains '..'");
        }
        try {
            Path real = configured.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException(PREFIXES_KEY + ": " + text + " is not a directory");
            }
            return new Directory(text, configured, real);
        } catch (IOException e) {
            throw new IllegalArgumentException(PREFIXES_KEY + ": directory " + configured + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static HttpPrefix httpPrefix(String text, URI uri, String scheme) {
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(PREFIXES_KEY + ": " + text + " must be " + scheme
                    + "://host[:port]/path (a host name or address, no user info)");
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        if (hasDotSegment(path)) {
            throw new IllegalArgumentException(PREFIXES_KEY + ": " + text + " contains '.' or '..' segments");
        }
        return new HttpPrefix(text, scheme, uri.getHost().toLowerCase(Locale.ROOT), port(uri, scheme), path);
    }

    /** The real path of an allowed file, or a refusal. Nothing is opened, and nothing is said of files elsewhere. */
    Path allowedFile(URI uri, String where) {
        String url = uri.toString();
        if (directories.isEmpty()) {
            throw refused(where, url, "no file: prefix is allowed (" + PREFIXES_KEY + ")");
        }
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw refused(where, url, "a file: URL may not name a host");
        }
        Path requested;
        try {
            requested = Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw refused(where, url, "not a file path (" + e.getMessage() + ")");
        }
        if (hasDotDot(requested)) {
            throw refused(where, url, "'..' is not allowed in a file: URL");
        }
        if (directories.stream().noneMatch(d -> requested.startsWith(d.configured()) || requested.startsWith(d.real()))) {
            throw refused(where, url, "not under an allowed directory (" + PREFIXES_KEY + ")");
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UploadException(where + ": " + url + ": no such file");
        } catch (IOException e) {
            throw new UploadException(where + ": cannot read " + url + " (" + e.getClass().getSimpleName() + ")");
        }
        // A symbolic link inside an allowed directory may point anywhere: what counts is where it leads.
        if (directories.stream().noneMatch(d -> real.startsWith(d.real()))) {
            throw refused(where, url, "a symbolic link leads outside the allowed directories");
        }
        if (!Files.isRegularFile(real)) {
            throw refused(where, url, "not a regular file");
        }
        return real;
    }

    /**
     * Where an allowed http(s) URL connects, or a refusal: the URL must be under an allowed prefix, and every
     * address its host resolves to must be public or in an allowed network. The host is resolved once, here; the
     * caller connects to {@link HttpTarget#address()}, so a second lookup cannot answer differently (DNS rebinding).
     */
    HttpTarget allowedHttp(URI uri, String where) {
        String url = uri.toString();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw refused(where, url, "no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(where, url, "user info is not allowed in an image URL");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = port(uri, scheme);
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        if (hasDotSegment(path)) {
            throw refused(where, url, "'.' and '..' path segments are not allowed");
        }
        if (httpPrefixes.stream().noneMatch(p -> p.matches(scheme, host, port, path))) {
            throw refused(where, url, "not under an allowed prefix (" + PREFIXES_KEY + ")");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new UploadException(where + ": cannot resolve the host of " + url);
        }
        for (InetAddress address : addresses) {
            String range = refusedRange(address);
            if (range != null && allowedNetworks.stream().noneMatch(n -> n.contains(address))) {
                throw refused(where, url, host + " resolves to " + address.getHostAddress() + ", a " + range
                        + " address (" + NETWORKS_KEY + " may allow it)");
            }
        }
        String requestUri = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            requestUri += "?" + uri.getRawQuery();
        }
        return new HttpTarget(uri, scheme.equals("https"), bare, port, requestUri, addresses[0]);
    }

    /** The refused range this address is in, by name, or null for a public address. */
    static String refusedRange(InetAddress address) {
        for (Network network : REFUSED) {
            if (network.contains(address)) {
                return network.name();
            }
        }
        InetAddress embedded = embeddedIpv4(address);
        return embedded == null ? null : refusedRange(embedded);
    }

    /** The IPv4 address inside an IPv4-compatible (::/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        boolean compatible = allZero(b, 0, 12);
        boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        try {
            if (compatible || nat64) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
        return null;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int port(URI uri, String scheme) {
        return uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    }

    private static boolean hasDotDot(Path path) {
        for (Path name : path) {
            if (name.toString().equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static UploadException refused(String where, String url, String why) {
        return new UploadException(where + ": imageUrl " + url + " is refused: " + why);
    }

    /** An address range in CIDR notation. Parsed from literals only: a host name here would be a DNS lookup. */
    record Network(String name, byte[] base, int bits) {

        static Network parse(String cidr, String name) {
            int slash = cidr.indexOf('/');
            String literal = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!literal.contains(":") && !IPV4.matcher(literal).matches()) {
                throw new IllegalArgumentException(NETWORKS_KEY + ": " + cidr + " is not an address or CIDR range");
            }
            byte[] base;
            try {
                base = InetAddress.getByName(literal).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(NETWORKS_KEY + ": " + cidr + " is not an address or CIDR range");
            }
            int bits;
            try {
                bits = slash < 0 ? base.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > base.length * 8) {
                throw new IllegalArgumentException(NETWORKS_KEY + ": " + cidr + " has a prefix length outside 0-"
                        + base.length * 8);
            }
            return new Network(name, base, bits);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != base.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (base[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
