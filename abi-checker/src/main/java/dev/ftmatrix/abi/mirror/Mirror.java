package dev.ftmatrix.abi.mirror;

import java.util.List;

/**
 * A project's own struct (or union) as one build sees it: its fields in order, with the type as written.
 *
 * @param union true for a union: every field at offset 0
 */
record Mirror(String name, String file, int line, boolean union, List<Field> fields) {
    Mirror {
        fields = List.copyOf(fields);
    }

    /** One field: its name, its type as written, its element count (1 unless an array) and its line. */
    record Field(String name, String type, long count, int line) {
    }
}
