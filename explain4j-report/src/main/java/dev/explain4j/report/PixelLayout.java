package dev.explain4j.report;

import dev.explain4j.model.ImageGeometry;
import org.deeplearning4j.nn.conf.CNN2DFormat;

/** Where pixel (channel, y, x) sits in one flattened row of an image input, for each layout the model may use. */
final class PixelLayout {

    private PixelLayout() {
    }

    /** Flat rows and NCHW are channel-major (c, h, w); NHWC rows are (h, w, c). */
    static int index(ImageGeometry g, int channel, int y, int x) {
        if (!g.flat() && g.format() == CNN2DFormat.NHWC) {
            return (y * g.width() + x) * g.channels() + channel;
        }
        return (channel * g.height() + y) * g.width() + x;
    }

    static int size(ImageGeometry g) {
        return g.height() * g.width() * g.channels();
    }
}
