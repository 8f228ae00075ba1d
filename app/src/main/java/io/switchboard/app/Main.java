package io.switchboard.app;

/** Entry point of {@code bin/switchboard}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("switchboard: skeleton");
    }
}
