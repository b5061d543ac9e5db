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

    /** {@code cp313,cp313t} given as {@code option}: at least one, or a user error naming the option. */
    static List<Variant> parseList(String option, String csv) {
        List<Variant> vs = Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Variants::parse).distinct().sorted().toList();
        if (vs.isEmpty()) {
            throw new UserInputException(option + " '" + csv + "': name at least one variant, e.g. cp313,cp313t");
        }
        return vs;
    }

    /** Exactly one variant given as {@code option}. */
    static Variant parseOne(String option, String id) {
        List<Variant> vs = Arrays.stream(id.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Variants::parse).distinct().toList();
        if (vs.size() != 1) {
            throw new UserInputException(option + " '" + id + "': name one variant, e.g. cp313t");
        }
        return vs.getFirst();
    }
}
