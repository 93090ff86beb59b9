package io.clipstream.cli.local;

/** A service as the local run starts it: its name (= module), HTTP port and heap. */
public record LocalService(String name, int port, String heap) {

    public LocalService withPort(int newPort) {
        return new LocalService(name, newPort, heap);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }
}
