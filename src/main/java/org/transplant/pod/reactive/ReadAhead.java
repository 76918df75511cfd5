package org.transplant.pod.reactive;

import io.smallrye.mutiny.Uni;

/** Reading ahead: start a read now and hand its result (or failure) to whoever subscribes later, once. */
public final class ReadAhead {

    private ReadAhead() {}

    public static <X> Uni<X> started(Uni<X> read) {
        Uni<X> memo = read.memoize().indefinitely();
        memo.subscribe().with(ignored -> {}, failure -> {});
        return memo;
    }
}
