package org.transplant.pod.photo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.transplant.web.ProblemException;

/**
 * Decides whether uploaded bytes are an image we serve, by their content (magic bytes and a decodable header),
 * never by the name or the declared type alone. Blocking: call it through the worker pool.
 */
public final class ImageInspector {

    /** What the bytes are: the content type to serve them with, the file extension and the pixel size. */
    public record ImageInfo(String contentType, String extension, int width, int height) {
    }

    private static final Map<String, String> FORMATS = Map.of(
            "png", "image/png", "jpeg", "image/jpeg", "gif", "image/gif");

    private ImageInspector() {
    }

    public static ImageInfo inspect(byte[] bytes) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw notAnImage();
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
                String contentType = FORMATS.get(format);
                if (contentType == null) {
                    throw notAnImage();
                }
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > 100_000_000L) {
                    throw ProblemException.invalid("photo", "has an unsupported size of " + width + "x" + height);
                }
                return new ImageInfo(contentType, "jpeg".equals(format) ? "jpg" : format, width, height);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw notAnImage();
        }
    }

    private static ProblemException notAnImage() {
        return ProblemException.unsupportedMedia("The upload is not a PNG, JPEG or GIF image");
    }
}
