package dev.ftmatrix.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 in lower-case hex: the fingerprint of source archives, sdists and cache keys. */
public final class Digests {
    private Digests() {
    }

    /** The sha256 of a file's bytes, read in streaming fashion. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Sha256 h = sha256();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                h.update(buf, 0, n);
            }
            return h.hex();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The sha256 of a text's UTF-8 bytes. */
    public static String sha256(String text) {
        return sha256().update(text).hex();
    }

    /** A sha256 fed piece by piece (a download as it streams, a tree file by file). */
    public static Sha256 sha256() {
        try {
            return new Sha256(MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** One sha256 in progress; {@link #hex} ends it. */
    public static final class Sha256 {
        private final MessageDigest md;

        private Sha256(MessageDigest md) {
            this.md = md;
        }

        public Sha256 update(byte[] bytes, int offset, int length) {
            md.update(bytes, offset, length);
            return this;
        }

        public Sha256 update(byte[] bytes) {
            return update(bytes, 0, bytes.length);
        }

        /** The text's UTF-8 bytes. */
        public Sha256 update(String text) {
            return update(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The digest in lower-case hex. */
        public String hex() {
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
