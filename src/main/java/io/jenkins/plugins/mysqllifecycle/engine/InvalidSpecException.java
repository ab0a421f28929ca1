package io.jenkins.plugins.mysqllifecycle.engine;

import java.math.BigDecimal;
import java.time.Duration;

/** The caller asked for something that cannot work; nothing was started, signalled or written. */
public class InvalidSpecException extends EngineException {
    private static final long serialVersionUID = 1L;

    public InvalidSpecException(String message) {
        super(message);
    }

    /** A duration option that is missing, zero or negative, its value said in seconds as users give it. */
    public static InvalidSpecException notPositiveSeconds(String option, Duration got) {
        String seconds = got == null ? "none" : BigDecimal.valueOf(got.getSeconds())
                .add(BigDecimal.valueOf(got.getNano(), 9)).stripTrailingZeros().toPlainString();
        return new InvalidSpecException(option + " must be a positive number of seconds; got " + seconds);
    }
}
