package org.transplant.pod.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SyntheticPhotosTest {

    @Test
    void photosLandNearTheirTargetSizeAndDecode() throws Exception {
        for (int target : new int[] {1024, 4096, 50_000, 400_000}) {
            SyntheticPhotos.Rendered photo = SyntheticPhotos.render(target, target);
            assertThat((double) photo.png().length).as("size for %d", target).isCloseTo(target, withPercentage(5));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo.png()));
            assertThat(image.getWidth()).isEqualTo(photo.width());
            assertThat(image.getHeight()).isEqualTo(photo.height());
        }
    }

    @Test
    void theSameSeedRendersTheSameBytes() {
        assertThat(SyntheticPhotos.render(7, 8192).png())
                .isEqualTo(SyntheticPhotos.render(7, 8192).png());
    }
}
