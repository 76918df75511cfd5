package org.transplant.migration.importer;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A write stream that takes at most {@code cap} bytes (counting from {@code start}, what is already there) and
 * fails the write that would go over it. Piped from an HTTP response by the web client, the failed write fails
 * the request, which resets the connection: a body larger than announced (or than this pod takes) stops at the
 * cap instead of filling the disk.
 */
final class CappedWriteStream implements WriteStream<Buffer> {

    /** The other side sent more bytes than this pod takes for one item. */
    static final class TooLarge extends RuntimeException {
        final long cap;

        TooLarge(long cap) {
            super("more than " + cap + " bytes", null, false, false);
            this.cap = cap;
        }
    }

    private final WriteStream<Buffer> target;
    private final long cap;
    private long written;
    private boolean over;

    CappedWriteStream(WriteStream<Buffer> target, long start, long cap) {
        this.target = target;
        this.written = start;
        this.cap = cap;
    }

    @Override
    public Future<Void> write(Buffer data) {
        written += data.length();
        if (over || written > cap) {
            // Chunks already on their way still arrive after the first refusal; none reaches the target.
            over = true;
            return Future.failedFuture(new TooLarge(cap));
        }
        return target.write(data);
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data).onComplete(handler);
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        target.end(handler);
    }

    @Override
    public Future<Void> end() {
        return target.end();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        target.exceptionHandler(handler);
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        target.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        // Once over the cap the target is closed: nothing is queued any more.
        return !over && target.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        target.drainHandler(handler);
        return this;
    }
}
