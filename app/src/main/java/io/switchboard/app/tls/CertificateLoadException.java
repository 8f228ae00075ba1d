package io.switchboard.app.tls;

/** A certificate or key file that cannot be used; the message says which file and why. */
public final class CertificateLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean aboutKey;

    CertificateLoadException(boolean aboutKey, String message) {
        super(message);
        this.aboutKey = aboutKey;
    }

    CertificateLoadException(boolean aboutKey, String message, Throwable cause) {
        super(message, cause);
        this.aboutKey = aboutKey;
    }

    /** Whether the problem is in the key file ({@code --tls-key}) rather than the certificate file. */
    public boolean isAboutKey() {
        return aboutKey;
    }
}
