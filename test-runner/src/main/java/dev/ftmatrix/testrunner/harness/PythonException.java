package dev.ftmatrix.testrunner.harness;

/** A Python exception raised by a call into the embedded interpreter, or a failed interpreter start. */
public final class PythonException extends RuntimeException {
    public PythonException(String message) {
        super(message);
    }
}
