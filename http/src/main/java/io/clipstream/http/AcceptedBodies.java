package io.clipstream.http;

/**
 * What a service's request bodies may be, said in the answer to an unsupported Content-Type (after "send "), where
 * the shared answer could only name the type it does not take. A service that reads media produces one as a bean;
 * without one, that answer names the request instead.
 *
 * @param howToSend e.g. {@code the query image as the body with an image/* type}
 */
public record AcceptedBodies(String howToSend) {
}
