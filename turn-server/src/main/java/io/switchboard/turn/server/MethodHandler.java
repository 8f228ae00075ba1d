package io.switchboard.turn.server;

/** Answers the requests of one STUN/TURN method; the {@link RequestDispatcher} picks it from a table by method. */
interface MethodHandler {
    /** Whether the dispatcher must authenticate the request first (every TURN method; not Binding). */
    boolean requiresAuthentication();

    /** Answers the request; every path ends in exactly one response (or a deliberate silence). */
    void handle(Exchange exchange);
}
