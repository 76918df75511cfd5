package org.transplant.pod.photo;

/**
 * The Content-Security-Policy every response carrying a photo's bytes sends, stricter than the pages' own: even
 * bytes that a browser would take for a document (a polyglot file, a type sniffed despite {@code nosniff}) load
 * nothing, run no script and live in a sandbox of an opaque origin, so they never act on this pod's origin.
 */
public final class PhotoPolicy {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'";

    private PhotoPolicy() {}
}
