package io.jenkins.plugins.mysqllifecycle.engine.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** File errors as a message says them. */
public final class IoErrors {
    private IoErrors() {
    }

    /** What failed, in words: Java's file exceptions say only the path unless their class is named too. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is there already: " + e.getMessage();
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "the directory is not empty: " + e.getMessage();
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() == null) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
