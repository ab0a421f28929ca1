package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** How a dump file is compressed while it is written. */
public enum Compression {
    NONE(""),
    /** gzip at level 1: a dump is mostly text, and level 1 keeps up with the dump tool where level 6 cannot. */
    GZIP(".gz"),
    /** zstd at level 1: smaller and faster than gzip -1. */
    ZSTD(".zst");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Compression fromId(String id) throws InvalidSpecException {
        for (Compression compression : values()) {
            if (compression.id().equals(id)) {
                return compression;
            }
        }
        throw new InvalidSpecException("compress must be gzip, zstd or none, not '" + id + "'");
    }

    public OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 64 * 1024) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            case ZSTD -> new com.github.luben.zstd.ZstdOutputStream(out, 1);
        };
    }
}
