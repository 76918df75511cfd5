package org.transplant.pod.contact;

import org.transplant.pod.Handle;

/**
 * Fired (asynchronously, after the write) when a local account starts following or blocks a person of another pod,
 * so that what this pod must know about them, such as their public key, can be learned from their own pod.
 */
public record RemoteContactAdded(Handle handle) {}
