package io.clipstream.cli.demo;

import com.github.weisj.jsvg.SVGDocument;
import com.github.weisj.jsvg.parser.DocumentLimits;
import com.github.weisj.jsvg.parser.LoaderContext;
import com.github.weisj.jsvg.parser.SVGLoader;
import com.github.weisj.jsvg.view.ViewBox;
import java.awt.Component;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * An emoji set drawn in SVG with one file per emoji named by its code points ({@code 1F600.svg} in OpenMoji,
 * {@code 1f600.svg} in Fluent), drawn with jsvg at the size of the PNG sets, with transparency as they have it.
 *
 * @param style  the style's folder name in the corpus
 * @param folder the unpacked folder of SVG files
 */
record SvgEmojiSet(String style, Path folder) {

    /**
     * jsvg's guard against hostile SVGs stops at 2,000 drawn elements; a few Fluent emoji have 3,000 (measured:
     * 5 of 1,806). These files come from a pinned npm package, so the limit is raised, not the guard dropped.
     */
    private static final LoaderContext LOADING = LoaderContext.builder()
            .documentLimits(new DocumentLimits(DocumentLimits.DEFAULT_MAX_NESTING_DEPTH,
                    DocumentLimits.DEFAULT_MAX_USE_NESTING_DEPTH, 20_000))
            .build();
    /** jsvg logs what it cannot read with a stack trace; the build counts those files and says so in a line. */
    private static final Logger JSVG_LOG = Logger.getLogger("com.github.weisj.jsvg");

    static {
        JSVG_LOG.setLevel(Level.OFF);
    }

    /** The SVG files by join key ({@link EmojiCorpusBuilder#joinKey}): upper case, without variation selectors. */
    Map<String, Path> index() throws IOException {
        Map<String, Path> byKey = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")).forEach(f -> {
                String name = f.getFileName().toString();
                String codePoints = name.substring(0, name.length() - ".svg".length());
                if (codePoints.matches("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)*")) {
                    byKey.putIfAbsent(EmojiCorpusBuilder.joinKey(codePoints), f);
                }
            });
        }
        return byKey;
    }

    /** Draws {@code svg} into a {@code size}×{@code size} PNG at {@code png}; false when jsvg cannot read it. */
    static boolean rasterize(Path svg, int size, Path png) throws IOException {
        Optional<SVGDocument> document;
        try {
            document = Optional.ofNullable(new SVGLoader().load(svg.toUri().toURL(), LOADING));
        } catch (RuntimeException e) {
            return false;
        }
        if (document.isEmpty()) {
            return false;
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            document.get().render((Component) null, g, new ViewBox(0, 0, size, size));
        } finally {
            g.dispose();
        }
        return ImageIO.write(image, "png", png.toFile());
    }
}
