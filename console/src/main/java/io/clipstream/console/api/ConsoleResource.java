package io.clipstream.console.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.TreeMap;

/** What the pages ask the console itself: which services it reaches (names and addresses, no secrets). */
@Path("/console")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {

    public record Services(Map<String, String> services) {
    }

    private final ServiceProxy proxy;

    public ConsoleResource(ServiceProxy proxy) {
        this.proxy = proxy;
    }

    @GET
    @Path("/services")
    public Services services() {
        Map<String, String> named = new TreeMap<>();
        proxy.services().forEach((name, uri) -> named.put(name, uri.toString()));
        return new Services(named);
    }
}
