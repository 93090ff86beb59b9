package io.clipstream.cli.local;

/** A service as the local run starts it: its name (= module), where clients reach its HTTP, and its heap. */
public record LocalService(String name, String host, int port, String heap) {

    public LocalService(String name, int port, String heap) {
        this(name, LocalStack.DEFAULT_BIND, port, heap);
    }

    public LocalService withPort(int newPort) {
        return new LocalService(name, host, newPort, heap);
    }

    public LocalService withHost(String newHost) {
        return new LocalService(name, newHost, port, heap);
    }

    public String baseUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
