package org.transplant.pod.admin;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Real PNG files of about a given size. The pixels are noise, which deflate cannot shrink, so the file size follows
 * from the pixel count (3 bytes per pixel plus a filter byte per row) and a photo lands near its target size.
 * CPU-heavy: call it on the worker pool.
 */
final class SyntheticPhotos {

    /** A rendered image and its pixel size. */
    record Rendered(byte[] png, int width, int height) {}

    /** Signature, IHDR, IEND and the zlib frame: what a PNG costs besides its pixel rows. */
    private static final int OVERHEAD = 60;

    private SyntheticPhotos() {}

    static Rendered render(long seed, int targetBytes) {
        long pixels = Math.max(16, (targetBytes - OVERHEAD) / 3L);
        Rendered first = render(seed, pixels);
        double ratio = (double) targetBytes / first.png().length;
        if (Math.abs(ratio - 1) < 0.02) {
            return first;
        }
        // Chunk and block headers scale with the size; one correction lands within a fraction of a percent.
        return render(seed, Math.max(16, Math.round(pixels * ratio)));
    }

    private static Rendered render(long seed, long pixels) {
        int width = (int) Math.max(4, Math.round(Math.sqrt(pixels * 4.0 / 3.0)));
        int height = (int) Math.max(3, pixels / width);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextInt() & 0xFFFFFF;
        }
        return new Rendered(encode(image), width, height);
    }

    private static byte[] encode(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() * 3 + 1024);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            // The lowest deflate level: noise doesn't compress anyway, and the default level is several times slower.
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
