package io.clipstream.model.image;

/** What an image's header says, read without decoding pixels: its format and stored size (before EXIF rotation). */
public record ImageInfo(ImageFormat format, int width, int height) {
}
