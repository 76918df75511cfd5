package org.transplant.pod.photo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.transplant.web.ProblemException;

/**
 * Decides whether uploaded bytes are an image we serve, by their content (magic bytes and a decodable header),
 * never by the name or the declared type alone. Blocking: call it through the worker pool.
 */
public final class ImageInspector {

    /** What the bytes are: the content type to serve them with, the file extension and the pixel size. */
    public record ImageInfo(String contentType, String extension, int width, int height) {

        /** At least one pixel, at most 100 megapixels (a bomb of a tiny file that decodes to gigabytes is not). */
        public boolean sizeSupported() {
            return width > 0 && height > 0 && (long) width * height <= 100_000_000L;
        }
    }

    private static final Map<String, String> FORMATS =
            Map.of("png", "image/png", "jpeg", "image/jpeg", "gif", "image/gif");

    private ImageInspector() {}

    public static ImageInfo inspect(byte[] bytes) {
        ImageInfo info = identify(bytes);
        if (info == null) {
            throw notAnImage();
        }
        if (!info.sizeSupported()) {
            throw ProblemException.invalid("photo", "has an unsupported size of " + info.width() + "x" + info.height());
        }
        return info;
    }

    /**
     * What the bytes are, or null when they are not a PNG, JPEG or GIF image: the same inspection as an upload,
     * for bytes from elsewhere (a photo copied from another pod), whose claimed type is never believed.
     */
    public static ImageInfo identify(byte[] bytes) {
        // Read from memory: ImageIO's default stream caches what it reads in a temporary file, a file written for
        // every photo (and ten times the time).
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                String contentType = FORMATS.get(format);
                if (contentType == null) {
                    return null;
                }
                reader.setInput(input, true, true);
                return new ImageInfo(
                        contentType, "jpeg".equals(format) ? "jpg" : format, reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // A header the decoder cannot read (ImageIO throws unchecked exceptions on some damaged files too).
            return null;
        }
    }

    private static ProblemException notAnImage() {
        return ProblemException.unsupportedMedia("The upload is not a PNG, JPEG or GIF image");
    }
}
