package io.clipstream.cli.local;

/**
 * A service instance as the local run starts it: its name (= module), where clients reach its HTTP, its heap, and
 * which replica it is ({@code 1} unless {@code local up --replicas} starts more).
 */
public record LocalService(String name, String host, int port, String heap, int instance) {

    public LocalService(String name, String host, int port, String heap) {
        this(name, host, port, heap, 1);
    }

    public LocalService(String name, int port, String heap) {
        this(name, LocalStack.DEFAULT_BIND, port, heap);
    }

    public LocalService withPort(int newPort) {
        return new LocalService(name, host, newPort, heap, instance);
    }

    public LocalService withHost(String newHost) {
        return new LocalService(name, newHost, port, heap, instance);
    }

    /** Replica {@code n} of this service, on {@code newPort}. */
    public LocalService replica(int n, int newPort) {
        return new LocalService(name, host, newPort, heap, n);
    }

    /**
     * The instance's name in the run (its log, pid and state folder): the service's name for the first, as a run
     * without replicas names it, {@code <service>-<n>} for the others.
     */
    public String instanceName() {
        return instance == 1 ? name : name + "-" + instance;
    }

    /** The stable identity it joins its consumer group with ({@code group.instance.id}): {@code <service>-<n>}. */
    public String groupInstanceId() {
        return name + "-" + instance;
    }

    /** Whether {@code someName} names this instance: its instance name or its group instance id. */
    public boolean isNamed(String someName) {
        return someName.equals(instanceName()) || someName.equals(groupInstanceId());
    }

    public String baseUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
