package dev.ftmatrix.service;

import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import java.util.Arrays;
import java.util.List;

/** Parses variant ids from the command line into user errors. */
final class Variants {
    private Variants() {
    }

    static Variant parse(String id) {
        try {
            return Variant.parse(id);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    /** {@code cp313,cp313t}. */
    static List<Variant> parseList(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Variants::parse)
                .distinct().sorted().toList();
    }
}
