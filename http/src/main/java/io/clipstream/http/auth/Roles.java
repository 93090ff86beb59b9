package io.clipstream.http.auth;

/**
 * The two roles of every service's endpoints. A {@link #CLIENT} uploads, embeds, subscribes and reads; an
 * {@link #OPERATOR} also changes how a service runs (pause, checkpoint, reload, label sets) and may do all a client
 * may ({@link OperatorIsClient}).
 */
public final class Roles {

    public static final String OPERATOR = "operator";
    public static final String CLIENT = "client";

    private Roles() {
    }
}
