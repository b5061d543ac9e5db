package dev.ftmatrix.core;

/** An error the user caused and can fix: the message names the input and the fix; exit code 2. */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
